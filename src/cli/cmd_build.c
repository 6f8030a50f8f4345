/* cmd_build — `apnmap build [-o DB] PATH...`: ingest into a new database. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"

/* A progress line on a terminal only, redrawn at most ten times a second; once
 * every document is read, it says what the rest of the build is doing (seconds
 * at scale: the overlap table grows with the square of the competencies). */
static void progress(void *ud, size_t done, size_t total, const char *path)
{
    static struct timespec last;
    struct timespec now;
    (void)ud;
    (void)path;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double dt = (double)(now.tv_sec - last.tv_sec) + (double)(now.tv_nsec - last.tv_nsec) / 1e9;
    if (done < total && dt < 0.1)
        return;
    last = now;
    int width = 30, fill = total ? (int)((double)width * (double)done / (double)total) : width;
    fprintf(stderr, "\rreading [%.*s%*s] %zu/%zu", fill, "##############################",
            width - fill, "", done, total);
    if (done == total)
        fputs("\r\033[Kwriting checklists, offerings and overlaps...", stderr);
}

int cmd_build(int argc, char **argv)
{
    const char *out_db = NULL;
    long long threads = 0;
    int quiet = 0, timings = 0, force = 0;
    const opt opts[] = {
        CLI_STR('o', "output", "DB", out_db, "database to write (default $APNMAP_DB or apnmap.db)"),
        CLI_INT('j', "threads", "N", threads, 1, 64, "parser threads (default: one per core); 1: everything on one thread"),
        CLI_FLAG('q', "quiet", quiet, "print diagnostics only, no summary"),
        CLI_FLAG(0, "force", force, "write the database even when a PATH is missing or nothing was read"),
        CLI_FLAG(0, "timings", timings, "print seconds per stage on stderr (benchmarks)"),
        { 0 } };
    const cmd_spec spec = {
        "build", "[-o DB] PATH...",
        "ingest checklist pages and workbooks into a new database",
        "Reads checklist pages (.html) and self-assessment workbooks (.xlsx) into a\n"
        "new database, replacing the old one atomically. Folders are read\n"
        "recursively; categories.csv, aliases.csv and manifest.csv in a folder are\n"
        "read too. Every problem is printed as `file: locus: message`; a rejected\n"
        "file is skipped and the others are still stored (exit 1). When a PATH does\n"
        "not exist or no document could be read, the old database is kept and\n"
        "nothing is written (exit 1) unless --force; an output that is one of the\n"
        "inputs is refused (exit 2). Symbolic links inside a folder are not followed.\n",
        opts, 1, -1 };
    int first = cli_parse(&spec, argc, argv);
    if (first < 0)
        return first == -1 ? CLI_OK : CLI_USAGE;
    apn_build_opts bo = { 0 };
    bo.paths = (const char *const *)argv + first;
    bo.npaths = (size_t)(argc - first);
    bo.out_db = cli_db_path(out_db);
    bo.threads = (int)threads;
    bo.force = force;
    if (isatty(STDERR_FILENO) && !quiet)
        bo.progress = progress;

    apn_diags diags = APN_DIAGS_INIT;
    apn_build_summary sum;
    int err = apn_build(&sum, &bo, &diags);
    if (bo.progress)
        fputs("\r\033[K", stderr);
    cli_print_diags(&diags, stderr);
    int rc;
    if (err == APN_ENOTFOUND || err == APN_EUSAGE) {
        cli_error("%s: not written; the old file is as it was", bo.out_db); /* diagnostics said why */
        rc = cli_exit_for(err);
    } else if (err < 0) {
        cli_error("%s: not written: %s", bo.out_db, apn_strerror(err));
        rc = cli_exit_for(err) == CLI_USAGE ? CLI_USAGE : CLI_IO;
    } else {
        if (!quiet)
            printf("%s: %zu documents (%zu rejected), %zu checklists, %zu competencies, "
                   "%zu requirements, %zu answers; %zu errors, %zu warnings\n",
                   bo.out_db, sum.documents, sum.rejected, sum.checklists, sum.competencies,
                   sum.requirements, sum.answers, diags.nerr, diags.nwarn);
        rc = diags.nerr ? CLI_DATA : CLI_OK;
    }
    if (timings)
        fprintf(stderr, "timings: read %.3f parse %.3f normalise %.3f store %.3f\n",
                sum.t_read, sum.t_parse, sum.t_normalise, sum.t_store);
    apn_diags_dispose(&diags);
    return rc;
}
