/*
 * signals.c - blocks SIGINT/SIGTERM and collects them synchronously (see signals.h).
 */
#include "signals.h"

#include <signal.h>
#include <time.h>

static void mv_cli_stop_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
}

void mv_cli_signals_block(void)
{
    sigset_t set;
    mv_cli_stop_signals(&set);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
}

int mv_cli_signals_wait(int timeout_ms)
{
    sigset_t set;
    mv_cli_stop_signals(&set);
    struct timespec ts = {timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000L};
    int signo = sigtimedwait(&set, NULL, &ts);
    return signo > 0 ? signo : 0;
}

int mv_cli_signals_take(void)
{
    return mv_cli_signals_wait(0);
}

int mv_cli_signal_exit_code(int signo)
{
    return 128 + signo;
}
