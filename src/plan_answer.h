/* plan_answer — what apn_plan_run gives: the answer's table and what each row
 * explains, and its writers.
 *
 * struct apn_plan (the public, opaque apn_plan) holds the offering it was
 * computed over (plan_load.h), the answer as a table of the contract's columns
 * (filled by the modes of plan.c), and per row the competencies its steps
 * explain: seq[off[r] .. off[r+1]), of which the first ctx[r] are context (done
 * before the row's own steps: the first of a pair, the earlier steps of an
 * order). The writers turn those into JSON "steps" lists and the table
 * format's explanation lines; left[0..nleft) are the candidates left out
 * (partial checklists). Everything is owned by the plan (apn_plan_free).
 */
#ifndef APN_PLAN_ANSWER_H
#define APN_PLAN_ANSWER_H

#include <stddef.h>

#include <apnmap/plan.h>
#include <apnmap/table.h>

#include "plan_load.h"

struct apn_plan {
    apn_plan_data d;
    apn_plan_mode mode;
    apn_table *t;
    int partial;
    size_t *seq, nseq, capseq;
    size_t *off, *ctx, nrows, caprows;
    size_t *left, nleft;       /* candidates left out (competency indices) */
};

#define APN_PLAN_LEFT_PARTIAL "partial: cost unknown"

/* Records the explanation of the row just added: comps[0..n), of which the
 * first nctx are context. Returns 0 or APN_ENOMEM. */
int apn_plan__explain(apn_plan *p, const size_t *comps, size_t n, size_t nctx);

#endif
