/* htmlscan — libxml2's HTML SAX events for well-formed pages. See htmlscan.h.
 *
 * One tokenizer, run twice over the page: a checking pass that sends nothing
 * and declines at the first construct libxml2 2.9 would treat differently from
 * plain nesting, then, for an accepted page, the same walk sending events. What
 * "the same as libxml2" means here was read off libxml2 itself (tests/unit/
 * test_htmlscan.c compares the two event streams on every page we have, and
 * fuzz/fuzz_htmlscan.c on arbitrary bytes):
 *   - names are lowercased; attributes keep their order; a bare attribute has a
 *     NULL value; "/>" ends any element; empty elements (libxml2's table) end at once;
 *   - text comes with references resolved: a known entity followed by ';' is
 *     its character, an unknown or unterminated one stays as written, a lone
 *     '&' stays; '\r' is kept; lines are counted at '\n' only;
 *   - <script> and <style> bodies run to the first "</name" and are not text;
 *   - blank text outside the root is dropped before it and kept after it.
 *   - a start tag closes the elements libxml2's table says it closes (<p> before
 *     a <div>, <li> before an <li>); an end tag for an open element closes the
 *     elements above it unless one outranks it; an end tag for none is dropped.
 * Declined: anything that would close the root early, text directly in
 * <html>/<head> or outside the root,
 * misplaced html/head/body, PIs, CDATA, odd comments, control characters,
 * non-ASCII names, duplicate attributes, and anything unterminated.
 */
#include "read/htmlscan.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>

#include <apnmap/common.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/utf8.h"

#define MAX_DEPTH 256   /* deeper pages are left to libxml2 */
#define MAX_ATTRS 32
#define MAX_NAME 100    /* libxml2 cuts names at 100 bytes */
#define MAX_UNKNOWN 64  /* distinct element names libxml2's table lacks */
#define NAME_CACHE 64

enum { BEFORE_ROOT, IN_ROOT, AFTER_ROOT };

typedef struct name_slot {
    char name[16];
    const char *interned;
    const htmlElemDesc *desc;
} name_slot;

typedef struct scan {
    const char *s, *e, *p;
    int emit;
    const apn_htmlscan_sax *sax;
    void *ud;
    long *line_out;
    long line;
    const char *counted;                /* lines counted up to here */
    const char *stack[MAX_DEPTH];
    size_t depth;
    int where;
    int doctype;
    char unknown[MAX_UNKNOWN][MAX_NAME + 1];
    size_t nunknown;
    name_slot cache[NAME_CACHE];
    const char *html, *head, *body, *script, *style;   /* interned, for pointer tests */
    struct { const char *name, *top; int closes; } closing[256];   /* closes(), remembered */
    apn_buf ab;                         /* the current tag's attribute names and values */
    const char *why, *why_at;
    size_t aoff[2 * MAX_ATTRS];
} scan;

#define DECLINE 1

/* Records why the page is declined (the first reason, where the cursor is). */
static int decline(scan *sc, const char *why)
{
    if (!sc->why) {
        sc->why = why;
        sc->why_at = sc->p;
    }
    return DECLINE;
}

static int is_blank(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static int is_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static int is_namechar(unsigned char c)
{
    return is_alpha(c) || is_digit(c) || c == ':' || c == '-' || c == '_' || c == '.';
}

static const char *skip_blanks(const char *p, const char *e)
{
    while (p < e && is_blank((unsigned char)*p))
        p++;
    return p;
}

static int all_blank(const char *a, const char *b)
{
    return skip_blanks(a, b) == b;
}

/* Characters libxml2 drops or rewrites (IS_CHAR fails): C0 controls other than
 * tab, LF and CR, NUL, U+FFFE and U+FFFF. Eight bytes at a time: a word without
 * a byte below 0x20 and without 0xEF needs no closer look. */
static int has_bad_chars(const char *s, const char *e)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    const char *p = s;
    for (; e - p >= 8; p += 8) {
        uint64_t w, x;
        memcpy(&w, p, 8);
        x = w ^ (ones * 0xEF);
        if (!(((w - ones * 0x20) & ~w & highs) | ((x - ones) & ~x & highs)))
            continue;
        for (int i = 0; i < 8; i++) {
            unsigned char c = (unsigned char)p[i];
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                return 1;
            if (c == 0xEF && p + i + 2 < e && (unsigned char)p[i + 1] == 0xBF &&
                ((unsigned char)p[i + 2] == 0xBE || (unsigned char)p[i + 2] == 0xBF))
                return 1;
        }
    }
    for (; p < e; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            return 1;
        if (c == 0xEF && p + 2 < e && (unsigned char)p[1] == 0xBF &&
            ((unsigned char)p[2] == 0xBE || (unsigned char)p[2] == 0xBF))
            return 1;
    }
    return 0;
}

