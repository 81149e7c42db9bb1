/*
 * options.c - maivid-server's command line: flags, environment (MAIVID_API_KEY) and --help.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

enum {
    OPT_LISTEN = 1000, OPT_DATA_DIR, OPT_WORKERS, OPT_QUEUE_LIMIT, OPT_COMFYUI, OPT_MODELS_DIR,
    OPT_CHECKPOINT, OPT_API_KEY, OPT_ALLOW_PRIVATE, OPT_CORS, OPT_LOG_FORMAT, OPT_HTTP_THREADS,
    OPT_RENDER_NICE, OPT_WEBHOOK_SECRET, OPT_WEBHOOK_SECRET_FILE, OPT_MAX_CLIENT_CONNECTIONS,
    OPT_REQUEST_TIMEOUT,
    OPT_SUNO_TOKEN_FILE, OPT_HELP,
    OPT_VERSION,
    OPT_KEEP_DAYS, OPT_MAX_DATA_SIZE, /* retention */
    OPT_NO_UI, /* the studio page */
    OPT_QUEUE
};

static const struct option MV_LONG_OPTIONS[] = {
    {"listen", required_argument, NULL, OPT_LISTEN},
    {"data-dir", required_argument, NULL, OPT_DATA_DIR},
    {"workers", required_argument, NULL, OPT_WORKERS},
    {"queue-limit", required_argument, NULL, OPT_QUEUE_LIMIT},
    {"comfyui", required_argument, NULL, OPT_COMFYUI},
    {"models-dir", required_argument, NULL, OPT_MODELS_DIR},
    {"checkpoint", required_argument, NULL, OPT_CHECKPOINT},
    {"api-key", required_argument, NULL, OPT_API_KEY},
    {"allow-private-urls", no_argument, NULL, OPT_ALLOW_PRIVATE},
    {"cors-origin", required_argument, NULL, OPT_CORS},
    {"log-format", required_argument, NULL, OPT_LOG_FORMAT},
    {"http-threads", required_argument, NULL, OPT_HTTP_THREADS},
    {"render-nice", required_argument, NULL, OPT_RENDER_NICE},
    {"max-client-connections", required_argument, NULL, OPT_MAX_CLIENT_CONNECTIONS},
    {"request-timeout", required_argument, NULL, OPT_REQUEST_TIMEOUT},
    {"webhook-secret", required_argument, NULL, OPT_WEBHOOK_SECRET},
    {"webhook-secret-file", required_argument, NULL, OPT_WEBHOOK_SECRET_FILE},
    {"keep-days", required_argument, NULL, OPT_KEEP_DAYS},
    {"max-data-size", required_argument, NULL, OPT_MAX_DATA_SIZE},
    {"suno-token-file", required_argument, NULL, OPT_SUNO_TOKEN_FILE},
    {"no-ui", no_argument, NULL, OPT_NO_UI},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {"queue", required_argument, NULL, OPT_QUEUE},
    {NULL, 0, NULL, 0},
};

void mv_server_print_help(FILE *out, const char *program)
{
    fprintf(out,
            "Usage: %s [options]\n"
            "Serves the Convo Pilot video API (POST /api/convo_pilot/video, ...) over HTTP.\n"
            "\n"
            "  --listen HOST:PORT      address to listen on (default %s; port 0 picks a free\n"
            "                          one and prints it)\n"
            "  --data-dir DIR          where jobs are stored (default ./maivid-data)\n"
            "  --workers N             jobs rendered at once (default 1)\n"
            "  --queue-limit N         jobs allowed to wait (default 100); more get 429\n"
            "  --queue URL             share one job queue with other servers on Redis:\n"
            "                          redis://[:password@]host[:port][/db] (env\n"
            "                          MAIVID_QUEUE_URL); all of them need the same --data-dir\n"
            "                          on shared storage\n"
            "  --comfyui URL           a ComfyUI server (repeat for several)\n"
            "  --models-dir DIR        extra ComfyUI API-format workflows (*.json) as models,\n"
            "                          and <MODEL>.checkpoint files (one line: the checkpoint\n"
            "                          file that model loads)\n"
            "  --checkpoint MODEL=FILE the checkpoint file a ComfyUI model loads, as ComfyUI\n"
            "                          lists it (repeatable; wins over <MODEL>.checkpoint),\n"
            "                          e.g. sdxl_turbo=sd_xl_turbo_1.0.safetensors\n"
            "  --api-key KEY           require this key (X-API-Key or Authorization: Bearer);\n"
            "                          default: $MAIVID_API_KEY, none if unset\n"
            "  --allow-private-urls    let song and webhook URLs reach loopback/private hosts\n"
            "  --cors-origin ORIGIN    send Access-Control-Allow-Origin: ORIGIN (e.g. '*')\n"
            "  --log-format text|json  format of the log lines on stderr (default text)\n"
            "  --http-threads N        HTTP worker threads, one per open connection (default\n"
            "                          256); an eighth (at least 2) is kept for clients that\n"
            "                          hold no connection yet, and when all are taken new\n"
            "                          connections get 503 at once instead of waiting\n"
            "  --max-client-connections N\n"
            "                          connections one client address may hold; more get 503\n"
            "                          (default: all workers but the reserve)\n"
            "  --request-timeout S     seconds a client has to send a whole request head, and\n"
            "                          then its whole body (default 10; an upload gets this\n"
            "                          plus its size at 32 KiB/s)\n"
            "  --render-nice N         nice value (0-19) of the threads running jobs, so the API\n"
            "                          stays responsive while videos render (default 10)\n"
            "  --webhook-secret-file F sign webhooks as Standard Webhooks do (webhook-id,\n"
            "                          webhook-timestamp, webhook-signature) with the secret\n"
            "                          in F: whsec_BASE64, e.g. made with\n"
            "                          echo whsec_$(openssl rand -base64 32),\n"
            "                          or plain text of 16 bytes or more\n"
            "  --webhook-secret S      the same with the secret itself (visible in the\n"
            "                          process list: prefer the file)\n"
            "  --keep-days DAYS        remove finished, failed and cancelled jobs this many\n"
            "                          days after they ended (default 0: keep them)\n"
            "  --max-data-size SIZE    while all jobs' files exceed SIZE (bytes, or e.g. 500M,\n"
            "                          20G), remove the ended jobs that ended first (default:\n"
            "                          no cap); queued and running jobs are never removed\n"
            "  --suno-token-file FILE  a Suno session token (the __session cookie of a logged-in\n"
            "                          suno.com tab) in FILE: Suno songs get Suno's own word\n"
            "                          times for their captions; default: $MAIVID_SUNO_TOKEN\n"
            "  --no-ui                 do not serve MaiVid Studio (the web page at /); the API\n"
            "                          stays\n"
            "  --help                  show this help\n"
            "  --version               show the version\n"
            "\n"
            "See maivid-server(1) and GET /api/openapi.json for the API.\n",
            program, MV_SERVER_DEFAULT_LISTEN);
}

