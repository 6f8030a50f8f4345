/* Unit tests for plan_solve.c, the planner's core: a brute-force oracle on random small instances
 * (seeded, so failures reproduce). Every answer marked optimal must equal the
 * enumerated optimum, ties included (smallest list of indices); greedy and
 * heuristic answers must never be marked optimal. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "test.h"

#include "util/alloc.h"
#include "util/bitset.h"
#include "plan_solve.h"

#include <apnmap/apnmap.h>

/* A random instance: ncomp competencies over nreq requirements, density d%,
 * weights unit or small integers (some 0), some requirements done. */
static int make_inst(apn_plan_inst *in, size_t ncomp, size_t nreq, unsigned density, int weighted)
{
    if (apn_plan__inst_init(in, ncomp, nreq) < 0)
        return -1;
    for (size_t c = 0; c < ncomp; c++)
        for (size_t r = 0; r < nreq; r++)
            if (test_rnd(100) < density)
                apn_bitset_set(apn_plan__set(in, c), r);
    for (size_t r = 0; r < nreq; r++) {
        if (weighted)
            in->w[r] = test_rnd(6);   /* 0..5 */
        if (test_rnd(10) == 0)
            apn_bitset_set(in->done, r);
    }
    return 0;
}

/* A structured instance: competencies are unions of a few of 6 blocks of
 * requirements, so identical and nested sets (as prerequisites make them) abound. */
static int make_blocks(apn_plan_inst *in, size_t ncomp)
{
    size_t nreq = 6 * 4;
    if (apn_plan__inst_init(in, ncomp, nreq) < 0)
        return -1;
    for (size_t c = 0; c < ncomp; c++) {
        unsigned mask = 1 + test_rnd(63);
        for (size_t r = 0; r < nreq; r++)
            if (mask & (1u << (r / 4)))
                apn_bitset_set(apn_plan__set(in, c), r);
    }
    for (size_t r = 0; r < nreq; r++)
        in->w[r] = 1 + test_rnd(3);
    return 0;
}

/* The oracle's own cost: a plain loop, independent of plan.c. */
static double cost_of(const apn_plan_inst *in, const size_t *sel, size_t n)
{
    double s = 0;
    for (size_t r = 0; r < in->nreq; r++) {
        if (apn_bitset_has(in->done, r))
            continue;
        for (size_t i = 0; i < n; i++)
            if (apn_bitset_has(apn_plan__set(in, sel[i]), r)) {
                s += in->w[r];
                break;
            }
    }
    return s;
}

/* Best k-subset of cand by enumeration in lexicographic order: the first
 * strict minimum found is the smallest list among equal optima. */
static double oracle_best(size_t *best, const apn_plan_inst *in, const size_t *cand, size_t ncand, size_t k)
{
    size_t pos[16], sel[16];
    double bv = HUGE_VAL;
    for (size_t i = 0; i < k; i++)
        pos[i] = i;
    for (;;) {
        for (size_t i = 0; i < k; i++)
            sel[i] = cand[pos[i]];
        double v = cost_of(in, sel, k);
        if (v < bv - 1e-9) {
            bv = v;
            memcpy(best, sel, k * sizeof *sel);
        }
        size_t i = k;
        while (i > 0 && pos[i - 1] == ncand - k + i - 1)
            i--;
        if (i == 0)
            break;
        pos[i - 1]++;
        for (size_t j = i; j < k; j++)
            pos[j] = pos[j - 1] + 1;
    }
    return bv;
}

/* Lexicographic comparison of sorted lists of different lengths. */
static int list_less(const size_t *a, size_t na, const size_t *b, size_t nb)
{
    for (size_t i = 0; i < na && i < nb; i++)
        if (a[i] != b[i])
            return a[i] < b[i];
    return na < nb;
}

/* Budget: most members within budget, then cheapest, then smallest list. */
static size_t oracle_budget(size_t *best, double *bv, const apn_plan_inst *in, const size_t *cand,
                            size_t ncand, double budget)
{
    size_t bn = 0, sel[16];
    *bv = 0;
    for (uint32_t m = 0; m < (1u << ncand); m++) {
        size_t n = 0;
        for (size_t i = 0; i < ncand; i++)
            if (m & (1u << i))
                sel[n++] = cand[i];
        double v = cost_of(in, sel, n);
        if (v > budget + 1e-9)
            continue;
        if (n > bn || (n == bn && (v < *bv - 1e-9 || (v <= *bv + 1e-9 && list_less(sel, n, best, bn))))) {
            bn = n;
            *bv = v;
            memcpy(best, sel, n * sizeof *sel);
        }
    }
    return bn;
}

