#!/bin/sh
# hostile_fetch_side — issue 14 finding 6 (fetch's part): a same-origin redirect
# let a server plant aliases.csv or categories.csv in the mirror (at its root,
# where build reads them, or in a subfolder someone may build alone), which
# build then trusts: a competency renamed or filed elsewhere by the site. Now a
# URL whose file would be named as one of build's side files is never written
# (any folder, any case), and a link's redirect must pass the follow rule, as
# the link had to. Against tests/resources/site/server.py on 127.0.0.1 only.
set -u
py=/usr/bin/python3
[ -x "$py" ] || { echo "skipped: /usr/bin/python3 is not installed"; exit 77; }
work=$(mktemp -d)
spid=
cleanup() { [ -n "$spid" ] && kill "$spid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
cp -R "$ROOT/tests/resources/site/root" "$work/root"
"$py" "$ROOT/tests/resources/site/server.py" "$work/root" "$work/port" "$work/log" &
spid=$!
i=0
while [ ! -s "$work/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$work/port" ] || { echo "hostile_fetch_side: the test server did not start"; exit 1; }
base="http://127.0.0.1:$(cat "$work/port")"
p="$base/competency/plant/consulting"
fail=0
# start URLs that redirect to side files, and one that is a side file
"$APNMAP" fetch -o "$work/m" --rate 200 --retries 0 "$p/CAliases.html" "$p/CCategories.html" \
    "$p/CManifest.html" "$p/CDeepAliases.html" "$base/aliases.csv" > "$work/out" 2> "$work/err"
rc=$?
[ "$rc" = 1 ] || { echo "hostile_fetch_side: exit $rc, want 1"; fail=1; }
for f in aliases.csv categories.csv competency/plant/consulting/aliases.csv; do
    [ ! -e "$work/m/$f" ] || { echo "hostile_fetch_side: planted $f"; fail=1; }
done
grep -q "planted" "$work/m/manifest.csv" 2>/dev/null && { echo "hostile_fetch_side: manifest planted"; fail=1; }
[ "$(grep -c "error: cannot be mirrored: unsafe path" "$work/err")" = 5 ] ||
    { echo "hostile_fetch_side: want 5 refusals:"; cat "$work/err"; fail=1; }
grep -q "CAliases.html: error: cannot be mirrored: unsafe path (its name is a file build reads beside the inputs, written only by apnmap or you), redirected to $base/aliases.csv" \
    "$work/err" || { echo "hostile_fetch_side: the refusal does not say why"; fail=1; }
# a link whose redirect leaves the follow rule: reported, the target never requested
mkdir -p "$work/root/competency/plant/consulting"
printf '<a href="CChangelog.html">x</a><a href="CAliases.html">y</a>\n' > "$work/root/competency/plant/consulting/CIndex.html"
: > "$work/log"
"$APNMAP" fetch -o "$work/m2" --rate 200 --retries 0 "$p/CIndex.html" > "$work/out" 2> "$work/err"
rc=$?
[ "$rc" = 1 ] || { echo "hostile_fetch_side: link run: exit $rc, want 1"; fail=1; }
grep -q "CChangelog.html: error: redirect to $base/changelog/notes.html not followed (not a checklist page or workbook)" \
    "$work/err" || { echo "hostile_fetch_side: the link's redirect was not refused:"; cat "$work/err"; fail=1; }
grep -q "^GET /changelog/" "$work/log" && { echo "hostile_fetch_side: the redirect target was requested"; fail=1; }
[ ! -e "$work/m2/aliases.csv" ] || { echo "hostile_fetch_side: planted aliases.csv through a link"; fail=1; }
exit $fail
