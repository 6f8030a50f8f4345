/* html_out — escaping for text that lands in HTML, in JSON inside <script>, and
 * in data: URIs, and gzip for what the page decompresses; used by the report renderer.
 *
 * Every function appends to a caller's apn_buf (whose sticky oom flag the caller
 * checks once at the end) and keeps nothing. Input is UTF-8 from documents and
 * therefore untrusted: after escaping it can never open or close an element.
 */
#ifndef APN_HTML_OUT_H
#define APN_HTML_OUT_H

#include <stddef.h>

#include "util/buf.h"

/* Appends s escaped for HTML text and attribute values (& < > " ').
 * Example: "<a href='x'>" -> "&lt;a href=&#39;x&#39;&gt;". NULL appends nothing. */
void apn_html_escape(apn_buf *b, const char *s);

/* Appends JSON text so it can sit inside <script>: <, > and & become \u003c,
 * \u003e, \u0026 and U+2028/U+2029 become \u2028/\u2029 (valid only because in
 * JSON these characters can occur only inside strings).
 * Example: "\"</script>\"" -> "\"\u003c/script\u003e\"". */
void apn_html_script_json(apn_buf *b, const char *json);

/* Appends data as standard base64 (with = padding). Example: "ab" -> "YWI=". */
void apn_html_base64(apn_buf *b, const void *data, size_t len);

/* Appends data gzip-compressed (zlib, level 9), as base64: what a page's
 * DecompressionStream('gzip') turns back into data. Returns 0 or APN_ENOMEM
 * (b's oom flag set too). */
int apn_html_gzip_base64(apn_buf *b, const void *data, size_t len);

#endif
