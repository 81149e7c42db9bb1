/*
 * fuzz_page.c - any web page a song link leads to: the HTML helpers of ingest/page.c
 * (<meta> and <title> text with entities decoded, <audio>/<source> links, the page's
 * candidate media URLs resolved against the page URL) and mv_url_resolve on the input's
 * first line as a reference.
 */
#include "fuzz_util.h"
#include "ingest/mv_ingest_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *html = fuzz_cstring(data, size);
    free(mv_html_meta(html, "og:audio"));
    free(mv_html_meta(html, "description"));
    free(mv_html_title(html));
    free(mv_html_audio_src(html));
    char *urls[8];
    size_t n = mv_page_media_urls(html, "https://example.com/songs/a/b?x=1", urls, 8);
    for (size_t i = 0; i < n; i++)
        free(urls[i]);
    char *line_end = strchr(html, '\n');
    if (line_end)
        *line_end = '\0';
    free(mv_url_resolve("https://example.com/songs/a/b?x=1", html));
    free(mv_url_resolve(html, "../c.mp3"));
    free(html);
    return 0;
}
