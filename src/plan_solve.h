/* plan_solve — the planner's algorithmic core, apart from the database.
 *
 * An apn_plan_inst is a set-cover-like instance: ncomp competencies (indexed in
 * slug order, so index order is the lexicographic order of slugs), nreq
 * requirements with a weight each, one bitset per competency, and the bitset of
 * requirements already done. The functions below are pure over an instance and
 * caller arrays; unit tests and benchmarks build instances directly
 * (apn_plan__inst_init, then set bits). The instance owns its arrays
 * (apn_plan__inst_dispose). Equal optima resolve to the lexicographically
 * smallest list of indices (sets compared as sorted lists, orders as sequences).
 */
#ifndef APN_PLAN_SOLVE_H
#define APN_PLAN_SOLVE_H

#include <stddef.h>
#include <stdint.h>

typedef struct apn_plan_inst {
    size_t ncomp, nreq, nw;   /* nw: 64-bit words per set */
    uint64_t *sets;           /* ncomp * nw: the requirements of each competency */
    double *w;                /* nreq weights (>= 0) */
    uint64_t *done;           /* nw: requirements already done */
} apn_plan_inst;

/* Allocates zeroed sets and unit weights. Returns 0 or APN_ENOMEM. */
int apn_plan__inst_init(apn_plan_inst *in, size_t ncomp, size_t nreq);
void apn_plan__inst_dispose(apn_plan_inst *in);
static inline uint64_t *apn_plan__set(const apn_plan_inst *in, size_t c)
{
    return in->sets + c * in->nw;
}

/* Weight of the union of the competencies sel[0..n) minus done: what they need. */
double apn_plan__cost(const apn_plan_inst *in, const size_t *sel, size_t n);
/* Weight of the members of x. */
double apn_plan__weigh(const apn_plan_inst *in, const uint64_t *x);
/* Weight of competency c's set minus (done | have). */
double apn_plan__marginal(const apn_plan_inst *in, size_t c, const uint64_t *have);
/* The tolerance within which two amounts near v are equal. */
double apn_plan__tol(double v);

/* How an answer was reached. */
typedef struct apn_plan_how {
    int optimal;       /* proven optimal (the value; and the tie rule unless tie_open) */
    int tie_open;      /* the value is optimal but the smallest list among equal optima
                          was not confirmed within the time limit */
    int used_mip;      /* the MIP solver ran */
} apn_plan_how;

/* --best: out[0..k) (sorted) = k of the candidates cand[0..ncand) (sorted)
 * minimising apn_plan__cost; *value = that cost. seconds > 0: an exact branch
 * and bound, then the MIP for the rest of the limit when the search did not
 * finish (the best answer found, not marked optimal, when neither proves it);
 * seconds <= 0: greedy only, never marked optimal. Returns 0, APN_ENOMEM or
 * APN_ERROR. */
int apn_plan__best(size_t *out, double *value, apn_plan_how *how, const apn_plan_inst *in,
                   const size_t *cand, size_t ncand, size_t k, double seconds);

/* --budget: the most candidates whose cost stays <= budget, then the cheapest
 * such set, then the smallest list. out needs ncand slots; *count set. */
int apn_plan__budget(size_t *out, size_t *count, double *value, apn_plan_how *how,
                     const apn_plan_inst *in, const size_t *cand, size_t ncand,
                     double budget, double seconds);

/* The same two answers from the MIP alone (what apn_plan__best and
 * apn_plan__budget fall back to when their branch and bound runs out of its
 * share of the time limit), exposed so tests check the MIP path too. */
int apn_plan__mip_best(size_t *out, double *value, apn_plan_how *how, const apn_plan_inst *in,
                       const size_t *cand, size_t ncand, size_t k, double seconds);
int apn_plan__mip_budget(size_t *out, size_t *count, double *value, apn_plan_how *how,
                         const apn_plan_inst *in, const size_t *cand, size_t ncand,
                         double budget, double seconds);

/* --order: out[0..n) = the targets (distinct indices) in the order minimising
 * the sum of completion times, each completion time being the cost of the
 * targets done so far. Exact (dynamic programming over subsets) for n <= 16,
 * otherwise greedy plus bounded local search, marked not optimal. *sum = the
 * objective. */
#define APN_PLAN_ORDER_EXACT_MAX 16
int apn_plan__order(size_t *out, double *sum, apn_plan_how *how, const apn_plan_inst *in,
                    const size_t *targets, size_t n);

#endif
