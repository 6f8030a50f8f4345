/* xmlscan — the XML subset machine-written parts use, as libxml2's SAX2 events. See xmlscan.h.
 *
 * Two passes over the same bytes: the first (emit 0) checks everything and
 * sends nothing, the second sends the events. Each construct is one function
 * (fast_decl, fast_start, fast_end, fast_text, fast_comment, fast_cdata) that
 * returns 0, FAST_NO to decline or FAST_STOP when a handler stopped the scan;
 * the second pass cannot decline what the first accepted.
 */
#include "read/xmlscan.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <apnmap/common.h>

#include "util/alloc.h"
#include "util/utf8.h"

#define FAST_MAX_DEPTH 64
#define FAST_MAX_ATTRS 32
#define FAST_MAX_NS 32          /* namespace declarations in scope */
#define FAST_MAX_NAME 128
#define FAST_MAX_NAMES 32       /* names the caller compares by pointer */
#define FAST_SCRATCH 4096       /* one tag's decoded values and names */
#define FAST_NO APN_XMLSCAN_DECLINED
#define FAST_STOP APN_XMLSCAN_STOPPED

typedef struct fq { const unsigned char *p; size_t n; } fq;

typedef struct fattr {
    fq q, pre, local;              /* qualified name, prefix (n 0: none), local part */
    const unsigned char *v, *ve;   /* raw value between the quotes */
    int plain;                     /* the value needs no decoding */
    int decl;                      /* 1 xmlns="", 2 xmlns:p="" */
} fattr;

typedef struct fs {
    const unsigned char *s, *e;
    int emit;
    const apn_xmlscan_sax *sax;
    void *ud;
    const char *const *names;      /* the caller's names and their lengths */
    size_t namelen[FAST_MAX_NAMES];
    int nnames;
    int depth;
    struct { fq q, local; } open[FAST_MAX_DEPTH];
    struct { fq pre; int depth; } ns[FAST_MAX_NS];
    int nns;
    fattr a[FAST_MAX_ATTRS];
    const xmlChar *at[5 * FAST_MAX_ATTRS], *nsv[2 * FAST_MAX_ATTRS];
    unsigned char scratch[FAST_SCRATCH];
    size_t used;
} fs;

enum { F_NS = 1, F_N = 2, F_WS = 4 };   /* name start, name, blank */
static const unsigned char fcls[256] = {
    ['A' ... 'Z'] = F_NS | F_N, ['a' ... 'z'] = F_NS | F_N, ['_'] = F_NS | F_N,
    ['0' ... '9'] = F_N, ['.'] = F_N, ['-'] = F_N,
    [' '] = F_WS, ['\t'] = F_WS, ['\n'] = F_WS, ['\r'] = F_WS,
};

/* The length of the valid UTF-8 sequence at s encoding an XML Char of at
 * least U+0080, or 0. */
static size_t fast_utf8(const unsigned char *s, const unsigned char *e)
{
    uint32_t v;
    size_t k = apn_utf8_seq(s, (size_t)(e - s), &v);
    return k >= 2 && apn_utf8_xml_char(v) ? k : 0;
}

/* At '&': decodes a predefined entity or a character reference into out (at
 * most 4 bytes) and advances *sp. Returns the length, 0 to decline. */
static size_t fast_ref(const unsigned char **sp, const unsigned char *e, unsigned char *out)
{
    const unsigned char *s = *sp + 1;
    if (s >= e)
        return 0;
    static const struct { const char *name; char c; } ents[] = {
        { "lt;", '<' }, { "gt;", '>' }, { "amp;", '&' }, { "apos;", '\'' }, { "quot;", '"' } };
    if (s < e && *s != '#') {
        for (size_t i = 0; i < sizeof ents / sizeof *ents; i++) {
            size_t n = strlen(ents[i].name);
            if ((size_t)(e - s) >= n && !memcmp(s, ents[i].name, n)) {
                out[0] = (unsigned char)ents[i].c;
                *sp = s + n;
                return 1;
            }
        }
        return 0;
    }
    unsigned long v = 0;
    int hex = s + 1 < e && s[1] == 'x', nd = 0;
    for (s += hex ? 2 : 1; s < e && *s != ';'; s++, nd++) {
        unsigned c = *s;
        int d = c >= '0' && c <= '9' ? (int)c - '0'
                : hex && c >= 'a' && c <= 'f' ? (int)c - 'a' + 10
                : hex && c >= 'A' && c <= 'F' ? (int)c - 'A' + 10 : -1;
        if (d < 0 || nd >= 8)
            return 0;
        v = v * (hex ? 16 : 10) + (unsigned long)d;
    }
    if (s >= e || nd == 0 || !apn_utf8_xml_char((uint32_t)v))
        return 0;
    *sp = s + 1;
    return apn_utf8_put((char *)out, (uint32_t)v);
}

