#!/bin/sh
# Issue 14, finding 6: the folder walk followed symbolic links: two links to
# "." made the build run (practically) forever, a link out of the tree read
# files the user never gave (/etc). Now no link inside a folder is followed,
# each that matters is named in a warning, and the build finishes. The inputs
# come from tests/hostile/symlink_walk.sh. The timeout only keeps the old
# binary from hanging the suite; no time is asserted.
set -u
: "${APNMAP:?}" "${ROOT:?}"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail=0
sh "$ROOT/tests/hostile/symlink_walk.sh" "$t/h" > "$t/names" || { echo "generator failed"; exit 1; }
cp "$ROOT/tests/resources/html/latin1.html" "$t/h/tree/good.html"
rc=0
timeout 60 "$APNMAP" build -q -o "$t/x.db" "$t/h/tree" > "$t/out" 2> "$t/err" || rc=$?
[ $rc -le 1 ] || { tail -5 "$t/err"; echo "FAIL exit $rc (124: it did not finish in 60 s)"; exit 1; }
paths=$("$APNMAP" sql --db "$t/x.db" --format csv "SELECT path FROM document ORDER BY path" | tail -n +2)
[ "$paths" = "good.html" ] || { echo "$paths" | head; echo "FAIL stored more than good.html (links followed)"; fail=1; }
while read -r p; do
    grep -qF "$t/h/$p: warning: symbolic link not followed" "$t/err" ||
        { echo "FAIL $p is not named"; fail=1; }
done < "$t/names"
[ $fail -eq 0 ] || cat "$t/err"
# a link given on the command line is the user's choice: followed
ln -s "$t/h/tree" "$t/given"
"$APNMAP" build -q -o "$t/y.db" "$t/given" > /dev/null 2>&1
n=$("$APNMAP" sql --db "$t/y.db" --format csv "SELECT count(*) FROM document" 2>/dev/null | tail -1)
[ "$n" = 1 ] || { echo "FAIL a folder given through a link: $n documents, want 1"; fail=1; }
[ $fail -eq 0 ] && echo "links inside a folder are named, never followed"
exit $fail
