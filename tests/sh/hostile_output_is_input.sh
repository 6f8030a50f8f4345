#!/bin/sh
# Issue 14, finding 6: `build -o page.html page.html` overwrote its input. An
# output that is one of the inputs (a file read, a file found in a folder, a
# side file, a folder given) is refused with exit 2, --force or not, and the
# file stays byte for byte.
set -u
: "${APNMAP:?}" "${ROOT:?}"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail=0
mkdir -p "$t/in/sub"
cp "$ROOT/tests/resources/html/latin1.html" "$t/page.html"
cp "$ROOT/tests/resources/html/latin1.html" "$t/in/sub/page.html"
printf 'name,slug\nWidgets,widgets\n' > "$t/in/aliases.csv"
ln -s page.html "$t/link.html"
check() {
    what=$1 out=$2; shift 2
    cp "$out" "$t/before" 2>/dev/null || mkdir -p "$t/before"
    for force in "" --force; do
        rc=0
        "$APNMAP" build -q $force -o "$out" "$@" > "$t/o" 2> "$t/err" || rc=$?
        [ $rc -eq 2 ] || { cat "$t/err"; echo "FAIL $what $force: exit $rc, want 2"; fail=1; }
        grep -q "one of the inputs" "$t/err" || { cat "$t/err"; echo "FAIL $what $force: no reason given"; fail=1; }
        if [ -f "$t/before" ] && ! cmp -s "$out" "$t/before"; then echo "FAIL $what $force: the input was overwritten"; fail=1; fi
    done
    rm -rf "$t/before"
}
check "the page given" "$t/page.html" "$t/page.html"
check "a page found in the folder" "$t/in/sub/page.html" "$t/in"
check "a side file" "$t/in/aliases.csv" "$t/in"
check "the page through a link" "$t/link.html" "$t/page.html"
[ -L "$t/link.html" ] || { echo "FAIL the link was replaced"; fail=1; }
# a different output is fine
"$APNMAP" build -q -o "$t/ok.db" "$t/page.html" > /dev/null 2>&1 || { echo "FAIL a normal build failed"; fail=1; }
[ $fail -eq 0 ] && echo "an output that is one of the inputs is refused"
exit $fail
