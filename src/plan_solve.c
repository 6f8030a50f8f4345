/* plan_solve — the planner's core over an instance: greedy, branch and bound,
 * the MIP (mip.h, GLPK) and dynamic programming. See plan_solve.h. Knows
 * nothing of the database: plan_load.c builds the instances.
 */
#include "plan_solve.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <apnmap/common.h>

#include "util/alloc.h"
#include "util/bitset.h"
#include "mip.h"

int apn_plan__inst_init(apn_plan_inst *in, size_t ncomp, size_t nreq)
{
    memset(in, 0, sizeof *in);
    in->ncomp = ncomp;
    in->nreq = nreq;
    in->nw = APN_BITSET_WORDS(nreq) ? APN_BITSET_WORDS(nreq) : 1;
    in->sets = apn_calloc(ncomp ? ncomp * in->nw : 1, sizeof *in->sets);
    in->w = apn_calloc(nreq ? nreq : 1, sizeof *in->w);
    in->done = apn_bitset_new(in->nw);
    if (!in->sets || !in->w || !in->done) {
        apn_plan__inst_dispose(in);
        return APN_ENOMEM;
    }
    for (size_t r = 0; r < nreq; r++)
        in->w[r] = 1.0;
    return 0;
}

void apn_plan__inst_dispose(apn_plan_inst *in)
{
    if (!in)
        return;
    apn_free(in->sets);
    apn_free(in->w);
    apn_free(in->done);
    memset(in, 0, sizeof *in);
}

double apn_plan__weigh(const apn_plan_inst *in, const uint64_t *x)
{
    double s = 0;
    for (size_t i = 0; i < in->nw; i++)
        for (uint64_t b = x[i]; b; b &= b - 1)
            s += in->w[i * 64 + (size_t)__builtin_ctzll(b)];
    return s;
}

double apn_plan__marginal(const apn_plan_inst *in, size_t c, const uint64_t *have)
{
    const uint64_t *s = apn_plan__set(in, c);
    double sum = 0;
    for (size_t i = 0; i < in->nw; i++)
        for (uint64_t b = s[i] & ~(in->done[i] | have[i]); b; b &= b - 1)
            sum += in->w[i * 64 + (size_t)__builtin_ctzll(b)];
    return sum;
}

double apn_plan__cost(const apn_plan_inst *in, const size_t *sel, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < in->nw; i++) {   /* word by word: no allocation */
        uint64_t u = 0;
        for (size_t k = 0; k < n; k++)
            u |= apn_plan__set(in, sel[k])[i];
        for (u &= ~in->done[i]; u; u &= u - 1)
            s += in->w[i * 64 + (size_t)__builtin_ctzll(u)];
    }
    return s;
}

double apn_plan__tol(double v) { return 1e-7 * (fabs(v) > 1 ? fabs(v) : 1); }
static double tol(double v) { return apn_plan__tol(v); }

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return x < y ? -1 : x > y;
}