static int fast_ws(fs *f)
{
    const unsigned char *s = f->s, *s0 = s;
    while (s < f->e && (fcls[*s] & F_WS))
        s++;
    f->s = s;
    return s > s0;
}

static int fast_lit(fs *f, const char *lit)
{
    size_t n = strlen(lit);
    if ((size_t)(f->e - f->s) < n || memcmp(f->s, lit, n))
        return 0;
    f->s += n;
    return 1;
}

/* A qualified name: NCName (':' NCName)?, ASCII only. */
static inline __attribute__((always_inline)) int fast_qname(fs *f, fq *q, fq *pre, fq *local)
{
    const unsigned char *s = f->s, *e = f->e, *colon = NULL;
    if (s >= e || !(fcls[*s] & F_NS))
        return FAST_NO;
    for (s++; s < e && (fcls[*s] & F_N); s++)
        ;
    if (s + 1 < e && *s == ':' && (fcls[s[1]] & F_NS)) {
        colon = s;
        for (s += 2; s < e && (fcls[*s] & F_N); s++)
            ;
    }
    q->p = f->s;
    q->n = (size_t)(s - f->s);
    if (q->n > FAST_MAX_NAME)
        return FAST_NO;
    pre->p = f->s;
    pre->n = colon ? (size_t)(colon - f->s) : 0;
    local->p = colon ? colon + 1 : f->s;
    local->n = (size_t)(s - local->p);
    f->s = s;
    return 0;
}

/* Whether a is the string literal lit. */
#define FQ_IS(a, lit) ((a).n == sizeof lit - 1 && !memcmp((a).p, lit, sizeof lit - 1))

static int fq_eq(fq a, fq b)
{
    if (a.n != b.n)
        return 0;
    for (size_t i = 0; i < a.n; i++)   /* names are short: no call */
        if (a.p[i] != b.p[i])
            return 0;
    return 1;
}

/* Whether prefix pre is declared on an open element or on the tag's a[0..na). */
static int fast_declared(const fs *f, fq pre, const fattr *a, int na)
{
    if (FQ_IS(pre, "xml"))
        return 1;
    for (int i = 0; i < na; i++)
        if (a[i].decl == 2 && fq_eq(a[i].local, pre))
            return 1;
    for (int i = f->nns - 1; i >= 0; i--)
        if (fq_eq(f->ns[i].pre, pre))
            return 1;
    return 0;
}

/* Copies n bytes into the tag's scratch, NUL-terminated. */
static const xmlChar *fast_keep(fs *f, const unsigned char *s, size_t n)
{
    unsigned char *d = f->scratch + f->used;
    for (size_t i = 0; i < n; i++)   /* names mostly: short, no call */
        d[i] = s[i];
    d[n] = 0;
    f->used += n + 1;
    return d;
}

/* An element's name as the handlers get it: the caller's pointer when the
 * name is one of sax->names, else a copy in the scratch (valid for the call). */
static const xmlChar *fast_name(fs *f, fq local)
{
    for (int i = 0; i < f->nnames; i++)
        if (f->namelen[i] == local.n && !memcmp(f->names[i], local.p, local.n))
            return (const xmlChar *)f->names[i];
    return fast_keep(f, local.p, local.n);
}

/* An attribute value as libxml2 passes it to SAX2 (without entity
 * substitution): whitespace characters become spaces (CR LF one), a '&'
 * stays "&#38;". Writes it to out when not NULL; returns its length, or
 * (size_t)-1 to decline. */
