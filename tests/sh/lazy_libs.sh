#!/bin/sh
# libcurl and GLPK are loaded by the commands that use them, not by every process
# (src/util/lazylib.h): --version, stats, overlap and hardest map neither library;
# fetch maps libcurl.so.4. Read from the loader's own log (LD_DEBUG=files).
set -u
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$APNMAP" build "$ROOT/tests/contract/inputs" -o "$work/c.db" > "$work/build.log" 2>&1 ||
    { cat "$work/build.log"; echo "FAIL: build of tests/contract/inputs"; exit 1; }
loaded() { LD_DEBUG=files "$@" 2>&1 >/dev/null | grep -oE 'file=lib(curl|glpk)[^ ]*' | sort -u | tr '\n' ' '; }
for cmd in "--version" "stats --db $work/c.db" "overlap --db $work/c.db --format json" \
           "hardest --db $work/c.db"; do
    # shellcheck disable=SC2086
    got=$(loaded "$APNMAP" $cmd)
    [ -z "$got" ] || { echo "FAIL: apnmap $cmd loads $got"; exit 1; }
done
# nothing listens on port 9 (discard): the request fails at once, after libcurl loaded
got=$(loaded "$APNMAP" fetch -o "$work/m" --retries 0 --connect-timeout 2 \
      http://127.0.0.1:9/competency/x/consulting/a.html)
case "$got" in
    *file=libcurl.so.4*) ;;
    *) echo "FAIL: fetch did not load libcurl.so.4 (loaded: '$got')"; exit 1 ;;
esac
echo "lazy libs ok"
