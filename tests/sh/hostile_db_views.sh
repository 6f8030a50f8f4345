#!/bin/sh
# hostile_db_views — issue 14 finding 7: a database whose views are endless
# recursive queries made stats, overlap, hardest and report run forever (and
# stats --format csv write rows without end). A view is code: apnmap now runs
# only its own views, word for word, and refuses a file with another (exit 3,
# the file and the view named). `timeout` and `ulimit -f` only keep a
# regression from hanging the suite or filling the disk; the new binary answers
# at once.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
sh "$RES/diff/mkdb.sh" good.db "$RES/plan/small.sql" || exit 1
endless="WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r)"
cp good.db v.db
sqlite3 v.db "DROP VIEW v_prefix_counts; DROP VIEW v_overlap; DROP VIEW v_offering_requirement;
  CREATE VIEW v_prefix_counts AS $endless SELECT 'healthcare' AS competency, 'services' AS offering,
    'P' || x AS prefix, x AS n FROM r;
  CREATE VIEW v_overlap AS $endless SELECT 'services' AS offering, 'a' AS a, 'b' || x AS b,
    1 AS shared, 2 AS union_size, 0.5 AS jaccard FROM r;
  CREATE VIEW v_offering_requirement AS $endless SELECT 'healthcare' AS competency,
    'services' AS offering, 'R-' || x AS requirement_id, 'R' AS prefix, 'own' AS via FROM r" || exit 1
fail=0
for cmd in "stats --format csv" "overlap --format csv" "hardest --format csv" "stats --format table" \
           "report -o r --no-charts"; do
    # shellcheck disable=SC2086
    (ulimit -f 2048; timeout 20 "$APNMAP" $cmd --db v.db > out 2> err)   # endless rows: 1 MiB at most
    rc=$?
    if [ "$rc" != 3 ] || ! grep -q "v.db: broken apnmap database: v_[a-z_]* is not apnmap's own view" err ||
       [ -s out ]; then
        echo "hostile_db_views: $cmd: exit $rc (124: still running after 20 s), want 3 and the view named:"
        head -3 err; fail=1
    fi
done
# a view of the user's own, beside apnmap's, is left alone
cp good.db mine.db
sqlite3 mine.db "CREATE VIEW my_view AS $endless SELECT x FROM r"
"$APNMAP" stats --db mine.db --format csv > /dev/null 2>&1 || { echo "hostile_db_views: a user's view refused"; fail=1; }
exit $fail
