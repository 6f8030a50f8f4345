/* wb_int — internal entry points of wb.c for unit tests and the fuzz target.
 *
 * They feed wb.c's interpretation sheets of rows of cells (read/book.h's
 * records) without a zip around them.
 */
#ifndef APN_WB_INT_H
#define APN_WB_INT_H

#include "read/book.h"
#include "read/wb.h"

/* Reads the workbook made of sheets (borrowed for the call) into doc, as
 * apn_wb_read does. Returns 0 or APN_ENOMEM. */
int apn_wb__read_sheets(apn_doc *doc, const apn_book_sheet *sheets, size_t nsheets);

#endif
