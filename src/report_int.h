/* report_int — the report's model, shared by the files of the report module:
 *
 *   report.c         entry point: the stage every file goes through, the order
 *                    of the work, the listing files (CSV, JSON);
 *   report_load.c    what the page shows, read from the database within bounds
 *                    (the top N competencies of each offering, their
 *                    requirements and wording, prerequisites, reach);
 *   report_charts.c  the gnuplot charts (bars, heat map, hardest, reach) and
 *                    the heat map's clustered order;
 *   report_page.c    the page: its JSON data block (graph, tables, what next
 *                    through the plan API) and the HTML template.
 *
 * Everything in a rep lives in its arena or its tables until rep_dispose; the
 * database handle, diagnostics and options are the caller's (borrowed). Sizes:
 * at most `top` competencies per offering are loaded (APN_REPORT_TOP), and every
 * list that grows with something else (prefixes, checklists, diagnostics) is
 * cut at a stated cap, so memory and the folder are bounded whatever the
 * database holds (docs/report.md, "Bounds").
 */
#ifndef APN_REPORT_INT_H
#define APN_REPORT_INT_H

#include <stddef.h>
#include <stdint.h>

#include <apnmap/apnmap.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/io.h"
#include "util/map.h"

#define REP_NOFF 3
extern const char *const apn_report__offerings[REP_NOFF];   /* saas, customer-deployed, services */

/* A requirement carried by more than this share of an offering's competencies
 * is "common" (the common blocks, the FTR); the others are "specific". The
 * heat map, the bars and the graph's default use it. */
#define REP_SPECIFIC_SHARE 0.5
#define REP_REACH_TOP 30        /* prefixes in the reach chart; the rest in its table */
#define REP_REACH_ROWS 300      /* prefixes in the reach table */
#define REP_TABLE_ROWS 1000     /* checklists and diagnostics on the page and in their files */
#define REP_HEAT_MAX 60         /* competencies in a heat map (the first of the shown) */
#define REP_PLAN_MAX 2500       /* competencies of an offering the page plans for */
#define REP_PAIRS_MAX 400       /* ... and pairs for (the planner's pairs grow with the square) */

typedef struct rep_comp {       /* a competency shown in at least one offering */
    long long id;
    const char *slug, *name, *category;   /* arena; name is the slug when it has none; category "" */
    int in[REP_NOFF];           /* has a checklist in offering o */
    int shown[REP_NOFF];        /* among the top N of offering o */
    int partial[REP_NOFF];
    long total[REP_NOFF];       /* requirements */
    long specific[REP_NOFF];    /* of them specific (share <= REP_SPECIFIC_SHARE) */
    long evidence[REP_NOFF];    /* customer-example requirements */
    const char *checklist[REP_NOFF], *validity[REP_NOFF];
} rep_comp;

typedef struct rep_req {        /* a requirement of a shown competency in an offering */
    size_t comp;
    int off;
    const char *id, *prefix;
    const char *via;            /* the prerequisite checklist it comes through; NULL: own */
    const char *wording;        /* that checklist's wording, workbook cross-references cut */
    int ce;                     /* customer example: fresh evidence per competency */
    long share;                 /* competencies of the offering carrying it (all of them) */
} rep_req;                      /* sorted by comp, off, prefix, id */

typedef struct rep_pre {        /* a prerequisite of a shown competency's checklist */
    size_t comp;
    int off;
    const char *target;         /* the required checklist's name, or NULL (text only) */
    const char *programme, *variant, *label, *text;
    long target_comp;           /* the required checklist's competency (index), or -1 */
    const char *target_slug;    /* its slug even when not shown, or NULL */
} rep_pre;

typedef struct rep_ref {        /* requirement_reference: a CIS or Security Hub control */
    const char *id, *scheme, *ref;
} rep_ref;

typedef struct rep_reach {      /* one prefix of the reach chart and table */
    const char *prefix;
    long reach[REP_NOFF];       /* competencies drawing from it */
    long n[REP_NOFF];           /* requirements with it */
    long best;                  /* max over offerings: the order */
} rep_reach;

typedef struct rep_pair {       /* two shown competencies of an offering */
    size_t a, b;                /* indices into comps, a's slug first */
    long shared, union_size, specific;
    double jaccard;
    int partial;
} rep_pair;

typedef struct rep {
    const char *dir;
    apn_db *db;
    apn_diags *d;
    const apn_report_opts *o;
    size_t top;
    apn_arena a;
    apn_io_stage *stage;
    int oom;                    /* an arena string could not be made (checked at the end) */

    rep_comp *comps;            /* by slug (BINARY) */
    size_t ncomp;
    apn_map by_slug;            /* slug -> index */
    size_t *by_id;              /* comp indices by id */
    size_t npresent[REP_NOFF];  /* competencies of each offering, shown or not */
    size_t nshown[REP_NOFF];
    int limited[REP_NOFF], any_limited, any_partial[REP_NOFF], services_iam;
    size_t ncomp_all;           /* competencies in the database */
    const char **cat_extra;     /* categories other than industry, workload, other: by name */
    size_t ncat_extra;

    rep_req *reqs;
    size_t nreqs;
    size_t *req_at;             /* [comp * REP_NOFF + off]: first row in reqs; req_at[... + 1] ends it */
    rep_pre *pres;
    size_t npres;
    rep_ref *refs;              /* by id */
    size_t nrefs;
    rep_reach *reach;           /* by best reach, then prefix */
    size_t nreach, nprefix_all;
    rep_pair *pairs[REP_NOFF];  /* shown pairs, (a, b) in slug order */
    size_t npairs[REP_NOFF];
    size_t nreq_ids;            /* distinct requirement IDs in offerings (the summary) */

    apn_table *stats, *overlap, *hardest;   /* the listings' rows of shown competencies, + partial */
    apn_table *checklists, *diags;          /* the first REP_TABLE_ROWS */
    size_t nchecklists, ndiags;             /* all of them */

    int charts_drawn;           /* 1 when gnuplot drew the charts */
    const char *charts_missing; /* why not (gnuplot not found), or NULL */
    apn_buf charts_html;        /* <figure>s with their compressed SVG */
    apn_buf path;               /* scratch */
} rep;

/* report.c: files into the stage */
const char *apn_report__path(rep *r, const char *name);   /* dir + "/" + name, scratch */
const char *apn_report__chart_base(rep *r, const char *base);   /* the stage path of base.svg/.png, no extension */
int apn_report__write_file(rep *r, const char *name, const char *data, size_t len);

#endif
