/*
 * custom_image_stage.c - how a C program plugs its own code into libmaivid: this example
 * replaces the image stage with a function that paints simple stripes (each scene in its
 * own colour) and observes progress events, while every other stage stays built in.
 *
 *   custom_image_stage SONG_FILE DATA_DIR [RESOLUTION]
 *
 * Prints the finished MP4's path. Build against an installed libmaivid with:
 *   cc custom_image_stage.c $(pkg-config --cflags --libs maivid) -o custom_image_stage
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <maivid/maivid.h>

/* Our image stage: writes a binary PPM at the requested size. */
static maivid_code stripes_image(void *user_data, maivid_stage_context *ctx,
                                 const maivid_scene_request *scene)
{
    (void)user_data;
    FILE *f = fopen(scene->output_path, "wb");
    if (!f)
        return maivid_ctx_fail(ctx, MAIVID_E_IO, "cannot write %s", scene->output_path);
    fprintf(f, "P6\n%d %d\n255\n", scene->width, scene->height);
    unsigned hue = (unsigned)(scene->index * 67 + 20) % 256;
    for (int y = 0; y < scene->height; y++) {
        for (int x = 0; x < scene->width; x++) {
            int stripe = ((x + y) / 48) % 2;
            unsigned char px[3] = {(unsigned char)(stripe ? hue : 255 - hue),
                                   (unsigned char)(y * 255 / scene->height),
                                   (unsigned char)(stripe ? 200 : 60)};
            fwrite(px, 1, 3, f);
        }
    }
    if (fclose(f) != 0)
        return maivid_ctx_fail(ctx, MAIVID_E_IO, "cannot write %s", scene->output_path);
    return MAIVID_OK;
}

/* Our observer: one line per stage start. */
static void print_event(void *user_data, const maivid_event *event)
{
    (void)user_data;
    if (event->type == MAIVID_EVENT_STAGE)
        fprintf(stderr, "[%5.1f%%] %s\n", event->overall_progress, event->text);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s SONG_FILE DATA_DIR [RESOLUTION]\n", argv[0]);
        return 2;
    }
    maivid_stages stages;
    memset(&stages, 0, sizeof stages);
    stages.version = MAIVID_STAGES_VERSION;
    stages.image = stripes_image;  /* NULL members keep the built-in stages */
    stages.on_event = print_event;

    maivid_config config;
    maivid_config_init(&config);
    config.data_dir = argv[2];
    config.allow_local_files = 1;
    config.stages = &stages;

    char err[1024] = "";
    maivid_engine *engine = NULL;
    if (maivid_engine_open(&config, &engine, err, sizeof err) != MAIVID_OK) {
        fprintf(stderr, "cannot open the engine: %s\n", err);
        return 1;
    }
    maivid_job_params params;
    maivid_job_params_init(&params);
    params.local_path = argv[1];
    params.model = "procedural"; /* ignored by our image stage, but must be a valid id */
    params.resolution = argc > 3 ? argv[3] : "720p";
    params.scene_count = 4;
    char job_id[MAIVID_JOB_ID_SIZE];
    int status = 1;
    if (maivid_job_create(engine, &params, job_id, err, sizeof err) != MAIVID_OK) {
        fprintf(stderr, "cannot create the job: %s\n", err);
    } else if (maivid_job_wait(engine, job_id, -1) == MAIVID_OK) {
        maivid_status *st = NULL;
        if (maivid_job_status(engine, job_id, &st) == MAIVID_OK) {
            if (maivid_status_state(st) == MAIVID_JOB_COMPLETED) {
                printf("%s\n", maivid_status_video_path(st));
                status = 0;
            } else {
                fprintf(stderr, "job %s: %s\n", maivid_job_state_name(maivid_status_state(st)),
                        maivid_status_error(st) ? maivid_status_error(st) : "");
            }
            maivid_status_free(st);
        }
    }
    maivid_engine_close(engine);
    return status;
}
