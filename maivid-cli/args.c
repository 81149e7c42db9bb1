/*
 * args.c - turns argv into an mv_cli_opts (getopt_long, so options may come before or after
 * the command and its arguments). The job options (--model, --fps, ...) come from the
 * library's parameter table, and each value is checked by the library before any work
 * starts; catalog ids are checked against the catalogs once an engine is open.
 */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    MV_OPT_COMFYUI = 1000,
    MV_OPT_KEEP,
    MV_OPT_DATA_DIR,
    MV_OPT_SERVER,
    MV_OPT_API_KEY,
    MV_OPT_JSON,
    MV_OPT_CHECKPOINT,
    MV_OPT_MODELS_DIR,
    MV_OPT_NO_SIDECARS,
    MV_OPT_SUNO_TOKEN_FILE,
    MV_OPT_QUEUE,
    MV_OPT_PARAM = 2000 /* + the index in the parameter table */
};

static const struct option mv_cli_fixed_options[] = {
    {"output", required_argument, NULL, 'o'},
    {"comfyui", required_argument, NULL, MV_OPT_COMFYUI},
    {"checkpoint", required_argument, NULL, MV_OPT_CHECKPOINT},
    {"models-dir", required_argument, NULL, MV_OPT_MODELS_DIR},
    {"keep", no_argument, NULL, MV_OPT_KEEP},
    {"data-dir", required_argument, NULL, MV_OPT_DATA_DIR},
    {"server", required_argument, NULL, MV_OPT_SERVER},
    {"queue", required_argument, NULL, MV_OPT_QUEUE},
    {"api-key", required_argument, NULL, MV_OPT_API_KEY},
    {"json", no_argument, NULL, MV_OPT_JSON},
    {"no-sidecars", no_argument, NULL, MV_OPT_NO_SIDECARS},
    {"suno-token-file", required_argument, NULL, MV_OPT_SUNO_TOKEN_FILE},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
};

#define MV_CLI_FIXED_COUNT (sizeof mv_cli_fixed_options / sizeof mv_cli_fixed_options[0])

/* The whole option list: the fixed ones, then one per table parameter with a CLI name. */
typedef struct mv_cli_option_set {
    struct option longs[MV_CLI_FIXED_COUNT + MV_CLI_MAX_PARAMS + 1];
    char shorts[16 + 2 * MV_CLI_MAX_PARAMS];
} mv_cli_option_set;

static void mv_cli_options_build(mv_cli_option_set *set)
{
    memset(set, 0, sizeof *set);
    memcpy(set->longs, mv_cli_fixed_options, sizeof mv_cli_fixed_options);
    size_t n = MV_CLI_FIXED_COUNT, used = 0;
    used += (size_t)snprintf(set->shorts, sizeof set->shorts, ":o:qvhV");
    for (size_t i = 0; i < maivid_param_count() && i < MV_CLI_MAX_PARAMS; i++) {
        const maivid_param_info *info = maivid_param_at(i);
        if (!info->cli_long)
            continue;
        set->longs[n++] = (struct option){info->cli_long, required_argument, NULL,
                                          MV_OPT_PARAM + (int)i};
        if (info->cli_short)
            used += (size_t)snprintf(set->shorts + used, sizeof set->shorts - used, "%c:",
                                     info->cli_short);
    }
}

/* The table index of an option code (a short letter or MV_OPT_PARAM + index), or -1. */
static int mv_cli_param_index(int c)
{
    if (c >= MV_OPT_PARAM && (size_t)(c - MV_OPT_PARAM) < maivid_param_count())
        return c - MV_OPT_PARAM;
    for (size_t i = 0; c > 0 && c < 128 && i < maivid_param_count(); i++)
        if (maivid_param_at(i)->cli_short == c && maivid_param_at(i)->cli_long)
            return (int)i;
    return -1;
}

/* Records one job parameter after the library has checked its value. */
static int mv_cli_param_option(mv_cli_opts *opts, int index, const char *arg)
{
    const maivid_param_info *info = maivid_param_at((size_t)index);
    if (!(info->flags & MAIVID_PARAM_CLI_FILE) && !(info->flags & MAIVID_PARAM_FILE)) {
        maivid_job_params scratch;
        maivid_job_params_init(&scratch);
        char err[512], expect[160];
        if (maivid_job_params_set(&scratch, info->name, arg, err, sizeof err) != MAIVID_OK) {
            if (info->type == MAIVID_PARAM_STRING)
                return mv_cli_usage_error("generate", "--%s: %s", info->cli_long, err);
            return mv_cli_usage_error("generate", "--%s wants %s, not '%s'", info->cli_long,
                                      maivid_param_expect(info, expect, sizeof expect), arg);
        }
    }
    opts->params[index] = arg;
    return 0;
}

