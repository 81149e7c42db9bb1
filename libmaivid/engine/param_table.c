/*
 * param_table.c - the parameter table generated from MAIVID_JOB_PARAMS (maivid_params.h),
 * its public accessors, maivid_job_params_init() and _set(), and the per-value checks
 * every part shares. To add a parameter see the comment at the top of maivid_params.h.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/mv_params.h"
#include "util/mv_url.h"
#include "util/mv_utf8.h"

#define MV_PARAM_ROW(type, member, name, def, lo, hi, catalog, flags, cli, cli_short, metavar, \
                     help)                                                                     \
    {name, #member, MAIVID_PARAM_##type, def, lo, hi, catalog, flags, cli, cli_short, metavar,   \
     help, offsetof(maivid_job_params, member)},

static const maivid_param_info mv_param_table[] = {MAIVID_JOB_PARAMS(MV_PARAM_ROW)};

#define MV_PARAM_COUNT (sizeof mv_param_table / sizeof mv_param_table[0])

const maivid_param_info *mv_params(size_t *count)
{
    *count = MV_PARAM_COUNT;
    return mv_param_table;
}

MAIVID_API size_t maivid_param_count(void)
{
    return MV_PARAM_COUNT;
}

MAIVID_API const maivid_param_info *maivid_param_at(size_t index)
{
    return index < MV_PARAM_COUNT ? &mv_param_table[index] : NULL;
}

MAIVID_API const maivid_param_info *maivid_param_find(const char *name)
{
    for (size_t i = 0; name && i < MV_PARAM_COUNT; i++)
        if (strcmp(mv_param_table[i].name, name) == 0 || strcmp(mv_param_table[i].member, name) == 0)
            return &mv_param_table[i];
    return NULL;
}

/* ---------------------------------------------------------------- member access */

static size_t mv_param_size(const maivid_param_info *info)
{
    switch (info->type) {
    case MAIVID_PARAM_STRING: return sizeof(const char *);
    case MAIVID_PARAM_INT: return sizeof(int);
    case MAIVID_PARAM_INT64: return sizeof(int64_t);
    case MAIVID_PARAM_NUMBER: return sizeof(double);
    }
    return 0;
}

int mv_param_present(const maivid_param_info *info, const maivid_job_params *p)
{
    return p->struct_size >= info->offset + mv_param_size(info);
}

const char *mv_param_string(const maivid_param_info *info, const maivid_job_params *p)
{
    const char *s;
    memcpy(&s, (const char *)p + info->offset, sizeof s);
    return s;
}

void mv_param_set_string(const maivid_param_info *info, maivid_job_params *p, const char *value)
{
    memcpy((char *)p + info->offset, &value, sizeof value);
}

double mv_param_number(const maivid_param_info *info, const maivid_job_params *p)
{
    const char *at = (const char *)p + info->offset;
    int i;
    int64_t l;
    double d;
    switch (info->type) {
    case MAIVID_PARAM_INT: memcpy(&i, at, sizeof i); return i;
    case MAIVID_PARAM_INT64: memcpy(&l, at, sizeof l); return (double)l;
    case MAIVID_PARAM_NUMBER: memcpy(&d, at, sizeof d); return d;
    case MAIVID_PARAM_STRING: break;
    }
    return NAN;
}

void mv_param_set_number(const maivid_param_info *info, maivid_job_params *p, double value)
{
    char *at = (char *)p + info->offset;
    if (!(value > -9.0e18 && value < 9.0e18))
        value = 0; /* NaN or beyond any integer: the checks refuse 0 where it is not valid */
    int i = value > INT_MIN && value < INT_MAX ? (int)value : 0;
    int64_t l = (int64_t)value;
    switch (info->type) {
    case MAIVID_PARAM_INT: memcpy(at, &i, sizeof i); break;
    case MAIVID_PARAM_INT64: memcpy(at, &l, sizeof l); break;
    case MAIVID_PARAM_NUMBER: memcpy(at, &value, sizeof value); break;
    case MAIVID_PARAM_STRING: break;
    }
}

MAIVID_API const char *maivid_job_params_string(const maivid_job_params *p,
                                                const maivid_param_info *info)
{
    if (!p || !info || info->type != MAIVID_PARAM_STRING || !mv_param_present(info, p))
        return NULL;
    return mv_param_string(info, p);
}

MAIVID_API double maivid_job_params_number(const maivid_job_params *p,
                                           const maivid_param_info *info)
{
    if (!p || !info || info->type == MAIVID_PARAM_STRING || !mv_param_present(info, p))
        return NAN;
    return mv_param_number(info, p);
}

double mv_param_default_number(const maivid_param_info *info)
{
    return info->default_text ? strtod(info->default_text, NULL) : 0.0;
}

MAIVID_API void maivid_job_params_init(maivid_job_params *p)
{
    memset(p, 0, sizeof *p);
    p->struct_size = sizeof *p;
    for (size_t i = 0; i < MV_PARAM_COUNT; i++) {
        const maivid_param_info *info = &mv_param_table[i];
        if (info->type == MAIVID_PARAM_STRING)
            mv_param_set_string(info, p, info->default_text);
        else
            mv_param_set_number(info, p, mv_param_default_number(info));
    }
}

