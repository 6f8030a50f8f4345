/* xlsx — read Office Open XML workbooks. See xlsx.h.
 *
 * Sections:
 *   cell references      apn_cellref_parse / apn_cellref_format
 *   part readers         one xmlTextReader over a zip member (bounded) or memory;
 *                        the SAX2 driver (sheets, relationships, workbook) sits
 *                        with the sheets and falls back to it for a DTD
 *   text collection      <t>, <v>, <f>, <si>, <is> contents
 *   shared strings       xl/sharedStrings.xml into one pool
 *   sheets               streaming rows and cells to the caller's callback
 *   container            _rels/.rels, workbook.xml and its relationships
 *   public API           open, free, getters
 *
 * Security: every part is read with XML_PARSE_NONET and without NOENT, DTDLOAD,
 * DTDVALID or HUGE, so no DTD is fetched and no entity is expanded; entity
 * references a DTD declares are dropped (only the predefined ones and character
 * references give text), and a part carrying a DTD gets a warning (OPC forbids
 * DTDs, ECMA-376 Part 2 §8.1.4). libxml2 stops a billion-laughs document with a
 * fatal error, which becomes APN_EPARSE. Members are inflated straight into the
 * parser through a read callback that stops at the member and total caps, so a
 * zip bomb costs at most the cap in CPU and a few KiB of memory, whatever its
 * declared size (which is checked first). The sheets' fast path holds one
 * member in memory, only one declaring at most 4 MiB, and stops at that size.
 */
#include "read/xlsx.h"

#include <libxml/xmlreader.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "util/alloc.h"
#include "util/buf.h"
#include "read/formula.h"
#include "read/xlsx_int.h"

#define XML_OPTS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

int apn_xlsx__use_reader;
#define MAX_SHEET_WARNINGS 20
#define MAX_SHARED_SI (1u << 20)

/* ====================================================================
 * cell references
 * ==================================================================== */

int apn_cellref_parse(unsigned *row, unsigned *col, const char *ref, const char **end)
{
    const char *s = ref;
    unsigned long c = 0, r = 0;
    int nl = 0, nd = 0;
    if (*s == '$')
        s++;
    while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')) {
        int v = (*s >= 'a' ? *s - 'a' : *s - 'A') + 1;
        if (++nl > 3)
            return APN_EPARSE;
        c = c * 26 + (unsigned long)v;
        s++;
    }
    if (*s == '$')
        s++;
    while (*s >= '0' && *s <= '9') {
        if (++nd > 7)
            return APN_EPARSE;
        r = r * 10 + (unsigned long)(*s - '0');
        s++;
    }
    if (nl == 0 || nd == 0 || c > 16384 || r < 1 || r > 1048576)
        return APN_EPARSE;
    if (end)
        *end = s;
    else if (*s)
        return APN_EPARSE;
    *row = (unsigned)r;
    *col = (unsigned)(c - 1);
    return 0;
}

void apn_cellref_format(char *buf, unsigned row, unsigned col)
{
    char tmp[8];
    int n = 0;
    unsigned long c = (unsigned long)col + 1;
    while (c > 0 && n < 7) {
        tmp[n++] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    int k = 0;
    while (n > 0)
        buf[k++] = tmp[--n];
    snprintf(buf + k, 12 - (size_t)k, "%u", row);
}

/* ====================================================================
 * part readers
 * ==================================================================== */

typedef struct sheet {
    const char *name;          /* arena */
    const char *member;        /* arena; NULL when the workbook names no part */
    const char *mem;           /* in-memory XML (tests, fuzzing) instead of a member */
    size_t memlen;
    int hidden;
    unsigned char *hidden_cols;   /* owned bitset over lim.max_cols; NULL when none */
    apn_range *merges;            /* owned */
    size_t nmerges, capmerges;
} sheet;

struct apn_xlsx {
    char *path;
    apn_xlsx_limits lim;
    apn_diags *d;
    zip_t *za;
    apn_arena arena;           /* names, members, relationship strings */
    sheet *sheets;
    size_t nsheets, capsheets;
    apn_buf sst_pool;          /* every shared string, NUL-terminated, back to back */
    size_t *sst_off;
    size_t nsst, capsst;
    size_t total;              /* inflated bytes read so far (lim.max_total) */
};

/* One xmlTextReader over one part, with what its failure needs to say. */
typedef struct xr {
    apn_xlsx *x;
    const char *member;        /* diagnostics locus */
    xmlTextReaderPtr r;
    xmlParserCtxtPtr ctxt;     /* the SAX2 parser (sheets), instead of r */
    void *sax;                 /* its state (struct sx) */
    zip_file_t *zf;
    size_t cap, got;
    long long decl;            /* the member's declared inflated size, -1 unknown */
    int cap_is_total;          /* the cap in force is what remains of max_total */
    int over, zerr, oom;
    char zmsg[160];
    int haveerr, havefatal, eline;
    char emsg[200];
    int prolog_done;           /* the root element was reached */
    xmlGenericErrorFunc old_gen;   /* libxml2's handler before this reader */
    void *old_gen_ctx;
    int saved_gen;
    struct xr *old_part;       /* quiet_part before this reader */
    int d_oom0;                /* the diagnostics' sticky oom flag at open */
} xr;

static int io_read(void *ctx, char *buf, int len)
{
    xr *p = ctx;
    if (len <= 0)
        return 0;
    size_t want = (size_t)len;
    size_t room = p->cap - p->got;
    if (want > room)
        want = room + 1;   /* one byte past the cap tells a lie from an exact fit */
    zip_int64_t n = zip_fread(p->zf, buf, want);
    if (n < 0) {
        p->zerr = 1;
        snprintf(p->zmsg, sizeof p->zmsg, "%s", zip_file_strerror(p->zf));
        return -1;
    }
    p->got += (size_t)n;
    if (p->got > p->cap) {
        p->over = 1;
        return -1;
    }
    return (int)n;
}

#if LIBXML_VERSION >= 21200
static void on_xml_error(void *arg, const xmlError *e)
#else
static void on_xml_error(void *arg, xmlErrorPtr e)
#endif
{
    xr *p = arg;
    if (!e || e->level < XML_ERR_ERROR)
        return;
    if (e->code == XML_ERR_NO_MEMORY)
        p->oom = 1;
    if (p->havefatal || (p->haveerr && e->level != XML_ERR_FATAL))
        return;
    p->haveerr = 1;
    p->havefatal = e->level == XML_ERR_FATAL;
    p->eline = e->line;
    snprintf(p->emsg, sizeof p->emsg, "%s", e->message ? e->message : "");
    size_t n = strlen(p->emsg);
    while (n > 0 && (p->emsg[n - 1] == '\n' || p->emsg[n - 1] == ' '))
        p->emsg[--n] = 0;
}

static void xr_setup(xr *p)
{
    xmlTextReaderSetStructuredErrorHandler(p->r, on_xml_error, p);
}

/* The part being read on this thread, for quiet(): libxml2 hands its generic
 * channel the parser context, not the context we registered, whenever it has
 * one (__xmlRaiseError), so the handler must not trust its argument. */
static _Thread_local xr *quiet_part;

/* libxml2's generic channel while a reader is open: prints nothing, but
 * notes an allocation failure (the error being reported is the last one). */
static void quiet(void *ctx, const char *msg, ...)
{
    xr *p = quiet_part;
    const xmlError *e = xmlGetLastError();
    (void)ctx, (void)msg;
    if (p && e && e->code == XML_ERR_NO_MEMORY)
        p->oom = 1;
}

/* libxml2 reports some failures (allocation, mostly) outside any parser, to a
 * per-thread handler that prints to stderr; the library never prints, so a
 * silent one is installed while a reader is open (xr_close restores the old).
 * The per-thread last error is reset so xr_finish sees only this part's. */
static void xml_prepare(xr *p)
{
    p->old_gen = xmlGenericError;
    p->old_gen_ctx = xmlGenericErrorContext;
    p->saved_gen = 1;
    p->old_part = quiet_part;
    quiet_part = p;
    xmlSetGenericErrorFunc(p, quiet);
    xmlResetLastError();
}

static void xml_restore(xr *p)
{
    if (p->saved_gen) {
        xmlSetGenericErrorFunc(p->old_gen_ctx, p->old_gen);
        quiet_part = p->old_part;
    }
    p->saved_gen = 0;
}

static zip_int64_t find_member(const apn_xlsx *x, const char *name)
{
    if (!x->za || !name)
        return -1;
    zip_int64_t i = zip_name_locate(x->za, name, 0);
    if (i < 0)  /* OPC part names are case-insensitive */
        i = zip_name_locate(x->za, name, ZIP_FL_NOCASE);
    return i;
}

/* Opens zip member `member` for io_read, its caps checked. Returns 0,
 * APN_ENOTFOUND (no such member, nothing reported), or APN_ELIMIT / APN_EPARSE
 * reported. */
static int xr_open_zip(xr *p, apn_xlsx *x, const char *member)
{
    memset(p, 0, sizeof *p);
    p->x = x;
    p->member = member;
    p->d_oom0 = x->d->oom;
    p->decl = -1;
    zip_int64_t idx = find_member(x, member);
    if (idx < 0)
        return APN_ENOTFOUND;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) < 0) {
        apn_diags_add(x->d, APN_SEV_ERROR, x->path, member, "unreadable zip entry: %s",
                      zip_strerror(x->za));
        return APN_EPARSE;
    }
    size_t left = x->lim.max_total > x->total ? x->lim.max_total - x->total : 0;
    p->cap = x->lim.max_member;
    if (left < p->cap) {
        p->cap = left;
        p->cap_is_total = 1;
    }
    /* The declared size is checked before anything is inflated. */
    if ((st.valid & ZIP_STAT_SIZE) && st.size > x->lim.max_member) {
        apn_diags_add(x->d, APN_SEV_ERROR, x->path, member,
                      "member declares %llu bytes uncompressed, more than the limit of %zu "
                      "bytes (zip bomb?); refused", (unsigned long long)st.size,
                      x->lim.max_member);
        return APN_ELIMIT;
    }
    if ((st.valid & ZIP_STAT_SIZE) && st.size > left) {
        apn_diags_add(x->d, APN_SEV_ERROR, x->path, member,
                      "member declares %llu bytes uncompressed, beyond the workbook's total "
                      "limit of %zu bytes; refused", (unsigned long long)st.size,
                      x->lim.max_total);
        return APN_ELIMIT;
    }
    if ((st.valid & ZIP_STAT_SIZE) && st.size <= (zip_uint64_t)LLONG_MAX)
        p->decl = (long long)st.size;
    p->zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
    if (!p->zf) {
        apn_diags_add(x->d, APN_SEV_ERROR, x->path, member, "cannot open zip entry: %s",
                      zip_strerror(x->za));
        return APN_EPARSE;
    }
    return 0;
}