static double order_sum(const apn_plan_inst *in, const size_t *seq, size_t n)
{
    double s = 0;
    for (size_t i = 1; i <= n; i++)
        s += cost_of(in, seq, i);
    return s;
}

/* Every permutation in lexicographic order (next_permutation). */
static double oracle_order(size_t *best, const apn_plan_inst *in, const size_t *t, size_t n)
{
    size_t p[16];
    double bv = HUGE_VAL;
    memcpy(p, t, n * sizeof *p);
    for (size_t i = 1; i < n; i++)   /* sort */
        for (size_t j = i; j > 0 && p[j - 1] > p[j]; j--) {
            size_t x = p[j]; p[j] = p[j - 1]; p[j - 1] = x;
        }
    for (;;) {
        double v = order_sum(in, p, n);
        if (v < bv - 1e-9) {
            bv = v;
            memcpy(best, p, n * sizeof *p);
        }
        size_t i = n - 1;
        while (i > 0 && p[i - 1] >= p[i])
            i--;
        if (i == 0)
            break;
        size_t j = n - 1;
        while (p[j] <= p[i - 1])
            j--;
        size_t x = p[i - 1]; p[i - 1] = p[j]; p[j] = x;
        for (size_t a = i, b = n - 1; a < b; a++, b--) {
            x = p[a]; p[a] = p[b]; p[b] = x;
        }
    }
    return bv;
}

static int same(const size_t *a, const size_t *b, size_t n)
{
    return !memcmp(a, b, n * sizeof *a);
}

/* Candidates: a random subset of the competencies (the rest are "held"). */
static size_t pick_cand(size_t *cand, size_t ncomp)
{
    size_t n = 0;
    for (size_t c = 0; c < ncomp; c++)
        if (test_rnd(5) || n < 2)
            cand[n++] = c;
    return n;
}

TEST(plan__best_matches_oracle)
{
    test_seed(12345);
    for (int round = 0; round < 120; round++) {
        apn_plan_inst in;
        size_t ncomp = 3 + test_rnd(8), nreq = 4 + test_rnd(30), cand[16], got[16], want[16];
        REQUIRE(make_inst(&in, ncomp, nreq, 15 + test_rnd(50), round % 2) == 0);
        size_t ncand = pick_cand(cand, ncomp);
        size_t k = 1 + test_rnd((unsigned)ncand);
        double ov = oracle_best(want, &in, cand, ncand, k), v = -1;
        apn_plan_how how;
        CHECK(apn_plan__best(got, &v, &how, &in, cand, ncand, k, 10.0) == 0);
        CHECK(how.optimal);   /* tiny instances: the solver proves it well within 10 s */
        if (how.optimal) {
            CHECK(fabs(v - ov) < 1e-9);
            if (!how.tie_open)
                CHECK(same(got, want, k));
        }
        CHECK(fabs(v - cost_of(&in, got, k)) < 1e-9);   /* the reported value is the set's */
        /* the MIP path alone (the fallback past the search's share of the limit) */
        CHECK(apn_plan__mip_best(got, &v, &how, &in, cand, ncand, k, 10.0) == 0);
        CHECK(how.optimal);
        if (how.optimal) {
            CHECK(fabs(v - ov) < 1e-9);
            if (!how.tie_open)
                CHECK(same(got, want, k));
        }
        apn_plan__inst_dispose(&in);
    }
}

/* The MIP paths with each allocation failing in turn: APN_ENOMEM, never a
 * crash or a double free (model_build's failure used to free the model twice). */
TEST(plan__mip_out_of_memory)
{
    test_seed(4242);
    apn_plan_inst in;
    size_t cand[16], got[16], count = 0;
    double v;
    apn_plan_how how;
    REQUIRE(make_inst(&in, 6, 20, 40, 0) == 0);
    size_t ncand = pick_cand(cand, 6);
    for (int budget = 0; budget < 2; budget++) {
        int done = 0;
        for (long k = 1; k < 2000 && !done; k++) {
            apn_alloc_fail_after(k);
            int err = budget ? apn_plan__mip_budget(got, &count, &v, &how, &in, cand, ncand, 30, 10.0)
                             : apn_plan__mip_best(got, &v, &how, &in, cand, ncand, 2, 10.0);
            long refused = apn_alloc_failures();
            apn_alloc_fail_after(0);
            CHECK(err == 0 || err == APN_ENOMEM);
            CHECK(refused == 0 || err == APN_ENOMEM);
            done = refused == 0;
        }
        CHECK(done);
    }
    apn_plan__inst_dispose(&in);
}

