/* plan — the planner's modes and apn_plan_run. See include/apnmap/plan.h.
 *
 * apn_plan_run loads the offering (plan_load.c), reads the --met files
 * (read/met.h), marks what is done, and answers one mode with the solver
 * (plan_solve.c) into the answer's table (plan_answer.c writes it).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <apnmap/apnmap.h>

#include "util/alloc.h"
#include "util/bitset.h"
#include "util/buf.h"
#include "read/met.h"
#include "mip.h"
#include "plan_answer.h"
#include "plan_load.h"
#include "plan_solve.h"

static int set_amount(apn_plan *p, size_t col, double v)
{
    if (p->d.integral)
        return apn_table_set_int(p->t, col, llround(v));
    return apn_table_set_real(p->t, col, v);
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
    if (fabs(a->v - b->v) > apn_plan__tol(a->v))
        return a->v < b->v ? -1 : 1;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

static int mode_next(apn_plan *p, const size_t *cand, size_t ncand, size_t n, apn_diags *dg)
{
    static const char *names[] = { "rank", "competency", "offering", "new", "total", "evidence_new", "partial" };
    static const apn_coltype types[] = { APN_COL_INT, APN_COL_TEXT, APN_COL_TEXT, AMOUNT, AMOUNT, APN_COL_INT, APN_COL_BOOL };
    apn_plan_data *d = &p->d;
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
        v[i].v = apn_plan__marginal(&d->in, cand[i], none);
    }
    qsort(v, ncand, sizeof *v, cmp_ranked);
    if (n > ncand)
        apn_diags_add(dg, APN_SEV_NOTE, "", "", "--next %zu: only %zu candidate %s %s; listing all of them",
                      n, ncand, ncand == 1 ? "competency offers" : "competencies offer", d->offering);
    size_t rank = 1;
    for (size_t i = 0; i < ncand && i < n; i++) {
        size_t c = v[i].a;
        if (i && fabs(v[i].v - v[i - 1].v) > apn_plan__tol(v[i].v))
            rank = i + 1;
        if ((err = apn_table_add_row(p->t)) < 0 || (err = apn_table_set_int(p->t, 0, (long long)rank)) < 0 ||
            (err = apn_table_set_text(p->t, 1, d->slug[c])) < 0 ||
            (err = apn_table_set_text(p->t, 2, d->offering)) < 0 || (err = set_amount(p, 3, v[i].v)) < 0 ||
            (err = set_amount(p, 4, apn_plan__weigh(&d->in, apn_plan__set(&d->in, c)))) < 0 ||
            (err = apn_table_set_int(p->t, 5, (long long)apn_plan__evidence(d, c))) < 0 ||
            (err = apn_table_set_bool(p->t, 6, d->partial[c])) < 0 || (err = apn_plan__explain(p, &c, 1, 0)) < 0)
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
    apn_plan_data *d = &p->d;
    apn_buf b = APN_BUF_INIT;
    size_t ev = 0;
    int part = 0, err;
    for (size_t i = 0; i < k; i++) {
        if (i)
            apn_buf_putc(&b, ';');
        apn_buf_puts(&b, d->slug[sel[i]]);
        ev += apn_plan__evidence(d, sel[i]);
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
    if ((err = apn_table_set_bool(p->t, c++, how->optimal)) < 0 ||
        (err = apn_table_set_int(p->t, c++, (long long)ev)) < 0 ||
        (err = apn_table_set_bool(p->t, c++, part)) < 0 || (err = apn_plan__explain(p, sel, k, 0)) < 0)
        goto cleanup;
    p->partial |= part;
cleanup:
    apn_buf_dispose(&b);
    return err;
}

static int mode_best(apn_plan *p, const size_t *cand, size_t ncand, size_t k, double secs, apn_diags *dg)
{
    static const char *names[] = { "competencies", "offering", "new", "optimal", "evidence_new", "partial" };
    static const apn_coltype types[] = { APN_COL_TEXT, APN_COL_TEXT, AMOUNT, APN_COL_BOOL, APN_COL_INT, APN_COL_BOOL };
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
    static const apn_coltype types[] = { APN_COL_TEXT, APN_COL_TEXT, AMOUNT, APN_COL_INT, APN_COL_BOOL, APN_COL_INT, APN_COL_BOOL };
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
    static const apn_coltype types[] = { APN_COL_INT, APN_COL_TEXT, AMOUNT, AMOUNT, APN_COL_INT, APN_COL_BOOL, APN_COL_BOOL };
    apn_plan_data *d = &p->d;
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
            (err = set_amount(p, 3, cum)) < 0 || (err = apn_table_set_int(p->t, 4, (long long)apn_plan__evidence(d, c))) < 0 ||
            (err = apn_table_set_bool(p->t, 5, d->partial[c])) < 0 ||
            (err = apn_table_set_bool(p->t, 6, how.optimal)) < 0 || (err = apn_plan__explain(p, seq, i + 1, i)) < 0)
            goto cleanup;
        p->partial |= d->partial[c];
        prev = cum;
    }
cleanup:
    apn_free(seq);
    return err;
}

static int in_category(const apn_plan_data *d, size_t c, const char *cat)
{
    return !cat || (d->cat[c] && !strcasecmp(d->cat[c], cat));
}

static int mode_pairs(apn_plan *p, const size_t *cand, size_t ncand, const char *cat1, const char *cat2,
                      apn_diags *dg)
{
    static const char *names[] = { "rank", "first", "second", "offering", "new_second", "shared", "evidence_new", "partial" };
    static const apn_coltype types[] = { APN_COL_INT, APN_COL_TEXT, APN_COL_TEXT, APN_COL_TEXT, AMOUNT, APN_COL_INT, APN_COL_INT, APN_COL_BOOL };
    apn_plan_data *d = &p->d;
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
            v[nv].v = apn_plan__marginal(&d->in, cand[j], apn_plan__set(&d->in, cand[i]));
            nv++;
        }
    }
    qsort(v, nv, sizeof *v, cmp_ranked);
    size_t rank = 1;
    for (size_t i = 0; i < nv; i++) {
        size_t pair[2] = { v[i].a, v[i].b };
        if (i && fabs(v[i].v - v[i - 1].v) > apn_plan__tol(v[i].v))
            rank = i + 1;
        size_t shared = apn_bitset_and_count(apn_plan__set(&d->in, v[i].a), apn_plan__set(&d->in, v[i].b), d->in.nw);
        int part = d->partial[v[i].a] || d->partial[v[i].b];
        if ((err = apn_table_add_row(p->t)) < 0 || (err = apn_table_set_int(p->t, 0, (long long)rank)) < 0 ||
            (err = apn_table_set_text(p->t, 1, d->slug[v[i].a])) < 0 ||
            (err = apn_table_set_text(p->t, 2, d->slug[v[i].b])) < 0 ||
            (err = apn_table_set_text(p->t, 3, d->offering)) < 0 || (err = set_amount(p, 4, v[i].v)) < 0 ||
            (err = apn_table_set_int(p->t, 5, (long long)shared)) < 0 ||
            (err = apn_table_set_int(p->t, 6, (long long)apn_plan__evidence(d, v[i].b))) < 0 || (err = apn_table_set_bool(p->t, 7, part)) < 0 ||
            (err = apn_plan__explain(p, pair, 2, 1)) < 0)
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

/* The candidates: every competency not held, but for one whose checklist is
 * partial (its cost is unknown, not low) unless o->include_partial; those are
 * recorded in p->left and named in a note. --pairs leaves out only those of
 * its categories; --order's targets are named, so nothing is left out. */