/* Opens a reader over zip member `member`. Returns 0, APN_ENOTFOUND (no such
 * member, nothing reported), or APN_ELIMIT / APN_EPARSE / APN_ENOMEM reported. */
static int xr_open_member(xr *p, apn_xlsx *x, const char *member)
{
    int err = xr_open_zip(p, x, member);
    if (err < 0)
        return err;
    xml_prepare(p);
    p->r = xmlReaderForIO(io_read, NULL, p, NULL, NULL, XML_OPTS);
    if (!p->r) {
        err = APN_ENOMEM;
        xml_restore(p);
        if (p->over || p->zerr) {
            apn_diags_add(x->d, APN_SEV_ERROR, x->path, member, "%s",
                          p->over ? "member inflates beyond its size limit; refused"
                                  : p->zmsg);
            err = p->over ? APN_ELIMIT : APN_EPARSE;
        }
        zip_fclose(p->zf);
        p->zf = NULL;
        x->total += p->got;
        return err;
    }
    xr_setup(p);
    return 0;
}

/* Starts p over a part of len bytes held in memory (tests, fuzzing): refused
 * above the member limit. Returns 0 or APN_ELIMIT (reported). */
static int part_begin(xr *p, apn_xlsx *x, const char *label, size_t len)
{
    memset(p, 0, sizeof *p);
    p->x = x;
    p->member = label;
    p->d_oom0 = x->d->oom;
    if (len > x->lim.max_member || len > INT_MAX) {
        apn_diags_add(x->d, APN_SEV_ERROR, x->path, label,
                      "part of %zu bytes, more than the limit of %zu bytes; refused", len,
                      x->lim.max_member);
        return APN_ELIMIT;
    }
    return 0;
}

static int xr_open_memory(xr *p, apn_xlsx *x, const char *label, const char *mem, size_t len)
{
    int err = part_begin(p, x, label, len);
    if (err < 0)
        return err;
    xml_prepare(p);
    p->r = xmlReaderForMemory(mem, (int)len, NULL, NULL, XML_OPTS);
    if (!p->r) {
        xml_restore(p);
        return APN_ENOMEM;
    }
    xr_setup(p);
    return 0;
}

static void xr_close(xr *p)
{
    if (p->r)
        xmlFreeTextReader(p->r);
    if (p->ctxt) {
        if (p->ctxt->myDoc)
            xmlFreeDoc(p->ctxt->myDoc);
        xmlFreeParserCtxt(p->ctxt);
        p->ctxt = NULL;
    }
    if (p->zf)
        zip_fclose(p->zf);
    xml_restore(p);
    p->x->total += p->got;
    p->r = NULL;
    p->zf = NULL;
}

/* Closes the reader; a document libxml2 cut short for lack of memory (it may
 * then drop a node or attribute and end "normally"), or a diagnostic that
 * could not be stored, becomes APN_ENOMEM. */
static int xr_finish(xr *p, int err)
{
    const xmlError *e = xmlGetLastError();
    if (err == 0 && (p->oom || (e && e->code == XML_ERR_NO_MEMORY) ||
                     (p->x->d->oom && !p->d_oom0)))
        err = APN_ENOMEM;
    xr_close(p);
    return err;
}

/* Reports why the reader stopped and returns the code. */
static int xr_fail(xr *p)
{
    apn_xlsx *x = p->x;
    if (p->oom)
        return APN_ENOMEM;
    if (p->over) {
        apn_diags_add(x->d, APN_SEV_ERROR, x->path, p->member,
                      "member inflates to more than %zu bytes, beyond the %s limit "
                      "(zip bomb?); refused", p->cap, p->cap_is_total ? "workbook's total" : "member");
        return APN_ELIMIT;
    }
    if (p->zerr) {
        apn_diags_add(x->d, APN_SEV_ERROR, x->path, p->member, "corrupt zip entry: %s",
                      p->zmsg);
        return APN_EPARSE;
    }
    char locus[512];
    int line = p->eline > 0 ? p->eline
               : p->r ? xmlTextReaderGetParserLineNumber(p->r)
               : p->ctxt && p->ctxt->input ? p->ctxt->input->line : 0;
    snprintf(locus, sizeof locus, "%s:%d", p->member, line);
    apn_diags_add(x->d, APN_SEV_ERROR, x->path, locus, "malformed XML: %s",
                  p->haveerr && p->emsg[0] ? p->emsg : "unexpected end of document");
    return APN_EPARSE;
}

/* Advances: 1 on a node, 0 at the end of the document, or a reported error. */
static int xr_next(xr *p)
{
    int rc = xmlTextReaderRead(p->r);
    if (rc < 0)
        return xr_fail(p);
    if (rc == 1 && !p->prolog_done) {   /* a DTD can only come before the root */
        int type = xmlTextReaderNodeType(p->r);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE)
            apn_diags_add(p->x->d, APN_SEV_WARNING, p->x->path, p->member, "part carries a "
                          "DTD, which OOXML forbids; its entities are not expanded");
        p->prolog_done = type == XML_READER_TYPE_ELEMENT;
    }
    return rc;
}

/* Copies the current element's attribute `name` (local name; namespaced when
 * ns) into buf. Returns 1 when found. Leaves the reader on the element. */
static int attr(xr *p, const char *name, int ns, char *buf, size_t len)
{
    int found = 0;
    if (xmlTextReaderMoveToFirstAttribute(p->r) != 1)
        return 0;
    do {
        const xmlChar *ln = xmlTextReaderConstLocalName(p->r);
        if (!ln || strcmp((const char *)ln, name))
            continue;
        if (ns && !xmlTextReaderConstNamespaceUri(p->r))
            continue;
        const char *v = (const char *)xmlTextReaderConstValue(p->r);
        size_t n = v ? strlen(v) : 0;
        if (n >= len)
            n = len - 1;   /* longer than any value we look for: truncated, then rejected */
        memcpy(buf, v ? v : "", n);
        buf[n] = 0;
        found = 1;
        break;
    } while (xmlTextReaderMoveToNextAttribute(p->r) == 1);
    xmlTextReaderMoveToElement(p->r);
    return found;
}

/* ====================================================================
 * text collection
 * ==================================================================== */

/* Interned element names of the reader's dictionary: compared by pointer. */
typedef struct names {
    const xmlChar *c, *v, *f, *is, *t, *rPh, *phoneticPr, *row, *col, *mergeCell, *si;
} names;

/* A name in the dictionary of the reader or of the SAX2 parser in use. */
static const xmlChar *iname(xr *p, const char *s)
{
    return p->r ? xmlTextReaderConstString(p->r, BAD_CAST s)
                : xmlDictLookup(p->ctxt->dict, BAD_CAST s, -1);
}

static int intern(names *n, xr *p)
{
    n->c = iname(p, "c");
    n->v = iname(p, "v");
    n->f = iname(p, "f");
    n->is = iname(p, "is");
    n->t = iname(p, "t");
    n->rPh = iname(p, "rPh");
    n->phoneticPr = iname(p, "phoneticPr");
    n->row = iname(p, "row");
    n->col = iname(p, "col");
    n->mergeCell = iname(p, "mergeCell");
    n->si = iname(p, "si");
    if (!n->c || !n->v || !n->f || !n->is || !n->t || !n->rPh || !n->phoneticPr || !n->row ||
        !n->col || !n->mergeCell || !n->si)
        return APN_ENOMEM;
    return 0;
}

