/* xlsx — read Office Open XML workbooks (.xlsx): container, sheets, cells.
 *
 * Covers ECMA-376 SpreadsheetML as written by Excel, openpyxl, LibreOffice and
 * libxlsxwriter: sheet names and tab order from xl/workbook.xml resolved through
 * xl/_rels/workbook.xml.rels (relative and absolute targets; sheet files in any
 * order), shared strings (plain and rich-text runs; phonetic runs skipped),
 * inline strings, cached formula values, numbers, booleans, errors, cells and
 * rows without r=, empty elements, shared formulas (expanded per cell), hidden
 * columns and merged ranges. Parts are streamed through libxml2's SAX2 push
 * parser (xmlTextReader for a part with a DTD), never held as a tree; a sheet of
 * at most 4 MiB in the XML subset real sheets use is read from memory by a
 * small scanner instead, with the same results (xlsx.c, "the fast path").
 * Bounded: every member's declared and actual inflated size is capped
 * (apn_xlsx_limits), no DTD is loaded, no entity expanded, no network used.
 *
 * An apn_xlsx owns its copy of nothing but what it parsed (sheet list, shared
 * strings); the bytes given to apn_xlsx_open_memory must outlive it. Cell
 * strings passed to a row callback are borrowed for the callback's duration.
 */
#ifndef APN_XLSX_H
#define APN_XLSX_H

#include <stddef.h>

#include <apnmap/common.h>

typedef struct apn_xlsx apn_xlsx;

/* A field left 0 takes its default; max_cols and max_rows never exceed Excel's. */
typedef struct apn_xlsx_limits {
    size_t max_member;   /* largest inflated member, bytes (default 64 MiB) */
    size_t max_total;    /* all members read, bytes (default 256 MiB) */
    size_t max_cols;     /* default 16384 (Excel's XFD) */
    size_t max_rows;     /* default 1048576 */
} apn_xlsx_limits;

typedef enum {
    APN_CELL_EMPTY = 0,
    APN_CELL_STRING,
    APN_CELL_NUMBER,
    APN_CELL_BOOL,
    APN_CELL_ERROR
} apn_celltype;

typedef struct apn_cell {
    unsigned col;           /* 0-based: A = 0 */
    apn_celltype type;      /* type of the cached value */
    const char *text;       /* cached value as text ("" when empty): strings as is,
                               numbers as written in the file, booleans "TRUE"/"FALSE",
                               errors "#N/A" ... */
    const char *formula;    /* formula without the leading '=', or NULL */
} apn_cell;

/* Called once per row that has at least one cell, rows in file order, cells
 * sorted by column. Returns 0 to go on; any other value stops the read and is
 * returned by apn_xlsx_read_sheet. row is 1-based. A cell is a <c> with a
 * cached value or a formula: styled empty cells are not reported, a formula
 * without a cached value comes as APN_CELL_EMPTY with its formula. */
typedef int (*apn_xlsx_row_fn)(void *ud, unsigned row, const apn_cell *cells, size_t ncells);

/* Opens a workbook held in memory. path is used in diagnostics only. Problems
 * are added to d with the member or cell as locus. Returns 0, APN_EPARSE (not a
 * zip, no workbook part, broken XML), APN_ELIMIT, or APN_ENOMEM. lim may be NULL. */
int apn_xlsx_open_memory(apn_xlsx **out, const void *data, size_t len, const char *path,
                         const apn_xlsx_limits *lim, apn_diags *d);
void apn_xlsx_free(apn_xlsx *x);

size_t apn_xlsx_nsheets(const apn_xlsx *x);
const char *apn_xlsx_sheet_name(const apn_xlsx *x, size_t i);  /* tab order; borrowed */
int apn_xlsx_sheet_hidden(const apn_xlsx *x, size_t i);        /* state hidden/veryHidden */

/* Streams sheet i (tab order). Returns 0, the callback's non-zero value, or a
 * negative APN_E* code (diagnostic added): APN_EPARSE with locus "member:line"
 * for broken XML, APN_ELIMIT for a member over the caps. A part carrying a DTD
 * gets a warning and its entity references are dropped, never expanded. Bad
 * cells (reference beyond XFD1048576, shared string index out of range) are
 * skipped with a warning whose locus is "Sheet!C7". */
int apn_xlsx_read_sheet(apn_xlsx *x, size_t i, apn_xlsx_row_fn fn, void *ud);

/* After apn_xlsx_read_sheet(i): whether column col (0-based) is hidden, and the
 * merged ranges as 0-based inclusive corners. Borrowed. */
int apn_xlsx_col_hidden(const apn_xlsx *x, size_t sheet, unsigned col);
typedef struct apn_range { unsigned r1, c1, r2, c2; } apn_range;
const apn_range *apn_xlsx_merges(const apn_xlsx *x, size_t sheet, size_t *n);

/* Cell references: "C7" -> row 7 (1-based), col 2 (0-based). "$C$7" accepted.
 * Returns 0, or APN_EPARSE beyond Excel's limits (XFD, 1048576) or malformed.
 * Example: "XFD1048576" -> col 16383, row 1048576; "XFE1" -> APN_EPARSE. */
int apn_cellref_parse(unsigned *row, unsigned *col, const char *ref, const char **end);
/* Writes "C7" for (7, 2) into buf (at least 12 bytes). */
void apn_cellref_format(char *buf, unsigned row, unsigned col);

#endif
