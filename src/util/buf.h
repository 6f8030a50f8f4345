/* buf — a growable byte string with a sticky out-of-memory flag.
 *
 * apn_buf is caller-allocated (APN_BUF_INIT) and released with apn_buf_dispose.
 * The content is always NUL-terminated once anything was added (ptr may be NULL
 * while empty: use apn_buf_cstr). After a failed growth `oom` is set, later
 * appends do nothing, and the owner reports APN_ENOMEM once at the end.
 */
#ifndef APN_BUF_H
#define APN_BUF_H

#include <stddef.h>

typedef struct apn_buf {
    char *ptr;
    size_t len, cap;
    int oom;
} apn_buf;
#define APN_BUF_INIT { 0, 0, 0, 0 }

void apn_buf_put(apn_buf *b, const char *s, size_t n);
void apn_buf_puts(apn_buf *b, const char *s);
void apn_buf_putc(apn_buf *b, char c);
void apn_buf_printf(apn_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void apn_buf_clear(apn_buf *b);                 /* length 0, memory kept */
const char *apn_buf_cstr(const apn_buf *b);     /* "" while empty; borrowed */
char *apn_buf_detach(apn_buf *b);               /* owned string (apn_free); buffer emptied */
void apn_buf_dispose(apn_buf *b);

/* Collapses runs of whitespace (ASCII and U+00A0) to one space and trims both
 * ends, in place. Example: "  a \n\t b " -> "a b". */
void apn_text_squeeze(char *s);

#endif
