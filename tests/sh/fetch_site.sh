#!/bin/sh
# fetch against the fake checklist site of tests/resources/site (a Python server
# on 127.0.0.1, random port, killed at the end): an index linking checklist pages
# and a workbook whose key has spaces and parentheses, an off-site link and an
# off-host redirect (never followed), a 404 and a 403 (reported, the rest goes
# on), a 500 that succeeds on retry, a slow page (timeout), a 301; then a second
# run that downloads and rewrites nothing, and a run with --lang ko.
set -u
py=/usr/bin/python3
[ -x "$py" ] || { echo "skipped: /usr/bin/python3 is not installed"; exit 77; }
site="$ROOT/tests/resources/site"
work=$(mktemp -d)
spid=
cleanup() { [ -n "$spid" ] && kill "$spid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
fail() { for f in out1 err1 out2 err2 log; do [ -f "$work/$f" ] && { echo "--- $f"; cat "$work/$f"; }; done; echo "FAIL: $*"; exit 1; }
# the requests must go straight to 127.0.0.1, whatever the environment says
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy

# the server reads a copy of the site, so that a run can find a page changed
cp -R "$site/root" "$work/root"
"$py" "$site/server.py" "$work/root" "$work/port" "$work/log" &
spid=$!
i=0
while [ ! -s "$work/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$work/port" ] || fail "the test server did not start"
port=$(cat "$work/port")
base="http://127.0.0.1:$port"
m="$work/m"
# generous timeouts (a loaded machine must not fail the test); the slow page has its own run
opts="--rate 200 --retries 1 --backoff 0.05 --timeout 10"

# ---- run 1
"$APNMAP" fetch -o "$m" $opts "$base/foundational/index/all/CIdx.html" > "$work/out1" 2> "$work/err1"
rc=$?
[ $rc -eq 1 ] || fail "run 1 exit $rc, want 1 (some URLs fail)"
for f in foundational/index/all/CIdx.html \
         competency/widgets/consulting/CWid1.html \
         "competency/widgets/consulting/CWid1/Widgets Self-Assessment (v2).xlsx" \
         competency/widgets/technology/CWid2.html \
         "competency/small-and-medium-business-(smb)/consulting/CSmb1.html" \
         foundational/partner-hosted/partner-hosted/CFtr1.html \
         competency/flaky/consulting/CFlaky.html \
         competency/moved/consulting/CNew.html; do
    [ -f "$m/$f" ] || fail "not mirrored: $f"
done
cmp -s "$m/competency/widgets/consulting/CWid1/Widgets Self-Assessment (v2).xlsx" \
       "$site/root/competency/widgets/consulting/CWid1/Widgets Self-Assessment (v2).xlsx" \
    || fail "the workbook's bytes differ from the server's"
for f in competency/offsite competency/gone competency/slow competency/widgets/consulting/CMissing.html \
         foundational/partner-hosted/partner-hosted/ko changelog; do
    [ ! -e "$m/$f" ] || fail "should not be mirrored: $f"
done
grep -q "^GET /competency/offsite/" "$work/log" && fail "an off-site link or redirect was followed"
grep -q "^GET /changelog/" "$work/log" && fail "a non-checklist link was followed"
grep -q "^GET /competency/widgets/consulting/CWid1/Widgets%20Self-Assessment%20(v2).xlsx 200 " "$work/log" \
    || fail "the workbook was not requested with its spaces percent-encoded"
[ "$(grep -c "^GET /competency/widgets/consulting/CWid1/Widgets" "$work/log")" -eq 1 ] \
    || fail "the workbook (linked twice) was requested more than once"
grep -q "^GET /competency/flaky/consulting/CFlaky.html 500 " "$work/log" || fail "no 500 seen"
grep -q "^GET /competency/flaky/consulting/CFlaky.html 200 " "$work/log" || fail "the 500 was not retried"
grep -v " ua=apnmap/" "$work/log" | grep -q . && fail "a request without the apnmap User-Agent"
grep -q "CGone.html: error: HTTP 404" "$work/err1" || fail "the 404 is not reported"
grep -q "CMissing.html: error: HTTP 403" "$work/err1" || fail "the 403 is not reported"
grep -q "CAway.html: error: redirect to http://localhost:$port/.* not followed" "$work/err1" \
    || fail "the off-host redirect is not reported"
grep -q "8 saved, 0 unchanged, 3 failed" "$work/out1" || fail "run 1 summary"
man="$m/manifest.csv"
[ "$(head -1 "$man")" = "path,url,etag,last_modified,sha256,fetched_at,coverage,note" ] || fail "manifest header"
[ "$(tail -n +2 "$man" | wc -l)" -eq 8 ] || fail "manifest rows"
sha=$(sha256sum "$m/competency/widgets/consulting/CWid1/Widgets Self-Assessment (v2).xlsx" | cut -d' ' -f1)
grep -q "^competency/widgets/consulting/CWid1/Widgets Self-Assessment (v2).xlsx,$base/competency/widgets/consulting/CWid1/Widgets%20Self-Assessment%20(v2).xlsx,\"\"\"[0-9a-f]*\"\"\",\"Wed, 01 Jan 2025 00:00:00 GMT\",$sha,20[0-9-]*T[0-9:]*Z,complete,\$" "$man" \
    || fail "the workbook's manifest row (quoted ETag, sha256, url)"
grep -q "^competency/moved/consulting/CNew.html,$base/competency/moved/consulting/CNew.html,.*,redirected from $base/competency/moved/consulting/COld.html\$" "$man" \
    || fail "the redirect's manifest row"

# ---- run 2: conditional requests, nothing downloaded or rewritten
cp "$man" "$work/man1"
touch "$work/stamp"
: > "$work/log"
"$APNMAP" fetch -o "$m" $opts "$base/foundational/index/all/CIdx.html" > "$work/out2" 2> "$work/err2"
rc=$?
[ $rc -eq 1 ] || fail "run 2 exit $rc, want 1"
grep -q "0 saved, 8 unchanged, 3 failed" "$work/out2" || fail "run 2 summary"
cmp -s "$man" "$work/man1" || fail "the manifest changed on the second run"
[ -z "$(find "$m" -newer "$work/stamp" -print)" ] || fail "files rewritten: $(find "$m" -newer "$work/stamp")"
# every file already mirrored was asked for conditionally and came back 304
grep " 200 " "$work/log" && fail "run 2 downloaded something"
[ "$(grep -c ' 304 inm="' "$work/log")" -eq 8 ] || fail "run 2: want 8 conditional 304 answers"

# ---- run 3: --lang ko follows the Korean translation
"$APNMAP" fetch -o "$m" $opts --lang ko "$base/foundational/partner-hosted/partner-hosted/CFtr1.html" \
    > "$work/out3" 2> "$work/err3"
rc=$?
[ $rc -eq 0 ] || fail "run 3 exit $rc, want 0: $(cat "$work/err3")"
[ -f "$m/foundational/partner-hosted/partner-hosted/ko/CFtr1.html" ] || fail "--lang ko: translation not mirrored"
grep -q "^foundational/index/all/CIdx.html," "$man" || fail "run 3 dropped earlier manifest rows"

# ---- run 4: a page changes on the site; only it is downloaded again, and a
# build of the mirror before and after shows the change through diff
"$APNMAP" build -o "$work/before.db" "$m" > /dev/null 2>&1
sed 's/WID-001 - Widget design</WID-001 - Widget design and review</' \
    "$site/root/competency/widgets/consulting/CWid1.html" > "$work/root/competency/widgets/consulting/CWid1.html"
cp "$man" "$work/man3"
: > "$work/log"
"$APNMAP" fetch -o "$m" $opts "$base/foundational/index/all/CIdx.html" > "$work/out4" 2> "$work/err4"
grep -q "1 saved, 7 unchanged, 3 failed" "$work/out4" || fail "run 4 summary: $(cat "$work/out4")"
grep -q "^GET /competency/widgets/consulting/CWid1.html 200 inm=\"" "$work/log" \
    || fail "run 4: the changed page was not fetched conditionally and downloaded"
cmp -s "$m/competency/widgets/consulting/CWid1.html" "$work/root/competency/widgets/consulting/CWid1.html" \
    || fail "run 4: the changed page was not rewritten"
[ "$(diff "$work/man3" "$man" | grep -c '^>')" -eq 1 ] || fail "run 4: want exactly one manifest row changed"
diff "$work/man3" "$man" | grep -q "^> competency/widgets/consulting/CWid1.html," || fail "run 4: the wrong row changed"
"$APNMAP" build -o "$work/after.db" "$m" > /dev/null 2>&1
"$APNMAP" diff "$work/before.db" "$work/after.db" --format csv > "$work/diff.csv" 2>&1
printf '%s\n' "change,checklist,requirement_id,detail,competency" \
    "changed,widgets services,WID-001,title: Widget design -> Widget design and review,widgets" > "$work/diff.want"
cmp -s "$work/diff.csv" "$work/diff.want" || fail "diff of the two builds: $(cat "$work/diff.csv")"

# ---- a URL whose mirror path would be the manifest is refused before any request
: > "$work/log"
"$APNMAP" fetch -o "$m" $opts "$base/manifest.csv" > /dev/null 2> "$work/err6"
[ $? -eq 1 ] || fail "manifest.csv as a URL: want exit 1"
grep -q "unsafe path" "$work/err6" || fail "manifest.csv as a URL: not reported"
[ ! -s "$work/log" ] || fail "manifest.csv as a URL was requested"
grep -q "^foundational/index/all/CIdx.html," "$man" || fail "the manifest was damaged"

# ---- a slow page: the request times out (the server waits 1.5 s), is retried once, reported
"$APNMAP" fetch -o "$work/slow" --rate 200 --retries 1 --backoff 0.05 --timeout 0.3 \
    "$base/competency/slow/consulting/CSlow.html" > /dev/null 2> "$work/err8"
[ $? -eq 1 ] || fail "slow page: want exit 1"
grep -q "CSlow.html: error: .*timed out.*(2 attempts)" "$work/err8" || fail "the timeout is not reported: $(cat "$work/err8")"
[ ! -e "$work/slow/competency/slow" ] || fail "slow page: something was written"

# ---- the size limit
"$APNMAP" fetch -o "$work/small" $opts --max-size 100 \
    "$base/competency/widgets/consulting/CWid1/Widgets%20Self-Assessment%20(v2).xlsx" > "$work/out4" 2> "$work/err4"
rc=$?
[ $rc -eq 1 ] || fail "max-size: exit $rc, want 1"
grep -q "larger than the size limit" "$work/err4" || fail "max-size not reported: $(cat "$work/err4")"
[ ! -e "$work/small/competency/widgets/consulting/CWid1/Widgets Self-Assessment (v2).xlsx" ] \
    || fail "max-size: the file was written anyway"

# ---- a file where a folder must go: that URL fails, the others are still fetched
mkdir -p "$work/conflict" && echo "not a folder" > "$work/conflict/competency"
"$APNMAP" fetch -o "$work/conflict" $opts "$base/foundational/partner-hosted/partner-hosted/CFtr1.html" \
    "$base/competency/widgets/technology/CWid2.html" > /dev/null 2> "$work/err7"
[ $? -eq 1 ] || fail "write conflict: want exit 1"
grep -q "CWid2.html: error: cannot write .*: Not a directory" "$work/err7" || fail "write conflict not reported: $(cat "$work/err7")"
[ -f "$work/conflict/foundational/partner-hosted/partner-hosted/CFtr1.html" ] || fail "write conflict stopped the crawl"

# ---- usage errors
"$APNMAP" fetch -o "$work/x" ftp://127.0.0.1/a.html > /dev/null 2> "$work/err5"
[ $? -eq 2 ] || fail "an ftp URL should be a usage error"
"$APNMAP" fetch --rate 0 > /dev/null 2>&1
[ $? -eq 2 ] || fail "--rate 0 should be a usage error"
echo "fetch_site: ok"
exit 0