/* The reference at *pp ('&'): what it stands for goes to out (tmp holds
 * decoded characters), *pp moves past what libxml2 consumes. 0, or DECLINE. */
static int reference(const char **pp, const char *e, char tmp[8], const char **out, size_t *outn)
{
    const char *p = *pp;
    unsigned char c = p + 1 < e ? (unsigned char)p[1] : ' ';   /* the run ends at a delimiter */
    if (c == '#') {
        int hex = p + 2 < e && (p[2] == 'x' || p[2] == 'X');
        const char *q = p + (hex ? 3 : 2), *d0 = q;
        uint32_t v = 0;
        for (; q < e && q - d0 < 8; q++) {
            unsigned char x = (unsigned char)*q;
            if (is_digit(x))
                v = v * (hex ? 16 : 10) + (uint32_t)(x - '0');
            else if (hex && (x | 0x20) >= 'a' && (x | 0x20) <= 'f')
                v = v * 16 + (uint32_t)((x | 0x20) - 'a' + 10);
            else
                break;
        }
        if (q == d0 || q >= e || *q != ';' || !apn_utf8_xml_char(v))
            return DECLINE;
        *out = tmp;
        *outn = apn_utf8_put(tmp, v);
        *pp = q + 1;
        return 0;
    }
    if (c >= 0x80)
        return DECLINE;   /* libxml2 reads a non-ASCII name here */
    if (!is_alpha(c) && c != '_' && c != ':') {
        *out = p, *outn = 1;   /* a lone '&' */
        *pp = p + 1;
        return 0;
    }
    const char *q = p + 1;
    while (q < e && is_namechar((unsigned char)*q))
        q++;
    if ((q < e && (unsigned char)*q >= 0x80) || q - p > 32)
        return DECLINE;
    if (q < e && *q == ';') {
        char name[33];
        memcpy(name, p + 1, (size_t)(q - p - 1));
        name[q - p - 1] = 0;
        const htmlEntityDesc *ent = htmlEntityLookup((const xmlChar *)name);
        if (ent && ent->value > 0) {
            *out = tmp;
            *outn = apn_utf8_put(tmp, ent->value);
            *pp = q + 1;
            return 0;
        }
    }
    *out = p, *outn = (size_t)(q - p);   /* "&name" stays as written; ';' is text */
    *pp = q;
    return 0;
}

/* Text [a, b) with its references resolved: to the chars callback (emit), or
 * to the buffer (attribute values; buf may be NULL while checking). */
static int text_run(scan *sc, const char *a, const char *b, apn_buf *buf)
{
    char tmp[8];
    while (a < b) {
        const char *amp = memchr(a, '&', (size_t)(b - a));
        const char *stop = amp ? amp : b;
        if (stop > a) {
            if (buf)
                apn_buf_put(buf, a, (size_t)(stop - a));
            else if (sc->emit)
                sc->sax->chars(sc->ud, (const xmlChar *)a, (int)(stop - a));
        }
        if (!amp)
            break;
        const char *piece;
        size_t n;
        a = amp;
        if (reference(&a, b, tmp, &piece, &n))
            return decline(sc, "a character or entity reference libxml2 reads its own way");
        if (buf)
            apn_buf_put(buf, piece, n);
        else if (sc->emit)
            sc->sax->chars(sc->ud, (const xmlChar *)piece, (int)n);
    }
    return 0;
}

/* ---- names -------------------------------------------------------------- */