/* Is sorted list a (n) lexicographically smaller than sorted list b (n)? */
static int lex_less(const size_t *a, const size_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return a[i] < b[i];
    return 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Greedy: adds the candidate with the least marginal cost (ties: the first)
 * while fewer than k are chosen and, when budget >= 0, the cost stays within it.
 * Returns how many were chosen (out sorted), or -1 on APN_ENOMEM. */
static long greedy(size_t *out, double *value, const apn_plan_inst *in, const size_t *cand,
                   size_t ncand, size_t k, double budget)
{
    uint64_t *u = apn_bitset_new(in->nw);
    char *taken = apn_calloc(ncand ? ncand : 1, 1);
    size_t n = 0;
    double total = 0;
    if (!u || !taken) {
        apn_free(u);
        apn_free(taken);
        return -1;
    }
    while (n < k) {
        size_t best = SIZE_MAX;
        double bm = HUGE_VAL;
        for (size_t i = 0; i < ncand; i++) {
            if (taken[i])
                continue;
            double m = apn_plan__marginal(in, cand[i], u);
            if (best == SIZE_MAX || m < bm - tol(bm)) {
                bm = m;
                best = i;
            }
        }
        if (best == SIZE_MAX || (budget >= 0 && total + bm > budget + tol(budget)))
            break;
        taken[best] = 1;
        total += bm;
        apn_bitset_or(u, apn_plan__set(in, cand[best]), in->nw);
        out[n++] = cand[best];
    }
    qsort(out, n, sizeof *out, cmp_size);
    *value = apn_plan__cost(in, out, n);
    apn_free(u);
    apn_free(taken);
    return (long)n;
}

/* ---- exact branch and bound -------------------------------------------
 * Depth-first over candidate positions in increasing order (so the first
 * strictly better set found is also the smallest list among its equals). At a
 * node holding union U with r picks left among the eligible candidates E (those
 * after the last pick), any r of them add at least
 *   (sum of the r smallest exclusive parts) + (r-th smallest non-exclusive part)
 * where a candidate's exclusive part is what no other candidate of E holds:
 * exclusive parts of different picks never overlap, and the union is at least
 * the largest single non-exclusive part. With one pick left the bound is exact,
 * so the last level is a scan, not a recursion. */

typedef struct bb {
    const apn_plan_inst *in;
    const size_t *cand;
    size_t ncand, k, nw;
    int unit;               /* every weight 1: popcounts */
    double deadline;
    unsigned long nodes;
    int timeout;            /* also set to unwind after first_only found one */
    int first_only, stopped;
    uint64_t *u;            /* (k + 1) * nw: the union at each depth, done included */
    uint64_t *once, *twice;
    size_t *sel, *best;     /* positions in cand */
    int have_best;
    double bestv;
    double *m, *e, *d, *tmp;
    size_t sw;              /* words of a set of positions */
    uint64_t *dom;          /* ncand * sw: dom[b] = earlier positions a with S_a within S_b */
    uint64_t *picked;       /* sw: positions in sel */
    size_t *ord;            /* (k + 1) * ncand: the order children are tried in */
} bb;

/* Orders positions by their weight in the array ctx; ties by position. */
static int cmp_by_weight(const void *x, const void *y, void *ctx)
{
    const double *m = ctx;
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    if (m[a] != m[b])
        return m[a] < m[b] ? -1 : 1;
    return a < b ? -1 : a > b;
}

/* Is position i dominated by an earlier candidate not picked? Then a set with i
 * and without that candidate a is never the answer: swapping i for a costs no
 * more and gives a smaller list. */
static int bb_dominated(const bb *b, size_t i)
{
    const uint64_t *d = b->dom + i * b->sw;
    for (size_t w = 0; w < b->sw; w++)
        if (d[w] & ~b->picked[w])
            return 1;
    return 0;
}

/* *m = weight of a & ~u; *e = weight of a & ~u & ~twice (the exclusive part). */
static void bb_parts(const bb *b, const uint64_t *a, const uint64_t *u, double *m, double *e)
{
    double sm = 0, se = 0;
    for (size_t i = 0; i < b->nw; i++) {
        uint64_t v = a[i] & ~u[i], x = v & ~b->twice[i];
        if (b->unit) {
            sm += (double)__builtin_popcountll(v);
            se += (double)__builtin_popcountll(x);
            continue;
        }
        for (; v; v &= v - 1) {
            size_t r = i * 64 + (size_t)__builtin_ctzll(v);
            sm += b->in->w[r];
            if ((x >> (r % 64)) & 1)
                se += b->in->w[r];
        }
    }
    *m = sm;
    *e = se;
}

/* The r smallest of v[0..n) (r <= n) kept sorted in buf: returns the r-th
 * smallest, and adds their sum to *sum when sum is not NULL. O(n * r), and r
 * (picks left) is small where the search spends its time. */
static double smallest(const double *v, size_t n, size_t r, double *buf, double *sum)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k == r && v[i] >= buf[r - 1])
            continue;
        size_t j = k < r ? k++ : r - 1;
        while (j > 0 && buf[j - 1] > v[i]) {
            buf[j] = buf[j - 1];
            j--;
        }
        buf[j] = v[i];
    }
    if (sum)
        for (size_t i = 0; i < r; i++)
            *sum += buf[i];
    return buf[r - 1];
}

/* Is the prefix sel[0..j) lexicographically greater than best[0..j)? */
static int bb_prefix_greater(const bb *b, size_t j)
{
    for (size_t i = 0; i < j; i++)
        if (b->sel[i] != b->best[i])
            return b->sel[i] > b->best[i];
    return 0;
}

/* Can a subtree whose sets cost at least lb hold a better answer? */
static int bb_hopeless(const bb *b, double lb, size_t j)
{
    if (lb > b->bestv + tol(b->bestv))
        return 1;
    return b->have_best && lb > b->bestv - tol(b->bestv) && bb_prefix_greater(b, j);
}