static int is_text(int type)
{
    return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
           type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

/* On the start tag of a non-empty element: appends its text to b and leaves
 * the reader on the matching end tag. rich (<si>, <is>): only text inside <t>,
 * none under phonetic runs <rPh> / <phoneticPr>. Whitespace-only text counts
 * only under xml:space="preserve". */
static int collect(xr *p, const names *n, apn_buf *b, int rich)
{
    int depth = xmlTextReaderDepth(p->r);
    int tdepth = -1, skipdepth = -1;
    for (;;) {
        int rc = xr_next(p);
        if (rc < 0)
            return rc;
        if (rc == 0)
            return xr_fail(p);
        int type = xmlTextReaderNodeType(p->r);
        if (type == XML_READER_TYPE_END_ELEMENT) {
            int dd = xmlTextReaderDepth(p->r);
            if (dd == depth)
                return 0;
            if (dd == tdepth)
                tdepth = -1;
            if (dd == skipdepth)
                skipdepth = -1;
        } else if (type == XML_READER_TYPE_ELEMENT) {
            if (!rich || skipdepth >= 0 || xmlTextReaderIsEmptyElement(p->r))
                continue;
            const xmlChar *nm = xmlTextReaderConstLocalName(p->r);
            if (nm == n->rPh || nm == n->phoneticPr)
                skipdepth = xmlTextReaderDepth(p->r);
            else if (nm == n->t && tdepth < 0)
                tdepth = xmlTextReaderDepth(p->r);
        } else if (is_text(type)) {
            if (rich && (tdepth < 0 || skipdepth >= 0))
                continue;
            const xmlChar *v = xmlTextReaderConstValue(p->r);
            if (v)
                apn_buf_puts(b, (const char *)v);
        }
    }
}

/* ====================================================================
 * shared strings
 * ==================================================================== */

static void sst_reset(apn_xlsx *x)
{
    apn_buf_clear(&x->sst_pool);
    x->sst_pool.oom = 0;
    x->nsst = 0;
}

static int sst_parse(xr *p)
{
    apn_xlsx *x = p->x;
    names n;
    int err = intern(&n, p);
    if (err < 0)
        return err;
    sst_reset(x);
    int rc;
    while ((rc = xr_next(p)) == 1) {
        if (xmlTextReaderNodeType(p->r) != XML_READER_TYPE_ELEMENT ||
            xmlTextReaderConstLocalName(p->r) != n.si)
            continue;
        if (apn_grow(&x->sst_off, &x->capsst, x->nsst + 1, sizeof *x->sst_off) < 0)
            return APN_ENOMEM;
        x->sst_off[x->nsst++] = x->sst_pool.len;
        if (!xmlTextReaderIsEmptyElement(p->r) && (err = collect(p, &n, &x->sst_pool, 1)) < 0)
            return err;
        apn_buf_put(&x->sst_pool, "", 0);
        apn_buf_putc(&x->sst_pool, 0);
        if (x->sst_pool.oom)
            return APN_ENOMEM;
    }
    return rc < 0 ? rc : 0;
}

size_t apn_xlsx__nstrings(const apn_xlsx *x) { return x->nsst; }

const char *apn_xlsx__string(const apn_xlsx *x, size_t i)
{
    return i < x->nsst ? x->sst_pool.ptr + x->sst_off[i] : NULL;
}

/* ====================================================================
 * sheets
 * ==================================================================== */

typedef enum { T_N, T_S, T_STR, T_INLINE, T_B, T_E, T_D, T_OTHER } ctype;

typedef struct pcell {
    unsigned col;
    apn_celltype type;
    size_t seq;           /* position in the row, to sort stably */
    const char *sst;      /* text from the shared-strings pool, else toff */
    size_t toff, foff;    /* offsets into rs.text; foff SIZE_MAX: no formula */
} pcell;

typedef struct anchor { unsigned row, col; size_t off; } anchor;  /* off 0: unset */

/* Row state, reused for every row of one read: no allocation per cell once
 * the buffers have grown to the widest row. */
typedef struct rs {
    apn_xlsx *x;
    sheet *sh;
    xr *p;
    names n;
    apn_buf text, v, f;
    pcell *cells;
    size_t ncells, capcells;
    apn_cell *out;
    size_t capout;
    anchor *sf;           /* shared formula anchors by si */
    size_t capsf;
    apn_buf sftext;       /* their text (offset 0 is a placeholder) */
    apn_arena arena;      /* shifted formulas of the current row */
    unsigned row;
    long lastcol;
    int in_row, skip_row, row_explicit, rows_over;
    int nwarn;
} rs;

static void sheet_warn(rs *s, unsigned row, long col, const char *fmt, const char *arg)
    __attribute__((format(printf, 4, 0)));

static void sheet_warn(rs *s, unsigned row, long col, const char *fmt, const char *arg)
{
    if (s->nwarn > MAX_SHEET_WARNINGS)
        return;
    char locus[600], ref[16] = "";
    if (col >= 0 && col < 16384 && row > 0)
        apn_cellref_format(ref, row, (unsigned)col);
    else if (row > 0)
        snprintf(ref, sizeof ref, "%u", row);
    snprintf(locus, sizeof locus, "%s!%s", s->sh->name, ref);
    if (++s->nwarn > MAX_SHEET_WARNINGS)
        apn_diags_add(s->x->d, APN_SEV_WARNING, s->x->path, locus,
                      "more warnings in this sheet not shown");
    else
        apn_diags_add(s->x->d, APN_SEV_WARNING, s->x->path, locus, fmt, arg);
}

static unsigned long parse_uint(const char *s, int *ok)
{
    unsigned long v = 0;
    *ok = 0;
    if (!*s)
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > 100000000UL)
            return 0;
        v = v * 10 + (unsigned long)(*s - '0');
    }
    *ok = 1;
    return v;
}

static ctype cell_type(const char *t)
{
    if (!t[0] || !strcmp(t, "n")) return T_N;
    if (!strcmp(t, "s")) return T_S;
    if (!strcmp(t, "str")) return T_STR;
    if (!strcmp(t, "inlineStr")) return T_INLINE;
    if (!strcmp(t, "b")) return T_B;
    if (!strcmp(t, "e")) return T_E;
    if (!strcmp(t, "d")) return T_D;
    return T_OTHER;
}

static int cmp_pcell(const void *a, const void *b)
{
    const pcell *x = a, *y = b;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Frees what one read's row state grew (both sheet readers). */
static void rs_dispose(rs *s)
{
    apn_buf_dispose(&s->text);
    apn_buf_dispose(&s->v);
    apn_buf_dispose(&s->f);
    apn_buf_dispose(&s->sftext);
    apn_arena_dispose(&s->arena);
    apn_free(s->cells);
    apn_free(s->out);
    apn_free(s->sf);
}

static int emit_row(rs *s, apn_xlsx_row_fn fn, void *ud)
{
    size_t n = s->ncells;
    if (n == 0 || s->skip_row)
        return 0;
    if (s->text.oom)
        return APN_ENOMEM;
    /* Cells come sorted in every real file; sort the rare row that is not
     * (by column, then file order), and keep the last of two cells claiming
     * one column. */
    size_t k = 1;
    while (k < n && s->cells[k - 1].col < s->cells[k].col)
        k++;
    if (k < n)
        qsort(s->cells, n, sizeof *s->cells, cmp_pcell);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m > 0 && s->cells[m - 1].col == s->cells[i].col)
            m--;
        s->cells[m++] = s->cells[i];
    }
    if (apn_grow(&s->out, &s->capout, m, sizeof *s->out) < 0)
        return APN_ENOMEM;
    for (size_t i = 0; i < m; i++) {
        const pcell *c = &s->cells[i];
        s->out[i].col = c->col;
        s->out[i].type = c->type;
        s->out[i].text = c->sst ? c->sst : s->text.ptr + c->toff;
        s->out[i].formula = c->foff == SIZE_MAX ? NULL : s->text.ptr + c->foff;
    }
    return fn(ud, s->row, s->out, m);
}

static size_t put_str(apn_buf *b, const char *str, size_t len)
{
    size_t off = b->len;
    apn_buf_put(b, str, len);
    apn_buf_putc(b, 0);
    return off;
}

/* Expands a shared formula for the cell at (row, col), or records its anchor. */
static const char *shared_formula(rs *s, unsigned long si, unsigned row, unsigned col,
                                  int anchor_here)
{
    if (si >= MAX_SHARED_SI) {
        sheet_warn(s, row, col, "shared formula index %s out of range", "");
        return NULL;
    }
    if (anchor_here) {
        if (si >= s->capsf) {
            size_t old = s->capsf;
            if (apn_grow(&s->sf, &s->capsf, si + 1, sizeof *s->sf) < 0) {
                s->text.oom = 1;
                return NULL;
            }
            memset(s->sf + old, 0, (s->capsf - old) * sizeof *s->sf);
        }
        if (s->sftext.len == 0)
            apn_buf_putc(&s->sftext, 0);
        s->sf[si].row = row;
        s->sf[si].col = col;
        s->sf[si].off = put_str(&s->sftext, s->f.ptr, s->f.len);
        if (s->sftext.oom) {
            s->text.oom = 1;
            return NULL;
        }
        return apn_buf_cstr(&s->f);
    }
    if (si >= s->capsf || s->sf[si].off == 0) {
        sheet_warn(s, row, col, "shared formula%s without its anchor cell", "");
        return NULL;
    }
    const anchor *a = &s->sf[si];
    const char *f = s->sftext.ptr + a->off;
    int dr = (int)row - (int)a->row, dc = (int)col - (int)a->col;
    /* NULL means out of memory or a reference pushed off the sheet; a second
     * try tells a passing allocation failure from the latter. */
    const char *shifted = apn_formula_shift(&s->arena, f, dr, dc);
    if (!shifted)
        shifted = apn_formula_shift(&s->arena, f, dr, dc);
    if (!shifted)
        sheet_warn(s, row, col, "shared formula%s cannot be shifted to this cell", "");
    return shifted;
}

/* The attributes of the element at hand: the reader's current element, or a
 * SAX2 start tag's namespace declarations and attributes. */
typedef struct asrc {
    xr *p;                          /* the reader, or NULL */
    const xmlChar **ns;             /* nns (prefix, URI) pairs */
    int nns;
    const xmlChar **at;             /* na (localname, prefix, URI, value, end) */
    int na;
} asrc;

/* Like attr(p, name, ns, buf, len), with what the reader would show: namespace
 * declarations come first (named by their prefix, "xmlns" without one, valued
 * by their URI, in a namespace of their own), and the "&#38;" libxml2 leaves
 * in a SAX2 attribute value for a '&' (no entity substitution) is read as '&'. */
static int get_attr_ns(const asrc *a, const char *name, int ns, char *buf, size_t len)
{
    const char *v = NULL, *end = NULL;
    if (a->p)
        return attr(a->p, name, ns, buf, len);
    for (int i = 0; i < a->nns && !v; i++) {
        const char *pre = a->ns[2 * i] ? (const char *)a->ns[2 * i] : "xmlns";
        if (!strcmp(pre, name)) {
            v = a->ns[2 * i + 1] ? (const char *)a->ns[2 * i + 1] : "";
            end = v + strlen(v);
        }
    }
    for (int i = 0; i < a->na && !v; i++) {
        if (!strcmp((const char *)a->at[5 * i], name) && (!ns || a->at[5 * i + 2])) {
            v = (const char *)a->at[5 * i + 3];
            end = (const char *)a->at[5 * i + 4];
        }
    }
    if (!v)
        return 0;
    size_t n = 0;
    while (v < end && n + 1 < len) {
        if (*v == '&' && end - v >= 5 && !memcmp(v, "&#38;", 5)) {
            buf[n++] = '&';
            v += 5;
        } else {
            buf[n++] = *v++;
        }
    }
    buf[n] = 0;
    return 1;
}

static int get_attr(const asrc *a, const char *name, char *buf, size_t len)
{
    return get_attr_ns(a, name, 0, buf, len);
}

