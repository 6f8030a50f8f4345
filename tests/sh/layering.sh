#!/bin/sh
# The library/CLI split (docs/conventions.md): every public header compiles alone,
# the CLI includes only public headers, the library exports only apn_ symbols,
# prints nothing and never exits.
set -u
fail=0
for h in "$ROOT"/include/apnmap/*.h; do
    printf '#include <apnmap/%s>\n' "${h##*/}" |
        cc -std=c11 -Wall -Wextra -Werror -I"$ROOT/include" -x c -fsyntax-only - ||
        { echo "FAIL header $h does not compile alone"; fail=1; }
done
bad=$(grep -n '#include "' "$ROOT"/src/cli/*.c | grep -v '"cli.h"\|"cmd.h"')
[ -z "$bad" ] || { echo "FAIL the CLI includes library internals:"; echo "$bad"; fail=1; }
syms=$(nm -g --defined-only "$BUILD/libapnmap.a" | awk 'NF == 3 {print $3}' | grep -v '^apn_' | grep -v '^__')   # __odr_asan.*: the sanitizer's own
[ -z "$syms" ] || { echo "FAIL non-apn_ symbols exported:"; echo "$syms"; fail=1; }
prints=$(grep -nE '\b(printf|puts|putchar|exit|abort)\s*\(|fprintf\s*\(\s*std(out|err)' "$ROOT"/src/*.c | grep -v '^\s*/[*/]')
[ -z "$prints" ] || { echo "FAIL the library prints or exits:"; echo "$prints"; fail=1; }
for c in "$ROOT"/src/*.c; do
    m=$(basename "$c" .c)
    [ "$m" = diag ] && m=apnmap   # the diagnostics list is part of the umbrella header
    [ -f "$ROOT/src/$m.h" ] || [ -f "$ROOT/include/apnmap/$m.h" ] ||
        { echo "FAIL src/$m.c has no matching header (src/ or include/apnmap/)"; fail=1; }
done
[ $fail -eq 0 ] && echo "layering ok"
exit $fail
