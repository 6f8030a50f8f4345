#!/bin/sh
# Every command in `apnmap help` answers `apnmap help CMD` and `CMD --help` on
# stdout with exit 0, and its usage line names the command (habit 12).
set -u
fail=0
cmds=$("$APNMAP" help | sed -n '/^commands:/,/^$/p' | awk 'NR > 1 && NF {print $1}' | grep -v '^help$')
[ -n "$cmds" ] || { echo "no commands listed"; exit 1; }
n=0
for c in $cmds; do
    n=$((n + 1))
    out=$("$APNMAP" help "$c") || { echo "FAIL help $c: exit $?"; fail=1; continue; }
    echo "$out" | head -1 | grep -q "^usage: apnmap $c" || { echo "FAIL help $c: no usage line"; fail=1; }
    "$APNMAP" "$c" --help > /dev/null || { echo "FAIL $c --help: exit $?"; fail=1; }
done
echo "$n commands checked"
"$APNMAP" > /dev/null 2>&1; [ $? -eq 2 ] || { echo "FAIL: no arguments should exit 2"; fail=1; }
exit $fail
