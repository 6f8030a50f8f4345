/* dbint — the database handle as the library's own modules see it (diff, plan,
 * report): the SQLite connection behind an apn_db and the helpers every query
 * shares. Not part of the public API; sqlite3 never appears in include/.
 *
 * apn_db__handle: the connection (borrowed, valid until apn_db_free).
 * apn_db__rc: the one map from a SQLite result code to an APN_E* code.
 * apn_db__fail: adds "PATH: <SQLite's message>" to d and returns apn_db__rc(rc).
 * apn_db__query prepares sql, binds bind1 (may be NULL) to ?1, and collects the
 * rows into an owned apn_table with the given column types (NULL: inferred);
 * apn_db__table does the collecting for a prepared statement.
 * apn_db__time_limit sets the seconds of work one statement may take on this
 * handle (<= 0: no limit; apn_db_open sets APN_DB_TIME_LIMIT) and returns the
 * previous limit; a statement past it fails with APN_ELIMIT and apn_db__fail
 * says so.
 * apn_db__open_bytes is apn_db_open over a database image in memory (copied;
 * name stands for the path in diagnostics): the fuzz target's way in.
 * apn__schema_sql is src/schema.sql, embedded: what store writes and what
 * apn_db_open checks a file against (dbcheck.h).
 *
 * apn_db_cursor walks one contract listing (docs/design.md §5) row by row: the
 * one definition of the listings' SQL and of their fast paths, consumed by
 * apn_db_listing_write and by the report. apn_db__listing_open gives an owned
 * cursor (apn_db__cursor_free; *out NULL on failure); names and types are
 * borrowed from it; apn_db__cursor_next returns 1 with *row the row's ncols
 * cells (borrowed until the next call), 0 at the end, or APN_E* with the reason
 * in the d given to open. Rows come in the listing's order; memory does not
 * grow with the listing.
 */
#ifndef APN_DBINT_H
#define APN_DBINT_H

#include <sqlite3.h>

#include <apnmap/apnmap.h>

#include "table_int.h"

sqlite3 *apn_db__handle(apn_db *db);
int apn_db__rc(int sqlite_rc);
int apn_db__fail(apn_db *db, apn_diags *d, int sqlite_rc);
int apn_db__query(apn_table **out, apn_db *db, const char *sql, const apn_coltype *types,
                  const char *bind1, apn_diags *d);
int apn_db__table(apn_table **out, apn_db *db, sqlite3_stmt *st, const apn_coltype *types,
                  apn_diags *d);
double apn_db__time_limit(apn_db *db, double seconds);
int apn_db__open_bytes(apn_db **out, const void *bytes, size_t n, const char *name, apn_diags *d);

extern const char apn__schema_sql[];

typedef struct apn_db_cursor apn_db_cursor;
int apn_db__listing_open(apn_db_cursor **out, apn_db *db, apn_db_listing which, const char *offering,
                         apn_diags *d);
size_t apn_db__cursor_ncols(const apn_db_cursor *c);
const char *const *apn_db__cursor_names(const apn_db_cursor *c);
const apn_coltype *apn_db__cursor_types(const apn_db_cursor *c);
int apn_db__cursor_next(apn_db_cursor *c, const apn_tcell **row);
void apn_db__cursor_free(apn_db_cursor *c);

#endif
