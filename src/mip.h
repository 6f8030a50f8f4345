/* mip — a small mixed-integer programming interface of our own, over GLPK.
 *
 * The planner states its models here (columns with bounds and costs, rows as
 * sparse linear constraints) and never touches glpk.h itself, so the solver can
 * be swapped. An apn_mip is owned: apn_mip_new gives it, apn_mip_free releases
 * it (NULL accepted). Indices are 0-based. GLPK's terminal output is switched
 * off: the library never prints. Solving honours a wall-clock limit and says
 * whether the optimum was proven (APN_MIP_OPTIMAL) or only a feasible point found.
 * GLPK is loaded by the first apn_mip_new (lazylib.h), not at process start.
 */
#ifndef APN_MIP_H
#define APN_MIP_H

#include <stddef.h>

typedef struct apn_mip apn_mip;

typedef enum {
    APN_MIP_OPTIMAL = 0,    /* proven optimal */
    APN_MIP_FEASIBLE,       /* a solution, optimality not proven (time limit) */
    APN_MIP_INFEASIBLE,     /* proven: no solution */
    APN_MIP_UNKNOWN         /* time limit before any solution */
} apn_mip_status;

/* A model with ncols columns, all continuous in [0, 1] with cost 0. maximize
 * selects the objective's sense. Returns 0, APN_ENOMEM, or APN_ERROR when GLPK
 * cannot be loaded (apn_mip_unavailable says why). */
int apn_mip_new(apn_mip **out, size_t ncols, int maximize);
/* NULL when GLPK is loaded (it loads it), else why not: a static message
 * naming the library and its Debian package. */
const char *apn_mip_unavailable(void);
void apn_mip_free(apn_mip *m);

/* Column j: cost, bounds [lb, ub] (lb == ub fixes it), integer or not. */
void apn_mip_col(apn_mip *m, size_t j, double cost, double lb, double ub, int integer);
/* Fixes column j at v (also used to undo: apn_mip_col restores bounds). */
void apn_mip_fix(apn_mip *m, size_t j, double v);

/* Adds lb <= sum val[i] * x[idx[i]] <= ub. Use -HUGE_VAL / HUGE_VAL for a
 * missing side. Returns the row's index, or APN_ENOMEM. */
long apn_mip_row(apn_mip *m, size_t n, const size_t *idx, const double *val, double lb, double ub);
/* Changes the bounds of row r. */
void apn_mip_row_bounds(apn_mip *m, long r, double lb, double ub);

/* Solves within seconds of wall clock (> 0). Returns 0 and sets *out, or
 * APN_ERROR when the solver failed for another reason. */
int apn_mip_solve(apn_mip_status *out, apn_mip *m, double seconds);
double apn_mip_value(const apn_mip *m, size_t j);   /* column j in the last solution found */

#endif
