/*
 * fuzz_range.c - the Range header of GET .../file and .../thumbnail: mv_parse_range
 * (static in maivid-server/files.c, compiled into this harness) against files of a few
 * sizes. An accepted range must lie inside the file.
 */
#include "fuzz_util.h"

#include "files.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *header = fuzz_cstring(data, size);
    static const int64_t sizes[] = {0, 1, 1000, INT64_MAX};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        int64_t first = -1, last = -1;
        if (mv_parse_range(header, sizes[i], &first, &last) == 1 &&
            !(first >= 0 && first <= last && last < sizes[i]))
            abort();
    }
    free(header);
    return 0;
}
