/* plan — the planner. See include/apnmap/plan.h; the algorithmic core is
 * declared in plan_int.h.
 *
 * Sections: the core (instances, greedy, branch and bound, MIP, dynamic
 * programming) · loading an offering from the database · weights · --met · the
 * answer and the five modes · apn_plan_run · writing.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>
#include <sqlite3.h>

#include <apnmap/apnmap.h>

#include "util/alloc.h"
#include "util/bitset.h"
#include "util/buf.h"
#include "util/csv.h"
#include "dbint.h"
#include "read/doc.h"
#include "read/ids.h"
#include "read/ingest.h"
#include "util/map.h"
#include "mip.h"
#include "plan_int.h"

/* ======================================================================
 * The core: instances, costs, greedy, branch and bound, MIP, dynamic programming
 * ====================================================================== */

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

/* Weight of the members of x. */
static double weigh(const apn_plan_inst *in, const uint64_t *x)
{
    double s = 0;
    for (size_t i = 0; i < in->nw; i++)
        for (uint64_t b = x[i]; b; b &= b - 1)
            s += in->w[i * 64 + (size_t)__builtin_ctzll(b)];
    return s;
}

/* Weight of set c minus (done | have). */
static double marginal(const apn_plan_inst *in, size_t c, const uint64_t *have)
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

static double tol(double v) { return 1e-7 * (fabs(v) > 1 ? fabs(v) : 1); }

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
            double m = marginal(in, cand[i], u);
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
        cum += marginal(in, seq[i], u);
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
                double m = marginal(in, cand[i], u);
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

/* ======================================================================
 * Loading an offering from the database
 * ====================================================================== */

typedef struct pdata {
    apn_arena ar;
    apn_plan_inst in;
    const char *offering;
    size_t ncomp, nreq;
    const char **slug, **cat;
    int *partial;
    long long *cid;
    const char **rid, **rprefix;
    apn_map rmap;              /* requirement id -> index */
    uint64_t *ce;              /* ncomp * nw: customer-example requirements */
    uint64_t *met;             /* nw: met by --met */
    int integral;              /* every weight an integer: amounts are printed as such */
} pdata;

static void pdata_dispose(pdata *d)
{
    apn_plan__inst_dispose(&d->in);
    apn_free(d->slug);
    apn_free(d->cat);
    apn_free(d->partial);
    apn_free(d->cid);
    apn_free(d->rid);
    apn_free(d->rprefix);
    apn_free(d->ce);
    apn_free(d->met);
    apn_map_dispose(&d->rmap);
    apn_arena_dispose(&d->ar);
}

static int db_fail(apn_db *db, apn_diags *dg)
{
    return apn_db__fail(db, dg, sqlite3_errcode(apn_db__handle(db)));
}

static long comp_index(const pdata *d, long long id)
{
    /* cid is in slug order, not id order: a linear scan, ncomp is small */
    for (size_t i = 0; i < d->ncomp; i++)
        if (d->cid[i] == id)
            return (long)i;
    return -1;
}

