/* utf8 — encode, check, count, repair and decode into UTF-8. See utf8.h. */
#include "util/utf8.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>

size_t apn_utf8_put(char out[4], uint32_t c)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

void apn_utf8_buf_put(apn_buf *b, uint32_t c)
{
    char u[4];
    apn_buf_put(b, u, apn_utf8_put(u, c));
}

size_t apn_utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
    uint32_t v;
    size_t k;
    if (n == 0)
        return 0;
    unsigned char c = s[0];
    if (c < 0x80) {
        v = c, k = 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        if (n < 2 || (s[1] & 0xC0) != 0x80)
            return 0;
        v = (uint32_t)(c & 0x1F) << 6 | (s[1] & 0x3Fu), k = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0))
            return 0;   /* overlong, or a surrogate */
        v = (uint32_t)(c & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3Fu), k = 3;
    } else if (c >= 0xF0 && c <= 0xF4) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))
            return 0;   /* overlong, or above U+10FFFF */
        v = (uint32_t)(c & 0x07) << 18 | (uint32_t)(s[1] & 0x3F) << 12 |
            (uint32_t)(s[2] & 0x3F) << 6 | (s[3] & 0x3Fu), k = 4;
    } else {
        return 0;
    }
    if (cp)
        *cp = v;
    return k;
}

size_t apn_utf8_valid_prefix(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint64_t w;
        if (i + 8 <= n && (memcpy(&w, s + i, 8), !(w & 0x8080808080808080ULL))) {
            i += 8;   /* eight ASCII bytes at once: most of a page's markup */
            continue;
        }
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = apn_utf8_seq(s + i, n - i, NULL);
        if (!k)
            return i;
        i += k;
    }
    return n;
}

size_t apn_utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

int apn_utf8_xml_char(uint32_t c)
{
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

void apn_utf8_repair(apn_buf *out, const unsigned char *s, size_t n, size_t *bad)
{
    size_t i = 0;
    while (i < n) {
        size_t ok = apn_utf8_valid_prefix(s + i, n - i);
        apn_buf_put(out, (const char *)s + i, ok);
        i += ok;
        if (i < n) {
            apn_utf8_buf_put(out, APN_UTF8_REPLACEMENT);
            (*bad)++;
            i++;
        }
    }
}

void apn_utf8_from_utf16(apn_buf *out, const unsigned char *s, size_t n, int be, size_t *bad)
{
    size_t i = 0;
    while (i + 1 < n) {
        uint32_t u = be ? (uint32_t)(s[i] << 8 | s[i + 1]) : (uint32_t)(s[i + 1] << 8 | s[i]);
        i += 2;
        if (u >= 0xD800 && u <= 0xDBFF && i + 1 < n) {
            uint32_t v = be ? (uint32_t)(s[i] << 8 | s[i + 1]) : (uint32_t)(s[i + 1] << 8 | s[i]);
            if (v >= 0xDC00 && v <= 0xDFFF) {
                apn_utf8_buf_put(out, 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00));
                i += 2;
                continue;
            }
        }
        if (u >= 0xD800 && u <= 0xDFFF) {
            apn_utf8_buf_put(out, APN_UTF8_REPLACEMENT);
            (*bad)++;
        } else {
            apn_utf8_buf_put(out, u);
        }
    }
    if (i < n) {   /* an odd trailing byte */
        apn_utf8_buf_put(out, APN_UTF8_REPLACEMENT);
        (*bad)++;
    }
}

/* windows-1252 bytes 0x80-0x9F; the five unassigned ones map to the C1 control
 * of the same value (WHATWG "windows-1252"). */
static const uint16_t cp1252_hi[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

void apn_utf8_from_cp1252(apn_buf *out, const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && s[j] < 0x80)
            j++;
        apn_buf_put(out, (const char *)s + i, j - i);
        if (j < n)
            apn_utf8_buf_put(out, s[j] < 0xA0 ? cp1252_hi[s[j] - 0x80] : s[j]);
        i = j + 1;
    }
}

int apn_utf8_from_iconv(apn_buf *out, const char *label, const char *s, size_t n, size_t *bad)
{
    iconv_t cd = iconv_open("UTF-8", label);
    if (cd == (iconv_t)-1)
        return -1;
    char tmp[4096];
    char *in = (char *)s;
    size_t left = n;
    while (left > 0 && !out->oom) {
        char *o = tmp;
        size_t room = sizeof tmp;
        size_t r = iconv(cd, &in, &left, &o, &room);
        apn_buf_put(out, tmp, (size_t)(o - tmp));
        if (r == (size_t)-1) {
            if (errno == E2BIG)
                continue;
            apn_utf8_buf_put(out, APN_UTF8_REPLACEMENT);   /* EILSEQ, or EINVAL: cut by the end */
            (*bad)++;
            in++, left--;
            iconv(cd, NULL, NULL, NULL, NULL);
        }
    }
    iconv_close(cd);
    return 0;
}