static size_t fast_value(const unsigned char *s, const unsigned char *e, unsigned char *out)
{
    size_t n = 0;
    while (s < e) {
        unsigned char c = *s, tmp[4];
        size_t k = 1;
        const unsigned char *src = s;
        if (c == '&') {
            k = fast_ref(&s, e, tmp);
            if (k == 0)
                return (size_t)-1;
            src = tmp;
            if (k == 1 && tmp[0] == '&') {
                src = (const unsigned char *)"&#38;";
                k = 5;
            }
        } else if (c == '\r' || c == '\n' || c == '\t') {
            s += c == '\r' && s + 1 < e && s[1] == '\n' ? 2 : 1;
            src = (const unsigned char *)" ";
        } else if (c >= 0x80) {
            if ((k = fast_utf8(s, e)) == 0)
                return (size_t)-1;
            s += k;
        } else if (c < 0x20 || c == '<') {
            return (size_t)-1;
        } else {
            s++;
        }
        if (out)
            memcpy(out + n, src, k);
        n += k;
    }
    return n;
}

/* Whether the handler just called asked the scan to stop. */
static int fast_stopped(const fs *f) { return f->sax->stop && *f->sax->stop; }

static int fast_emit_text(fs *f, const unsigned char *s, size_t n)
{
    if (f->emit && n > 0) {
        if (f->sax->chars)
            f->sax->chars(f->ud, s, (int)n);
        if (fast_stopped(f))
            return FAST_STOP;
    }
    return 0;
}

/* The length of the run at s of bytes text holds as they are: printable
 * ASCII but '<', '&' and ']'. Sixteen at a time where SSE2 is there. */
static size_t fast_run(const unsigned char *s, const unsigned char *e)
{
    const unsigned char *p = s;
#ifdef __SSE2__
    const __m128i lt = _mm_set1_epi8('<'), amp = _mm_set1_epi8('&'), br = _mm_set1_epi8(']'),
                  sp = _mm_set1_epi8(0x20);
    while (e - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        /* signed: bytes from 0x80 count as below 0x20 */
        __m128i bad = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, lt), _mm_cmpeq_epi8(v, amp)),
                                   _mm_or_si128(_mm_cmpeq_epi8(v, br), _mm_cmplt_epi8(v, sp)));
        unsigned m = (unsigned)_mm_movemask_epi8(bad);
        if (m)
            return (size_t)(p - s) + (size_t)__builtin_ctz(m);
        p += 16;
    }
#endif
    while (p < e && *p >= 0x20 && *p < 0x80 && *p != '<' && *p != '&' && *p != ']')
        p++;
    return (size_t)(p - s);
}

/* Character data up to the next '<' (inside the root element). */
static int fast_text(fs *f)
{
    const unsigned char *s = f->s, *e = f->e, *run = s;
    int rc;
    while (s < e) {
        s += fast_run(s, e);
        if (s >= e || *s == '<')
            break;
        unsigned char c = *s;
        if (c == '\t' || c == '\n') {
            s++;
            continue;
        }
        if (c == ']') {
            if (e - s >= 3 && s[1] == ']' && s[2] == '>')
                return FAST_NO;
            s++;
            continue;
        }
        if (c >= 0x80) {
            size_t k = fast_utf8(s, e);
            if (k == 0)
                return FAST_NO;
            s += k;
            continue;
        }
        if ((rc = fast_emit_text(f, run, (size_t)(s - run))) != 0)
            return rc;
        if (c == '\r') {
            s += s + 1 < e && s[1] == '\n' ? 2 : 1;
            if ((rc = fast_emit_text(f, (const unsigned char *)"\n", 1)) != 0)
                return rc;
        } else if (c == '&') {
            unsigned char tmp[4];
            size_t k = fast_ref(&s, e, tmp);
            if (k == 0)
                return FAST_NO;
            if ((rc = fast_emit_text(f, tmp, k)) != 0)
                return rc;
        } else {
            return FAST_NO;   /* a control character */
        }
        run = s;
    }
    f->s = s;
    return fast_emit_text(f, run, (size_t)(s - run));
}

/* Checks chars of [s, e) are XML Chars; cr: whether CR is allowed. */
static int fast_chars(const unsigned char *s, const unsigned char *e, int cr)
{
    while (s < e) {
        if (*s >= 0x80) {
            size_t k = fast_utf8(s, e);
            if (k == 0)
                return FAST_NO;
            s += k;
        } else if (*s < 0x20 && *s != '\t' && *s != '\n' && !(cr && *s == '\r')) {
            return FAST_NO;
        } else {
            s++;
        }
    }
    return 0;
}

