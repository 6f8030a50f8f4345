/* cmd_query — stats, overlap, hardest and sql: listings read from the database. */
#include <errno.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"

/* Partial checklists make counts look smaller than they are: say so on stderr,
 * so CSV and JSON on stdout keep the contract's columns. */
static void note_partial(apn_db *db, const char *offering)
{
    apn_table *p = NULL;
    apn_diags d = APN_DIAGS_INIT;
    int err = apn_db_partial(&p, db, offering, &d);
    apn_diags_dispose(&d);   /* a note that cannot be made is no error of the listing */
    if (err < 0 || !apn_table_nrows(p)) {
        apn_table_free(p);
        return;
    }
    size_t n = apn_table_nrows(p), shown = 0;
    fprintf(stderr, "apnmap: note: %zu offering%s rest on partial checklists (only some "
            "requirements known; their counts are lower bounds):", n, n == 1 ? "" : "s");
    for (size_t i = 0; i < n && shown < 8; i++, shown++)
        fprintf(stderr, "%s %s %s", i ? "," : "", apn_table_text(p, i, 0), apn_table_text(p, i, 1));
    fprintf(stderr, "%s\n", n > shown ? ", ..." : "");
    apn_table_free(p);
}

typedef int (*listing_fn)(apn_table **out, apn_db *db, const char *offering, apn_diags *d);

/* CSV and JSON stream from the database; the aligned table needs every row. */
static int run_listing(const cmd_spec *spec, listing_fn fn, apn_db_listing which, int argc, char **argv)
{
    const char *db_path = NULL, *format = NULL, *offering = NULL;
    const opt opts[] = { OPT_DB(db_path), OPT_FORMAT(format), OPT_OFFERING(offering), { 0 } };
    cmd_spec s = *spec;
    s.opts = opts;
    int first, rc;
    apn_format fmt;
    if ((rc = cli_begin(&first, &fmt, &s, argc, argv, &format)) != CLI_CONTINUE)
        return rc;
    if (apn_db_offering_check(offering) < 0)
        return cli_usage(&s, "unknown offering '%s' (saas, customer-deployed or services)", offering);
    apn_db *db = NULL;
    apn_table *t = NULL;
    apn_diags d = APN_DIAGS_INIT;
    if ((rc = cli_open_db(&db, db_path)))
        return rc;
    /* A streamed listing is megabytes: 64 KiB writes instead of 4 KiB ones.
     * Nothing has been written to stdout yet, as setvbuf requires. */
    static char outbuf[1 << 16];
    if (fmt != APN_FMT_TABLE)
        setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    int err = fmt == APN_FMT_TABLE ? fn(&t, db, offering, &d)
                                   : apn_db_listing_write(db, which, offering, stdout, fmt, &d);
    if ((err == APN_EIO && !d.nerr) || (err == 0 && fflush(stdout) != 0)) {
        cli_error("writing output: %s", strerror(errno));
        rc = CLI_IO;
    } else if (err < 0) {
        rc = cli_fail(&d, err, d.nerr ? NULL : cli_db_path(db_path));
    } else {
        rc = t ? cli_write_table(t, fmt) : CLI_OK;
        if (rc == CLI_OK)
            note_partial(db, offering);
    }
    apn_table_free(t);
    apn_diags_dispose(&d);
    apn_db_free(db);
    return rc;
}

int cmd_stats(int argc, char **argv)
{
    static const cmd_spec spec = {
        "stats", "[--offering O] [--db FILE] [--format FMT]",
        "requirements per competency, offering and ID prefix",
        "Columns: competency,offering,prefix,n; rows by competency, offering, prefix.\n"
        "Offerings: saas (software checklist + partner-hosted FTR), customer-deployed\n"
        "(software checklist + customer-deployed FTR), services (services checklist).\n",
        NULL, 0, 0 };
    return run_listing(&spec, apn_db_stats, APN_LIST_STATS, argc, argv);
}

int cmd_overlap(int argc, char **argv)
{
    static const cmd_spec spec = {
        "overlap", "[--offering O] [--db FILE] [--format FMT]",
        "shared requirements of every pair of competencies, per offering",
        "Columns: offering,a,b,shared,union_size,jaccard; one row per unordered pair\n"
        "(a < b by slug), pairs that share nothing included.\n",
        NULL, 0, 0 };
    return run_listing(&spec, apn_db_overlap, APN_LIST_OVERLAP, argc, argv);
}

int cmd_hardest(int argc, char **argv)
{
    static const cmd_spec spec = {
        "hardest", "[--offering O] [--db FILE] [--format FMT]",
        "competencies ranked by requirement count, prerequisites included",
        "Columns: rank,competency,offering,n,own,via_prerequisites, where n counts every\n"
        "requirement of the offering, own those of its own checklist, and\n"
        "via_prerequisites = n - own what only its prerequisites (FTR, other\n"
        "competencies) add. Equal n share a rank; ties are listed by slug.\n",
        NULL, 0, 0 };
    return run_listing(&spec, apn_db_hardest, APN_LIST_HARDEST, argc, argv);
}

int cmd_sql(int argc, char **argv)
{
    const char *db_path = NULL, *format = NULL;
    const opt opts[] = { OPT_DB(db_path), OPT_FORMAT(format), { 0 } };
    const cmd_spec spec = {
        "sql", "\"SELECT ...\" [--db FILE] [--format FMT]",
        "run one read-only SQL statement over the database",
        "Writes, ATTACH and extension loading are refused. Tables and views are\n"
        "described in docs/schema.md; e.g.\n"
        "  apnmap sql \"SELECT prefix, count(*) FROM requirement GROUP BY prefix\"\n",
        opts, 1, 1 };
    int first, rc;
    apn_format fmt;
    if ((rc = cli_begin(&first, &fmt, &spec, argc, argv, &format)) != CLI_CONTINUE)
        return rc;
    apn_db *db = NULL;
    apn_table *t = NULL;
    apn_diags d = APN_DIAGS_INIT;
    if ((rc = cli_open_db(&db, db_path)))
        return rc;
    int err = apn_db_sql(&t, db, argv[first], &d);
    if (err < 0)
        rc = cli_fail(&d, err, "sql");
    else
        rc = cli_write_table(t, fmt);
    apn_table_free(t);
    apn_diags_dispose(&d);
    apn_db_free(db);
    return rc;
}
