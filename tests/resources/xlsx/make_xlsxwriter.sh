#!/bin/sh
# Regenerates xlsxwriter_competency.xlsx from gen_xlsxwriter.c (libxlsxwriter,
# Debian's libxlsxwriter-dev from tools/deps.txt). Run from anywhere.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc -std=c17 -Wall -Wextra -o "$tmp/gen" "$here/gen_xlsxwriter.c" -lxlsxwriter
"$tmp/gen" "$here/xlsxwriter_competency.xlsx"
echo "wrote $here/xlsxwriter_competency.xlsx"
