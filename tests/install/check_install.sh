#!/bin/sh
# check_install.sh BUILD_DIR SOURCE_DIR WORK_DIR - installs the build into a staging prefix,
# then checks what a user gets: the shared library exports only maivid_* symbols and has a
# versioned SONAME, a C file links with `cc demo.c $(pkg-config --cflags --libs maivid)`,
# find_package(maivid) works, and the programs, headers and data files are in place.
set -eu
build="$1"; src="$2"; work="$3"
rm -rf "$work"; mkdir -p "$work"
stage="$work/stage"
cmake --install "$build" --prefix "$stage" >/dev/null
lib="$stage/lib"
[ -d "$lib" ] || lib="$(dirname "$(find "$stage" -name 'libmaivid.so' | head -n1)")"
fail() { echo "FAIL: $*" >&2; exit 1; }
[ -x "$stage/bin/maivid-cli" ] || fail "maivid-cli not installed"
[ -x "$stage/bin/maivid-server" ] || fail "maivid-server not installed"
[ -f "$stage/include/maivid/maivid.h" ] || fail "header not installed"
[ -f "$stage/share/maivid/workflows/sdxl_turbo.json" ] || fail "data files not installed"
[ -f "$lib/libmaivid.a" ] || fail "static library not installed"
soname="$(readelf -d "$lib/libmaivid.so" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')"
[ "$soname" = "libmaivid.so.0" ] || fail "SONAME is '$soname', expected libmaivid.so.0"
leaked="$(nm -D --defined-only "$lib/libmaivid.so" | awk '{print $3}' | grep -v '^maivid_' || true)"
[ -z "$leaked" ] || fail "private symbols exported: $(echo "$leaked" | head -5 | tr '\n' ' ')"
export PKG_CONFIG_PATH="$lib/pkgconfig"
cp "$src/tests/install/demo.c" "$work/demo.c"
cd "$work"
cc demo.c $(pkg-config --cflags --libs maivid) -o demo || fail "pkg-config link failed"
LD_LIBRARY_PATH="$lib" ./demo || fail "demo program failed"
cp "$src/tests/install/CMakeLists.txt" "$work/CMakeLists.txt"
cmake -S "$work" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$stage" >/dev/null || fail "find_package(maivid) failed"
cmake --build "$work/consumer" >/dev/null || fail "CMake consumer build failed"
LD_LIBRARY_PATH="$lib" "$work/consumer/demo_cmake" || fail "CMake consumer program failed"
echo "install check passed"
