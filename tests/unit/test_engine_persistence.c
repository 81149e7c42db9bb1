/*
 * test_engine_persistence.c - job.json: a full round trip, atomic writes that leave no temp
 * files, and damaged records (truncated, garbage, wrong id) reported as failed jobs without
 * crashing and without being overwritten.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/mv_job.h"
#include "engine/mv_job_json.h"
#include "engine_stages.h"
#include "mv_test_util.h"

static void test_round_trip(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("persist");
    char id[MAIVID_JOB_ID_SIZE];
    assert_int_equal(mv_job_id_generate(id, NULL), MAIVID_OK);
    char *job_dir = mv_strdup_printf("%s/%s", dir, id);
    assert_int_equal(mv_mkdir_p(job_dir, NULL), MAIVID_OK);
    mv_job *job = mv_job_new(id, job_dir);
    maivid_job_params p;
    maivid_job_params_init(&p);
    p.url = "https://suno.com/s/abc";
    p.lyrics = "[Chorus]\nla la";
    p.scene_count = 7;
    p.seed = 42;
    mv_error err;
    assert_int_equal(mv_settings_from_params(&p, 0, NULL, NULL, &job->settings, &err), MAIVID_OK);
    job->state = MAIVID_JOB_RUNNING;
    job->stage = MAIVID_STAGE_SCENE_GENERATION;
    job->stage_done[MAIVID_STAGE_DOWNLOAD] = 1;
    job->stage_done[MAIVID_STAGE_ANALYSIS] = 1;
    job->overall_progress = 37.5;
    job->title = mv_strdup("Song \"quoted\" ünïcode");
    job->created_at = 1747446242.891234;
    mv_job_add_warning(job, "a warning");
    job->scenes = calloc(1, sizeof *job->scenes);
    job->scene_count = 1;
    job->scenes[0].start = 1.25;
    job->scenes[0].end = 5.5;
    job->scenes[0].prompt = mv_strdup("blue sea");
    job->scenes[0].drawn = mv_strdup("lighthouse,birds,sea");
    job->scenes[0].unmatched = mv_strdup("");
    job->scenes[0].state = MV_SCENE_DONE;
    assert_int_equal(mv_job_save(job, &err), MAIVID_OK);
    /* the status carries what each scene drew and could not draw */
    cJSON *status = mv_job_to_json(job, MV_JOB_VIEW_STATUS, 0, 0);
    const cJSON *scene0 = cJSON_GetArrayItem(cJSON_GetObjectItem(status, "scenes"), 0);
    const cJSON *drawn = cJSON_GetObjectItem(scene0, "drawn");
    assert_int_equal(cJSON_GetArraySize(drawn), 3);
    assert_string_equal(cJSON_GetArrayItem(drawn, 1)->valuestring, "birds");
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(scene0, "unmatched")));
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(scene0, "unmatched")), 0);
    cJSON_Delete(status);

    mv_job *loaded = NULL;
    assert_int_equal(mv_job_load(job_dir, &loaded, &err), MAIVID_OK);
    assert_string_equal(loaded->id, id);
    assert_int_equal(loaded->state, MAIVID_JOB_RUNNING);
    assert_int_equal(loaded->stage, MAIVID_STAGE_SCENE_GENERATION);
    assert_true(loaded->stage_done[MAIVID_STAGE_DOWNLOAD]);
    assert_false(loaded->stage_done[MAIVID_STAGE_LYRICS]);
    assert_true(loaded->stage_done[MAIVID_STAGE_ANALYSIS]);
    assert_true(loaded->overall_progress == 37.5);
    assert_string_equal(loaded->title, job->title);
    assert_string_equal(loaded->settings.lyrics, "[Chorus]\nla la");
    assert_int_equal(loaded->settings.scene_count, 7);
    assert_int_equal(loaded->settings.seed, 42);
    assert_int_equal(loaded->warning_count, 1);
    assert_int_equal(loaded->scene_count, 1);
    assert_true(loaded->scenes[0].end == 5.5);
    assert_int_equal(loaded->scenes[0].state, MV_SCENE_DONE);
    assert_string_equal(loaded->scenes[0].drawn, "lighthouse,birds,sea");
    assert_string_equal(loaded->scenes[0].unmatched, "");
    assert_true(loaded->created_at > 1747446242.89 && loaded->created_at < 1747446242.90);

    /* no temp files left beside job.json */
    DIR *d = opendir(job_dir);
    struct dirent *de;
    int files = 0;
    while ((de = readdir(d)) != NULL)
        if (de->d_name[0] != '.')
            files++;
    closedir(d);
    assert_int_equal(files, 1);

    mv_job_free(loaded);
    mv_job_free(job);
    mv_remove_tree(dir, NULL);
    free(job_dir);
    free(dir);
}

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(text, 1, len, f);
    fclose(f);
}

