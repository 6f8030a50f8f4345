#!/bin/sh
# The report over the contract fixture, built by `apnmap build`: its stats,
# overlap and hardest CSV files are the contract's (tests/contract/expected)
# plus the trailing `partial` column, and the page and charts are all there.
set -eu
: "${APNMAP:?}" "${ROOT:?}"
command -v gnuplot >/dev/null || { echo "gnuplot missing (tools/deps.sh installs gnuplot-nox)"; exit 77; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
"$APNMAP" build -o "$t/c.db" "$ROOT/tests/contract/inputs" > "$t/build.out" 2>&1 ||
    { cat "$t/build.out"; echo "report_contract: build failed"; exit 1; }
"$APNMAP" report --db "$t/c.db" -o "$t/out"
fail=0
for f in stats overlap hardest; do
    # drop the report's own last column; nothing in the fixture is partial
    if grep -v ',false$' "$t/out/$f.csv" | tail -n +2 | grep -q .; then
        echo "report_contract: $f.csv: a row is not partial=false"; fail=1
    fi
    sed 's/,partial$//; s/,false$//' "$t/out/$f.csv" > "$t/$f.csv"
    if ! cmp -s "$t/$f.csv" "$ROOT/tests/contract/expected/$f.csv"; then
        echo "report_contract: $f.csv differs from the contract:"; diff "$ROOT/tests/contract/expected/$f.csv" "$t/$f.csv" || true
        fail=1
    fi
done
for f in index.html bars-saas.svg bars-saas.png bars-customer-deployed.svg bars-services.png \
         hardest-services.svg overlap-services.svg reach.svg reach.png; do
    [ -s "$t/out/$f" ] || { echo "report_contract: $f missing"; fail=1; }
done
# gadgets (services) requires widgets: the page's data names that edge
grep -q '"target_competency":"widgets"' "$t/out/index.html" ||
    { echo "report_contract: the gadgets -> widgets prerequisite is not in the page"; fail=1; }
exit $fail