static int load(pdata *d, apn_db *db, const char *offering, apn_diags *dg)
{
    sqlite3 *h = apn_db__handle(db);
    sqlite3_stmt *st = NULL;
    int err = 0, rc;
    size_t cap = 0;

    d->offering = offering;
    /* competencies offering it, in slug order (byte order: the tie rule's order) */
    if (sqlite3_prepare_v2(h, "SELECT c.id, c.slug, c.category, oc.partial FROM offering_checklist oc "
                              "JOIN competency c ON c.id = oc.competency_id WHERE oc.offering = ?1 "
                              "ORDER BY c.slug", -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, dg);
    sqlite3_bind_text(st, 1, offering, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        size_t i = d->ncomp;
        if (apn_grow(&d->slug, &cap, i + 1, sizeof *d->slug) < 0) {
            err = APN_ENOMEM;
            goto cleanup;
        }
        /* parallel arrays grow with the same capacity */
        size_t c2 = i, c3 = i, c4 = i;
        if (apn_grow(&d->cat, &c2, cap, sizeof *d->cat) < 0 ||
            apn_grow(&d->partial, &c3, cap, sizeof *d->partial) < 0 ||
            apn_grow(&d->cid, &c4, cap, sizeof *d->cid) < 0) {
            err = APN_ENOMEM;
            goto cleanup;
        }
        d->cid[i] = sqlite3_column_int64(st, 0);
        d->slug[i] = apn_arena_strdup(&d->ar, (const char *)sqlite3_column_text(st, 1));
        d->cat[i] = apn_arena_strdup(&d->ar, (const char *)sqlite3_column_text(st, 2));
        d->partial[i] = sqlite3_column_int(st, 3) != 0;
        if (!d->slug[i] || (!d->cat[i] && sqlite3_column_type(st, 2) != SQLITE_NULL)) {
            err = APN_ENOMEM;
            goto cleanup;
        }
        d->ncomp++;
    }
    if (rc != SQLITE_DONE) {
        err = db_fail(db, dg);
        goto cleanup;
    }
    sqlite3_finalize(st);
    st = NULL;
    /* requirements of the offering, in ID order */
    cap = 0;
    if (sqlite3_prepare_v2(h, "SELECT DISTINCT r.id, r.prefix FROM offering_requirement o "
                              "JOIN requirement r ON r.id = o.requirement_id WHERE o.offering = ?1 "
                              "ORDER BY r.id", -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, dg);
    sqlite3_bind_text(st, 1, offering, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        size_t i = d->nreq;
        size_t c2 = i;
        if (apn_grow(&d->rid, &cap, i + 1, sizeof *d->rid) < 0 ||
            apn_grow(&d->rprefix, &c2, cap, sizeof *d->rprefix) < 0) {
            err = APN_ENOMEM;
            goto cleanup;
        }
        d->rid[i] = apn_arena_strdup(&d->ar, (const char *)sqlite3_column_text(st, 0));
        d->rprefix[i] = apn_arena_strdup(&d->ar, (const char *)sqlite3_column_text(st, 1));
        if (!d->rid[i] || !d->rprefix[i] || apn_map_put(&d->rmap, d->rid[i], i) < 0) {
            err = APN_ENOMEM;
            goto cleanup;
        }
        d->nreq++;
    }
    if (rc != SQLITE_DONE) {
        err = db_fail(db, dg);
        goto cleanup;
    }
    sqlite3_finalize(st);
    st = NULL;
    if ((err = apn_plan__inst_init(&d->in, d->ncomp, d->nreq)) < 0)
        goto cleanup;
    d->ce = apn_calloc(d->ncomp ? d->ncomp * d->in.nw : 1, sizeof *d->ce);
    d->met = apn_bitset_new(d->in.nw);
    if (!d->ce || !d->met) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    if (sqlite3_prepare_v2(h, "SELECT competency_id, requirement_id, customer_example "
                              "FROM offering_requirement WHERE offering = ?1", -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, dg);
    sqlite3_bind_text(st, 1, offering, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long c = comp_index(d, sqlite3_column_int64(st, 0));
        size_t r;
        if (c < 0 || !apn_map_get(&d->rmap, (const char *)sqlite3_column_text(st, 1), &r))
            continue;
        apn_bitset_set(apn_plan__set(&d->in, (size_t)c), r);
        if (sqlite3_column_int(st, 2))
            apn_bitset_set(d->ce + (size_t)c * d->in.nw, r);
    }
    if (rc != SQLITE_DONE)
        err = db_fail(db, dg);
    d->integral = 1;
cleanup:
    sqlite3_finalize(st);
    return err;
}

/* ======================================================================
 * Weights: prefix_or_id,cost
 * ====================================================================== */

typedef struct wrow {
    char key[APN_ID_MAX];
    int is_id;
    double cost;
    unsigned line;
} wrow;

typedef struct wread {
    const char *path;
    apn_diags *dg;
    wrow *v;
    size_t n, cap;
    size_t bad;
} wread;

static int weights_row(void *ud, const apn_csv_header *hdr, const char *const *f, size_t n,
                       unsigned line)
{
    wread *w = ud;
    char loc[32];
    int kc = apn_csv_col(hdr, "prefix_or_id"), cc = apn_csv_col(hdr, "cost");
    if (kc < 0 || cc < 0 || hdr->n != 2) {
        apn_diags_add(w->dg, APN_SEV_ERROR, w->path, "line 1",
                      "the header must be prefix_or_id,cost");
        w->bad++;
        return APN_EPARSE;
    }
    snprintf(loc, sizeof loc, "line %u", line);
    if (n != 2) {
        apn_diags_add(w->dg, APN_SEV_ERROR, w->path, loc, "expected 2 fields (prefix_or_id,cost), found %zu", n);
        w->bad++;
        return 0;
    }
    char key[APN_ID_MAX * 2];
    snprintf(key, sizeof key, "%s", f[kc]);
    apn_text_squeeze(key);
    const char *cs = f[cc];
    char *end = NULL;
    while (isspace((unsigned char)*cs))
        cs++;
    double cost = *cs ? strtod(cs, &end) : NAN;
    while (end && isspace((unsigned char)*end))
        end++;
    if (!*key) {
        apn_diags_add(w->dg, APN_SEV_ERROR, w->path, loc, "empty prefix_or_id");
        w->bad++;
        return 0;
    }
    if (!end || *end || !isfinite(cost) || cost < 0) {
        apn_diags_add(w->dg, APN_SEV_ERROR, w->path, loc, "cost '%s' is not a number >= 0", f[cc]);
        w->bad++;
        return 0;
    }
    wrow r = { "", 0, cost, line };
    apn_id id;
    if (!strchr(key, ' ') && apn_id_parse(&id, key) == 0) {
        r.is_id = 1;
        snprintf(r.key, sizeof r.key, "%s", id.id);
    } else {
        if (strlen(key) >= sizeof r.key || strchr(key, ' ')) {
            apn_diags_add(w->dg, APN_SEV_ERROR, w->path, loc,
                          "'%s' is neither a requirement ID nor an ID prefix", key);
            w->bad++;
            return 0;
        }
        for (char *p = key; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        memcpy(r.key, key, strlen(key) + 1);   /* fits: checked above */
    }
    for (size_t i = 0; i < w->n; i++)
        if (w->v[i].is_id == r.is_id && !strcmp(w->v[i].key, r.key)) {
            apn_diags_add(w->dg, APN_SEV_ERROR, w->path, loc, "'%s' already given on line %u",
                          r.key, w->v[i].line);
            w->bad++;
            return 0;
        }
    if (apn_grow(&w->v, &w->cap, w->n + 1, sizeof *w->v) < 0)
        return APN_ENOMEM;
    w->v[w->n++] = r;
    return 0;
}

/* Reads the weights file into d's weights: an ID's row wins over its prefix's. */
static int load_weights(pdata *d, const char *path, apn_diags *dg)
{
    wread w = { path, dg, NULL, 0, 0, 0 };
    int err = apn_csv_read(path, path, weights_row, &w, dg);
    if (err == APN_ENOTFOUND || err == APN_EIO) {
        apn_diags_add(dg, APN_SEV_ERROR, path, "", "cannot read the weights file: %s", apn_strerror(err));
        goto cleanup;
    }
    if (err < 0 && err != APN_EPARSE)
        goto cleanup;
    if (err == APN_EPARSE || w.bad) {
        err = APN_EPARSE;
        goto cleanup;
    }
    for (size_t i = 0; i < w.n; i++) {
        size_t hits = 0;
        for (size_t r = 0; r < d->nreq; r++) {
            if (w.v[i].is_id ? strcmp(d->rid[r], w.v[i].key) : strcmp(d->rprefix[r], w.v[i].key))
                continue;
            hits++;
            /* prefix rows never override an ID row */
            int id_row = 0;
            if (!w.v[i].is_id)
                for (size_t j = 0; j < w.n; j++)
                    id_row |= w.v[j].is_id && !strcmp(d->rid[r], w.v[j].key);
            if (!id_row)
                d->in.w[r] = w.v[i].cost;
        }
        if (!hits) {
            char loc[32];
            snprintf(loc, sizeof loc, "line %u", w.v[i].line);
            apn_diags_add(dg, APN_SEV_WARNING, path, loc, "no requirement of the %s offering has %s '%s'",
                          d->offering, w.v[i].is_id ? "the ID" : "the prefix", w.v[i].key);
        }
    }
    for (size_t r = 0; r < d->nreq; r++)
        if (d->in.w[r] != floor(d->in.w[r]) || d->in.w[r] > 1e12)
            d->integral = 0;
    err = 0;
cleanup:
    apn_free(w.v);
    return err;
}

/* ======================================================================
 * --met: a filled self-assessment
 * ====================================================================== */

static int load_met(pdata *d, const char *path, apn_diags *dg)
{
    apn_doc doc;
    int err = apn_ingest_file(&doc, path, NULL);
    size_t answered = 0, met = 0, known = 0;
    if (err < 0)
        goto cleanup;
    if (doc.format == APN_DOC_HTML) {   /* read as a page: the reader's words would mislead */
        apn_diags_add(dg, APN_SEV_ERROR, path, "", "not a self-assessment workbook (.xlsx)");
        err = APN_EPARSE;
        goto cleanup;
    }
    for (size_t i = 0; i < doc.diags.n; i++)
        if (doc.diags.v[i].severity == APN_SEV_ERROR)
            apn_diags_add(dg, APN_SEV_ERROR, doc.diags.v[i].path, doc.diags.v[i].locus, "%s",
                          doc.diags.v[i].message);
    if (doc.rejected) {
        err = APN_EPARSE;
        goto cleanup;
    }
    for (size_t i = 0; i < doc.nitems; i++) {
        const apn_item *it = &doc.items[i];
        apn_id id;
        size_t r;
        if (it->kind != APN_ITEM_CONTROL || apn_id_parse(&id, it->raw_id) < 0 || id.question)
            continue;
        if (it->met == APN_MET_NONE)
            continue;
        answered++;
        if (it->met != APN_MET_YES && it->met != APN_MET_NA)
            continue;
        met++;
        if (apn_map_get(&d->rmap, id.id, &r)) {
            if (!apn_bitset_has(d->met, r))
                known++;
            apn_bitset_set(d->met, r);
        }
    }
    if (!answered) {
        apn_diags_add(dg, APN_SEV_ERROR, path, "",
                      "no answered requirement (every Met? cell is empty or 'Select'): "
                      "fill in the self-assessment, or plan without --met");
        err = APN_EPARSE;
        goto cleanup;
    }
    apn_diags_add(dg, APN_SEV_NOTE, path, "",
                  "%zu requirements answered, %zu met (yes or na), %zu of them in the %s offering",
                  answered, met, known, d->offering);
cleanup:
    apn_doc_dispose(&doc);
    return err;
}

/* ======================================================================
 * The answer
 * ====================================================================== */

struct apn_plan {
    pdata d;
    apn_plan_mode mode;
    apn_table *t;
    int partial;
    /* per row, the competencies to explain: seq[off[r] .. off[r+1]); the first
     * ctx[r] of them are context (done before the row's own steps) */
    size_t *seq, nseq, capseq;
    size_t *off, *ctx, nrows, caprows;
};

void apn_plan_free(apn_plan *p)
{
    if (!p)
        return;
    pdata_dispose(&p->d);
    apn_table_free(p->t);
    apn_free(p->seq);
    apn_free(p->off);
    apn_free(p->ctx);
    apn_free(p);
}

const apn_table *apn_plan_table(const apn_plan *p) { return p->t; }
int apn_plan_partial(const apn_plan *p) { return p->partial; }

/* Records the explanation of the row just added: comps[0..n), of which the
 * first nctx are context. */
static int explain(apn_plan *p, const size_t *comps, size_t n, size_t nctx)
{
    if (apn_grow(&p->seq, &p->capseq, p->nseq + n, sizeof *p->seq) < 0)
        return APN_ENOMEM;
    size_t cap = p->caprows;
    if (apn_grow(&p->off, &cap, p->nrows + 2, sizeof *p->off) < 0)
        return APN_ENOMEM;
    cap = p->caprows;
    if (apn_grow(&p->ctx, &cap, p->nrows + 2, sizeof *p->ctx) < 0)
        return APN_ENOMEM;
    p->caprows = cap;
    p->off[p->nrows] = p->nseq;
    p->ctx[p->nrows] = nctx;
    if (n)   /* an empty answer (nothing fits a budget) has no steps */
        memcpy(p->seq + p->nseq, comps, n * sizeof *comps);
    p->nseq += n;
    p->nrows++;
    p->off[p->nrows] = p->nseq;
    return 0;
}

static int set_amount(apn_plan *p, size_t col, double v)
{
    if (p->d.integral)
        return apn_table_set_int(p->t, col, llround(v));
    return apn_table_set_real(p->t, col, v);
}

/* Evidence still to give for competency c: its customer-example requirements
 * not met by --met, counted per competency (shared IDs included). */
static double evidence(const pdata *d, size_t c)
{
    const uint64_t *ce = d->ce + c * d->in.nw;
    double s = 0;
    for (size_t r = apn_bitset_next(ce, d->in.nw, 0); r != SIZE_MAX; r = apn_bitset_next(ce, d->in.nw, r + 1))
        if (!apn_bitset_has(d->met, r))
            s += d->in.w[r];
    return s;
}

static int make_table(apn_plan *p, size_t ncols, const char *const *names, const apn_coltype *types)
{
    apn_coltype ty[12];
    for (size_t i = 0; i < ncols; i++)   /* -1 marks an amount column */
        ty[i] = (int)types[i] == -1 ? (p->d.integral ? APN_COL_INT : APN_COL_REAL) : types[i];
    return apn_table_new(&p->t, ncols, names, ty);
}

#define AMOUNT ((apn_coltype)-1)

typedef struct ranked { size_t a, b; double v; } ranked;

static int cmp_ranked(const void *x, const void *y)
{
    const ranked *a = x, *b = y;
    if (fabs(a->v - b->v) > tol(a->v))
        return a->v < b->v ? -1 : 1;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

static int mode_next(apn_plan *p, const size_t *cand, size_t ncand, size_t n, apn_diags *dg)
{
    static const char *names[] = { "rank", "competency", "offering", "new", "total", "evidence_new", "partial" };
    static const apn_coltype types[] = { APN_COL_INT, APN_COL_TEXT, APN_COL_TEXT, AMOUNT, AMOUNT, AMOUNT, APN_COL_BOOL };
    pdata *d = &p->d;
    int err;
    ranked *v = apn_calloc(ncand ? ncand : 1, sizeof *v);
    uint64_t *none = apn_bitset_new(d->in.nw);
    if (!v || !none) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    if ((err = make_table(p, 7, names, types)) < 0)
        goto cleanup;
    for (size_t i = 0; i < ncand; i++) {
        v[i].a = cand[i];
        v[i].v = marginal(&d->in, cand[i], none);
    }
    qsort(v, ncand, sizeof *v, cmp_ranked);
    if (n > ncand)
        apn_diags_add(dg, APN_SEV_NOTE, "", "", "--next %zu: only %zu candidate %s %s; listing all of them",
                      n, ncand, ncand == 1 ? "competency offers" : "competencies offer", d->offering);
    size_t rank = 1;
    for (size_t i = 0; i < ncand && i < n; i++) {
        size_t c = v[i].a;
        if (i && fabs(v[i].v - v[i - 1].v) > tol(v[i].v))
            rank = i + 1;
        if ((err = apn_table_add_row(p->t)) < 0 || (err = apn_table_set_int(p->t, 0, (long long)rank)) < 0 ||
            (err = apn_table_set_text(p->t, 1, d->slug[c])) < 0 ||
            (err = apn_table_set_text(p->t, 2, d->offering)) < 0 || (err = set_amount(p, 3, v[i].v)) < 0 ||
            (err = set_amount(p, 4, weigh(&d->in, apn_plan__set(&d->in, c)))) < 0 ||
            (err = set_amount(p, 5, evidence(d, c))) < 0 ||
            (err = apn_table_set_bool(p->t, 6, d->partial[c])) < 0 || (err = explain(p, &c, 1, 0)) < 0)
            goto cleanup;
        p->partial |= d->partial[c];
    }
cleanup:
    apn_free(v);
    apn_free(none);
    return err;
}

static void how_notes(const apn_plan_how *how, double seconds, apn_diags *dg)
{
    if (!how->optimal && how->used_mip)
        apn_diags_add(dg, APN_SEV_NOTE, "", "",
                      "time limit (%gs) reached before optimality was proven: the answer is the best "
                      "found (optimal=false); raise --time-limit", seconds);
    else if (how->optimal && how->tie_open)
        apn_diags_add(dg, APN_SEV_NOTE, "", "",
                      "the value is optimal, but among equal optima the smallest list of slugs was "
                      "not confirmed within the time limit (%gs)", seconds);
}

/* One row for --best and --budget: the set sel[0..k). */
static int set_row(apn_plan *p, const size_t *sel, size_t k, double value, const apn_plan_how *how,
                   int with_count)
{
    pdata *d = &p->d;
    apn_buf b = APN_BUF_INIT;
    double ev = 0;
    int part = 0, err;
    for (size_t i = 0; i < k; i++) {
        if (i)
            apn_buf_putc(&b, ';');
        apn_buf_puts(&b, d->slug[sel[i]]);
        ev += evidence(d, sel[i]);
        part |= d->partial[sel[i]];
    }
    size_t c = 0;
    if (b.oom) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    if ((err = apn_table_add_row(p->t)) < 0 || (err = apn_table_set_text(p->t, c++, apn_buf_cstr(&b))) < 0 ||
        (err = apn_table_set_text(p->t, c++, d->offering)) < 0 || (err = set_amount(p, c++, value)) < 0)
        goto cleanup;
    if (with_count && (err = apn_table_set_int(p->t, c++, (long long)k)) < 0)
        goto cleanup;
    if ((err = apn_table_set_bool(p->t, c++, how->optimal)) < 0 || (err = set_amount(p, c++, ev)) < 0 ||
        (err = apn_table_set_bool(p->t, c++, part)) < 0 || (err = explain(p, sel, k, 0)) < 0)
        goto cleanup;
    p->partial |= part;
cleanup:
    apn_buf_dispose(&b);
    return err;
}

static int mode_best(apn_plan *p, const size_t *cand, size_t ncand, size_t k, double secs, apn_diags *dg)
{
    static const char *names[] = { "competencies", "offering", "new", "optimal", "evidence_new", "partial" };
    static const apn_coltype types[] = { APN_COL_TEXT, APN_COL_TEXT, AMOUNT, APN_COL_BOOL, AMOUNT, APN_COL_BOOL };
    size_t *sel = apn_calloc(ncand + 1, sizeof *sel);
    double value = 0;
    apn_plan_how how;
    int err;
    if (!sel)
        return APN_ENOMEM;
    if ((err = make_table(p, 6, names, types)) < 0)
        goto cleanup;
    if (k > ncand) {
        apn_diags_add(dg, APN_SEV_NOTE, "", "", "--best %zu: only %zu candidate %s %s; the answer takes all of them",
                      k, ncand, ncand == 1 ? "competency offers" : "competencies offer", p->d.offering);
        k = ncand;
    }
    if (!k)
        goto cleanup;
    if ((err = apn_plan__best(sel, &value, &how, &p->d.in, cand, ncand, k, secs)) < 0)
        goto cleanup;
    how_notes(&how, secs, dg);
    err = set_row(p, sel, k, value, &how, 0);
cleanup:
    apn_free(sel);
    return err;
}

static int mode_budget(apn_plan *p, const size_t *cand, size_t ncand, double budget, double secs,
                       apn_diags *dg)
{
    static const char *names[] = { "competencies", "offering", "new", "count", "optimal", "evidence_new", "partial" };
    static const apn_coltype types[] = { APN_COL_TEXT, APN_COL_TEXT, AMOUNT, APN_COL_INT, APN_COL_BOOL, AMOUNT, APN_COL_BOOL };
    size_t *sel = apn_calloc(ncand + 1, sizeof *sel), k = 0;
    double value = 0;
    apn_plan_how how;
    int err;
    if (!sel)
        return APN_ENOMEM;
    if ((err = make_table(p, 7, names, types)) < 0)
        goto cleanup;
    if ((err = apn_plan__budget(sel, &k, &value, &how, &p->d.in, cand, ncand, budget, secs)) < 0)
        goto cleanup;
    how_notes(&how, secs, dg);
    if (!k)
        apn_diags_add(dg, APN_SEV_NOTE, "", "", "no competency fits within a budget of %g", budget);
    err = set_row(p, sel, k, value, &how, 1);
cleanup:
    apn_free(sel);
    return err;
}

static int mode_order(apn_plan *p, const size_t *targets, size_t n, apn_diags *dg)
{
    static const char *names[] = { "step", "competency", "new", "cumulative", "evidence_new", "partial", "optimal" };
    static const apn_coltype types[] = { APN_COL_INT, APN_COL_TEXT, AMOUNT, AMOUNT, AMOUNT, APN_COL_BOOL, APN_COL_BOOL };
    pdata *d = &p->d;
    size_t *seq = apn_calloc(n + 1, sizeof *seq);
    double sum = 0, prev = 0;
    apn_plan_how how;
    int err;
    if (!seq)
        return APN_ENOMEM;
    if ((err = make_table(p, 7, names, types)) < 0)
        goto cleanup;
    if ((err = apn_plan__order(seq, &sum, &how, &d->in, targets, n)) < 0)
        goto cleanup;
    if (!how.optimal)
        apn_diags_add(dg, APN_SEV_NOTE, "", "",
                      "%zu targets: more than %d, so the order comes from a heuristic (greedy and "
                      "swaps), not proven optimal", n, APN_PLAN_ORDER_EXACT_MAX);
    for (size_t i = 0; i < n; i++) {
        size_t c = seq[i];
        double cum = apn_plan__cost(&d->in, seq, i + 1);
        if ((err = apn_table_add_row(p->t)) < 0 || (err = apn_table_set_int(p->t, 0, (long long)i + 1)) < 0 ||
            (err = apn_table_set_text(p->t, 1, d->slug[c])) < 0 || (err = set_amount(p, 2, cum - prev)) < 0 ||
            (err = set_amount(p, 3, cum)) < 0 || (err = set_amount(p, 4, evidence(d, c))) < 0 ||
            (err = apn_table_set_bool(p->t, 5, d->partial[c])) < 0 ||
            (err = apn_table_set_bool(p->t, 6, how.optimal)) < 0 || (err = explain(p, seq, i + 1, i)) < 0)
            goto cleanup;
        p->partial |= d->partial[c];
        prev = cum;
    }
cleanup:
    apn_free(seq);
    return err;
}

static int in_category(const pdata *d, size_t c, const char *cat)
{
    return !cat || (d->cat[c] && !strcasecmp(d->cat[c], cat));
}

static int mode_pairs(apn_plan *p, const size_t *cand, size_t ncand, const char *cat1, const char *cat2,
                      apn_diags *dg)
{
    static const char *names[] = { "rank", "first", "second", "offering", "new_second", "shared", "evidence_new", "partial" };
    static const apn_coltype types[] = { APN_COL_INT, APN_COL_TEXT, APN_COL_TEXT, APN_COL_TEXT, AMOUNT, APN_COL_INT, AMOUNT, APN_COL_BOOL };
    pdata *d = &p->d;
    ranked *v = apn_calloc(ncand * ncand + 1, sizeof *v);
    size_t nv = 0, n1 = 0, n2 = 0;
    int err;
    if (!v)
        return APN_ENOMEM;
    if ((err = make_table(p, 8, names, types)) < 0)
        goto cleanup;
    for (size_t i = 0; i < ncand; i++) {
        n1 += in_category(d, cand[i], cat1);
        n2 += in_category(d, cand[i], cat2);
    }
    if ((cat1 && !n1) || (cat2 && !n2)) {
        apn_buf b = APN_BUF_INIT;
        for (size_t i = 0; i < d->ncomp; i++) {
            int seen = !d->cat[i];
            for (size_t j = 0; j < i && !seen; j++)
                seen = d->cat[j] && !strcasecmp(d->cat[j], d->cat[i]);
            if (!seen)
                apn_buf_printf(&b, "%s%s", b.len ? ", " : "", d->cat[i]);
        }
        apn_diags_add(dg, APN_SEV_ERROR, "", "", "no candidate competency of category '%s' offers %s (categories: %s)",
                      cat1 && !n1 ? cat1 : cat2, d->offering, b.len ? apn_buf_cstr(&b) : "none in the database");
        apn_buf_dispose(&b);
        err = APN_ENOTFOUND;
        goto cleanup;
    }
    for (size_t i = 0; i < ncand; i++) {
        if (!in_category(d, cand[i], cat1))
            continue;
        for (size_t j = 0; j < ncand; j++) {
            if (i == j || !in_category(d, cand[j], cat2))
                continue;
            v[nv].a = cand[i];
            v[nv].b = cand[j];
            v[nv].v = marginal(&d->in, cand[j], apn_plan__set(&d->in, cand[i]));
            nv++;
        }
    }
    qsort(v, nv, sizeof *v, cmp_ranked);
    size_t rank = 1;
    for (size_t i = 0; i < nv; i++) {
        size_t pair[2] = { v[i].a, v[i].b };
        if (i && fabs(v[i].v - v[i - 1].v) > tol(v[i].v))
            rank = i + 1;
        size_t shared = apn_bitset_and_count(apn_plan__set(&d->in, v[i].a), apn_plan__set(&d->in, v[i].b), d->in.nw);
        int part = d->partial[v[i].a] || d->partial[v[i].b];
        if ((err = apn_table_add_row(p->t)) < 0 || (err = apn_table_set_int(p->t, 0, (long long)rank)) < 0 ||
            (err = apn_table_set_text(p->t, 1, d->slug[v[i].a])) < 0 ||
            (err = apn_table_set_text(p->t, 2, d->slug[v[i].b])) < 0 ||
            (err = apn_table_set_text(p->t, 3, d->offering)) < 0 || (err = set_amount(p, 4, v[i].v)) < 0 ||
            (err = apn_table_set_int(p->t, 5, (long long)shared)) < 0 ||
            (err = set_amount(p, 6, evidence(d, v[i].b))) < 0 || (err = apn_table_set_bool(p->t, 7, part)) < 0 ||
            (err = explain(p, pair, 2, 1)) < 0)
            goto cleanup;
        p->partial |= part;
    }
cleanup:
    apn_free(v);
    return err;
}

/* ======================================================================
 * apn_plan_run
 * ====================================================================== */

/* Resolves a name to an index of d, or -1 when the competency exists but does
 * not offer d->offering. APN_ENOTFOUND (with a diagnostic) when unknown. */
static int resolve(long *out, apn_db *db, const pdata *d, const char *name, apn_diags *dg)
{
    char *slug = NULL;
    int err = apn_db_competency(&slug, db, name, dg);
    *out = -1;
    if (err < 0)
        return err;
    for (size_t i = 0; i < d->ncomp; i++)
        if (!strcmp(d->slug[i], slug))
            *out = (long)i;
    apn_free(slug);
    return 0;
}

int apn_plan_run(apn_plan **out, apn_db *db, const apn_plan_opts *o, apn_diags *dg)
{
    apn_plan *p = NULL;
    size_t *cand = NULL, *targets = NULL, ncand = 0, nt = 0;
    char *held = NULL;
    int err = 0;
    const char *offering = o->offering ? o->offering : "services";
    double secs = o->time_limit > 0 ? o->time_limit : APN_PLAN_DEFAULT_TIME_LIMIT;

    *out = NULL;
    if (apn_db_offering_check(offering) < 0) {
        apn_diags_add(dg, APN_SEV_ERROR, "", "", "unknown offering '%s' (saas, customer-deployed or services)", offering);
        return APN_EUSAGE;
    }
    if ((o->mode == APN_PLAN_NEXT || o->mode == APN_PLAN_BEST) && o->n < 1) {
        apn_diags_add(dg, APN_SEV_ERROR, "", "", "%s must be at least 1 (got %ld)",
                      o->mode == APN_PLAN_NEXT ? "--next N" : "--best K", o->n);
        return APN_EUSAGE;
    }
    if (o->mode == APN_PLAN_BUDGET && !(o->budget > 0 && isfinite(o->budget))) {
        apn_diags_add(dg, APN_SEV_ERROR, "", "", "--budget must be greater than 0 (got %g)", o->budget);
        return APN_EUSAGE;
    }
    if (o->mode == APN_PLAN_ORDER && !o->ntargets) {
        apn_diags_add(dg, APN_SEV_ERROR, "", "", "--order needs at least one competency");
        return APN_EUSAGE;
    }
    if (!(p = apn_calloc(1, sizeof *p)))
        return APN_ENOMEM;
    p->mode = o->mode;
    if ((err = load(&p->d, db, offering, dg)) < 0)
        goto cleanup;
    pdata *d = &p->d;
    if (o->weights_path && (err = load_weights(d, o->weights_path, dg)) < 0)
        goto cleanup;
    if (o->met_path && (err = load_met(d, o->met_path, dg)) < 0)
        goto cleanup;
    held = apn_calloc(d->ncomp + 1, 1);
    cand = apn_calloc(d->ncomp + 1, sizeof *cand);
    targets = apn_calloc(o->ntargets + 1, sizeof *targets);
    if (!held || !cand || !targets) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    /* what is done: held competencies' requirements and the met ones */
    apn_bitset_or(d->in.done, d->met, d->in.nw);
    for (size_t i = 0; i < o->nhave; i++) {
        long c;
        if ((err = resolve(&c, db, d, o->have[i], dg)) < 0)
            goto cleanup;
        if (c < 0) {
            apn_diags_add(dg, APN_SEV_NOTE, "", "", "--have %s: it has no %s checklist, so nothing counts as done",
                          o->have[i], offering);
            continue;
        }
        held[c] = 1;
        apn_bitset_or(d->in.done, apn_plan__set(&d->in, (size_t)c), d->in.nw);
    }
    for (size_t i = 0; i < d->ncomp; i++)
        if (!held[i])
            cand[ncand++] = i;
    switch (o->mode) {
    case APN_PLAN_NEXT:
        err = mode_next(p, cand, ncand, (size_t)o->n, dg);
        break;
    case APN_PLAN_BEST:
        err = mode_best(p, cand, ncand, (size_t)o->n, secs, dg);
        break;
    case APN_PLAN_BUDGET:
        err = mode_budget(p, cand, ncand, o->budget, secs, dg);
        break;
    case APN_PLAN_PAIRS:
        err = mode_pairs(p, cand, ncand, o->first_category, o->second_category, dg);
        break;
    case APN_PLAN_ORDER:
        for (size_t i = 0; i < o->ntargets; i++) {
            long c;
            if ((err = resolve(&c, db, d, o->targets[i], dg)) < 0)
                goto cleanup;
            if (c < 0) {
                apn_diags_add(dg, APN_SEV_ERROR, "", "", "--order %s: it has no %s checklist", o->targets[i], offering);
                err = APN_ENOTFOUND;
                goto cleanup;
            }
            for (size_t j = 0; j < nt; j++)
                if (targets[j] == (size_t)c) {
                    apn_diags_add(dg, APN_SEV_ERROR, "", "", "--order names %s twice", d->slug[c]);
                    err = APN_EUSAGE;
                    goto cleanup;
                }
            targets[nt++] = (size_t)c;
        }
        err = mode_order(p, targets, nt, dg);
        break;
    }
    /* GLPK is loaded when the MIP first runs: a missing one is named */
    const char *why;
    if (err == APN_ERROR && (o->mode == APN_PLAN_BEST || o->mode == APN_PLAN_BUDGET) &&
        (why = apn_mip_unavailable()))
        apn_diags_add(dg, APN_SEV_ERROR, "", "", "%s", why);
    if (err < 0)
        goto cleanup;
    *out = p;
    p = NULL;
cleanup:
    apn_plan_free(p);
    apn_free(held);
    apn_free(cand);
    apn_free(targets);
    return err;
}

/* ======================================================================
 * Writing
 * ====================================================================== */

/* "ACCT 1, OPE 2" for the members of x (requirement order is ID order, so
 * equal prefixes are adjacent). */
static void by_prefix(apn_buf *b, const pdata *d, const uint64_t *x)
{
    const char *cur = NULL;
    size_t n = 0;
    int first = 1;
    for (size_t r = apn_bitset_next(x, d->in.nw, 0);; r = apn_bitset_next(x, d->in.nw, r + 1)) {
        if (r == SIZE_MAX || !cur || strcmp(cur, d->rprefix[r])) {
            if (cur) {
                apn_buf_printf(b, "%s%s %zu", first ? "" : ", ", cur, n);
                first = 0;
            }
            if (r == SIZE_MAX)
                break;
            cur = d->rprefix[r];
            n = 0;
        }
        n++;
    }
}

/* For step k of row r: fills nw-word sets new and reused. */
static void step_sets(const apn_plan *p, size_t r, size_t k, uint64_t *prior, uint64_t *nw_, uint64_t *re)
{
    const pdata *d = &p->d;
    memcpy(prior, d->in.done, d->in.nw * sizeof *prior);
    for (size_t i = p->off[r]; i < p->off[r] + k; i++)
        apn_bitset_or(prior, apn_plan__set(&d->in, p->seq[i]), d->in.nw);
    const uint64_t *s = apn_plan__set(&d->in, p->seq[p->off[r] + k]);
    for (size_t i = 0; i < d->in.nw; i++) {
        nw_[i] = s[i] & ~prior[i];
        re[i] = s[i] & prior[i];
    }
}

static json_t *id_list(const pdata *d, const uint64_t *x)
{
    json_t *a = json_array();
    for (size_t r = apn_bitset_next(x, d->in.nw, 0); a && r != SIZE_MAX; r = apn_bitset_next(x, d->in.nw, r + 1))
        if (json_array_append_new(a, json_string(d->rid[r])) < 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static int write_json(const apn_plan *p, FILE *f, uint64_t *prior, uint64_t *nb, uint64_t *rb, uint64_t *eb)
{
    const pdata *d = &p->d;
    char *mem = NULL;
    size_t len = 0;
    json_t *arr = NULL;
    int err = 0;
    FILE *m = open_memstream(&mem, &len);
    if (!m)
        return APN_ENOMEM;
    err = apn_table_write(p->t, m, APN_FMT_JSON);
    if (fclose(m) != 0 && !err)
        err = APN_ENOMEM;
    if (err < 0)
        goto cleanup;
    json_error_t je;
    if (!(arr = json_loadb(mem, len, 0, &je)) || json_array_size(arr) != p->nrows) {
        err = APN_ERROR;
        goto cleanup;
    }
    for (size_t r = 0; r < p->nrows; r++) {
        json_t *steps = json_array();
        if (!steps || json_object_set_new(json_array_get(arr, r), "steps", steps) < 0) {
            err = APN_ENOMEM;
            goto cleanup;
        }
        for (size_t k = p->ctx[r]; k < p->off[r + 1] - p->off[r]; k++) {
            size_t c = p->seq[p->off[r] + k];
            step_sets(p, r, k, prior, nb, rb);
            const uint64_t *ce = d->ce + c * d->in.nw;
            for (size_t i = 0; i < d->in.nw; i++)
                eb[i] = ce[i] & ~d->met[i];
            json_t *o = json_pack("{s:s, s:o, s:o, s:o}", "competency", d->slug[c], "new",
                                  id_list(d, nb), "reused", id_list(d, rb), "evidence", id_list(d, eb));
            if (!o || json_array_append_new(steps, o) < 0) {
                err = APN_ENOMEM;
                goto cleanup;
            }
        }
    }
    if (json_dumpf(arr, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15) | JSON_ESCAPE_SLASH) != 0)
        err = APN_EIO;
    else
        fputc('\n', f);
cleanup:
    json_decref(arr);
    free(mem);   /* open_memstream's buffer comes from the C library */
    return err;
}

static int write_text(const apn_plan *p, FILE *f, uint64_t *prior, uint64_t *nb, uint64_t *rb)
{
    const pdata *d = &p->d;
    apn_buf b = APN_BUF_INIT;
    int err = apn_table_write(p->t, f, APN_FMT_TABLE);
    if (err < 0 || !p->nrows)
        return err;
    fputc('\n', f);
    for (size_t r = 0; r < p->nrows; r++) {
        size_t n = p->off[r + 1] - p->off[r];
        for (size_t k = p->ctx[r]; k < n; k++) {
            size_t c = p->seq[p->off[r] + k];
            step_sets(p, r, k, prior, nb, rb);
            apn_buf_clear(&b);
            if (p->mode == APN_PLAN_PAIRS)
                apn_buf_printf(&b, "%s after %s", d->slug[c], d->slug[p->seq[p->off[r]]]);
            else if (p->mode == APN_PLAN_ORDER)
                apn_buf_printf(&b, "step %zu, %s", r + 1, d->slug[c]);
            else
                apn_buf_printf(&b, "%s", d->slug[c]);
            size_t nn = apn_bitset_count(nb, d->in.nw), nr = apn_bitset_count(rb, d->in.nw);
            apn_buf_printf(&b, ": %zu new", nn);
            if (nn) {
                apn_buf_puts(&b, " (");
                by_prefix(&b, d, nb);
                apn_buf_putc(&b, ')');
            }
            apn_buf_printf(&b, ", reuses %zu", nr);
            if (nr) {
                apn_buf_puts(&b, " (");
                by_prefix(&b, d, rb);
                apn_buf_putc(&b, ')');
            }
            if (b.oom) {
                err = APN_ENOMEM;
                goto cleanup;
            }
            fprintf(f, "%s\n", apn_buf_cstr(&b));
        }
    }
    if (ferror(f))
        err = APN_EIO;
cleanup:
    apn_buf_dispose(&b);
    return err;
}

int apn_plan_write(const apn_plan *p, FILE *f, apn_format fmt)
{
    if (fmt == APN_FMT_CSV)
        return apn_table_write(p->t, f, fmt);
    size_t nw = p->d.in.nw;
    uint64_t *buf = apn_calloc(4 * nw, sizeof *buf);
    int err;
    if (!buf)
        return APN_ENOMEM;
    if (fmt == APN_FMT_JSON)
        err = write_json(p, f, buf, buf + nw, buf + 2 * nw, buf + 3 * nw);
    else
        err = write_text(p, f, buf, buf + nw, buf + 2 * nw);
    apn_free(buf);
    return err;
}