static int pick_candidates(apn_plan *p, size_t *cand, size_t *ncand, const char *held,
                           const apn_plan_opts *o, apn_diags *dg)
{
    apn_plan_data *d = &p->d;
    int pairs = o->mode == APN_PLAN_PAIRS;
    *ncand = 0;
    if (!(p->left = apn_calloc(d->ncomp + 1, sizeof *p->left)))
        return APN_ENOMEM;
    for (size_t i = 0; i < d->ncomp; i++) {
        if (held[i])
            continue;
        if (!d->partial[i] || o->include_partial || o->mode == APN_PLAN_ORDER)
            cand[(*ncand)++] = i;
        else if (!pairs || in_category(d, i, o->first_category) || in_category(d, i, o->second_category))
            p->left[p->nleft++] = i;
    }
    if (!p->nleft)
        return 0;
    apn_buf b = APN_BUF_INIT;
    for (size_t i = 0; i < p->nleft; i++)
        apn_buf_printf(&b, "%s%s", i ? ", " : "", d->slug[p->left[i]]);
    if (b.oom) {
        apn_buf_dispose(&b);
        return APN_ENOMEM;
    }
    apn_diags_add(dg, APN_SEV_NOTE, "", "",
                  "left out %zu candidate%s whose %s checklist is partial (cost unknown, not low): %s; "
                  "--include-partial plans with them too (their counts are lower bounds)",
                  p->nleft, p->nleft == 1 ? "" : "s", d->offering, apn_buf_cstr(&b));
    apn_buf_dispose(&b);
    return 0;
}

int apn_plan_run(apn_plan **out, apn_db *db, const apn_plan_opts *o, apn_diags *dg)
{
    apn_plan *p = NULL;
    size_t *cand = NULL, *targets = NULL, ncand = 0, nt = 0;
    char *held = NULL;
    apn_met_set met;
    int err = 0;
    const char *offering = o->offering ? o->offering : "services";
    double secs = o->time_limit > 0 ? o->time_limit : APN_PLAN_DEFAULT_TIME_LIMIT;

    *out = NULL;
    apn_met_init(&met);
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
    if ((err = apn_plan__load(&p->d, db, offering, dg)) < 0)
        goto cleanup;
    apn_plan_data *d = &p->d;
    if (o->weights_path && (err = apn_plan__load_weights(d, o->weights_path, dg)) < 0)
        goto cleanup;
    if (o->met_path && ((err = apn_met_read(&met, o->met_path, dg)) < 0 ||
                        (err = apn_plan__apply_met(d, &met, dg)) < 0))
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
        if ((err = apn_plan__resolve(&c, db, d, o->have[i], dg)) < 0)
            goto cleanup;
        if (c < 0) {
            apn_diags_add(dg, APN_SEV_NOTE, "", "", "--have %s: it has no %s checklist, so nothing counts as done",
                          o->have[i], offering);
            continue;
        }
        held[c] = 1;
        apn_bitset_or(d->in.done, apn_plan__set(&d->in, (size_t)c), d->in.nw);
    }
    if ((err = pick_candidates(p, cand, &ncand, held, o, dg)) < 0)
        goto cleanup;
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
            if ((err = apn_plan__resolve(&c, db, d, o->targets[i], dg)) < 0)
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
    apn_met_dispose(&met);
    apn_free(held);
    apn_free(cand);
    apn_free(targets);
    return err;
}
