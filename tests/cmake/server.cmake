# maivid-server end-to-end tests: each tests/e2e/server_*.c (except the harness) is a cmocka
# program that starts the real maivid-server on an ephemeral loopback port (path passed as
# MAIVID_SERVER_BIN, compiled in and in the environment) and drives it with libcurl.
if(TARGET maivid-server)
  file(GLOB MV_SERVER_E2E_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/e2e/server_*.c)
  list(REMOVE_ITEM MV_SERVER_E2E_TESTS ${CMAKE_CURRENT_SOURCE_DIR}/e2e/server_harness.c)
  foreach(test_source ${MV_SERVER_E2E_TESTS})
    get_filename_component(test_name ${test_source} NAME_WE)
    add_executable(test_${test_name} ${test_source} ${CMAKE_CURRENT_SOURCE_DIR}/e2e/server_harness.c)
    target_link_libraries(test_${test_name} PRIVATE maivid_test_support PkgConfig::MV_CURL
      PkgConfig::MV_CJSON)
    target_compile_definitions(test_${test_name} PRIVATE
      MAIVID_SERVER_BIN="$<TARGET_FILE:maivid-server>")
    set_target_properties(test_${test_name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
    add_dependencies(test_${test_name} maivid-server)
    add_test(NAME ${test_name} COMMAND test_${test_name})
    set_tests_properties(${test_name} PROPERTIES TIMEOUT 120
      ENVIRONMENT "MAIVID_SHARE_DIR=${PROJECT_SOURCE_DIR}/data;MAIVID_TEST_TMP=${PROJECT_BINARY_DIR}/test-tmp;MAIVID_SERVER_BIN=$<TARGET_FILE:maivid-server>")
  endforeach()
endif()
