#!/bin/sh
# Build tools/gencorpus.c and (re)write the bundled corpus from data/sources/.
# usage: tools/gen-corpus.sh [OUT_DIR]     (default data/corpus; `make corpus` runs it)
# The real partner-hosted FTR files are copied from tests/resources/real/.
# Output is deterministic: tests/sh/corpus_fresh.sh regenerates into a temporary
# folder and compares it with the committed data/corpus.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-"$root/data/corpus"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2046
${CC:-cc} -std=c17 -O1 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
    -Wwrite-strings -Werror -o "$tmp/gencorpus" "$root/tools/gencorpus.c" $(pkg-config --cflags --libs xlsxwriter)
# Write into a fresh folder, then swap it in, so a failed run leaves the old corpus.
mkdir "$tmp/corpus"
"$tmp/gencorpus" "$root/data" "$root/tests/resources/real" "$tmp/corpus" >/dev/null
rm -rf "$out"
mkdir -p "$(dirname "$out")"
cp -R "$tmp/corpus" "$out"
echo "gen-corpus: wrote $out ($(find "$out" -type f | wc -l) files, $(du -sk "$out" | cut -f1) KB)"
