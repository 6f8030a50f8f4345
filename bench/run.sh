#!/bin/bash
# bench/run.sh — `make bench`: apnmap against the reference pipeline and the floor.
#
# Generates the seeded scale corpus (bench/genscale.c) at two sizes, then times on
# the same corpus, in one run on one machine:
#   apnmap build (+ its per-stage timings), stats, overlap, hardest, plan, report
#   the reference pipeline (baseline_pipeline.py, run with /usr/bin/python3): a
#     Python build of the same database written before apnmap, the speed baseline
#   the floor (floor.c): the least work any reader must do (unzip and parse)
# both optional, used when the project's bench folder is found beside the checkout
# and prints wall and CPU seconds, peak memory (/usr/bin/time), the ratio
# baseline/apnmap and the growth from the small to the large corpus. Each figure
# is the fastest of BENCH_RUNS runs (the machine is shared: the minimum is the
# least disturbed). Results go to bench/RESULTS.md with the date and machine.
#
# Environment:
#   BENCH_N=200        competencies of the main corpus (3 documents each)
#   BENCH_BIG=2000     competencies of the growth corpus (0: skip)
#   BENCH_RUNS=3       runs per measurement on the main corpus (fastest kept)
#   BENCH_BIG_RUNS=1   runs per measurement on the growth corpus
#   BENCH_TIMEOUT=300  seconds before a command counts as "timeout"
#   BENCH_BASELINE_BIG=0   also run the reference pipeline on the growth corpus
#   BENCH_OUT=bench/RESULTS.md   where to write the results ("" : nowhere)
set -eu
export LC_ALL=C TZ=UTC
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
N=${BENCH_N:-200}
BIG=${BENCH_BIG:-2000}
RUNS=${BENCH_RUNS:-3}
OUT=${BENCH_OUT-bench/RESULTS.md}
shared="$root/../shared/bench"
work="$root/build/bench"
mkdir -p "$work"

# ---- tools ------------------------------------------------------------------
tools/deps.sh python3-openpyxl python3-bs4 python3-lxml time >&2
[ -x build/apnmap ] || { echo "bench: build/apnmap missing (run make)" >&2; exit 1; }
# a private copy: a rebuild elsewhere must not swap the binary mid-run
cp build/apnmap "$work/apnmap"
APNMAP="$work/apnmap"
cc -std=c17 -O2 -Wall -Wextra -o "$work/genscale" bench/genscale.c $(pkg-config --cflags --libs xlsxwriter)
have_floor=0 have_base=0
if [ -f "$shared/floor.c" ]; then
    cc -O2 -o "$work/floor" "$shared/floor.c" $(pkg-config --cflags --libs libxml-2.0 libzip) && have_floor=1
else
    echo "bench: $shared/floor.c absent: no floor figures" >&2
fi
if [ -f "$shared/baseline_pipeline.py" ]; then have_base=1
else echo "bench: $shared/baseline_pipeline.py absent: no baseline ratio" >&2; fi

# ---- corpus (regenerated only when the generator or the size changed) -------
corpus() { # N -> prints the folder
    local n=$1 dir="$work/corpus-$1"
    local stamp
    stamp=$(cksum < bench/genscale.c | cut -d' ' -f1)-$n
    if [ "$(cat "$dir/.stamp" 2>/dev/null)" != "$stamp" ]; then
        rm -rf "$dir"
        "$work/genscale" -n "$n" "$dir" >&2
        echo "$stamp" > "$dir/.stamp"
    fi
    echo "$dir"
}

# ---- measuring --------------------------------------------------------------
# best NAME CMD...: runs CMD RUNS times under /usr/bin/time; keeps the fastest
# run's wall seconds, CPU seconds (user+sys) and peak RSS (KB) in R_<NAME>.
declare -A R
best() {
    local name=$1; shift
    local bw="" bc="" bm="" i
    for i in $(seq "$runs"); do
        if ! /usr/bin/time -f '%e %U %S %M' -o "$work/time.out" timeout "${BENCH_TIMEOUT:-300}" "$@" \
                > "$work/$name.stdout" 2> "$work/$name.stderr"; then
            # a data warning (exit 1) is fine; anything else is a failed benchmark
            rc=$(sed -n 's/^Command exited with non-zero status //p' "$work/time.out")
            if [ "${rc:-0}" = 124 ]; then
                echo "bench: $name: timeout after ${BENCH_TIMEOUT:-300} s" >&2
                R[$name.wall]="timeout" R[$name.cpu]="-" R[$name.rss]=0
                return 0
            fi
            if [ "${rc:-0}" != 1 ]; then
                echo "bench: $name failed (exit ${rc:-?}):" >&2; tail -3 "$work/$name.stderr" >&2
                R[$name.wall]="failed (exit ${rc:-?}: $(grep -m1 'error' "$work/$name.stderr" | cut -c1-90))"
                R[$name.cpu]="-" R[$name.rss]=0
                return 0
            fi
        fi
        read -r w u s m < <(grep -v '^Command' "$work/time.out")
        local c
        c=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
        if [ -z "$bw" ] || awk -v a="$w" -v b="$bw" 'BEGIN { exit !(a < b) }'; then
            bw=$w; bc=$c; bm=$m
            cp "$work/$name.stderr" "$work/$name.best.stderr"
        fi
    done
    R[$name.wall]=$bw R[$name.cpu]=$bc R[$name.rss]=$bm
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "-" }'; }
sum() { awk 'BEGIN { s = 0; for (i = 1; i < ARGC; i++) s += ARGV[i]; printf "%.2f", s }' "$@"; }
mb() { awk -v k="$1" 'BEGIN { if (k > 0) printf "%.1f", k / 1024; else print "-" }'; }

