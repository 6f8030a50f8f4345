#!/bin/sh
# Issue 14's frame, "one bad file never stops the others": inputs whose
# structure is broken, each rejected with an error naming it. Writes into DIR
# (made if needed) a workbook that is not a zip, one cut in half, and a page
# that is not text; prints nothing (every input written must be named).
set -eu
dir=${1:?usage: broken_inputs.sh DIR}
mkdir -p "$dir"
printf 'this is not a zip file\n' > "$dir/not_a_zip.xlsx"
printf 'PK\003\004\024\000\000\000\010\000' > "$dir/truncated.xlsx"
head -c 3000 /dev/zero | tr '\000' '\001' > "$dir/control_bytes.html"
