/* manifest — manifest.csv, the mirror's record of what `fetch` saved: one row
 * per file (path relative to the manifest's folder, url, etag, last_modified,
 * sha256, fetched_at, coverage, note). The only code that knows its columns.
 *
 * Two readers: `build` scans the rows of each root's manifest for the url and
 * coverage of each document (apn_manifest_scan_file, with APN_MANIFEST_CHECK:
 * rows without a path and unknown coverage values are reported on d); `fetch`
 * keeps the whole table in an apn_manifest, changes rows, and writes it back
 * (apn_manifest_parse / set / write). Columns are found by header name; unknown
 * ones are ignored; rows without a path are skipped. A file with rows but no
 * path column, or with a quote left open, is not a manifest: APN_EPARSE (and a
 * diagnostic on d when d is not NULL).
 *
 * An apn_manifest owns every string of its entries; apn_manifest_dispose frees
 * them. Finding a path is a hash lookup, so a large manifest reads in linear time.
 */
#ifndef APN_MANIFEST_H
#define APN_MANIFEST_H

#include <stddef.h>

#include <apnmap/common.h>

#include "util/buf.h"
#include "util/map.h"

#define APN_MANIFEST_FILE "manifest.csv"

enum {
    APN_MF_PATH, APN_MF_URL, APN_MF_ETAG, APN_MF_LASTMOD, APN_MF_SHA256, APN_MF_FETCHED,
    APN_MF_COVERAGE, APN_MF_NOTE, APN_MF_NCOLS
};

/* Report rows without a path and coverage other than complete or partial (which
 * then reads as ""). Without it, values pass as the file has them: fetch writes
 * back what it does not understand. */
#define APN_MANIFEST_CHECK 1

/* One row: every column in the order above ("" for an absent or empty cell),
 * borrowed for the call; line is where the row starts. Non-zero stops the scan. */
typedef int (*apn_manifest_fn)(void *ud, const char *const f[APN_MF_NCOLS], unsigned line);

/* Calls fn for each row with a path. display names the file in diagnostics.
 * Returns 0, APN_EPARSE, APN_ENOMEM or fn's non-zero value. */
int apn_manifest_scan(const char *data, size_t len, const char *display, int flags,
                      apn_manifest_fn fn, void *ud, apn_diags *d);
/* apn_manifest_scan over the file at path (at most 1 MiB: APN_ELIMIT with an
 * error on d; APN_ENOTFOUND, APN_EIO as apn_io_read_file). */
int apn_manifest_scan_file(const char *path, const char *display, int flags, apn_manifest_fn fn,
                           void *ud, apn_diags *d);

typedef struct apn_manifest_entry {
    char *f[APN_MF_NCOLS];   /* owned; "" for an empty cell */
} apn_manifest_entry;

typedef struct apn_manifest {
    apn_manifest_entry *v;   /* in the order first added */
    size_t n, cap;
    apn_map index;           /* path -> entry */
} apn_manifest;
#define APN_MANIFEST_INIT { 0, 0, 0, APN_MAP_INIT }

/* Adds the rows of manifest text to m (a later row of a path replaces the
 * earlier). Returns 0, APN_EPARSE or APN_ENOMEM; nothing is reported. */
int apn_manifest_parse(apn_manifest *m, const char *data, size_t len);
/* The entry of path, or NULL (borrowed: valid until the next set). */
apn_manifest_entry *apn_manifest_find(const apn_manifest *m, const char *path);
/* Adds or replaces the entry of f[APN_MF_PATH]; values copied (NULL = "").
 * Returns 0 or APN_ENOMEM (m unchanged). */
int apn_manifest_set(apn_manifest *m, const char *const f[APN_MF_NCOLS]);
/* Appends the header and the entries sorted by path to out (CSV, LF line ends,
 * cells quoted only when needed, no formula guard: the file is data read back).
 * Out of memory is out's sticky flag. */
void apn_manifest_write(apn_buf *out, const apn_manifest *m);
void apn_manifest_dispose(apn_manifest *m);

#endif
