#!/bin/sh
# hostile_sql_limits — issue 14 finding 7: `sql` had no time or row limit and
# held every row in memory before writing any (an endless recursive query ran
# until memory ran out). Now CSV and JSON stream row by row (peak memory stays
# flat however many rows), and a statement stops at --time-limit seconds of
# work or --max-rows rows (defaults 60 s and 1,000,000) with a message and exit 1.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
sh "$RES/diff/mkdb.sh" t.db "$RES/plan/small.sql" || exit 1
endless="WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r)"
fail=0
# rows past --max-rows: the first N written, then the message
"$APNMAP" sql --db t.db --format csv --max-rows 1000 "$endless SELECT x FROM r" > out 2> err
rc=$?
if [ "$rc" != 1 ] || [ "$(wc -l < out)" != 1001 ] || [ "$(tail -1 out)" != 1000 ] ||
   ! grep -q "stopped after 1000 rows" err; then
    echo "hostile_sql_limits: --max-rows 1000: exit $rc, $(wc -l < out) lines, want 1 and 1001:"; head -3 err; fail=1
fi
# work past --time-limit (no row ever comes)
"$APNMAP" sql --db t.db --time-limit 0.2 "$endless SELECT count(*) FROM r" > out 2> err
rc=$?
if [ "$rc" != 1 ] || ! grep -q "ran past its time limit (0.2 s of work)" err; then
    echo "hostile_sql_limits: --time-limit 0.2: exit $rc, want 1 and the limit named:"; head -3 err; fail=1
fi
for bad in "--time-limit -1" "--time-limit x" "--max-rows 1.5" "--max-rows -3"; do
    # shellcheck disable=SC2086
    "$APNMAP" sql --db t.db $bad "SELECT 1" > /dev/null 2>&1
    rc=$?
    [ "$rc" = 2 ] || { echo "hostile_sql_limits: $bad: exit $rc, want 2 (usage)"; fail=1; }
done
# streaming: 200,000 rows of 300 bytes (60 MB) go out with memory to spare
# (the old code held them all: 157 MB); ASan's quarantine kept small so its RSS means the same
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1"
/usr/bin/time -f '%M' -o rss "$APNMAP" sql --db t.db --format csv \
    "WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r WHERE x < 200000)
     SELECT x, printf('%.300c', 'a') AS pad FROM r" > out 2> err
rc=$?
kb=$(tail -1 rss)
if [ "$rc" != 0 ] || [ "$(wc -l < out)" != 200001 ] || [ "$kb" -gt 64000 ]; then
    echo "hostile_sql_limits: 200,000 rows: exit $rc, $(wc -l < out) lines, peak $kb KB (want 0, 200001, <= 64000)"
    head -3 err; fail=1
fi
# the defaults hold with no option at all (only once the above passed: an
# unbounded sql would run here until memory ran out)
if [ $fail = 0 ]; then
    timeout 60 "$APNMAP" sql --db t.db --format csv "$endless SELECT x FROM r" > out 2> err
    rc=$?
    if [ "$rc" != 1 ] || [ "$(tail -1 out)" != 1000000 ] || ! grep -q "stopped after 1000000 rows" err; then
        echo "hostile_sql_limits: the default row limit: exit $rc, last row $(tail -1 out)"; head -3 err; fail=1
    fi
fi
exit $fail
