#!/bin/sh
# The library as users link it: install the build into a temporary prefix,
# then build a small program against it four ways (pkg-config and CMake's
# find_package, shared and static) and run each on a bundled sample. Also:
# the shared library exports the public API (dc_*) and nothing else.
# Environment (CTest): DC_SOURCE_DIR, DC_BUILD_DIR.
set -u
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fails=$((fails + 1)); }
CC=${CC:-cc}
SAMPLE=$DC_SOURCE_DIR/samples/letter.docx

cmake --install "$DC_BUILD_DIR" --prefix "$T/prefix" >"$T/install.log" 2>&1 ||
    { cat "$T/install.log"; echo "FAIL: cmake --install"; exit 1; }
lib=$(find "$T/prefix" -name 'libdocclass.so.0' | head -1)
[ -n "$lib" ] && ok "libdocclass.so.0 installed" || bad "no libdocclass.so.0 installed"
[ -n "$(find "$T/prefix" -name 'libdocclass.a')" ] && ok "libdocclass.a installed" ||
    bad "no libdocclass.a installed"

# exports: the public API only
others=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBVWR]$/ && $3 !~ /^dc_/ {print $3}' | head -5)
[ -z "$others" ] && ok "only dc_* exported ($(nm -D --defined-only "$lib" | grep -c ' dc_') symbols)" ||
    bad "libdocclass.so exports more than dc_*: $others"

cat >"$T/use.c" <<'C'
#include <docclass/docclass.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    dc_extract_options o = DC_EXTRACT_OPTIONS_INIT;
    dc_document *doc = NULL;
    size_t len = 0;
    const char *text;

    if (argc != 2 || dc_library_init() < 0)
        return 2;
    if (dc_document_extract_file(&doc, argv[1], &o) < 0) {
        fprintf(stderr, "%s\n", dc_error_last()->message);
        return 1;
    }
    text = dc_document_page_text(doc, 0, &len);
    printf("%s %s %zu pages, %zu bytes of text\n", dc_version(),
           dc_format_name(dc_document_format(doc)), dc_document_page_count(doc), len);
    dc_document_free(doc);
    dc_library_shutdown();
    return text && len > 0 ? 0 : 1;
}
C

run() { # name program
    out=$(LD_LIBRARY_PATH="$(dirname "$lib")" "$2" "$SAMPLE" 2>&1) &&
        echo "$out" | grep -q "docx 1 pages" && ok "$1: $out" || bad "$1: $out"
}

# pkg-config, shared then static
export PKG_CONFIG_PATH="$(dirname "$lib")/pkgconfig"
if $CC -o "$T/use-pc" "$T/use.c" $(pkg-config --cflags --libs docclass) 2>"$T/cc.log"; then
    run "pkg-config, shared" "$T/use-pc"
    ldd "$T/use-pc" | grep -q libdocclass.so.0 || bad "pkg-config build does not use libdocclass.so.0"
else
    bad "pkg-config, shared: $(head -3 "$T/cc.log")"
fi
# libdocclass.a with the libraries docclass.pc says a static link needs
# (Requires.private, Libs.private), those linked as the system has them
pc="$(dirname "$lib")/pkgconfig/docclass.pc"
need="$(pkg-config --libs $(pkg-config --print-requires-private docclass)) $(sed -n 's/^Libs.private: //p' "$pc")"
if $CC -o "$T/use-pc-static" "$T/use.c" $(pkg-config --cflags docclass) \
    "$(dirname "$lib")/libdocclass.a" $need 2>"$T/cc.log"; then
    run "static libdocclass.a with Requires.private" "$T/use-pc-static"
    ldd "$T/use-pc-static" | grep -q libdocclass && bad "static build still uses libdocclass.so"
else
    bad "static link with Requires.private: $(grep -m3 'undefined\|error' "$T/cc.log")"
fi

# CMake's find_package, docclass::docclass (shared) then docclass::static
mkdir -p "$T/proj"
cp "$T/use.c" "$T/proj/use.c"
cat >"$T/proj/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.16)
project(use C CXX)
find_package(docclass REQUIRED)
add_executable(use-shared use.c)
target_link_libraries(use-shared PRIVATE docclass::docclass)
add_executable(use-static use.c)
target_link_libraries(use-static PRIVATE docclass::static)
CM
if cmake -S "$T/proj" -B "$T/proj/build" -DCMAKE_PREFIX_PATH="$T/prefix" >"$T/cm.log" 2>&1 &&
    cmake --build "$T/proj/build" >>"$T/cm.log" 2>&1; then
    run "find_package, docclass::docclass" "$T/proj/build/use-shared"
    run "find_package, docclass::static" "$T/proj/build/use-static"
else
    bad "find_package: $(grep -m3 -i error "$T/cm.log")"
fi

[ "$fails" -eq 0 ] && echo "install: all passed" || echo "install: $fails failed"
exit $((fails > 0))
