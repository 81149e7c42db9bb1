# The ABI test: a program built against older public structs (tests/abi/maivid_0_1.h, not
# maivid.h) linked with the shared library, as a program built for an earlier release would
# run with today's libmaivid.so.0.
add_executable(test_abi_old_layout ${CMAKE_CURRENT_SOURCE_DIR}/abi/old_layout.c)
target_link_libraries(test_abi_old_layout PRIVATE maivid m)
set_target_properties(test_abi_old_layout PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
add_test(NAME abi_old_layout
  COMMAND test_abi_old_layout ${PROJECT_BINARY_DIR}/test-tmp/abi-old-layout)
set_tests_properties(abi_old_layout PROPERTIES TIMEOUT 120
  ENVIRONMENT "MAIVID_SHARE_DIR=${PROJECT_SOURCE_DIR}/data")
