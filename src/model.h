/* model — normalisation: documents in, checklists, requirements and offerings out.
 *
 * Implements docs/design.md §3: checklist identity (programme, competency or FTR variant,
 * track, release) from titles and paths, one checklist per identity whatever
 * mix of pages and workbooks describes it, canonical requirement IDs, wording
 * per checklist and a representative wording per requirement, prerequisites as
 * edges (FTR -> every FTR variant present; another competency -> its checklist on
 * the same track), the three offerings through prerequisite closure, prefix
 * counts and pairwise overlaps.
 *
 * Streaming: documents are folded in one at a time (apn_model_add, in path
 * order) and may be freed right after; the model keeps only what normalisation
 * needs of each — its identity, prerequisites and a compact record per item
 * (requirement index, position, flags, a hash of the title). The words
 * themselves wait in the store's spill file (util/spill.h: one record per item,
 * found by document index and item position) and are read back when the
 * checklists are written, so memory does not grow with the text of the inputs. apn_model_finish then forms the
 * checklists. The model owns everything it holds; apn_model_dispose frees it.
 * Output order depends only on the inputs' content and relative paths.
 */
#ifndef APN_MODEL_H
#define APN_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "util/alloc.h"
#include "read/doc.h"
#include "read/ident.h"
#include "util/map.h"

typedef struct apn_side_row { const char *a, *b, *c; } apn_side_row;

/* The side files of the build roots, merged (strings in the arena). */
typedef struct apn_side {
    apn_side_row *cat; size_t ncat, capcat;        /* categories.csv: slug, category */
    apn_side_row *alias; size_t nalias, capalias;  /* aliases.csv: name, slug */
    apn_side_row *man; size_t nman, capman;        /* manifest.csv: path, url, coverage */
    apn_arena arena;
} apn_side;

/* Which checklist a document describes (read/ident.h; slug also from a name). */
typedef apn_ident m_ident;

typedef struct m_item {        /* a control item of a document (first occurrence of its ID) */
    uint64_t title_hash;       /* of the title, for "worded differently"; 0 without title */
    uint32_t req;              /* index into model.reqs */
    uint32_t ord : 31;         /* position among the document's items: its spill record */
    uint32_t customer_example : 1;
} m_item;                      /* 16 bytes per item of every document, freed once
                                  apn_model_finish has worded the checklists */

typedef struct m_pseudo {      /* an item without a requirement ID: a text prerequisite */
    const char *label, *description, *locus;
} m_pseudo;

typedef struct m_docprereq {   /* a prerequisite as the document states it */
    const char *title, *text, *locus;
    const char **hrefs; size_t nhrefs;
} m_docprereq;

typedef struct m_docinfo {
    const char *path;          /* as in messages (diagnostics) */
    const char *relpath;       /* document.path */
    const char *url;           /* manifest.csv's, else the document's own (may be NULL) */
    const char *validity, *coverage;
    apn_docformat format;
    int identified;            /* id names a checklist */
    m_ident id;
    long checklist;            /* index or -1 */
    const char *lang;          /* stated, from a /<lang>/ folder, or guessed from the script */
    int translation;
    int rank;                  /* 0 English page, 1 workbook, 2 translation */
    size_t item0, nitems;      /* range of model.items (freed by apn_model_finish) */
    size_t pseudo0, npseudo;   /* range of model.pseudo */
    m_docprereq *prereqs; size_t nprereqs;
} m_docinfo;

typedef struct m_creq {        /* a requirement as one checklist words it */
    uint32_t req;              /* index into model.reqs */
    uint32_t doc;              /* the wording's document (index into model.docs) */
    uint32_t ord : 31;         /* the wording item's position in that document */
    uint32_t customer_example : 1;
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
    int release_key;
    int newest;
    long competency;           /* index into model.comps or -1 */
    long page;                 /* index into model.docs of the main page, or -1 */
    size_t *docs; size_t ndocs, capdocs;
    m_creq *reqs; size_t nreqs, capreqs;
    m_prereq *prereqs; size_t nprereqs, capprereqs;
} m_checklist;

