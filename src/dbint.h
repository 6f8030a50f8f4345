/* dbint — helpers shared by the library modules that query a database.
 *
 * apn_db__query prepares sql, binds bind1 (may be NULL) to ?1, and collects the
 * rows into an owned apn_table with the given column types (NULL: inferred).
 * apn_db__seterr records the handle's error message (printf-checked).
 */
#ifndef APN_DBINT_H
#define APN_DBINT_H

#include <sqlite3.h>

#include <apnmap/apnmap.h>

int apn_db__query(apn_table **out, apn_db *db, const char *sql, const apn_coltype *types,
                  const char *bind1);
int apn_db__table(apn_table **out, apn_db *db, sqlite3_stmt *st, const apn_coltype *types);
void apn_db__seterr(apn_db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
