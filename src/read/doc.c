/* doc — the document record. See doc.h. */
#include "read/doc.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

int apn_doc_init(apn_doc *doc, const char *path)
{
    memset(doc, 0, sizeof *doc);
    doc->path = apn_arena_strdup(&doc->arena, path ? path : "");
    return doc->path ? 0 : APN_ENOMEM;
}

void apn_doc_dispose(apn_doc *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->nprereqs; i++)
        apn_free(doc->prereqs[i].links);
    apn_free(doc->prereqs);
    apn_free(doc->items);
    apn_free(doc->downloads);
    apn_diags_dispose(&doc->diags);
    apn_arena_dispose(&doc->arena);
    memset(doc, 0, sizeof *doc);
}

#define ADD(arr, n, cap)                                              \
    do {                                                              \
        if (apn_grow(&(arr), &(cap), (n) + 1, sizeof *(arr)) < 0)     \
            return NULL;                                              \
        memset(&(arr)[(n)], 0, sizeof *(arr));                        \
        return &(arr)[(n)++];                                         \
    } while (0)

apn_item *apn_doc_add_item(apn_doc *doc) { ADD(doc->items, doc->nitems, doc->capitems); }
apn_prereq *apn_doc_add_prereq(apn_doc *doc) { ADD(doc->prereqs, doc->nprereqs, doc->capprereqs); }
apn_link *apn_doc_add_download(apn_doc *doc) { ADD(doc->downloads, doc->ndownloads, doc->capdownloads); }
apn_link *apn_prereq_add_link(apn_prereq *p) { ADD(p->links, p->nlinks, p->caplinks); }

const char *apn_doc_str(apn_doc *doc, const char *s) { return apn_arena_strdup(&doc->arena, s); }

const char *apn_doc_strn(apn_doc *doc, const char *s, size_t n)
{
    return apn_arena_strndup(&doc->arena, s, n);
}

void apn_doc_diag(apn_doc *doc, apn_severity sev, const char *locus, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    apn_diags_vadd(&doc->diags, sev, doc->path, locus, fmt, ap);
    va_end(ap);
}

apn_met apn_met_parse(const char *s, int *unknown)
{
    char t[32];
    size_t n = 0;
    if (unknown)
        *unknown = 0;
    if (!s)
        return APN_MET_NONE;
    while (*s && isspace((unsigned char)*s))
        s++;
    /* keep letters only, lower-cased: "N/A" -> "na", "Not-Applicable" -> "notapplicable" */
    for (; *s && n < sizeof t - 1; s++)
        if (isalpha((unsigned char)*s) || (unsigned char)*s >= 0x80)
            t[n++] = (char)tolower((unsigned char)*s);
    t[n] = 0;
    if (!strcmp(t, "yes") || !strcmp(t, "y") || !strcmp(t, "true"))
        return APN_MET_YES;
    if (!strcmp(t, "no") || !strcmp(t, "n") || !strcmp(t, "false"))
        return APN_MET_NO;
    if (!strcmp(t, "na") || !strcmp(t, "notapplicable"))
        return APN_MET_NA;
    if (n && strcmp(t, "select") && unknown)
        *unknown = 1;
    return APN_MET_NONE;
}

const char *apn_met_name(apn_met m)
{
    switch (m) {
    case APN_MET_YES: return "yes";
    case APN_MET_NO: return "no";
    case APN_MET_NA: return "na";
    default: return NULL;
    }
}

static void describe_str(apn_buf *out, const char *label, const char *s)
{
    apn_buf_printf(out, "%s=%s%s%s\n", label, s ? "\"" : "", s ? s : "NULL", s ? "\"" : "");
}

static void describe_links(apn_buf *out, const char *label, const apn_link *l, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        describe_str(out, label, l[i].href);
        describe_str(out, "  text", l[i].text);
    }
}

void apn_doc_describe(apn_buf *out, const apn_doc *d)
{
    apn_buf_printf(out, "format=%d rejected=%d\n", (int)d->format, d->rejected);
    describe_str(out, "lang", d->lang);
    describe_str(out, "title", d->title);
    describe_str(out, "subtitle", d->subtitle);
    describe_str(out, "validity", d->validity);
    describe_str(out, "version", d->version);
    describe_links(out, "download", d->downloads, d->ndownloads);
    for (size_t i = 0; i < d->nprereqs; i++) {
        const apn_prereq *p = &d->prereqs[i];
        describe_str(out, "prereq", p->locus);
        describe_str(out, "  number", p->number);
        describe_str(out, "  title", p->title);
        describe_str(out, "  text", p->text);
        describe_links(out, "  link", p->links, p->nlinks);
    }
    for (size_t i = 0; i < d->nitems; i++) {
        const apn_item *it = &d->items[i];
        apn_buf_printf(out, "item kind=%d customer_example=%d answered=%d met=%d\n", (int)it->kind,
                       it->customer_example, it->answered, (int)it->met);
        describe_str(out, "  raw_id", it->raw_id);
        describe_str(out, "  title", it->title);
        describe_str(out, "  description", it->description);
        describe_str(out, "  section", it->section);
        describe_str(out, "  locus", it->locus);
        describe_str(out, "  response", it->response);
    }
    for (size_t i = 0; i < d->diags.n; i++) {
        const apn_diag *g = &d->diags.v[i];
        apn_buf_printf(out, "diag %d %s: %s: %s\n", (int)g->severity, g->path, g->locus, g->message);
    }
}
