#!/bin/sh
# hostile_db_format — issue 14 finding 3: a database whose meta.format is NULL
# (or not apnmap's, or a file that is not SQLite at all) made every command
# segfault (db.c read the value without looking). Now every command that reads
# a database refuses it at open: exit 3 and one message naming the file and
# what is wrong, no crash.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
sh "$RES/diff/mkdb.sh" good.db "$RES/plan/small.sql" || exit 1
cp good.db null.db && sqlite3 null.db "UPDATE meta SET value = NULL WHERE key = 'format'"
cp good.db other.db && sqlite3 other.db "UPDATE meta SET value = 'sqlitebrowser' WHERE key = 'format'"
cp good.db int.db && sqlite3 int.db "UPDATE meta SET value = 7 WHERE key = 'format'"
printf 'plain text\n' > text.db
fail=0
for db in null other int text; do
    for cmd in "stats" "overlap" "hardest" "sql" "plan --next 1" "report -o r --no-charts" \
               "diff good.db $db.db"; do
        case $cmd in diff*) set -- $cmd ;; sql) set -- sql "SELECT 1" --db "$db.db" ;;
                     *) set -- $cmd --db "$db.db" ;; esac
        "$APNMAP" "$@" > out 2> err
        rc=$?
        if [ "$rc" != 3 ] || ! grep -q "^apnmap: $db.db: not an apnmap database" err ||
           [ "$(wc -l < err)" != 1 ]; then
            echo "hostile_db_format: $db.db: apnmap $cmd: exit $rc, want 3 and one message:"
            head -3 err
            fail=1
        fi
    done
done
# the good one still opens
"$APNMAP" stats --db good.db > /dev/null 2>&1 || { echo "hostile_db_format: good.db refused"; fail=1; }
exit $fail
