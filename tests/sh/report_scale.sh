#!/bin/sh
# The report above its limit (APN_REPORT_TOP, 40 competencies per offering):
# over a generated corpus of 60 competencies (bench/genscale.c, built by
# `apnmap build`) it exits 0, draws every chart (the heat maps included), the
# page and stderr say they show the top 40 of 60, and the page's data and the
# CSV and JSON files hold only those 40 (their rows as the listing commands
# print them): the report stays bounded however many competencies there are.
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
done
[ -s "$t/out/reach.svg" ] && [ -s "$t/out/reach.png" ] || bad "reach chart missing"

# the page's data and the files hold the shown competencies only: 40 * 39 / 2
# pairs of an offering above the limit, every pair of one under it, each row as
# `apnmap overlap`, `apnmap hardest` and `apnmap stats` print it (plus partial)
for l in overlap hardest stats; do
    "$APNMAP" "$l" --db "$t/s.db" --format csv > "$t/all-$l.csv"
done
sqlite3 "$t/s.db" "SELECT offering, count(DISTINCT competency_id) FROM offering_checklist GROUP BY offering" > "$t/counts"
python3 - "$t" > "$t/files.out" <<'PY' || { cat "$t/files.out"; fail=1; }
import csv, html, json, re, sys
t = sys.argv[1]
fails = []
counts = {o: int(n) for o, n in (l.strip().split("|") for l in open(t + "/counts"))}
page = open(t + "/out/index.html", encoding="utf-8").read()
d = json.loads(re.search(r'<script type="application/json" id="apn-data">(.*?)</script>', page, re.S).group(1))
rows = lambda f: list(csv.DictReader(open(f, encoding="utf-8")))
def key(r):
    return tuple(v for k, v in r.items() if k != "partial")
full = {l: set(key(r) for r in rows("%s/all-%s.csv" % (t, l))) for l in ("overlap", "hardest", "stats")}
shown = {}
for o, m in counts.items():
    k = min(m, 40)
    shown[o] = set(c["slug"] for c in d["competencies"] if o in c["offerings"])
    if len(shown[o]) != k:
        fails.append("the page's data shows %d competencies of %s, not %d" % (len(shown[o]), o, k))
    if len(d["pairs"].get(o, [])) != k * (k - 1) // 2:
        fails.append("the page's data has %d pairs of %s, not %d" % (len(d["pairs"].get(o, [])), o, k * (k - 1) // 2))
for l, cols in (("overlap", ("a", "b")), ("hardest", ("competency",)), ("stats", ("competency",))):
    got = rows("%s/out/%s.csv" % (t, l))
    for r in got:
        if key(r) not in full[l]:
            fails.append("%s.csv: a row apnmap %s does not print: %r" % (l, l, r)); break
        if any(r[c] not in shown[r["offering"]] for c in cols):
            fails.append("%s.csv: a row of a competency not shown: %r" % (l, r)); break
    want = [x for x in full[l] if all(x[list(r.keys()).index(c)] in shown[x[list(r.keys()).index("offering")]] for c in cols)] if got else []
    if len(got) != len(want):
        fails.append("%s.csv has %d rows, the shown competencies %d" % (l, len(got), len(want)))
    j = json.load(open("%s/out/%s.json" % (t, l), encoding="utf-8"))
    if len(j) != len(got):
        fails.append("%s.json has %d rows, %s.csv %d" % (l, len(j), l, len(got)))
for f in fails: print("report_scale:", f)
sys.exit(1 if fails else 0)
PY

# --top moves the limit; at 60 nothing is left out and nothing is said
"$APNMAP" report --db "$t/s.db" -o "$t/all" --top 60 --no-charts 2> "$t/err2"
! grep -q 'note: report:' "$t/err2" || bad "--top 60 still notes a limit"
! grep -q 'class="note limit"' "$t/all/index.html" || bad "--top 60 still says the page is limited"
exit $fail