static void bb_offer(bb *b, double v)
{
    if (v < b->bestv - tol(b->bestv) || !b->have_best ||
        (v <= b->bestv + tol(b->bestv) && lex_less(b->sel, b->best, b->k))) {
        if (v > b->bestv + tol(b->bestv))
            return;
        memcpy(b->best, b->sel, b->k * sizeof *b->sel);
        b->bestv = v;
        b->have_best = 1;
        if (b->first_only)
            b->stopped = b->timeout = 1;
    }
}

static void bb_dfs(bb *b, size_t j, size_t start, double cost)
{
    size_t r = b->k - j, nw = b->nw;
    const uint64_t *u = b->u + j * nw;
    if (b->timeout)
        return;
    if ((++b->nodes & 255) == 0 && now_s() > b->deadline) {
        b->timeout = 1;
        return;
    }
    if (r == 0) {
        bb_offer(b, cost);
        return;
    }
    if (b->ncand - start < r)
        return;
    size_t ne = b->ncand - start;
    memset(b->once, 0, nw * sizeof *b->once);
    memset(b->twice, 0, nw * sizeof *b->twice);
    for (size_t i = start; i < b->ncand; i++) {
        const uint64_t *s = apn_plan__set(b->in, b->cand[i]);
        for (size_t w = 0; w < nw; w++) {
            b->twice[w] |= b->once[w] & s[w];
            b->once[w] |= s[w];
        }
    }
    double *m = b->m + j * b->ncand, *e = b->e, *dd = b->d;
    for (size_t i = start; i < b->ncand; i++) {
        bb_parts(b, apn_plan__set(b->in, b->cand[i]), u, &m[i], &e[i - start]);
        dd[i - start] = m[i] - e[i - start];
    }
    if (r == 1) {   /* exact: the cheapest single pick, the first among equals */
        for (size_t i = start; i < b->ncand; i++) {
            b->sel[j] = i;
            if (!bb_dominated(b, i) && !bb_hopeless(b, cost + m[i], j + 1))
                bb_offer(b, cost + m[i]);
        }
        return;
    }
    double lb = cost + smallest(dd, ne, r, b->tmp, NULL);
    smallest(e, ne, r, b->tmp, &lb);
    if (bb_hopeless(b, lb, j))
        return;
    /* Children in slug order: the tie rule needs it. Looking only for any set
     * within a bound, the cheapest additions first find one sooner. */
    size_t *ord = b->ord + j * b->ncand, nord = 0;
    for (size_t i = start; i + r <= b->ncand; i++)
        ord[nord++] = i;
    if (b->first_only)
        qsort_r(ord, nord, sizeof *ord, cmp_by_weight, m);
    for (size_t oi = 0; oi < nord && !b->timeout; oi++) {
        size_t i = ord[oi];
        b->sel[j] = i;
        if (bb_dominated(b, i) || bb_hopeless(b, cost + m[i], j + 1))
            continue;
        uint64_t *nu = b->u + (j + 1) * nw;
        const uint64_t *s = apn_plan__set(b->in, b->cand[i]);
        for (size_t w = 0; w < nw; w++)
            nu[w] = u[w] | s[w];
        apn_bitset_set(b->picked, i);
        bb_dfs(b, j + 1, i + 1, cost + m[i]);
        apn_bitset_clear(b->picked, i);
    }
}

/* Runs the branch and bound for k picks. With have_best, out[0..k) (sorted
 * candidate indices) and *value are the incumbent; else *value is only a bound
 * (a budget). first_only: stop at the first set within that bound (enough to
 * know the count fits). Returns 1 when the search finished (then out and
 * value are optimal when found is set), 0 on timeout, or APN_ENOMEM. */
