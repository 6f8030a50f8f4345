/* cmd_report — apnmap report: write index.html, charts and tables into a folder. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"

typedef struct progress_state {
    int tty;
    size_t files;
} progress_state;

static void on_written(void *ctx, const char *path)
{
    progress_state *p = ctx;
    p->files++;
    if (p->tty)
        fprintf(stderr, "wrote %s\n", path);
}

int cmd_report(int argc, char **argv)
{
    const char *db_path = NULL, *out = NULL, *top = NULL;
    int no_charts = 0;
    const opt opts[] = {
        OPT_DB(db_path),
        { "output", 'o', OPT_STR, "DIR", "folder to write (default: report)", &out, 0 },
        { "no-charts", 0, OPT_FLAG, NULL, "skip the SVG/PNG charts (no gnuplot needed)", 0, &no_charts },
        { "top", 0, OPT_STR, "N", "competencies per offering in the charts, graph and page tables (default 40)", &top, 0 },
        { 0 } };
    const cmd_spec spec = {
        "report", "[-o DIR] [--db FILE] [--no-charts] [--top N]",
        "Write the report: DIR/index.html (one self-contained page that works offline),\n"
        "charts as SVG and PNG, and every table as CSV and JSON.",
        "Files: index.html; stats, overlap, hardest, checklists, diagnostics (.csv, .json;\n"
        "stats, overlap and hardest add a column `partial`); per offering bars-O,\n"
        "overlap-O and hardest-O, and reach (.svg, .png). Charts need gnuplot; the\n"
        "page inlines cytoscape.js, installed by the build (npm ci --prefix web).\n"
        "An offering with more than N competencies (--top, default 40) shows only the N\n"
        "with the most requirements in its charts, the graph and the page's tables, and\n"
        "says so; the CSV and JSON files always hold every row.\n"
        "APNMAP_GNUPLOT names another gnuplot executable.\n"
        "See docs/report.md.\n",
        opts, 0, 0 };
    int first = cli_parse(&spec, argc, argv);
    if (first < 0)
        return first == -1 ? CLI_OK : CLI_USAGE;
    if (!out)
        out = "report";
    char *end = NULL;
    long ntop = top ? strtol(top, &end, 10) : 0;
    if (top && (!*top || *end || ntop < 1 || ntop > 100000))
        return cli_usage(&spec, "--top needs a whole number of at least 1, not '%s'", top);

    apn_db *db = NULL;
    apn_diags d = APN_DIAGS_INIT;
    progress_state ps = { isatty(STDERR_FILENO), 0 };
    apn_report_opts ro = APN_REPORT_OPTS_INIT;
    ro.no_charts = no_charts;
    ro.top = (size_t)ntop;
    ro.gnuplot = getenv("APNMAP_GNUPLOT");   /* another gnuplot, e.g. for tests */
    ro.progress = on_written;
    ro.progress_ud = &ps;
    int rc = cli_open_db(&db, db_path);
    if (rc)
        return rc;
    int err = apn_report_write(out, db, &ro, &d);
    cli_print_diags(&d, stderr);
    if (err < 0) {
        if (!d.nerr)
            cli_error("report: %s", apn_strerror(err));
        rc = cli_exit_for(err);
    } else if (ps.tty) {
        fprintf(stderr, "report: %zu files in %s; open %s/index.html\n", ps.files, out, out);
    }
    apn_diags_dispose(&d);
    apn_db_free(db);
    return rc;
}
