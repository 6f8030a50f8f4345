/* book — every cell of a workbook, held for lookups, and formula evaluation.
 *
 * A workbook is seen as sheets of rows of apn_cell (the sheet reader's record).
 * An apn_book holds them, indexed (rows sorted by number, cells by column: a
 * lookup is two binary searches), and evaluates formula cells on demand
 * through formula.c, each result memoised, cycles answered #CIRCULAR!, nesting
 * bounded. wb.c interprets a book; tests and the fuzz target make books from
 * rows of their own.
 *
 * A book loaded from an apn_xlsx (apn_book_load) owns a copy of every cell; a
 * book over the caller's sheets (apn_book_new) borrows them, and they must
 * outlive it. Strings a book returns (cell text, evaluated values) live in the
 * book until apn_book_free.
 */
#ifndef APN_BOOK_H
#define APN_BOOK_H

#include <stddef.h>

#include "read/formula.h"
#include "read/xlsx.h"

typedef struct apn_book_row {
    unsigned row;              /* 1-based */
    const apn_cell *cells;     /* sorted by column */
    size_t ncells;
} apn_book_row;

typedef struct apn_book_sheet {
    const char *name;
    int hidden;
    const apn_book_row *rows;  /* any order */
    size_t nrows;
} apn_book_sheet;

typedef struct apn_book apn_book;

/* Loads every cell of every sheet of x into an owned book. Returns 0,
 * APN_ENOMEM or the sheet reader's error. */
int apn_book_load(apn_book **out, apn_xlsx *x);
/* A book over borrowed sheets. Returns 0 or APN_ENOMEM. */
int apn_book_new(apn_book **out, const apn_book_sheet *sheets, size_t nsheets);
void apn_book_free(apn_book *b);

size_t apn_book_nsheets(const apn_book *b);
const apn_book_sheet *apn_book_sheet_at(const apn_book *b, size_t sheet);   /* NULL out of range */
/* The rows of a sheet in row order: how many, and the i-th. */
size_t apn_book_nrows(const apn_book *b, size_t sheet);
const apn_book_row *apn_book_row_at(const apn_book *b, size_t sheet, size_t i);
/* The row numbered row (the first of equals), or NULL. */
const apn_book_row *apn_book_find_row(const apn_book *b, size_t sheet, unsigned row);
/* The cell at (row 1-based, col 0-based), or NULL. */
const apn_cell *apn_book_cell(const apn_book *b, size_t sheet, unsigned row, unsigned col);

/* The value of one cell: its cached value, or, for a formula cell whose cached
 * value is missing or empty (or every formula cell when ignore_cache is set),
 * the formula evaluated, referenced formula cells in turn. ignore_cache must be
 * the same for every call on one book (results are memoised). Returns 0,
 * APN_EPARSE (err says why: unsupported function, syntax) for the cell's own
 * formula, or APN_ENOMEM / APN_ELIMIT. */
int apn_book_eval(apn_value *out, apn_book *b, size_t sheet, unsigned row, unsigned col,
                  int ignore_cache, char *err, size_t errlen);
/* A value as text (apn_value_text) in the book's memory; NULL on APN_ENOMEM. */
const char *apn_book_value_text(apn_book *b, const apn_value *v);

#endif
