# test_render_keyframes measures keyframe pulsing with the benchmark's own measure
# (bench/bench_pulse.c), so both report the same number; both render tests are bounded.
target_sources(test_render_keyframes PRIVATE ${PROJECT_SOURCE_DIR}/bench/bench_pulse.c)
target_include_directories(test_render_keyframes PRIVATE ${PROJECT_SOURCE_DIR}/bench)
set_tests_properties(test_render_keyframes PROPERTIES TIMEOUT 300)
set_tests_properties(test_render_encoders PROPERTIES TIMEOUT 300)