static int mv_parse_count(const char *text, const char *flag, unsigned low, unsigned high,
                          unsigned *out, char *err, size_t err_size)
{
    char *end = NULL;
    errno = 0;
    unsigned long value = strtoul(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-' || value < low ||
        value > high) {
        snprintf(err, err_size, "%s '%s' is not a number from %u to %u: pass e.g. %s %u", flag,
                 text, low, high, flag, low);
        return -1;
    }
    *out = (unsigned)value;
    return 0;
}

/* Appends a repeatable option's value to its owned array. */
static int mv_append_arg(const char ***list, size_t *count, const char *arg, char *err,
                         size_t err_size)
{
    const char **grown = realloc(*list, (*count + 1) * sizeof(*grown));
    if (grown == NULL) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    grown[(*count)++] = arg;
    *list = grown;
    return 0;
}

/* --keep-days: a number of days >= 0 (fractions allowed; 0 keeps jobs forever). */
static int mv_parse_keep_days(const char *text, double *out, char *err, size_t err_size)
{
    char *end = NULL;
    errno = 0;
    double value = strtod(text, &end);
    if (errno != 0 || end == text || *end != '\0' || !(value >= 0) || value > 36500) {
        snprintf(err, err_size, "--keep-days '%s' is not a number of days from 0 to 36500: "
                 "pass e.g. --keep-days 7 (0 keeps jobs forever)", text);
        return -1;
    }
    *out = value;
    return 0;
}

/* --max-data-size: bytes, or with a K, M, G or T suffix (powers of 1024). */
static int mv_parse_data_size(const char *text, uint64_t *out, char *err, size_t err_size)
{
    char *end = NULL;
    errno = 0;
    unsigned long long value = strtoull(text, &end, 10);
    static const char units[] = "KMGT";
    const char *unit = end != text && *end != '\0' && end[1] == '\0'
                           ? strchr(units, toupper((unsigned char)*end))
                           : NULL;
    unsigned shift = unit != NULL ? 10u * (unsigned)(unit - units + 1) : 0;
    if (unit != NULL) {
        end++;
    }
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-' ||
        (shift > 0 && value > (UINT64_MAX >> shift))) {
        snprintf(err, err_size, "--max-data-size '%s' is not a size: pass bytes or a number "
                 "with K, M, G or T, e.g. --max-data-size 20G", text);
        return -1;
    }
    *out = (uint64_t)value << shift;
    return 0;
}

static int mv_add_comfyui(mv_server_options *opts, const char *url, char *err, size_t err_size)
{
    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
        snprintf(err, err_size,
                 "--comfyui '%s' is not an http(s) URL: pass e.g. --comfyui http://127.0.0.1:8188",
                 url);
        return -1;
    }
    return mv_append_arg(&opts->comfyui_urls, &opts->comfyui_url_count, url, err, err_size);
}

