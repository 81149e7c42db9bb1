/*
 * webhook_sign.c - the webhook secret and the Standard Webhooks signature
 * (https://www.standardwebhooks.com): webhook-signature = "v1," + base64 of
 * HMAC-SHA256(secret, webhook-id "." webhook-timestamp "." body), computed with OpenSSL.
 * The secret comes from --webhook-secret or --webhook-secret-file, either as the standard's
 * "whsec_" + base64 or as plain text; it is never logged.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "server.h"

#define MV_SECRET_MIN_BYTES 16

/* Decodes standard base64 (with padding) into out; returns the length or -1. */
static int mv_base64_decode(const char *text, unsigned char *out, size_t out_size)
{
    size_t length = strlen(text);
    if (length == 0 || length % 4 != 0 || length / 4 * 3 > out_size) {
        return -1;
    }
    int decoded = EVP_DecodeBlock(out, (const unsigned char *)text, (int)length);
    if (decoded < 0) {
        return -1;
    }
    /* EVP_DecodeBlock counts the bytes the padding stands for: drop them */
    for (size_t i = length; i > 0 && text[i - 1] == '='; i--) {
        decoded--;
    }
    return decoded;
}

static int mv_key_from_text(const char *text, const char *origin, mv_webhook_key *key,
                            char *err, size_t err_size)
{
    int length;
    if (strncmp(text, "whsec_", 6) == 0) {
        length = mv_base64_decode(text + 6, key->bytes, sizeof(key->bytes));
        if (length < 0) {
            snprintf(err, err_size, "the webhook secret from %s starts with whsec_ but the rest "
                     "is not base64: make one with e.g. echo whsec_$(openssl rand -base64 32)",
                     origin);
            return -1;
        }
    } else {
        size_t raw = strlen(text);
        if (raw > sizeof(key->bytes)) {
            snprintf(err, err_size, "the webhook secret from %s is longer than %zu bytes: "
                     "use e.g. whsec_$(openssl rand -base64 32)", origin, sizeof(key->bytes));
            return -1;
        }
        memcpy(key->bytes, text, raw);
        length = (int)raw;
    }
    if (length < MV_SECRET_MIN_BYTES) {
        OPENSSL_cleanse(key->bytes, sizeof(key->bytes));
        snprintf(err, err_size, "the webhook secret from %s is shorter than %d bytes, too weak "
                 "to sign with: make one with e.g. echo whsec_$(openssl rand -base64 32)",
                 origin, MV_SECRET_MIN_BYTES);
        return -1;
    }
    key->length = (size_t)length;
    return 0;
}

int mv_webhook_key_load(const char *secret, const char *secret_file, mv_webhook_key *key,
                        char *err, size_t err_size)
{
    memset(key, 0, sizeof(*key));
    if (secret != NULL && secret_file != NULL) {
        snprintf(err, err_size, "--webhook-secret and --webhook-secret-file both given: pass "
                 "only one (the file keeps the secret out of the process list)");
        return -1;
    }
    if (secret != NULL) {
        return mv_key_from_text(secret, "--webhook-secret", key, err, err_size);
    }
    if (secret_file == NULL) {
        return 0; /* deliveries go unsigned */
    }
    FILE *file = fopen(secret_file, "rb");
    if (file == NULL) {
        snprintf(err, err_size, "cannot read --webhook-secret-file %s: %s", secret_file,
                 strerror(errno));
        return -1;
    }
    char text[1024];
    size_t length = fread(text, 1, sizeof(text) - 1, file);
    int too_long = length == sizeof(text) - 1 && fgetc(file) != EOF;
    fclose(file);
    while (length > 0 && (text[length - 1] == '\n' || text[length - 1] == '\r' ||
                          text[length - 1] == ' ' || text[length - 1] == '\t')) {
        length--;
    }
    text[length] = '\0';
    int rc;
    if (too_long || memchr(text, '\0', length) != NULL) {
        snprintf(err, err_size, "--webhook-secret-file %s does not hold one secret on one "
                 "line: write e.g. whsec_$(openssl rand -base64 32) into it", secret_file);
        rc = -1;
    } else {
        rc = mv_key_from_text(text, "--webhook-secret-file", key, err, err_size);
    }
    OPENSSL_cleanse(text, sizeof(text));
    return rc;
}

void mv_webhook_key_clear(mv_webhook_key *key)
{
    OPENSSL_cleanse(key, sizeof(*key));
}

int mv_webhook_sign(const mv_webhook_key *key, const char *id, const char *timestamp,
                    const char *body, char *out, size_t out_size)
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_length = 0;
    size_t id_length = strlen(id), stamp_length = strlen(timestamp), body_length = strlen(body);
    size_t total = id_length + 1 + stamp_length + 1 + body_length;
    unsigned char *message = OPENSSL_malloc(total);
    if (message == NULL || key->length == 0) {
        OPENSSL_free(message);
        return -1;
    }
    memcpy(message, id, id_length);
    message[id_length] = '.';
    memcpy(message + id_length + 1, timestamp, stamp_length);
    message[id_length + 1 + stamp_length] = '.';
    memcpy(message + id_length + 2 + stamp_length, body, body_length);
    unsigned char *done = HMAC(EVP_sha256(), key->bytes, (int)key->length, message, total, mac,
                               &mac_length);
    OPENSSL_free(message);
    /* "v1," + base64 of 32 bytes (44 characters) + NUL */
    if (done == NULL || out_size < 3 + 4 * ((mac_length + 2) / 3) + 1) {
        return -1;
    }
    memcpy(out, "v1,", 3);
    EVP_EncodeBlock((unsigned char *)out + 3, mac, (int)mac_length);
    return 0;
}
