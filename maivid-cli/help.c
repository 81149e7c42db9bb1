/*
 * help.c - the --help text of every command and the way usage errors are reported. The
 * job options of 'generate' are listed from the library's parameter table.
 */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct mv_cli_help {
    const char *command;
    const char *text;
} mv_cli_help;

static const char mv_cli_overview[] =
    "Usage: maivid-cli COMMAND [OPTIONS] [ARGS]\n"
    "Makes music videos from songs, locally with libmaivid or through a maivid-server.\n"
    "\n"
    "Commands:\n"
    "  generate SOURCE   make a video from a song URL or a local audio file\n"
    "  models            the image models (table, or JSON with --json)\n"
    "  styles            the visual styles\n"
    "  transitions       the transitions between scenes\n"
    "  list              the jobs in the data directory (or on the server)\n"
    "  status JOB_ID     one job's progress and result\n"
    "  cancel JOB_ID     cancel a queued or running job\n"
    "  resume JOB_ID     finish a failed or cancelled job (local only)\n"
    "  help [COMMAND]    this text, or a command's\n"
    "\n"
    "Options for every command:\n"
    "      --server URL    talk to a running maivid-server (or set MAIVID_SERVER)\n"
    "      --api-key KEY   the server's API key (or set MAIVID_API_KEY)\n"
    "      --data-dir DIR  local jobs folder (or MAIVID_DATA_DIR; default\n"
    "                      $XDG_DATA_HOME/maivid or ~/.local/share/maivid)\n"
    "      --queue URL     submit to and follow the servers' shared Redis queue,\n"
    "                      redis://[:password@]host[:port][/db] (or MAIVID_QUEUE_URL);\n"
    "                      --data-dir must be their shared data directory\n"
    "      --json          print JSON on stdout instead of tables\n"
    "      --suno-token-file FILE  a Suno session token (the __session cookie of a\n"
    "                      logged-in suno.com tab; or MAIVID_SUNO_TOKEN): Suno songs\n"
    "                      get Suno's own word times for their captions (local mode)\n"
    "  -q, --quiet         no live progress line, plain lines per stage only\n"
    "  -v, --verbose       also print the engine's log messages\n"
    "  -h, --help          help (for a command: maivid-cli COMMAND --help)\n"
    "  -V, --version       print the version\n"
    "\n"
    "Exit status: 0 done, 1 the job failed, 2 usage error, 3 the song could not be\n"
    "fetched, 130 interrupted by Ctrl-C (the job is cancelled, no output is left).\n"
    "See maivid-cli(1).\n";

static const char mv_cli_help_generate[] =
    "Usage: maivid-cli generate SOURCE [OPTIONS]\n"
    "Makes a music video from SOURCE, a song URL (Suno link, audio URL) or a local audio\n"
    "file, shows the progress on stderr and prints the MP4's path on stdout.\n"
    "\n"
    "  -o, --output FILE        where to save the MP4 (default: the song's title plus\n"
    "                           .mp4 in the current directory, never overwriting a file:\n"
    "                           \"Title (2).mp4\" and so on). An explicit FILE is replaced\n"
    "                           if it exists; a directory gets the default name inside.\n"
    "      --comfyui URL        a ComfyUI server (repeatable; or MAIVID_COMFYUI_URL,\n"
    "                           comma separated)\n"
    "      --checkpoint MODEL=FILE\n"
    "                           the checkpoint file a ComfyUI model loads, as ComfyUI\n"
    "                           lists it (repeatable), e.g.\n"
    "                           sdxl_turbo=sd_xl_turbo_1.0.safetensors\n"
    "      --models-dir DIR     extra ComfyUI workflows (*.json become models) and\n"
    "                           <MODEL>.checkpoint files (one line: the file name)\n"
    "      --keep               keep the job directory (see 'maivid-cli list')\n"
    "      --no-sidecars        no NAME.srt and NAME.lrc captions beside NAME.mp4\n"
    "      --json               print the final status as JSON instead of the path\n"
    "\n"
    "What to make (the job's parameters):\n";

static const char mv_cli_help_generate_end[] =
    "\n"
    "Without a ComfyUI server (--comfyui or MAIVID_COMFYUI_URL) --model defaults to\n"
    "procedural, the built-in painter.\n"
    "Without --keep the job is deleted once the MP4 is saved, when it is cancelled or when\n"
    "its song cannot be fetched; a job that failed later is kept for 'maivid-cli resume'.\n"
    "With --server the server fetches SOURCE, so it must be a URL.\n";

static const char mv_cli_help_catalog[] =
    "Usage: maivid-cli models|styles|transitions [--json] [--server URL]\n"
    "       maivid-cli models [--comfyui URL] [--checkpoint MODEL=FILE] [--models-dir DIR]\n"
    "Prints the catalog as a table (id, name, description; models also say whether they\n"
    "are usable right now, and under the table why not and how to fix it), or as the\n"
    "JSON array with --json (\"unusable_reason\").\n";

static const char mv_cli_help_list[] =
    "Usage: maivid-cli list [--json] [--data-dir DIR | --server URL]\n"
    "Lists the jobs, newest first: id, status, progress, stage and title.\n";

static const char mv_cli_help_status[] =
    "Usage: maivid-cli status JOB_ID [--json] [--data-dir DIR | --server URL]\n"
    "Prints one job's state, stage, progress, error and video path (JSON with --json).\n";

static const char mv_cli_help_cancel[] =
    "Usage: maivid-cli cancel JOB_ID [--data-dir DIR | --server URL]\n"
    "Cancels a queued or running job; its partial outputs are removed and it stays listed\n"
    "as cancelled. To stop a 'generate' running in this terminal, press Ctrl-C.\n";

