#!/bin/sh
# The house's floors (docs/architecture.md, docs/conventions.md), machine-checked:
#  - every public header compiles alone; the umbrella only collects sub-headers;
#  - each source file includes only what its floor may see (the table below);
#  - the library exports only apn_ symbols, prints nothing and never exits;
#  - every library .c has a header of its own (src/ or include/apnmap/).
set -u
fail=0

for h in "$ROOT"/include/apnmap/*.h; do
    printf '#include <apnmap/%s>\n' "${h##*/}" |
        cc -std=c11 -Wall -Wextra -Werror -I"$ROOT/include" -x c -fsyntax-only - ||
        { echo "FAIL header $h does not compile alone"; fail=1; }
done
decl=$(grep -vE '^\s*(#|/?\*|$)' "$ROOT/include/apnmap/apnmap.h")
[ -z "$decl" ] || { echo "FAIL apnmap.h declares instead of collecting:"; echo "$decl"; fail=1; }

# The include table: a file (shell glob under src/) and the quoted or <apnmap/...>
# includes it may use, as extended regular expressions matched against the name
# between the quotes or brackets. First matching row wins.
#   util/  knows nothing of APN: only its own floor and the codes/diagnostics
#   read/  bytes -> apn_doc: util/ and its own floor, never the model or the store
#   the rest of src/ by stage; cli/ a client of include/ only.
table='
cli/*             ^(cli|cmd)\.h$|^apnmap/[a-z]+\.h$
util/*            ^util/[a-z0-9_]+\.h$|^apnmap/common\.h$
read/*            ^(util|read)/[a-z0-9_]+\.h$|^apnmap/common\.h$
build.c           ^(util|read)/[a-z0-9_]+\.h$|^(model|store)\.h$|^apnmap/[a-z]+\.h$
model.[ch]        ^util/[a-z0-9_]+\.h$|^read/(doc|ident|ids)\.h$|^model\.h$|^apnmap/[a-z]+\.h$
store.[ch]        ^util/[a-z0-9_]+\.h$|^read/ids\.h$|^(model|store|dbint|reqref)\.h$|^apnmap/[a-z]+\.h$
plan_solve.[ch]   ^util/[a-z0-9_]+\.h$|^(mip|plan_solve)\.h$|^apnmap/common\.h$
plan*             ^util/[a-z0-9_]+\.h$|^read/(ids|met)\.h$|^(dbint|mip|plan_[a-z]+)\.h$|^apnmap/[a-z]+\.h$
report*           ^util/[a-z0-9_]+\.h$|^(dbint|table_int|chart|html_out|webassets|report_[a-z]+)\.h$|^apnmap/[a-z]+\.h$
gap*              ^util/[a-z0-9_]+\.h$|^read/met\.h$|^(dbint|gap_xlsx)\.h$|^apnmap/[a-z]+\.h$
fetch.c           ^util/[a-z0-9_]+\.h$|^read/(ingest|manifest)\.h$|^fetch_(int|links)\.h$|^apnmap/[a-z]+\.h$
*                 ^util/[a-z0-9_]+\.h$|^(dbint|dbcheck|table_int|chart|html_out|mip|fetch_int|fetch_links|webassets|reqref)\.h$|^apnmap/[a-z]+\.h$
'
for f in $(cd "$ROOT/src" && find . -name '*.[ch]' | sed 's|^\./||' | sort); do
    allow=$(printf '%s\n' "$table" | while read -r pat re; do
        [ -n "$pat" ] || continue
        # shellcheck disable=SC2254
        case $f in $pat) printf '%s\n' "$re"; break ;; esac
    done)
    grep -oE '^\s*#\s*include\s*("[^"]+"|<apnmap/[^>]+>)' "$ROOT/src/$f" |
        sed -E 's/.*["<]([^">]+)[">]$/\1/' | while read -r inc; do
        printf '%s\n' "$inc" | grep -Eq "$allow" ||
            echo "FAIL src/$f includes \"$inc\", which its floor may not see"
    done
done > "$BUILD/layering.out"
if [ -s "$BUILD/layering.out" ]; then cat "$BUILD/layering.out"; fail=1; fi

syms=$(nm -g --defined-only "$BUILD/libapnmap.a" | awk 'NF == 3 {print $3}' | grep -v '^apn_' | grep -v '^__')   # __odr_asan.*: the sanitizer's own
[ -z "$syms" ] || { echo "FAIL non-apn_ symbols exported:"; echo "$syms"; fail=1; }
lib_c=$(cd "$ROOT" && ls src/*.c src/util/*.c src/read/*.c)
prints=$(cd "$ROOT" && grep -nE '\b(printf|puts|putchar|exit|abort)\s*\(|fprintf\s*\(\s*std(out|err)' $lib_c | grep -v '^\s*/[*/]')
[ -z "$prints" ] || { echo "FAIL the library prints or exits:"; echo "$prints"; fail=1; }
for c in $lib_c; do
    d=$(dirname "$c"); m=$(basename "$c" .c)
    [ "$m" = diag ] && continue   # the diagnostics list is declared in <apnmap/common.h>
    [ -f "$ROOT/$d/$m.h" ] || [ -f "$ROOT/include/apnmap/$m.h" ] ||
        { echo "FAIL $c has no matching header ($d/ or include/apnmap/)"; fail=1; }
done
[ $fail -eq 0 ] && echo "layering ok"
exit $fail
