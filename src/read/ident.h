/* ident — which checklist a document describes, and which offerings it is part of.
 *
 * A checklist's identity (docs/design.md §3) is its programme (Competency, FTR, Service
 * Delivery, Service Ready, MSP), its competency (a name from the title, a slug
 * from a /competency/<slug>/ path) or FTR variant, its track (services or
 * software) and its release (the validity's start month). apn_ident_read reads
 * it from a document's title, subtitle, relative path and URL; model.c names
 * checklists by it (turning a name into a slug with aliases.csv when the path has
 * none), met.c decides by it which offerings a filled workbook answers.
 * apn_ident_offerings is the one rule for which checklists an offering is built
 * from (model.c's prerequisite closure and the answers' track rule both use it).
 *
 * Programme, variant and track are static strings; name and slug are copied
 * into the caller's arena. The helpers that return arena strings return NULL
 * both for "not there" and for out of memory, and then set *oom (sticky).
 */
#ifndef APN_IDENT_H
#define APN_IDENT_H

#include "read/doc.h"
#include "util/alloc.h"

typedef struct apn_ident {
    const char *programme;   /* "Competency", "FTR", "Service Delivery", "Service Ready", "MSP" */
    const char *name;        /* competency name from the title ("Security"), or NULL */
    const char *slug;        /* from a /competency/<slug>/ path or URL, or NULL */
    const char *variant;     /* FTR: partner-hosted, customer-deployed, alternative, service-offering */
    const char *track;       /* "services" or "software" */
    int release_key;         /* YYYYMM of the validity's start; 0 unknown */
} apn_ident;

/* Reads the identity of d (relpath as under the build root, url and validity
 * may be NULL). Returns 0, APN_ENOTFOUND when the document names no checklist
 * (then *id holds what was found, without meaning), or APN_ENOMEM. */
int apn_ident_read(apn_ident *id, const apn_doc *d, const char *relpath, const char *url,
                   const char *validity, apn_arena *ar);

/* The offerings, as bits, that a checklist of this identity belongs to: an FTR
 * variant to its own offering (partner-hosted: saas, customer-deployed:
 * customer-deployed, service-offering: services, alternative: none), any other
 * checklist by its track (software: saas and customer-deployed, services:
 * services). 0 when programme is NULL. */
#define APN_OFFER_SAAS              1u
#define APN_OFFER_CUSTOMER_DEPLOYED 2u
#define APN_OFFER_SERVICES          4u
unsigned apn_ident_offerings(const char *programme, const char *variant, const char *track);
/* The bit of an offering by its index (0 saas, 1 customer-deployed, 2 services). */
#define APN_OFFER_BIT(i) (1u << (i))

/* "February 2026-August 2026" -> 202602; 0 when no month and year are found. */
int apn_ident_release_key(const char *validity);
/* The slug after "competency/" in a path or URL path ("competency/widgets/..."). */
const char *apn_ident_path_slug(apn_arena *ar, int *oom, const char *path);
/* The text between "AWS " and " <word>" (e.g. " Competency"), trimmed. */
const char *apn_ident_name_before(apn_arena *ar, int *oom, const char *text, const char *word);
/* Case-insensitive strstr; NULL when either is NULL. */
const char *apn_ident_find(const char *hay, const char *needle);

#endif
