# The NVENC path on a machine with an NVIDIA GPU: test_render_encoders --gpu runs only
# test_nvenc_on_gpu, as its own entry, so that where there is no GPU it is listed as
# skipped (exit 77, with its reason) while test_render_encoders (the fallback) passes.
add_test(NAME test_render_encoders_gpu COMMAND test_render_encoders --gpu)
set_tests_properties(test_render_encoders_gpu PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77
  ENVIRONMENT "MAIVID_SHARE_DIR=${PROJECT_SOURCE_DIR}/data;MAIVID_TEST_TMP=${PROJECT_BINARY_DIR}/test-tmp")
