/* doc — the document record: what one input file says, before normalisation.
 *
 * Both readers (html.c for pages, wb.c for workbooks) fill an apn_doc; the
 * normaliser (model.c) turns a set of them into checklists. The record keeps
 * the document's own words: raw IDs as written, titles, sections, answers.
 * Every string lives in the doc's arena and is freed by apn_doc_dispose; the
 * arrays (items, prereqs, links) are apn_malloc'd and freed there too.
 * Loci name where a thing came from: "#requirement_IAM-001" for a page element,
 * "Sheet!A7" for a cell, "line 12" where there is no better handle.
 */
#ifndef APN_DOC_H
#define APN_DOC_H

#include <stddef.h>

#include <apnmap/common.h>

#include "util/alloc.h"
#include "util/buf.h"

typedef enum { APN_DOC_HTML = 1, APN_DOC_XLSX = 2 } apn_docformat;

typedef enum {
    APN_MET_NONE = 0,  /* unanswered: empty, "Select", "<select>" */
    APN_MET_YES,
    APN_MET_NO,
    APN_MET_NA         /* NA, N/A, Not Applicable: counts as met */
} apn_met;

typedef struct apn_link {
    const char *href;   /* as written in the document (relative or absolute) */
    const char *text;
} apn_link;

/* A prerequisite of the checklist as the document states it. */
typedef struct apn_prereq {
    const char *number;   /* "1.1" (may be NULL) */
    const char *title;    /* "Software Path Membership", "AWS Widgets Competency" */
    const char *text;     /* details as plain text */
    apn_link *links;
    size_t nlinks, caplinks;
    const char *locus;
} apn_prereq;

typedef enum {
    APN_ITEM_CONTROL = 0,  /* an item with an ID meant as a requirement */
    APN_ITEM_PSEUDO        /* a checklist item without a numbered ID ("CIS", "General Availability") */
} apn_itemkind;

typedef struct apn_item {
    apn_itemkind kind;
    const char *raw_id;       /* as written: "IAM-002", "iam–010", "CIS"; never NULL */
    const char *title;        /* heading text after "<ID> - ", or the description's first line */
    const char *description;  /* details / full description as text (may be NULL) */
    const char *section;      /* control category or section row (may be NULL) */
    const char *locus;
    int customer_example;     /* in a customer-example section or sheet: needs fresh evidence */
    /* Answers (filled workbooks only). answered = met != NONE or a response was given. */
    int answered;
    apn_met met;
    const char *response;     /* partner response text (may be NULL) */
} apn_item;

typedef struct apn_doc {
    apn_arena arena;
    const char *path;        /* as shown in messages: relative to the build root */
    const char *url;         /* from manifest.csv when known, else NULL */
    apn_docformat format;
    char sha256[65];         /* hex digest of the file's bytes */
    const char *lang;        /* "en", "ko", ... (NULL: unknown, taken as English) */
    const char *title;       /* h1 / workbook title line: "AWS Security Competency" */
    const char *subtitle;    /* h2: "Service Offering Validation Checklist" (may be NULL) */
    const char *validity;    /* "February 2026-August 2026" (NULL when not stated) */
    const char *version;     /* "2026.1", or the page's release sentence */
    apn_link *downloads;
    size_t ndownloads, capdownloads;
    apn_prereq *prereqs;
    size_t nprereqs, capprereqs;
    apn_item *items;
    size_t nitems, capitems;
    apn_diags diags;         /* findings while reading this document */
    int rejected;            /* the file could not be read at all */
} apn_doc;

/* Prepares doc for the file at path (copied). Returns 0 or APN_ENOMEM. */
int apn_doc_init(apn_doc *doc, const char *path);
void apn_doc_dispose(apn_doc *doc);

/* Append zeroed records; NULL on APN_ENOMEM. Pointers stay valid only until
 * the next append to the same array. */
apn_item *apn_doc_add_item(apn_doc *doc);
apn_prereq *apn_doc_add_prereq(apn_doc *doc);
apn_link *apn_doc_add_download(apn_doc *doc);
apn_link *apn_prereq_add_link(apn_prereq *p);

/* Copies a string into the doc's arena (NULL in, NULL out). */
const char *apn_doc_str(apn_doc *doc, const char *s);
const char *apn_doc_strn(apn_doc *doc, const char *s, size_t n);

/* Records a diagnostic about this document (path filled in). */
void apn_doc_diag(apn_doc *doc, apn_severity sev, const char *locus, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Appends a canonical text of everything the record holds (fields, items,
 * prerequisites, links, diagnostics) to out: two readers of the same bytes agree
 * exactly when their texts do (the differential tests and fuzz targets). */
void apn_doc_describe(apn_buf *out, const apn_doc *doc);

/* Parses an answer cell: "Yes" / "No" / NA spellings -> apn_met. Unanswered
 * ("", "Select", "<select>") and anything else -> APN_MET_NONE; *unknown is set
 * (when not NULL) for text that is neither an answer nor a placeholder.
 * Example: " n/a " -> APN_MET_NA; "Not-Applicable" -> APN_MET_NA. */
apn_met apn_met_parse(const char *s, int *unknown);
const char *apn_met_name(apn_met m);   /* "yes", "no", "na", NULL */

#endif
