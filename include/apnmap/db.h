/* apn_db — a read-only handle on an apnmap database, and the queries over it.
 *
 * apn_db_open refuses a file that is not an apnmap database (APN_EDB with a
 * message). Queries return owned apn_tables. apn_db_sql runs one user statement
 * read-only: writes, ATTACH and extension loading are refused by an authorizer.
 * The last error message is kept in the handle (apn_db_errmsg). A handle is
 * used by one thread at a time (it has no mutex of its own); open one per thread.
 */
#ifndef APNMAP_DB_H
#define APNMAP_DB_H

#include <stdio.h>

#include "common.h"

#include "table.h"

typedef struct apn_db apn_db;
typedef struct sqlite3 sqlite3;

int apn_db_open(apn_db **out, const char *path);
void apn_db_free(apn_db *db);
const char *apn_db_errmsg(const apn_db *db);   /* borrowed; "" when none */
sqlite3 *apn_db_handle(apn_db *db);            /* borrowed, for library modules */

/* Runs one read-only SQL statement; its columns become the table's. */
int apn_db_sql(apn_table **out, apn_db *db, const char *sql);

/* Resolves a competency named by slug, name or alias, case-insensitively.
 * out is an owned copy of the slug. APN_ENOTFOUND when none matches: then
 * errmsg suggests the nearest names. */
int apn_db_competency(char **out, apn_db *db, const char *name);

/* Checks an offering name: saas, customer-deployed or services (APN_EUSAGE). */
int apn_db_offering_check(const char *offering);

/* The contract listings of docs/design.md §5; offering NULL = every offering. */
int apn_db_stats(apn_table **out, apn_db *db, const char *offering);
int apn_db_overlap(apn_table **out, apn_db *db, const char *offering);
int apn_db_hardest(apn_table **out, apn_db *db, const char *offering);

/* The same listings streamed to f as CSV or JSON (not APN_FMT_TABLE), row by
 * row, never held in memory: the overlap of 2,000 competencies is millions of rows.
 * Byte-identical to apn_table_write of the apn_db_stats/... table. */
typedef enum { APN_LIST_STATS, APN_LIST_OVERLAP, APN_LIST_HARDEST } apn_db_listing;
int apn_db_listing_write(apn_db *db, apn_db_listing which, const char *offering, FILE *f,
                      apn_format fmt);

/* Competencies whose offering rests on a checklist with coverage 'partial' (only
 * some of its requirements known): columns competency, offering. Their counts are
 * lower bounds; every listing should say so. */
int apn_db_partial(apn_table **out, apn_db *db, const char *offering);

#endif
