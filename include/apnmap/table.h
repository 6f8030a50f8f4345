/* apn_table — a small typed result table, and its CSV / JSON / text writers.
 *
 * Every listing the library produces (stats, overlap, plans, diffs, sql) is an
 * apn_table: named columns with a type, rows of cells that may be NULL. The
 * writers implement the CLI contract of docs/design.md §5: CSV per RFC 4180 with quotes
 * only where needed, LF line ends, integers as integers, reals with four
 * decimals, and text starting with = + - @ prefixed by ' (spreadsheet formula
 * guard); JSON as an array of objects keyed by column name. The table owns
 * copies of everything put into it.
 */
#ifndef APNMAP_TABLE_H
#define APNMAP_TABLE_H

#include <stddef.h>
#include <stdio.h>

#include "common.h"

typedef enum { APN_COL_TEXT, APN_COL_INT, APN_COL_REAL, APN_COL_BOOL } apn_coltype;
typedef enum { APN_FMT_TABLE, APN_FMT_CSV, APN_FMT_JSON } apn_format;

typedef struct apn_table apn_table;

/* Creates an empty table with ncols columns (names and types copied). Owned. */
int apn_table_new(apn_table **out, size_t ncols, const char *const *names,
                  const apn_coltype *types);
void apn_table_free(apn_table *t);

/* Appends a row of NULL cells; the setters below fill the last row. */
int apn_table_add_row(apn_table *t);
int apn_table_set_text(apn_table *t, size_t col, const char *s); /* NULL: a NULL cell */
int apn_table_set_int(apn_table *t, size_t col, long long v);
int apn_table_set_real(apn_table *t, size_t col, double v);
int apn_table_set_bool(apn_table *t, size_t col, int v);

size_t apn_table_ncols(const apn_table *t);
size_t apn_table_nrows(const apn_table *t);
const char *apn_table_colname(const apn_table *t, size_t col);     /* borrowed */
apn_coltype apn_table_coltype(const apn_table *t, size_t col);
int apn_table_is_null(const apn_table *t, size_t row, size_t col);
const char *apn_table_text(const apn_table *t, size_t row, size_t col); /* borrowed; NULL if NULL or not text */
long long apn_table_int(const apn_table *t, size_t row, size_t col);   /* int and bool cells */
double apn_table_real(const apn_table *t, size_t row, size_t col);     /* real and int cells */

/* Writes the table to f. APN_FMT_TABLE aligns columns for a terminal. Returns 0
 * or APN_EIO when f reports an error. */
int apn_table_write(const apn_table *t, FILE *f, apn_format fmt);

/* Writes one CSV cell per the contract's rules (quoting, formula guard). */
int apn_csv_write_cell(FILE *f, const char *s);

/* Parses "table", "csv" or "json"; returns 0 or APN_EUSAGE. */
int apn_table_format_parse(apn_format *out, const char *name);

#endif
