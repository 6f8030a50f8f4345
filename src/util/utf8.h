/* utf8 — UTF-8: encode, check, count, repair, and decode other charsets into it.
 *
 * UTF-8 here is RFC 3629's, strictly: no overlong forms, no surrogates
 * (U+D800-DFFF), nothing above U+10FFFF. The decoders turn UTF-16 (either byte
 * order), windows-1252 (as WHATWG defines it, which also serves the labels
 * ISO-8859-1 and US-ASCII) and any charset the C library's iconv knows into
 * valid UTF-8, each byte that cannot be decoded becoming U+FFFD and counted in
 * *bad. They append to a caller's apn_buf: its sticky oom flag reports an
 * allocation failure, and nothing else is allocated. Everything else here
 * works on the caller's bytes and allocates nothing.
 */
#ifndef APN_UTF8_H
#define APN_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define APN_UTF8_REPLACEMENT 0xFFFDu   /* U+FFFD, what an undecodable byte becomes */

/* Writes code point cp (at most U+10FFFF) as UTF-8 into out; returns its
 * length, 1 to 4. Example: 0xE9 -> "\xC3\xA9", 2. */
size_t apn_utf8_put(char out[4], uint32_t cp);
/* The same, appended to b. */
void apn_utf8_buf_put(apn_buf *b, uint32_t cp);

/* The length (1 to 4) of the valid UTF-8 sequence at s, of which n bytes may be
 * read, or 0 when the byte at s starts none (or n is 0). A NUL ends a sequence
 * too, so a NUL-terminated string may be passed with n = 4. *cp, when cp is not
 * NULL, receives the code point. Example: "\xE2\x80\x93" -> 3, U+2013. */
size_t apn_utf8_seq(const unsigned char *s, size_t n, uint32_t *cp);

/* The offset of the first byte of s[0..n) that starts no valid sequence, or n
 * when all of it is valid UTF-8. Eight ASCII bytes at a time. */
size_t apn_utf8_valid_prefix(const unsigned char *s, size_t n);

/* Code points in the NUL-terminated UTF-8 string s (its bytes that are not
 * continuation bytes). Example: "café" -> 4. */
size_t apn_utf8_chars(const char *s);

/* Whether cp is an XML 1.0 Char: tab, LF, CR, U+0020-D7FF, U+E000-FFFD,
 * U+10000-10FFFF (what XML and libxml2's HTML parser accept as text). */
int apn_utf8_xml_char(uint32_t cp);

/* Decoders: append s[0..n) to out as valid UTF-8. */
/* UTF-8 that may hold invalid bytes: each becomes U+FFFD. */
void apn_utf8_repair(apn_buf *out, const unsigned char *s, size_t n, size_t *bad);
/* UTF-16 without its BOM; an unpaired surrogate and an odd last byte are bad. */
void apn_utf8_from_utf16(apn_buf *out, const unsigned char *s, size_t n, int big_endian,
                         size_t *bad);
/* windows-1252: never bad (its five unassigned bytes map to the C1 control of
 * the same value, as browsers do). */
void apn_utf8_from_cp1252(apn_buf *out, const unsigned char *s, size_t n);
/* Any charset iconv knows by label. Returns 0, or -1 (nothing appended) when
 * iconv does not know the label. */
int apn_utf8_from_iconv(apn_buf *out, const char *label, const char *s, size_t n, size_t *bad);

#endif
