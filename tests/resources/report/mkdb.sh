#!/bin/sh
# usage: mkdb.sh OUT.db [FIXTURE.sql] — an apnmap database made with sqlite3 from
# src/schema.sql and INSERTs (default: fixture.sql next to this script), so the
# report's tests do not depend on `apnmap build`.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
rm -f "$1"
sqlite3 "$1" < "$here/../../../src/schema.sql"
sqlite3 "$1" < "${2:-$here/fixture.sql}"
