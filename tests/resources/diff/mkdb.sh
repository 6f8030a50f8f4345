#!/bin/sh
# usage: mkdb.sh OUT.db FIXTURE.sql — an apnmap database made with sqlite3 from
# src/schema.sql and INSERTs (diff tests that do not depend on `apnmap build`).
set -eu
rm -f "$1"
sqlite3 "$1" < "$ROOT/src/schema.sql"
sqlite3 "$1" < "$2"
