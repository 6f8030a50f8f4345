/* xlsx — open an Office Open XML workbook (.xlsx) held in memory: the container.
 *
 * Covers ECMA-376 SpreadsheetML packages as Excel, openpyxl, LibreOffice and
 * libxlsxwriter write them: the zip (libzip over memory), _rels/.rels, sheet
 * names and tab order from xl/workbook.xml resolved through
 * xl/_rels/workbook.xml.rels (relative and absolute targets; sheet files in
 * any order), and the shared strings (plain and rich-text runs; phonetic runs
 * skipped), loaded once into one pool. Each part is read by xlsx_part.c,
 * bounded: every member's declared and actual inflated size is capped
 * (apn_xlsx_limits), no DTD is loaded, no entity expanded, no network used.
 * The sheets themselves are streamed by sheet.c (read/sheet.h, included here).
 *
 * An apn_xlsx owns its copy of nothing but what it parsed (sheet list, shared
 * strings); the bytes given to apn_xlsx_open_memory must outlive it.
 */
#ifndef APN_XLSX_H
#define APN_XLSX_H

#include <stddef.h>

#include <apnmap/common.h>

#include "read/sheet.h"

/* A field left 0 takes its default; max_cols and max_rows never exceed Excel's. */
typedef struct apn_xlsx_limits {
    size_t max_member;   /* largest inflated member, bytes (default 64 MiB) */
    size_t max_total;    /* all members read, bytes (default 256 MiB) */
    size_t max_cols;     /* default 16384 (Excel's XFD) */
    size_t max_rows;     /* default 1048576 */
} apn_xlsx_limits;

/* Opens a workbook held in memory. path is used in diagnostics only. Problems
 * are added to d with the member or cell as locus. Returns 0, APN_EPARSE (not a
 * zip, no workbook part, broken XML), APN_ELIMIT, or APN_ENOMEM. lim may be NULL. */
int apn_xlsx_open_memory(apn_xlsx **out, const void *data, size_t len, const char *path,
                         const apn_xlsx_limits *lim, apn_diags *d);
void apn_xlsx_free(apn_xlsx *x);

size_t apn_xlsx_nsheets(const apn_xlsx *x);
const char *apn_xlsx_sheet_name(const apn_xlsx *x, size_t i);  /* tab order; borrowed */
int apn_xlsx_sheet_hidden(const apn_xlsx *x, size_t i);        /* state hidden/veryHidden */

#endif
