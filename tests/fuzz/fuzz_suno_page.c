/*
 * fuzz_suno_page.c - a Suno song page as fetched (HTML with Next.js flight data in
 * self.__next_f.push chunks): mv_next_flight_text and mv_suno_parse_page (ingest/suno.c),
 * both for the first clip found and for a given clip id, and the page's link classifier on
 * the input's first line as a URL.
 */
#include "fuzz_util.h"
#include "ingest/mv_ingest_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *html = fuzz_cstring(data, size);
    size_t len = 0;
    free(mv_next_flight_text(html, &len));
    mv_suno_clip clip;
    memset(&clip, 0, sizeof clip);
    mv_suno_parse_page(html, NULL, &clip);
    mv_suno_clip_free(&clip);
    memset(&clip, 0, sizeof clip);
    mv_suno_parse_page(html, "8f2f4b5e-2d5c-4a8e-9a51-0f6f3b1d2c3a", &clip);
    mv_suno_clip_free(&clip);
    char *line_end = strchr(html, '\n');
    if (line_end)
        *line_end = '\0';
    mv_fetch_config cfg;
    memset(&cfg, 0, sizeof cfg);
    char value[64];
    mv_suno_classify(&cfg, html, value);
    free(html);
    return 0;
}