static size_t lower_name(const char *p, const char *e, char out[MAX_NAME + 1])
{
    size_t n = 0;
    while (p + n < e && n < MAX_NAME && is_namechar((unsigned char)p[n])) {
        out[n] = (char)(p[n] >= 'A' && p[n] <= 'Z' ? p[n] + 32 : p[n]);
        n++;
    }
    memset(out + n, 0, n < 16 ? 16 - n : 1);   /* short names compare as two words */
    return n;
}

static int same16(const char *a, const char *b)
{
    uint64_t x[2], y[2];
    memcpy(x, a, 16);
    memcpy(y, b, 16);
    return x[0] == y[0] && x[1] == y[1];
}

/* The interned name for a lowercase element name, from libxml2's element table
 * when it knows it; add: intern a new unknown name. NULL when the table is full
 * or (add == 0) the name is not known. */
static const char *intern(scan *sc, const char *lc, size_t n, int add, const htmlElemDesc **desc)
{
    name_slot *slot = NULL;
    if (n < sizeof slot->name) {
        unsigned h = (unsigned)n * 31u + (unsigned char)lc[0] * 7u + (unsigned char)lc[n - 1] * 3u +
                     (unsigned char)lc[n / 2];
        slot = &sc->cache[h % NAME_CACHE];
        if (slot->interned && same16(slot->name, lc)) {
            *desc = slot->desc;
            return slot->interned;
        }
    }
    const char *name = NULL;
    *desc = htmlTagLookup((const xmlChar *)lc);
    if (*desc) {
        name = (*desc)->name;
    } else {
        for (size_t i = 0; i < sc->nunknown && !name; i++)
            if (!strcmp(sc->unknown[i], lc))
                name = sc->unknown[i];
        if (!name && add && sc->nunknown < MAX_UNKNOWN)
            name = strcpy(sc->unknown[sc->nunknown++], lc);
    }
    if (name && slot) {
        memcpy(slot->name, lc, sizeof slot->name);
        slot->interned = name;
        slot->desc = *desc;
    }
    return name;
}

/* Does libxml2 close `top` before opening `name`? Different names: its own
 * table (htmlAutoCloseTag asks it). The same name: these close themselves in
 * libxml2 2.9 and every other element nests (test_htmlscan checks each). */
static int closes(scan *sc, const char *name, const char *top)
{
    size_t k = (((uintptr_t)name >> 3) * 31u + ((uintptr_t)top >> 3)) & 255u;
    if (sc->closing[k].name == name && sc->closing[k].top == top)
        return sc->closing[k].closes;
    int r;
    if (name == top) {
        static const char *const self[] = {
            "a", "colgroup", "form", "li", "option", "p", "tbody", "td", "th", "tr", NULL };
        r = 0;
        for (int i = 0; self[i] && !r; i++)
            r = !strcmp(name, self[i]);
    } else {
        xmlNode probe;
        memset(&probe, 0, sizeof probe);
        probe.name = (const xmlChar *)name;
        r = htmlAutoCloseTag(NULL, (const xmlChar *)top, &probe);
    }
    sc->closing[k].name = name, sc->closing[k].top = top, sc->closing[k].closes = r;
    return r;
}

/* Which open elements a stray end tag may close: those ranked at most its own
 * (libxml2's end priorities; test_htmlscan checks them against libxml2). */
static int end_priority(const char *name)
{
    static const struct { const char *name; int rank; } ranks[] = {
        { "div", 150 }, { "td", 160 }, { "th", 160 }, { "tr", 170 }, { "thead", 180 },
        { "tbody", 180 }, { "tfoot", 180 }, { "table", 190 }, { "head", 200 }, { "body", 200 },
        { "html", 220 } };
    for (size_t i = 0; i < sizeof ranks / sizeof ranks[0]; i++)
        if (!strcmp(name, ranks[i].name))
            return ranks[i].rank;
    return 100;
}

/* ---- tags --------------------------------------------------------------- */

static void count_lines(scan *sc, const char *to)
{
    for (const char *q = sc->counted; (q = memchr(q, '\n', (size_t)(to - q))) != NULL; q++)
        sc->line++;
    sc->counted = to;
}

