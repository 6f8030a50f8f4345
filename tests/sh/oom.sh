#!/bin/sh
# Fault injection over `apnmap build` (tests/oom/oom.c): one page and one
# workbook built on one thread with each allocation (ours, libxml2's, SQLite's)
# and each file read failing in turn: a clear error, the previous database
# intact, no temporary file left, no leak under ASan (build/san), no crash.
# In `make test` every allocation up to 300 then a stride; `make test-oom`
# (OOM_FULL=1, under ASan) tries every one. Twice: with the fast readers
# (htmlscan.c, the sheet fast path) that take the fixture, then with libxml2's
# parsers alone (-x), which read every other page and sheet.
set -u
bin="$BUILD/oom"
[ -x "$bin" ] || { echo "FAIL $bin missing (make builds it)"; exit 1; }
mkdir -p oomwork
if [ "${OOM_FULL:-0}" = 1 ]; then args="-q -e 100000"; else args="-q -e 300 -s 20"; fi
rc=0
# shellcheck disable=SC2086
"$bin" $args oomwork "$ROOT/tests/oom/fixture" || rc=1
# shellcheck disable=SC2086
"$bin" -x $args oomwork "$ROOT/tests/oom/fixture" || rc=1
exit $rc
