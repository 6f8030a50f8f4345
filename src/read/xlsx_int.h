/* xlsx_int — internal entry points of the workbook reader (xlsx.c, sheet.c)
 * for unit tests and fuzz targets.
 *
 * They let a caller feed one part's XML directly (a sheet, the shared strings)
 * without a zip around it. The apn_xlsx made by apn_xlsx__new_empty owns what
 * it parsed, like any other; XML given to these functions is borrowed and must
 * outlive the apn_xlsx (sheets are streamed again on every read).
 */
#ifndef APN_XLSX_INT_H
#define APN_XLSX_INT_H

#include "read/xlsx.h"

/* An apn_xlsx with no container, no sheets and no shared strings. path is
 * used in diagnostics; lim may be NULL. Returns 0 or APN_ENOMEM. */
int apn_xlsx__new_empty(apn_xlsx **out, const char *path, const apn_xlsx_limits *lim,
                        apn_diags *d);

/* Parses xml as xl/sharedStrings.xml, replacing any table already loaded.
 * Returns 0, APN_EPARSE (diagnostic added), APN_ELIMIT or APN_ENOMEM. */
int apn_xlsx__load_sst_memory(apn_xlsx *x, const void *xml, size_t len);

/* Appends a sheet named name whose XML is xml (borrowed); *index receives its
 * tab position, for apn_xlsx_read_sheet. Returns 0 or APN_ENOMEM. */
int apn_xlsx__add_sheet_memory(size_t *index, apn_xlsx *x, const char *name, const void *xml,
                               size_t len);

/* The shared-strings table: count and entry i (borrowed; NULL out of range). */
size_t apn_xlsx__nstrings(const apn_xlsx *x);
const char *apn_xlsx__string(const apn_xlsx *x, size_t i);

/* Set (tests only): sheets are streamed with xmlTextReader, as every part
 * with a DTD is, instead of the SAX2 parser; both must give the same rows. */
extern int apn_xlsx__use_reader;

/* Set (tests only): sheets never take the fast path (a hand-written scanner
 * for the XML subset real sheets use, which declines anything else to the
 * SAX2 parser). apn_xlsx__fast_reads counts the sheets this thread read
 * through it, so a test can tell it ran. */
extern int apn_xlsx__no_fast;
extern _Thread_local unsigned long apn_xlsx__fast_reads;

/* The zip member a sheet is read from ("xl/worksheets/sheet2.xml"), or NULL. */
const char *apn_xlsx__sheet_member(const apn_xlsx *x, size_t i);

#endif
