#!/bin/sh
# apnmap gap --format xlsx, read back with openpyxl (issue 17's Done-when): over the
# bundled corpus, `gap --offering saas --met FILLED_FTR.xlsx security,iot` writes a
# workbook whose first sheet is Summary (the same counts as the CSV) and then one
# sheet per competency with AWS's columns, the header frozen, filters over every
# row, the Status cells coloured by status, Met? spelled as AWS's lists do, and the
# same rows as the CSV; text that looks like a formula stays text. A failed write
# (a folder that does not exist, an OUT that is a folder) leaves no file.
set -eu
: "${APNMAP:?}" "${ROOT:?}" "${RES:?}"
py=/usr/bin/python3   # Debian's, with python3-openpyxl (tools/deps.txt)
"$py" -c 'import openpyxl' 2>/dev/null || { echo "python3-openpyxl missing (tools/deps.sh installs it)"; exit 77; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail=0
bad() { echo "gap_xlsx: $*"; fail=1; }

"$APNMAP" build -o "$t/c.db" "$ROOT/data/corpus" > "$t/build.out" 2>&1 || { cat "$t/build.out"; exit 1; }
cp "$RES/plan/ftr_filled.xlsx" "$t/ftr.xlsx"
"$APNMAP" gap --db "$t/c.db" --offering saas --met "$t/ftr.xlsx" security,iot --format xlsx -o "$t/gap.xlsx" 2> "$t/err" ||
    { cat "$t/err"; bad "gap --format xlsx failed"; exit 1; }
"$APNMAP" gap --db "$t/c.db" --offering saas --met "$t/ftr.xlsx" security,iot --format csv > "$t/gap.csv" 2> "$t/err2" ||
    { cat "$t/err2"; bad "gap --format csv failed"; exit 1; }
"$py" - "$t/gap.xlsx" "$t/gap.csv" <<'PY' || fail=1
import csv, sys
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
rows = list(csv.DictReader(open(sys.argv[2], newline="", encoding="utf-8")))
bad = []
comps = []
for r in rows:
    if r["competency"] not in comps:
        comps.append(r["competency"])
if wb.sheetnames != ["Summary"] + comps:
    bad.append("sheets %r, expected %r" % (wb.sheetnames, ["Summary"] + comps))
head = ["ID", "Requirement Description", "Met?", "Partner Response", "Status", "Source", "Section"]
fills = {"met": "C6EFCE", "reused": "DDEBF7", "new": "FFEB9C", "evidence": "E4DFEC"}
spell = {"yes": "Yes", "no": "No", "na": "NA", "": None}
s = wb["Summary"]
if [c.value for c in s[1]] != ["Competency", "Offering", "Total", "Met", "Reused", "New", "Evidence"]:
    bad.append("Summary header %r" % [c.value for c in s[1]])
for i, comp in enumerate(comps):
    mine = [r for r in rows if r["competency"] == comp]
    want = [comp, "saas", len(mine)] + [sum(r["status"] == k for r in mine) for k in ("met", "reused", "new", "evidence")]
    got = [c.value for c in s[i + 2]]
    if got != want:
        bad.append("Summary row %d: %r, expected %r" % (i + 2, got, want))
    ws = wb[comp]
    if [c.value for c in ws[1]] != head:
        bad.append("%s: header %r" % (comp, [c.value for c in ws[1]]))
    if ws.freeze_panes != "A2":
        bad.append("%s: freeze_panes %r" % (comp, ws.freeze_panes))
    if ws.auto_filter.ref != "A1:G%d" % (len(mine) + 1):
        bad.append("%s: auto_filter %r over %d rows" % (comp, ws.auto_filter.ref, len(mine)))
    if ws.max_row != len(mine) + 1:
        bad.append("%s: %d rows, the CSV has %d" % (comp, ws.max_row - 1, len(mine)))
    for k, r in enumerate(mine):
        cells = ws[k + 2]
        got = [c.value for c in cells[:7]]
        exp = [r["requirement_id"], r["title"] or None, spell[r["met"]], r["response"] or None,
               r["status"], r["source"] or None, r["section"] or None]
        if got != exp:
            bad.append("%s row %d: %r, expected %r" % (comp, k + 2, got, exp))
            break
        rgb = cells[4].fill.fgColor.rgb or ""
        if not rgb.endswith(fills[r["status"]]):
            bad.append("%s row %d: Status fill %r for %s" % (comp, k + 2, rgb, r["status"]))
            break
st = [r["status"] for r in rows]
if "met" not in st or "reused" not in st or "new" not in st:
    bad.append("the fixture should give met, reused and new rows: %r" % sorted(set(st)))
for b in bad[:10]:
    print("gap_xlsx:", b)
sys.exit(1 if bad else 0)
PY

# a write that cannot happen leaves nothing behind
rc=0
"$APNMAP" gap --db "$t/c.db" --offering saas security --format xlsx -o "$t/nodir/gap.xlsx" 2> "$t/err3" || rc=$?
[ "$rc" -eq 3 ] || { cat "$t/err3"; bad "-o into a missing folder exited $rc, expected 3"; }
[ ! -e "$t/nodir" ] || bad "a missing folder was made"
mkdir "$t/isdir"
rc=0
"$APNMAP" gap --db "$t/c.db" --offering saas security --format xlsx -o "$t/isdir" 2> "$t/err4" || rc=$?
[ "$rc" -ne 0 ] || bad "-o onto a folder exited 0"
[ -z "$(ls -A "$t/isdir")" ] || bad "writing onto a folder left files: $(ls -A "$t/isdir")"
[ -z "$(ls -A "$t" | grep '^\.apnmap')" ] || bad "a stage was left behind"
exit $fail