TEST(plan__nested_sets_match_oracle)
{
    test_seed(31337);
    for (int round = 0; round < 150; round++) {
        apn_plan_inst in;
        size_t ncomp = 4 + test_rnd(8), cand[16], got[16], want[16], n = 0;
        REQUIRE(make_blocks(&in, ncomp) == 0);
        size_t ncand = pick_cand(cand, ncomp);
        size_t k = 1 + test_rnd((unsigned)ncand);
        double ov = oracle_best(want, &in, cand, ncand, k), v = -1;
        apn_plan_how how;
        CHECK(apn_plan__best(got, &v, &how, &in, cand, ncand, k, 10.0) == 0);
        CHECK(how.optimal && !how.tie_open);
        CHECK(fabs(v - ov) < 1e-9);
        CHECK(same(got, want, k));
        double budget = 1 + test_rnd(40), bv;
        size_t on = oracle_budget(want, &bv, &in, cand, ncand, budget);
        CHECK(apn_plan__budget(got, &n, &v, &how, &in, cand, ncand, budget, 10.0) == 0);
        CHECK(how.optimal && !how.tie_open);
        CHECK_INT(n, on);
        if (n == on) {
            CHECK(fabs(v - bv) < 1e-9);
            CHECK(same(got, want, n));
        }
        apn_plan__inst_dispose(&in);
    }
}

TEST(plan__greedy_never_claims_optimal)
{
    test_seed(777);
    int worse = 0;
    for (int round = 0; round < 200; round++) {
        apn_plan_inst in;
        size_t ncomp = 4 + test_rnd(7), nreq = 6 + test_rnd(30), cand[16], got[16], want[16];
        REQUIRE(make_inst(&in, ncomp, nreq, 20 + test_rnd(50), round % 2) == 0);
        size_t ncand = pick_cand(cand, ncomp);
        size_t k = 1 + test_rnd((unsigned)ncand);
        double ov = oracle_best(want, &in, cand, ncand, k), v = -1;
        apn_plan_how how;
        CHECK(apn_plan__best(got, &v, &how, &in, cand, ncand, k, 0) == 0);   /* greedy only */
        CHECK(v >= ov - 1e-9);
        if (k < ncand)
            CHECK(!how.optimal);
        worse += v > ov + 1e-9;
        apn_plan__inst_dispose(&in);
    }
    CHECK(worse > 0);   /* the instances are hard enough for greedy to miss sometimes */
}

TEST(plan__budget_matches_oracle)
{
    test_seed(4242);
    for (int round = 0; round < 120; round++) {
        apn_plan_inst in;
        size_t ncomp = 3 + test_rnd(8), nreq = 4 + test_rnd(30), cand[16], got[16], want[16], n = 0;
        REQUIRE(make_inst(&in, ncomp, nreq, 15 + test_rnd(50), round % 2) == 0);
        size_t ncand = pick_cand(cand, ncomp);
        double budget = 1 + test_rnd((unsigned)nreq * 2), ov, v = -1;
        size_t on = oracle_budget(want, &ov, &in, cand, ncand, budget);
        apn_plan_how how;
        CHECK(apn_plan__budget(got, &n, &v, &how, &in, cand, ncand, budget, 10.0) == 0);
        CHECK(how.optimal);
        CHECK(cost_of(&in, got, n) <= budget + 1e-9);
        CHECK_INT(n, on);
        if (how.optimal && n == on && !how.tie_open) {
            CHECK(fabs(v - ov) < 1e-9);
            CHECK(same(got, want, n));
        }
        n = 0;
        CHECK(apn_plan__mip_budget(got, &n, &v, &how, &in, cand, ncand, budget, 10.0) == 0);
        CHECK(how.optimal);
        CHECK_INT(n, on);
        CHECK(cost_of(&in, got, n) <= budget + 1e-9);
        if (how.optimal && n == on && !how.tie_open) {
            CHECK(fabs(v - ov) < 1e-9);
            CHECK(same(got, want, n));
        }
        /* greedy only: within the budget, never more than the optimum, never "optimal"
         * unless every candidate fits */
        size_t gn = 0;
        CHECK(apn_plan__budget(got, &gn, &v, &how, &in, cand, ncand, budget, 0) == 0);
        CHECK(gn <= on);
        CHECK(cost_of(&in, got, gn) <= budget + 1e-9);
        CHECK(!how.optimal || gn == ncand);
        apn_plan__inst_dispose(&in);
    }
}

