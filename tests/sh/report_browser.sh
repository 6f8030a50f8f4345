#!/bin/sh
# The report in a real browser: headless Chromium (Debian's chromium, installed
# here when missing) opens index.html#selftest from file:// with networking off;
# report.js then draws the graph for every offering, clicks a competency and
# writes what it saw into pre#selftest, which --dump-dom hands back. The counts
# are checked against the database with sqlite3. A screenshot of the page is
# saved under $BUILD/test-output/report_browser/ to look at.
set -eu
: "${APNMAP:?}" "${RES:?}" "${BUILD:?}"
command -v gnuplot >/dev/null || { echo "gnuplot missing (tools/deps.sh installs gnuplot-nox)"; exit 77; }
if ! command -v chromium >/dev/null; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "chromium is not installed and this is not root: run 'apt-get install chromium'"
        exit 77
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        -o DPkg::Lock::Timeout=300 chromium >/dev/null 2>&1 ||
        { DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
          DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; }
fi
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
sh "$RES/report/mkdb.sh" "$t/t.db"
"$APNMAP" report --db "$t/t.db" -o "$t/out"

chrome() {
    profile=$1
    shift
    timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --disable-quic \
        --disable-extensions --disable-default-apps --disable-dev-shm-usage --no-proxy-server --proxy-bypass-list='*' \
        --user-data-dir="$t/profile-$profile" --virtual-time-budget=15000 "$@" 2>>"$t/chromium.log"
}
chrome dom --dump-dom "file://$t/out/index.html#selftest" > "$t/dom.html" || {
    tail -20 "$t/chromium.log"; echo "report_browser: chromium failed"; exit 1; }
shots="$BUILD/test-output/report_browser"
mkdir -p "$shots"
chrome shot --window-size=1400,1100 --screenshot="$shots/screenshot.png" "file://$t/out/index.html" >/dev/null || true

# what the database says the page must show, per offering
q() { sqlite3 "$t/t.db" "$1"; }
for o in saas customer-deployed services; do
    comps=$(q "SELECT count(*) FROM offering_checklist WHERE offering = '$o'")
    cats=$(q "SELECT count(DISTINCT c.category) FROM offering_checklist oc JOIN competency c ON c.id = oc.competency_id
              WHERE oc.offering = '$o' AND c.category <> ''")
    ckl=$(q "SELECT count(DISTINCT t.id) FROM offering_checklist oc JOIN prerequisite p ON p.checklist_id = oc.checklist_id
             JOIN checklist t ON t.id = p.requires_checklist_id WHERE oc.offering = '$o' AND t.competency_id IS NULL
             AND NOT (t.programme = 'FTR' AND ((t.variant = 'partner-hosted' AND '$o' <> 'saas')
                  OR (t.variant = 'customer-deployed' AND '$o' <> 'customer-deployed')))")
    rows=$(q "SELECT (SELECT count(*) FROM v_prefix_counts WHERE offering = '$o') + (SELECT count(*) FROM v_overlap WHERE offering = '$o')
              + (SELECT count(DISTINCT competency) FROM v_offering_requirement WHERE offering = '$o')")
    slugs=$(q "SELECT group_concat(slug, ',') FROM (SELECT c.slug FROM offering_checklist oc JOIN competency c ON c.id = oc.competency_id
               WHERE oc.offering = '$o' ORDER BY c.slug)")
    echo "$o $comps $cats $ckl $rows $slugs"
done > "$t/expected.txt"
q "SELECT competency, offering, count(*) FROM v_offering_requirement GROUP BY 1, 2" > "$t/reqcounts.txt"

python3 - "$t/dom.html" "$t/expected.txt" "$t/reqcounts.txt" <<'PY'
import html, json, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<pre id="selftest"[^>]*data-done="1"[^>]*>(.*?)</pre>', dom, re.S)
if not m:
    print("report_browser: the self-test did not finish (no pre#selftest result)"); sys.exit(1)
res = json.loads(html.unescape(m.group(1)))
fails = []
want = {}
for line in open(sys.argv[2]):
    o, comps, cats, ckl, rows, slugs = line.split(" ", 5)
    want[o] = dict(competencies=int(comps), categories=int(cats), checklists=int(ckl),
                   visible_table_rows=int(rows), labels=slugs.strip().split(",") if slugs.strip() else [])
reqs = {}
for line in open(sys.argv[3]):
    c, o, n = line.strip().split("|")
    reqs[(c, o)] = int(n)
for o, w in want.items():
    got = res["offerings"].get(o)
    if got is None:
        fails.append("offering %s not offered by the filter" % o); continue
    for k, v in w.items():
        if got[k] != v:
            fails.append("%s: %s = %r, want %r" % (o, k, got[k], v))
    nodes = w["competencies"] + w["categories"] + w["checklists"]
    if got["nodes"] != nodes:
        fails.append("%s: %d nodes drawn, want %d" % (o, got["nodes"], nodes))
labels = [tuple(res["offerings"][o]["labels"]) for o in res["offerings"]]
if len(set(labels)) < 2:
    fails.append("the offering filter did not change the visible competencies")
c = res.get("click") or {}
n = reqs.get((c.get("slug"), c.get("offering")))
if not c or n is None or c.get("listed") != n:
    fails.append("clicking %r listed %r requirements, want %r" % (c.get("slug"), c.get("listed"), n))
if res.get("canvas", 0) < 1 or not res.get("painted"):
    fails.append("the graph canvas was not painted (%r canvases)" % res.get("canvas"))
for f in fails:
    print("report_browser:", f)
print("report_browser: selftest", json.dumps(res)[:300])
sys.exit(1 if fails else 0)
PY