/* At "<!--": a comment, which the handlers never see. */
static int fast_comment(fs *f)
{
    const unsigned char *s = f->s + 4, *end;
    for (end = s; end + 1 < f->e && !(end[0] == '-' && end[1] == '-'); end++)
        ;
    if (end + 2 >= f->e || end[2] != '>' || fast_chars(s, end, 1))
        return FAST_NO;
    f->s = end + 3;
    return 0;
}

/* At "<![CDATA[": its text, as libxml2's push parser passes it (raw). */
static int fast_cdata(fs *f)
{
    const unsigned char *s = f->s + 9, *end;
    for (end = s; end + 2 < f->e && !(end[0] == ']' && end[1] == ']' && end[2] == '>'); end++)
        ;
    if (end + 2 >= f->e || fast_chars(s, end, 0))
        return FAST_NO;
    f->s = end + 3;
    return fast_emit_text(f, s, (size_t)(end - s));
}

/* The closing quote of an attribute value starting at v, or NULL; *plain
 * is cleared when the value holds anything but printable ASCII other than
 * '&' and '<' (it then needs fast_value). */
static const unsigned char *fast_quote(const unsigned char *v, const unsigned char *e,
                                       unsigned char quote, int *plain)
{
#ifdef __SSE2__
    const __m128i q = _mm_set1_epi8((char)quote), amp = _mm_set1_epi8('&'),
                  lt = _mm_set1_epi8('<'), sp = _mm_set1_epi8(0x20);
    while (e - v >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)v);
        unsigned mq = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, q));
        unsigned mb = (unsigned)_mm_movemask_epi8(_mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(x, amp), _mm_cmpeq_epi8(x, lt)), _mm_cmplt_epi8(x, sp)));
        if (mq) {
            if (mb & ((mq & -mq) - 1))   /* a byte before the quote */
                *plain = 0;
            return v + __builtin_ctz(mq);
        }
        if (mb)
            *plain = 0;
        v += 16;
    }
#endif
    for (; v < e && *v != quote; v++)
        if (!(*v >= 0x20 && *v < 0x80 && *v != '&' && *v != '<'))
            *plain = 0;
    return v < e ? v : NULL;
}

/* After a blank in a tag: one attribute, name="value", into *a. */
static int fast_attr(fs *f, fattr *a)
{
    if (fast_qname(f, &a->q, &a->pre, &a->local))
        return FAST_NO;
    fast_ws(f);
    if (f->s >= f->e || *f->s != '=')
        return FAST_NO;
    f->s++;
    fast_ws(f);
    if (f->s >= f->e || (*f->s != '"' && *f->s != '\''))
        return FAST_NO;
    unsigned char quote = *f->s++;
    int plain = 1;
    const unsigned char *v = fast_quote(f->s, f->e, quote, &plain);
    if (!v)
        return FAST_NO;
    a->v = f->s;
    a->ve = v;
    a->plain = plain;
    f->s = v + 1;
    a->decl = FQ_IS(a->q, "xmlns") ? 1 : FQ_IS(a->pre, "xmlns") ? 2 : 0;
    return 0;
}

/* The first pass over a start tag with attributes a[0..na): what libxml2
 * would call an error or treats specially is declined, and so is a tag whose
 * values and names would not fit the scratch. */
static int fast_tag_check(const fs *f, fq pre, fq local, const fattr *a, int na)
{
    if (pre.n && (FQ_IS(pre, "xml") || FQ_IS(pre, "xmlns") || !fast_declared(f, pre, a, na)))
        return FAST_NO;
    size_t need = local.n + 1;   /* the name, when it is not one of the caller's */
    for (int i = 0; i < na; i++) {
        for (int j = 0; j < i; j++)
            if (fq_eq(a[i].q, a[j].q) ||
                (!a[i].decl && !a[j].decl && fq_eq(a[i].local, a[j].local)))
                return FAST_NO;
        if (a[i].decl) {
            if (!a[i].plain || a[i].v == a[i].ve ||
                (a[i].decl == 2 && (FQ_IS(a[i].local, "xml") || FQ_IS(a[i].local, "xmlns"))))
                return FAST_NO;
            fq uri = { a[i].v, (size_t)(a[i].ve - a[i].v) };
            if (FQ_IS(uri, "http://www.w3.org/XML/1998/namespace") ||
                FQ_IS(uri, "http://www.w3.org/2000/xmlns/"))
                return FAST_NO;
            need += (a[i].decl == 2 ? a[i].local.n + 1 : 0) + uri.n + 1;
            continue;
        }
        if (a[i].pre.n && (FQ_IS(a[i].pre, "xmlns") || !fast_declared(f, a[i].pre, a, na)))
            return FAST_NO;
        need += a[i].local.n + 1;
        if (!a[i].plain) {
            size_t n = fast_value(a[i].v, a[i].ve, NULL);
            if (n == (size_t)-1)
                return FAST_NO;
            need += n;
        }
    }
    return need > FAST_SCRATCH ? FAST_NO : 0;
}

