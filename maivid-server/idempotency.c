/*
 * idempotency.c - remembers the reply to each Idempotency-Key for 24 hours (a bounded ring:
 * the oldest keys go first) so that a retried POST returns the first job instead of a second.
 */
#include <stdlib.h>
#include <string.h>

#include "server.h"

#define MV_IDEMPOTENCY_TTL_SECONDS (24.0 * 3600.0)

typedef struct mv_idempotency_entry {
    char *key;
    char *reply;
    double stored_at;
} mv_idempotency_entry;

struct mv_idempotency {
    pthread_mutex_t lock;
    mv_idempotency_entry *entries;
    size_t capacity;
    size_t next; /* ring position of the next store */
};

mv_idempotency *mv_idempotency_new(size_t capacity)
{
    mv_idempotency *table = calloc(1, sizeof(*table));
    if (table == NULL) {
        return NULL;
    }
    table->entries = calloc(capacity, sizeof(*table->entries));
    if (table->entries == NULL) {
        free(table);
        return NULL;
    }
    table->capacity = capacity;
    pthread_mutex_init(&table->lock, NULL);
    return table;
}

void mv_idempotency_free(mv_idempotency *table)
{
    if (table == NULL) {
        return;
    }
    for (size_t i = 0; i < table->capacity; i++) {
        free(table->entries[i].key);
        free(table->entries[i].reply);
    }
    free(table->entries);
    pthread_mutex_destroy(&table->lock);
    free(table);
}

void mv_idempotency_lock(mv_idempotency *table)
{
    pthread_mutex_lock(&table->lock);
}

void mv_idempotency_unlock(mv_idempotency *table)
{
    pthread_mutex_unlock(&table->lock);
}

char *mv_idempotency_find(mv_idempotency *table, const char *key)
{
    double now = mv_server_now();
    for (size_t i = 0; i < table->capacity; i++) {
        mv_idempotency_entry *entry = &table->entries[i];
        if (entry->key != NULL && strcmp(entry->key, key) == 0 &&
            now - entry->stored_at < MV_IDEMPOTENCY_TTL_SECONDS) {
            return strdup(entry->reply);
        }
    }
    return NULL;
}

void mv_idempotency_store(mv_idempotency *table, const char *key, const char *reply)
{
    char *key_copy = strdup(key);
    char *reply_copy = strdup(reply);
    if (key_copy == NULL || reply_copy == NULL) {
        free(key_copy);
        free(reply_copy);
        return; /* out of memory: the key is simply not remembered */
    }
    mv_idempotency_entry *entry = &table->entries[table->next];
    free(entry->key);
    free(entry->reply);
    entry->key = key_copy;
    entry->reply = reply_copy;
    entry->stored_at = mv_server_now();
    table->next = (table->next + 1) % table->capacity;
}
