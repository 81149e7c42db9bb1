/*
 * cli_errors.c - end to end: every exit code of maivid-cli and what its messages say.
 *   0  --help, --version, the catalogs (tables and JSON)
 *   1  a job that fails (unreadable audio), an unknown job, an unreachable ComfyUI or server
 *   2  usage: no command, unknown command/option, bad numbers, unknown style or model (with
 *      the valid values), a ComfyUI model without ComfyUI, an impossible output directory
 *   3  the song cannot be fetched: a missing file, a URL where nothing listens
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cli_harness.h"
#include "maivid/maivid.h"
#include "mv_test_util.h"

typedef struct mv_fixture {
    char *dir;
    char song[4200], data_env[4300], jobs_dir[4200];
} mv_fixture;

static int mv_setup(void **state)
{
    mv_fixture *f = calloc(1, sizeof *f);
    f->dir = mv_test_tmpdir("cli-errors");
    assert_non_null(f->dir);
    snprintf(f->song, sizeof f->song, "%s/song.wav", f->dir);
    snprintf(f->data_env, sizeof f->data_env, "MAIVID_DATA_DIR=%s/data", f->dir);
    snprintf(f->jobs_dir, sizeof f->jobs_dir, "%s/data/jobs", f->dir);
    mv_test_song song = {.seconds = 3, .bpm = 120};
    assert_int_equal(mv_test_write_song_wav(f->song, &song), 0);
    *state = f;
    return 0;
}

static int mv_teardown(void **state)
{
    mv_fixture *f = *state;
    free(f->dir);
    free(f);
    return 0;
}

/* Runs the CLI; checks the exit code and that stderr (or stdout) contains `needle`. */
static void mv_expect(const mv_fixture *f, const char *const *args, int exit_code,
                      const char *err_needle, const char *out_needle)
{
    const char *env[] = {f->data_env, NULL};
    mv_cli_result r;
    mv_cli_run(args, env, f->dir, 60, &r);
    if (r.exit_code != exit_code || (err_needle && !strstr(r.err, err_needle)) ||
        (out_needle && !strstr(r.out, out_needle)))
        fprintf(stderr, "args[0]=%s exit=%d (want %d)\nstderr: %s\nstdout: %s\n", args[0],
                r.exit_code, exit_code, r.err, r.out);
    assert_int_equal(r.exit_code, exit_code);
    if (err_needle)
        assert_non_null(strstr(r.err, err_needle));
    if (out_needle)
        assert_non_null(strstr(r.out, out_needle));
    mv_cli_result_free(&r);
}

static void test_help_and_version(void **state)
{
    mv_fixture *f = *state;
    mv_expect(f, (const char *[]){"--help", NULL}, 0, NULL, "Usage: maivid-cli COMMAND");
    mv_expect(f, (const char *[]){"--version", NULL}, 0, NULL, "maivid-cli 0.1.0");
    const char *commands[] = {"generate", "models", "styles", "transitions", "list", "status",
                              "cancel", "resume"};
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        mv_expect(f, (const char *[]){commands[i], "--help", NULL}, 0, NULL, "Usage: maivid-cli");
        mv_expect(f, (const char *[]){"help", commands[i], NULL}, 0, NULL, "Usage: maivid-cli");
    }
    mv_expect(f, (const char *[]){"generate", "--help", NULL}, 0, NULL, "--transition-duration");
    /* every job parameter with a CLI option is in the help, from the library's table */
    for (size_t i = 0; i < maivid_param_count(); i++) {
        const maivid_param_info *info = maivid_param_at(i);
        if (!info->cli_long)
            continue;
        char flag[96];
        snprintf(flag, sizeof flag, "--%s %s", info->cli_long, info->cli_metavar);
        mv_expect(f, (const char *[]){"generate", "--help", NULL}, 0, NULL, flag);
    }
}

/* Every numeric job parameter's CLI option refuses a value out of its range, naming the
 * option and the valid range. */
static void test_table_options_checked(void **state)
{
    mv_fixture *f = *state;
    for (size_t i = 0; i < maivid_param_count(); i++) {
        const maivid_param_info *info = maivid_param_at(i);
        if (!info->cli_long || info->type == MAIVID_PARAM_STRING)
            continue;
        char flag[64], value[64], needle[96];
        snprintf(flag, sizeof flag, "--%s", info->cli_long);
        snprintf(value, sizeof value, "%.0f", info->max + 1);
        snprintf(needle, sizeof needle, "--%s wants", info->cli_long);
        mv_expect(f, (const char *[]){"generate", f->song, flag, value, NULL}, 2, needle, NULL);
    }
    mv_expect(f, (const char *[]){"generate", f->song, "--title", "caf\xE9", NULL}, 2,
              "'title' is not valid UTF-8", NULL);
}

