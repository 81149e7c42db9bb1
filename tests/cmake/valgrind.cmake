# Memcheck runs of the unit tests whose code paths stay clear of FFmpeg's codecs: valgrind
# 3.19 stops with SIGILL inside libhwy (loaded by libavcodec through libjxl) on the rdtscp
# instruction, so tests that encode or decode media are checked with ASan+UBSan instead.
find_program(MAIVID_VALGRIND valgrind)
if(MAIVID_VALGRIND AND NOT MAIVID_SANITIZE)
  foreach(test_name test_engine_ids test_engine_params test_lyrics_parse test_plan_timing
          test_plan_prompts test_plan_storyboard test_paint_words test_paint_image
          test_comfy_workflow test_ingest_policy)
    add_test(NAME valgrind_${test_name}
      COMMAND ${MAIVID_VALGRIND} --quiet --error-exitcode=9 --leak-check=full
              --errors-for-leak-kinds=definite $<TARGET_FILE:${test_name}>)
    set_tests_properties(valgrind_${test_name} PROPERTIES LABELS "valgrind;no-sanitizer"
      TIMEOUT 600 ENVIRONMENT "MAIVID_SHARE_DIR=${PROJECT_SOURCE_DIR}/data;MAIVID_TEST_TMP=${PROJECT_BINARY_DIR}/test-tmp")
  endforeach()
endif()
