/* fetch_links — the <a href> links of a page, for fetch's crawl. See fetch_links.h.
 *
 * libxml2's HTML parser, as htmlReadMemory reads (encoding from the page,
 * recovery from broken markup), with a SAX handler of start tags in place of
 * its tree builder: memory is the links kept, at most the caller's bound.
 */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/globals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <apnmap/common.h>

#include "util/alloc.h"
#include "fetch_int.h"
#include "fetch_links.h"

/* libxml2 reports some problems (encoding errors) through its global handlers
 * even with HTML_PARSE_NOERROR: the library never prints, so they are muted
 * around the parse and restored after. */
static void mute_generic(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static void mute_structured(void *ctx, xmlError *err)
{
    (void)ctx;
    (void)err;
}

void apn_fetch__links_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        apn_free(v[i]);
    apn_free(v);
}

/* What the SAX handler collects: the raw href of each <a> (up to max) and of
 * the first <base> that has one. No tree is built: memory is the hrefs kept. */
typedef struct linkscan {
    htmlParserCtxtPtr ctxt;
    char **raw;
    size_t n, cap, max, more;
    char *base;
    int base_seen, err;
} linkscan;

static void on_link_start(void *ud, const xmlChar *xname, const xmlChar **attrs)
{
    linkscan *s = ud;
    const char *name = (const char *)xname;
    int is_a = !strcasecmp(name, "a"), is_base = !s->base_seen && !strcasecmp(name, "base");
    const char *href = NULL;
    if (s->err || !attrs || (!is_a && !is_base))
        return;
    for (size_t i = 0; attrs[i]; i += 2)
        if (!strcasecmp((const char *)attrs[i], "href")) {
            href = attrs[i + 1] ? (const char *)attrs[i + 1] : "";
            break;
        }
    if (!href)
        return;
    if (is_base) {
        s->base_seen = 1;
        if (!(s->base = apn_strdup(href)))
            s->err = APN_ENOMEM;
    } else if (s->n >= s->max) {
        s->more++;
    } else if (apn_grow(&s->raw, &s->cap, s->n + 1, sizeof *s->raw) < 0 ||
               !(s->raw[s->n] = apn_strdup(href))) {
        s->err = APN_ENOMEM;
    } else {
        s->n++;
    }
    if (s->err)
        xmlStopParser(s->ctxt);
}

int apn_fetch__links(char ***out, size_t *n, size_t *more, const char *html, size_t len,
                     const char *page_url, size_t max)
{
    linkscan s;
    char **v = NULL, *base = NULL;
    size_t cnt = 0;
    int err = 0;
    memset(&s, 0, sizeof s);
    s.max = max;
    *out = NULL;
    *n = 0;
    *more = 0;
    if (len > INT32_MAX)
        return APN_ELIMIT;
    if (len == 0)
        return 0;   /* nothing to parse (libxml2 makes no context for it) */
    xmlGenericErrorFunc old_generic = xmlGenericError;
    void *old_generic_ctx = xmlGenericErrorContext;
    xmlStructuredErrorFunc old_structured = xmlStructuredError;
    void *old_structured_ctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(NULL, mute_generic);
    xmlSetStructuredErrorFunc(NULL, mute_structured);
    /* htmlReadMemory's reading (encoding from the page), with a SAX handler of
     * start tags in place of the tree builder */
    s.ctxt = htmlCreateMemoryParserCtxt(html, (int)len);
    htmlSAXHandler *sax = s.ctxt ? xmlMalloc(sizeof *sax) : NULL;
    if (sax) {
        memset(sax, 0, sizeof *sax);
        sax->startElement = on_link_start;
        sax->serror = mute_structured;
        sax->initialized = XML_SAX2_MAGIC;
        xmlFree(s.ctxt->sax);
        s.ctxt->sax = sax;
        s.ctxt->userData = &s;
        htmlCtxtUseOptions(s.ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                       HTML_PARSE_NONET | HTML_PARSE_NOIMPLIED);
        htmlParseDocument(s.ctxt);
    }
    xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
    xmlSetStructuredErrorFunc(old_structured_ctx, old_structured);
    if (!sax || s.ctxt->errNo == XML_ERR_NO_MEMORY)
        err = s.err ? s.err : APN_ENOMEM;
    else
        err = s.err;
    if (err < 0)
        goto cleanup;
    /* <base href> (the first one) changes what relative links resolve against */
    if (s.base && (err = apn_fetch__resolve(&base, page_url, s.base)) != APN_ENOMEM)
        err = 0;
    if (err < 0)
        goto cleanup;
    if (s.n && !(v = apn_calloc(s.n, sizeof *v))) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < s.n; i++) {
        int e = apn_fetch__resolve(&v[cnt], base ? base : page_url, s.raw[i]);
        if (e == APN_ENOMEM) {
            err = e;
            goto cleanup;
        }
        if (e == 0)
            cnt++;
    }
    *out = v;
    *n = cnt;
    *more = s.more;
    v = NULL;
    cnt = 0;
cleanup:
    apn_fetch__links_free(v, cnt);
    apn_fetch__links_free(s.raw, s.n);
    apn_free(s.base);
    apn_free(base);
    if (s.ctxt) {
        if (s.ctxt->myDoc)
            xmlFreeDoc(s.ctxt->myDoc);
        htmlFreeParserCtxt(s.ctxt);
    }
    return err;
}