/* What a <c> said, gathered while its children are read. */
typedef struct cellacc {
    char ref[32], t[16], fty[16], sis[16];
    int has_ref, has_v, has_is, has_f;
} cellacc;

static void cell_begin(rs *s, cellacc *ca, const asrc *a)
{
    memset(ca, 0, sizeof *ca);
    ca->has_ref = get_attr(a, "r", ca->ref, sizeof ca->ref);
    get_attr(a, "t", ca->t, sizeof ca->t);
    apn_buf_clear(&s->v);
    apn_buf_clear(&s->f);
}

/* A formula child <f>: its type and shared index (a missing t= keeps the
 * previous <f>'s, as the reader always did). */
static void cell_formula_attrs(cellacc *ca, const asrc *a)
{
    ca->has_f = 1;
    get_attr(a, "t", ca->fty, sizeof ca->fty);
    if (!get_attr(a, "si", ca->sis, sizeof ca->sis))
        ca->sis[0] = 0;
}

static int cell_end(rs *s, cellacc *ca);

static int read_cell(rs *s)
{
    xr *p = s->p;
    asrc a = { p, NULL, 0, NULL, 0 };
    cellacc ca;
    int err;
    cell_begin(s, &ca, &a);
    if (!xmlTextReaderIsEmptyElement(p->r)) {
        int depth = xmlTextReaderDepth(p->r);
        for (;;) {
            int rc = xr_next(p);
            if (rc <= 0)
                return rc < 0 ? rc : xr_fail(p);
            int type = xmlTextReaderNodeType(p->r);
            int dd = xmlTextReaderDepth(p->r);
            if (type == XML_READER_TYPE_END_ELEMENT && dd == depth)
                break;
            if (type != XML_READER_TYPE_ELEMENT || dd != depth + 1)
                continue;
            const xmlChar *nm = xmlTextReaderConstLocalName(p->r);
            int empty = xmlTextReaderIsEmptyElement(p->r);
            if (nm == s->n.v) {
                ca.has_v = 1;
                apn_buf_clear(&s->v);
                if (!empty && (err = collect(p, &s->n, &s->v, 0)) < 0)
                    return err;
            } else if (nm == s->n.is) {
                ca.has_is = 1;
                apn_buf_clear(&s->v);
                if (!empty && (err = collect(p, &s->n, &s->v, 1)) < 0)
                    return err;
            } else if (nm == s->n.f) {
                cell_formula_attrs(&ca, &a);
                apn_buf_clear(&s->f);
                if (!empty && (err = collect(p, &s->n, &s->f, 0)) < 0)
                    return err;
            }
        }
    }
    return cell_end(s, &ca);
}

/* The cell's value and formula into the row. */
static int cell_end(rs *s, cellacc *ca)
{
    const char *ref = ca->ref, *t = ca->t, *fty = ca->fty, *sis = ca->sis;
    int has_ref = ca->has_ref, has_v = ca->has_v, has_is = ca->has_is, has_f = ca->has_f;
    if (s->v.oom || s->f.oom)
        return APN_ENOMEM;
    if (!s->in_row || s->skip_row)
        return 0;

    unsigned row = s->row, col;
    if (has_ref) {
        unsigned r2;
        if (apn_cellref_parse(&r2, &col, ref, NULL) < 0) {
            sheet_warn(s, row, -1, "cell reference \"%s\" is not valid; cell skipped", ref);
            return 0;
        }
        /* A row without r= whose cells carry references is where they say. */
        if (!s->row_explicit && s->ncells == 0 && s->lastcol < 0 && r2 <= s->x->lim.max_rows)
            s->row = row = r2;
    } else {
        col = (unsigned)(s->lastcol + 1);
    }
    s->lastcol = col;
    if (col >= s->x->lim.max_cols) {
        sheet_warn(s, row, -1, "cell beyond the last column%s; skipped", "");
        return 0;
    }

    apn_celltype type = APN_CELL_EMPTY;
    const char *sst = NULL, *text = s->v.ptr ? s->v.ptr : "";
    size_t tlen = s->v.len;
    switch (cell_type(t)) {
    case T_N:
        if (has_v && s->v.len)
            type = APN_CELL_NUMBER;
        break;
    case T_S:
        if (has_v) {
            int ok;
            unsigned long i = parse_uint(text, &ok);
            if (ok && i < s->x->nsst) {
                type = APN_CELL_STRING;
                sst = s->x->sst_pool.ptr + s->x->sst_off[i];
            } else {
                sheet_warn(s, row, col, "shared string index \"%s\" out of range", text);
            }
        }
        break;
    case T_STR:
    case T_D:
    case T_OTHER:
        if (has_v)
            type = APN_CELL_STRING;
        break;
    case T_INLINE:
        if (has_is || has_v)
            type = APN_CELL_STRING;
        break;
    case T_B:
        if (has_v) {
            type = APN_CELL_BOOL;
            if (!strcmp(text, "1") || !strcmp(text, "true"))
                text = "TRUE";
            else if (!strcmp(text, "0") || !strcmp(text, "false"))
                text = "FALSE";
            tlen = strlen(text);
        }
        break;
    case T_E:
        if (has_v)
            type = APN_CELL_ERROR;
        break;
    }

    const char *formula = NULL;
    if (has_f) {
        int ok = 0;
        unsigned long si = sis[0] ? parse_uint(sis, &ok) : 0;
        if (!strcmp(fty, "shared") && ok)
            formula = shared_formula(s, si, row, col, s->f.len > 0);
        else if (s->f.len > 0)
            formula = apn_buf_cstr(&s->f);
    }
    if (type == APN_CELL_EMPTY && !formula)
        return 0;
    if (apn_grow(&s->cells, &s->capcells, s->ncells + 1, sizeof *s->cells) < 0)
        return APN_ENOMEM;
    pcell *c = &s->cells[s->ncells];
    c->seq = s->ncells++;
    c->col = col;
    c->type = type;
    c->sst = sst;
    c->toff = sst ? 0 : put_str(&s->text, type == APN_CELL_EMPTY ? "" : text,
                                type == APN_CELL_EMPTY ? 0 : tlen);
    c->foff = formula ? put_str(&s->text, formula, strlen(formula)) : SIZE_MAX;
    return s->text.oom ? APN_ENOMEM : 0;
}

static void read_row_start(rs *s, const asrc *a, int empty)
{
    char ref[32] = "";
    int ok = 0;
    unsigned long r = 0;
    if (get_attr(a, "r", ref, sizeof ref))
        r = parse_uint(ref, &ok);
    s->row_explicit = ok && r > 0;
    if (!ok || r == 0) {
        if (ok || ref[0])
            sheet_warn(s, s->row + 1, -1, "row number \"%s\" is not valid; counted", ref);
        r = (unsigned long)s->row + 1;
    }
    s->row = r > UINT_MAX ? UINT_MAX : (unsigned)r;
    s->ncells = 0;
    s->lastcol = -1;
    s->skip_row = 0;
    apn_buf_clear(&s->text);
    if (s->arena.head) {
        apn_arena_dispose(&s->arena);
        s->arena = (apn_arena)APN_ARENA_INIT;
    }
    if (r > s->x->lim.max_rows) {
        char lim[32];
        snprintf(lim, sizeof lim, "%zu", s->x->lim.max_rows);
        if (!s->rows_over)   /* once per sheet: a bomb may hold millions */
            sheet_warn(s, r > UINT_MAX ? UINT_MAX : (unsigned)r, -1,
                       "rows beyond row %s, the last a sheet may have, skipped", lim);
        s->rows_over = 1;
        s->skip_row = 1;
    }
    s->in_row = !empty;
}

static int read_col(rs *s, const asrc *src)
{
    char a[24], b[24], h[16];
    int ok1, ok2;
    if (!get_attr(src, "hidden", h, sizeof h) || !(!strcmp(h, "1") || !strcmp(h, "true")))
        return 0;
    if (!get_attr(src, "min", a, sizeof a) || !get_attr(src, "max", b, sizeof b))
        return 0;
    unsigned long lo = parse_uint(a, &ok1), hi = parse_uint(b, &ok2);
    size_t maxc = s->x->lim.max_cols;
    if (!ok1 || !ok2 || lo < 1 || hi < lo || lo > maxc)
        return 0;
    if (hi > maxc)
        hi = maxc;
    if (!s->sh->hidden_cols && !(s->sh->hidden_cols = apn_calloc((maxc + 7) / 8, 1)))
        return APN_ENOMEM;
    for (unsigned long c = lo - 1; c < hi; c++)
        s->sh->hidden_cols[c / 8] |= (unsigned char)(1u << (c % 8));
    return 0;
}

static int read_merge(rs *s, const asrc *a)
{
    char ref[64];
    if (!get_attr(a, "ref", ref, sizeof ref))
        return 0;
    unsigned r1, c1, r2, c2;
    const char *e;
    if (apn_cellref_parse(&r1, &c1, ref, &e) < 0)
        goto bad;
    if (*e == ':') {
        if (apn_cellref_parse(&r2, &c2, e + 1, NULL) < 0)
            goto bad;
    } else if (*e) {
        goto bad;
    } else {
        r2 = r1;
        c2 = c1;
    }
    sheet *sh = s->sh;
    if (apn_grow(&sh->merges, &sh->capmerges, sh->nmerges + 1, sizeof *sh->merges) < 0)
        return APN_ENOMEM;
    apn_range *g = &sh->merges[sh->nmerges++];
    g->r1 = (r1 < r2 ? r1 : r2) - 1;
    g->r2 = (r1 < r2 ? r2 : r1) - 1;
    g->c1 = c1 < c2 ? c1 : c2;
    g->c2 = c1 < c2 ? c2 : c1;
    return 0;
bad:
    sheet_warn(s, 0, -1, "merged range \"%s\" is not valid; ignored", ref);
    return 0;
}

