/*
 * engine_stages.h - plugged test stages for engine tests: every stage writes the small but
 * real files the next stage reads, and the fetch stage can be held at a gate so tests can
 * observe queues, cancels and shutdowns while a job is running.
 */
#ifndef ENGINE_STAGES_H
#define ENGINE_STAGES_H

#include <pthread.h>

#include "maivid/maivid.h"

typedef struct engine_test_stages {
    maivid_stages stages;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int gate_open;            /* 0: fetch waits (checking for cancel) until opened */
    int fetch_waiting;        /* number of fetch calls currently waiting at the gate */
    int calls[MAIVID_STAGE_COUNT];
    char order[16][MAIVID_JOB_ID_SIZE]; /* job ids in the order their fetch started */
    int order_count;
    int events;
    int fail_image_index;     /* -1: none; else that scene's image fails */
    int scenes;               /* scenes in the storyboard (default 2) */
} engine_test_stages;

void engine_test_stages_init(engine_test_stages *t);
void engine_test_stages_destroy(engine_test_stages *t);
void engine_test_open_gate(engine_test_stages *t);
/* Waits until `count` fetch calls wait at the gate (max ~5 s). Returns 1 on success. */
int engine_test_wait_fetching(engine_test_stages *t, int count);
int engine_test_calls(engine_test_stages *t, maivid_stage stage);

#endif /* ENGINE_STAGES_H */
