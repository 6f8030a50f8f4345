#!/bin/sh
# hostile_fetch_queue — issue 14 finding 4 (fetch's part): the fetch queue grew
# without bound: every link of every page was kept (queued, or remembered as
# not followed), so an endless site of pages of links cost hundreds of MB
# within --max-files requests (700 MB after 10 pages of 1 M links; here 6 pages
# of 50,000 links: 88 MB). Now --max-files bounds the queue itself (links past
# it are counted and named in a warning, never kept), links not followed are
# counted, never kept, and a page gives at most 100,000 links (the rest named in
# a warning); pages are read as SAX events, without a tree. Against
# tests/resources/site/server.py on 127.0.0.1 only.
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
[ -s "$work/port" ] || { echo "hostile_fetch_queue: the test server did not start"; exit 1; }
base="http://127.0.0.1:$(cat "$work/port")"
fail=0
# 6 pages of 50,000 links to new pages: 5 of the first page's queued, every other link counted
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1"
/usr/bin/time -f '%M' -o "$work/rss" "$APNMAP" fetch -o "$work/m" --rate 200 --retries 0 --max-files 6 \
    "$base/competency/links-50000/consulting/P.html" > "$work/out" 2> "$work/err"
rc=$?
if [ "$rc" != 0 ] ||
   ! grep -q "^apnmap: warning: the queue reached 6 URLs (--max-files): 299995 more links to follow were not queued" "$work/err" ||
   ! grep -q "6 saved, 0 unchanged, 0 failed, 0 links not followed, 299995 not queued (--max-files)" "$work/out"; then
    echo "hostile_fetch_queue: exit $rc, want 0 and 299995 links not queued:"; cat "$work/err" "$work/out"; fail=1
fi
[ "$(find "$work/m" -name '*.html' | wc -l)" = 6 ] || { echo "hostile_fetch_queue: want 6 pages mirrored"; fail=1; }
kb=$(tail -1 "$work/rss")
[ "$kb" -lt 65536 ] || { echo "hostile_fetch_queue: peak RSS $kb KB, want under 64 MB"; fail=1; }
# one page of 150,000 links: 100,000 read, the rest named
"$APNMAP" fetch -o "$work/m2" --rate 200 --retries 0 --max-files 1 \
    "$base/competency/links-150000/consulting/P.html" > "$work/out" 2> "$work/err"
grep -q "P.html: warning: 50000 links more than the 100000 read from one page: not followed" "$work/err" ||
    { echo "hostile_fetch_queue: the per-page bound is not named:"; cat "$work/err"; fail=1; }
exit $fail
