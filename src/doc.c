/* doc — the document record. See doc.h. */
#include "doc.h"

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
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    apn_diags_add(&doc->diags, sev, doc->path, locus, "%s", msg);
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
