#!/bin/sh
# The report above its limit (APN_REPORT_TOP, 40 competencies per offering):
# over a generated corpus of 60 competencies (bench/genscale.c, built by
# `apnmap build`) it exits 0, draws every chart (the heat maps included), the
# page and stderr say they show the top 40 of 60, the page's graph data and
# overlap table hold only those 40, and the CSV files still hold every row
# (counted with sqlite3 on the database).
set -eu
: "${APNMAP:?}" "${ROOT:?}"
command -v gnuplot >/dev/null || { echo "gnuplot missing (tools/deps.sh installs gnuplot-nox)"; exit 77; }
command -v sqlite3 >/dev/null || { echo "sqlite3 missing (tools/deps.sh installs it)"; exit 77; }
pkg-config --exists xlsxwriter || { echo "libxlsxwriter-dev missing (tools/deps.sh installs it)"; exit 77; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail=0
bad() { echo "report_scale: $*"; fail=1; }

cc -std=c17 -O1 -o "$t/genscale" "$ROOT/bench/genscale.c" $(pkg-config --cflags --libs xlsxwriter)
"$t/genscale" -n 60 "$t/corpus" > "$t/gen.out" 2>&1 || { cat "$t/gen.out"; bad "genscale failed"; exit 1; }
"$APNMAP" build -o "$t/s.db" "$t/corpus" > "$t/build.out" 2>&1 || { cat "$t/build.out"; bad "build failed"; exit 1; }

rc=0
"$APNMAP" report --db "$t/s.db" -o "$t/out" 2> "$t/err" || rc=$?
[ "$rc" -eq 0 ] || { cat "$t/err"; bad "report exited $rc"; exit 1; }
grep -q 'note: report: 60 competencies: .*top 40 of each offering' "$t/err" || { cat "$t/err"; bad "no note on stderr"; }

n=$(sqlite3 "$t/s.db" "SELECT count(*) FROM competency")
[ "$n" -eq 60 ] || bad "expected 60 competencies, the database has $n"
for o in saas customer-deployed services; do
    m=$(sqlite3 "$t/s.db" "SELECT count(DISTINCT competency_id) FROM offering_checklist WHERE offering = '$o'")
    [ "$m" -le 40 ] && continue   # an offering at or under the limit is shown whole
    for f in bars overlap hardest; do
        for x in svg png; do
            [ -s "$t/out/$f-$o.$x" ] || bad "$f-$o.$x missing"
        done
    done
    grep -q "$o: top 40 of $m" "$t/out/index.html" || bad "the page does not say '$o: top 40 of $m'"
    grep -q "top 40 of $m competencies by requirement count" "$t/out/overlap-$o.svg" ||
        bad "the heat map of $o does not say it shows the top 40 of $m"
    # the heat map has 40 x 40 cells, each with its number (60 x 60 would be 3,600)
    k=$(grep -c '<text' "$t/out/overlap-$o.svg")
    [ "$k" -ge 1600 ] && [ "$k" -lt 2000 ] || bad "overlap-$o.svg has $k texts, not a 40 x 40 map"
    # the page's overlap table: 40 * 39 / 2 pairs of the offering
    p=$(grep -o "<tr data-offering=\"$o\"><td>$o</td>" "$t/out/index.html" | wc -l)
    [ "$p" -eq 780 ] || bad "the page's overlap table has $p rows of $o, not 780"
done
[ -s "$t/out/reach.svg" ] && [ -s "$t/out/reach.png" ] || bad "reach chart missing"

# every pair and every row in the files
for q in "overlap|SELECT count(*) FROM v_overlap" "stats|SELECT count(*) FROM v_prefix_counts" \
         "hardest|SELECT count(*) FROM (SELECT DISTINCT competency, offering FROM v_offering_requirement)"; do
    f=${q%%|*}
    want=$(sqlite3 "$t/s.db" "${q#*|}")
    got=$(($(wc -l < "$t/out/$f.csv") - 1))
    [ "$got" -eq "$want" ] || bad "$f.csv has $got rows, the database $want"
    gotj=$(grep -c '^  {' "$t/out/$f.json" || true)
    [ "$gotj" -eq "$want" ] || bad "$f.json has $gotj rows, the database $want"
done
pairs=$(sqlite3 "$t/s.db" "SELECT count(*) FROM offering_checklist GROUP BY offering" |
        awk '{ s += $1 * ($1 - 1) / 2 } END { print s }')
ov=$(($(wc -l < "$t/out/overlap.csv") - 1))
[ "$ov" -eq "$pairs" ] || bad "overlap.csv has $ov rows, not every pair ($pairs)"
# the file matches the listing command, plus the partial column
"$APNMAP" overlap --db "$t/s.db" --format csv > "$t/ov.csv"
sed 's/,partial$//; s/,false$//; s/,true$//' "$t/out/overlap.csv" | cmp -s - "$t/ov.csv" ||
    bad "overlap.csv differs from apnmap overlap"

# --top moves the limit; at 60 nothing is left out and nothing is said
"$APNMAP" report --db "$t/s.db" -o "$t/all" --top 60 --no-charts 2> "$t/err2"
! grep -q 'note: report:' "$t/err2" || bad "--top 60 still notes a limit"
! grep -q 'class="note limit"' "$t/all/index.html" || bad "--top 60 still says the page is limited"
exit $fail
