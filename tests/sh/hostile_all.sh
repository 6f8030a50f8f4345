#!/bin/sh
# Issue 14's regression set at once: the bundled corpus plus the inputs of
# every generator in tests/hostile/ (whatever is there), in one build. Asserts:
# every good document of the corpus is stored (the same path and SHA-256 as in
# a build of the corpus alone: 98 of them), each bad input is named in a
# diagnostic, the exit code is 1 (errors reported, the rest stored), the peak
# resident memory is under 256 MB (/usr/bin/time -v), and the build finishes
# (the timeout only keeps a hang from stopping the suite; no time is asserted).
#
# The generator contract: `tests/hostile/NAME.sh DIR` writes its inputs into
# DIR (making it) and exits 0. It may print, one a line, the paths relative to
# DIR that a build must name in a diagnostic (a folder, a link, an escaped
# name); when it prints nothing, every input it wrote (.html, .htm, .xlsx,
# .xlsm) must be named. Each DIR is given to build as its own root, so side
# files (aliases.csv, ...) a generator writes at the top of DIR are read.
set -u
: "${APNMAP:?}" "${ROOT:?}"
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing (tools/deps.sh installs the time package)"; exit 77; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail=0
q="SELECT path || ' ' || sha256 FROM document ORDER BY 1"

rc=0
"$APNMAP" build -q -o "$t/corpus.db" "$ROOT/data/corpus" > /dev/null 2>&1 || rc=$?
[ $rc -le 1 ] || { echo "the corpus alone: exit $rc"; exit 1; }
"$APNMAP" sql --db "$t/corpus.db" --format csv "$q" | tail -n +2 | sort > "$t/corpus.txt"
n=$(wc -l < "$t/corpus.txt")
[ "$n" -eq 98 ] || { echo "FAIL the corpus alone stores $n documents, want 98"; fail=1; }

set -- "$ROOT/data/corpus"
ngen=0
for g in "$ROOT"/tests/hostile/*.sh; do
    [ -f "$g" ] || continue
    name=$(basename "$g" .sh)
    if ! sh "$g" "$t/h/$name" > "$t/names.$name" 2> "$t/gen.err"; then
        cat "$t/gen.err"; echo "FAIL generator $name failed"; fail=1; continue
    fi
    set -- "$@" "$t/h/$name"
    ngen=$((ngen + 1))
done
[ $ngen -gt 0 ] || { echo "FAIL no generator in tests/hostile/"; exit 1; }

rc=0
timeout 900 /usr/bin/time -v -o "$t/time" "$APNMAP" build -o "$t/all.db" "$@" > "$t/out" 2> "$t/err" || rc=$?
if [ $rc -ne 1 ]; then
    tail -20 "$t/err"; echo "FAIL the build exited $rc, want 1 (124: no end in 900 s)"; exit 1
fi
"$APNMAP" sql --db "$t/all.db" --format csv "$q" | tail -n +2 | sort > "$t/all.txt"
missing=$(comm -23 "$t/corpus.txt" "$t/all.txt")
[ -z "$missing" ] || { echo "$missing" | head -5; echo "FAIL good documents of the corpus not stored (above)"; fail=1; }

named=0
for dir in "$t"/h/*; do
    [ -d "$dir" ] || continue
    name=$(basename "$dir")
    if [ -s "$t/names.$name" ]; then
        cat "$t/names.$name"
    else
        (cd "$dir" && find . -type f \( -name '*.html' -o -name '*.htm' -o -name '*.xlsx' -o -name '*.xlsm' \) | sed 's|^\./||')
    fi > "$t/want"
    while IFS= read -r p; do
        named=$((named + 1))
        grep -qF -- "$dir/$p" "$t/err" || { echo "FAIL $name: $p is not named in a diagnostic"; fail=1; }
    done < "$t/want"
done

kb=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$t/time")
[ -n "$kb" ] || { cat "$t/time"; echo "FAIL no peak memory from /usr/bin/time"; exit 1; }
[ "$kb" -lt 262144 ] || { echo "FAIL peak RSS $kb KiB, want under 256 MiB"; fail=1; }
if grep -q 'AddressSanitizer\|runtime error' "$t/err"; then
    grep 'AddressSanitizer\|runtime error' "$t/err" | head -5; echo "FAIL sanitizer report"; fail=1
fi
[ $fail -eq 0 ] &&
    echo "corpus + $ngen generators: $(wc -l < "$t/all.txt") documents stored ($n of the corpus), $named bad inputs named, exit 1, peak $kb KiB"
exit $fail
