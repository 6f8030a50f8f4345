/* plan_load — an offering read from the database for planning, and what is done.
 *
 * An apn_plan_data holds one offering's competencies (in slug order: the tie
 * rule's order) with their categories and partial flags, its requirements (in ID
 * order) with prefixes and weights, and the instance the solver works on
 * (plan_solve.h: a set per competency, the done set). plan_load.c fills it:
 * apn_plan__load from offering_checklist and offering_requirement, then the
 * weights file, then the answers of the --met files (read/met.h). Everything
 * is owned by the data (strings in its arena); apn_plan__data_dispose frees it.
 */
#ifndef APN_PLAN_LOAD_H
#define APN_PLAN_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include <apnmap/common.h>
#include <apnmap/db.h>

#include "util/alloc.h"
#include "util/map.h"
#include "read/met.h"
#include "plan_solve.h"

typedef struct apn_plan_data {
    apn_arena ar;
    apn_plan_inst in;
    const char *offering;
    size_t ncomp, nreq;
    const char **slug, **cat;  /* ncomp: slugs, categories (NULL when none) */
    int *partial;              /* ncomp: the checklist's closure has partial coverage */
    long long *cid;            /* ncomp: competency.id */
    const char **rid, **rprefix;   /* nreq: requirement IDs and prefixes */
    apn_map rmap;              /* requirement id -> index */
    uint64_t *ce;              /* ncomp * nw: customer-example requirements */
    uint64_t *met;             /* nw: met by --met */
    int integral;              /* every weight an integer: amounts are printed as such */
    int unit;                  /* every weight 1: a step's cost is its count */
    struct apn_plan_cid { long long id; size_t i; } *cidx;   /* ncomp, by id: competency.id -> index */
} apn_plan_data;

void apn_plan__data_dispose(apn_plan_data *d);

/* Reads the offering's competencies and requirement sets into d (zeroed by the
 * caller). Returns 0, APN_EDB (with a diagnostic) or APN_ENOMEM. */
int apn_plan__load(apn_plan_data *d, apn_db *db, const char *offering, apn_diags *dg);

/* Reads the weights file (prefix_or_id,cost) into d's weights: an ID's row wins
 * over its prefix's. Returns 0, APN_EPARSE (every bad row in dg) or APN_ENOMEM. */
int apn_plan__load_weights(apn_plan_data *d, const char *path, apn_diags *dg);

/* Marks done (d->met) the requirements the answers of met say yes or na to,
 * with one note per source. Returns 0 or APN_ENOMEM. */
int apn_plan__apply_met(apn_plan_data *d, const apn_met_set *met, apn_diags *dg);

/* Resolves a name (slug, name or alias) to an index of d, or -1 when the
 * competency exists but does not offer d->offering. Returns 0, APN_ENOTFOUND
 * (a diagnostic suggests the nearest names) or another error. */
int apn_plan__resolve(long *out, apn_db *db, const apn_plan_data *d, const char *name, apn_diags *dg);

/* Evidence still to give for competency c: how many of its customer-example
 * requirements --met did not answer yes or na, counted per competency (shared
 * IDs included: each competency needs its own customer references). */
size_t apn_plan__evidence(const apn_plan_data *d, size_t c);

#endif
