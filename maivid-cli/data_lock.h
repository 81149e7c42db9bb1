/*
 * data_lock.h - which maivid-cli processes are working in a data directory. libmaivid cannot
 * tell a job that another process is running from one whose process died (both are
 * "running" on disk), so every generate/resume holds a shared lock on <data_dir>/cli.lock
 * while it works; a process that gets the lock exclusively knows every "running" job there
 * was interrupted and may take it over (engine opened with resume_jobs = 1).
 */
#ifndef MV_DATA_LOCK_H
#define MV_DATA_LOCK_H

/* Takes the shared lock, waiting while a take-over is in progress. Returns the descriptor
 * (close it to release), or -1 when the lock file cannot be opened (then works unlocked). */
int mv_cli_data_lock_shared(const char *data_dir);
/* Takes the exclusive lock without waiting. Returns the descriptor, or -1 when another
 * maivid-cli is working in the directory (errno EWOULDBLOCK) or the file cannot be opened. */
int mv_cli_data_lock_exclusive(const char *data_dir);
/* Turns an exclusive lock into a shared one. */
void mv_cli_data_lock_downgrade(int fd);
void mv_cli_data_unlock(int fd);

#endif /* MV_DATA_LOCK_H */
