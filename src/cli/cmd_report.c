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
    const char *db_path = NULL, *out = NULL;
    long long top = 0;
    int no_charts = 0;
    const opt opts[] = {
        OPT_DB(db_path),
        CLI_STR('o', "output", "DIR", out, "folder to write (default: report)"),
        CLI_FLAG(0, "no-charts", no_charts, "skip the SVG/PNG charts (no gnuplot needed)"),
        CLI_INT(0, "top", "N", top, 1, 100000, "competencies per offering in the charts, graph and page tables (default 40)"),
        { 0 } };
    const cmd_spec spec = {
        "report", "[-o DIR] [--db FILE] [--no-charts] [--top N]",
        "write the report: offline index.html, SVG/PNG charts, CSV/JSON tables",
        "Writes DIR/index.html (one self-contained page that works offline), charts\n"
        "as SVG and PNG, and every table as CSV and JSON.\n"
        "Files: index.html; stats, overlap, hardest, checklists, diagnostics (.csv, .json;\n"
        "stats, overlap and hardest add a column `partial`); per offering bars-O,\n"
        "overlap-O and hardest-O, and reach (.svg, .png). Charts need gnuplot (without\n"
        "it the page is still written and says so); the page inlines cytoscape.js,\n"
        "installed by the build (npm ci --prefix web).\n"
        "An offering with more than N competencies (--top, default 40) shows only the N\n"
        "with the most requirements in its charts, the graph, the page's tables and the\n"
        "CSV and JSON files, and says so (apnmap stats, overlap and hardest list all).\n"
        "APNMAP_GNUPLOT names another gnuplot executable.\n"
        "See docs/report.md.\n",
        opts, 0, 0 };
    int first = cli_parse(&spec, argc, argv);
    if (first < 0)
        return first == -1 ? CLI_OK : CLI_USAGE;
    if (!out)
        out = "report";

    apn_db *db = NULL;
    apn_diags d = APN_DIAGS_INIT;
    progress_state ps = { isatty(STDERR_FILENO), 0 };
    apn_report_opts ro = APN_REPORT_OPTS_INIT;
    ro.no_charts = no_charts;
    ro.top = (size_t)top;
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
