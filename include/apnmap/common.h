/* apnmap/common.h — what every part of the public API shares: the version, the
 * error codes, the diagnostics list and the allocator hooks.
 *
 * Ownership, written once for the whole API:
 *  - apn_X_new/_open/_load(&out, ...) give an owned object; release it with apn_X_free.
 *  - Getters return borrowed pointers valid until their parent object is freed.
 *  - Caller-allocated structs that hold memory (apn_diags) are released with
 *    apn_X_dispose; an apn_table is an owned object (apn_table_new, apn_table_free).
 *  - No function keeps a caller's input after it returns.
 *  - Every _free and _dispose accepts NULL.
 */
#ifndef APNMAP_COMMON_H
#define APNMAP_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#define APN_VERSION "0.1.0"

/* Expected failures. -1 (APN_ERROR) is for the rest. */
enum {
    APN_OK = 0,
    APN_ERROR = -1,
    APN_ENOTFOUND = -2, /* a named file, competency or object does not exist */
    APN_EPARSE = -3,    /* input structure broken: not a zip, not XML, ... */
    APN_EIO = -4,       /* reading or writing a file failed */
    APN_ENOMEM = -5,    /* an allocation failed (or was made to fail) */
    APN_EDB = -6,       /* SQLite reported an error */
    APN_EUSAGE = -7,    /* the caller asked for something invalid */
    APN_ELIMIT = -8     /* an input exceeded a safety bound (size, depth) */
};

/* Returns a static English phrase for an APN_E* code ("out of memory"). */
const char *apn_strerror(int code);

typedef enum { APN_SEV_ERROR = 0, APN_SEV_WARNING = 1, APN_SEV_NOTE = 2 } apn_severity;

/* One finding about an input: printed by the CLI as `path: locus: message`. */
typedef struct apn_diag {
    apn_severity severity;
    char *path;     /* input file as given (relative to the build root), or "" */
    char *locus;    /* "Sheet!C7", "#requirement_IAM-001", "line 12", or "" */
    char *message;
} apn_diag;

/* A growable list of diagnostics. Zero-initialise (APN_DIAGS_INIT), dispose with
 * apn_diags_dispose. nerr counts APN_SEV_ERROR entries (inputs rejected). */
typedef struct apn_diags {
    apn_diag *v;
    size_t n, cap;
    size_t nerr, nwarn;
    int oom;        /* sticky: an entry could not be stored for lack of memory */
} apn_diags;
#define APN_DIAGS_INIT { 0, 0, 0, 0, 0, 0 }

/* Appends a diagnostic (strings copied). Returns 0 or APN_ENOMEM (also sets oom). */
int apn_diags_add(apn_diags *d, apn_severity sev, const char *path, const char *locus,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* apn_diags_add with a va_list, for functions that add their own context
 * before a message (messages are cut at 1023 bytes either way). */
int apn_diags_vadd(apn_diags *d, apn_severity sev, const char *path, const char *locus,
                   const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));
/* Moves every entry of src to the end of dst; src is left empty. */
int apn_diags_take(apn_diags *dst, apn_diags *src);
/* Sorts by path, then order of discovery (stable), so output is deterministic. */
void apn_diags_sort(apn_diags *d);
void apn_diags_dispose(apn_diags *d);

/* Allocator hooks: every allocation of the library (and, when installed with
 * apn_alloc_install_libs, of libxml2 and SQLite) goes through these. A test may
 * make the Nth allocation from now fail (0 disables); see apn_alloc_failures. */
void apn_alloc_fail_after(long n);
long apn_alloc_failures(void);      /* allocations refused so far */
int apn_alloc_install_libs(void);   /* route libxml2 and SQLite through the hooks */

#endif
