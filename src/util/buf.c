/* buf — growable byte strings. See buf.h. */
#include "util/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/alloc.h"

static int reserve(apn_buf *b, size_t extra)
{
    if (b->oom)
        return -1;
    if (b->len + extra + 1 <= b->cap)
        return 0;
    if (apn_grow(&b->ptr, &b->cap, b->len + extra + 1, 1) < 0) {
        b->oom = 1;
        return -1;
    }
    return 0;
}

void apn_buf_put(apn_buf *b, const char *s, size_t n)
{
    if (reserve(b, n) < 0)
        return;
    memcpy(b->ptr + b->len, s, n);
    b->len += n;
    b->ptr[b->len] = 0;
}

void apn_buf_puts(apn_buf *b, const char *s) { apn_buf_put(b, s, strlen(s)); }

void apn_buf_putc(apn_buf *b, char c) { apn_buf_put(b, &c, 1); }

void apn_buf_printf(apn_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || reserve(b, (size_t)n) < 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void apn_buf_clear(apn_buf *b)
{
    b->len = 0;
    if (b->ptr)
        b->ptr[0] = 0;
}

const char *apn_buf_cstr(const apn_buf *b) { return b->ptr ? b->ptr : ""; }

char *apn_buf_detach(apn_buf *b)
{
    char *p = b->ptr ? b->ptr : apn_strdup("");
    b->ptr = NULL;
    b->len = b->cap = 0;
    return p;
}

void apn_buf_dispose(apn_buf *b)
{
    apn_free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
    b->oom = 0;
}

/* Bytes the squeeze must look at: NUL, ASCII whitespace, and 0xC2 (the lead
 * byte of U+00A0); every other byte is copied as it is. */
static const unsigned char squeeze_special[256] = {
    [0] = 1, [' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, ['\f'] = 1, ['\v'] = 1, [0xC2] = 1,
};

void apn_text_squeeze(char *s)
{
    unsigned char *w = (unsigned char *)s;
    const unsigned char *r = (const unsigned char *)s;
    int space = 1; /* drop leading whitespace */
    for (;;) {
        if (w == r) {   /* nothing dropped yet: skip over plain bytes in place */
            while (!squeeze_special[*r])
                r++;
            if (r != w) {
                w = (unsigned char *)r;
                space = 0;
            }
        } else {
            const unsigned char *r0 = r;
            while (!squeeze_special[*r])
                r++;
            if (r != r0) {
                memmove(w, r0, (size_t)(r - r0));
                w += r - r0;
                space = 0;
            }
        }
        if (!*r)
            break;
        int skip = 1;
        if (*r == 0xC2) {
            if (r[1] != 0xA0) {
                *w++ = *r++;
                space = 0;
                continue;
            }
            skip = 2;
        }
        if (!space)
            *w++ = ' ';
        space = 1;
        r += skip;
    }
    if (w > (unsigned char *)s && w[-1] == ' ')
        w--;
    *w = 0;
}
