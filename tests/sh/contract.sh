#!/bin/sh
# The contract fixture (docs/design.md §4): `apnmap build inputs/` reproduces every file
# of expected/ byte for byte (view rows compared sorted). Runs on the in-repo
# copy (tests/contract) and, when the original fixture is found beside the
# checkout ($SHARED/contract), on that too, and checks the two agree.
set -u
fail=0
check() { # name expected actual
    if cmp -s "$2" "$3"; then echo "ok   $1"; else echo "FAIL $1"; diff -u "$2" "$3" | head -30; fail=1; fi
}
run() { # fixture-dir label
    fx=$1 label=$2 db=$(mktemp -u).db
    "$APNMAP" build -q -o "$db" "$fx/inputs" > build.out 2>&1
    rc=$?
    if [ $rc -ne 0 ]; then echo "FAIL $label: build exit $rc"; cat build.out; fail=1; return; fi
    q() { "$APNMAP" sql --db "$db" --format csv "$1"; }
    for cmd in stats overlap hardest; do
        "$APNMAP" $cmd --db "$db" --format csv > "$cmd.csv"
        check "$label $cmd" "$fx/expected/$cmd.csv" "$cmd.csv"
    done
    { echo "competency,offering,requirement_id,prefix,via"
      q "SELECT competency, offering, requirement_id, prefix, via FROM v_offering_requirement" | sed 1d | LC_ALL=C sort
    } > vor.csv
    { head -1 "$fx/expected/v_offering_requirement.csv"; sed 1d "$fx/expected/v_offering_requirement.csv" | LC_ALL=C sort; } > vor.want
    check "$label v_offering_requirement" vor.want vor.csv
    q "SELECT name FROM checklist ORDER BY name" > checklists.csv
    check "$label checklists" "$fx/expected/checklists.csv" checklists.csv
    q "SELECT requirement_id, met FROM assessment_answer ORDER BY requirement_id" > answers.csv
    check "$label answers" "$fx/expected/answers.csv" answers.csv
    ids=$(sed 1d "$fx/expected/titles.csv" | cut -d, -f1 | sed "s/.*/'&'/" | paste -sd, -)
    q "SELECT id, title FROM requirement WHERE id IN ($ids) ORDER BY id" > titles.csv
    check "$label titles" "$fx/expected/titles.csv" titles.csv
    rm -f "$db"
}
run "$ROOT/tests/contract" "tests/contract"
if [ -d "$SHARED/contract" ]; then
    run "$SHARED/contract" "original fixture"
    if diff -r "$SHARED/contract" "$ROOT/tests/contract" -x README.md > /dev/null; then echo "ok   copies agree"
    else echo "FAIL tests/contract differs from the original fixture ($SHARED/contract): refresh the copy"; fail=1; fi
fi
exit $fail
