#!/bin/sh
# hostile_sql_words — issue 14 finding 9 (sql's part): `SELECT 1; -- comment`
# was refused as two statements, and a database value that is not UTF-8 made
# `sql --format json` fail with a wrong reason ("writing output: No such file
# or directory", later "out of memory"). Now trailing comments are no
# statement, and such text is written with U+FFFD (JSON holds only Unicode;
# CSV keeps the bytes as they are).
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
sh "$RES/diff/mkdb.sh" t.db "$RES/plan/small.sql" || exit 1
sqlite3 t.db "UPDATE competency SET name = CAST(x'ff41c3' AS TEXT) WHERE id = 1" || exit 1
fail=0
for q in "SELECT 1; -- comment" "SELECT 1; /* a comment */ ;" "SELECT 1 AS \"1\" -- no semicolon" \
         "SELECT 1;;
"; do
    out=$("$APNMAP" sql --db t.db --format csv "$q" 2> err)
    rc=$?
    if [ "$rc" != 0 ] || [ "$out" != "$(printf '1\n1')" ]; then
        echo "hostile_sql_words: '$q': exit $rc, want 0 and one row:"; head -2 err; fail=1
    fi
done
"$APNMAP" sql --db t.db --format csv "SELECT 1; SELECT 2" > /dev/null 2> err
rc=$?
[ "$rc" = 1 ] && grep -q "one statement at a time" err ||
    { echo "hostile_sql_words: two statements: exit $rc, want 1"; fail=1; }
"$APNMAP" sql --db t.db --format json "SELECT id, name FROM competency ORDER BY id" > out.json 2> err
rc=$?
if [ "$rc" != 0 ] || ! python3 -c "
import json, sys
rows = json.load(open('out.json'))
sys.exit(0 if rows[0]['name'] == '\ufffdA\ufffd' and rows[1]['name'] == 'Generative AI' else 1)"; then
    echo "hostile_sql_words: text that is not UTF-8 as JSON: exit $rc:"; head -3 err; fail=1
fi
# the table format of the same rows too (it goes through the same table)
"$APNMAP" sql --db t.db --format table "SELECT name FROM competency" > /dev/null 2> err ||
    { echo "hostile_sql_words: the table format failed:"; head -3 err; fail=1; }
"$APNMAP" sql --db t.db --format csv "SELECT name FROM competency WHERE id = 1" > out.csv 2> err
printf 'name\n\377A\303\n' | cmp -s - out.csv || { echo "hostile_sql_words: CSV changed the bytes"; fail=1; }
exit $fail
