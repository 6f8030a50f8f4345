/* apn_db — a read-only handle on an apnmap database, and the queries over it.
 *
 * One error channel: every call that can fail on its input or on the database
 * takes an apn_diags and adds an APN_SEV_ERROR entry saying why (path: the
 * database file for a fault of the file, "" for a fault of the request, such as
 * an unknown competency or a bad SQL statement), then returns a negative APN_E*
 * code. apn_db_open refuses a file that is not an apnmap database (APN_EDB) and
 * leaves *out NULL on any failure. Queries return owned apn_tables. A handle is
 * used by one thread at a time (it has no mutex of its own); open one per thread.
 */
#ifndef APNMAP_DB_H
#define APNMAP_DB_H

#include <stdio.h>

#include "common.h"

#include "table.h"

typedef struct apn_db apn_db;

/* Opens path read-only and checks that it is an apnmap database: its meta.format,
 * every table and column of the schema with its type and NOT NULL, views that
 * are apnmap's own, and the values of the tables that grow with the inputs
 * (competencies, checklists, documents, requirements). APN_EDB names what is
 * wrong. Every statement on the handle may then take APN_DB_TIME_LIMIT seconds
 * of work at most; past it the call fails with APN_ELIMIT and says so. */
#define APN_DB_TIME_LIMIT 300.0
int apn_db_open(apn_db **out, const char *path, apn_diags *d);
void apn_db_free(apn_db *db);
const char *apn_db_path(const apn_db *db);   /* borrowed: the path given to apn_db_open */

/* One user statement, read-only: SELECT, WITH, EXPLAIN and the PRAGMAs that
 * only report (also as table-valued functions: pragma_table_info('competency')).
 * Writes, ATTACH, transactions, settings and extension loading are refused by
 * an authorizer; trailing semicolons and comments are no second statement.
 * Bounded: seconds of work (<= 0: none) and rows (0: none). */
typedef struct apn_db_sql_opts {
    double seconds;
    size_t max_rows;
} apn_db_sql_opts;
#define APN_DB_SQL_SECONDS 60.0
#define APN_DB_SQL_MAX_ROWS 1000000
#define APN_DB_SQL_OPTS_INIT { APN_DB_SQL_SECONDS, APN_DB_SQL_MAX_ROWS }

/* Runs the statement into an owned table, its columns the statement's (a
 * column whose every value is an integer is an integer column, and so on).
 * opts NULL: APN_DB_SQL_OPTS_INIT. Returns 0; APN_EUSAGE when the statement is
 * refused, does not compile or fails as it runs (a diagnostic without a path
 * says why); APN_ELIMIT past a limit (no table); APN_EDB or APN_EIO for a fault
 * of the file (the diagnostic names it); APN_ENOMEM. */
int apn_db_sql(apn_table **out, apn_db *db, const char *sql, const apn_db_sql_opts *opts,
               apn_diags *d);
/* The same, streamed to f as CSV or JSON (not APN_FMT_TABLE) row by row, each
 * value written as what it is (integer, real, text, NULL). Past a limit the
 * rows so far are written and the call returns APN_ELIMIT; APN_EIO (no
 * diagnostic: errno says why) when writing f fails. */
int apn_db_sql_write(apn_db *db, const char *sql, const apn_db_sql_opts *opts, FILE *f,
                     apn_format fmt, apn_diags *d);

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
