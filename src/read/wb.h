/* wb — interpret a self-assessment workbook into an apn_doc.
 *
 * Knows the layouts of docs/formats.md §3: the header row (ID / Requirement
 * Description / Met?) found by name in the first 20 rows of each sheet, in any
 * column order and small spelling changes; section rows; control rows vs question
 * rows (IAM-002.1 belongs to IAM-002); customer-example sheets with reference
 * column pairs; the FTR's gate rows, optional feedback block, pre-rows (CIS
 * Benchmark Report, General Availability: pseudo items) and summary sheets
 * (views, not sources). Finds title (programme / competency / track / FTR
 * variant), validity and version in title cells, sheet names and the file name.
 * Answers follow docs/design.md §4 "Answers"; the FTR's hidden Pass/Fail formulas are
 * evaluated (formula.c) when the file has no cached values.
 */
#ifndef APN_WB_H
#define APN_WB_H

#include "read/doc.h"
#include "read/xlsx.h"

/* Fills doc from an open workbook. Returns 0, or a negative code when the
 * workbook's structure cannot be read (diagnostics on doc). */
int apn_wb_read(apn_doc *doc, apn_xlsx *x);

#endif
