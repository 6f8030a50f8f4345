#!/bin/sh
# Issue 14, finding 9: files deeper than 32 folders were skipped without a
# word. Now the first folder not read is named in a warning, and what is
# within the limit is read. Inputs from tests/hostile/deep_folders.sh.
set -u
: "${APNMAP:?}" "${ROOT:?}"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail=0
rel=$(sh "$ROOT/tests/hostile/deep_folders.sh" "$t/h") || { echo "generator failed"; exit 1; }
# a good page at level 32 (read) next to the folder that is not
cp "$ROOT/tests/resources/html/latin1.html" "$t/h/$(dirname "$rel")/ok.html"
rc=0
"$APNMAP" build -q -o "$t/x.db" "$t/h" > "$t/out" 2> "$t/err" || rc=$?
[ $rc -le 1 ] || { cat "$t/err"; echo "FAIL exit $rc"; exit 1; }
grep -qF "$t/h/$rel: warning: folder nested deeper than 32 levels; not read" "$t/err" ||
    { cat "$t/err"; echo "FAIL the folder past the limit is not named"; fail=1; }
n=$("$APNMAP" sql --db "$t/x.db" --format csv "SELECT count(*) FROM document WHERE path LIKE '%/ok.html'" | tail -1)
[ "$n" = 1 ] || { echo "FAIL the page at level 32 was not read"; fail=1; }
[ $fail -eq 0 ] && echo "folders past the depth limit are named"
exit $fail