static void test_catalogs(void **state)
{
    mv_fixture *f = *state;
    mv_expect(f, (const char *[]){"styles", NULL}, 0, NULL, "cinematic");
    mv_expect(f, (const char *[]){"transitions", NULL}, 0, NULL, "fade");
    mv_expect(f, (const char *[]){"models", NULL}, 0, NULL, "procedural");
    const char *env[] = {f->data_env, NULL};
    mv_cli_result r;
    mv_cli_run((const char *[]){"models", "--json", NULL}, env, f->dir, 60, &r);
    assert_int_equal(r.exit_code, 0);
    cJSON *models = cJSON_Parse(r.out);
    assert_true(cJSON_IsArray(models));
    int found = 0;
    cJSON *m;
    cJSON_ArrayForEach(m, models) {
        if (strcmp(cJSON_GetObjectItem(m, "id")->valuestring, "procedural") == 0) {
            found = 1;
            assert_true(cJSON_IsTrue(cJSON_GetObjectItem(m, "usable")));
        }
    }
    assert_true(found);
    cJSON_Delete(models);
    mv_cli_result_free(&r);
    mv_cli_run((const char *[]){"styles", "--json", NULL}, env, f->dir, 60, &r);
    cJSON *styles = cJSON_Parse(r.out);
    assert_true(cJSON_IsArray(styles));
    assert_true(cJSON_GetArraySize(styles) >= 5);
    cJSON_Delete(styles);
    mv_cli_result_free(&r);
}

/* Whether the encoders catalog (JSON on stdout) says `id` opens on this machine. */
static int mv_encoder_usable(const char *json, const char *id)
{
    cJSON *list = cJSON_Parse(json), *e;
    int usable = 0;
    cJSON_ArrayForEach(e, list) {
        const cJSON *name = cJSON_GetObjectItem(e, "id");
        if (cJSON_IsString(name) && strcmp(name->valuestring, id) == 0)
            usable = cJSON_IsTrue(cJSON_GetObjectItem(e, "usable"));
    }
    cJSON_Delete(list);
    return usable;
}

/* SVT-AV1 prints a banner on stderr each time it is opened: the encoders catalog, which opens
 * every encoder, shows none unless the user's own SVT_LOG asks for them, and checking an
 * --encoder value opens no encoder at all. */
static void test_encoder_probes_are_quiet(void **state)
{
    mv_fixture *f = *state;
    const char *quiet_env[] = {f->data_env, "SVT_LOG", NULL};
    mv_cli_result r;
    mv_cli_run((const char *[]){"encoders", "--json", NULL}, quiet_env, f->dir, 60, &r);
    assert_int_equal(r.exit_code, 0);
    assert_true(mv_encoder_usable(r.out, "libx264"));
    int svt = mv_encoder_usable(r.out, "libsvtav1");
    if (strstr(r.err, "Svt["))
        fail_msg("the encoders catalog printed SVT-AV1's banner: %s", r.err);
    mv_cli_result_free(&r);

    const char *verbose_env[] = {f->data_env, "SVT_LOG=3", NULL};
    if (svt) { /* the user's own level stays, and the banner is what the checks look for */
        mv_cli_run((const char *[]){"encoders", NULL}, verbose_env, f->dir, 60, &r);
        assert_int_equal(r.exit_code, 0);
        assert_non_null(strstr(r.err, "Svt["));
        mv_cli_result_free(&r);
    } else {
        fprintf(stderr, "libsvtav1 does not open here: the SVT_LOG=3 control run is left out\n");
    }
    /* every catalog value is checked (the encoder last), then the model fails: no ComfyUI */
    mv_cli_run((const char *[]){"generate", f->song, "--encoder", "libx264", "--model",
                                "sdxl_turbo", NULL},
               verbose_env, f->dir, 60, &r);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "--model procedural"));
    if (strstr(r.err, "Svt["))
        fail_msg("checking --encoder opened the encoders: %s", r.err);
    mv_cli_result_free(&r);
    mv_expect(f, (const char *[]){"generate", f->song, "--encoder", "nosuch", NULL}, 2,
              "unknown encoder 'nosuch': valid values are libx264", NULL);
}