/* The attributes of a start tag from *pp up to its '>' or "/>", into sc->ab
 * (names and values, NUL-terminated, their offsets in sc->aoff). 0 or DECLINE. */
static int tag_attrs(scan *sc, const char **pp, size_t *count)
{
    const char *p = *pp, *e = sc->e;
    size_t nattrs = 0;
    apn_buf_clear(&sc->ab);
    p = skip_blanks(p, e);
    while (p < e && *p != '>' && !(*p == '/' && p + 1 < e && p[1] == '>')) {
        char an[MAX_NAME + 1];
        unsigned char c = (unsigned char)*p;
        if (!is_alpha(c) && c != '_' && c != ':' && c != '.')
            return decline(sc, "an odd attribute name");
        size_t k = lower_name(p, e, an);
        if (k >= MAX_NAME || nattrs == MAX_ATTRS)
            return decline(sc, "an overlong attribute name, or too many attributes");
        p = skip_blanks(p + k, e);
        for (size_t i = 0; i < nattrs; i++)   /* libxml2 drops a repeated attribute */
            if (!sc->ab.oom && !strcmp(sc->ab.ptr + sc->aoff[2 * i], an))
                return decline(sc, "a repeated attribute");
        sc->aoff[2 * nattrs] = sc->ab.len;
        apn_buf_put(&sc->ab, an, k + 1);
        sc->aoff[2 * nattrs + 1] = SIZE_MAX;
        if (p < e && *p == '=') {
            const char *v0, *v1;
            p = skip_blanks(p + 1, e);
            if (p < e && (*p == '"' || *p == '\'')) {
                v0 = p + 1;
                v1 = memchr(v0, *p, (size_t)(e - v0));
                if (!v1)
                    return decline(sc, "an unclosed attribute value");
                p = v1 + 1;
            } else {
                v0 = p;
                while (p < e && !is_blank((unsigned char)*p) && *p != '>') {
                    if (*p == '"' || *p == '\'' || *p == '<' || *p == '`')
                        return decline(sc, "a quote or '<' in an unquoted attribute value");
                    p++;
                }
                v1 = p;
                if (v1 == v0)
                    return decline(sc, "an empty unquoted attribute value");
            }
            sc->aoff[2 * nattrs + 1] = sc->ab.len;
            if (text_run(sc, v0, v1, &sc->ab))
                return DECLINE;
            apn_buf_putc(&sc->ab, 0);
        }
        nattrs++;
        p = skip_blanks(p, e);
    }
    *pp = p;
    *count = nattrs;
    return 0;
}

/* After <script> or <style>: the body runs to the first "</name", whatever
 * follows it. 0 or DECLINE. */
static int raw_body(scan *sc, const char *name, size_t n)
{
    const char *q = sc->p, *e = sc->e;
    while ((q = memchr(q, '<', (size_t)(e - q))) != NULL) {
        if (q + 2 + n <= e && q[1] == '/' && !strncasecmp(q + 2, name, n))
            break;
        q++;
    }
    if (!q)
        return decline(sc, "a <script> or <style> without its end tag");
    sc->p = q;
    return 0;
}

