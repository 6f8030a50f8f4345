#!/bin/sh
# The report in a real browser. `apnmap build` turns the bundled corpus into a
# database, `apnmap report` writes index.html, and tests/browser/report.test.js
# (node, playwright-core from web/node_modules) drives Debian's chromium
# (installed here when missing, as root) with real mouse and keyboard events:
# node counts, a clicked competency's requirement list, the offering filter and
# the search box are checked against what sqlite3 says, written here as JSON.
# Any request that is not file:// fails the test. The screenshot goes to
# $BUILD/test-output/report_browser/screenshot.png.
set -eu
: "${APNMAP:?}" "${ROOT:?}" "${BUILD:?}"
command -v gnuplot >/dev/null || { echo "gnuplot missing (tools/deps.sh installs gnuplot-nox)"; exit 77; }
command -v node >/dev/null || { echo "node missing (tools/deps.sh installs nodejs)"; exit 77; }
[ -f "$ROOT/web/node_modules/playwright-core/package.json" ] ||
    { echo "playwright-core missing from web/node_modules: run 'npm ci --prefix web' (it installs devDependencies)"; exit 77; }
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
"$APNMAP" build -o "$t/c.db" "$ROOT/data/corpus" > "$t/build.out" 2>&1 ||
    { cat "$t/build.out"; echo "report_browser: build failed"; exit 1; }
"$APNMAP" report --db "$t/c.db" -o "$t/out" > "$t/report.out" 2>&1 ||
    { cat "$t/report.out"; echo "report_browser: report failed"; exit 1; }

# What the database says the page must show, computed here and not by the page.
mkdir "$t/want"
q() { sqlite3 -json "$t/c.db" "$2" > "$t/want/$1.json"; }
# competency nodes per offering (and the category nodes they bring)
q competencies "SELECT oc.offering, c.slug, c.name, COALESCE(c.category, '') AS category, oc.partial
                FROM offering_checklist oc JOIN competency c ON c.id = oc.competency_id ORDER BY 1, 2"
# prerequisite checklists that are not competencies: one box each; an FTR
# variant belongs to its own offering only (docs/design.md §3)
q checklists "SELECT DISTINCT oc.offering, t.name FROM offering_checklist oc
              JOIN prerequisite p ON p.checklist_id = oc.checklist_id
              JOIN checklist t ON t.id = p.requires_checklist_id
              WHERE t.competency_id IS NULL
                AND NOT (t.programme = 'FTR' AND ((t.variant = 'partner-hosted' AND oc.offering <> 'saas')
                     OR (t.variant = 'customer-deployed' AND oc.offering <> 'customer-deployed')))
              ORDER BY 1, 2"
q requirements "SELECT competency, offering, requirement_id FROM v_offering_requirement ORDER BY 1, 2, 3"
# table rows carrying an offering: stats, overlap, and one hardest row per competency
q rows "SELECT o.offering,
               (SELECT count(*) FROM v_prefix_counts v WHERE v.offering = o.offering)
             + (SELECT count(*) FROM v_overlap v WHERE v.offering = o.offering)
             + (SELECT count(DISTINCT competency) FROM v_offering_requirement v WHERE v.offering = o.offering) AS n
        FROM (SELECT DISTINCT offering FROM offering_checklist) o ORDER BY 1"

shots="$BUILD/test-output/report_browser"
mkdir -p "$shots"
rm -f "$shots/screenshot.png"
REPORT_HTML="$t/out/index.html" WANT_DIR="$t/want" SCREENSHOT="$shots/screenshot.png" \
    timeout 120 node "$ROOT/tests/browser/report.test.js"
