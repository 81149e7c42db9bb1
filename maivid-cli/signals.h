/*
 * signals.h - Ctrl-C without global state: SIGINT and SIGTERM are blocked in every thread
 * (before the engine starts its workers) and the main loop collects them with sigtimedwait,
 * so a job can be cancelled cleanly instead of the process dying mid-write.
 */
#ifndef MV_SIGNALS_H
#define MV_SIGNALS_H

/* Blocks SIGINT and SIGTERM in the calling thread (and threads it creates later). */
void mv_cli_signals_block(void);
/* Waits up to timeout_ms for SIGINT or SIGTERM; returns the signal number, or 0. */
int mv_cli_signals_wait(int timeout_ms);
/* Returns the pending SIGINT/SIGTERM (consuming it) without waiting, or 0. */
int mv_cli_signals_take(void);
/* The exit status for a signal: 128 + its number (130 for SIGINT). */
int mv_cli_signal_exit_code(int signo);

#endif /* MV_SIGNALS_H */
