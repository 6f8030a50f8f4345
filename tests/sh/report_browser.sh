#!/bin/sh
# The report in a real browser. `apnmap build` turns the bundled corpus into a
# database, `apnmap report` writes index.html, and tests/browser/report.test.js
# (node, playwright-core from web/node_modules) drives Debian's chromium
# (installed here when missing, as root) with real mouse and keyboard events:
# node counts, a clicked competency's requirement list, the offering filter and
# the search box are checked against what sqlite3 says, written here as JSON.
# Any request that is not file:// fails the test, and so does any TCP connection
# or any datagram the browser sends over IPv4/IPv6 (DNS look-ups included): the
# browser runs under strace, which records connect/sendto/sendmsg of every
# process it starts. connect() on a UDP socket is allowed: Chromium's IPv6
# reachability probe "connects" one to pick a route, which sends nothing. The
# page's numbers in What next are checked against `apnmap plan --next 5` for
# nothing held and three held sets, index.html must stay under 1.5 MB, and the
# screenshots (1400 px wide) go to $BUILD/test-output/report_browser/*.png.
set -eu
: "${APNMAP:?}" "${ROOT:?}" "${BUILD:?}"
command -v gnuplot >/dev/null || { echo "gnuplot missing (tools/deps.sh installs gnuplot-nox)"; exit 77; }
command -v node >/dev/null || { echo "node missing (tools/deps.sh installs nodejs)"; exit 77; }
command -v strace >/dev/null || { echo "strace missing (tools/deps.sh installs strace)"; exit 77; }
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
# table rows carrying an offering: one hardest row and one stats row (the
# competency x prefix grid) per competency, and one overlap row per pair
q rows "SELECT o.offering,
               (SELECT count(DISTINCT competency) FROM v_prefix_counts v WHERE v.offering = o.offering)
             + (SELECT count(*) FROM v_overlap v WHERE v.offering = o.offering)
             + (SELECT count(DISTINCT competency) FROM v_offering_requirement v WHERE v.offering = o.offering) AS n
        FROM (SELECT DISTINCT offering FROM offering_checklist) o ORDER BY 1"

# What next: `apnmap plan --next 5` for nothing held and three held sets (the
# page's selector must rank as the planner does), in the page's default offering
off=$(sqlite3 "$t/c.db" "SELECT offering FROM offering_checklist GROUP BY offering ORDER BY count(*) DESC, offering LIMIT 1")
i=0
for have in "" security security,managed-security-service-provider data-and-analytics,machine-learning,generative-ai; do
    "$APNMAP" plan --db "$t/c.db" --next 5 --offering "$off" ${have:+--have "$have"} --format json \
        > "$t/want/next-$i.json" 2> "$t/plan.err" || { cat "$t/plan.err"; echo "report_browser: plan --next failed"; exit 1; }
    printf '{"offering": "%s", "have": "%s"}\n' "$off" "$have" > "$t/want/next-$i.have.json"
    i=$((i + 1))
done

# the page's weight
size=$(wc -c < "$t/out/index.html")
echo "index.html: $size bytes"
[ "$size" -lt 1500000 ] || { echo "FAIL index.html is $size bytes, not under 1,500,000"; exit 1; }

shots="$BUILD/test-output/report_browser"
mkdir -p "$shots"
rm -f "$shots"/*.png
# The browser under strace: every process it forks, only the calls that can reach
# a network (connect, sendto, sendmsg, sendmmsg).
strace -f -o /dev/null true 2>/dev/null || { echo "FAIL strace cannot trace here (ptrace refused)"; exit 1; }
printf '#!/bin/sh\nexec strace -f -qq -yy -e signal=none -e trace=connect,sendto,sendmsg,sendmmsg -o "%s" /usr/bin/chromium "$@"\n' \
    "$t/net.trace" > "$t/chromium"
chmod +x "$t/chromium"
rc=0
CHROMIUM="$t/chromium" REPORT_HTML="$t/out/index.html" WANT_DIR="$t/want" SCREENSHOT="$shots/screenshot.png" SHOTS="$shots" \
    timeout 180 node "$ROOT/tests/browser/report.test.js" || rc=$?
[ -s "$t/net.trace" ] || { echo "FAIL the browser's system calls were not traced"; exit 1; }
# the trace is live: chromium's processes talk over Unix sockets all along
grep -q 'sendmsg(' "$t/net.trace" || { echo "FAIL the trace holds no sendmsg: strace did not follow the browser"; exit 1; }
# -yy names each socket's protocol (<TCP:...>, <UDPv6:...>): a call on an inet
# socket, or one naming an inet address, is network use, but for a UDP connect.
awk '/AF_INET|<(TCP|UDP|UDPLITE|SCTP|RAW)(v6)?:/ && !/ connect\([0-9]+<UDP(v6)?:/' "$t/net.trace" > "$t/inet"
if [ -s "$t/inet" ]; then
    echo "FAIL the browser used the network:"
    head -20 "$t/inet"
    exit 1
fi
echo "ok   the browser opened no TCP connection and sent no datagram over IPv4/IPv6 ($(grep -c ' connect([0-9]*<UDP' "$t/net.trace") UDP route probes, $(wc -l < "$t/net.trace") calls traced)"
exit $rc
