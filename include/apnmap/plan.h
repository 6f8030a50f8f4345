/* apn_plan — the planner: the cheapest next competencies, sets and orders.
 *
 * Reads an offering's requirement sets from the database, takes what is done
 * (held competencies, a filled self-assessment), weighs requirements (default 1,
 * or a prefix_or_id,cost file) and answers one question per run: --next, --best,
 * --budget, --order or --pairs (docs/design.md §5, docs/plan.md). Exact answers come from
 * a MIP solver with a time limit or, for --order, dynamic programming; answers
 * not proven optimal say so. apn_plan_run gives an owned apn_plan (apn_plan_free);
 * its table and findings are borrowed from it. Problems with the inputs (unknown
 * names, bad weights rows, an empty workbook) go to diags with their locus.
 */
#ifndef APNMAP_PLAN_H
#define APNMAP_PLAN_H

#include <stddef.h>
#include <stdio.h>

#include "common.h"

#include "db.h"
#include "table.h"

struct apn_diags;

typedef enum {
    APN_PLAN_NEXT = 0,   /* rank,competency,offering,new,total */
    APN_PLAN_BEST,       /* competencies,offering,new,optimal */
    APN_PLAN_BUDGET,     /* competencies,offering,new,count,optimal */
    APN_PLAN_ORDER,      /* step,competency,new,cumulative */
    APN_PLAN_PAIRS       /* rank,first,second,offering,new_second,shared */
} apn_plan_mode;

typedef struct apn_plan_opts {
    apn_plan_mode mode;
    const char *offering;          /* saas, customer-deployed, services; NULL: services */
    long n;                        /* --next N, --best K (>= 1) */
    double budget;                 /* --budget B (> 0) */
    const char *const *targets;    /* --order: competency names */
    size_t ntargets;
    const char *const *have;       /* --have: held competencies (names) */
    size_t nhave;
    const char *met_path;          /* --met: a filled self-assessment, or NULL */
    const char *weights_path;      /* --weights: prefix_or_id,cost CSV, or NULL */
    const char *first_category;    /* --pairs filters, NULL: any */
    const char *second_category;
    int include_partial;           /* candidates include partial checklists (lower bounds) */
    double time_limit;             /* seconds for the solver; <= 0: the default (5) */
} apn_plan_opts;
#define APN_PLAN_DEFAULT_TIME_LIMIT 5.0

typedef struct apn_plan apn_plan;

/* Runs one plan. Returns 0 with *out owned, or: APN_EUSAGE (bad options: K < 1,
 * budget <= 0, unknown offering, no targets), APN_ENOTFOUND (a named competency
 * or file does not exist; diags suggests the nearest names), APN_EPARSE (the
 * --met workbook or the weights file was rejected: diags names each problem),
 * APN_EDB, APN_ENOMEM. Notes (K larger than the candidates, the partial
 * checklists left out, what --met contributed) are added to diags as
 * APN_SEV_NOTE. */
int apn_plan_run(apn_plan **out, apn_db *db, const apn_plan_opts *opts, struct apn_diags *diags);
void apn_plan_free(apn_plan *p);

/* The answer as a table of the contract's columns plus evidence_new, partial
 * (and optimal for --order). Borrowed. */
const apn_table *apn_plan_table(const apn_plan *p);
/* 1 when a competency in the answer has a partial checklist (counts are lower bounds). */
int apn_plan_partial(const apn_plan *p);

/* The candidates left out of the answer (a partial checklist without
 * include_partial): their slugs for i < apn_plan_nleft_out, each with its
 * reason ("partial: cost unknown"). Borrowed. */
size_t apn_plan_nleft_out(const apn_plan *p);
const char *apn_plan_left_out(const apn_plan *p, size_t i, const char **reason);

/* Writes the answer: CSV = the table; JSON = the table's objects plus a "steps"
 * array per row (competency, new, cost, reused and evidence requirement lists)
 * and "left_out" (the same list on every row: {competency, reason}); table =
 * aligned columns followed by one explanation line per step (what is new and
 * what it reuses, by prefix, and what the new ones cost when weights make that
 * differ from their count). Returns 0, APN_EIO or APN_ENOMEM. */
int apn_plan_write(const apn_plan *p, FILE *f, apn_format fmt);

#endif