TEST(plan__order_matches_oracle)
{
    test_seed(99);
    for (int round = 0; round < 80; round++) {
        apn_plan_inst in;
        size_t ncomp = 2 + test_rnd(6), nreq = 4 + test_rnd(30), t[16], got[16], want[16];
        REQUIRE(make_inst(&in, ncomp, nreq, 15 + test_rnd(50), round % 2) == 0);
        size_t n = 0;
        for (size_t c = ncomp; c-- > 0;)   /* targets given in any order */
            if (test_rnd(4) || n == 0)
                t[n++] = c;
        double ov = oracle_order(want, &in, t, n), v = -1;
        apn_plan_how how;
        CHECK(apn_plan__order(got, &v, &how, &in, t, n) == 0);
        CHECK(how.optimal);
        CHECK(fabs(v - ov) < 1e-9);
        CHECK(fabs(order_sum(&in, got, n) - v) < 1e-9);
        CHECK(same(got, want, n));
        apn_plan__inst_dispose(&in);
    }
}

TEST(plan__order_heuristic_beyond_16_is_marked)
{
    test_seed(5);
    apn_plan_inst in;
    size_t n = 20, t[20], got[20];
    REQUIRE(make_inst(&in, n, 60, 30, 0) == 0);
    for (size_t i = 0; i < n; i++)
        t[i] = n - 1 - i;
    double v = -1;
    apn_plan_how how;
    CHECK(apn_plan__order(got, &v, &how, &in, t, n) == 0);
    CHECK(!how.optimal);
    CHECK(fabs(order_sum(&in, got, n) - v) < 1e-9);
    /* a permutation of the targets */
    int seen[20] = { 0 };
    for (size_t i = 0; i < n; i++)
        if (got[i] < n)
            seen[got[i]]++;
    for (size_t i = 0; i < n; i++)
        CHECK_INT(seen[i], 1);
    apn_plan__inst_dispose(&in);
}

TEST(plan__ties_give_smallest_list)
{
    /* four identical competencies: every pair costs the same; {0,1} must win */
    apn_plan_inst in;
    REQUIRE(apn_plan__inst_init(&in, 4, 3) == 0);
    for (size_t c = 0; c < 4; c++)
        for (size_t r = 0; r < 3; r++)
            apn_bitset_set(apn_plan__set(&in, c), r);
    size_t cand[] = { 0, 1, 2, 3 }, got[4];
    double v;
    apn_plan_how how;
    CHECK(apn_plan__best(got, &v, &how, &in, cand, 4, 2, 5.0) == 0);
    CHECK(got[0] == 0 && got[1] == 1);
    CHECK_INT((long long)v, 3);
    size_t rev[] = { 3, 2, 1, 0 };
    CHECK(apn_plan__order(got, &v, &how, &in, rev, 4) == 0);
    CHECK(got[0] == 0 && got[1] == 1 && got[2] == 2 && got[3] == 3);
    CHECK_INT((long long)v, 12);
    apn_plan__inst_dispose(&in);
}

/* ---- through the public API, over tests/resources/plan/small.sql ---- */

static char db_path[300];

static char db_dir[256];

static int open_small(apn_db **out)
{
    *out = NULL;
    if (test_tmpdir(db_dir, sizeof db_dir, "plan") < 0)
        return -1;
    snprintf(db_path, sizeof db_path, "%s/small.db", db_dir);
    if (test_db_from_sql(db_path, "src/schema.sql", "tests/resources/plan/small.sql", NULL) < 0)
        return -1;
    apn_diags d = APN_DIAGS_INIT;
    int rc = apn_db_open(out, db_path, &d);
    apn_diags_dispose(&d);
    return rc;
}

static void close_small(apn_db *db)
{
    apn_db_free(db);
    test_rmtree(db_dir);
}

static const char *const have_genai[] = { "GenAI" };
static const char *const order_targets[] = { "security", "Healthcare" };