static int start_tag(scan *sc)
{
    const char *p = sc->p + 1, *e = sc->e;
    char lc[MAX_NAME + 1];
    size_t n = lower_name(p, e, lc), nattrs = 0;
    const htmlElemDesc *desc;
    if (n >= MAX_NAME || p + n >= e)
        return decline(sc, "an overlong or cut tag name");
    p += n;
    if (!is_blank((unsigned char)*p) && *p != '>' && *p != '/')
        return decline(sc, "an odd character after a tag name");
    const char *name = intern(sc, lc, n, 1, &desc);
    if (!name || sc->where == AFTER_ROOT)
        return decline(sc, "too many unknown element names, or an element after the root");
    while (sc->depth && closes(sc, name, sc->stack[sc->depth - 1])) {
        if (sc->depth == 1)
            return decline(sc, "a start tag that would close the root");   /* the root itself */
        if (sc->emit)
            sc->sax->end(sc->ud, (const xmlChar *)sc->stack[sc->depth - 1]);
        sc->depth--;
    }
    if ((name == sc->html && sc->depth) || (name == sc->head && sc->depth != 1))
        return decline(sc, "a misplaced <html> or <head>");
    if (name == sc->body)
        for (size_t i = 0; i < sc->depth; i++)
            if (sc->stack[i] == sc->body)
                return decline(sc, "a second <body>");

    if (tag_attrs(sc, &p, &nattrs))
        return DECLINE;
    if (p >= e)
        return decline(sc, "a tag without its '>'");
    if (sc->ab.oom)
        return APN_ENOMEM;
    int selfclose = *p == '/';
    if (!selfclose && !(desc && desc->empty) && sc->depth == MAX_DEPTH)
        return decline(sc, "elements nested deeper than 256");
    if (sc->emit) {
        const xmlChar *atts[2 * MAX_ATTRS + 1];
        for (size_t i = 0; i < 2 * nattrs; i++)
            atts[i] = sc->aoff[i] == SIZE_MAX ? NULL : (const xmlChar *)sc->ab.ptr + sc->aoff[i];
        atts[2 * nattrs] = NULL;
        count_lines(sc, p);
        if (sc->line_out)
            *sc->line_out = sc->line;
        sc->sax->start(sc->ud, (const xmlChar *)name, nattrs ? atts : NULL);
    }
    sc->p = p + (selfclose ? 2 : 1);
    if (selfclose || (desc && desc->empty)) {
        if (sc->emit)
            sc->sax->end(sc->ud, (const xmlChar *)name);
        sc->where = sc->depth ? IN_ROOT : AFTER_ROOT;
        return 0;
    }
    sc->stack[sc->depth++] = name;
    sc->where = IN_ROOT;
    if (name == sc->script || name == sc->style)
        return raw_body(sc, name, n);
    return 0;
}

static int end_tag(scan *sc)
{
    const char *p = sc->p + 2, *e = sc->e;
    char lc[MAX_NAME + 1];
    const htmlElemDesc *desc;
    if (p >= e || !is_alpha((unsigned char)*p))
        return decline(sc, "'</' without a name");
    size_t n = lower_name(p, e, lc);
    if (n >= MAX_NAME)
        return decline(sc, "an overlong end tag name");
    p = skip_blanks(p + n, e);
    if (p >= e || *p != '>' || !sc->depth)
        return decline(sc, "an end tag without its '>', or outside the root");
    sc->p = p + 1;
    const char *name = intern(sc, lc, n, 0, &desc);
    if (name != sc->stack[sc->depth - 1]) {
        /* libxml2 closes the elements above an open one of this name unless one
         * of them outranks the end tag; an end tag for no open element is dropped */
        size_t i = sc->depth;
        int rank = end_priority(lc);
        while (i > 0 && sc->stack[i - 1] != name)
            if (end_priority(sc->stack[--i]) > rank)
                return 0;
        if (i == 0)
            return 0;
        if (i == 1)
            return decline(sc, "an end tag that closes the root and what it holds");
        while (sc->depth > i) {
            if (sc->emit)
                sc->sax->end(sc->ud, (const xmlChar *)sc->stack[sc->depth - 1]);
            sc->depth--;
        }
    }
    if (sc->emit)
        sc->sax->end(sc->ud, (const xmlChar *)name);
    if (--sc->depth == 0)
        sc->where = AFTER_ROOT;
    return 0;
}

/* "<!--" to "-->", declining the forms libxml2 reads in its own way. */
static int comment(scan *sc)
{
    const char *body = sc->p + 4, *e = sc->e;
    const char *end = memmem(body, (size_t)(e - body), "-->", 3);
    if (!end || memmem(body, (size_t)(end - body), "--", 2) || (end > body && body[0] == '>') ||
        (end - body >= 2 && body[0] == '-' && body[1] == '>'))
        return decline(sc, "a comment libxml2 reads its own way");
    sc->p = end + 3;
    return 0;
}

