# The MCP endpoint (/mcp): unit tests of its JSON-RPC layer, sessions and schema conversion
# (tests/mcp/test_mcp_rpc.c built with those server files alone), and mcp_sdk, the end-to-end
# run of the official MCP TypeScript SDK client (tests/mcp/mcp_e2e.mjs, from npm ci in
# tests/mcp) against the real maivid-server and a loopback song fixture.
if(TARGET maivid-server)
  set(MV_MCP_SERVER_DIR ${PROJECT_SOURCE_DIR}/maivid-server)
  add_executable(test_mcp_rpc ${CMAKE_CURRENT_SOURCE_DIR}/mcp/test_mcp_rpc.c
    ${MV_MCP_SERVER_DIR}/mcp_rpc.c ${MV_MCP_SERVER_DIR}/mcp_session.c
    ${MV_MCP_SERVER_DIR}/mcp_schema.c)
  target_include_directories(test_mcp_rpc PRIVATE ${MV_MCP_SERVER_DIR})
  target_link_libraries(test_mcp_rpc PRIVATE maivid_test_support PkgConfig::MV_CJSON
    Threads::Threads)
  set_target_properties(test_mcp_rpc PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
  add_test(NAME mcp_rpc COMMAND test_mcp_rpc)
  set_tests_properties(mcp_rpc PROPERTIES TIMEOUT 60)

  add_executable(test_mcp_sdk ${CMAKE_CURRENT_SOURCE_DIR}/e2e/mcp_sdk.c
    ${CMAKE_CURRENT_SOURCE_DIR}/e2e/server_harness.c)
  target_link_libraries(test_mcp_sdk PRIVATE maivid_test_support PkgConfig::MV_CURL
    PkgConfig::MV_CJSON)
  target_compile_definitions(test_mcp_sdk PRIVATE MAIVID_SERVER_BIN="$<TARGET_FILE:maivid-server>")
  set_target_properties(test_mcp_sdk PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
  add_dependencies(test_mcp_sdk maivid-server)
  add_test(NAME mcp_sdk COMMAND test_mcp_sdk)
  set_tests_properties(mcp_sdk PROPERTIES TIMEOUT 200 SKIP_RETURN_CODE 77
    ENVIRONMENT "MAIVID_SHARE_DIR=${PROJECT_SOURCE_DIR}/data;MAIVID_TEST_TMP=${PROJECT_BINARY_DIR}/test-tmp;MAIVID_SERVER_BIN=$<TARGET_FILE:maivid-server>")
endif()
