/*
 * main.c - maivid-server's entry point: parses the flags, starts the server, waits for
 * SIGTERM or SIGINT and shuts down cleanly (running jobs are checkpointed and resume on the
 * next start).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

/* Blocks SIGINT/SIGTERM in this thread (and every thread started later) so that main can
 * take them with sigwait(): no signal handler and no global flag needed. */
static void mv_block_stop_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, set, NULL);
    struct sigaction ignore;
    memset(&ignore, 0, sizeof(ignore));
    ignore.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ignore, NULL); /* a client hanging up must not kill the server */
}

int main(int argc, char **argv)
{
    maivid_tune_process_memory(); /* peak memory flat in the song's length */
    maivid_tune_process_logging(); /* no SVT-AV1 banners; before any thread starts */
    char err[1024];
    mv_server_options opts;
    if (mv_server_options_parse(&opts, argc, argv, err, sizeof(err)) != 0) {
        fprintf(stderr, "maivid-server: %s\n", err);
        return 2;
    }
    if (opts.show_help) {
        mv_server_print_help(stdout, "maivid-server");
        mv_server_options_free(&opts);
        return 0;
    }
    if (opts.show_version) {
        printf("maivid-server %s (libmaivid %s, CivetWeb %s)\n", MAIVID_VERSION_STRING,
               maivid_version_string(), CIVETWEB_VERSION);
        mv_server_options_free(&opts);
        return 0;
    }

    sigset_t stop_signals;
    mv_block_stop_signals(&stop_signals);

    mv_server server;
    if (mv_server_start(&server, &opts, err, sizeof(err)) != 0) {
        fprintf(stderr, "maivid-server: %s\n", err);
        mv_server_options_free(&opts);
        return 1;
    }
    /* Parseable by scripts and tests: the actual port (useful with --listen host:0). */
    char host[256];
    mv_strip_port(opts.listen, host, sizeof(host));
    fprintf(stderr, "maivid-server listening on http://%s:%d\n", host, server.port);
    fflush(stderr);

    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    mv_log_line(&server.log, "info", "server", NULL,
                signal_number == SIGINT ? "SIGINT: stopping (running jobs are checkpointed)"
                                        : "SIGTERM: stopping (running jobs are checkpointed)");
    mv_server_stop(&server);
    mv_log_line(&server.log, "info", "server", NULL, "stopped");
    mv_server_options_free(&opts);
    return 0;
}