/* <!DOCTYPE ...> before the root, once; quotes must pair up before its '>'. */
static int doctype(scan *sc)
{
    const char *p = sc->p, *e = sc->e;
    if (sc->where != BEFORE_ROOT || sc->doctype || e - p < 10 || strncasecmp(p + 2, "doctype", 7))
        return decline(sc, "a misplaced or odd DOCTYPE");
    const char *gt = memchr(p, '>', (size_t)(e - p));
    if (!gt || memchr(p + 1, '<', (size_t)(gt - p - 1)))
        return decline(sc, "a misplaced or odd DOCTYPE");
    int dq = 0, sq = 0;
    for (const char *q = p; q < gt; q++)
        dq ^= *q == '"', sq ^= *q == '\'';
    if (dq || sq)
        return decline(sc, "a misplaced or odd DOCTYPE");
    sc->doctype = 1;
    sc->p = gt + 1;
    return 0;
}

static int text(scan *sc)
{
    const char *a = sc->p, *b = memchr(a, '<', (size_t)(sc->e - a));
    if (!b)
        b = sc->e;
    sc->p = b;
    if (sc->where != IN_ROOT) {
        if (!all_blank(a, b))
            return decline(sc, "text outside the root element");
        if (sc->where == AFTER_ROOT && sc->emit)   /* libxml2 reports these; nothing reads them */
            sc->sax->chars(sc->ud, (const xmlChar *)a, (int)(b - a));
        return 0;
    }
    const char *top = sc->stack[sc->depth - 1];
    if ((top == sc->html || top == sc->head) && !all_blank(a, b))
        return decline(sc, "text directly in <html> or <head> (libxml2 opens an implied <p>)");   /* libxml2 opens an implied <p> */
    return text_run(sc, a, b, NULL);
}

static int walk(scan *sc)
{
    int rc = 0;
    while (!rc && sc->p < sc->e) {
        const char *p = sc->p;
        if (*p != '<') {
            rc = text(sc);
        } else if (p + 1 >= sc->e) {
            rc = decline(sc, "a '<' at the end of the page");
        } else if (is_alpha((unsigned char)p[1])) {
            rc = start_tag(sc);
        } else if (p[1] == '/') {
            rc = end_tag(sc);
        } else if (p[1] == '!' && sc->e - p >= 4 && p[2] == '-' && p[3] == '-') {
            rc = comment(sc);
        } else if (p[1] == '!') {
            rc = doctype(sc);
        } else {
            rc = decline(sc, "a processing instruction, CDATA or a bare '<'");   /* "<?", a bare '<' */
        }
    }
    if (!rc && (sc->where != AFTER_ROOT || sc->depth))
        rc = decline(sc, "elements left open, or no root element, at the end of the page");
    return rc;
}

int apn_htmlscan_page(const char *text, size_t len, const apn_htmlscan_sax *sax, void *ud, long *line,
                      const char **why)
{
    scan *sc;
    int rc = 0;
    if (why)
        *why = NULL;
    if (len > INT32_MAX || has_bad_chars(text, text + len)) {
        if (why)
            *why = "control characters, U+FFFE or U+FFFF";
        return DECLINE;
    }
    if (!(sc = apn_calloc(1, sizeof *sc)))
        return APN_ENOMEM;
    for (int emit = 0; emit < 2 && !rc; emit++) {
        apn_buf ab = sc->ab;
        memset(sc, 0, sizeof *sc);
        sc->ab = ab;
        sc->s = sc->p = sc->counted = text;
        sc->e = text + len;
        sc->emit = emit;
        sc->sax = sax;
        sc->ud = ud;
        sc->line_out = line;
        sc->line = 1;
        sc->html = (const char *)htmlTagLookup((const xmlChar *)"html")->name;
        sc->head = (const char *)htmlTagLookup((const xmlChar *)"head")->name;
        sc->body = (const char *)htmlTagLookup((const xmlChar *)"body")->name;
        sc->script = (const char *)htmlTagLookup((const xmlChar *)"script")->name;
        sc->style = (const char *)htmlTagLookup((const xmlChar *)"style")->name;
        rc = walk(sc);
    }
    if (rc == DECLINE && sc->why) {
        if (why)
            *why = sc->why;
        if (line) {
            count_lines(sc, sc->why_at);
            *line = sc->line;
        }
    }
    apn_buf_dispose(&sc->ab);
    apn_free(sc);
    return rc;
}