static int bb_run(size_t *out, double *value, int *found, const apn_plan_inst *in, const size_t *cand,
                  size_t ncand, size_t k, int have_best, int first_only, double deadline)
{
    bb b;
    int rc;
    memset(&b, 0, sizeof b);
    b.in = in;
    b.cand = cand;
    b.ncand = ncand;
    b.k = k;
    b.nw = in->nw;
    b.deadline = deadline;
    b.first_only = first_only;
    b.unit = 1;
    for (size_t r = 0; r < in->nreq; r++)
        b.unit &= in->w[r] == 1.0;
    b.u = apn_calloc((k + 1) * in->nw, sizeof *b.u);
    b.once = apn_calloc(in->nw, sizeof *b.once);
    b.twice = apn_calloc(in->nw, sizeof *b.twice);
    b.sel = apn_calloc(k + 1, sizeof *b.sel);
    b.best = apn_calloc(k + 1, sizeof *b.best);
    b.m = apn_calloc((k + 1) * (ncand + 1), sizeof *b.m);
    b.e = apn_calloc(ncand + 1, sizeof *b.e);
    b.d = apn_calloc(ncand + 1, sizeof *b.d);
    b.tmp = apn_calloc(ncand + 1, sizeof *b.tmp);
    b.sw = APN_BITSET_WORDS(ncand) ? APN_BITSET_WORDS(ncand) : 1;
    b.dom = apn_calloc(ncand * b.sw + 1, sizeof *b.dom);
    b.picked = apn_calloc(b.sw, sizeof *b.picked);
    b.ord = apn_calloc((k + 1) * (ncand + 1), sizeof *b.ord);
    if (!b.u || !b.once || !b.twice || !b.sel || !b.best || !b.m || !b.e || !b.d || !b.tmp ||
        !b.dom || !b.picked || !b.ord) {
        rc = APN_ENOMEM;
        goto cleanup;
    }
    for (size_t y = 0; y < ncand; y++)   /* what is left to do of a within that of y */
        for (size_t a = 0; a < y; a++) {
            const uint64_t *sa = apn_plan__set(in, cand[a]), *sy = apn_plan__set(in, cand[y]);
            int sub = 1;
            for (size_t w = 0; w < in->nw && sub; w++)
                sub = !(sa[w] & ~sy[w] & ~in->done[w]);
            if (sub)
                apn_bitset_set(b.dom + y * b.sw, a);
        }
    memcpy(b.u, in->done, in->nw * sizeof *b.u);
    b.bestv = *value;
    b.have_best = have_best;
    if (have_best)   /* incumbent as positions in cand */
        for (size_t i = 0, p = 0; i < k; i++) {
            while (p < ncand && cand[p] != out[i])
                p++;
            b.best[i] = p;
        }
    bb_dfs(&b, 0, 0, 0.0);
    rc = !b.timeout || b.stopped;
    *found = b.have_best;
    if (b.have_best) {
        for (size_t i = 0; i < k; i++)
            out[i] = cand[b.best[i]];
        *value = b.bestv;
    }
cleanup:
    apn_free(b.u);
    apn_free(b.once);
    apn_free(b.twice);
    apn_free(b.sel);
    apn_free(b.best);
    apn_free(b.m);
    apn_free(b.e);
    apn_free(b.d);
    apn_free(b.tmp);
    apn_free(b.dom);
    apn_free(b.picked);
    apn_free(b.ord);
    return rc;
}

/* The shared MIP model: x_i (binary) per candidate, y_g in [0,1] per group of
 * requirements that the same candidates hold (weights summed), y_g >= x_i. */
typedef struct model {
    apn_mip *m;
    size_t ncand, ngroups;
    double *gw;           /* group weights */
    long obj_row;         /* sum gw*y, bounds changed by the callers */
    long card_row;        /* sum x */
} model;

/* Idempotent: model_build disposes what it built when it fails, and its
 * callers dispose the model again on their way out. */
static void model_dispose(model *md)
{
    apn_mip_free(md->m);
    apn_free(md->gw);
    md->m = NULL;
    md->gw = NULL;
}

