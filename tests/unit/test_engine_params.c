/*
 * test_engine_params.c - job parameter validation: defaults, and each wrong field named in
 * the error together with the valid values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/mv_job.h"

static int known_models(void *ud, const char *model)
{
    (void)ud;
    return strcmp(model, "procedural") == 0 || strcmp(model, "sdxl_turbo") == 0;
}

static maivid_code check(const maivid_job_params *p, int allow_local, mv_error *err)
{
    mv_settings s;
    maivid_code rc = mv_settings_from_params(p, allow_local, known_models, NULL, &s, err);
    if (rc == MAIVID_OK)
        mv_settings_free(&s);
    return rc;
}

static void test_defaults_follow_the_spec(void **state)
{
    (void)state;
    maivid_job_params p;
    maivid_job_params_init(&p);
    p.url = "https://suno.com/s/abc";
    mv_settings s;
    mv_error err;
    assert_int_equal(mv_settings_from_params(&p, 0, known_models, NULL, &s, &err), MAIVID_OK);
    assert_string_equal(s.model, "sdxl_turbo");
    assert_string_equal(s.aspect_ratio, "16:9");
    assert_string_equal(s.style, "cinematic");
    assert_int_equal(s.scene_count, 0);
    assert_string_equal(s.transition, "fade");
    assert_true(s.transition_duration == 1.0);
    assert_string_equal(s.motion, "ken_burns");
    assert_string_equal(s.resolution, "1080p");
    assert_int_equal(s.fps, 30);
    mv_settings_free(&s);
}

/* No motion asked for: parallax with the built-in painter (its pictures have depth layers),
 * ken_burns with every other model; an explicit motion (or "" for the default) is kept. */
