/* cmd_plan — `apnmap plan`: the cheapest next competencies, sets, budgets,
 * orders and differentiation pairs (docs/design.md §5, docs/plan.md). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"

/* Splits a comma-separated list in place into trimmed, non-empty items. */
static char **split_list(char *s, size_t *n)
{
    size_t cap = 1;
    for (const char *p = s; *p; p++)
        cap += *p == ',';
    char **v = calloc(cap, sizeof *v);
    *n = 0;
    if (!v)
        return NULL;
    for (char *tok = strtok(s, ","); tok; tok = strtok(NULL, ",")) {
        while (*tok == ' ' || *tok == '\t')
            tok++;
        char *e = tok + strlen(tok);
        while (e > tok && (e[-1] == ' ' || e[-1] == '\t'))
            *--e = 0;
        if (*tok)
            v[(*n)++] = tok;
    }
    return v;
}

static int parse_long(long *out, const char *s)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end)
        return -1;
    *out = v;
    return 0;
}

static int parse_double(double *out, const char *s)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

int cmd_plan(int argc, char **argv)
{
    const char *db_path = NULL, *format = NULL, *offering = NULL, *next = NULL, *best = NULL,
               *budget = NULL, *order = NULL, *have = NULL, *met = NULL, *weights = NULL,
               *tlim = NULL, *cat1 = NULL, *cat2 = NULL;
    int pairs = 0, include_partial = 0;
    const opt opts[] = {
        { "next", 0, OPT_STR, "N", "the N cheapest next competencies", &next, 0 },
        { "best", 0, OPT_STR, "K", "the K competencies with the fewest new requirements together", &best, 0 },
        { "budget", 0, OPT_STR, "B", "the most competencies within B new requirements (or effort)", &budget, 0 },
        { "order", 0, OPT_STR, "C1,C2,..", "the order of these targets minimising the sum of completion times", &order, 0 },
        { "pairs", 0, OPT_FLAG, NULL, "differentiation pairs ranked by the cost of the second", NULL, &pairs },
        { "first-category", 0, OPT_STR, "C", "--pairs: the first competency's category (e.g. industry)", &cat1, 0 },
        { "second-category", 0, OPT_STR, "C", "--pairs: the second competency's category (e.g. workload)", &cat2, 0 },
        { "offering", 0, OPT_STR, "O", "saas, customer-deployed or services (default services)", &offering, 0 },
        { "have", 0, OPT_STR, "C1,C2", "competencies held: not candidates, their requirements done", &have, 0 },
        { "met", 0, OPT_STR, "FILE", "a filled self-assessment (.xlsx) or Prowler's FTR CSV: its yes/na requirements are done", &met, 0 },
        { "include-partial", 0, OPT_FLAG, NULL, "candidates include partial checklists (their counts are lower bounds)", NULL, &include_partial },
        { "weights", 0, OPT_STR, "FILE", "effort per requirement: CSV prefix_or_id,cost (default 1)", &weights, 0 },
        { "time-limit", 0, OPT_STR, "SECONDS", "solver time limit (default 5); past it the answer is not proven", &tlim, 0 },
        OPT_DB(db_path),
        OPT_FORMAT(format),
        { 0 }
    };
    const cmd_spec spec = {
        "plan", "(--next N | --best K | --budget B | --order C1,C2,.. | --pairs) [options]",
        "Plan the cheapest path to the next competencies, given what is done.",
        "Modes (exactly one) and their CSV columns:\n"
        "  --next N      rank,competency,offering,new,total\n"
        "  --best K      competencies,offering,new,optimal\n"
        "  --budget B    competencies,offering,new,count,optimal\n"
        "  --order LIST  step,competency,new,cumulative (then optimal)\n"
        "  --pairs       rank,first,second,offering,new_second,shared\n"
        "Every mode adds evidence_new (customer-example requirements, which need fresh\n"
        "evidence for each competency even when the ID is shared) and partial (a\n"
        "checklist with partial coverage: counts are lower bounds). optimal is true only\n"
        "when the solver proved it; equal optima give the smallest list of slugs.\n"
        "Candidates are the competencies with a complete checklist: a partial one's cost\n"
        "is unknown, not low, so it is left out and named on stderr (JSON: left_out)\n"
        "unless --include-partial. --order plans the targets it is given.\n"
        "Competencies are named by slug, name or alias, case-insensitively.\n"
        "JSON adds a \"steps\" list per row with the new, reused and evidence IDs and what\n"
        "the new ones cost; the table format explains each step by ID prefix (with its\n"
        "cost under --weights). See docs/plan.md.\n",
        opts, 0, 0 };
    int first, rc;
    apn_format fmt;
    if ((rc = cli_begin(&first, &fmt, &spec, argc, argv, &format)) != CLI_CONTINUE)
        return rc;
    int nmodes = !!next + !!best + !!budget + !!order + pairs;
    if (nmodes != 1)
        return cli_usage(&spec, nmodes ? "choose one mode of --next, --best, --budget, --order, --pairs"
                                        : "a mode is needed: --next, --best, --budget, --order or --pairs");
    if ((cat1 || cat2) && !pairs)
        return cli_usage(&spec, "--first-category and --second-category go with --pairs");
    apn_plan_opts po;
    memset(&po, 0, sizeof po);
    po.offering = offering;
    po.met_path = met;
    po.weights_path = weights;
    po.first_category = cat1;
    po.second_category = cat2;
    po.include_partial = include_partial;
    if (offering && apn_db_offering_check(offering) < 0)
        return cli_usage(&spec, "unknown offering '%s' (saas, customer-deployed or services)", offering);
    if (next) {
        po.mode = APN_PLAN_NEXT;
        if (parse_long(&po.n, next) < 0 || po.n < 1)
            return cli_usage(&spec, "--next needs a whole number of at least 1, not '%s'", next);
    } else if (best) {
        po.mode = APN_PLAN_BEST;
        if (parse_long(&po.n, best) < 0 || po.n < 1)
            return cli_usage(&spec, "--best needs a whole number K of at least 1, not '%s'", best);
    } else if (budget) {
        po.mode = APN_PLAN_BUDGET;
        if (parse_double(&po.budget, budget) < 0 || po.budget <= 0)
            return cli_usage(&spec, "--budget needs a number greater than 0, not '%s'", budget);
    } else if (order) {
        po.mode = APN_PLAN_ORDER;
    } else {
        po.mode = APN_PLAN_PAIRS;
    }
    if (tlim && (parse_double(&po.time_limit, tlim) < 0 || po.time_limit <= 0))
        return cli_usage(&spec, "--time-limit needs a number of seconds greater than 0, not '%s'", tlim);

    char *order_buf = order ? strdup(order) : NULL, *have_buf = have ? strdup(have) : NULL;
    char **targets = NULL, **held = NULL;
    apn_db *db = NULL;
    apn_plan *plan = NULL;
    apn_diags dg = APN_DIAGS_INIT;
    size_t nt = 0, nh = 0;
    if ((order && (!order_buf || !(targets = split_list(order_buf, &nt)))) ||
        (have && (!have_buf || !(held = split_list(have_buf, &nh))))) {
        cli_error("out of memory");
        rc = CLI_IO;
        goto out;
    }
    if (order && !nt) {
        rc = cli_usage(&spec, "--order needs a comma-separated list of competencies");
        goto out;
    }
    po.targets = (const char *const *)targets;
    po.ntargets = nt;
    po.have = (const char *const *)held;
    po.nhave = nh;
    if ((rc = cli_open_db(&db, db_path)))
        goto out;
    int err = apn_plan_run(&plan, db, &po, &dg);
    cli_print_diags(&dg, stderr);
    if (err < 0) {
        if (!dg.nerr)
            cli_error("plan: %s", apn_strerror(err));
        if (err == APN_EUSAGE)
            fputs("see 'apnmap help plan'\n", stderr);
        rc = cli_exit_for(err);
        goto out;
    }
    if (fmt == APN_FMT_TABLE && apn_plan_partial(plan))
        cli_error("note: the answer uses a checklist of partial coverage (partial=true): its "
                  "counts are lower bounds");
    if (apn_plan_write(plan, stdout, fmt) < 0 || fflush(stdout) != 0) {
        cli_error("writing output: %s", strerror(errno));
        rc = CLI_IO;
    }
out:
    apn_plan_free(plan);
    apn_db_free(db);
    apn_diags_dispose(&dg);
    free(targets);
    free(held);
    free(order_buf);
    free(have_buf);
    return rc;
}