static int model_build(model *md, const apn_plan_inst *in, const size_t *cand, size_t ncand,
                       int maximize_count)
{
    int err = 0;
    size_t sw = APN_BITSET_WORDS(ncand) ? APN_BITSET_WORDS(ncand) : 1;
    uint64_t *sig = apn_calloc(in->nreq ? in->nreq * sw : 1, sizeof *sig);
    size_t *order = apn_calloc(in->nreq ? in->nreq : 1, sizeof *order);
    size_t *idx = apn_calloc(ncand + in->nreq + 2, sizeof *idx);   /* a row has at most */
    double *val = apn_calloc(ncand + in->nreq + 2, sizeof *val);   /* max(ncand, groups) */
    size_t *grp = apn_calloc(in->nreq ? in->nreq : 1, sizeof *grp);
    size_t nord = 0;

    memset(md, 0, sizeof *md);
    if (!sig || !order || !idx || !val || !grp) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    /* membership signature of every requirement still to do */
    for (size_t i = 0; i < ncand; i++) {
        const uint64_t *s = apn_plan__set(in, cand[i]);
        for (size_t r = apn_bitset_next(s, in->nw, 0); r != SIZE_MAX; r = apn_bitset_next(s, in->nw, r + 1))
            apn_bitset_set(sig + r * sw, i);
    }
    for (size_t r = 0; r < in->nreq; r++)
        if (!apn_bitset_has(in->done, r) && in->w[r] > 0 && apn_bitset_count(sig + r * sw, sw))
            order[nord++] = r;
    /* group equal signatures (quadratic in the worst case, fine at these sizes:
     * a first-seen scan keeps groups in requirement order, so models are stable) */
    md->gw = apn_calloc(nord ? nord : 1, sizeof *md->gw);
    if (!md->gw) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    size_t ng = 0;
    for (size_t a = 0; a < nord; a++) {
        size_t g;
        for (g = 0; g < ng; g++)
            if (!memcmp(sig + order[grp[g]] * sw, sig + order[a] * sw, sw * sizeof *sig))
                break;
        if (g == ng)
            grp[ng++] = a;
        md->gw[g] += in->w[order[a]];
    }
    md->ncand = ncand;
    md->ngroups = ng;
    if ((err = apn_mip_new(&md->m, ncand + ng, maximize_count)) < 0)
        goto cleanup;
    for (size_t i = 0; i < ncand; i++)
        apn_mip_col(md->m, i, maximize_count ? 1.0 : 0.0, 0, 1, 1);
    for (size_t g = 0; g < ng; g++) {
        apn_mip_col(md->m, ncand + g, maximize_count ? 0.0 : md->gw[g], 0, 1, 0);
        const uint64_t *s = sig + order[grp[g]] * sw;
        for (size_t i = apn_bitset_next(s, sw, 0); i != SIZE_MAX; i = apn_bitset_next(s, sw, i + 1)) {
            idx[0] = ncand + g;
            val[0] = 1;
            idx[1] = i;
            val[1] = -1;
            apn_mip_row(md->m, 2, idx, val, 0, HUGE_VAL);
        }
    }
    for (size_t g = 0; g < ng; g++) {
        idx[g] = ncand + g;
        val[g] = md->gw[g];
    }
    md->obj_row = apn_mip_row(md->m, ng, idx, val, -HUGE_VAL, HUGE_VAL);
    for (size_t i = 0; i < ncand; i++) {
        idx[i] = i;
        val[i] = 1;
    }
    md->card_row = apn_mip_row(md->m, ncand, idx, val, -HUGE_VAL, HUGE_VAL);
cleanup:
    if (err < 0)
        model_dispose(md);
    apn_free(sig);
    apn_free(order);
    apn_free(idx);
    apn_free(val);
    apn_free(grp);
    return err;
}

/* Reads the chosen candidates of the last solution into out; returns how many. */
static size_t model_take(size_t *out, const model *md, const size_t *cand)
{
    size_t n = 0;
    for (size_t i = 0; i < md->ncand; i++)
        if (apn_mip_value(md->m, i) > 0.5)
            out[n++] = cand[i];
    return n;
}