has_cmd() { "$APNMAP" help 2>/dev/null | awk '/^commands:/ {on=1; next} on && NF {print $1}' | grep -qx "$1"; }

bench_size() { # N TAG RUNS [baseline?]
    local n=$1 t=$2 dir db
    runs=$3
    dir=$(corpus "$n")
    db="$work/apnmap-$t.db"
    R[$t.docs]=$(find "$dir" -name '*.html' -o -name '*.xlsx' | wc -l)
    R[$t.mb]=$(du -sm --exclude=.stamp "$dir" | cut -f1)
    echo "bench: corpus $t: ${R[$t.docs]} documents, ${R[$t.mb]} MB ($dir)" >&2
    best "$t.build" "$APNMAP" build --timings -q -o "$db" "$dir"
    case ${R[$t.build.wall]} in [0-9]*) ;; *) echo "bench: build failed" >&2; exit 1 ;; esac
    R[$t.timings]=$(sed -n 's/^timings: //p' "$work/$t.build.best.stderr")
    best "$t.build1" "$APNMAP" build --timings -q -j 1 -o "$work/apnmap-$t-1.db" "$dir"
    R[$t.timings1]=$(sed -n 's/^timings: //p' "$work/$t.build1.best.stderr")
    best "$t.stats" "$APNMAP" stats --db "$db" --format csv
    R[$t.stats.rows]=$(($(wc -l < "$work/$t.stats.stdout") - 1))
    best "$t.overlap" "$APNMAP" overlap --db "$db" --format csv
    R[$t.overlap.rows]=$(($(wc -l < "$work/$t.overlap.stdout") - 1))
    best "$t.hardest" "$APNMAP" hardest --db "$db" --format csv
    if has_cmd plan; then
        best "$t.plan" "$APNMAP" plan --db "$db" --next 5 --format csv
        best "$t.planbest" "$APNMAP" plan --db "$db" --best 3 --format csv
    fi
    if has_cmd report; then
        rm -rf "$work/report-$t"
        best "$t.report" "$APNMAP" report --db "$db" -o "$work/report-$t"
        # the report's bound (docs/report.md, "Bounds"): its folder and page
        R[$t.report.folder]=$(du -sb "$work/report-$t" 2>/dev/null | cut -f1)
        R[$t.report.page]=$(wc -c < "$work/report-$t/index.html" 2>/dev/null || echo 0)
        rm -rf "$work/report-$t"
        best "$t.reportnc" "$APNMAP" report --db "$db" --no-charts -o "$work/report-$t"
    fi
    [ "$have_floor" = 1 ] && best "$t.floor" "$work/floor" "$dir"
    if [ "$have_base" = 1 ] && [ "${4:-0}" = 1 ]; then
        best "$t.base" /usr/bin/python3 "$shared/baseline_pipeline.py" "$work/base-$t.db" "$dir"
    fi
    R[$t.pipe.wall]=$(sum "${R[$t.build.wall]}" "${R[$t.stats.wall]}" "${R[$t.overlap.wall]}")
    R[$t.pipe.cpu]=$(sum "${R[$t.build.cpu]}" "${R[$t.stats.cpu]}" "${R[$t.overlap.cpu]}")
}