static int mv_add_checkpoint(mv_server_options *opts, const char *arg, char *err,
                             size_t err_size)
{
    if (!strchr(arg, '=') || arg[0] == '=') {
        snprintf(err, err_size, "--checkpoint '%s' is not MODEL=FILE: pass e.g. --checkpoint "
                                "sdxl_turbo=sd_xl_turbo_1.0.safetensors", arg);
        return -1;
    }
    return mv_append_arg(&opts->checkpoints, &opts->checkpoint_count, arg, err, err_size);
}

int mv_server_options_parse(mv_server_options *opts, int argc, char **argv, char *err,
                            size_t err_size)
{
    memset(opts, 0, sizeof(*opts));
    opts->listen = MV_SERVER_DEFAULT_LISTEN;
    opts->http_threads = 256;
    opts->request_timeout_ms = 10000;
    opts->render_nice = 10;
    opts->api_key = getenv("MAIVID_API_KEY");
    optind = 1;
    opterr = 0;
    int option;
    while ((option = getopt_long(argc, argv, "", MV_LONG_OPTIONS, NULL)) != -1) {
        int rc = 0;
        switch (option) {
        case OPT_LISTEN: opts->listen = optarg; break;
        case OPT_DATA_DIR: opts->data_dir = optarg; break;
        case OPT_QUEUE: opts->queue_url = optarg; break;
        case OPT_WORKERS:
            rc = mv_parse_count(optarg, "--workers", 1, 64, &opts->workers, err, err_size);
            break;
        case OPT_QUEUE_LIMIT:
            rc = mv_parse_count(optarg, "--queue-limit", 1, 100000, &opts->queue_limit, err,
                                err_size);
            break;
        case OPT_COMFYUI: rc = mv_add_comfyui(opts, optarg, err, err_size); break;
        case OPT_MODELS_DIR: opts->models_dir = optarg; break;
        case OPT_CHECKPOINT: rc = mv_add_checkpoint(opts, optarg, err, err_size); break;
        case OPT_API_KEY: opts->api_key = optarg; break;
        case OPT_ALLOW_PRIVATE: opts->allow_private_urls = 1; break;
        case OPT_CORS: opts->cors_origin = optarg; break;
        case OPT_LOG_FORMAT:
            if (strcmp(optarg, "text") == 0) {
                opts->log_format = MV_LOG_TEXT;
            } else if (strcmp(optarg, "json") == 0) {
                opts->log_format = MV_LOG_JSON;
            } else {
                snprintf(err, err_size, "--log-format '%s' is unknown: use text or json", optarg);
                rc = -1;
            }
            break;
        case OPT_HTTP_THREADS:
            rc = mv_parse_count(optarg, "--http-threads", 2, 1024, &opts->http_threads, err,
                                err_size);
            break;
        case OPT_RENDER_NICE: {
            unsigned nice_value = 0;
            rc = mv_parse_count(optarg, "--render-nice", 0, 19, &nice_value, err, err_size);
            opts->render_nice = (int)nice_value;
            break;
        }
        case OPT_MAX_CLIENT_CONNECTIONS:
            rc = mv_parse_count(optarg, "--max-client-connections", 1, 4096,
                                &opts->max_client_connections, err, err_size);
            break;
        case OPT_REQUEST_TIMEOUT: {
            unsigned seconds = 0;
            rc = mv_parse_count(optarg, "--request-timeout", 1, 600, &seconds, err, err_size);
            opts->request_timeout_ms = seconds * 1000;
            break;
        }
        case OPT_WEBHOOK_SECRET: opts->webhook_secret = optarg; break;
        case OPT_WEBHOOK_SECRET_FILE: opts->webhook_secret_file = optarg; break;
        case OPT_KEEP_DAYS:
            rc = mv_parse_keep_days(optarg, &opts->keep_days, err, err_size);
            break;
        case OPT_MAX_DATA_SIZE:
            rc = mv_parse_data_size(optarg, &opts->max_data_bytes, err, err_size);
            break;
        case OPT_SUNO_TOKEN_FILE: opts->suno_token_file = optarg; break;
        case OPT_NO_UI: opts->no_ui = 1; break;
        case OPT_HELP: opts->show_help = 1; break;
        case OPT_VERSION: opts->show_version = 1; break;
        default:
            if (optopt != 0) {
                snprintf(err, err_size, "option '%s' needs a value: see --help",
                         argv[optind - 1]);
            } else {
                snprintf(err, err_size, "unknown option '%s': see --help", argv[optind - 1]);
            }
            rc = -1;
            break;
        }
        if (rc != 0) {
            mv_server_options_free(opts);
            return -1;
        }
    }
    if (optind < argc) {
        snprintf(err, err_size, "unexpected argument '%s': maivid-server takes only options "
                                "(see --help)", argv[optind]);
        mv_server_options_free(opts);
        return -1;
    }
    if (opts->api_key != NULL && opts->api_key[0] == '\0') {
        opts->api_key = NULL;
    }
    return 0;
}

void mv_server_options_free(mv_server_options *opts)
{
    free(opts->comfyui_urls);
    opts->comfyui_urls = NULL;
    free(opts->checkpoints);
    opts->checkpoints = NULL;
    opts->comfyui_url_count = 0;
}
