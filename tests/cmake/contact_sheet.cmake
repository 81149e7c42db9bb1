# scripts/contact-sheet.sh (the README's contact sheet of the main job) end to end; needs the
# ffmpeg command line tools, which scripts/install-deps.sh installs.
add_test(NAME contact_sheet COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/e2e/contact_sheet_test.sh
  ${PROJECT_SOURCE_DIR})
set_tests_properties(contact_sheet PROPERTIES TIMEOUT 120)
