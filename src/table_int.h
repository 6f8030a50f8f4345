/* table_int — streaming rows in the CSV and JSON of the output contract.
 *
 * apn_rowout writes a header, then one row at a time, then the closing bracket
 * (JSON), byte-identical to apn_table_write of the same rows, without holding
 * them: db.c streams large listings through it. Names and types are borrowed for
 * the writer's life (types are read at every row, so a caller may change them
 * between rows: sql's stream gives each value its own type); cells for the call. CSV and JSON only (the text table needs
 * every row to size its columns). JSON rows are formatted by hand, byte for byte
 * as jansson dumps them; a row the hand formatter cannot vouch for (invalid
 * UTF-8, a ratio out of its range) goes through jansson itself.
 */
#ifndef APN_TABLE_INT_H
#define APN_TABLE_INT_H

#include <stdio.h>

#include <apnmap/apnmap.h>

#include "util/buf.h"

typedef struct apn_tcell {
    int null;
    long long i;     /* APN_COL_INT, APN_COL_BOOL */
    double r;        /* APN_COL_REAL */
    const char *s;   /* APN_COL_TEXT */
} apn_tcell;

typedef struct apn_rowout {
    FILE *f;
    apn_format fmt;
    size_t ncols, nrows;
    const char *const *names;
    const apn_coltype *types;
    apn_buf b;
    apn_buf keys;    /* JSON: per column, the escaped `\n    "name": ` */
    size_t *koff;    /* JSON: ncols + 1 offsets into keys */
    int slow;        /* JSON: every row through jansson (names it would refuse) */
    int err;
} apn_rowout;

void apn_rowout_begin(apn_rowout *w, FILE *f, apn_format fmt, size_t ncols,
                      const char *const *names, const apn_coltype *types);
void apn_rowout_row(apn_rowout *w, const apn_tcell *cells);
/* Returns 0, APN_ENOMEM or APN_EIO (the first error of the whole stream). */
int apn_rowout_end(apn_rowout *w);

#endif
