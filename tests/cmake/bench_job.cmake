# bench/bench_job.sh (the README's whole-job figures: time, CPU and peak memory against the
# encoder alone) end to end on a short song; needs maivid-cli, bench_render, the ffmpeg
# command line tools, GNU time and bc, which scripts/install-deps.sh installs. Not under the
# sanitizers: it measures a release build's process.
add_test(NAME bench_job COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/e2e/bench_job_test.sh
  ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR})
set_tests_properties(bench_job PROPERTIES TIMEOUT 300 LABELS no-sanitizer)