static int sheet_stream(xr *p, sheet *sh, apn_xlsx_row_fn fn, void *ud)
{
    rs s;
    memset(&s, 0, sizeof s);
    s.x = p->x;
    s.sh = sh;
    s.p = p;
    s.arena = (apn_arena)APN_ARENA_INIT;
    int err = intern(&s.n, p);
    if (err < 0)
        goto cleanup;
    int rc;
    asrc a = { p, NULL, 0, NULL, 0 };
    while ((rc = xr_next(p)) == 1) {
        int type = xmlTextReaderNodeType(p->r);
        const xmlChar *nm = xmlTextReaderConstLocalName(p->r);
        if (type == XML_READER_TYPE_ELEMENT) {
            if (nm == s.n.c && s.in_row)
                err = read_cell(&s);
            else if (nm == s.n.row)
                read_row_start(&s, &a, xmlTextReaderIsEmptyElement(p->r));
            else if (nm == s.n.col)
                err = read_col(&s, &a);
            else if (nm == s.n.mergeCell)
                err = read_merge(&s, &a);
        } else if (type == XML_READER_TYPE_END_ELEMENT && nm == s.n.row && s.in_row) {
            s.in_row = 0;
            err = emit_row(&s, fn, ud);
        }
        if (err != 0)
            goto cleanup;
    }
    err = rc < 0 ? rc : 0;
    if (err == 0 && s.in_row) /* unreachable on well-formed XML, kept for safety */
        err = emit_row(&s, fn, ud);
cleanup:
    if (err == 0 && (s.text.oom || s.sftext.oom))
        err = APN_ENOMEM;
    rs_dispose(&s);
    return err;
}

/* The same stream through libxml2's SAX2 push parser: the reader builds and
 * frees a node for every element, attribute and text, which costs twice the
 * parse. The handlers below replay what sheet_stream, read_cell and collect
 * do on the reader's nodes (depths as the reader counts them: the root is 0;
 * every text is "significant" to libxml2 2.9's reader, whitespace included).
 * A part with a DOCTYPE goes back to the reader (it warns, keeps entities
 * unexpanded), before any row was passed on: a DTD comes before the root. */
typedef struct saxbase {
    int err;               /* a handler's non-zero result: the parse stops */
    int dtd;               /* a DOCTYPE was met: read again with the reader */
} saxbase;

typedef struct sx {
    saxbase b;             /* first: the driver sees the state as a saxbase */
    rs *s;
    apn_xlsx_row_fn fn;
    void *ud;
    int depth;             /* elements open */
    int cell;              /* depth of the open <c>, -1 none */
    cellacc ca;
    apn_buf *cb;           /* the text being collected into, NULL none */
    int cdepth, rich, tdepth, skipdepth;
} sx;

static void sax_stop(xr *p, saxbase *b, int err)
{
    if (err && !b->err) {
        b->err = err;
        if (p->ctxt)   /* none on the fast path */
            xmlStopParser(p->ctxt);
    }
}

static void sx_stop(xr *p, sx *x, int err) { sax_stop(p, &x->b, err); }

static void sx_collect(sx *x, apn_buf *b, int rich, int depth)
{
    apn_buf_clear(b);
    x->cb = b;
    x->rich = rich;
    x->cdepth = depth;
    x->tdepth = x->skipdepth = -1;
}

static void sx_start(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **ns, int na, int ndef, const xmlChar **at)
{
    xr *p = ctx;
    sx *x = p->sax;
    rs *s = x->s;
    (void)prefix, (void)uri, (void)ndef;
    int d = x->depth++;
    if (x->b.err || !name)
        return;
    if (x->cb) {
        if (!x->rich || x->skipdepth >= 0)
            return;
        if (name == s->n.rPh || name == s->n.phoneticPr)
            x->skipdepth = d;
        else if (name == s->n.t && x->tdepth < 0)
            x->tdepth = d;
        return;
    }
    asrc a = { NULL, ns, nns, at, na };
    if (x->cell >= 0) {
        if (d != x->cell + 1)
            return;
        if (name == s->n.v) {
            x->ca.has_v = 1;
            sx_collect(x, &s->v, 0, d);
        } else if (name == s->n.is) {
            x->ca.has_is = 1;
            sx_collect(x, &s->v, 1, d);
        } else if (name == s->n.f) {
            cell_formula_attrs(&x->ca, &a);
            sx_collect(x, &s->f, 0, d);
        }
        return;
    }
    if (name == s->n.c && s->in_row) {
        cell_begin(s, &x->ca, &a);
        x->cell = d;
    } else if (name == s->n.row) {
        read_row_start(s, &a, 0);   /* <row/> and <row></row> end alike */
    } else if (name == s->n.col) {
        sx_stop(p, x, read_col(s, &a));
    } else if (name == s->n.mergeCell) {
        sx_stop(p, x, read_merge(s, &a));
    }
}

static void sx_end(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri)
{
    xr *p = ctx;
    sx *x = p->sax;
    rs *s = x->s;
    (void)prefix, (void)uri;
    int d = --x->depth;
    if (x->b.err)
        return;
    if (x->cb) {
        if (d == x->cdepth) {
            x->cb = NULL;
            return;
        }
        if (d == x->tdepth)
            x->tdepth = -1;
        if (d == x->skipdepth)
            x->skipdepth = -1;
        return;
    }
    if (x->cell >= 0) {
        if (d == x->cell) {
            x->cell = -1;
            sx_stop(p, x, cell_end(s, &x->ca));
        }
        return;
    }
    if (name && name == s->n.row && s->in_row) {
        s->in_row = 0;
        sx_stop(p, x, emit_row(s, x->fn, x->ud));
    }
}

static void sx_text(void *ctx, const xmlChar *ch, int len)
{
    xr *p = ctx;
    sx *x = p->sax;
    if (x->cb && !x->b.err && len > 0 && (!x->rich || (x->tdepth >= 0 && x->skipdepth < 0)))
        apn_buf_put(x->cb, (const char *)ch, (size_t)len);
}

static void sax_dtd(void *ctx, const xmlChar *name, const xmlChar *eid, const xmlChar *sid)
{
    xr *p = ctx;
    saxbase *b = p->sax;
    (void)name, (void)eid, (void)sid;
    b->dtd = 1;
    xmlStopParser(p->ctxt);
}

#define SX_CHUNK 32768
#define SX_READER 1   /* sheet_sax: the part has a DTD, read it with the reader */

/* Opens p over a part for the SAX2 parser: mem when not NULL (tests,
 * fuzzing), else the zip member (APN_ENOTFOUND, nothing reported, when there
 * is none). Returns 0 or a reported error, as xr_open_member does. */
static int sax_open(xr *p, apn_xlsx *x, const char *member, const char *mem, size_t memlen)
{
    if (!mem)
        return xr_open_zip(p, x, member);
    return part_begin(p, x, member, memlen);
}

/* Parses the part p was opened over (sax_open) with handlers h, whose state
 * p->sax starts with a saxbase; ready, when not NULL, runs once the parser
 * context exists. Returns SX_READER when a DOCTYPE stopped the parse (p is
 * closed, nothing counted against the total), else closes p (xr_finish) and
 * returns 0 or the first error: a handler's, or a reported one, as the
 * reader's loop would have. */
static int sax_drive(xr *p, const char *mem, size_t memlen, xmlSAXHandler *h,
                     int (*ready)(xr *p, void *ud), void *rud)
{
    saxbase *b = p->sax;
    char *buf = NULL;
    int err = 0, ioerr = 0;
    apn_xlsx *x = p->x;

    xml_prepare(p);
    /* as the reader does: the first 4 bytes make the context (encoding) */
    const char *first = mem;
    int nfirst = mem ? (int)(memlen < 4 ? memlen : 4) : 0;
    if (!mem) {
        if (!(buf = apn_malloc(SX_CHUNK))) {
            err = APN_ENOMEM;
            goto done;
        }
        nfirst = io_read(p, buf, 4);
        if (nfirst < 0) {
            apn_diags_add(x->d, APN_SEV_ERROR, x->path, p->member, "%s",
                          p->over ? "member inflates beyond its size limit; refused" : p->zmsg);
            err = p->over ? APN_ELIMIT : APN_EPARSE;
            goto done;
        }
        first = buf;
    }
    p->ctxt = xmlCreatePushParserCtxt(h, p, first, nfirst, NULL);
    if (!p->ctxt) {
        err = APN_ENOMEM;
        goto done;
    }
    xmlCtxtUseOptions(p->ctxt, XML_OPTS);
    if (ready && (err = ready(p, rud)) < 0)
        goto done;
    if (mem) {
        xmlParseChunk(p->ctxt, mem + nfirst, (int)(memlen - (size_t)nfirst), 1);
    } else if (nfirst == 0) {
        xmlParseChunk(p->ctxt, NULL, 0, 1);
    } else {
        for (;;) {
            int n = io_read(p, buf, SX_CHUNK);
            if (n < 0) {
                ioerr = 1;
                break;
            }
            xmlParseChunk(p->ctxt, buf, n, n == 0);
            if (n == 0 || b->err || b->dtd || p->ctxt->instate == XML_PARSER_EOF ||
                !p->ctxt->wellFormed)
                break;
        }
    }
    if (b->dtd) {
        p->got = 0;   /* read again in full by the reader */
        xr_close(p);
        apn_free(buf);
        return SX_READER;
    }
    err = b->err;
    if (!err && (ioerr || p->over || p->zerr || !p->ctxt->wellFormed))
        err = xr_fail(p);
done:
    apn_free(buf);
    return xr_finish(p, err);
}

/* The fast path. Sheets are machine-written XML in a small subset, and
 * libxml2's push parser costs most of a sheet's read. A member of at most
 * FAST_MAX_MEMBER bytes is inflated into memory and checked by a scanner that
 * accepts only input it fully understands: UTF-8 with the usual declaration,
 * elements and attributes with ASCII names, declared namespace prefixes, the
 * five predefined entities, character references, comments, CDATA without CR;
 * no DTD, no processing instruction, depth at most FAST_MAX_DEPTH. Accepted,
 * it is scanned a second time calling sx_start, sx_end and sx_text with what
 * libxml2 would pass them (attribute values normalised, a '&' as "&#38;", CR LF
 * as LF), so rows, warnings and errors are the SAX2 path's. Anything else is
 * declined before the first call, and the member is read by libxml2 as before.
 * Only the workbook's total cap may differ: a read stopped by its callback
 * counts the whole member. */
