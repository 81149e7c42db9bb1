/* demo.c - a program outside the tree: it must compile and link with
 * `cc demo.c $(pkg-config --cflags --libs maivid)` against an installed libmaivid. */
#include <stdio.h>
#include <string.h>

#include <maivid/maivid.h>

int main(void)
{
    maivid_config config;
    maivid_config_init(&config);
    char *styles = maivid_catalog_json(NULL, MAIVID_CATALOG_STYLES, 0);
    int ok = styles && strstr(styles, "\"cinematic\"") && maivid_version() == MAIVID_VERSION_NUM;
    printf("libmaivid %s, styles %s\n", maivid_version_string(), ok ? "ok" : "MISSING");
    maivid_free(styles);
    return ok ? 0 : 1;
}
