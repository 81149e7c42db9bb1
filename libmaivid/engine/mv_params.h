/*
 * mv_params.h - the library's side of the parameter table (maivid_params.h): reaching a
 * parameter's member in a maivid_job_params and checking one value without an engine.
 */
#ifndef MV_PARAMS_H
#define MV_PARAMS_H

#include "maivid/maivid.h"
#include "util/mv_common.h"

/* The table (count in *count). */
const maivid_param_info *mv_params(size_t *count);

/* Whether the caller's struct (its struct_size) has the parameter's member. */
int mv_param_present(const maivid_param_info *info, const maivid_job_params *p);
/* A string parameter's value (NULL when unset). */
const char *mv_param_string(const maivid_param_info *info, const maivid_job_params *p);
void mv_param_set_string(const maivid_param_info *info, maivid_job_params *p, const char *value);
/* A number parameter's value as a double, and setting it. */
double mv_param_number(const maivid_param_info *info, const maivid_job_params *p);
void mv_param_set_number(const maivid_param_info *info, maivid_job_params *p, double value);
/* The default as a number (0 when none). */
double mv_param_default_number(const maivid_param_info *info);

/* Checks the value `info` has in `p`: numbers in range (or the default), strings within
 * the length limit, valid UTF-8, URLs well formed. Catalogs and files are not checked here.
 * Errors name the field, the problem and what is valid. */
maivid_code mv_param_check(const maivid_param_info *info, const maivid_job_params *p,
                           mv_error *err);

#endif /* MV_PARAMS_H */