#define FAST_MAX_MEMBER ((size_t)4 << 20)
#define FAST_MAX_DEPTH 64
#define FAST_MAX_ATTRS 32
#define FAST_MAX_NS 32          /* namespace declarations in scope */
#define FAST_MAX_NAME 128
#define FAST_SCRATCH 4096       /* one tag's decoded values and names */
#define FAST_NO 1               /* declined: read with libxml2 */
#define FAST_STOP 2             /* a handler stopped the read */

int apn_xlsx__no_fast;
_Thread_local unsigned long apn_xlsx__fast_reads;

/* The element names the handlers compare, as the fast path interns them. */
static const names fast_names = {
    (const xmlChar *)"c", (const xmlChar *)"v", (const xmlChar *)"f", (const xmlChar *)"is",
    (const xmlChar *)"t", (const xmlChar *)"rPh", (const xmlChar *)"phoneticPr",
    (const xmlChar *)"row", (const xmlChar *)"col", (const xmlChar *)"mergeCell",
    (const xmlChar *)"si"
};
static const xmlChar fast_other[] = "?";   /* any other element */

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
    xr *p;
    int depth;
    struct { fq q; const xmlChar *name; } open[FAST_MAX_DEPTH];
    struct { fq pre; int depth; } ns[FAST_MAX_NS];
    int nns;
    fattr a[FAST_MAX_ATTRS];
    const xmlChar *at[5 * FAST_MAX_ATTRS], *nsv[2 * FAST_MAX_ATTRS];
    unsigned char scratch[FAST_SCRATCH];
    size_t used;
} fs;

enum { F_NS = 1, F_N = 2, F_WS = 4 };   /* name start, name, blank */
static unsigned char fcls[256];

static void fast_init_classes(void)
{
    for (int c = 0; c < 256; c++) {
        unsigned char k = 0;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_')
            k |= F_NS | F_N;
        if ((c >= '0' && c <= '9') || c == '.' || c == '-')
            k |= F_N;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            k |= F_WS;
        fcls[c] = k;
    }
}

/* The length of the valid UTF-8 sequence at s encoding an XML Char of at
 * least U+0080, or 0. */