/* The second pass: the arrays libxml2 hands to startElementNs, then the
 * start (and, for an empty element, end) handler. */
static int fast_tag_emit(fs *f, fq local, int na, int empty)
{
    int k = 0, m = 0;
    f->used = 0;
    const xmlChar *name = fast_name(f, local);
    for (int i = 0; i < na; i++) {
        const fattr *a = &f->a[i];
        if (a->decl) {
            f->nsv[2 * k] = a->decl == 2 ? fast_keep(f, a->local.p, a->local.n) : NULL;
            f->nsv[2 * k + 1] = fast_keep(f, a->v, (size_t)(a->ve - a->v));
            k++;
            continue;
        }
        const xmlChar **at = &f->at[5 * m++];
        at[0] = fast_keep(f, a->local.p, a->local.n);
        at[1] = NULL;
        at[2] = a->pre.n ? (const xmlChar *)"" : NULL;   /* only whether there is one */
        if (a->plain) {
            at[3] = a->v;
            at[4] = a->ve;
        } else {
            unsigned char *d = f->scratch + f->used;
            size_t n = fast_value(a->v, a->ve, d);
            f->used += n;
            at[3] = d;
            at[4] = d + n;
        }
    }
    if (f->sax->start)
        f->sax->start(f->ud, name, NULL, NULL, k, f->nsv, m, 0, f->at);
    if (!fast_stopped(f) && empty && f->sax->end)
        f->sax->end(f->ud, name, NULL, NULL);
    return fast_stopped(f) ? FAST_STOP : 0;
}

/* At '<' + name: a start tag; its handler calls when emitting. */
static int fast_start(fs *f)
{
    fq q, pre, local;
    int na = 0, nns = 0, empty = 0;
    f->s++;
    if (fast_qname(f, &q, &pre, &local))
        return FAST_NO;
    for (;;) {
        int ws = fast_ws(f);
        if (f->s >= f->e)
            return FAST_NO;
        if (*f->s == '>') {
            f->s++;
            break;
        }
        if (*f->s == '/') {
            if (f->s + 1 >= f->e || f->s[1] != '>')
                return FAST_NO;
            f->s += 2;
            empty = 1;
            break;
        }
        if (!ws || na == FAST_MAX_ATTRS || fast_attr(f, &f->a[na]))
            return FAST_NO;
        nns += f->a[na++].decl != 0;
    }
    if (!f->emit && fast_tag_check(f, pre, local, f->a, na))
        return FAST_NO;   /* (the second pass knows the tag passed) */
    if (!empty) {
        if (f->depth == FAST_MAX_DEPTH || f->nns + nns > FAST_MAX_NS)
            return FAST_NO;
        for (int i = 0; i < na && nns; i++)
            if (f->a[i].decl == 2) {
                f->ns[f->nns].pre = f->a[i].local;
                f->ns[f->nns++].depth = f->depth;
            } else if (f->a[i].decl == 1) {
                f->ns[f->nns].pre = (fq){ f->a[i].q.p, 0 };
                f->ns[f->nns++].depth = f->depth;
            }
        f->open[f->depth].q = q;
        f->open[f->depth].local = local;
        f->depth++;
    }
    return f->emit ? fast_tag_emit(f, local, na, empty) : 0;
}

/* At "</": an end tag closing the open element. */
static int fast_end(fs *f)
{
    fq q, pre, local;
    f->s += 2;
    if (f->depth == 0 || fast_qname(f, &q, &pre, &local))
        return FAST_NO;
    fast_ws(f);
    if (f->s >= f->e || *f->s != '>' || !fq_eq(q, f->open[f->depth - 1].q))
        return FAST_NO;
    f->s++;
    f->depth--;
    while (f->nns > 0 && f->ns[f->nns - 1].depth == f->depth)
        f->nns--;
    if (f->emit) {
        f->used = 0;
        if (f->sax->end)
            f->sax->end(f->ud, fast_name(f, f->open[f->depth].local), NULL, NULL);
        if (fast_stopped(f))
            return FAST_STOP;
    }
    return 0;
}

