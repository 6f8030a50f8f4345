#!/bin/sh
# Issue 14, finding 5: the aliases.csv duplicate check was quadratic (each name
# compared with every name kept: 5-13 s for one file under 1 MiB). A build of
# twenty roots, each with the 1 MiB aliases.csv of tests/hostile/alias_dedup.sh
# (20 times the largest single file: 880,000 rows, 40,000 distinct names, each
# repeated in capitals), must finish and keep each name once. The old check
# made some 10^10 comparisons here; the timeout only keeps it from holding up
# the suite, no time is asserted.
set -u
: "${APNMAP:?}" "${ROOT:?}"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail=0
sh "$ROOT/tests/hostile/alias_dedup.sh" "$t/a" widgets > /dev/null || { echo "generator failed"; exit 1; }
set -- "$ROOT/tests/contract/inputs"
i=1
while [ $i -le 20 ]; do
    mkdir "$t/r$i" && cp "$t/a/aliases.csv" "$t/r$i/" && set -- "$@" "$t/r$i"
    i=$((i + 1))
done
rc=0
timeout 300 "$APNMAP" build -q -o "$t/x.db" "$@" > "$t/out" 2> "$t/err" || rc=$?
[ $rc -eq 0 ] || { tail -5 "$t/err"; echo "FAIL exit $rc, want 0 (124: no end in 300 s)"; exit 1; }
n=$("$APNMAP" sql --db "$t/x.db" --format csv "SELECT count(*) FROM alias" | tail -1)
[ "$n" = 40000 ] || { echo "FAIL $n aliases stored, want 40000 (each name once, case aside)"; fail=1; }
c=$("$APNMAP" sql --db "$t/x.db" --format csv \
    "SELECT count(*) FROM alias WHERE name = 'alias 000010' OR name = 'ALIAS 000010'" | tail -1)
[ "$c" = 1 ] || { echo "FAIL 'alias 000010' stored $c times, want once (the first spelling)"; fail=1; }
[ $fail -eq 0 ] && echo "880,000 alias rows from 20 roots: each of 40,000 names kept once"
exit $fail
