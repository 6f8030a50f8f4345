#!/bin/sh
# hostile_db_nulls — issue 14 finding 3: NULLs where the schema says NOT NULL
# (written past the constraint with writable_schema, as a hostile or damaged
# file can hold them) crashed `report`: a NULL competency slug (report.c's slug
# search) and a NULL prefix (its chart series). Now a NULL in a table that
# grows with the inputs (competency here) is refused at open (exit 3, the file
# and the column named), and one in a large derived table (prefix_count) is
# skipped by its readers: no command crashes on either.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
sh "$RES/diff/mkdb.sh" good.db "$RES/plan/small.sql" || exit 1
sqlite3 good.db "INSERT INTO prefix_count SELECT o.competency_id, o.offering, r.prefix, count(*)
  FROM offering_requirement o JOIN requirement r ON r.id = o.requirement_id GROUP BY 1, 2, 3" || exit 1
# NULL slug: the NOT NULL taken out, the value written, the NOT NULL put back
cp good.db slug.db
sqlite3 slug.db "PRAGMA writable_schema = ON;
  UPDATE sqlite_schema SET sql = replace(sql, 'slug     TEXT NOT NULL', 'slug     TEXT') WHERE name = 'competency'"
sqlite3 slug.db "UPDATE competency SET slug = NULL WHERE id = 3"
sqlite3 slug.db "PRAGMA writable_schema = ON;
  UPDATE sqlite_schema SET sql = replace(sql, 'slug     TEXT', 'slug     TEXT NOT NULL') WHERE name = 'competency'"
# NULL prefix: prefix_count as a rowid table (its WITHOUT ROWID key refuses NULL), then the same
cp good.db prefix.db
sqlite3 prefix.db "CREATE TABLE p2 (competency_id INTEGER NOT NULL REFERENCES competency(id),
    offering TEXT NOT NULL, prefix TEXT, n INTEGER NOT NULL);
  INSERT INTO p2 SELECT * FROM prefix_count; UPDATE p2 SET prefix = NULL;
  DROP VIEW v_prefix_counts; DROP TABLE prefix_count; ALTER TABLE p2 RENAME TO prefix_count;
  $(sqlite3 good.db "SELECT sql FROM sqlite_schema WHERE name = 'v_prefix_counts'");
  PRAGMA writable_schema = ON;
  UPDATE sqlite_schema SET sql = replace(sql, 'prefix TEXT,', 'prefix TEXT NOT NULL,') WHERE name = 'prefix_count'"
[ "$(sqlite3 prefix.db "SELECT count(*) FROM prefix_count WHERE typeof(prefix) = 'null'")" -gt 0 ] ||
    { echo "hostile_db_nulls: no NULL prefix was written"; exit 1; }
fail=0
# gnuplot replaced by true: the charts' series are made (where the prefix crashed), no gnuplot runs
export APNMAP_GNUPLOT=true
"$APNMAP" report --db slug.db -o r1 > out 2> err
rc=$?
if [ "$rc" != 3 ] || ! grep -q "slug.db: .*competency.slug holds a NULL" err; then
    echo "hostile_db_nulls: report on a NULL slug: exit $rc, want 3 naming competency.slug:"; head -3 err; fail=1
fi
for cmd in "report -o r2" "stats --format table" "stats --format json" "plan --next 2"; do
    # shellcheck disable=SC2086
    "$APNMAP" $cmd --db prefix.db > out 2> err
    rc=$?
    if [ "$rc" -ge 4 ] || grep -q "runtime error\|AddressSanitizer" err; then
        echo "hostile_db_nulls: $cmd on a NULL prefix: exit $rc"; head -5 err; fail=1
    fi
done
exit $fail
