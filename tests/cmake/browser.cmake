# MaiVid Studio in a real browser: tests/browser/studio.test.js drives Debian's chromium
# (headless) with playwright-core against the real maivid-server and a loopback song
# server. scripts/install-deps.sh installs chromium, node and the npm packages (npm ci in
# tests/browser); nothing is fetched at test time. Without node the test fails and says so.
# Not run under the sanitizers (it renders three videos; the server paths it drives are
# covered there by server_studio).
if(TARGET maivid-server)
  find_program(MV_NODE NAMES node nodejs)
  if(MV_NODE)
    add_test(NAME browser_studio
      COMMAND ${MV_NODE} --test ${PROJECT_SOURCE_DIR}/tests/browser/studio.test.js)
  else()
    add_test(NAME browser_studio COMMAND sh -c
      "echo 'node is missing: run scripts/install-deps.sh (Debian nodejs, npm, chromium)' >&2; exit 1")
  endif()
  set_tests_properties(browser_studio PROPERTIES TIMEOUT 600 LABELS "browser;no-sanitizer"
    ENVIRONMENT "MAIVID_SERVER_BIN=$<TARGET_FILE:maivid-server>;MAIVID_BROWSER_OUT=${PROJECT_BINARY_DIR}/test-tmp/browser;CHROMIUM=/usr/bin/chromium")
endif()
