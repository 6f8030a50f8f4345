#!/bin/sh
# mkdb.sh DB SQL: a database from src/schema.sql plus a fixture's INSERTs.
set -eu
rm -f "$1"
sqlite3 "$1" < "$ROOT/src/schema.sql"
sqlite3 "$1" < "$2"
