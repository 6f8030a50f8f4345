/* fetch_int — the pure parts of fetch, exposed for unit tests: URL resolution
 * and percent-encoding, the follow rule and the mirror path of a URL (links of
 * a page are fetch_links.h's, the manifest read/manifest.h's). No network here.
 * Every char ** out-parameter is an owned string (apn_free).
 */
#ifndef APN_FETCH_INT_H
#define APN_FETCH_INT_H

#include <stddef.h>

/* Resolves ref against the absolute URL base (RFC 3986 §5.2) into a normalised
 * absolute http(s) URL: scheme and host lower case, default port dropped, dot
 * segments removed, fragment dropped, and every byte outside the URL
 * alphabet percent-encoded (existing %XX escapes kept). Returns APN_EPARSE for
 * other schemes (mailto:, javascript:, ftp:), a userinfo part or no host.
 * Example: base "http://h/a/b/P.html", ref "P/My Book (1).xlsx"
 *       -> "http://h/a/b/P/My%20Book%20(1).xlsx". */
int apn_fetch__resolve(char **out, const char *base, const char *ref);

/* "scheme://host[:port]" of a normalised URL into buf (size n). Returns 0 or APN_EPARSE. */
int apn_fetch__origin(char *buf, size_t n, const char *url);

/* The path of a normalised URL (points into url; "/" at least), query excluded by the caller. */
const char *apn_fetch__path(const char *url);

/* The mirror path of a URL: its path percent-decoded, without the leading '/',
 * "index.html" appended to a folder. APN_EPARSE for a segment that is ".",
 * "..", or holds '/', '\\', NUL or a control byte after decoding.
 * Example: "http://h/c/s/P/My%20Book.xlsx" -> "c/s/P/My Book.xlsx". */
int apn_fetch__mirror_path(char **out, const char *url);

/* The translation folder of a URL ("ko"), or NULL: a two-letter folder (or
 * ll-xx) after the programme and slug folders. Copied into buf (size n). */
const char *apn_fetch__lang(char *buf, size_t n, const char *url);

/* 1 when url is to be followed from a page of origin: same origin, no query,
 * under /competency/ or /foundational/, a name build reads (apn_ingest_is_input:
 * .html, .htm, .xlsx, .xlsm), and not a translation unless langs ("all" or
 * "ko,ja") accepts it. */
int apn_fetch__follow(const char *url, const char *origin, const char *langs);

#endif
