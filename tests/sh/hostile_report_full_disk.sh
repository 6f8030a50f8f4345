#!/bin/sh
# Issue 14, finding 8 (report's part): a full disk part-way through a report.
# In a private mount namespace (unshare -m: root only), a small tmpfs holds the
# report of the contract fixture; the disk is then filled up to 256 KiB and the
# report of the bundled corpus (megabytes) is written over it. It must fail
# (exit 3, "No space left on device") and leave every file of the old report
# byte for byte, with no new or temporary file beside them; once there is room
# again, every file is the new report's.
set -u
: "${APNMAP:?}" "${ROOT:?}"
command -v gnuplot >/dev/null || { echo "gnuplot missing (tools/deps.sh installs gnuplot-nox)"; exit 77; }
unshare -m true 2>/dev/null || { echo "skipped: unshare -m is not permitted here"; exit 77; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
"$APNMAP" build -o "$t/old.db" "$ROOT/tests/contract/inputs" > "$t/build.out" 2>&1 &&
"$APNMAP" build -o "$t/new.db" "$ROOT/data/corpus" > "$t/build.out" 2>&1 ||
    { cat "$t/build.out"; echo "hostile_report_full_disk: build failed"; exit 1; }
mkdir "$t/disk"
# shellcheck disable=SC2016
unshare -m sh -c '
    set -u
    A=$1 t=$2
    mount -t tmpfs -o size=16m tmpfs "$t/disk" || exit 99
    fail=0
    bad() { echo "hostile_report_full_disk: $*"; fail=1; }
    "$A" report --db "$t/old.db" -o "$t/disk/out" > "$t/r1.out" 2>&1 || { cat "$t/r1.out"; bad "first report failed"; exit 1; }
    cp -R "$t/disk/out" "$t/old"
    dd if=/dev/zero of="$t/disk/fill" bs=64k > /dev/null 2>&1
    truncate -s -256K "$t/disk/fill"
    rc=0
    "$A" report --db "$t/new.db" -o "$t/disk/out" > "$t/r2.out" 2>&1 || rc=$?
    [ $rc -eq 3 ] || { cat "$t/r2.out"; bad "a full disk: exit $rc, want 3"; }
    grep -q "No space left on device" "$t/r2.out" || { cat "$t/r2.out"; bad "the message does not say the disk is full"; }
    diff -r "$t/old" "$t/disk/out" || bad "the full disk left old and new files mixed"
    rm "$t/disk/fill"
    "$A" report --db "$t/new.db" -o "$t/disk/out" > "$t/r3.out" 2>&1 || { cat "$t/r3.out"; bad "with room again: failed"; }
    for f in "$t"/old/*; do
        cmp -s "$f" "$t/disk/out/${f##*/}" && bad "${f##*/} is still the old one"
    done
    ls -A "$t/disk/out" | grep -q "\.tmp" && bad "temporary files left"
    umount "$t/disk"
    exit $fail' sh "$APNMAP" "$t"
rc=$?
[ $rc -eq 99 ] && { echo "skipped: cannot mount a tmpfs here"; exit 77; }
[ $rc -eq 0 ] && echo "a full disk leaves the old report whole"
exit $rc
