/* buf — growable byte strings. See buf.h. */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"

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

void apn_text_squeeze(char *s)
{
    char *w = s;
    int space = 1; /* drop leading whitespace */
    for (const unsigned char *r = (const unsigned char *)s; *r;) {
        int ws = 0, skip = 1;
        if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r' || *r == '\f' || *r == '\v')
            ws = 1;
        else if (r[0] == 0xC2 && r[1] == 0xA0)
            ws = 1, skip = 2;
        if (ws) {
            if (!space)
                *w++ = ' ';
            space = 1;
            r += skip;
        } else {
            *w++ = (char)*r++;
            space = 0;
        }
    }
    if (w > s && w[-1] == ' ')
        w--;
    *w = 0;
}