typedef struct m_comp { const char *slug, *name, *category; } m_comp;

typedef struct m_req {
    const char *id, *prefix;
    uint32_t prefix_rank;      /* order of the prefix among all prefixes */
    long wdoc;                 /* representative wording: document index, or -1 */
    uint32_t word;             /* ... and the item's position in it */
    int wrank;                 /* how good that source is (lower is better) */
} m_req;

typedef struct m_offrow {      /* one row of offering_requirement */
    size_t comp, req, checklist;
    long via;                  /* checklist index of the first hop, or -1 (own) */
    int customer_example;
    int offering;              /* 0 saas, 1 customer-deployed, 2 services */
} m_offrow;

typedef struct m_offering {
    size_t comp; int offering; size_t checklist; int partial;
    uint32_t *set; size_t nset;   /* requirement indices, ascending */
} m_offering;

typedef struct apn_model {
    apn_arena arena;
    const apn_side *side;
    apn_side_row *man; size_t nman;  /* manifest.csv merged per path: path, url, coverage */
    apn_map manifest;          /* relpath -> index into man */
    apn_map aliasmap;          /* aliases.csv name, lower case -> its first row in side->alias */
    m_docinfo *docs; size_t ndocs, capdocs;
    m_item *items; size_t nitems, capitems;
    m_pseudo *pseudo; size_t npseudo, cappseudo;
    m_comp *comps; size_t ncomps, capcomps;
    apn_map compmap;           /* slug -> index into comps */
    m_checklist *cls; size_t ncls, capcls;
    apn_map newest;            /* identity key -> index of its newest checklist */
    m_req *reqs; size_t nreqs, capreqs;
    apn_map reqmap;            /* canonical ID -> index into reqs */
    size_t nprefixes;
    m_offering *offs; size_t noffs, capoffs;
    const char **alias_name; size_t *alias_comp; size_t nalias;
    size_t answers;            /* answered controls of filled workbooks */
    uint32_t *seen; size_t capseen;  /* per requirement: last document (index + 1) having it */
    uint8_t *mark;             /* scratch of the finishing pass: one byte per requirement */
    size_t *queue, *hop; uint8_t *visited;  /* scratch of closures: one per checklist */
    apn_diags diags;           /* findings of normalisation */
    int finished;
    int oom;                   /* sticky: a helper could not allocate (returns APN_ENOMEM) */
} apn_model;

extern const char *const apn_offering_names[3];

/* Starts an empty model over the build's side files (borrowed: they must
 * outlive the model). Returns 0 or APN_ENOMEM; either way apn_model_dispose
 * frees what it holds. */
int apn_model_init(apn_model *m, const apn_side *side);

/* Folds one document in (borrowed for the call only), as document index
 * m->ndocs. Rejected documents are not folded (*index = -1). Documents must come
 * in path order (strcmp of relpath) so that indices follow it. Findings go to
 * m->diags. Returns 0 or APN_ENOMEM. */
int apn_model_add(long *index, apn_model *m, const apn_doc *doc, const char *relpath);

/* Forms checklists, requirements in ID order, prerequisite edges and offerings
 * from everything folded in. Returns 0 or APN_ENOMEM. */
int apn_model_finish(apn_model *m);

/* The rows of offering o (index into m->offs) into *rows (grown with apn_grow;
 * the caller frees it), closure order: own requirements first, then each
 * prerequisite hop. Returns the row count, or APN_ENOMEM. */
long apn_model_offering_rows(m_offrow **rows, size_t *cap, apn_model *m, size_t o);

/* All of the above over docs given in any order (sorted here): for tests. */
int apn_model_build(apn_model *m, apn_doc **docs, const char **relpaths, size_t ndocs,
                    const apn_side *side);

void apn_model_dispose(apn_model *m);
void apn_side_dispose(apn_side *s);

#endif