static size_t fast_utf8(const unsigned char *s, const unsigned char *e)
{
    unsigned c = s[0];
    if (c >= 0xc2 && c <= 0xdf)
        return e - s >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
    if (c >= 0xe0 && c <= 0xef) {
        if (e - s < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
            return 0;
        unsigned v = (c & 0x0f) << 12 | (s[1] & 0x3fu) << 6 | (s[2] & 0x3fu);
        return v < 0x800 || (v >= 0xd800 && v <= 0xdfff) || v >= 0xfffe ? 0 : 3;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        if (e - s < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
            (s[3] & 0xc0) != 0x80)
            return 0;
        unsigned v = (c & 0x07) << 18 | (s[1] & 0x3fu) << 12 | (s[2] & 0x3fu) << 6 |
                     (s[3] & 0x3fu);
        return v < 0x10000 || v > 0x10ffff ? 0 : 4;
    }
    return 0;
}

static int fast_is_char(unsigned long v)
{
    return v == 0x9 || v == 0xa || v == 0xd || (v >= 0x20 && v <= 0xd7ff) ||
           (v >= 0xe000 && v <= 0xfffd) || (v >= 0x10000 && v <= 0x10ffff);
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
    if (s >= e || nd == 0 || !fast_is_char(v))
        return 0;
    *sp = s + 1;
    if (v < 0x80) {
        out[0] = (unsigned char)v;
        return 1;
    }
    if (v < 0x800) {
        out[0] = (unsigned char)(0xc0 | v >> 6);
        out[1] = (unsigned char)(0x80 | (v & 0x3f));
        return 2;
    }
    if (v < 0x10000) {
        out[0] = (unsigned char)(0xe0 | v >> 12);
        out[1] = (unsigned char)(0x80 | ((v >> 6) & 0x3f));
        out[2] = (unsigned char)(0x80 | (v & 0x3f));
        return 3;
    }
    out[0] = (unsigned char)(0xf0 | v >> 18);
    out[1] = (unsigned char)(0x80 | ((v >> 12) & 0x3f));
    out[2] = (unsigned char)(0x80 | ((v >> 6) & 0x3f));
    out[3] = (unsigned char)(0x80 | (v & 0x3f));
    return 4;
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

static const xmlChar *fast_name(fq local)
{
    const names *n = &fast_names;
    switch (local.n) {
    case 1:
        return local.p[0] == 'c' ? n->c : local.p[0] == 'v' ? n->v
               : local.p[0] == 'f' ? n->f : local.p[0] == 't' ? n->t : fast_other;
    case 2:
        return FQ_IS(local, "is") ? n->is : FQ_IS(local, "si") ? n->si : fast_other;
    case 3:
        return FQ_IS(local, "row") ? n->row : FQ_IS(local, "col") ? n->col
               : FQ_IS(local, "rPh") ? n->rPh : fast_other;
    case 9:
        return FQ_IS(local, "mergeCell") ? n->mergeCell : fast_other;
    case 10:
        return FQ_IS(local, "phoneticPr") ? n->phoneticPr : fast_other;
    default:
        return fast_other;
    }
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

static int fast_emit_text(fs *f, const unsigned char *s, size_t n)
{
    if (f->emit && n > 0) {
        sx *x = f->p->sax;
        sx_text(f->p, s, (int)n);
        if (x->b.err)
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
        if (!ws || na == FAST_MAX_ATTRS)
            return FAST_NO;
        fattr *a = &f->a[na++];
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
        nns += a->decl != 0;
    }
    /* What libxml2 would call an error or treats specially: declined (the
     * second scan knows the tag passed) */
    if (!f->emit && pre.n &&
        (FQ_IS(pre, "xml") || FQ_IS(pre, "xmlns") || !fast_declared(f, pre, f->a, na)))
        return FAST_NO;
    size_t need = 0;
    for (int i = 0; i < na && !f->emit; i++) {
        fattr *a = &f->a[i];
        for (int j = 0; j < i; j++)
            if (fq_eq(a->q, f->a[j].q) || (!a->decl && !f->a[j].decl &&
                                           fq_eq(a->local, f->a[j].local)))
                return FAST_NO;
        if (a->decl) {
            if (!a->plain || a->v == a->ve || (a->decl == 2 && (FQ_IS(a->local, "xml") ||
                                                                 FQ_IS(a->local, "xmlns"))))
                return FAST_NO;
            fq uri = { a->v, (size_t)(a->ve - a->v) };
            if (FQ_IS(uri, "http://www.w3.org/XML/1998/namespace") ||
                FQ_IS(uri, "http://www.w3.org/2000/xmlns/"))
                return FAST_NO;
            need += (a->decl == 2 ? a->local.n + 1 : 0) + uri.n + 1;
            continue;
        }
        if (a->pre.n && (FQ_IS(a->pre, "xmlns") || !fast_declared(f, a->pre, f->a, na)))
            return FAST_NO;
        need += a->local.n + 1;
        if (!a->plain) {
            size_t n = fast_value(a->v, a->ve, NULL);
            if (n == (size_t)-1)
                return FAST_NO;
            need += n;
        }
    }
    if (need > FAST_SCRATCH)
        return FAST_NO;
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
    }
    const xmlChar *name = f->emit ? fast_name(local) : fast_other;
    if (!empty) {
        f->open[f->depth].q = q;
        f->open[f->depth].name = name;
        f->depth++;
    }
    if (!f->emit)
        return 0;
    /* the arrays libxml2 hands to startElementNs */
    int k = 0, m = 0;
    f->used = 0;
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
    sx *x = f->p->sax;
    sx_start(f->p, name, NULL, NULL, k, f->nsv, m, 0, f->at);
    if (!x->b.err && empty)
        sx_end(f->p, name, NULL, NULL);
    return x->b.err ? FAST_STOP : 0;
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
        sx *x = f->p->sax;
        sx_end(f->p, f->open[f->depth].name, NULL, NULL);
        if (x->b.err)
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

/* Reads the sheet p was opened over (sax_open; its handlers' state p->sax)
 * through the fast path. Returns FAST_NO when declined with nothing read from
 * the member, FAST_NO + 1 when declined after the member was inflated (the
 * caller opens it again), else 0: p is closed and *out holds 0 or the first
 * error, as sax_drive would return it (a callback's value may be any int). */
static int sheet_fast(int *out, xr *p, const char *mem, size_t memlen)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    unsigned char *buf = NULL;
    const unsigned char *xml = (const unsigned char *)mem;
    size_t len = memlen;
    int err = 0;
    fs *f = NULL;
    sx *x = p->sax;

    if (!mem) {
        if (p->decl < 0 || (size_t)p->decl > FAST_MAX_MEMBER || (size_t)p->decl > p->cap)
            return FAST_NO;
        size_t want = (size_t)p->decl + 1;   /* one more tells a lie from an exact fit */
        if (!(buf = apn_malloc(want)))
            return FAST_NO;   /* libxml2 needs less: let it try */
        len = 0;
        for (;;) {
            int n = io_read(p, (char *)buf + len, (int)(want - len));
            if (n <= 0) {
                if (n < 0)
                    len = want;
                break;
            }
            len += (size_t)n;
            if (len == want)
                break;
        }
        xml = buf;
        if (len != (size_t)p->decl) {
            err = FAST_NO + 1;
            goto cleanup;
        }
    }
    pthread_once(&once, fast_init_classes);
    if (!(f = apn_malloc(sizeof *f))) {
        err = mem ? FAST_NO : FAST_NO + 1;
        goto cleanup;
    }
    memset(f, 0, sizeof *f);
    f->p = p;
    if (fast_scan(f, xml, len) != 0) {
        err = mem ? FAST_NO : FAST_NO + 1;
        goto cleanup;
    }
    apn_xlsx__fast_reads++;
    x->s->n = fast_names;
    f->emit = 1;
    err = fast_scan(f, xml, len);
    if (err == FAST_STOP || x->b.err)
        *out = x->b.err;
    else   /* != 0 cannot happen: the first scan accepted the same bytes */
        *out = err == 0 ? 0 : -1;
    if (*out == 0 && p->x->d->oom && !p->d_oom0)
        *out = APN_ENOMEM;
    err = 0;
    xr_close(p);
cleanup:
    apn_free(f);
    apn_free(buf);
    return err;
}

static int sheet_ready(xr *p, void *ud)
{
    rs *s = ud;
    return intern(&s->n, p);
}

/* *reread: the part has a DTD, read it with the reader (a flag, not a return
 * value: the callback's value may be any int). */
static int sheet_sax(int *reread, apn_xlsx *x, sheet *sh, apn_xlsx_row_fn fn, void *ud)
{
    xr p;
    rs s;
    sx st;
    xmlSAXHandler h;
    int err;

    *reread = 0;
    err = sax_open(&p, x, sh->mem ? sh->name : sh->member, sh->mem, sh->memlen);
    if (err == APN_ENOTFOUND) {
        apn_diags_add(x->d, APN_SEV_ERROR, x->path, sh->name,
                      "the sheet's part %s is missing from the workbook; sheet skipped",
                      sh->member ? sh->member : "(none named)");
        return APN_EPARSE;
    }
    if (err < 0)
        return err;
    memset(&s, 0, sizeof s);
    s.x = x;
    s.sh = sh;
    s.p = &p;
    s.arena = (apn_arena)APN_ARENA_INIT;
    memset(&st, 0, sizeof st);
    st.s = &s;
    st.fn = fn;
    st.ud = ud;
    st.cell = -1;
    memset(&h, 0, sizeof h);
    h.initialized = XML_SAX2_MAGIC;
    h.startElementNs = sx_start;
    h.endElementNs = sx_end;
    h.characters = sx_text;
    h.ignorableWhitespace = sx_text;
    h.cdataBlock = sx_text;
    h.internalSubset = sax_dtd;
    h.serror = on_xml_error;
    p.sax = &st;
    /* rows are emitted by the handlers; what is left after the end of the
     * document is checked here, before the driver closes the part */
    int fr = apn_xlsx__no_fast ? FAST_NO : sheet_fast(&err, &p, sh->mem, sh->memlen);
    if (fr == FAST_NO + 1) {   /* inflated, declined: libxml2 reads it afresh */
        p.got = 0;
        xr_close(&p);
        fr = FAST_NO;
        if ((err = sax_open(&p, x, sh->member, NULL, 0)) < 0)
            fr = 0;
        p.sax = &st;
    }
    if (fr == FAST_NO)
        err = sax_drive(&p, sh->mem, sh->memlen, &h, sheet_ready, &s);
    if (err == 0 && s.in_row) /* unreachable on well-formed XML, kept for safety */
        err = emit_row(&s, fn, ud);
    if (err == 0 && (s.text.oom || s.sftext.oom || s.v.oom || s.f.oom))
        err = APN_ENOMEM;
    rs_dispose(&s);
    *reread = st.b.dtd;
    return err;
}

int apn_xlsx_read_sheet(apn_xlsx *x, size_t i, apn_xlsx_row_fn fn, void *ud)
{
    if (!x || i >= x->nsheets || !fn)
        return APN_EUSAGE;
    sheet *sh = &x->sheets[i];
    xr p;
    int err;
    apn_free(sh->hidden_cols);
    sh->hidden_cols = NULL;
    sh->nmerges = 0;
    if (!apn_xlsx__use_reader) {
        int reread = 0;
        err = sheet_sax(&reread, x, sh, fn, ud);
        if (!reread)
            return err;
        apn_free(sh->hidden_cols);
        sh->hidden_cols = NULL;
        sh->nmerges = 0;
    }
    if (sh->mem) {
        err = xr_open_memory(&p, x, sh->name, sh->mem, sh->memlen);
    } else {
        err = xr_open_member(&p, x, sh->member);
        if (err == APN_ENOTFOUND) {
            apn_diags_add(x->d, APN_SEV_ERROR, x->path, sh->name,
                          "the sheet's part %s is missing from the workbook; sheet skipped",
                          sh->member ? sh->member : "(none named)");
            return APN_EPARSE;
        }
    }
    if (err < 0)
        return err;
    err = sheet_stream(&p, sh, fn, ud);
    return xr_finish(&p, err);
}

/* ====================================================================
 * container
 * ==================================================================== */

typedef struct rel { const char *id, *type, *target; } rel;
typedef struct rels { rel *v; size_t n, cap; } rels;

static int xdigit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Resolves a relationship target against the folder of its source part
 * ("xl/"): relative or absolute ("/xl/..."), with . and .. and %XX decoded. */
static char *resolve(apn_arena *a, const char *dir, const char *target)
{
    size_t n = strlen(dir) + strlen(target) + 2;
    char *in = apn_arena_alloc(a, n), *out = apn_arena_alloc(a, n);
    if (!in || !out)
        return NULL;
    snprintf(in, n, "%s%s", target[0] == '/' ? "" : dir, target);
    size_t k = 0;
    for (const char *s = in; *s;) {
        while (*s == '/' || *s == '\\')
            s++;
        if (!*s)
            break;
        const char *e = s;
        while (*e && *e != '/' && *e != '\\')
            e++;
        size_t len = (size_t)(e - s);
        if (len == 1 && s[0] == '.') {
            /* nothing */
        } else if (len == 2 && s[0] == '.' && s[1] == '.') {
            while (k > 0 && out[k - 1] != '/')
                k--;
            if (k > 0)
                k--;
            while (k > 0 && out[k - 1] != '/')
                k--;
        } else {
            for (const char *q = s; q < e; q++) {
                int h1, h2;
                if (q[0] == '%' && e - q > 2 && (h1 = xdigit(q[1])) >= 0 &&
                    (h2 = xdigit(q[2])) >= 0 && (h1 | h2)) {
                    out[k++] = (char)(h1 * 16 + h2);
                    q += 2;
                } else {
                    out[k++] = *q;
                }
            }
            out[k++] = '/';
        }
        s = e;
    }
    if (k > 0)
        k--;   /* the trailing slash */
    out[k] = 0;
    return out;
}

/* Reads a .rels part: every Relationship with an internal target, resolved
 * against dir. Returns 0, APN_ENOTFOUND (no such part) or a reported error. */
/* A start tag of a small part: its local name and attributes. Returns 0 to
 * go on, else the read stops with that value. */
typedef int (*elem_fn)(void *ud, const char *name, const asrc *a);

typedef struct px {
    saxbase b;
    elem_fn fn;
    void *ud;
} px;

static void px_start(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **ns, int na, int ndef, const xmlChar **at)
{
    xr *p = ctx;
    px *x = p->sax;
    (void)prefix, (void)uri, (void)ndef;
    if (x->b.err || !name)
        return;
    asrc a = { NULL, ns, nns, at, na };
    sax_stop(p, &x->b, x->fn(x->ud, (const char *)name, &a));
}

/* Calls fn for every start tag of zip member `member`, through the SAX2
 * parser (the reader when the part has a DTD). Returns 0, APN_ENOTFOUND (no
 * such member, nothing reported), fn's value, or a reported error. */
static int part_elements(apn_xlsx *x, const char *member, elem_fn fn, void *ud)
{
    xr p;
    int err, rc;
    if (!apn_xlsx__use_reader) {
        px st = { { 0, 0 }, fn, ud };
        xmlSAXHandler h;
        if ((err = sax_open(&p, x, member, NULL, 0)) < 0)
            return err;
        memset(&h, 0, sizeof h);
        h.initialized = XML_SAX2_MAGIC;
        h.startElementNs = px_start;
        h.internalSubset = sax_dtd;
        h.serror = on_xml_error;
        p.sax = &st;
        err = sax_drive(&p, NULL, 0, &h, NULL, NULL);
        if (!st.b.dtd)   /* else SX_READER: fn's value may be 1 too */
            return err;
    }
    if ((err = xr_open_member(&p, x, member)) < 0)
        return err;
    asrc a = { &p, NULL, 0, NULL, 0 };
    while ((rc = xr_next(&p)) == 1) {
        const xmlChar *nm = xmlTextReaderConstLocalName(p.r);
        if (xmlTextReaderNodeType(p.r) != XML_READER_TYPE_ELEMENT || !nm)
            continue;
        if ((err = fn(ud, (const char *)nm, &a)) != 0)
            break;
    }
    if (err == 0 && rc < 0)
        err = rc;
    return xr_finish(&p, err);
}

typedef struct rels_ctx { rels *out; apn_xlsx *x; const char *dir; } rels_ctx;

static int rels_elem(void *ud, const char *name, const asrc *a)
{
    rels_ctx *c = ud;
    rels *out = c->out;
    char id[256], type[512], target[1024], mode[32];
    if (strcmp(name, "Relationship"))
        return 0;
    if (!get_attr(a, "Id", id, sizeof id) || !get_attr(a, "Target", target, sizeof target))
        return 0;
    if (get_attr(a, "TargetMode", mode, sizeof mode) && !strcmp(mode, "External"))
        return 0;
    if (!get_attr(a, "Type", type, sizeof type))
        type[0] = 0;
    if (apn_grow(&out->v, &out->cap, out->n + 1, sizeof *out->v) < 0)
        return APN_ENOMEM;
    rel *r = &out->v[out->n];
    r->id = apn_arena_strdup(&c->x->arena, id);
    r->type = apn_arena_strdup(&c->x->arena, type);
    r->target = resolve(&c->x->arena, c->dir, target);
    if (!r->id || !r->type || !r->target)
        return APN_ENOMEM;
    out->n++;
    return 0;
}

static int rels_read(rels *out, apn_xlsx *x, const char *member, const char *dir)
{
    rels_ctx c = { out, x, dir };
    return part_elements(x, member, rels_elem, &c);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

static const rel *rel_by_type(const rels *r, const char *suffix)
{
    for (size_t i = 0; i < r->n; i++)
        if (ends_with(r->v[i].type, suffix))
            return &r->v[i];
    return NULL;
}

static int add_sheet(apn_xlsx *x, const char *name, const char *member, int hidden)
{
    if (apn_grow(&x->sheets, &x->capsheets, x->nsheets + 1, sizeof *x->sheets) < 0)
        return APN_ENOMEM;
    sheet *sh = &x->sheets[x->nsheets];
    memset(sh, 0, sizeof *sh);
    sh->name = apn_arena_strdup(&x->arena, name);
    sh->member = member ? apn_arena_strdup(&x->arena, member) : NULL;
    sh->hidden = hidden;
    if (!sh->name || (member && !sh->member))
        return APN_ENOMEM;
    x->nsheets++;
    return 0;
}

/* Reads workbook.xml: sheet names, states and relationship ids in tab order.
 * Sheets keep their r:id in `member` until resolve_sheets replaces it. */
typedef struct wb_ctx { apn_xlsx *x; const char *member; } wb_ctx;

static int workbook_elem(void *ud, const char *tag, const asrc *a)
{
    wb_ctx *c = ud;
    apn_xlsx *x = c->x;
    char name[512], state[32], rid[256];
    if (strcmp(tag, "sheet"))
        return 0;
    if (!get_attr(a, "name", name, sizeof name)) {
        apn_diags_add(x->d, APN_SEV_WARNING, x->path, c->member, "a sheet without a name; "
                      "ignored");
        return 0;
    }
    int hidden = get_attr(a, "state", state, sizeof state) &&
                 (!strcmp(state, "hidden") || !strcmp(state, "veryHidden"));
    if (!get_attr_ns(a, "id", 1, rid, sizeof rid))
        rid[0] = 0;
    int err = add_sheet(x, name, rid, hidden);
    return err < 0 ? err : 0;
}

static int workbook_read(apn_xlsx *x, const char *member)
{
    wb_ctx c = { x, member };
    return part_elements(x, member, workbook_elem, &c);
}

static int load_sst(apn_xlsx *x, const char *member)
{
    xr p;
    int err = xr_open_member(&p, x, member);
    if (err == APN_ENOTFOUND)
        return 0;
    if (err < 0)
        return err;
    err = sst_parse(&p);
    return xr_finish(&p, err);
}

static int open_parts(apn_xlsx *x)
{
    rels root = { 0, 0, 0 }, wbr = { 0, 0, 0 };
    const char *wb = "xl/workbook.xml";
    int err = rels_read(&root, x, "_rels/.rels", "");
    if (err < 0 && err != APN_ENOTFOUND)
        goto cleanup;
    const rel *od = rel_by_type(&root, "/officeDocument");
    if (od && find_member(x, od->target) >= 0)
        wb = od->target;
    if (find_member(x, wb) < 0) {
        apn_diags_add(x->d, APN_SEV_ERROR, x->path, "", "no workbook part (%s) in the zip: "
                      "not a spreadsheet", wb);
        err = APN_EPARSE;
        goto cleanup;
    }
    /* xl/workbook.xml -> folder "xl/", relationships "xl/_rels/workbook.xml.rels" */
    const char *slash = strrchr(wb, '/');
    size_t dlen = slash ? (size_t)(slash - wb + 1) : 0;
    char *dir = apn_arena_strndup(&x->arena, wb, dlen);
    char *relsname = apn_arena_printf(&x->arena, "%s_rels/%s.rels", dir ? dir : "", wb + dlen);
    if (!dir || !relsname) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    err = rels_read(&wbr, x, relsname, dir);
    if (err < 0 && err != APN_ENOTFOUND)
        goto cleanup;
    int norels = err == APN_ENOTFOUND;
    if ((err = workbook_read(x, wb)) < 0)
        goto cleanup;
    if (norels && x->nsheets)
        apn_diags_add(x->d, APN_SEV_WARNING, x->path, relsname, "missing: sheets assumed to "
                      "be %sworksheets/sheet1.xml, sheet2.xml ... in tab order", dir);
    for (size_t i = 0; i < x->nsheets; i++) {
        sheet *sh = &x->sheets[i];
        const char *rid = sh->member;
        sh->member = NULL;
        for (size_t k = 0; k < wbr.n && !sh->member; k++)
            if (!strcmp(wbr.v[k].id, rid))
                sh->member = wbr.v[k].target;
        if (norels && !(sh->member = apn_arena_printf(&x->arena, "%sworksheets/sheet%zu.xml",
                                                      dir, i + 1))) {
            err = APN_ENOMEM;
            goto cleanup;
        }
        if (!sh->member)
            apn_diags_add(x->d, APN_SEV_WARNING, x->path, sh->name, "%s names no relationship "
                          "\"%s\" for this sheet; it cannot be read", relsname, rid);
        else if (find_member(x, sh->member) < 0)
            apn_diags_add(x->d, APN_SEV_WARNING, x->path, sh->name, "the sheet's part %s is not "
                          "in the zip; it cannot be read", sh->member);
    }
    const rel *ss = rel_by_type(&wbr, "/sharedStrings");
    const char *sstname = ss ? ss->target : apn_arena_printf(&x->arena, "%ssharedStrings.xml", dir);
    if (!sstname) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    err = load_sst(x, sstname);
cleanup:
    apn_free(root.v);
    apn_free(wbr.v);
    return err;
}

/* ====================================================================
 * public API
 * ==================================================================== */

int apn_xlsx__new_empty(apn_xlsx **out, const char *path, const apn_xlsx_limits *lim,
                        apn_diags *d)
{
    *out = NULL;
    apn_xlsx *x = apn_calloc(1, sizeof *x);
    if (!x)
        return APN_ENOMEM;
    x->arena = (apn_arena)APN_ARENA_INIT;
    x->sst_pool = (apn_buf)APN_BUF_INIT;
    x->d = d;
    x->path = apn_strdup(path ? path : "");
    if (!x->path) {
        apn_free(x);
        return APN_ENOMEM;
    }
    x->lim.max_member = (size_t)64 << 20;
    x->lim.max_total = (size_t)256 << 20;
    x->lim.max_cols = 16384;
    x->lim.max_rows = 1048576;
    if (lim) {
        if (lim->max_member) x->lim.max_member = lim->max_member;
        if (lim->max_total) x->lim.max_total = lim->max_total;
        if (lim->max_cols && lim->max_cols < 16384) x->lim.max_cols = lim->max_cols;
        if (lim->max_rows && lim->max_rows < 1048576) x->lim.max_rows = lim->max_rows;
    }
    *out = x;
    return 0;
}

int apn_xlsx_open_memory(apn_xlsx **out, const void *data, size_t len, const char *path,
                         const apn_xlsx_limits *lim, apn_diags *d)
{
    apn_xlsx *x = NULL;
    zip_source_t *src = NULL;
    zip_error_t ze;
    zip_error_init(&ze);
    *out = NULL;
    int oom0 = d->oom;
    int err = apn_xlsx__new_empty(&x, path, lim, d);
    if (err < 0)
        goto cleanup;
    if (!(src = zip_source_buffer_create(data, len, 0, &ze))) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    if (!(x->za = zip_open_from_source(src, ZIP_RDONLY, &ze))) {
        apn_diags_add(d, APN_SEV_ERROR, x->path, "", "not a readable workbook: %s (not a zip "
                      "archive, or truncated)", zip_error_strerror(&ze));
        err = zip_error_code_zip(&ze) == ZIP_ER_MEMORY ? APN_ENOMEM : APN_EPARSE;
        goto cleanup;
    }
    src = NULL;   /* the archive owns it now */
    if ((err = open_parts(x)) < 0)
        goto cleanup;
    if (d->oom && !oom0) {   /* a warning was lost */
        err = APN_ENOMEM;
        goto cleanup;
    }
    *out = x;
    x = NULL;
cleanup:
    if (src)
        zip_source_free(src);
    zip_error_fini(&ze);
    apn_xlsx_free(x);
    return err;
}

void apn_xlsx_free(apn_xlsx *x)
{
    if (!x)
        return;
    if (x->za)
        zip_discard(x->za);
    for (size_t i = 0; i < x->nsheets; i++) {
        apn_free(x->sheets[i].hidden_cols);
        apn_free(x->sheets[i].merges);
    }
    apn_free(x->sheets);
    apn_buf_dispose(&x->sst_pool);
    apn_free(x->sst_off);
    apn_arena_dispose(&x->arena);
    apn_free(x->path);
    apn_free(x);
}

size_t apn_xlsx_nsheets(const apn_xlsx *x) { return x ? x->nsheets : 0; }

const char *apn_xlsx_sheet_name(const apn_xlsx *x, size_t i)
{
    return x && i < x->nsheets ? x->sheets[i].name : NULL;
}

int apn_xlsx_sheet_hidden(const apn_xlsx *x, size_t i)
{
    return x && i < x->nsheets ? x->sheets[i].hidden : 0;
}

int apn_xlsx_col_hidden(const apn_xlsx *x, size_t i, unsigned col)
{
    if (!x || i >= x->nsheets || !x->sheets[i].hidden_cols || col >= x->lim.max_cols)
        return 0;
    return (x->sheets[i].hidden_cols[col / 8] >> (col % 8)) & 1;
}

const apn_range *apn_xlsx_merges(const apn_xlsx *x, size_t i, size_t *n)
{
    if (!x || i >= x->nsheets) {
        *n = 0;
        return NULL;
    }
    *n = x->sheets[i].nmerges;
    return x->sheets[i].merges;
}

const char *apn_xlsx__sheet_member(const apn_xlsx *x, size_t i)
{
    return x && i < x->nsheets ? x->sheets[i].member : NULL;
}

int apn_xlsx__load_sst_memory(apn_xlsx *x, const void *xml, size_t len)
{
    xr p;
    int err = xr_open_memory(&p, x, "xl/sharedStrings.xml", xml, len);
    if (err < 0)
        return err;
    err = sst_parse(&p);
    return xr_finish(&p, err);
}

int apn_xlsx__add_sheet_memory(size_t *index, apn_xlsx *x, const char *name, const void *xml,
                               size_t len)
{
    int err = add_sheet(x, name, NULL, 0);
    if (err < 0)
        return err;
    *index = x->nsheets - 1;
    x->sheets[*index].mem = xml;
    x->sheets[*index].memlen = len;
    return 0;
}