/* Handles one generate/resume option; returns 0, -1 when `c` is not one, or 2 after
 * printing the error. */
static int mv_cli_generate_option(mv_cli_opts *opts, int c, const char *arg)
{
    int index = mv_cli_param_index(c);
    const char *name = index >= 0 ? maivid_param_at((size_t)index)->cli_long : NULL;
    if (index >= 0) {
        int rc = mv_cli_param_option(opts, index, arg);
        if (rc)
            return rc;
    } else if (c == 'o') {
        opts->output = arg;
        name = "output";
    } else if (c == MV_OPT_KEEP) {
        opts->keep = 1;
        name = "keep";
    } else if (c == MV_OPT_NO_SIDECARS) {
        opts->no_sidecars = 1;
        name = "no-sidecars";
    } else if (c == MV_OPT_COMFYUI) {
        if (opts->comfyui_count == MV_CLI_MAX_COMFYUI)
            return mv_cli_usage_error("generate", "at most %d --comfyui servers", MV_CLI_MAX_COMFYUI);
        opts->comfyui[opts->comfyui_count++] = arg;
        return 0; /* the image backend settings also shape 'models': not generate-only */
    } else if (c == MV_OPT_CHECKPOINT) {
        if (!strchr(arg, '=') || arg[0] == '=')
            return mv_cli_usage_error("generate", "--checkpoint wants MODEL=FILE (e.g. "
                                      "sdxl_turbo=sd_xl_turbo_1.0.safetensors), not '%s'", arg);
        if (opts->checkpoint_count == MV_CLI_MAX_COMFYUI)
            return mv_cli_usage_error("generate", "at most %d --checkpoint settings", MV_CLI_MAX_COMFYUI);
        opts->checkpoints[opts->checkpoint_count++] = arg;
        return 0;
    } else if (c == MV_OPT_MODELS_DIR) {
        opts->models_dir = arg;
        return 0;
    } else {
        return -1;
    }
    if (!opts->generate_only)
        opts->generate_only = name;
    return 0;
}

int mv_cli_parse_args(int argc, char **argv, mv_cli_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    mv_cli_option_set set;
    mv_cli_options_build(&set);
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, set.shorts, set.longs, NULL)) != -1) {
        const char *command = optind > 1 && argc > 1 && argv[1][0] != '-' ? argv[1] : NULL;
        int rc = mv_cli_generate_option(opts, c, optarg);
        if (rc > 0)
            return rc;
        if (rc == 0)
            continue;
        switch (c) {
        case MV_OPT_DATA_DIR: opts->data_dir = optarg; break;
        case MV_OPT_SERVER: opts->server = optarg; break;
        case MV_OPT_QUEUE: opts->queue = optarg; break;
        case MV_OPT_API_KEY: opts->api_key = optarg; break;
        case MV_OPT_JSON: opts->json = 1; break;
        case MV_OPT_SUNO_TOKEN_FILE: opts->suno_token_file = optarg; break;
        case 'q': opts->quiet = 1; break;
        case 'v': opts->verbose = 1; break;
        case 'h': opts->help = 1; break;
        case 'V': opts->version = 1; break;
        case ':':
            return mv_cli_usage_error(command, "option '%s' needs a value", argv[optind - 1]);
        default:
            return mv_cli_usage_error(command, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc) {
        opts->command = argv[optind];
        opts->args = argv + optind + 1;
        opts->arg_count = argc - optind - 1;
    }
    if (!opts->server) {
        const char *env = getenv("MAIVID_SERVER");
        if (env && *env)
            opts->server = env;
    }
    if (!opts->queue) {
        const char *env = getenv("MAIVID_QUEUE_URL");
        if (env && *env)
            opts->queue = env;
    }
    if (!opts->api_key) {
        const char *env = getenv("MAIVID_API_KEY");
        if (env && *env)
            opts->api_key = env;
    }
    return MV_CLI_EXIT_OK;
}
