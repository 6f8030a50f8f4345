#!/bin/sh
# Issue 14, finding 2: a typo or a missing path never empties or replaces a good
# database. The rule (docs/cli.md): when a given path does not exist, or no
# document could be read, build writes nothing, keeps the old file byte for
# byte and exits 1; --force builds from the paths that exist (or writes an
# empty database). The round's starting binary replaced 1,058 requirements
# with 0 on `build -o good.db data/corpuss`.
set -u
: "${APNMAP:?}" "${ROOT:?}"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail=0
corpus=$ROOT/tests/contract/inputs
"$APNMAP" build -q -o "$t/good.db" "$corpus" > /dev/null 2>&1 || { echo "the good build failed"; exit 1; }
cp "$t/good.db" "$t/before.db"
mkdir "$t/empty"
printf 'not a page' > "$t/empty/notes.txt"
# each case: the command's paths; the database must stay as it was, exit 1
check() {
    what=$1; shift
    rc=0
    "$APNMAP" build -q -o "$t/good.db" "$@" > "$t/out" 2> "$t/err" || rc=$?
    if [ $rc -ne 1 ]; then cat "$t/err"; echo "FAIL $what: exit $rc, want 1"; fail=1; fi
    if ! cmp -s "$t/good.db" "$t/before.db"; then echo "FAIL $what: the good database was changed"; fail=1; fi
    grep -q "not written" "$t/err" || { cat "$t/err"; echo "FAIL $what: no word that nothing was written"; fail=1; }
}
check "a typo" "${corpus}s"
check "one of two paths missing" "$corpus" "$t/no-such-folder"
check "a folder without inputs" "$t/empty"
# the missing path is named
"$APNMAP" build -q -o "$t/good.db" "$corpus" "$t/no-such-folder" 2> "$t/err" > /dev/null
grep -q "no-such-folder: error: no such file or folder" "$t/err" ||
    { cat "$t/err"; echo "FAIL the missing path is not named"; fail=1; }
# --force: built from what exists (exit 1: an error was reported), the rest stored
rc=0
"$APNMAP" build -q --force -o "$t/forced.db" "$corpus" "$t/no-such-folder" > /dev/null 2>&1 || rc=$?
[ $rc -eq 1 ] || { echo "FAIL --force with a missing path: exit $rc, want 1"; fail=1; }
n=$("$APNMAP" sql --db "$t/forced.db" --format csv "SELECT count(*) FROM document" 2>/dev/null | tail -1)
m=$("$APNMAP" sql --db "$t/before.db" --format csv "SELECT count(*) FROM document" | tail -1)
[ "$n" = "$m" ] || { echo "FAIL --force stored $n documents, want $m"; fail=1; }
rc=0
"$APNMAP" build -q --force -o "$t/empty.db" "$t/empty" > /dev/null 2>&1 || rc=$?
n=$("$APNMAP" sql --db "$t/empty.db" --format csv "SELECT count(*) FROM document" 2>/dev/null | tail -1)
[ "$n" = 0 ] || { echo "FAIL --force over an empty folder: no empty database (exit $rc)"; fail=1; }
[ $fail -eq 0 ] && echo "a missing path or nothing read keeps the old database; --force overrides"
exit $fail
