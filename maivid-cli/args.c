/*
 * args.c - turns argv into an mv_cli_opts (getopt_long, so options may come before or after
 * the command and its arguments) and checks every number before any work starts.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
    MV_OPT_MOTION = 1000,
    MV_OPT_RESOLUTION,
    MV_OPT_FPS,
    MV_OPT_LYRICS,
    MV_OPT_SEED,
    MV_OPT_COMFYUI,
    MV_OPT_WORKFLOW,
    MV_OPT_TITLE,
    MV_OPT_KEEP,
    MV_OPT_DATA_DIR,
    MV_OPT_SERVER,
    MV_OPT_API_KEY,
    MV_OPT_JSON,
    MV_OPT_CAPTIONS,
    MV_OPT_REACTIVITY,
    MV_OPT_SUBTITLE_TRACK
};

static const struct option mv_cli_long_options[] = {
    {"output", required_argument, NULL, 'o'},
    {"model", required_argument, NULL, 'm'},
    {"style", required_argument, NULL, 's'},
    {"scenes", required_argument, NULL, 'n'},
    {"aspect", required_argument, NULL, 'a'},
    {"transition", required_argument, NULL, 't'},
    {"transition-duration", required_argument, NULL, 'd'},
    {"motion", required_argument, NULL, MV_OPT_MOTION},
    {"captions", required_argument, NULL, MV_OPT_CAPTIONS},
    {"reactivity", required_argument, NULL, MV_OPT_REACTIVITY},
    {"subtitle-track", no_argument, NULL, MV_OPT_SUBTITLE_TRACK},
    {"resolution", required_argument, NULL, MV_OPT_RESOLUTION},
    {"fps", required_argument, NULL, MV_OPT_FPS},
    {"lyrics", required_argument, NULL, MV_OPT_LYRICS},
    {"seed", required_argument, NULL, MV_OPT_SEED},
    {"comfyui", required_argument, NULL, MV_OPT_COMFYUI},
    {"workflow", required_argument, NULL, MV_OPT_WORKFLOW},
    {"title", required_argument, NULL, MV_OPT_TITLE},
    {"keep", no_argument, NULL, MV_OPT_KEEP},
    {"data-dir", required_argument, NULL, MV_OPT_DATA_DIR},
    {"server", required_argument, NULL, MV_OPT_SERVER},
    {"api-key", required_argument, NULL, MV_OPT_API_KEY},
    {"json", no_argument, NULL, MV_OPT_JSON},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0}};

static int mv_cli_parse_int(const char *text, long min, long max, long *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end != '\0' || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int mv_cli_parse_double(const char *text, double min, double max, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || *end != '\0' || !isfinite(v) || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static const char *mv_cli_option_name(int c)
{
    for (const struct option *o = mv_cli_long_options; o->name; o++)
        if (o->val == c)
            return o->name;
    return "?";
}

/* Handles one generate/resume option; returns 0, or 2 after printing the error. */
static int mv_cli_generate_option(mv_cli_opts *opts, int c, const char *arg)
{
    long n = 0;
    double d = 0;
    switch (c) {
    case 'o': opts->output = arg; break;
    case 'm': opts->model = arg; break;
    case 's': opts->style = arg; break;
    case 'a': opts->aspect = arg; break;
    case 't': opts->transition = arg; break;
    case MV_OPT_MOTION: opts->motion = arg; break;
    case MV_OPT_RESOLUTION: opts->resolution = arg; break;
    case MV_OPT_LYRICS: opts->lyrics_file = arg; break;
    case MV_OPT_WORKFLOW: opts->workflow = arg; break;
    case MV_OPT_TITLE: opts->title = arg; break;
    case MV_OPT_KEEP: opts->keep = 1; break;
    case MV_OPT_SUBTITLE_TRACK: opts->subtitle_track = 1; break;
    case MV_OPT_CAPTIONS:
        if (strcmp(arg, "lines") != 0 && strcmp(arg, "karaoke") != 0 && strcmp(arg, "off") != 0)
            return mv_cli_usage_error("generate", "--captions wants lines, karaoke or off, not '%s'", arg);
        opts->captions = arg;
        break;
    case MV_OPT_REACTIVITY:
        if (mv_cli_parse_double(arg, 0, 1, &d))
            return mv_cli_usage_error("generate", "--reactivity wants a number from 0 (plain drift) to 1, not '%s'", arg);
        opts->reactivity = d;
        break;
    case 'n':
        if (mv_cli_parse_int(arg, 1, 120, &n))
            return mv_cli_usage_error("generate", "--scenes wants a whole number from 1 to 120, not '%s'", arg);
        opts->scenes = (int)n;
        break;
    case MV_OPT_FPS:
        if (mv_cli_parse_int(arg, 12, 60, &n))
            return mv_cli_usage_error("generate", "--fps wants a whole number from 12 to 60, not '%s'", arg);
        opts->fps = (int)n;
        break;
    case 'd':
        if (mv_cli_parse_double(arg, 0, 5, &d))
            return mv_cli_usage_error("generate", "--transition-duration wants seconds from 0 to 5, not '%s'", arg);
        opts->transition_duration = d;
        break;
    case MV_OPT_SEED:
        if (mv_cli_parse_int(arg, 0, LONG_MAX, &n))
            return mv_cli_usage_error("generate", "--seed wants a whole number of 0 or more, not '%s'", arg);
        opts->seed = n;
        break;
    case MV_OPT_COMFYUI:
        if (opts->comfyui_count == MV_CLI_MAX_COMFYUI)
            return mv_cli_usage_error("generate", "at most %d --comfyui servers", MV_CLI_MAX_COMFYUI);
        opts->comfyui[opts->comfyui_count++] = arg;
        break;
    default:
        return -1;
    }
    if (!opts->generate_only && c != MV_OPT_COMFYUI)
        opts->generate_only = mv_cli_option_name(c);
    return 0;
}

int mv_cli_parse_args(int argc, char **argv, mv_cli_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->transition_duration = -1;
    opts->reactivity = -1;
    opts->seed = -1;
    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, ":o:m:s:n:a:t:d:qvhV", mv_cli_long_options, NULL)) != -1) {
        const char *command = optind > 1 && argc > 1 && argv[1][0] != '-' ? argv[1] : NULL;
        int rc = mv_cli_generate_option(opts, c, optarg);
        if (rc > 0)
            return rc;
        if (rc == 0)
            continue;
        switch (c) {
        case MV_OPT_DATA_DIR: opts->data_dir = optarg; break;
        case MV_OPT_SERVER: opts->server = optarg; break;
        case MV_OPT_API_KEY: opts->api_key = optarg; break;
        case MV_OPT_JSON: opts->json = 1; break;
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
    if (!opts->api_key) {
        const char *env = getenv("MAIVID_API_KEY");
        if (env && *env)
            opts->api_key = env;
    }
    return MV_CLI_EXIT_OK;
}
