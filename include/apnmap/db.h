/* apn_db — a read-only handle on an apnmap database, and the queries over it.
 *
 * One error channel: every call that can fail on its input or on the database
 * takes an apn_diags and adds an APN_SEV_ERROR entry saying why (path: the
 * database file for a fault of the file, "" for a fault of the request, such as
 * an unknown competency or a bad SQL statement), then returns a negative APN_E*
 * code. apn_db_open refuses a file that is not an apnmap database (APN_EDB) and
 * leaves *out NULL on any failure. Queries return owned apn_tables. apn_db_sql
 * runs one user statement read-only: writes, ATTACH and extension loading are
 * refused by an authorizer. A handle is used by one thread at a time (it has no
 * mutex of its own); open one per thread.
 */
#ifndef APNMAP_DB_H
#define APNMAP_DB_H

#include <stdio.h>

#include "common.h"

#include "table.h"

typedef struct apn_db apn_db;

int apn_db_open(apn_db **out, const char *path, apn_diags *d);
void apn_db_free(apn_db *db);
const char *apn_db_path(const apn_db *db);   /* borrowed: the path given to apn_db_open */

/* Runs one read-only SQL statement; its columns become the table's.
 * APN_EUSAGE for a statement that is refused or does not compile. */
int apn_db_sql(apn_table **out, apn_db *db, const char *sql, apn_diags *d);

/* Resolves a competency named by slug, name or alias, case-insensitively.
 * out is an owned copy of the slug. APN_ENOTFOUND when none matches: then the
 * diagnostic suggests the nearest names. */
int apn_db_competency(char **out, apn_db *db, const char *name, apn_diags *d);

/* A predicate, not a query: 0 for NULL, saas, customer-deployed or services,
 * else APN_EUSAGE (no diagnostic: the caller words its own usage error). */
int apn_db_offering_check(const char *offering);

/* The contract listings of docs/design.md §5; offering NULL = every offering. */
int apn_db_stats(apn_table **out, apn_db *db, const char *offering, apn_diags *d);
int apn_db_overlap(apn_table **out, apn_db *db, const char *offering, apn_diags *d);
int apn_db_hardest(apn_table **out, apn_db *db, const char *offering, apn_diags *d);

/* The same listings streamed to f as CSV or JSON (not APN_FMT_TABLE), row by
 * row, never held in memory: the overlap of 2,000 competencies is millions of rows.
 * Byte-identical to apn_table_write of the apn_db_stats/... table. APN_EIO
 * (no diagnostic: errno says why) when writing f fails. */
typedef enum { APN_LIST_STATS, APN_LIST_OVERLAP, APN_LIST_HARDEST } apn_db_listing;
int apn_db_listing_write(apn_db *db, apn_db_listing which, const char *offering, FILE *f,
                         apn_format fmt, apn_diags *d);

/* Competencies whose offering rests on a checklist with coverage 'partial' (only
 * some of its requirements known): columns competency, offering. Their counts are
 * lower bounds; every listing should say so. */
int apn_db_partial(apn_table **out, apn_db *db, const char *offering, apn_diags *d);

#endif
