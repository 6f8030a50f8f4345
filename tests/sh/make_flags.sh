#!/bin/sh
# The Makefile tracks flags (issue 13): an object is rebuilt when the compiler or
# flags that made it change (WERROR=1, CFLAGS, SANITIZE...), and only then. One small
# object in a scratch build folder, so the suite's own builds are left alone.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES WERROR SANITIZE CFLAGS LDFLAGS OPT
b=$tmp/b obj=$tmp/b/obj/src/util/buf.o
mk() { make -C "$ROOT" --no-print-directory BUILD="$b" "$@" "$obj" 2>&1; }
mk > "$tmp/1" || { cat "$tmp/1"; echo "FAIL first build"; exit 1; }
[ -f "$obj" ] || { echo "FAIL no $obj"; exit 1; }
mk > "$tmp/2"
grep -q "cc .*buf\.c" "$tmp/2" && { cat "$tmp/2"; echo "FAIL rebuilt with the same flags"; exit 1; }
mk WERROR=1 > "$tmp/3"
grep -q -- "-Werror .*buf\.c" "$tmp/3" || { cat "$tmp/3"; echo "FAIL WERROR=1 did not rebuild"; exit 1; }
mk WERROR=1 CFLAGS=-DAPN_FLAGS_TEST > "$tmp/4"
grep -q -- "-DAPN_FLAGS_TEST.*buf\.c" "$tmp/4" || { cat "$tmp/4"; echo "FAIL a CFLAGS change did not rebuild"; exit 1; }
mk WERROR=1 CFLAGS=-DAPN_FLAGS_TEST > "$tmp/5"
grep -q "buf\.c" "$tmp/5" && { cat "$tmp/5"; echo "FAIL rebuilt again with unchanged flags"; exit 1; }
echo "flag changes rebuild, unchanged flags do not"
