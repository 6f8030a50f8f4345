/* wb_int — internal entry points of wb.c for unit tests.
 *
 * A workbook is seen as sheets of rows of apn_cell (the xlsx reader's record),
 * so tests can feed rows without a zip. An apn_wb_book holds every cell of a
 * workbook (a copy, owned, when loaded from an apn_xlsx; borrowed sheets when
 * made with apn_wb__book_new) and evaluates formula cells on demand, caching
 * results and guarding against cycles. Free with apn_wb__book_free.
 */
#ifndef APN_WB_INT_H
#define APN_WB_INT_H

#include "read/formula.h"
#include "read/wb.h"

typedef struct apn_wb_row {
    unsigned row;              /* 1-based */
    const apn_cell *cells;     /* sorted by column */
    size_t ncells;
} apn_wb_row;

typedef struct apn_wb_sheet {
    const char *name;
    int hidden;
    const apn_wb_row *rows;    /* any order */
    size_t nrows;
} apn_wb_sheet;

typedef struct apn_wb_book apn_wb_book;

/* Reads the workbook made of sheets (borrowed for the call) into doc, as
 * apn_wb_read does. Returns 0 or APN_ENOMEM. */
int apn_wb__read_sheets(apn_doc *doc, const apn_wb_sheet *sheets, size_t nsheets);

/* Loads every cell of x into an owned book. Returns 0, APN_ENOMEM or the
 * reader's error. */
int apn_wb__load(apn_wb_book **out, apn_xlsx *x);
/* A book over borrowed sheets (they must outlive it). Returns 0 or APN_ENOMEM. */
int apn_wb__book_new(apn_wb_book **out, const apn_wb_sheet *sheets, size_t nsheets);
void apn_wb__book_free(apn_wb_book *b);
size_t apn_wb__book_nsheets(const apn_wb_book *b);
const apn_wb_sheet *apn_wb__book_sheet(const apn_wb_book *b, size_t i);   /* borrowed */

/* The value of one cell: its cached value, or, for a formula cell whose cached
 * value is missing or empty (or every formula cell when ignore_cache is set),
 * the formula evaluated, referenced formula cells in turn. ignore_cache must be
 * the same for every call on one book (results are memoised). Result strings
 * live in the book. Returns 0, APN_EPARSE (err says why: unsupported function,
 * syntax) for the cell's own formula, or APN_ENOMEM / APN_ELIMIT. */
int apn_wb__eval_cell(apn_value *out, apn_wb_book *b, size_t sheet, unsigned row, unsigned col,
                      int ignore_cache, char *err, size_t errlen);

#endif
