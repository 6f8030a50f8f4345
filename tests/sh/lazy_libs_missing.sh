#!/bin/sh
# With libcurl.so.4 unloadable, fetch fails with an error naming it and its Debian
# package (exit 3), and stats still runs. The library is hidden by bind-mounting
# /dev/null over it in a private mount namespace (unshare -m: root only).
set -u
unshare -m true 2>/dev/null || { echo "skipped: unshare -m is not permitted here"; exit 77; }
lib=$(ldconfig -p | sed -n 's/^[[:space:]]*libcurl\.so\.4 (.*x86-64.*) => //p' | head -1)
[ -n "$lib" ] || { echo "skipped: libcurl.so.4 not in the loader cache"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$APNMAP" build "$ROOT/tests/contract/inputs" -o "$work/c.db" > /dev/null 2>&1 ||
    { echo "FAIL: build of tests/contract/inputs"; exit 1; }
# shellcheck disable=SC2016
unshare -m sh -c 'mount --bind /dev/null "$1" || exit 99
    "$2" fetch -o "$3/m" --retries 0 http://127.0.0.1:9/competency/x/consulting/a.html \
        > "$3/fetch.out" 2> "$3/fetch.err"; echo $? > "$3/fetch.rc"
    "$2" stats --db "$3/c.db" > "$3/stats.out" 2>&1; echo $? > "$3/stats.rc"' \
    sh "$lib" "$APNMAP" "$work"
rc=$?
[ $rc -eq 99 ] && { echo "skipped: cannot bind-mount over $lib"; exit 77; }
[ "$(cat "$work/fetch.rc")" = 3 ] || { cat "$work/fetch.err"; echo "FAIL: fetch exit $(cat "$work/fetch.rc"), want 3"; exit 1; }
grep -q '^apnmap: error: cannot load libcurl.so.4 (install the Debian package libcurl4): ' "$work/fetch.err" ||
    { cat "$work/fetch.err"; echo "FAIL: fetch's error does not name libcurl.so.4 and libcurl4"; exit 1; }
[ "$(cat "$work/stats.rc")" = 0 ] && head -1 "$work/stats.out" | grep -qx 'competency,offering,prefix,n' ||
    { cat "$work/stats.out"; echo "FAIL: stats without libcurl"; exit 1; }
echo "missing libcurl named ok"