int apn_plan__mip_best(size_t *out, double *value, apn_plan_how *how, const apn_plan_inst *in,
                       const size_t *cand, size_t ncand, size_t k, double seconds)
{
    int err = 0;
    model md = { 0 };
    size_t *x = apn_calloc(ncand + 1, sizeof *x);
    size_t *trial = apn_calloc(ncand + 1, sizeof *trial);
    size_t *fixed = apn_calloc(ncand + 1, sizeof *fixed);
    double deadline = now_s() + seconds;
    apn_mip_status st;

    memset(how, 0, sizeof *how);
    if (!x || !trial || !fixed) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    if (k > ncand)
        k = ncand;
    if (greedy(out, value, in, cand, ncand, k, -1) < 0) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    if (k == ncand || k == 0) {   /* nothing to choose */
        how->optimal = 1;
        goto cleanup;
    }
    if (seconds <= 0)
        goto cleanup;
    if ((err = model_build(&md, in, cand, ncand, 0)) < 0)
        goto cleanup;
    apn_mip_row_bounds(md.m, md.card_row, (double)k, (double)k);
    how->used_mip = 1;
    if ((err = apn_mip_solve(&st, md.m, deadline - now_s())) < 0)
        goto cleanup;
    if (st != APN_MIP_OPTIMAL && st != APN_MIP_FEASIBLE)
        goto cleanup;   /* the greedy answer stands, not proven */
    if (model_take(x, &md, cand) != k)
        goto cleanup;
    double vx = apn_plan__cost(in, x, k);
    if (vx < *value - tol(*value) || (vx <= *value + tol(*value) && lex_less(x, out, k))) {
        memcpy(out, x, k * sizeof *out);
        *value = vx;
    }
    if (st != APN_MIP_OPTIMAL || vx > *value + tol(*value))
        goto cleanup;   /* not proven, or the solver's optimum is off: keep unproven */
    how->optimal = 1;
    /* Smallest list among the optima: decide candidates in index order, keeping
     * out a witness that holds every candidate fixed in so far. */
    double vstar = *value;
    apn_mip_row_bounds(md.m, md.obj_row, -HUGE_VAL, vstar + tol(vstar));
    size_t nf = 0;
    for (size_t i = 0; i < ncand && nf < k; i++) {
        int in_out = 0;
        for (size_t j = 0; j < k; j++)
            in_out |= out[j] == cand[i];
        if (!in_out) {
            memcpy(fixed + nf, &cand[i], sizeof *fixed);
            if (apn_plan__cost(in, fixed, nf + 1) > vstar + tol(vstar)) {
                apn_mip_fix(md.m, i, 0);
                continue;
            }
            apn_mip_fix(md.m, i, 1);
            double left = deadline - now_s();
            if (left <= 0) {
                how->tie_open = 1;
                break;
            }
            if ((err = apn_mip_solve(&st, md.m, left)) < 0)
                goto cleanup;
            if (st == APN_MIP_INFEASIBLE) {
                apn_mip_fix(md.m, i, 0);
                continue;
            }
            if (st == APN_MIP_UNKNOWN || model_take(trial, &md, cand) != k ||
                apn_plan__cost(in, trial, k) > vstar + tol(vstar)) {
                how->tie_open = 1;
                break;
            }
            memcpy(out, trial, k * sizeof *out);
        }
        apn_mip_fix(md.m, i, 1);
        fixed[nf++] = cand[i];
    }
    *value = apn_plan__cost(in, out, k);
cleanup:
    model_dispose(&md);
    apn_free(x);
    apn_free(trial);
    apn_free(fixed);
    return err;
}

int apn_plan__mip_budget(size_t *out, size_t *count, double *value, apn_plan_how *how,
                         const apn_plan_inst *in, const size_t *cand, size_t ncand,
                         double budget, double seconds)
{
    int err = 0;
    model md = { 0 };
    size_t *x = apn_calloc(ncand + 1, sizeof *x);
    double start = now_s();
    apn_mip_status st;
    long n;

    memset(how, 0, sizeof *how);
    *count = 0;
    *value = 0;
    if (!x) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    if ((n = greedy(out, value, in, cand, ncand, ncand, budget)) < 0) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    *count = (size_t)n;
    if ((size_t)n == ncand) {   /* everything fits: then the set is forced */
        how->optimal = 1;
        goto cleanup;
    }
    if (seconds <= 0)
        goto cleanup;
    if ((err = model_build(&md, in, cand, ncand, 1)) < 0)
        goto cleanup;
    apn_mip_row_bounds(md.m, md.obj_row, -HUGE_VAL, budget + tol(budget));
    how->used_mip = 1;
    if ((err = apn_mip_solve(&st, md.m, seconds)) < 0)
        goto cleanup;
    if (st != APN_MIP_OPTIMAL && st != APN_MIP_FEASIBLE)
        goto cleanup;
    size_t nx = model_take(x, &md, cand);
    if (apn_plan__cost(in, x, nx) > budget + tol(budget) || nx < *count)
        goto cleanup;   /* keep the greedy answer */
    double vx = apn_plan__cost(in, x, nx);
    if (nx > *count || vx < *value - tol(*value) ||
        (vx <= *value + tol(*value) && lex_less(x, out, nx))) {
        memcpy(out, x, nx * sizeof *out);
        *count = nx;
        *value = vx;
    }
    if (st != APN_MIP_OPTIMAL)
        goto cleanup;
    /* the most competencies is proven; then the cheapest, smallest such set */
    how->optimal = 1;
    double left = seconds - (now_s() - start);
    apn_plan_how h2 = { 0, 0, 0 };
    memcpy(x, out, *count * sizeof *x);
    double vkeep = *value;
    if (left <= 0 || (err = apn_plan__best(out, value, &h2, in, cand, ncand, *count, left)) < 0)
        h2.optimal = 0;
    if (err < 0 || *value > vkeep + tol(vkeep)) {   /* never worse than what we had */
        memcpy(out, x, *count * sizeof *out);
        *value = vkeep;
    }
    how->tie_open = !h2.optimal || h2.tie_open;
cleanup:
    model_dispose(&md);
    apn_free(x);
    return err;
}

