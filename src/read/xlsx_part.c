/* xlsx_part — one part of a workbook package, read as XML. See xlsx_part.h.
 *
 * Security: every part is read with XML_PARSE_NONET and without NOENT, DTDLOAD,
 * DTDVALID or HUGE, so no DTD is fetched and no entity is expanded; entity
 * references a DTD declares are dropped (only the predefined ones and character
 * references give text), and a part carrying a DTD gets a warning (OPC forbids
 * DTDs, ECMA-376 Part 2 §8.1.4). libxml2 stops a billion-laughs document with a
 * fatal error, which becomes APN_EPARSE. Members are inflated straight into the
 * parser through a read callback that stops at the member and total caps, so a
 * zip bomb costs at most the cap in CPU and a few KiB of memory, whatever its
 * declared size (which is checked first).
 */
#include "read/xlsx_part.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "read/xlsx_int.h"

#define XML_OPTS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

int apn_xlsx__use_reader;

int apn_xlsx__part_read(void *ctx, char *buf, int len)
{
    apn_xlsx_part *p = ctx;
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
void apn_xlsx__part_error(void *arg, const xmlError *e)
#else
void apn_xlsx__part_error(void *arg, xmlErrorPtr e)
#endif
{
    apn_xlsx_part *p = arg;
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

static void part_setup(apn_xlsx_part *p)
{
    xmlTextReaderSetStructuredErrorHandler(p->r, apn_xlsx__part_error, p);
}

/* The part being read on this thread, for quiet(): libxml2 hands its generic
 * channel the parser context, not the context we registered, whenever it has
 * one (__xmlRaiseError), so the handler must not trust its argument. */
static _Thread_local apn_xlsx_part *quiet_part;

/* libxml2's generic channel while a reader is open: prints nothing, but
 * notes an allocation failure (the error being reported is the last one). */
static void quiet(void *ctx, const char *msg, ...)
{
    apn_xlsx_part *p = quiet_part;
    const xmlError *e = xmlGetLastError();
    (void)ctx, (void)msg;
    if (p && e && e->code == XML_ERR_NO_MEMORY)
        p->oom = 1;
}

/* libxml2 reports some failures (allocation, mostly) outside any parser, to a
 * per-thread handler that prints to stderr; the library never prints, so a
 * silent one is installed while a reader is open (apn_xlsx__part_close restores the old).
 * The per-thread last error is reset so apn_xlsx__part_finish sees only this part's. */
static void xml_prepare(apn_xlsx_part *p)
{
    p->old_gen = xmlGenericError;
    p->old_gen_ctx = xmlGenericErrorContext;
    p->saved_gen = 1;
    p->old_part = quiet_part;
    quiet_part = p;
    xmlSetGenericErrorFunc(p, quiet);
    xmlResetLastError();
}

static void xml_restore(apn_xlsx_part *p)
{
    if (p->saved_gen) {
        xmlSetGenericErrorFunc(p->old_gen_ctx, p->old_gen);
        quiet_part = p->old_part;
    }
    p->saved_gen = 0;
}

zip_int64_t apn_xlsx__find_member(const apn_xlsx *x, const char *name)
{
    if (!x->za || !name)
        return -1;
    zip_int64_t i = zip_name_locate(x->za, name, 0);
    if (i < 0)  /* OPC part names are case-insensitive */
        i = zip_name_locate(x->za, name, ZIP_FL_NOCASE);
    return i;
}

/* Opens zip member `member` for apn_xlsx__part_read, its caps checked. Returns 0,
 * APN_ENOTFOUND (no such member, nothing reported), or APN_ELIMIT / APN_EPARSE
 * reported. */
static int part_open_zip(apn_xlsx_part *p, apn_xlsx *x, const char *member)
{
    memset(p, 0, sizeof *p);
    p->x = x;
    p->member = member;
    p->d_oom0 = x->d->oom;
    p->decl = -1;
    zip_int64_t idx = apn_xlsx__find_member(x, member);
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
int apn_xlsx__part_open(apn_xlsx_part *p, apn_xlsx *x, const char *member)
{
    int err = part_open_zip(p, x, member);
    if (err < 0)
        return err;
    xml_prepare(p);
    p->r = xmlReaderForIO(apn_xlsx__part_read, NULL, p, NULL, NULL, XML_OPTS);
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
    part_setup(p);
    return 0;
}

/* Starts p over a part of len bytes held in memory (tests, fuzzing): refused
 * above the member limit. Returns 0 or APN_ELIMIT (reported). */
static int part_begin(apn_xlsx_part *p, apn_xlsx *x, const char *label, size_t len)
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

int apn_xlsx__part_open_memory(apn_xlsx_part *p, apn_xlsx *x, const char *label,
                               const char *mem, size_t len)
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
    part_setup(p);
    return 0;
}

void apn_xlsx__part_close(apn_xlsx_part *p)
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
int apn_xlsx__part_finish(apn_xlsx_part *p, int err)
{
    const xmlError *e = xmlGetLastError();
    if (err == 0 && (p->oom || (e && e->code == XML_ERR_NO_MEMORY) ||
                     (p->x->d->oom && !p->d_oom0)))
        err = APN_ENOMEM;
    apn_xlsx__part_close(p);
    return err;
}

/* Reports why the reader stopped and returns the code. */
int apn_xlsx__part_fail(apn_xlsx_part *p)
{
    apn_xlsx *x = p->x;
    if (p->oom)
        return APN_ENOMEM;
    if (p->over) {
        apn_diags_add(x->d, APN_SEV_ERROR, x->path, p->member,
                      "member inflates to more than %zu bytes, beyond the %s limit "
                      "(zip bomb?); refused", p->cap,
                      p->cap_is_total ? "workbook's total" : "member");
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
int apn_xlsx__part_next(apn_xlsx_part *p)
{
    int rc = xmlTextReaderRead(p->r);
    if (rc < 0)
        return apn_xlsx__part_fail(p);
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
static int attr(apn_xlsx_part *p, const char *name, int ns, char *buf, size_t len)
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

/* A name in the dictionary of the reader or of the SAX2 parser in use. */
static const xmlChar *iname(apn_xlsx_part *p, const char *s)
{
    return p->r ? xmlTextReaderConstString(p->r, BAD_CAST s)
                : xmlDictLookup(p->ctxt->dict, BAD_CAST s, -1);
}

int apn_xlsx__intern(apn_xlsx_names *n, apn_xlsx_part *p)
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
int apn_xlsx__part_collect(apn_xlsx_part *p, const apn_xlsx_names *n, apn_buf *b, int rich)
{
    int depth = xmlTextReaderDepth(p->r);
    int tdepth = -1, skipdepth = -1;
    for (;;) {
        int rc = apn_xlsx__part_next(p);
        if (rc < 0)
            return rc;
        if (rc == 0)
            return apn_xlsx__part_fail(p);
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


/* Like attr(p, name, ns, buf, len), with what the reader would show: namespace
 * declarations come first (named by their prefix, "xmlns" without one, valued
 * by their URI, in a namespace of their own), and the "&#38;" libxml2 leaves
 * in a SAX2 attribute value for a '&' (no entity substitution) is read as '&'. */
int apn_xlsx__attr_ns(const apn_xlsx_attrs *a, const char *name, int ns, char *buf, size_t len)
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

int apn_xlsx__attr(const apn_xlsx_attrs *a, const char *name, char *buf, size_t len)
{
    return apn_xlsx__attr_ns(a, name, 0, buf, len);
}

void apn_xlsx__sax_stop(apn_xlsx_part *p, apn_xlsx_saxbase *b, int err)
{
    if (err && !b->err) {
        b->err = err;
        if (p->ctxt)   /* none on the fast path */
            xmlStopParser(p->ctxt);
    }
}

void apn_xlsx__sax_dtd(void *ctx, const xmlChar *name, const xmlChar *eid, const xmlChar *sid)
{
    apn_xlsx_part *p = ctx;
    apn_xlsx_saxbase *b = p->sax;
    (void)name, (void)eid, (void)sid;
    b->dtd = 1;
    xmlStopParser(p->ctxt);
}

#define SX_CHUNK 32768
#define APN_XLSX_SAX_READER 1   /* sheet_sax: the part has a DTD, read it with the reader */

/* Opens p over a part for the SAX2 parser: mem when not NULL (tests,
 * fuzzing), else the zip member (APN_ENOTFOUND, nothing reported, when there
 * is none). Returns 0 or a reported error, as apn_xlsx__part_open does. */
int apn_xlsx__sax_open(apn_xlsx_part *p, apn_xlsx *x, const char *member, const char *mem,
                       size_t memlen)
{
    if (!mem)
        return part_open_zip(p, x, member);
    return part_begin(p, x, member, memlen);
}

/* Parses the part p was opened over (apn_xlsx__sax_open) with handlers h, whose state
 * p->sax starts with a apn_xlsx_saxbase; ready, when not NULL, runs once the parser
 * context exists. Returns APN_XLSX_SAX_READER when a DOCTYPE stopped the parse (p is
 * closed, nothing counted against the total), else closes p (apn_xlsx__part_finish) and
 * returns 0 or the first error: a handler's, or a reported one, as the
 * reader's loop would have. */
int apn_xlsx__sax_drive(apn_xlsx_part *p, const char *mem, size_t memlen, xmlSAXHandler *h,
                     int (*ready)(apn_xlsx_part *p, void *ud), void *rud)
{
    apn_xlsx_saxbase *b = p->sax;
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
        nfirst = apn_xlsx__part_read(p, buf, 4);
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
            int n = apn_xlsx__part_read(p, buf, SX_CHUNK);
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
        apn_xlsx__part_close(p);
        apn_free(buf);
        return APN_XLSX_SAX_READER;
    }
    err = b->err;
    if (!err && (ioerr || p->over || p->zerr || !p->ctxt->wellFormed))
        err = apn_xlsx__part_fail(p);
done:
    apn_free(buf);
    return apn_xlsx__part_finish(p, err);
}

