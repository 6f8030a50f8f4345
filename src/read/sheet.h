/* sheet — stream one worksheet of a workbook: rows of cells, hidden columns,
 * merged ranges; and A1 cell references.
 *
 * Covers SpreadsheetML sheets as Excel, openpyxl, LibreOffice and
 * libxlsxwriter write them: shared strings, inline strings (plain and rich
 * runs; phonetic runs skipped), cached formula values, numbers, booleans,
 * errors, cells and rows without r=, empty elements, shared formulas (expanded
 * per cell), hidden columns and merged ranges. A sheet is streamed, never held
 * as a tree: through libxml2's SAX2 push parser (xmlTextReader for a part with
 * a DTD, whose entities stay unexpanded), or, for a sheet of at most 4 MiB in
 * the XML subset real sheets use, read from memory by read/xmlscan.c instead,
 * with the same results. The container (xlsx.h) opens the workbook; this
 * module reads its sheets.
 *
 * Cell strings passed to a row callback are borrowed for the callback's
 * duration. Hidden columns and merges are owned by the apn_xlsx and replaced
 * by the next read of the same sheet.
 */
#ifndef APN_SHEET_H
#define APN_SHEET_H

#include <stddef.h>

#include <apnmap/common.h>

typedef struct apn_xlsx apn_xlsx;

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
