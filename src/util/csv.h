/* csv — read small CSV side files (RFC 4180: quotes, doubled quotes, CRLF).
 *
 * apn_csv_read calls fn once per record after the header, with borrowed field
 * strings valid for the call and the 1-based line where the record starts. The
 * header's names are matched by the caller through apn_csv_col. Files are
 * bounded (1 MiB); a quote left open is reported as a diagnostic on d.
 */
#ifndef APN_CSV_H
#define APN_CSV_H

#include <stddef.h>

#include <apnmap/common.h>

typedef struct apn_csv_header { const char *const *names; size_t n; } apn_csv_header;

typedef int (*apn_csv_fn)(void *ud, const apn_csv_header *hdr, const char *const *fields,
                          size_t n, unsigned line);

/* Returns 0, APN_ENOTFOUND (no such file), APN_EPARSE, APN_ELIMIT, APN_EIO or
 * APN_ENOMEM; fn's non-zero return stops the read and is returned. display is
 * the path used in diagnostics. */
int apn_csv_read(const char *path, const char *display, apn_csv_fn fn, void *ud, apn_diags *d);

/* Index of the header column named name (case-insensitive), or -1. */
int apn_csv_col(const apn_csv_header *hdr, const char *name);

#endif