start_load=$(cut -d' ' -f1-3 /proc/loadavg)
bench_size "$N" small "$RUNS" 1
[ "$BIG" -gt 0 ] && bench_size "$BIG" big "${BENCH_BIG_RUNS:-1}" "${BENCH_BASELINE_BIG:-0}"
end_load=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- report -------------------------------------------------------------------
cpu=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)
line() { # TAG NAME LABEL
    local k="$1.$2"
    [ -n "${R[$k.wall]:-}" ] || return 0
    printf '| %s | %s | %s | %s | %s |\n' "$3" "${R[$1.docs]}" "${R[$k.wall]}" "${R[$k.cpu]}" "$(mb "${R[$k.rss]}")"
}
{
    echo "# apnmap benchmark results"
    echo
    echo "Written by \`make bench\` (bench/run.sh) on $(date -u '+%Y-%m-%d %H:%M UTC')."
    echo "Machine: $(uname -srm), $cpu, $(nproc) cores; load average $start_load at the start, $end_load at the end."
    echo "apnmap $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$root" diff --quiet HEAD -- src 2>/dev/null || echo ' (with uncommitted changes in src/)')."
    echo "Each figure is the fastest of $RUNS runs (${BENCH_BIG_RUNS:-1} on the growth corpus); wall and CPU (user+sys) in seconds, peak RSS in MB."
    echo
    echo "| what | documents | wall s | CPU s | peak MB |"
    echo "|---|---|---|---|---|"
    for t in small big; do
        [ -n "${R[$t.docs]:-}" ] || continue
        line "$t" build "apnmap build ($t corpus, both cores)"
        line "$t" build1 "apnmap build -j 1 ($t corpus)"
        line "$t" stats "apnmap stats (${R[$t.stats.rows]} rows)"
        line "$t" overlap "apnmap overlap (${R[$t.overlap.rows]} rows)"
        line "$t" hardest "apnmap hardest"
        line "$t" plan "apnmap plan --next 5"
        line "$t" planbest "apnmap plan --best 3"
        line "$t" report "apnmap report"
        line "$t" reportnc "apnmap report --no-charts"
        line "$t" floor "floor.c (libxml2 + libzip, one thread)"
        line "$t" base "baseline_pipeline.py"
    done
    echo
    for t in small big; do
        [ -n "${R[$t.report.folder]:-}" ] || continue
        echo "* apnmap report on ${R[$t.docs]} documents: the folder $(mb $((R[$t.report.folder] / 1024))) MB, index.html $(mb $((R[$t.report.page] / 1024))) MB"
    done
    echo
    echo "Per-stage wall seconds of \`build --timings\` (both cores / one thread):"
    echo
    for t in small big; do
        [ -n "${R[$t.docs]:-}" ] || continue
        echo "* ${R[$t.docs]} documents: ${R[$t.timings]} / ${R[$t.timings1]}"
    done
    echo
    echo "Summary:"
    echo
    s=small
    if [ -n "${R[$s.base.wall]:-}" ]; then
        echo "* build + stats + overlap on ${R[$s.docs]} documents: ${R[$s.pipe.wall]} s wall, ${R[$s.pipe.cpu]} s CPU;" \
             "the reference pipeline ${R[$s.base.wall]} s wall, ${R[$s.base.cpu]} s CPU:" \
             "**$(ratio "${R[$s.base.wall]}" "${R[$s.pipe.wall]}")x** faster by wall time," \
             "$(ratio "${R[$s.base.cpu]}" "${R[$s.pipe.cpu]}")x by CPU time (target 20x, aim 40x)."
    else
        echo "* no reference pipeline ($shared/baseline_pipeline.py absent): no ratio."
    fi
    if [ -n "${R[$s.floor.wall]:-}" ]; then
        echo "* apnmap build over the floor: $(ratio "${R[$s.build.wall]}" "${R[$s.floor.wall]}")x wall" \
             "(both cores against one), $(ratio "${R[$s.build1.wall]}" "${R[$s.floor.wall]}")x with one thread."
    fi
    echo "* peak memory of build: $(mb "${R[$s.build.rss]}") MB on ${R[$s.docs]} documents" \
         "${R[big.docs]:+and $(mb "${R[big.build.rss]}") MB on ${R[big.docs]}} (target: under 64 MB and flat)."
    if [ -n "${R[big.docs]:-}" ]; then
        echo "* growth ${R[$s.docs]} -> ${R[big.docs]} documents ($(ratio "${R[big.docs]}" "${R[$s.docs]}")x):" \
             "build wall $(ratio "${R[big.build.wall]}" "${R[$s.build.wall]}")x, CPU $(ratio "${R[big.build.cpu]}" "${R[$s.build.cpu]}")x," \
             "memory $(ratio "${R[big.build.rss]}" "${R[$s.build.rss]}")x; overlap rows" \
             "${R[$s.overlap.rows]} -> ${R[big.overlap.rows]} (square of the competencies)," \
             "overlap command $(ratio "${R[big.overlap.wall]}" "${R[$s.overlap.wall]}")x."
    fi
} > "$work/results.md"
cat "$work/results.md"
if [ -n "$OUT" ]; then
    cp "$work/results.md" "$OUT"
    echo "bench: results written to $OUT" >&2
fi
