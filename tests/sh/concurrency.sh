#!/bin/sh
# A build that replaces the database while readers use it (docs/design.md §4: written to
# a temporary file, synced, renamed): every `apnmap sql` run during the builds
# exits 0 and sees the old content or the new one, never an error or a mix, and
# a `report` run during the builds writes tables of one of the two.
# Two inputs alternate: A (one competency) and B (the whole contract fixture).
# One query reads several tables at once, so a torn read would show as a
# combination that neither database holds. Bounded: 80 builds.
set -u
A="$ROOT/tests/contract/inputs/competency/widgets"
B="$ROOT/tests/contract/inputs"
db=$PWD/conc.db
Q="SELECT (SELECT count(*) FROM document) || '/' || (SELECT count(*) FROM checklist_requirement)
       || '/' || (SELECT count(*) FROM offering_requirement) || '/' || (SELECT count(*) FROM overlap)
       || '/' || (SELECT group_concat(id, ' ') FROM (SELECT id FROM requirement ORDER BY id))"
fail=0

"$APNMAP" build -q -j 1 -o "$db" "$B" 2> /dev/null; [ $? -le 1 ] || { echo "build of B failed"; exit 1; }
want_b=$("$APNMAP" sql --db "$db" --format csv "$Q") || { echo "sql over B failed"; exit 1; }
"$APNMAP" stats --db "$db" --format csv > stats_b.csv
"$APNMAP" build -q -j 1 -o "$db" "$A" 2> /dev/null; [ $? -le 1 ] || { echo "build of A failed"; exit 1; }
want_a=$("$APNMAP" sql --db "$db" --format csv "$Q") || { echo "sql over A failed"; exit 1; }
"$APNMAP" stats --db "$db" --format csv > stats_a.csv
[ "$want_a" != "$want_b" ] || { echo "A and B give the same answer: the test could not see a change"; exit 1; }

# the writer: 80 builds alternating B and A, then a marker
( i=0
  while [ $i -lt 80 ]; do
      if [ $((i % 2)) -eq 0 ]; then src=$B; else src=$A; fi
      "$APNMAP" build -q -j 1 -o "$db" "$src" 2> /dev/null
      rc=$?; [ $rc -le 1 ] || echo "build $i exit $rc" >> writer.err
      i=$((i + 1))
  done
  touch writer.done ) &
writer=$!

# the readers: sql in a loop until the writer is done (at most 2000 reads), and
# a report now and then
n=0 na=0 nb=0 nr=0
while [ ! -f writer.done ] && [ $n -lt 2000 ]; do
    out=$("$APNMAP" sql --db "$db" --format csv "$Q" 2> sql.err); rc=$?
    n=$((n + 1))
    if [ $rc -ne 0 ]; then echo "FAIL read $n: exit $rc: $(cat sql.err)"; fail=1; break; fi
    if [ "$out" = "$want_a" ]; then na=$((na + 1))
    elif [ "$out" = "$want_b" ]; then nb=$((nb + 1))
    else echo "FAIL read $n: neither the old nor the new database:"; echo "$out" | head -5; fail=1; break; fi
    if [ $((n % 10)) -eq 0 ]; then
        rm -rf rep
        if "$APNMAP" report --db "$db" --no-charts -o rep > rep.log 2>&1; then
            nr=$((nr + 1))
            cut -d, -f1-4 rep/stats.csv > rep_stats.csv   # the report adds a column
            if ! cmp -s rep_stats.csv stats_a.csv && ! cmp -s rep_stats.csv stats_b.csv; then
                echo "FAIL report $nr: stats.csv is neither A's nor B's"; fail=1; break
            fi
        else
            echo "FAIL report during the builds: $(tail -3 rep.log)"; fail=1; break
        fi
    fi
done
wait $writer
[ -f writer.err ] && { echo "FAIL the writer: $(cat writer.err)"; fail=1; }
echo "$n reads during 80 builds: $na saw A, $nb saw B; $nr reports"
[ $n -gt 1 ] || { echo "FAIL the reader never overlapped the builds"; fail=1; }
exit $fail
