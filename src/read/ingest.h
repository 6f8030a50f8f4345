/* ingest — read one input file into an apn_doc, whatever its format.
 *
 * Detects the format from the bytes (a zip: workbook; otherwise a page when it
 * looks like HTML) and the name, reads the file through io.c (bounded), computes
 * its SHA-256 and hands it to the HTML reader or the workbook reader. Also used
 * by read/met.c to read filled self-assessments (`--met`).
 */
#ifndef APN_INGEST_H
#define APN_INGEST_H

#include "read/doc.h"

/* The format an input file's name promises: APN_DOC_HTML for .html and .htm,
 * APN_DOC_XLSX for .xlsx and .xlsm (any case), 0 for any other name. The one
 * rule for "is this an input": the build's folder walk and fetch's follow rule
 * both ask it. */
int apn_ingest_name_format(const char *name);
#define apn_ingest_is_input(name) (apn_ingest_name_format(name) != 0)

/* The side files build reads at the root of each folder it is given, in this
 * order (NULL-terminated): categories.csv, aliases.csv and the manifest. Only
 * the user and apnmap itself write them: fetch refuses to mirror any URL whose
 * file would bear one of these names (in any folder, any case), so a server
 * cannot plant one in a mirror that build then trusts. */
extern const char *const apn_ingest_side_files[];
/* 1 when the last segment of path is a side file's name (any case). */
int apn_ingest_is_side_file(const char *path);

/* Maximum size of one input file (pages and workbooks). */
#define APN_MAX_INPUT ((size_t)64 << 20)

/* Reads the file at path into doc (apn_doc_init'ed by this function with
 * display_path, or path when NULL). On a file that cannot be read at all,
 * doc->rejected is set and an error diagnostic names why; the return value is
 * then 0 unless memory ran out (APN_ENOMEM). The caller disposes doc. */
int apn_ingest_file(apn_doc *doc, const char *path, const char *display_path);

#endif
