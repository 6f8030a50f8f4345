#!/bin/sh
# The repository is self-contained (issue 13): no doc, comment, generated page or
# printed text sends a reader to a file the repository does not hold. The design and
# the input formats live in docs/design.md and docs/formats.md. Code may still look
# beside the checkout for the optional originals (the contract fixture's and the
# built-in URL list's comparisons, the bench's reference pipeline, and the
# fresh-debian script of `make fresh-check`): those four assignments are the only
# lines allowed to name that folder.
set -u
cd "$ROOT" || exit 1
pat='DESIGN\.md|FORMATS\.md|FORMATS §|DESIGN §|\.\./shared|shared/(STYLE|DESIGN|apn-competency-data|contract|bench|tools)|STYLE\.md'
hits=$(git ls-files -co --exclude-standard README.md Makefile .ci docs src include web tools tests bench data |
       grep -v '^tests/sh/self_contained\.sh$' | tr '\n' '\0' |
       xargs -0 grep -nE "$pat" 2>/dev/null |
       grep -vE '^(tests/run:[0-9]+:export SHARED="\$root/\.\./shared"$|tests/unit/helpers\.c:[0-9]+: +snprintf\(path, sizeof path, "%s/\.\./shared", test_root\(\)\);$|bench/run\.sh:[0-9]+:shared="\$root/\.\./shared/bench"$|Makefile:[0-9]+:FRESH_DEBIAN \?= \.\./shared/tools/fresh-debian$)')
if [ -n "$hits" ]; then
    echo "FAIL references outside the repository:"
    echo "$hits" | head -40
    exit 1
fi
# the report's own text (what a reader of index.html sees; the bundled corpus makes
# the services charts' IAM footnote appear, which once cited a file outside)
db=$(mktemp -u).db out=$(mktemp -d)
trap 'rm -rf "$db" "$out"' EXIT
"$APNMAP" build -q -o "$db" "$ROOT/data/corpus" >/dev/null 2>&1 || { echo "FAIL build"; exit 1; }
command -v gnuplot >/dev/null || { echo "SKIP gnuplot missing (tools/deps.txt installs it)"; exit 77; }
"$APNMAP" report --db "$db" -o "$out" >/dev/null 2>&1 || { echo "FAIL report"; exit 1; }
grep -q "IAM" "$out/index.html" || { echo "FAIL the report lost its IAM note"; exit 1; }
if grep -lE "$pat" "$out"/* 2>/dev/null; then echo "FAIL the report names files outside the repository"; exit 1; fi
for f in docs/design.md docs/formats.md; do
    [ -s "$f" ] || { echo "FAIL $f missing"; exit 1; }
done
echo "ok   no reference leaves the repository"
