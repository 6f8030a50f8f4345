#!/bin/sh
# `apnmap demo` finds the bundled corpus beside the executable (no --corpus), builds
# it into DIR/apnmap.db, writes the stats, overlap and hardest tables as CSV, and
# says where they are. The CSVs are the same as the listings of the database.
set -eu
root=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
APNMAP=${APNMAP:-$root/build/apnmap}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "corpus_demo: $*"; exit 1; }

rc=0
(cd "$tmp" && "$APNMAP" demo -o out/demo > demo.out 2> demo.err) || rc=$?
[ "$rc" -eq 0 ] || { head -40 "$tmp/demo.err"; fail "demo exited $rc"; }
out="$tmp/out/demo"
for f in apnmap.db stats.csv overlap.csv hardest.csv; do
    [ -s "$out/$f" ] || fail "demo did not write $f"
    grep -q "$f" "$tmp/demo.out" || fail "demo did not say where $f is"
done
head -1 "$out/stats.csv" | grep -qx 'competency,offering,prefix,n' || fail "stats.csv header"
head -1 "$out/overlap.csv" | grep -qx 'offering,a,b,shared,union_size,jaccard' || fail "overlap.csv header"
head -1 "$out/hardest.csv" | grep -qx 'rank,competency,offering,n,own,via_prerequisites' || fail "hardest.csv header"
for t in stats overlap hardest; do
    "$APNMAP" "$t" --db "$out/apnmap.db" --format csv > "$tmp/$t.csv"
    cmp -s "$tmp/$t.csv" "$out/$t.csv" || fail "$t.csv differs from 'apnmap $t' over the demo database"
done
for o in saas customer-deployed services; do
    grep -q "^[^,]*,$o," "$out/stats.csv" || fail "stats.csv has no $o rows"
done
grep -q "data/README.md" "$tmp/demo.out" || fail "demo does not point at data/README.md about the partial checklists"
# A second run into the same folder replaces the database and succeeds again.
(cd "$tmp" && "$APNMAP" demo -q -o out/demo > /dev/null 2>&1) || fail "a second demo run failed"
echo "corpus_demo: ok ($(($(wc -l < "$out/stats.csv") - 1)) stats rows)"
