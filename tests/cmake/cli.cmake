# maivid-cli end-to-end tests: each tests/e2e/cli_*.c (except the harness) is a cmocka
# program that runs the real maivid-cli binary (path in $MAIVID_CLI) with pipes, under a
# pseudo-terminal (forkpty from libutil) or against a real maivid-server ($MAIVID_SERVER_BIN;
# that test skips only when the server binary has not been built).
set(MV_CLI_DIR ${PROJECT_SOURCE_DIR}/maivid-cli)
if(TARGET maivid-server)
  set(MV_CLI_SERVER_BIN $<TARGET_FILE:maivid-server>)
else()
  set(MV_CLI_SERVER_BIN ${PROJECT_BINARY_DIR}/bin/maivid-server)
endif()

file(GLOB MV_CLI_E2E_TESTS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/e2e/cli_*.c)
list(REMOVE_ITEM MV_CLI_E2E_TESTS ${CMAKE_CURRENT_SOURCE_DIR}/e2e/cli_harness.c)
foreach(test_source ${MV_CLI_E2E_TESTS})
  get_filename_component(test_name ${test_source} NAME_WE)
  add_executable(test_${test_name} ${test_source} ${CMAKE_CURRENT_SOURCE_DIR}/e2e/cli_harness.c)
  target_link_libraries(test_${test_name} PRIVATE maivid_test_support PkgConfig::MV_AVFORMAT
    PkgConfig::MV_AVCODEC PkgConfig::MV_AVUTIL PkgConfig::MV_CJSON util)
  set_target_properties(test_${test_name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
  add_dependencies(test_${test_name} maivid-cli)
  if(TARGET maivid-server AND (test_name STREQUAL "cli_server" OR test_name STREQUAL "cli_crash"))
    add_dependencies(test_${test_name} maivid-server)
  endif()
  add_test(NAME ${test_name} COMMAND test_${test_name})
  set_tests_properties(${test_name} PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77
    ENVIRONMENT "MAIVID_SHARE_DIR=${PROJECT_SOURCE_DIR}/data;MAIVID_TEST_TMP=${PROJECT_BINARY_DIR}/test-tmp;MAIVID_CLI=$<TARGET_FILE:maivid-cli>;MAIVID_SERVER_BIN=${MV_CLI_SERVER_BIN}")
endforeach()

# Crash injection drives the server over HTTP too (the server tests' harness and libcurl).
if(TARGET test_cli_crash)
  target_sources(test_cli_crash PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/e2e/server_harness.c)
  target_link_libraries(test_cli_crash PRIVATE PkgConfig::MV_CURL)
  set_tests_properties(cli_crash PROPERTIES TIMEOUT 180)
endif()

# The CLI's own helpers (output naming, atomic save), tested in-process.
if(TARGET test_cli_output)
  target_sources(test_cli_output PRIVATE ${MV_CLI_DIR}/output_file.c ${MV_CLI_DIR}/signals.c
    ${MV_CLI_DIR}/help.c)
  target_include_directories(test_cli_output PRIVATE ${MV_CLI_DIR})
endif()

# Peak memory against song length (issue 15): resident sizes mean nothing under ASan.
if(TARGET test_cli_memory)
  set_tests_properties(cli_memory PROPERTIES TIMEOUT 300 LABELS no-sanitizer)
endif()
