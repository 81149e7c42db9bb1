#!/bin/sh
# check_layering.sh SOURCE_DIR - the library's folders depend on each other one way:
#  - images/ (the image stage) knows no backend's insides: it includes no comfy/ or paint/
#    header and has no backend-specific branches (is_painter);
#  - paint/ and comfy/ do not include each other;
#  - ingest/suno.c calls nothing defined in ingest/mv_ingest.c (the shared fetch helpers
#    live in fetch_media.c, below both).
src="$1/libmaivid"
fail() { echo "layering: $*" >&2; exit 1; }
grep -n '#include "\(comfy\|paint\)/' "$src"/images/*.[ch] && fail "images/ includes a backend header"
grep -rn 'is_painter' "$src" && fail "a backend-specific is_painter branch is back"
grep -n '#include "comfy/' "$src"/paint/*.[ch] && fail "paint/ includes comfy/"
grep -n '#include "paint/' "$src"/comfy/*.[ch] && fail "comfy/ includes paint/"
# Functions mv_ingest.c defines (non-static, at the start of a line) must not appear in suno.c.
for fn in $(sed -n 's/^[a-z_][a-z_ *]*[ *]\(mv_[a-z0-9_]*\)(.*/\1/p' "$src/ingest/mv_ingest.c"); do
    grep -n "\<$fn\>" "$src/ingest/suno.c" && fail "suno.c calls $fn from mv_ingest.c"
done
exit 0