static void test_usage_errors(void **state)
{
    mv_fixture *f = *state;
    mv_expect(f, (const char *[]){NULL}, 2, "no command given", NULL);
    mv_expect(f, (const char *[]){"paint", NULL}, 2, "unknown command 'paint'", NULL);
    mv_expect(f, (const char *[]){"styles", "--bogus", NULL}, 2, "unknown option '--bogus'", NULL);
    mv_expect(f, (const char *[]){"generate", NULL}, 2, "needs SOURCE", NULL);
    mv_expect(f, (const char *[]){"generate", f->song, "extra", NULL}, 2, "'extra'", NULL);
    mv_expect(f, (const char *[]){"generate", f->song, "--fps", "5", NULL}, 2, "12 to 60", NULL);
    mv_expect(f, (const char *[]){"generate", f->song, "-n", "abc", NULL}, 2, "1 to 120", NULL);
    mv_expect(f, (const char *[]){"generate", f->song, "-d", "9", NULL}, 2, "0 to 5", NULL);
    mv_expect(f, (const char *[]){"generate", f->song, "--seed", NULL}, 2, "needs a value", NULL);
    mv_expect(f, (const char *[]){"list", "--style", "anime", NULL}, 2, "only applies to generate", NULL);
    mv_expect(f, (const char *[]){"status", "not-a-job", NULL}, 2, "is not a job id", NULL);
    mv_expect(f, (const char *[]){"resume", "x", "--server", "http://127.0.0.1:1", NULL}, 2,
              "local jobs only", NULL);
    /* unknown catalog values list the valid ones */
    mv_expect(f, (const char *[]){"generate", f->song, "--style", "nosuch", NULL}, 2,
              "unknown style 'nosuch': valid values are", NULL);
    mv_expect(f, (const char *[]){"generate", f->song, "--style", "nosuch", NULL}, 2, "cinematic", NULL);
    mv_expect(f, (const char *[]){"generate", f->song, "--model", "nosuch", NULL}, 2, "procedural", NULL);
    mv_expect(f, (const char *[]){"generate", f->song, "-t", "nosuch", NULL}, 2, "fade", NULL);
    mv_expect(f, (const char *[]){"generate", f->song, "--resolution", "999p", NULL}, 2, "480p", NULL);
    mv_expect(f, (const char *[]){"generate", f->song, "-o", "/no/such/dir/x.mp4", NULL}, 2,
              "does not exist", NULL);
    /* a ComfyUI model without any ComfyUI configured */
    mv_expect(f, (const char *[]){"generate", f->song, "--model", "sdxl_turbo", NULL}, 2,
              "--model procedural", NULL);
    assert_true(mv_cli_count_entries(f->jobs_dir) <= 0); /* no job was created */
}

static void test_fetch_errors(void **state)
{
    mv_fixture *f = *state;
    mv_expect(f, (const char *[]){"generate", "/no/such/song.mp3", NULL}, 3, "/no/such/song.mp3", NULL);
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/song.mp3", mv_cli_closed_port());
    mv_expect(f, (const char *[]){"generate", url, "--model", "procedural", NULL}, 3, "job failed", NULL);
    assert_true(mv_cli_count_entries(f->jobs_dir) <= 0); /* the failed fetch was cleaned up */
}

static void test_failures(void **state)
{
    mv_fixture *f = *state;
    /* audio that is not audio: the job fails (exit 1) and is kept for resume */
    char junk[4300];
    snprintf(junk, sizeof junk, "%s/junk.wav", f->dir);
    FILE *fp = fopen(junk, "wb");
    assert_non_null(fp);
    for (int i = 0; i < 4096; i++)
        fputc((i * 7919) & 0xff, fp);
    fclose(fp);
    const char *env[] = {f->data_env, NULL};
    mv_cli_result r;
    mv_cli_run((const char *[]){"generate", junk, "--model", "procedural", "--json", NULL}, env,
               f->dir, 60, &r);
    if (r.exit_code != 1)
        fprintf(stderr, "stderr: %s\n", r.err);
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "job failed: "));
    cJSON *json = cJSON_Parse(r.out);
    assert_non_null(json);
    assert_string_equal(cJSON_GetObjectItem(json, "status")->valuestring, "failed");
    assert_true(cJSON_IsString(cJSON_GetObjectItem(json, "error")));
    cJSON_Delete(json);
    mv_cli_result_free(&r);

    mv_expect(f, (const char *[]){"status", "job_20200101_000000_deadbeef", NULL}, 1, "no job", NULL);
    mv_expect(f, (const char *[]){"cancel", "job_20200101_000000_deadbeef", NULL}, 1, "no job", NULL);
    /* ComfyUI configured but unreachable: the URL tried is named */
    char comfy[128];
    snprintf(comfy, sizeof comfy, "http://127.0.0.1:%d", mv_cli_closed_port());
    mv_expect(f, (const char *[]){"generate", f->song, "--model", "sdxl_turbo", "--comfyui", comfy, NULL},
              1, comfy, NULL);
    /* MAIVID_COMFYUI_URL alone switches the default model to sdxl_turbo, which then needs it */
    char comfy_env[160];
    snprintf(comfy_env, sizeof comfy_env, "MAIVID_COMFYUI_URL=%s", comfy);
    const char *comfy_envs[] = {f->data_env, comfy_env, NULL};
    mv_cli_run((const char *[]){"generate", f->song, NULL}, comfy_envs, f->dir, 60, &r);
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "sdxl_turbo"));
    assert_non_null(strstr(r.err, comfy));
    mv_cli_result_free(&r);
    /* a server that is not there */
    char server[128];
    snprintf(server, sizeof server, "http://127.0.0.1:%d", mv_cli_closed_port());
    mv_expect(f, (const char *[]){"--server", server, "styles", NULL}, 1, "cannot reach maivid-server", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_and_version),
        cmocka_unit_test(test_table_options_checked),
        cmocka_unit_test(test_catalogs),
        cmocka_unit_test(test_encoder_probes_are_quiet),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_fetch_errors),
        cmocka_unit_test(test_failures),
    };
    return cmocka_run_group_tests(tests, mv_setup, mv_teardown);
}
