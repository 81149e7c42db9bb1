# The install test: stage an install and build a program outside the tree against it.
add_test(NAME install_and_link_outside_tree
  COMMAND sh ${PROJECT_SOURCE_DIR}/tests/install/check_install.sh
          ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/test-tmp/install-check)
# Sanitized builds need the sanitizer runtime in the outside program too: run it plain only.
set_tests_properties(install_and_link_outside_tree PROPERTIES LABELS no-sanitizer TIMEOUT 300)
