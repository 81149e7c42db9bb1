/*
 * mv_test_skip.c - counts the skips of one test program (see mv_test_skip.h). The counter is
 * the test program's own: cmocka runs a group's tests one after another on one thread.
 */
#include "mv_test_skip.h"

#include <stdio.h>

static int mv_test_skips;

void mv_test_skip_counted(const char *why)
{
    fprintf(stderr, "SKIPPED: %s\n", why);
    mv_test_skips++;
}

int mv_test_exit_code(int failed)
{
    if (failed)
        return failed;
    return mv_test_skips ? MV_TEST_SKIP_CODE : 0;
}