static void test_damaged_records_are_reported_not_fatal(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("persist-damaged");
    engine_test_stages stages;
    engine_test_stages_init(&stages);
    maivid_config c;
    maivid_config_init(&c);
    c.data_dir = dir;
    c.stages = &stages.stages;
    maivid_engine *e = NULL;
    assert_int_equal(maivid_engine_open(&c, &e, NULL, 0), MAIVID_OK);
    maivid_job_params p;
    maivid_job_params_init(&p);
    p.url = "http://127.0.0.1:9/a.wav";
    p.model = "procedural";
    char good[MAIVID_JOB_ID_SIZE], victim[MAIVID_JOB_ID_SIZE];
    assert_int_equal(maivid_job_create(e, &p, good, NULL, 0), MAIVID_OK);
    assert_int_equal(maivid_job_create(e, &p, victim, NULL, 0), MAIVID_OK);
    assert_int_equal(maivid_job_wait(e, victim, 10000), MAIVID_OK);
    maivid_engine_close(e);

    /* truncate one record, add a garbage one and one with a mismatched id */
    char path[4096];
    snprintf(path, sizeof path, "%s/jobs/%s/job.json", dir, victim);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(mv_read_file(path, &text, &len, NULL), MAIVID_OK);
    write_file(path, text, len / 2);
    free(text);
    const char *garbage_id = "job_20200101_000000_deadbeef";
    snprintf(path, sizeof path, "%s/jobs/%s", dir, garbage_id);
    mkdir(path, 0755);
    strncat(path, "/job.json", sizeof path - strlen(path) - 1);
    write_file(path, "\x01\x02 not json at all {{{", 22);
    const char *mismatch_id = "job_20200101_000000_0badf00d";
    snprintf(path, sizeof path, "%s/jobs/%s", dir, mismatch_id);
    mkdir(path, 0755);
    strncat(path, "/job.json", sizeof path - strlen(path) - 1);
    const char *other = "{\"job_id\":\"job_20200101_000000_00000001\",\"status\":\"completed\"}";
    write_file(path, other, strlen(other));

    assert_int_equal(maivid_engine_open(&c, &e, NULL, 0), MAIVID_OK);
    maivid_status *st;
    const char *damaged[] = {victim, garbage_id, mismatch_id};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(maivid_job_status(e, damaged[i], &st), MAIVID_OK);
        assert_int_equal(maivid_status_state(st), MAIVID_JOB_FAILED);
        assert_int_equal(maivid_status_error_code(st), MAIVID_E_CORRUPT);
        assert_non_null(strstr(maivid_status_error(st), "damaged"));
        maivid_status_free(st);
    }
    assert_int_equal(maivid_job_status(e, good, &st), MAIVID_OK);
    assert_int_equal(maivid_status_state(st), MAIVID_JOB_COMPLETED);
    maivid_status_free(st);
    assert_int_equal(maivid_job_resume(e, garbage_id), MAIVID_E_CORRUPT);
    maivid_engine_close(e);
    /* the damaged file was left as it was, for inspection */
    assert_int_equal(mv_read_file(path, &text, NULL, NULL), MAIVID_OK);
    assert_string_equal(text, other);
    free(text);
    engine_test_stages_destroy(&stages);
    mv_remove_tree(dir, NULL);
    free(dir);
}

/* A process killed while writing a job file leaves <file>.tmp.<pid>: the next engine
 * removes it; a live writer's temp file is left alone. */
static void test_killed_writers_temp_files_removed_on_open(void **state)
{
    (void)state;
    char *dir = mv_test_tmpdir("persist-temps");
    char id[MAIVID_JOB_ID_SIZE];
    assert_int_equal(mv_job_id_generate(id, NULL), MAIVID_OK);
    char *scenes = mv_strdup_printf("%s/jobs/%s/scenes", dir, id);
    assert_int_equal(mv_mkdir_p(scenes, NULL), MAIVID_OK);
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    assert_true(child > 0);
    waitpid(child, NULL, 0); /* its pid now names a dead writer */
    char *dead_record = mv_strdup_printf("%s/jobs/%s/job.json.tmp.%ld", dir, id, (long)child);
    char *dead_scene = mv_strdup_printf("%s/scene_001.png.tmp.%ld", scenes, (long)child);
    char *live = mv_strdup_printf("%s/scene_002.png.tmp.1", scenes); /* init never dies */
    char *other = mv_strdup_printf("%s/notes.tmp.txt", scenes);
    const char *paths[] = {dead_record, dead_scene, live, other};
    for (size_t i = 0; i < 4; i++) {
        FILE *f = fopen(paths[i], "w");
        assert_non_null(f);
        fputs("partial", f);
        fclose(f);
    }
    maivid_config c;
    maivid_config_init(&c);
    c.data_dir = dir;
    maivid_engine *e = NULL;
    assert_int_equal(maivid_engine_open(&c, &e, NULL, 0), MAIVID_OK);
    maivid_engine_close(e);
    assert_false(mv_file_exists(dead_record));
    assert_false(mv_file_exists(dead_scene));
    assert_true(mv_file_exists(live));
    assert_true(mv_file_exists(other));
    for (size_t i = 0; i < 4; i++)
        free((void *)paths[i]);
    free(scenes);
    mv_remove_tree(dir, NULL);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_damaged_records_are_reported_not_fatal),
        cmocka_unit_test(test_killed_writers_temp_files_removed_on_open),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
