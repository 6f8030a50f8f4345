/* mip — the MIP interface over GLPK, which lazylib loads on the first model. See mip.h. */
#include "mip.h"

#include <math.h>
#include <time.h>

#include <apnmap/apnmap.h>

#include "util/alloc.h"
#include "util/lazylib.h"

struct apn_mip {
    const apn_lazylib_glpk *g;
    glp_prob *p;
    size_t ncols;
    int *ind;          /* 1-based scratch for rows */
    double *val;
};

const char *apn_mip_unavailable(void)
{
    const apn_lazylib_glpk *g;
    const char *why;
    return apn_lazylib_glpk_load(&g, &why) < 0 ? why : NULL;
}

int apn_mip_new(apn_mip **out, size_t ncols, int maximize)
{
    const apn_lazylib_glpk *g = NULL;
    const char *why;
    *out = NULL;
    if (apn_lazylib_glpk_load(&g, &why) < 0)
        return APN_ERROR;
    apn_mip *m = apn_calloc(1, sizeof *m);
    if (!m)
        return APN_ENOMEM;
    m->g = g;
    m->ind = apn_calloc(ncols + 1, sizeof *m->ind);
    m->val = apn_calloc(ncols + 1, sizeof *m->val);
    if (!m->ind || !m->val) {
        apn_mip_free(m);
        return APN_ENOMEM;
    }
    g->term_out(GLP_OFF);   /* GLPK writes to stdout by default */
    m->p = g->create_prob();
    m->ncols = ncols;
    g->set_obj_dir(m->p, maximize ? GLP_MAX : GLP_MIN);
    if (ncols)
        g->add_cols(m->p, (int)ncols);
    for (size_t j = 0; j < ncols; j++)
        g->set_col_bnds(m->p, (int)j + 1, GLP_DB, 0.0, 1.0);
    *out = m;
    return 0;
}

void apn_mip_free(apn_mip *m)
{
    if (!m)
        return;
    if (m->p)
        m->g->delete_prob(m->p);
    apn_free(m->ind);
    apn_free(m->val);
    apn_free(m);
}

static int bounds_type(double lb, double ub)
{
    int lo = lb != -HUGE_VAL, hi = ub != HUGE_VAL;
    if (lo && hi)
        return lb == ub ? GLP_FX : GLP_DB;
    return lo ? GLP_LO : hi ? GLP_UP : GLP_FR;
}

void apn_mip_col(apn_mip *m, size_t j, double cost, double lb, double ub, int integer)
{
    int c = (int)j + 1;
    m->g->set_col_kind(m->p, c, integer ? GLP_IV : GLP_CV);
    m->g->set_col_bnds(m->p, c, bounds_type(lb, ub), lb, ub);
    m->g->set_obj_coef(m->p, c, cost);
}

void apn_mip_fix(apn_mip *m, size_t j, double v)
{
    m->g->set_col_bnds(m->p, (int)j + 1, GLP_FX, v, v);
}

long apn_mip_row(apn_mip *m, size_t n, const size_t *idx, const double *val, double lb, double ub)
{
    int r = m->g->add_rows(m->p, 1);
    for (size_t i = 0; i < n; i++) {
        m->ind[i + 1] = (int)idx[i] + 1;
        m->val[i + 1] = val[i];
    }
    m->g->set_mat_row(m->p, r, (int)n, m->ind, m->val);
    m->g->set_row_bnds(m->p, r, bounds_type(lb, ub), lb, ub);
    return r - 1;
}

void apn_mip_row_bounds(apn_mip *m, long r, double lb, double ub)
{
    m->g->set_row_bnds(m->p, (int)r + 1, bounds_type(lb, ub), lb, ub);
}

static int to_ms(double seconds)
{
    double ms = seconds * 1000.0;
    return ms < 1.0 ? 1 : ms > 2e9 ? 2000000000 : (int)ms;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int apn_mip_solve(apn_mip_status *out, apn_mip *m, double seconds)
{
    /* The LP relaxation first, under the limit (glp_intopt's own presolve does
     * not watch the clock), then branch and cut from its basis for the rest. */
    double start = now_s();
    glp_smcp sm;
    m->g->init_smcp(&sm);
    sm.msg_lev = GLP_MSG_OFF;
    sm.meth = GLP_DUALP;
    sm.tm_lim = to_ms(seconds);
    int rc = m->g->simplex(m->p, &sm);
    if (rc == GLP_ETMLIM) {
        *out = APN_MIP_UNKNOWN;
        return 0;
    }
    if (rc != 0 && rc != GLP_ENOPFS && rc != GLP_ENODFS)
        return APN_ERROR;
    int lp = m->g->get_status(m->p);
    if (rc == GLP_ENOPFS || lp == GLP_NOFEAS) {
        *out = APN_MIP_INFEASIBLE;
        return 0;
    }
    if (lp != GLP_OPT)
        return APN_ERROR;
    double left = seconds - (now_s() - start);
    if (left <= 0) {
        *out = APN_MIP_UNKNOWN;
        return 0;
    }
    glp_iocp parm;
    m->g->init_iocp(&parm);
    parm.msg_lev = GLP_MSG_OFF;
    parm.presolve = GLP_OFF;
    parm.mip_gap = 0.0;
    parm.tm_lim = to_ms(left);
    rc = m->g->intopt(m->p, &parm);
    int st = m->g->mip_status(m->p);
    if (rc == 0 && st == GLP_OPT)
        *out = APN_MIP_OPTIMAL;
    else if (rc == GLP_ENOPFS || st == GLP_NOFEAS)
        *out = APN_MIP_INFEASIBLE;
    else if (st == GLP_FEAS)
        *out = APN_MIP_FEASIBLE;
    else if (rc == GLP_ETMLIM || rc == GLP_EMIPGAP || rc == GLP_ESTOP || rc == 0)
        *out = APN_MIP_UNKNOWN;
    else
        return APN_ERROR;
    return 0;
}

double apn_mip_value(const apn_mip *m, size_t j) { return m->g->mip_col_val(m->p, (int)j + 1); }
