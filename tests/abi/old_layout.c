/*
 * old_layout.c - a program built against OLDER public structs (maivid_0_1.h, not maivid.h)
 * and run with today's libmaivid.so.0: the inits, config_from_env, params set/get, engine
 * open and job create must write nothing past the end of the caller's struct (guard bytes
 * after it, then an inaccessible page) and read nothing past it either (the guard bytes
 * would be garbage pointers), and the members the old struct lacks take their defaults.
 * Prints "FAIL: ..." and exits 1 on the first problem.
 */
#define _GNU_SOURCE
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "maivid_0_1.h"

enum { GUARD = 64 };

static int failures;

#define CHECK(cond, ...)                                                                    \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            fprintf(stderr, "FAIL: " __VA_ARGS__);                                          \
            fprintf(stderr, " (%s:%d)\n", __FILE__, __LINE__);                             \
            failures++;                                                                     \
        }                                                                                   \
    } while (0)

/* `size` bytes that end GUARD bytes (0xA5) before an inaccessible page. */
static void *guarded(size_t size)
{
    long page = sysconf(_SC_PAGESIZE);
    char *base = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                      -1, 0);
    if (base == MAP_FAILED || mprotect(base + page, (size_t)page, PROT_NONE) != 0) {
        perror("mmap");
        exit(2);
    }
    char *end = base + page;
    memset(end - GUARD, 0xA5, GUARD);
    char *object = end - GUARD - size;
    memset(object, 0x5A, size);
    return object;
}

static int guard_intact(const void *object, size_t size)
{
    const unsigned char *g = (const unsigned char *)object + size;
    for (int i = 0; i < GUARD; i++)
        if (g[i] != 0xA5)
            return 0;
    return 1;
}

static void test_0_1_layout(const char *data_dir)
{
    config_0_1 *c = guarded(sizeof *c);
    maivid_config_init(c); /* the 0.1.0 symbol */
    CHECK(guard_intact(c, sizeof *c), "maivid_config_init() wrote past a 0.1.0 maivid_config");
    CHECK(c->struct_size == sizeof *c, "0.1.0 config struct_size %zu, want %zu",
          c->struct_size, sizeof *c);
    CHECK(c->workers == 1 && c->resume_jobs == 1 && c->data_dir != NULL,
          "0.1.0 config defaults missing");
    params_0_1 *p = guarded(sizeof *p);
    maivid_job_params_init(p);
    CHECK(guard_intact(p, sizeof *p), "maivid_job_params_init() wrote past 0.1.0 params");
    CHECK(p->struct_size == sizeof *p && p->fps == 30, "0.1.0 params not initialised");

    c->data_dir = data_dir;
    maivid_engine *e = NULL;
    char err[512] = "";
    CHECK(maivid_engine_open(c, &e, err, sizeof err) == 0, "open with a 0.1.0 config: %s", err);
    if (!e)
        return;
    p->url = "http://127.0.0.1:9/song.wav";
    p->model = "procedural";
    char id[32];
    CHECK(maivid_job_create(e, p, id, err, sizeof err) == 0, "create with 0.1.0 params: %s", err);
    maivid_engine_close(e);
    CHECK(guard_intact(c, sizeof *c) && guard_intact(p, sizeof *p), "guards changed by a job");
}

static void test_short_layout(const char *data_dir)
{
    config_short *c = guarded(sizeof *c);
    maivid_config_init_sized(c, sizeof *c);
    CHECK(guard_intact(c, sizeof *c), "maivid_config_init_sized() wrote past its size");
    CHECK(c->struct_size == sizeof *c, "short config struct_size %zu", c->struct_size);
    setenv("MAIVID_STT_URL", "http://127.0.0.1:9", 1);
    setenv("MAIVID_LLM_API_KEY", "secret", 1);
    maivid_config_from_env(c);
    CHECK(guard_intact(c, sizeof *c), "maivid_config_from_env() wrote past a short config");

    params_short *p = guarded(sizeof *p);
    maivid_job_params_init_sized(p, sizeof *p);
    CHECK(guard_intact(p, sizeof *p), "maivid_job_params_init_sized() wrote past its size");
    char err[512] = "";
    CHECK(maivid_job_params_set(p, "callback_url", "https://example.com/hook", err,
                                sizeof err) != 0, "set a member the struct lacks");
    CHECK(guard_intact(p, sizeof *p), "maivid_job_params_set() wrote past a short struct");
    CHECK(isnan(maivid_job_params_number(p, maivid_param_find("image_failure_tolerance"))),
          "read a member the struct lacks");
    CHECK(maivid_job_params_set(p, "fps", "24", err, sizeof err) == 0, "set fps: %s", err);

    /* stages of version 0: user_data only; what follows is garbage, never to be called */
    struct {
        int version;
        void *user_data;
    } *stages = guarded(sizeof *stages);
    stages->version = 0;
    stages->user_data = NULL;
    c->stages = (const old_stages_v1 *)stages;
    c->data_dir = data_dir;
    maivid_engine *e = NULL;
    CHECK(maivid_engine_open(c, &e, err, sizeof err) == 0, "open with a short config: %s", err);
    if (!e)
        return;
    p->url = "http://127.0.0.1:9/song.wav";
    p->model = "procedural";
    char id[32];
    CHECK(maivid_job_create(e, p, id, err, sizeof err) == 0, "create with short params: %s", err);
    maivid_status *st = NULL;
    if (maivid_job_status(e, id, &st) == 0) {
        char *json = maivid_status_to_json(st, 0);
        CHECK(json && strstr(json, "\"image_failure_tolerance\":0"),
              "the missing image_failure_tolerance is not its default: %s", json ? json : "");
        CHECK(json && strstr(json, "\"fps\":24"), "fps not taken from the short struct");
        maivid_free(json);
        maivid_status_free(st);
    }
    maivid_job_cancel(e, id);
    maivid_engine_close(e);
    CHECK(guard_intact(c, sizeof *c) && guard_intact(p, sizeof *p), "guards changed by a job");
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s WORK_DIR\n", argv[0]);
        return 2;
    }
    char work[4096], dir[4200];
    mkdir(argv[1], 0700);
    snprintf(work, sizeof work, "%s/run-XXXXXX", argv[1]);
    if (!mkdtemp(work)) {
        perror(work);
        return 2;
    }
    snprintf(dir, sizeof dir, "%s/0.1", work);
    test_0_1_layout(dir);
    snprintf(dir, sizeof dir, "%s/short", work);
    test_short_layout(dir);
    nftw(work, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    if (failures == 0)
        printf("old layouts: nothing written or read past the caller's structs\n");
    return failures ? 1 : 0;
}
