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
# The tables start with the contract's columns (the report may add some after them,
# e.g. partial) and hold the same rows as the listings of the demo database.
for t in stats:4 overlap:6 hardest:6; do
    name=${t%:*} ncol=${t#*:}
    "$APNMAP" "$name" --db "$out/apnmap.db" --format csv > "$tmp/$name.csv"
    [ "$(wc -l < "$tmp/$name.csv")" -gt 1 ] || fail "'apnmap $name' over the demo database is empty"
    cut -d, -f1-"$ncol" "$out/$name.csv" > "$tmp/$name.cut"
    cmp -s "$tmp/$name.csv" "$tmp/$name.cut" || fail "$name.csv differs from 'apnmap $name' over the demo database"
done
# Partial checklists are visible: checklists.csv has a coverage column, and as many
# partial rows as data/sources/checklists.csv says.
col=$(head -1 "$out/checklists.csv" | tr ',' '\n' | grep -nx coverage | cut -d: -f1)
[ -n "$col" ] || fail "checklists.csv has no coverage column"
want=$(grep -c ',partial,' "$root/data/sources/checklists.csv")
got=$(cut -d, -f"$col" "$out/checklists.csv" | grep -cx partial || true)
[ "$got" -eq "$want" ] || fail "checklists.csv lists $got partial checklists, data/sources says $want"
for o in saas customer-deployed services; do
    grep -q "^[^,]*,$o," "$out/stats.csv" || fail "stats.csv has no $o rows"
done
grep -q "data/README.md" "$tmp/demo.out" || fail "demo does not point at data/README.md about the partial checklists"
# A second run into the same folder replaces the database and succeeds again.
(cd "$tmp" && "$APNMAP" demo -q -o out/demo > /dev/null 2>&1) || fail "a second demo run failed"
echo "corpus_demo: ok ($(($(wc -l < "$out/stats.csv") - 1)) stats rows)"
