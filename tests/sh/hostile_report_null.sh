#!/bin/sh
# Issue 14, finding 3 (report's part): a hostile database with a NULL
# competency slug or a NULL requirement prefix (the schema's NOT NULL removed,
# as anyone writing their own file can) must not crash `report` (it segfaulted
# in report.c's slug lookups and in the bar charts' prefix grouping): it exits
# 0 or 3, never by a signal, and on 3 says why.
set -u
: "${APNMAP:?}" "${ROOT:?}"
command -v sqlite3 >/dev/null || { echo "sqlite3 missing (tools/deps.sh installs it)"; exit 77; }
command -v gnuplot >/dev/null || { echo "gnuplot missing (tools/deps.sh installs gnuplot-nox)"; exit 77; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail=0
"$APNMAP" build -o "$t/c.db" "$ROOT/tests/contract/inputs" > "$t/build.out" 2>&1 ||
    { cat "$t/build.out"; echo "hostile_report_null: build failed"; exit 1; }
# the same rows under a schema without NOT NULL (and with rowid tables, whose
# key columns may then hold NULL)
sqlite3 "$t/c.db" .dump | sed 's/ NOT NULL//g; s/) WITHOUT ROWID;/);/' > "$t/loose.sql"
mk() { rm -f "$t/$1.db"; sqlite3 "$t/$1.db" < "$t/loose.sql" && sqlite3 "$t/$1.db" "$2"; }
mk slug "UPDATE competency SET slug = NULL WHERE id = (SELECT min(id) FROM competency)"
mk prefix "UPDATE prefix_count SET prefix = NULL WHERE competency_id = (SELECT min(competency_id) FROM prefix_count);
           UPDATE requirement SET prefix = NULL WHERE id = (SELECT min(id) FROM requirement)"
mk names "UPDATE competency SET name = NULL; UPDATE checklist SET name = NULL; UPDATE prerequisite SET label = NULL;
          UPDATE overlap SET offering = NULL WHERE rowid = 1; UPDATE offering_checklist SET offering = NULL WHERE rowid = 1"
for db in slug prefix names; do
    for charts in "" --no-charts; do
        rc=0
        "$APNMAP" report --db "$t/$db.db" -o "$t/out-$db" $charts > "$t/out" 2> "$t/err" || rc=$?
        case $rc in
        0) ;;
        3) [ -s "$t/err" ] || { echo "hostile_report_null: $db $charts: exit 3 without a message"; fail=1; } ;;
        *) cat "$t/err"; echo "hostile_report_null: $db $charts: exit $rc (a crash is >= 128)"; fail=1 ;;
        esac
        grep -q 'AddressSanitizer\|runtime error' "$t/err" &&
            { cat "$t/err"; echo "hostile_report_null: $db $charts: sanitizer report"; fail=1; }
    done
done
[ $fail -eq 0 ] && echo "report survives NULL slugs, prefixes and names"
exit $fail
