#!/bin/sh
# The committed bundled corpus (data/corpus) is exactly what the generator writes
# from data/sources: regenerate into a temporary folder and compare byte for byte
# (workbooks included: gencorpus gives them a fixed creation time, and libxlsxwriter
# stamps zip members with a fixed date).
set -eu
root=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
command -v pkg-config >/dev/null && pkg-config --exists xlsxwriter 2>/dev/null || {
    echo "libxlsxwriter-dev is not installed (tools/deps.txt); run make deps"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$root/tools/gen-corpus.sh" "$tmp/corpus"
[ -d "$root/data/corpus" ] || { echo "data/corpus is missing: run make corpus"; exit 1; }
if ! diff -r "$root/data/corpus" "$tmp/corpus"; then
    echo "data/corpus differs from what tools/gen-corpus.sh writes: run make corpus and commit"
    exit 1
fi
# Guard against a vacuous pass: the corpus holds pages, workbooks and the side files.
n_html=$(find "$tmp/corpus" -name '*.html' | wc -l)
n_xlsx=$(find "$tmp/corpus" -name '*.xlsx' | wc -l)
[ "$n_html" -ge 30 ] && [ "$n_xlsx" -ge 20 ] || { echo "too few documents: $n_html pages, $n_xlsx workbooks"; exit 1; }
for f in manifest.csv categories.csv aliases.csv; do
    [ -s "$tmp/corpus/$f" ] || { echo "missing $f"; exit 1; }
done
# Every document is in the manifest, with the sha256 of its bytes.
(cd "$tmp/corpus" && find . -type f \( -name '*.html' -o -name '*.xlsx' \) | sed 's|^\./||' | sort) > "$tmp/files"
tail -n +2 "$tmp/corpus/manifest.csv" | sed 's/^"\([^"]*\)",.*/\1/; t; s/,.*//' | sort > "$tmp/listed"
diff "$tmp/files" "$tmp/listed" || { echo "manifest.csv does not list exactly the documents"; exit 1; }
tail -n +2 "$tmp/corpus/manifest.csv" | while IFS=, read -r path url etag lm sha rest; do
    got=$(sha256sum < "$tmp/corpus/$path" | cut -d' ' -f1)
    [ "$got" = "$sha" ] || { echo "manifest.csv: $path: sha256 $sha, file has $got"; exit 1; }
done
echo "corpus_fresh: $n_html pages, $n_xlsx workbooks, identical"
