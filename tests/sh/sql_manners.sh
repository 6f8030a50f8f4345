#!/bin/sh
# sql_manners — issue 13 item 4, sql's part: `sql -` reads the statement from
# stdin; table-valued PRAGMA functions (pragma_table_info) and the reporting
# PRAGMAs work in a SELECT; and sql stays read-only: every write, ATTACH,
# transaction, setting PRAGMA and extension load is refused (exit 1, as sqlite3
# exits 1 for a statement it cannot run) and the file is not changed.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
sh "$RES/diff/mkdb.sh" t.db "$RES/plan/small.sql" || exit 1
before=$(sha256sum < t.db)
fail=0
out=$(echo "SELECT count(*) AS n FROM competency" | "$APNMAP" sql --db t.db --format csv - 2> err)
[ "$out" = "$(printf 'n\n6')" ] || { echo "sql_manners: sql - read '$out'"; cat err; fail=1; }
out=$(printf '' | "$APNMAP" sql --db t.db - 2> err)
rc=$?
[ "$rc" = 1 ] && grep -q "empty query" err || { echo "sql_manners: empty stdin: exit $rc"; fail=1; }
for q in "SELECT name, type, \"notnull\" FROM pragma_table_info('competency') WHERE name = 'slug'" \
         "PRAGMA table_info(competency)" "SELECT * FROM pragma_index_list('competency')" \
         "PRAGMA user_version" "SELECT user_version FROM pragma_user_version" \
         "SELECT value FROM json_each('[1,2]')"; do
    "$APNMAP" sql --db t.db --format csv "$q" > out 2> err ||
        { echo "sql_manners: refused: $q"; cat err; fail=1; }
done
"$APNMAP" sql --db t.db --format csv \
    "SELECT name, type, \"notnull\" FROM pragma_table_info('competency') WHERE name = 'slug'" > out
[ "$(tail -1 out)" = "slug,TEXT,1" ] || { echo "sql_manners: pragma_table_info gave $(tail -1 out)"; fail=1; }
for q in "INSERT INTO meta VALUES ('x', 'y')" "UPDATE competency SET name = 'x'" "DELETE FROM alias" \
         "CREATE TABLE x (a)" "DROP TABLE alias" "ATTACH 'other.db' AS o" "DETACH main" "BEGIN" \
         "SAVEPOINT s" "VACUUM" "REINDEX" "ANALYZE" "PRAGMA user_version = 3" "PRAGMA journal_mode = WAL" \
         "PRAGMA writable_schema = ON" "PRAGMA query_only = OFF" "SELECT load_extension('/tmp/x')" \
         "SELECT * FROM pragma_journal_mode('wal')" \
         "WITH x AS (SELECT 1) INSERT INTO meta SELECT 'a', 'b' FROM x" \
         "UPDATE sqlite_schema SET sql = '' WHERE name = 'meta'" "SELEC 1"; do
    "$APNMAP" sql --db t.db "$q" > /dev/null 2> err
    rc=$?
    [ "$rc" = 1 ] && [ -s err ] || { echo "sql_manners: '$q': exit $rc, want 1 and a message"; fail=1; }
done
[ ! -e other.db ] || { echo "sql_manners: ATTACH created other.db"; fail=1; }
[ "$(sha256sum < t.db)" = "$before" ] || { echo "sql_manners: the database changed"; fail=1; }
"$APNMAP" sql --db t.db > /dev/null 2>&1
[ $? = 2 ] || { echo "sql_manners: no statement is a usage error (2)"; fail=1; }
exit $fail
