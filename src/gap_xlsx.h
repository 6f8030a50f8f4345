/* gap_xlsx — the worklist as an .xlsx workbook, written with libxlsxwriter.
 *
 * A Summary sheet first (competency, offering, total, met, reused, new,
 * evidence), then one sheet per competency laid out like AWS's
 * self-assessments: ID, Requirement Description, Met?, Partner Response,
 * Status, Source, Section; the header row frozen and bold, filters on every
 * column, the Status cell filled by status (met green, reused blue, new
 * amber, evidence violet), long text wrapped. Sheet names are the slugs,
 * cut to Excel's 31 characters, []:*?/\' as _, made unique (~2, ~3; Excel
 * compares names without case). Text is written as text
 * (never a formula: a response starting with '=' stays a string).
 *
 * The file is written into an apn_io_stage in path's folder and renamed into
 * place only when libxlsxwriter has closed it without error.
 */
#ifndef APN_GAP_XLSX_H
#define APN_GAP_XLSX_H

#include <apnmap/common.h>
#include <apnmap/table.h>

/* rows and summary as apn_gap_table and apn_gap_summary give them. Returns 0,
 * APN_EIO (diags says why; path as it was) or APN_ENOMEM. */
int apn_gap__xlsx(const apn_table *rows, const apn_table *summary, const char *path, apn_diags *d);

#endif
