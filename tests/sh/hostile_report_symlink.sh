#!/bin/sh
# Issue 14, finding 6 (report's part): links planted in the report's folder,
# where report writes index.html, a listing and a chart (gnuplot writes the
# charts itself), relative, absolute and dangling. report must replace each link
# with its file and never write through one: the files they point at stay as
# they were, a dangling link's target is never created, and nothing is written
# outside the folder. A folder planted where a file goes fails the report
# (exit 3, naming it) and leaves every other file as it was.
set -u
: "${APNMAP:?}" "${ROOT:?}"
command -v gnuplot >/dev/null || { echo "gnuplot missing (tools/deps.sh installs gnuplot-nox)"; exit 77; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail=0
bad() { echo "hostile_report_symlink: $*"; fail=1; }
"$APNMAP" build -o "$t/c.db" "$ROOT/tests/contract/inputs" > "$t/build.out" 2>&1 ||
    { cat "$t/build.out"; bad "build failed"; exit 1; }
mkdir "$t/out"
for v in page stats chart; do echo "precious $v" > "$t/victim-$v"; done
ln -s ../victim-page "$t/out/index.html"
ln -s "$t/victim-stats" "$t/out/stats.csv"
ln -s ../victim-chart "$t/out/bars-saas.svg"
ln -s ../victim-chart "$t/out/bars-saas.png"
ln -s ../created-by-report "$t/out/overlap.json"
rc=0
"$APNMAP" report --db "$t/c.db" -o "$t/out" > "$t/report.out" 2>&1 || rc=$?
[ $rc -eq 0 ] || { cat "$t/report.out"; bad "report exited $rc"; }
for v in page stats chart; do
    [ "$(cat "$t/victim-$v")" = "precious $v" ] || bad "victim-$v was written through a link"
done
[ ! -e "$t/created-by-report" ] || bad "a dangling link's target was created outside the folder"
for f in index.html stats.csv bars-saas.svg bars-saas.png overlap.json; do
    { [ -f "$t/out/$f" ] && [ ! -L "$t/out/$f" ] && [ -s "$t/out/$f" ]; } || bad "$f is not the report's own file"
done
grep -q '<title>apnmap report</title>' "$t/out/index.html" || bad "index.html is not the page"
[ "$(ls -A "$t" | sort | tr '\n' ' ')" = "build.out c.db out report.out victim-chart victim-page victim-stats " ] ||
    bad "files outside the folder: $(ls -A "$t")"
ls -A "$t/out" | grep -q '\.tmp' && bad "temporary files left: $(ls -A "$t/out" | grep '\.tmp')"

# a folder where a file goes: exit 3, the name in the message, the rest untouched
cp -R "$t/out" "$t/before"
rm "$t/out/reach.png"
mkdir "$t/out/reach.png"
rm "$t/before/reach.png"
mkdir "$t/before/reach.png"
rc=0
"$APNMAP" report --db "$t/c.db" -o "$t/out" > "$t/report2.out" 2>&1 || rc=$?
[ $rc -eq 3 ] || { cat "$t/report2.out"; bad "a folder in a file's place: exit $rc, want 3"; }
grep -q 'reach.png' "$t/report2.out" || { cat "$t/report2.out"; bad "the message does not name reach.png"; }
diff -r "$t/before" "$t/out" > /dev/null || bad "a failed report changed the folder"
[ $fail -eq 0 ] && echo "report replaces planted links and never writes through them"
exit $fail
