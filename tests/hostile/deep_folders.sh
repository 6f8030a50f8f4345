#!/bin/sh
# Issue 14, finding 9 (build's walk): a page 40 folders deep. The walk reads
# folders at most 32 levels below a root; the old one skipped deeper ones
# without a word. Writes into DIR (made if needed); prints the path (relative
# to DIR) of the first folder a build must name as not read.
set -eu
dir=${1:?usage: deep_folders.sh DIR}
p=$dir
i=1
while [ $i -le 40 ]; do p=$p/d$i; i=$((i + 1)); done
mkdir -p "$p"
printf '<html><body><h1>Deep</h1></body></html>\n' > "$p/deep.html"
# the root is level 0: d1 .. d32 are read, d33 is named
rel=d1
i=2
while [ $i -le 33 ]; do rel=$rel/d$i; i=$((i + 1)); done
echo "$rel"
