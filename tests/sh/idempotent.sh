#!/bin/sh
# Re-ingest is idempotent (docs/design.md §3): the same inputs in any order, on any number
# of threads, give the same database content (compared as SQL dumps).
set -u
in="$ROOT/tests/contract/inputs"
"$APNMAP" build -q -j1 -o a.db "$in/competency" "$in/foundational" 2>/dev/null
"$APNMAP" build -q -j4 -o b.db "$in/foundational" "$in/competency" 2>/dev/null
"$APNMAP" build -q -o c.db "$in/foundational" "$in/competency" "$in/competency" 2>/dev/null
for db in a b c; do sqlite3 "$db.db" .dump > "$db.sql" || exit 1; done
[ "$(grep -c 'INSERT INTO offering_requirement' a.sql)" -gt 20 ] || { echo "FAIL: too few rows dumped"; exit 1; }
cmp -s a.sql b.sql || { echo "FAIL: input order or thread count changed the content"; diff a.sql b.sql | head; exit 1; }
cmp -s a.sql c.sql || { echo "FAIL: a folder given twice changed the content"; diff a.sql c.sql | head; exit 1; }
# the bundled corpus (98 documents): parsers wait for the writer (a window of
# 4 x threads documents), the offering tables come from a side thread (or not)
corpus="$ROOT/data/corpus"
for j in 1 2 3; do
    "$APNMAP" build -q -j$j -o "corpus$j.db" "$corpus" 2>/dev/null
    sqlite3 "corpus$j.db" .dump > "corpus$j.sql" || exit 1
done
[ "$(grep -c 'INSERT INTO checklist_requirement' corpus1.sql)" -gt 900 ] || { echo "FAIL: too few corpus rows"; exit 1; }
for j in 2 3; do
    cmp -s corpus1.sql "corpus$j.sql" || { echo "FAIL: -j$j changed the corpus content"; diff corpus1.sql "corpus$j.sql" | head; exit 1; }
done
leftover=$(ls -a | grep -E '\.(tmp|side)-' || true)
[ -z "$leftover" ] || { echo "FAIL: temporary files left: $leftover"; exit 1; }
echo "same content from 3 orders and 3 thread counts"