TEST(plan__api_modes)
{
    apn_db *db = NULL;
    REQUIRE(open_small(&db) == 0);
    apn_plan_opts o;
    memset(&o, 0, sizeof o);
    apn_plan *p = NULL;
    apn_diags dg = APN_DIAGS_INIT;

    o.mode = APN_PLAN_NEXT;   /* with generative-ai held: data-analytics is free */
    o.n = 2;
    o.have = have_genai;
    o.nhave = 1;
    REQUIRE(apn_plan_run(&p, db, &o, &dg) == 0);
    const apn_table *t = apn_plan_table(p);
    CHECK_INT(apn_table_nrows(t), 2);
    CHECK_STR(apn_table_text(t, 0, 1), "data-analytics");
    CHECK_INT(apn_table_int(t, 0, 3), 0);
    CHECK_STR(apn_table_text(t, 1, 1), "healthcare");
    CHECK_INT(apn_table_int(t, 1, 3), 2);
    CHECK_INT(apn_table_int(t, 1, 5), 1);   /* POV-001: fresh evidence though done */
    apn_plan_free(p);

    o.mode = APN_PLAN_BEST;
    o.nhave = 0;
    o.n = 2;
    REQUIRE(apn_plan_run(&p, db, &o, &dg) == 0);
    t = apn_plan_table(p);
    CHECK_STR(apn_table_text(t, 0, 0), "data-analytics;generative-ai");
    CHECK_INT(apn_table_int(t, 0, 2), 8);
    CHECK_INT(apn_table_int(t, 0, 3), 1);
    apn_plan_free(p);

    o.mode = APN_PLAN_ORDER;
    o.targets = order_targets;
    o.ntargets = 2;
    REQUIRE(apn_plan_run(&p, db, &o, &dg) == 0);
    t = apn_plan_table(p);
    CHECK_STR(apn_table_text(t, 0, 1), "healthcare");   /* 6 then 9: 15 < 6 + 9 ... */
    CHECK_INT(apn_table_int(t, 1, 3), 9);
    apn_plan_free(p);

    o.mode = APN_PLAN_BEST;
    o.n = 0;
    CHECK_INT(apn_plan_run(&p, db, &o, &dg), APN_EUSAGE);
    CHECK(p == NULL);
    o.mode = APN_PLAN_BUDGET;
    o.budget = 0;
    CHECK_INT(apn_plan_run(&p, db, &o, &dg), APN_EUSAGE);
    CHECK(dg.nerr == 2);
    apn_diags_dispose(&dg);
    close_small(db);
}

TEST(plan__out_of_memory)
{
    apn_db *db = NULL;
    REQUIRE(open_small(&db) == 0);
    static const apn_plan_mode modes[] = { APN_PLAN_NEXT, APN_PLAN_BEST, APN_PLAN_BUDGET, APN_PLAN_ORDER, APN_PLAN_PAIRS };
    for (size_t m = 0; m < sizeof modes / sizeof *modes; m++) {
        apn_plan_opts o;
        memset(&o, 0, sizeof o);
        o.mode = modes[m];
        o.n = 2;
        o.budget = 9;
        o.targets = order_targets;
        o.ntargets = 2;
        o.have = have_genai;
        o.nhave = 1;
        int done = 0;
        for (long k = 1; k < 5000 && !done; k++) {
            apn_plan *p = NULL;
            apn_diags dg = APN_DIAGS_INIT;
            apn_alloc_fail_after(k);
            int err = apn_plan_run(&p, db, &o, &dg);
            if (err == 0) {   /* writing allocates too */
                FILE *f = fopen("/dev/null", "w");
                err = f ? apn_plan_write(p, f, APN_FMT_JSON) : 0;
                if (!err && f)
                    err = apn_plan_write(p, f, APN_FMT_TABLE);
                if (f)
                    fclose(f);
            }
            long refused = apn_alloc_failures();
            apn_alloc_fail_after(0);
            CHECK(err == 0 || err == APN_ENOMEM);
            CHECK(refused == 0 || err == APN_ENOMEM || dg.oom);
            apn_plan_free(p);
            apn_diags_dispose(&dg);
            done = refused == 0;
        }
        CHECK(done);
    }
    close_small(db);
}

TEST(plan__free_null)
{
    apn_plan_free(NULL);
    apn_plan__inst_dispose(NULL);
}
