/* model — normalisation: documents in, checklists, requirements and offerings out.
 *
 * Implements DESIGN §3: checklist identity (programme, competency or FTR variant,
 * track, release) from titles and paths, one checklist per identity whatever
 * mix of pages and workbooks describes it, canonical requirement IDs, wording
 * per checklist and a representative wording per requirement, prerequisites as
 * edges (FTR -> every FTR variant present; another competency -> its checklist on
 * the same track), the three offerings through prerequisite closure (bitsets),
 * prefix counts and pairwise overlaps, answers of filled workbooks.
 *
 * apn_model borrows the documents (apn_doc) given to apn_model_build: they must
 * outlive it. Everything else it owns, freed by apn_model_dispose. Output order
 * depends only on the inputs' content and relative paths, never on the order
 * the documents were given in (ids come from sorted keys).
 */
#ifndef APN_MODEL_H
#define APN_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "alloc.h"
#include "doc.h"
#include "map.h"

typedef struct apn_side_row { const char *a, *b, *c; } apn_side_row;

/* The side files of the build roots, merged (strings in the arena). */
typedef struct apn_side {
    apn_side_row *cat; size_t ncat, capcat;        /* categories.csv: slug, category */
    apn_side_row *alias; size_t nalias, capalias;  /* aliases.csv: name, slug */
    apn_side_row *man; size_t nman, capman;        /* manifest.csv: path, url, coverage */
    apn_arena arena;
} apn_side;

typedef struct m_creq {        /* a requirement as one checklist words it */
    size_t req;                /* index into model.reqs */
    const char *title, *description, *section, *locus;
    int customer_example;
    size_t doc;                /* index into model.docs of the wording's source */
} m_creq;

typedef struct m_prereq {
    long requires;             /* checklist index, or -1 for a text prerequisite */
    const char *label, *text, *locus;
} m_prereq;

typedef struct m_checklist {
    const char *programme;     /* Competency, FTR, Service Delivery, Service Ready, MSP */
    const char *slug;          /* competency slug (NULL for FTR) */
    const char *variant;       /* FTR variant or NULL */
    const char *track;         /* services / software */
    const char *validity;
    const char *name;
    const char *coverage;      /* complete / partial / NULL */
    int release_key;           /* YYYYMM of the validity start; 0 unknown */
    int newest;
    long competency;           /* index into model.comps or -1 */
    long page;                 /* index into model.docs of the main page, or -1 */
    size_t *docs; size_t ndocs, capdocs;
    m_creq *reqs; size_t nreqs, capreqs;
    m_prereq *prereqs; size_t nprereqs, capprereqs;
    uint64_t *set;             /* own requirement set (bitset over model.reqs) */
} m_checklist;

typedef struct m_comp { const char *slug, *name, *category; } m_comp;

typedef struct m_req {
    const char *id, *prefix, *title, *description;
    int title_rank;            /* how good the representative wording's source is */
    size_t title_pathlen;
    const char *title_path;
} m_req;

typedef struct m_docinfo {
    apn_doc *doc;
    const char *relpath;       /* document.path */
    long checklist;            /* index or -1 */
    const char *lang;          /* stated, from a /<lang>/ folder, or guessed from the script */
    int translation;
    int rank;                  /* 0 English page, 1 workbook, 2 translation */
} m_docinfo;

typedef struct m_offrow {      /* one row of offering_requirement */
    size_t comp, req, checklist;
    long via;                  /* checklist index of the first hop, or -1 (own) */
    int customer_example;
    int offering;              /* 0 saas, 1 customer-deployed, 2 services */
} m_offrow;

typedef struct m_offering { size_t comp; int offering; size_t checklist; int partial; uint64_t *set; } m_offering;

typedef struct apn_model {
    apn_arena arena;
    m_docinfo *docs; size_t ndocs;
    m_comp *comps; size_t ncomps, capcomps;
    m_checklist *cls; size_t ncls, capcls;
    m_req *reqs; size_t nreqs, capreqs;
    size_t nwords;             /* bitset words over reqs */
    m_offering *offs; size_t noffs, capoffs;
    m_offrow *rows; size_t nrows, caprows;
    const char **alias_name; size_t *alias_comp; size_t nalias;
    apn_diags diags;           /* findings of normalisation */
    int oom;                   /* sticky: a helper could not allocate (build returns APN_ENOMEM) */
} apn_model;

extern const char *const apn_offering_names[3];

/* Builds the model from docs (borrowed; rejected ones are skipped) and side
 * files. relpaths[i] is document i's path relative to its build root. Returns
 * 0 or APN_ENOMEM; findings go to model->diags. */
int apn_model_build(apn_model *m, apn_doc **docs, const char **relpaths, size_t ndocs,
                    const apn_side *side);
void apn_model_dispose(apn_model *m);
void apn_side_dispose(apn_side *s);

#endif