/* ---------------------------------------------------------------- checks */

MAIVID_API char *maivid_param_expect(const maivid_param_info *info, char *buf, size_t size)
{
    if (info->type == MAIVID_PARAM_STRING) {
        if (info->default_text)
            snprintf(buf, size, "a string, e.g. \"%s\"", info->default_text);
        else if (info->flags & MAIVID_PARAM_URL)
            snprintf(buf, size, "an http(s) URL as a string, e.g. \"https://example.com/a\"");
        else
            snprintf(buf, size, "a string of at most %.0f bytes", info->max);
        return buf;
    }
    int whole = info->type != MAIVID_PARAM_NUMBER;
    double def = mv_param_default_number(info);
    int def_outside = info->default_text && (def < info->min || def > info->max);
    snprintf(buf, size, whole ? "a whole number from %.0f to %.0f%s%s%s"
                              : "a number from %g to %g%s%s%s",
             info->min, info->max, def_outside ? ", or " : "",
             def_outside ? info->default_text : "", def_outside ? " (the default)" : "");
    return buf;
}

static int mv_param_number_ok(const maivid_param_info *info, double v)
{
    if (isnan(v))
        return 0;
    if (info->default_text && v == mv_param_default_number(info))
        return 1;
    if (info->type != MAIVID_PARAM_NUMBER && floor(v) != v)
        return 0;
    return v >= info->min && v <= info->max;
}

maivid_code mv_param_check(const maivid_param_info *info, const maivid_job_params *p,
                           mv_error *err)
{
    char expect[160];
    if (info->type != MAIVID_PARAM_STRING) {
        double v = mv_param_number(info, p);
        if (mv_param_number_ok(info, v))
            return MAIVID_OK;
        return mv_fail(err, MAIVID_E_INVALID, "'%s' %g is out of range: use %s (%s)", info->name,
                       v, maivid_param_expect(info, expect, sizeof expect), info->help);
    }
    const char *s = mv_param_string(info, p);
    if (!s || !*s)
        return MAIVID_OK;
    size_t length = strlen(s);
    if ((double)length > info->max)
        return mv_fail(err, MAIVID_E_INVALID, "'%s' is longer than %.0f bytes (got %zu)",
                       info->name, info->max, length);
    /* file names are bytes to the system, shown to nobody; all other text must be UTF-8 */
    if (!(info->flags & MAIVID_PARAM_FILE) && !mv_utf8_valid(s, length))
        return mv_fail(err, MAIVID_E_INVALID,
                       "'%s' is not valid UTF-8 text: send it UTF-8 encoded", info->name);
    char why[256];
    if ((info->flags & MAIVID_PARAM_URL) && mv_url_check(s, why, sizeof why) != 0)
        return mv_fail(err, MAIVID_E_INVALID, "'%s' is not a usable http(s) URL: %s (got '%.80s')",
                       info->name, why, s);
    return MAIVID_OK;
}

MAIVID_API maivid_code maivid_job_params_set(maivid_job_params *p, const char *name,
                                             const char *value, char *errbuf,
                                             size_t errbuf_size)
{
    mv_error err = {0};
    maivid_code rc = MAIVID_OK;
    const maivid_param_info *info = maivid_param_find(name);
    if (!p || !info) {
        rc = mv_fail(&err, p ? MAIVID_E_NOT_FOUND : MAIVID_E_INVALID,
                     "unknown job parameter '%s'", name ? name : "(null)");
    } else if (!mv_param_present(info, p)) {
        rc = mv_fail(&err, MAIVID_E_INVALID, "'%s' is newer than the caller's maivid_job_params",
                     info->name);
    } else if (info->type == MAIVID_PARAM_STRING) {
        const char *before = mv_param_string(info, p);
        mv_param_set_string(info, p, value ? value : info->default_text);
        rc = mv_param_check(info, p, &err);
        if (rc != MAIVID_OK)
            mv_param_set_string(info, p, before); /* a refused value leaves the old one */
    } else if (!value) {
        mv_param_set_number(info, p, mv_param_default_number(info));
    } else {
        char *end = NULL;
        errno = 0;
        double v = strtod(value, &end);
        char expect[160];
        if (errno || end == value || *end != '\0')
            rc = mv_fail(&err, MAIVID_E_INVALID, "'%s' must be %s, not '%.40s'", info->name,
                         maivid_param_expect(info, expect, sizeof expect), value);
        else if (!mv_param_number_ok(info, v))
            rc = mv_fail(&err, MAIVID_E_INVALID, "'%s' %s is out of range: use %s (%s)",
                         info->name, value, maivid_param_expect(info, expect, sizeof expect),
                         info->help);
        else
            mv_param_set_number(info, p, v);
    }
    if (rc != MAIVID_OK && errbuf && errbuf_size)
        snprintf(errbuf, errbuf_size, "%s", err.message);
    return rc;
}
