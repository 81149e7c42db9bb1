/*
 * main.c - maivid-cli's entry point: parses the command line and hands the command to its
 * local implementation (libmaivid) or, with --server / MAIVID_SERVER, to the remote one.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

typedef struct mv_cli_command {
    const char *name;
    int (*local)(const mv_cli_opts *opts);
    int (*remote)(const mv_cli_opts *opts); /* NULL: local only */
    int min_args, max_args;
    const char *args_usage;
} mv_cli_command;

static const mv_cli_command mv_cli_commands[] = {
    {"generate", mv_cli_cmd_generate, mv_cli_remote_generate, 1, 1, "SOURCE (a song URL or audio file)"},
    {"models", mv_cli_cmd_catalog, mv_cli_remote_catalog, 0, 0, ""},
    {"styles", mv_cli_cmd_catalog, mv_cli_remote_catalog, 0, 0, ""},
    {"transitions", mv_cli_cmd_catalog, mv_cli_remote_catalog, 0, 0, ""},
    {"encoders", mv_cli_cmd_catalog, NULL, 0, 0, ""},
    {"list", mv_cli_cmd_list, mv_cli_remote_list, 0, 0, ""},
    {"status", mv_cli_cmd_status, mv_cli_remote_status, 1, 1, "JOB_ID"},
    {"cancel", mv_cli_cmd_cancel, mv_cli_remote_cancel, 1, 1, "JOB_ID"},
    {"resume", mv_cli_cmd_resume, NULL, 1, 1, "JOB_ID"},
};

static int mv_cli_run(const mv_cli_opts *opts)
{
    if (opts->version && !opts->command) {
        printf("maivid-cli %s (libmaivid %s)\n", MAIVID_VERSION_STRING, maivid_version_string());
        return MV_CLI_EXIT_OK;
    }
    if (!opts->command) {
        if (opts->help) {
            mv_cli_print_help(NULL);
            return MV_CLI_EXIT_OK;
        }
        return mv_cli_usage_error(NULL, "no command given: use generate, models, styles, "
                                        "transitions, list, status, cancel or resume");
    }
    if (strcmp(opts->command, "help") == 0) {
        const char *topic = opts->arg_count > 0 ? opts->args[0] : NULL;
        if (mv_cli_print_help(topic) != 0)
            return mv_cli_usage_error(NULL, "no help for unknown command '%s'", topic);
        return MV_CLI_EXIT_OK;
    }
    const mv_cli_command *cmd = NULL;
    for (size_t i = 0; i < sizeof mv_cli_commands / sizeof mv_cli_commands[0]; i++)
        if (strcmp(mv_cli_commands[i].name, opts->command) == 0)
            cmd = &mv_cli_commands[i];
    if (!cmd)
        return mv_cli_usage_error(NULL, "unknown command '%s': use generate, models, styles, "
                                        "transitions, list, status, cancel or resume", opts->command);
    if (opts->help) {
        mv_cli_print_help(cmd->name);
        return MV_CLI_EXIT_OK;
    }
    if (opts->arg_count < cmd->min_args)
        return mv_cli_usage_error(cmd->name, "'%s' needs %s", cmd->name, cmd->args_usage);
    if (opts->arg_count > cmd->max_args)
        return mv_cli_usage_error(cmd->name, "'%s' takes %s%s, but got '%s' too", cmd->name,
                                  cmd->max_args ? "only " : "no arguments", cmd->args_usage,
                                  opts->args[cmd->max_args]);
    int generating = strcmp(cmd->name, "generate") == 0 || strcmp(cmd->name, "resume") == 0;
    if (!generating && opts->generate_only)
        return mv_cli_usage_error(cmd->name, "option --%s only applies to generate",
                                  opts->generate_only);
    if (opts->server && opts->queue)
        return mv_cli_usage_error(cmd->name, "--server and --queue both name where jobs run: "
                                  "pass one of them (and unset MAIVID_SERVER or "
                                  "MAIVID_QUEUE_URL)");
    if (opts->server) {
        if (!cmd->remote)
            return mv_cli_usage_error(cmd->name, "'%s' works on local jobs only: drop --server "
                                                 "(and unset MAIVID_SERVER)", cmd->name);
        if (opts->checkpoint_count || opts->models_dir)
            return mv_cli_usage_error(cmd->name, "--%s only works locally: the server uses its "
                                      "own (maivid-server --checkpoint, --models-dir)",
                                      opts->checkpoint_count ? "checkpoint" : "models-dir");
        return cmd->remote(opts);
    }
    return cmd->local(opts);
}

int main(int argc, char **argv)
{
    mv_cli_opts opts;
    int rc = mv_cli_parse_args(argc, argv, &opts);
    if (rc != MV_CLI_EXIT_OK)
        return rc;
    maivid_tune_process_memory(); /* peak memory flat in the song's length */
    maivid_tune_process_logging(); /* no SVT-AV1 banners; before any thread starts */
    curl_global_init(CURL_GLOBAL_DEFAULT);
    rc = mv_cli_run(&opts);
    curl_global_cleanup();
    fflush(stdout);
    if (ferror(stdout)) {
        mv_cli_error("could not write the result to stdout");
        return rc ? rc : MV_CLI_EXIT_FAILED;
    }
    return rc;
}
