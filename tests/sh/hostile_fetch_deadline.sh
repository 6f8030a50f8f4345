#!/bin/sh
# hostile_fetch_deadline — issue 14 finding 7 (fetch's part): fetch had no
# overall deadline: a server that trickles a byte every 0.2 s kept one request
# alive for its whole --timeout (120 s by default, per attempt, per retry), and
# an endless site of linked pages ran until --max-files. Now --deadline bounds
# the whole run (default an hour): no request, retry wait or transfer outlasts
# it; the run stops with an error naming the URLs not fetched, the manifest
# describes what was written, exit 1. `timeout` only keeps a regression from
# hanging the suite. Against tests/resources/site/server.py on 127.0.0.1 only.
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
[ -s "$work/port" ] || { echo "hostile_fetch_deadline: the test server did not start"; exit 1; }
base="http://127.0.0.1:$(cat "$work/port")"
fail=0
# the trickling page after a good one (3 s: time enough for the good one on a
# loaded machine; the trickle would last 120 s): the good one kept, the trickle cut
timeout 60 "$APNMAP" fetch -o "$work/m" --rate 200 --deadline 3 \
    "$base/competency/widgets/technology/CWid2.html" "$base/competency/drip/consulting/CDrip.html" \
    > "$work/out" 2> "$work/err"
rc=$?
if [ "$rc" != 1 ] || ! grep -q "^apnmap: error: stopped at the deadline (--deadline 3 s): [0-9]* URLs\{0,1\} not fetched" "$work/err" ||
   ! grep -q "1 saved, 0 unchanged, 0 failed, .*, [0-9]* not fetched (--deadline)" "$work/out"; then
    echo "hostile_fetch_deadline: trickle: exit $rc (124: still running after 60 s), want 1 and the deadline named:"
    cat "$work/err" "$work/out"; fail=1
fi
[ ! -e "$work/m/competency/drip" ] || { echo "hostile_fetch_deadline: the cut page was written"; fail=1; }
grep -q "^competency/widgets/technology/CWid2.html," "$work/m/manifest.csv" 2>/dev/null ||
    { echo "hostile_fetch_deadline: the manifest does not describe the page fetched"; fail=1; }
# an endless site of linked pages: stopped by the deadline, not by --max-files
timeout 60 "$APNMAP" fetch -o "$work/m2" --rate 20 --deadline 1 --max-files 100000 \
    "$base/competency/links-5/consulting/P.html" > "$work/out" 2> "$work/err"
rc=$?
if [ "$rc" != 1 ] || ! grep -q "^apnmap: error: stopped at the deadline (--deadline 1 s): [0-9]* URLs not fetched" "$work/err"; then
    echo "hostile_fetch_deadline: endless site: exit $rc, want 1 and the deadline named:"; cat "$work/err"; fail=1
fi
# bad values are usage errors
for bad in "-1" "x"; do
    "$APNMAP" fetch -o "$work/m3" --deadline "$bad" "$base/x.html" > /dev/null 2>&1
    rc=$?
    [ "$rc" = 2 ] || { echo "hostile_fetch_deadline: --deadline $bad: exit $rc, want 2"; fail=1; }
done
exit $fail
