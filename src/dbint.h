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
 */
#ifndef APN_DBINT_H
#define APN_DBINT_H

#include <sqlite3.h>

#include <apnmap/apnmap.h>

sqlite3 *apn_db__handle(apn_db *db);
int apn_db__rc(int sqlite_rc);
int apn_db__fail(apn_db *db, apn_diags *d, int sqlite_rc);
int apn_db__query(apn_table **out, apn_db *db, const char *sql, const apn_coltype *types,
                  const char *bind1, apn_diags *d);
int apn_db__table(apn_table **out, apn_db *db, sqlite3_stmt *st, const apn_coltype *types,
                  apn_diags *d);

#endif