static void test_motion_default_follows_the_model(void **state)
{
    (void)state;
    static const struct {
        const char *model, *motion, *want;
    } cases[] = {
        {"procedural", NULL, "parallax"},    {"procedural", "", "parallax"},
        {"sdxl_turbo", NULL, "ken_burns"},   {"procedural", "ken_burns", "ken_burns"},
        {"sdxl_turbo", "parallax", "parallax"}, {"procedural", "auto", "auto"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        maivid_job_params p;
        maivid_job_params_init(&p);
        p.url = "https://suno.com/s/abc";
        p.model = cases[i].model;
        p.motion = cases[i].motion;
        mv_settings s;
        mv_error err;
        assert_int_equal(mv_settings_from_params(&p, 0, known_models, NULL, &s, &err),
                         MAIVID_OK);
        assert_string_equal(s.motion, cases[i].want);
        mv_settings_free(&s);
    }
}

static void expect_invalid(maivid_job_params *p, const char *needle1, const char *needle2)
{
    mv_error err;
    mv_error_clear(&err);
    assert_int_equal(check(p, 1, &err), MAIVID_E_INVALID);
    assert_non_null(strstr(err.message, needle1));
    if (needle2)
        assert_non_null(strstr(err.message, needle2));
}

static void test_each_bad_field_is_named_with_valid_values(void **state)
{
    (void)state;
    maivid_job_params p;
    maivid_job_params_init(&p);
    expect_invalid(&p, "missing 'url'", NULL);
    p.url = "ftp://example.com/song.mp3";
    expect_invalid(&p, "'url'", "http");
    p.url = "file:///etc/passwd";
    expect_invalid(&p, "'url'", "http");
    p.url = "https://example.com/a.mp3";
    p.style = "nope";
    expect_invalid(&p, "unknown style 'nope'", "cinematic, anime");
    p.style = "noir";
    p.model = "dalle";
    expect_invalid(&p, "unknown model 'dalle'", "procedural");
    p.model = "procedural";
    p.scene_count = 121;
    expect_invalid(&p, "'scene_count'", "1 to 120");
    p.scene_count = -1;
    expect_invalid(&p, "'scene_count'", NULL);
    p.scene_count = 3;
    p.transition = "spin";
    expect_invalid(&p, "unknown transition 'spin'", "fade");
    p.transition = "wipe"; /* the original's id stays valid */
    p.transition_duration = 9;
    expect_invalid(&p, "'transition_duration'", "0 to 5");
    p.transition_duration = 0.5;
    p.motion = "shake";
    expect_invalid(&p, "unknown motion 'shake'", "ken_burns");
    p.motion = "auto";
    p.fps = 200;
    expect_invalid(&p, "'fps'", NULL);
    p.fps = 24;
    p.aspect_ratio = "3:2";
    expect_invalid(&p, "3:2", "16:9");
    p.aspect_ratio = "9:16";
    p.resolution = "8k";
    expect_invalid(&p, "8k", "1080p");
    p.resolution = "720p";
    p.captions = "subtitles";
    expect_invalid(&p, "unknown captions 'subtitles'", "off, lines, karaoke");
    p.captions = "karaoke";
    p.reactivity = 1.5;
    expect_invalid(&p, "'reactivity'", "from 0 to 1");
    p.reactivity = NAN;
    expect_invalid(&p, "'reactivity'", "from 0 to 1");
    p.reactivity = 0;
    mv_error err;
    assert_int_equal(check(&p, 0, &err), MAIVID_OK);
}

static void test_local_files_need_permission(void **state)
{
    (void)state;
    maivid_job_params p;
    maivid_job_params_init(&p);
    p.model = "procedural";
    p.local_path = MAIVID_TEST_SOURCE_DIR "/CMakeLists.txt";
    mv_error err;
    assert_int_equal(check(&p, 0, &err), MAIVID_E_POLICY);
    assert_non_null(strstr(err.message, "not allowed"));
    assert_int_equal(check(&p, 1, &err), MAIVID_OK);
    p.local_path = "/nonexistent/song.mp3";
    assert_int_equal(check(&p, 1, &err), MAIVID_E_INVALID);
    assert_non_null(strstr(err.message, "does not exist"));
}

static void test_old_struct_sizes_get_defaults(void **state)
{
    (void)state;
    maivid_job_params p;
    maivid_job_params_init(&p);
    p.url = "https://example.com/a.mp3";
    p.model = "procedural";
    p.struct_size = offsetof(maivid_job_params, callback_url); /* an older, shorter struct */
    p.callback_url = "not even a url"; /* beyond its size: must be ignored */
    mv_settings s;
    mv_error err;
    assert_int_equal(mv_settings_from_params(&p, 0, known_models, NULL, &s, &err), MAIVID_OK);
    assert_null(s.callback_url);
    mv_settings_free(&s);
    p.struct_size = 8;
    assert_int_equal(check(&p, 0, &err), MAIVID_E_INVALID);
}

static void test_config_from_environment(void **state)
{
    (void)state;
    setenv("MAIVID_SUNO_WEB_BASE", "http://127.0.0.1:1234", 1);
    setenv("MAIVID_STT_URL", "http://127.0.0.1:8080", 1);
    setenv("MAIVID_LLM_MODEL", "", 1); /* empty: ignored */
    maivid_config c;
    maivid_config_init(&c);
    maivid_config_from_env(&c);
    assert_string_equal(c.suno_web_base, "http://127.0.0.1:1234");
    assert_string_equal(c.suno_api_base, "https://studio-api.prod.suno.com");
    assert_string_equal(c.stt_url, "http://127.0.0.1:8080");
    assert_null(c.llm_model);
    /* an older, shorter struct is never written past its end */
    maivid_config old;
    maivid_config_init(&old);
    old.struct_size = offsetof(maivid_config, llm_url);
    maivid_config_from_env(&old);
    assert_null(old.stt_url);
    assert_string_equal(old.suno_web_base, "http://127.0.0.1:1234");
    unsetenv("MAIVID_SUNO_WEB_BASE");
    unsetenv("MAIVID_STT_URL");
    unsetenv("MAIVID_LLM_MODEL");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_follow_the_spec),
        cmocka_unit_test(test_motion_default_follows_the_model),
        cmocka_unit_test(test_each_bad_field_is_named_with_valid_values),
        cmocka_unit_test(test_local_files_need_permission),
        cmocka_unit_test(test_old_struct_sizes_get_defaults),
        cmocka_unit_test(test_config_from_environment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