static const char mv_cli_help_resume[] =
    "Usage: maivid-cli resume JOB_ID [-o FILE] [--keep] [--json] [--data-dir DIR]\n"
    "Runs a failed or cancelled local job again, keeping the stages already done, follows\n"
    "its progress and saves the MP4 like 'generate'.\n";

static const mv_cli_help mv_cli_helps[] = {
    {"generate", mv_cli_help_generate}, {"models", mv_cli_help_catalog},
    {"styles", mv_cli_help_catalog},    {"transitions", mv_cli_help_catalog},
    {"list", mv_cli_help_list},         {"status", mv_cli_help_status},
    {"cancel", mv_cli_help_cancel},     {"resume", mv_cli_help_resume},
    {"help", mv_cli_overview},
};

/* Prints `text` from column 27, wrapped before column 88. */
static void mv_cli_print_wrapped(const char *text, size_t column)
{
    const size_t width = 88;
    while (*text) {
        size_t room = width - column, n = strlen(text);
        if (n > room) {
            n = room;
            while (n > 0 && text[n] != ' ')
                n--;
            if (n == 0)
                n = room;
        }
        printf("%.*s\n", (int)n, text);
        text += n;
        while (*text == ' ')
            text++;
        if (*text)
            printf("%27s", "");
        column = 27;
    }
}

/* The ids of a catalog the library knows without an engine, as "a, b, c". */
static void mv_cli_catalog_ids(int catalog, char *buf, size_t size)
{
    buf[0] = '\0';
    char *text = catalog == MAIVID_CATALOG_MODELS ? NULL
                                                  : maivid_catalog_json(NULL, (maivid_catalog)catalog, 0);
    cJSON *entries = text ? cJSON_Parse(text) : NULL;
    maivid_free(text);
    size_t used = 0;
    const cJSON *entry;
    cJSON_ArrayForEach(entry, entries) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(entry, "id");
        if (cJSON_IsString(id) && used < size)
            used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? ", " : "",
                                     id->valuestring);
    }
    cJSON_Delete(entries);
}

/* One help line per job parameter with a CLI option, from the library's table. */
static void mv_cli_print_param_help(void)
{
    for (size_t i = 0; i < maivid_param_count(); i++) {
        const maivid_param_info *info = maivid_param_at(i);
        if (!info->cli_long)
            continue;
        char left[64], text[1024], ids[512] = "", expect[160];
        if (info->cli_short)
            snprintf(left, sizeof left, "  -%c, --%s %s", info->cli_short, info->cli_long,
                     info->cli_metavar);
        else
            snprintf(left, sizeof left, "      --%s %s", info->cli_long, info->cli_metavar);
        size_t used = (size_t)snprintf(text, sizeof text, "%s", info->help);
        if (info->type != MAIVID_PARAM_STRING) {
            used += (size_t)snprintf(text + used, sizeof text - used, ": %s",
                                     maivid_param_expect(info, expect, sizeof expect));
            if (!strstr(expect, "(the default)") && info->default_text)
                used += (size_t)snprintf(text + used, sizeof text - used, " (default %s)",
                                         info->default_text);
        } else if (info->default_text) {
            used += (size_t)snprintf(text + used, sizeof text - used, " (default %s)",
                                     info->default_text);
        }
        const char *command = info->catalog == MAIVID_CATALOG_MODELS        ? "models"
                              : info->catalog == MAIVID_CATALOG_STYLES      ? "styles"
                              : info->catalog == MAIVID_CATALOG_TRANSITIONS ? "transitions"
                                                                            : NULL;
        if (info->catalog != MAIVID_PARAM_NO_CATALOG)
            mv_cli_catalog_ids(info->catalog, ids, sizeof ids);
        if (ids[0] && (strlen(ids) < 60 || !command))
            snprintf(text + used, sizeof text - used, ": %s%s", ids,
                     (info->flags & MAIVID_PARAM_AUTO) ? ", auto" : "");
        else if (command)
            snprintf(text + used, sizeof text - used, "; %sthe ids of 'maivid-cli %s'",
                     (info->flags & MAIVID_PARAM_AUTO) ? "auto or " : "", command);
        if (strlen(left) < 27)
            printf("%-27s", left);
        else
            printf("%s\n%27s", left, "");
        mv_cli_print_wrapped(text, 27);
    }
}

int mv_cli_print_help(const char *command)
{
    if (command && (strcmp(command, "generate") == 0)) {
        fputs(mv_cli_help_generate, stdout);
        mv_cli_print_param_help();
        fputs(mv_cli_help_generate_end, stdout);
        return 0;
    }
    if (!command) {
        fputs(mv_cli_overview, stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof mv_cli_helps / sizeof mv_cli_helps[0]; i++) {
        if (strcmp(mv_cli_helps[i].command, command) == 0) {
            fputs(mv_cli_helps[i].text, stdout);
            return 0;
        }
    }
    return -1;
}

void mv_cli_error(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    fputs("maivid-cli: ", stderr);
    vfprintf(stderr, format, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int mv_cli_usage_error(const char *command, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    fputs("maivid-cli: ", stderr);
    vfprintf(stderr, format, ap);
    fputc('\n', stderr);
    va_end(ap);
    int known = 0;
    for (size_t i = 0; command && i < sizeof mv_cli_helps / sizeof mv_cli_helps[0]; i++)
        known |= strcmp(mv_cli_helps[i].command, command) == 0;
    if (known)
        fprintf(stderr, "Try 'maivid-cli %s --help'.\n", command);
    else
        fputs("Try 'maivid-cli --help'.\n", stderr);
    return MV_CLI_EXIT_USAGE;
}
