#!/bin/sh
# Issue 14, finding 8: Ctrl-C, SIGTERM and kill -9 of a build leave its
# temporary files (DB.tmp-XXXXXX, up to ~100 MB, and DB.side-XXXXXX) that no
# later build removed. Now the next build of the same output removes those no
# live build holds (each is locked while in use), with a note naming each, and
# leaves alone a live one, a link, and names that are not its own.
set -u
: "${APNMAP:?}" "${ROOT:?}"
t=$(mktemp -d)
pids=
trap 'for p in $pids; do kill $p 2>/dev/null; done; rm -rf "$t"' EXIT
fail=0
in=$ROOT/tests/contract/inputs
"$APNMAP" build -q -o "$t/good.db" "$in" > /dev/null 2>&1
# a real kill -9 in the middle of a build (it may or may not leave a file)
( exec "$APNMAP" build -q -j 1 -o "$t/good.db" "$ROOT/data/corpus" > /dev/null 2>&1 ) &
k=$!
sleep 0.3
kill -9 $k 2>/dev/null
wait $k 2>/dev/null
# what a killed build leaves (as kill -9 leaves them: plain files, unlocked)
for f in good.db.tmp-AbC123 good.db.side-xyz789 good.db.words-QQQ111; do head -c 4096 /dev/zero > "$t/$f"; done
# not the store's: another output's, a longer name, a link
for f in other.db.tmp-abc123 good.db.tmp-abc1234 good.db.tmp; do : > "$t/$f"; done
: > "$t/precious"
ln -s precious "$t/good.db.tmp-LNK123"
# a live one: locked by another process for the whole build
live=
if command -v flock > /dev/null; then
    live=good.db.tmp-LiVe12
    : > "$t/$live"
    flock "$t/$live" sleep 60 &
    pids="$pids $!"
    sleep 0.2
fi
rc=0
"$APNMAP" build -q -o "$t/good.db" "$in" > "$t/out" 2> "$t/err" || rc=$?
[ $rc -le 1 ] || { cat "$t/err"; echo "FAIL build exit $rc"; fail=1; }
for f in good.db.tmp-AbC123 good.db.side-xyz789 good.db.words-QQQ111; do
    [ ! -e "$t/$f" ] || { echo "FAIL $f left in place"; fail=1; }
    grep -qF "good.db: note: removed $f, left by a run that was stopped" "$t/err" ||
        { echo "FAIL no note for $f"; fail=1; }
done
for f in other.db.tmp-abc123 good.db.tmp-abc1234 good.db.tmp precious $live; do
    [ -e "$t/$f" ] || { echo "FAIL $f was removed (not a stale file of good.db)"; fail=1; }
done
[ -L "$t/good.db.tmp-LNK123" ] || { echo "FAIL the link was removed"; fail=1; }
left=$(cd "$t" && ls | grep -E '^good\.db\.(tmp|side|words)-[A-Za-z0-9]{6}$' | grep -v -e LNK123 -e "${live:-none}")
[ -z "$left" ] || { echo "FAIL left after the build: $left"; fail=1; }
"$APNMAP" stats --db "$t/good.db" > /dev/null || { echo "FAIL the database does not open"; fail=1; }
[ $fail -eq 0 ] || cat "$t/err"
[ $fail -eq 0 ] && echo "stale temporary files removed with a note; live ones, links and others kept"
exit $fail