/* ---- the exact answers: branch and bound first, the MIP past its share ---- */

/* Share of the time limit the branch and bound gets before the MIP takes over. */
#define BB_SHARE 0.6

int apn_plan__best(size_t *out, double *value, apn_plan_how *how, const apn_plan_inst *in,
                   const size_t *cand, size_t ncand, size_t k, double seconds)
{
    double start = now_s();
    int found, rc;
    memset(how, 0, sizeof *how);
    if (k > ncand)
        k = ncand;
    if (greedy(out, value, in, cand, ncand, k, -1) < 0)
        return APN_ENOMEM;
    if (k == ncand || k == 0) {
        how->optimal = 1;
        return 0;
    }
    if (seconds <= 0)
        return 0;
    if ((rc = bb_run(out, value, &found, in, cand, ncand, k, 1, 0, start + seconds * BB_SHARE)) < 0)
        return rc;
    if (rc == 1) {
        how->optimal = 1;
        return 0;
    }
    /* the search ran out of its share: the MIP gets the rest */
    size_t *x = apn_calloc(k + 1, sizeof *x);
    double vx;
    apn_plan_how h2;
    if (!x)
        return APN_ENOMEM;
    rc = apn_plan__mip_best(x, &vx, &h2, in, cand, ncand, k, seconds - (now_s() - start));
    if (rc == 0 && (h2.optimal || vx < *value - tol(*value) ||
                    (vx <= *value + tol(*value) && lex_less(x, out, k)))) {
        memcpy(out, x, k * sizeof *out);
        *value = vx;
        *how = h2;
    }
    how->used_mip = 1;
    apn_free(x);
    return rc;
}

int apn_plan__budget(size_t *out, size_t *count, double *value, apn_plan_how *how,
                     const apn_plan_inst *in, const size_t *cand, size_t ncand,
                     double budget, double seconds)
{
    double start = now_s(), deadline = start + seconds * BB_SHARE;
    size_t *x = apn_calloc(ncand + 1, sizeof *x);
    int err = 0, found, rc = 1;
    long n;
    memset(how, 0, sizeof *how);
    *count = 0;
    *value = 0;
    if (!x)
        return APN_ENOMEM;
    if ((n = greedy(out, value, in, cand, ncand, ncand, budget)) < 0) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    *count = (size_t)n;
    if (*count == ncand) {
        how->optimal = 1;
        goto cleanup;
    }
    if (seconds <= 0)
        goto cleanup;
    /* the cheapest k-set grows with k: try one more until none fits */
    for (size_t k = *count + 1; k <= ncand; k++) {
        double v = budget;
        if ((rc = bb_run(x, &v, &found, in, cand, ncand, k, 0, 1, deadline)) < 0) {
            err = rc;
            goto cleanup;
        }
        if (rc == 0 || !found)
            break;
        memcpy(out, x, k * sizeof *out);
        *count = k;
        *value = v;
    }
    if (rc == 1) {   /* the count is proven; now the cheapest, smallest such set */
        how->optimal = 1;
        if (*count && (rc = bb_run(out, value, &found, in, cand, ncand, *count, 1, 0, start + seconds)) < 0) {
            err = rc;
            goto cleanup;
        }
        how->tie_open = rc == 0;
        goto cleanup;
    }
    /* out of the search's share: the MIP gets the rest */
    size_t nx = 0;
    double vx;
    apn_plan_how h2;
    if ((err = apn_plan__mip_budget(x, &nx, &vx, &h2, in, cand, ncand, budget, seconds - (now_s() - start))) < 0)
        goto cleanup;
    how->used_mip = 1;
    if (h2.optimal || nx > *count || (nx == *count && vx < *value - tol(*value))) {
        memcpy(out, x, nx * sizeof *out);
        *count = nx;
        *value = vx;
        *how = h2;
        how->used_mip = 1;
    }
cleanup:
    apn_free(x);
    return err;
}

/* Cost of running the targets in the order seq[0..n): sum of completion times. */
static double order_cost(const apn_plan_inst *in, const size_t *seq, size_t n, uint64_t *u)
{
    double sum = 0, cum = 0;
    memset(u, 0, in->nw * sizeof *u);
    for (size_t i = 0; i < n; i++) {
        cum += apn_plan__marginal(in, seq[i], u);
        apn_bitset_or(u, apn_plan__set(in, seq[i]), in->nw);
        sum += cum;
    }
    return sum;
}

