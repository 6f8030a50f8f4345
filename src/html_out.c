/* html_out — escaping for the report page. See html_out.h. */
#include "html_out.h"

#include <stdint.h>
#include <string.h>

#include <zlib.h>

#include <apnmap/common.h>

#include "util/alloc.h"

void apn_html_escape(apn_buf *b, const char *s)
{
    if (!s)
        return;
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        apn_buf_put(b, run, (size_t)(s - run));
        apn_buf_puts(b, rep);
        run = s + 1;
    }
    apn_buf_put(b, run, (size_t)(s - run));
}

void apn_html_script_json(apn_buf *b, const char *json)
{
    const unsigned char *s = (const unsigned char *)json, *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        size_t skip = 1;
        if (*s == '<')
            rep = "\\u003c";
        else if (*s == '>')
            rep = "\\u003e";
        else if (*s == '&')
            rep = "\\u0026";
        else if (s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0xA8 || s[2] == 0xA9)) {
            rep = s[2] == 0xA8 ? "\\u2028" : "\\u2029";   /* line separators end JS lines */
            skip = 3;
        } else
            continue;
        apn_buf_put(b, (const char *)run, (size_t)(s - run));
        apn_buf_puts(b, rep);
        s += skip - 1;
        run = s + 1;
    }
    apn_buf_put(b, (const char *)run, (size_t)(s - run));
}

void apn_html_base64(apn_buf *b, const void *data, size_t len)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *p = data;
    char q[4];
    size_t i = 0;
    for (; i + 3 <= len; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
        q[0] = tab[v >> 18]; q[1] = tab[(v >> 12) & 63]; q[2] = tab[(v >> 6) & 63]; q[3] = tab[v & 63];
        apn_buf_put(b, q, 4);
    }
    if (len - i == 1) {
        unsigned v = (unsigned)p[i] << 16;
        q[0] = tab[v >> 18]; q[1] = tab[(v >> 12) & 63]; q[2] = '='; q[3] = '=';
        apn_buf_put(b, q, 4);
    } else if (len - i == 2) {
        unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8;
        q[0] = tab[v >> 18]; q[1] = tab[(v >> 12) & 63]; q[2] = tab[(v >> 6) & 63]; q[3] = '=';
        apn_buf_put(b, q, 4);
    }
}

/* zlib through the library's allocator, so fault injection reaches it */
static voidpf z_alloc(voidpf ud, uInt n, uInt size)
{
    (void)ud;
    return apn_calloc(n, size);
}

static void z_free(voidpf ud, voidpf p)
{
    (void)ud;
    apn_free(p);
}

int apn_html_gzip_base64(apn_buf *b, const void *data, size_t len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    z.zalloc = z_alloc;
    z.zfree = z_free;
    /* 15 + 16: a gzip header and trailer around the deflate stream */
    if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        b->oom = 1;
        return APN_ENOMEM;
    }
    uLong cap = deflateBound(&z, (uLong)len);
    unsigned char *out = apn_malloc(cap ? cap : 1);
    int rc = Z_STREAM_ERROR;
    if (out) {
        z.next_in = (Bytef *)(uintptr_t)data;
        z.avail_in = (uInt)len;
        z.next_out = out;
        z.avail_out = (uInt)cap;
        rc = deflate(&z, Z_FINISH);
    }
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        apn_free(out);
        b->oom = 1;
        return APN_ENOMEM;
    }
    apn_html_base64(b, out, (size_t)z.total_out);
    apn_free(out);
    return b->oom ? APN_ENOMEM : 0;
}
