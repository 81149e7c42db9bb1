/*
 * mv_abi.h - the sizes of the public structs as each release laid them out, so the library
 * reads and writes only what a caller's struct holds (the ABI rules in maivid.h's header
 * comment). A struct only ever grows at its end; append a row here when one does.
 */
#ifndef MV_ABI_H
#define MV_ABI_H

#include <stddef.h>
#include <string.h>

#include "maivid/maivid.h"

#define MV_END_OF(type, member) (offsetof(type, member) + sizeof(((type *)0)->member))

/* The layouts of 0.1.0, written by the unsized maivid_config_init() and
 * maivid_job_params_init() that programs built against 0.1.0 call. */
#define MV_CONFIG_SIZE_0_1 MV_END_OF(maivid_config, stt_api_key)
#define MV_JOB_PARAMS_SIZE_0_1 MV_END_OF(maivid_job_params, callback_url)

/* The smallest struct_size taken as an initialised struct. */
#define MV_CONFIG_SIZE_MIN MV_END_OF(maivid_config, data_dir)
#define MV_JOB_PARAMS_SIZE_MIN MV_END_OF(maivid_job_params, local_path)

/* maivid_stages: the size of the members each version has, indexed by version (a version
 * newer than the last row reads the last row's members). */
#define MV_STAGES_SIZES \
    { MV_END_OF(maivid_stages, user_data), MV_END_OF(maivid_stages, on_event) }

/* Copies the first min(size, full) bytes of `src` over `dst` (a full-size struct holding
 * the defaults): what the caller's struct has wins, the rest keeps the defaults. */
static inline void mv_abi_copy_in(void *dst, size_t full, const void *src, size_t size)
{
    memcpy(dst, src, size < full ? size : full);
}

#endif /* MV_ABI_H */
