# Several maivid-servers on one Redis job queue (tests/e2e/shared_queue_test.py): a real
# redis-server on a loopback port, three servers on one data directory, kill -9 and a Redis
# outage. Needs redis-server and redis-cli (package redis-server, which
# scripts/install-deps.sh installs); without them the test is skipped and says so.
if(TARGET maivid-server AND TARGET maivid-cli)
  find_package(Python3 COMPONENTS Interpreter QUIET)
  if(Python3_Interpreter_FOUND)
    add_test(NAME shared_queue COMMAND ${Python3_EXECUTABLE}
      ${CMAKE_CURRENT_SOURCE_DIR}/e2e/shared_queue_test.py $<TARGET_FILE:maivid-server>
      $<TARGET_FILE:maivid-cli>)
    set_tests_properties(shared_queue PROPERTIES TIMEOUT 420 RUN_SERIAL TRUE SKIP_RETURN_CODE 77
      ENVIRONMENT "MAIVID_SHARE_DIR=${PROJECT_SOURCE_DIR}/data")
  endif()
endif()