/* "<?xml version="1.0" encoding="UTF-8" standalone="yes"?>" and its
 * variants; nothing else may come first. */
static int fast_decl(fs *f)
{
    if (!fast_lit(f, "<?xml"))
        return 0;
    const char *keys[] = { "version", "encoding", "standalone" };
    int k = 0;
    for (;;) {
        int ws = fast_ws(f);
        if (fast_lit(f, "?>"))
            return k > 0 ? 0 : FAST_NO;
        if (!ws || k == 3)
            return FAST_NO;
        int found = fast_lit(f, keys[k]);
        while (!found && k > 0 && k < 2)   /* version first, the others optional */
            found = fast_lit(f, keys[++k]);
        if (!found)
            return FAST_NO;
        fast_ws(f);
        if (!fast_lit(f, "="))
            return FAST_NO;
        fast_ws(f);
        if (f->s >= f->e || (*f->s != '"' && *f->s != '\''))
            return FAST_NO;
        const unsigned char *v = ++f->s, *ve = memchr(v, v[-1], (size_t)(f->e - v));
        if (!ve)
            return FAST_NO;
        fq val = { v, (size_t)(ve - v) };
        f->s = ve + 1;
        if (k == 0 && !FQ_IS(val, "1.0"))
            return FAST_NO;
        if (k == 1 && !(val.n == 5 && !strncasecmp((const char *)v, "UTF-8", 5)))
            return FAST_NO;
        if (k == 2 && !FQ_IS(val, "yes") && !FQ_IS(val, "no"))
            return FAST_NO;
        k++;
    }
}

/* Scans the whole part: 0 when accepted (and, emitting, every handler ran),
 * FAST_NO, or FAST_STOP when a handler stopped the read. */
static int fast_scan(fs *f, const unsigned char *xml, size_t len)
{
    int rc, root_done = 0;
    f->s = xml;
    f->e = xml + len;
    f->depth = f->nns = 0;
    if (len >= 3 && !memcmp(xml, "\xef\xbb\xbf", 3))
        f->s += 3;
    if ((rc = fast_decl(f)) != 0)
        return rc;
    while (f->s < f->e) {
        const unsigned char *s = f->s;
        if (*s != '<') {
            if (f->depth == 0) {   /* outside the root: blanks only */
                if (!fast_ws(f))
                    return FAST_NO;
                continue;
            }
            rc = fast_text(f);
        } else if (f->e - s < 2) {
            return FAST_NO;
        } else if (fcls[s[1]] & F_NS) {
            if (root_done)
                return FAST_NO;   /* a second root */
            rc = fast_start(f);
            root_done = f->depth == 0;
        } else if (s[1] == '/') {
            rc = fast_end(f);
            root_done = f->depth == 0;
        } else if (f->e - s >= 4 && !memcmp(s, "<!--", 4)) {
            rc = fast_comment(f);
        } else if (f->e - s >= 9 && !memcmp(s, "<![CDATA[", 9) && f->depth > 0) {
            rc = fast_cdata(f);
        } else {
            return FAST_NO;   /* a PI, a DOCTYPE, a second root, ... */
        }
        if (rc != 0)
            return rc;
    }
    return root_done && f->depth == 0 ? 0 : FAST_NO;
}


int apn_xmlscan(const char *xml, size_t len, const apn_xmlscan_sax *sax, void *ud)
{
    fs *f = apn_malloc(sizeof *f);
    if (!f)
        return APN_ENOMEM;
    memset(f, 0, sizeof *f);
    f->sax = sax;
    f->ud = ud;
    f->names = sax->names;
    for (; f->names && f->names[f->nnames]; f->nnames++) {
        size_t n = strlen(f->names[f->nnames]);
        if (f->nnames == FAST_MAX_NAMES || n > FAST_MAX_NAME) {
            apn_free(f);
            return APN_EUSAGE;
        }
        f->namelen[f->nnames] = n;
    }
    int rc = fast_scan(f, (const unsigned char *)xml, len);
    if (rc == 0) {
        f->emit = 1;
        rc = fast_scan(f, (const unsigned char *)xml, len);
        if (rc == FAST_NO)   /* cannot happen: the first pass accepted the same bytes */
            rc = APN_ERROR;
    }
    apn_free(f);
    return rc;
}
