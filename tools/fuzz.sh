#!/bin/bash
# tools/fuzz.sh — `make fuzz`: run the libFuzzer targets of fuzz/ with clang.
#
# usage: tools/fuzz.sh SECONDS NAME...
#   Builds the library once with clang (-fsanitize=fuzzer-no-link,address,undefined)
#   into build/fuzz/, links each fuzz/fuzz_<NAME>.c against it, and runs it for
#   SECONDS on a fresh copy of fuzz/corpus/<NAME>/ (the seed corpus itself is not
#   grown: new inputs stay in build/fuzz/work-<NAME>/); htmlscan also starts from
#   fuzz/corpus/html/ (test_htmlscan compares those seeds too). Any crash, leak, timeout
#   or out-of-memory input is copied into fuzz/corpus/<NAME>/ (so `make test`
#   replays it from then on) and makes the script fail.
#   Prints one line per target: executions, exec/s, coverage (edges), features,
#   corpus size, findings; FUZZ_LOG=FILE appends those lines to FILE too.
#   FUZZ_JOBS=N runs N targets at once (default 1: the machine is shared).
set -eu
export LC_ALL=C
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
secs=${1:?usage: tools/fuzz.sh SECONDS NAME...}
shift
[ $# -gt 0 ] || { echo "usage: tools/fuzz.sh SECONDS NAME..." >&2; exit 2; }
command -v clang > /dev/null || { echo "fuzz: clang missing (tools/deps.txt lists it; run make deps)" >&2; exit 1; }

out=build/fuzz
mkdir -p "$out/obj"
# the generated sources (schema, web assets) come from the ordinary build
make -s build/gen/schema.c build/gen/webassets.c
PKGS="libxml-2.0 libzip sqlite3 jansson libcurl libcrypto"
CFLAGS="-std=c17 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer -Iinclude -Isrc -Ibuild/gen $(pkg-config --cflags $PKGS)"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
# libcurl and GLPK are not linked: src/util/lazylib.c loads them when fetch or plan's MIP runs
LIBS="$(pkg-config --libs libxml-2.0 libzip sqlite3 jansson libcrypto) -lpthread -lm"

# ---- the library, once, only what changed --------------------------------------
objs=""
for src in src/util/*.c src/read/*.c src/*.c build/gen/schema.c build/gen/webassets.c; do
    obj="$out/obj/$(echo "$src" | tr / _ | sed 's/\.c$/.o/')"
    if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ -n "$(find src include -name '*.h' -newer "$obj" 2>/dev/null | head -1)" ]; then
        clang $CFLAGS $SAN -fsanitize=fuzzer-no-link -c -o "$obj" "$src"
    fi
    objs="$objs $obj"
done
rm -f "$out/libapnmap.a"
# shellcheck disable=SC2086
ar rcs "$out/libapnmap.a" $objs

# ---- each target ------------------------------------------------------------
fail=0
run_one() {
    local name=$1 bin="$out/fuzz_$1" work="$out/work-$1" art="$out/artifacts-$1"
    if [ ! -f "fuzz/fuzz_$name.c" ]; then echo "fuzz: no fuzz/fuzz_$name.c" >&2; return 1; fi
    clang $CFLAGS $SAN -fsanitize=fuzzer -o "$bin" "fuzz/fuzz_$name.c" "$out/libapnmap.a" $LIBS
    rm -rf "$work" "$art"
    mkdir -p "$work" "$art" "fuzz/corpus/$name"
    cp -R "fuzz/corpus/$name/." "$work/"
    # a differential target starts from the seeds of the reader it checks
    case $name in htmlscan) cp -R fuzz/corpus/html/. "$work/" ;; esac
    # leaks are findings too; a timeout is an input that takes over 10 s
    ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
               -artifact_prefix="$art/" "$work" > "$out/log-$name.txt" 2>&1 || true
    local found=0 f
    for f in "$art"/*; do
        [ -f "$f" ] || continue
        found=$((found + 1))
        cp "$f" "fuzz/corpus/$name/$(basename "$f")"
    done
    local last execs eps
    last=$(grep -E '^#[0-9]+' "$out/log-$name.txt" | tail -1)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/log-$name.txt" | tail -1)
    eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out/log-$name.txt" | tail -1)
    local cov ft corp
    cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
    ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
    corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p')
    local line
    line=$(printf '%-8s %4ss  execs %-9s exec/s %-7s cov %-6s ft %-6s corpus %-5s findings %s' \
        "$name" "$secs" "${execs:-?}" "${eps:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$found")
    echo "$line"
    [ -n "${FUZZ_LOG:-}" ] && echo "$line" >> "$FUZZ_LOG"
    if [ "$found" -gt 0 ]; then
        echo "fuzz: $name: $found finding(s) copied into fuzz/corpus/$name/; log: $out/log-$name.txt" >&2
        grep -E 'ERROR|SUMMARY|runtime error' "$out/log-$name.txt" | head -5 >&2
        return 1
    fi
    if [ -z "$execs" ]; then
        echo "fuzz: $name did not run; log: $out/log-$name.txt" >&2
        tail -5 "$out/log-$name.txt" >&2
        return 1
    fi
}

jobs=${FUZZ_JOBS:-1}
pids=()
for name in "$@"; do
    if [ "$jobs" -le 1 ]; then
        run_one "$name" || fail=1
    else
        run_one "$name" & pids+=($!)
        if [ "${#pids[@]}" -ge "$jobs" ]; then
            wait "${pids[0]}" || fail=1
            pids=("${pids[@]:1}")
        fi
    fi
done
for p in "${pids[@]}"; do wait "$p" || fail=1; done
exit $fail
