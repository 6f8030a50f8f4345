/* csv — the one CSV reader and cell writer (RFC 4180: quotes, doubled quotes,
 * CRLF), for every file apnmap reads or writes as CSV.
 *
 * Reading: apn_csv_parse takes text in memory, apn_csv_read a file (bounded:
 * 1 MiB, side files are small). Either calls fn once per record after the
 * header, with borrowed field strings valid for the call and the 1-based line
 * where the record starts. A record ends at LF, CRLF or a lone CR outside
 * quotes; a UTF-8 BOM is skipped; empty lines are skipped; the first other
 * record is the header, whose names the caller matches with apn_csv_col. Text
 * after a closing quote joins the field ("a"b is ab). A quote left open is
 * broken structure: an error on d (when d is not NULL) and APN_EPARSE.
 *
 * Writing: apn_csv_put_cell appends one cell to a buffer, quoted only when it
 * holds a comma, a quote or a line break; with APN_CSV_GUARD a cell that a
 * spreadsheet would take for a formula (= + - @ first) is prefixed with '.
 */
#ifndef APN_CSV_H
#define APN_CSV_H

#include <stddef.h>

#include <apnmap/common.h>

#include "util/buf.h"

typedef struct apn_csv_header { const char *const *names; size_t n; } apn_csv_header;

typedef int (*apn_csv_fn)(void *ud, const apn_csv_header *hdr, const char *const *fields,
                          size_t n, unsigned line);

/* Returns 0, APN_EPARSE or APN_ENOMEM; fn's non-zero return stops the read and
 * is returned. display is the path used in diagnostics. */
int apn_csv_parse(const char *data, size_t len, const char *display, apn_csv_fn fn, void *ud,
                  apn_diags *d);
/* apn_csv_parse with another field separator than ',' (Prowler writes ';';
 * sep must not be a quote or a line break). */
int apn_csv_parse_sep(const char *data, size_t len, char sep, const char *display, apn_csv_fn fn,
                      void *ud, apn_diags *d);
/* apn_csv_parse over the file at path. Also APN_ENOTFOUND (no such file),
 * APN_ELIMIT (over 1 MiB: an error on d) or APN_EIO. */
int apn_csv_read(const char *path, const char *display, apn_csv_fn fn, void *ud, apn_diags *d);

/* Index of the header column named name (case-insensitive; the first of
 * repeated names), or -1. */
int apn_csv_col(const apn_csv_header *hdr, const char *name);
/* Field name of a record, or NULL when the header has no such column or the
 * record is shorter. */
const char *apn_csv_field(const apn_csv_header *hdr, const char *const *fields, size_t n,
                          const char *name);

#define APN_CSV_GUARD 1   /* formula guard, for files a person opens in a spreadsheet */
/* Appends s as one cell (no separator); out of memory is b's sticky flag. */
void apn_csv_put_cell(apn_buf *b, const char *s, int flags);

#endif
