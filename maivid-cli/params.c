/*
 * params.c - the job parameters given on the command line, driven by the library's
 * parameter table: into a maivid_job_params for a local job, or into the JSON body of a
 * server's create request (with the same field names the server reads).
 */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *mv_cli_param(const mv_cli_opts *opts, const char *name)
{
    for (size_t i = 0; i < maivid_param_count() && i < MV_CLI_MAX_PARAMS; i++)
        if (strcmp(maivid_param_at(i)->name, name) == 0)
            return opts->params[i];
    return NULL;
}

char *mv_cli_read_param_file(const maivid_param_info *info, const char *path)
{
    size_t limit = (size_t)info->max;
    FILE *f = fopen(path, "rb");
    int saved = errno;
    char *buf = f ? malloc(limit + 2) : NULL;
    size_t n = buf ? fread(buf, 1, limit + 1, f) : 0;
    int failed = !buf || ferror(f);
    if (f)
        fclose(f);
    if (failed || n > limit) {
        free(buf);
        if (!failed)
            mv_cli_usage_error("generate", "the --%s file '%s' is larger than %zu bytes",
                               info->cli_long, path, limit);
        else
            mv_cli_usage_error("generate", "cannot read the %s file '%s': %s", info->cli_long,
                               path, strerror(f ? ENOMEM : saved));
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

int mv_cli_params_apply(const mv_cli_opts *opts, maivid_job_params *p, char **owned)
{
    for (size_t i = 0; i < maivid_param_count() && i < MV_CLI_MAX_PARAMS; i++) {
        const maivid_param_info *info = maivid_param_at(i);
        const char *value = opts->params[i];
        if (!value)
            continue;
        struct stat st;
        if ((info->flags & MAIVID_PARAM_FILE) && stat(value, &st) != 0)
            return mv_cli_usage_error("generate", "cannot read the %s '%s': %s", info->cli_long,
                                      value, strerror(errno));
        if (info->flags & MAIVID_PARAM_CLI_FILE) {
            owned[i] = mv_cli_read_param_file(info, value);
            if (!owned[i])
                return MV_CLI_EXIT_USAGE;
            value = owned[i];
        }
        char err[512];
        if (maivid_job_params_set(p, info->name, value, err, sizeof err) != MAIVID_OK)
            return mv_cli_usage_error("generate", "--%s: %s", info->cli_long, err);
    }
    return MV_CLI_EXIT_OK;
}

int mv_cli_params_to_json(const mv_cli_opts *opts, cJSON *body)
{
    for (size_t i = 0; i < maivid_param_count() && i < MV_CLI_MAX_PARAMS; i++) {
        const maivid_param_info *info = maivid_param_at(i);
        const char *value = opts->params[i];
        if (!value)
            continue;
        if (!(info->flags & MAIVID_PARAM_API))
            return mv_cli_usage_error("generate", "--%s only works locally: the server does "
                                      "not take it%s", info->cli_long,
                                      (info->flags & MAIVID_PARAM_FILE)
                                          ? " (put the file on the server; for a workflow, in "
                                            "its --models-dir, and pass its id with --model)"
                                          : "");
        if (info->flags & MAIVID_PARAM_CLI_FILE) {
            char *text = mv_cli_read_param_file(info, value);
            if (!text)
                return MV_CLI_EXIT_USAGE;
            cJSON_AddStringToObject(body, info->name, text);
            free(text);
        } else if (info->type == MAIVID_PARAM_STRING) {
            cJSON_AddStringToObject(body, info->name, value);
        } else {
            cJSON_AddNumberToObject(body, info->name, strtod(value, NULL));
        }
    }
    return MV_CLI_EXIT_OK;
}
