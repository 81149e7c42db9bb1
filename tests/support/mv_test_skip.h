/*
 * mv_test_skip.h - skips that ctest can see. cmocka's skip() leaves the program's exit code
 * at 0, so ctest shows a test that could not run here as passed. A test that cannot run
 * calls MV_TEST_SKIP with the reason; the program's main returns mv_test_exit_code(), which
 * is 77 (the SKIP_RETURN_CODE every cmocka test is registered with) when nothing failed and
 * something was skipped, so ctest lists it as skipped.
 */
#ifndef MV_TEST_SKIP_H
#define MV_TEST_SKIP_H

#define MV_TEST_SKIP_CODE 77

/* Prints "SKIPPED: <why>" on stderr and counts the skip. */
void mv_test_skip_counted(const char *why);

/* What main returns after cmocka_run_group_tests() gave `failed`. */
int mv_test_exit_code(int failed);

#define MV_TEST_SKIP(why)                                                                      \
    do {                                                                                       \
        mv_test_skip_counted(why);                                                             \
        skip();                                                                                \
    } while (0)

#endif /* MV_TEST_SKIP_H */
