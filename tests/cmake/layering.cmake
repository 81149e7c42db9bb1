# The folder dependencies the design promises (see tests/layering/check_layering.sh).
add_test(NAME library_layering
  COMMAND sh ${PROJECT_SOURCE_DIR}/tests/layering/check_layering.sh ${PROJECT_SOURCE_DIR})