static int order_exact(size_t *out, double *sum, const apn_plan_inst *in, const size_t *t, size_t n)
{
    size_t full = ((size_t)1 << n) - 1;
    double *z = apn_calloc(full + 1, sizeof *z);   /* z[S]: weight of requirements only in S */
    double *g = apn_calloc(full + 1, sizeof *g);   /* g[T]: best cost to finish from T done */
    size_t *sorted = apn_calloc(n ? n : 1, sizeof *sorted);
    int err = 0;
    if (!z || !g || !sorted) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    /* index targets in slug order so the tie rule is "smallest index first" */
    memcpy(sorted, t, n * sizeof *t);
    qsort(sorted, n, sizeof *sorted, cmp_size);
    double total = 0;
    for (size_t r = 0; r < in->nreq; r++) {
        if (apn_bitset_has(in->done, r) || in->w[r] == 0)
            continue;
        size_t mask = 0;
        for (size_t i = 0; i < n; i++)
            if (apn_bitset_has(apn_plan__set(in, sorted[i]), r))
                mask |= (size_t)1 << i;
        if (mask) {
            z[mask] += in->w[r];
            total += in->w[r];
        }
    }
    for (size_t i = 0; i < n; i++)   /* subset sums */
        for (size_t s = 0; s <= full; s++)
            if (s & ((size_t)1 << i))
                z[s] += z[s ^ ((size_t)1 << i)];
    /* cum(T) = total - z[~T]: requirements touched by T */
    g[full] = 0;
    for (size_t T = full; T-- > 0;) {
        double best = HUGE_VAL;
        for (size_t i = 0; i < n; i++) {
            size_t b = (size_t)1 << i;
            if (T & b)
                continue;
            double v = total - z[full & ~(T | b)] + g[T | b];
            if (v < best)
                best = v;
        }
        g[T] = best;
    }
    size_t T = 0;
    for (size_t step = 0; step < n; step++) {
        size_t pick = SIZE_MAX;
        for (size_t i = 0; i < n && pick == SIZE_MAX; i++) {
            size_t b = (size_t)1 << i;
            if (T & b)
                continue;
            double v = total - z[full & ~(T | b)] + g[T | b];
            if (v <= g[T] + tol(g[T]))
                pick = i;
        }
        out[step] = sorted[pick];
        T |= (size_t)1 << pick;
    }
    *sum = g[0];
cleanup:
    apn_free(z);
    apn_free(g);
    apn_free(sorted);
    return err;
}

int apn_plan__order(size_t *out, double *sum, apn_plan_how *how, const apn_plan_inst *in,
                    const size_t *targets, size_t n)
{
    memset(how, 0, sizeof *how);
    if (n <= APN_PLAN_ORDER_EXACT_MAX) {
        int err = order_exact(out, sum, in, targets, n);
        how->optimal = err == 0;
        return err;
    }
    /* greedy by marginal cost, then adjacent swaps while they help (bounded) */
    size_t *cand = apn_calloc(n, sizeof *cand);
    uint64_t *u = apn_bitset_new(in->nw);
    char *taken = apn_calloc(n, 1);
    int err = 0;
    if (!cand || !u || !taken) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    memcpy(cand, targets, n * sizeof *cand);
    qsort(cand, n, sizeof *cand, cmp_size);
    for (size_t step = 0; step < n; step++) {
        size_t best = SIZE_MAX;
        double bm = HUGE_VAL;
        for (size_t i = 0; i < n; i++)
            if (!taken[i]) {
                double m = apn_plan__marginal(in, cand[i], u);
                if (best == SIZE_MAX || m < bm - tol(bm)) {
                    bm = m;
                    best = i;
                }
            }
        taken[best] = 1;
        apn_bitset_or(u, apn_plan__set(in, cand[best]), in->nw);
        out[step] = cand[best];
    }
    double cur = order_cost(in, out, n, u);
    for (int pass = 0; pass < 50; pass++) {
        int improved = 0;
        for (size_t i = 0; i + 1 < n; i++) {
            size_t a = out[i];
            out[i] = out[i + 1];
            out[i + 1] = a;
            double v = order_cost(in, out, n, u);
            if (v < cur - tol(cur)) {
                cur = v;
                improved = 1;
            } else {
                out[i + 1] = out[i];
                out[i] = a;
            }
        }
        if (!improved)
            break;
    }
    *sum = cur;
cleanup:
    apn_free(cand);
    apn_free(u);
    apn_free(taken);
    return err;
}
