/* cmd_query — stats, overlap, hardest and sql: listings read from the database. */
#include <errno.h>
#include <stdlib.h>
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

/* The query of `sql -`: all of stdin, at most 1 MiB (SQLite's limit of one
 * statement here). Owned; NULL after saying why. */
static char *read_query(void)
{
    size_t cap = (1 << 20) + 2, n = 0, got;
    char *q = malloc(cap);
    if (!q) {
        cli_error("sql: out of memory");
        return NULL;
    }
    while (n < cap - 1 && (got = fread(q + n, 1, cap - 1 - n, stdin)) > 0)
        n += got;
    if (ferror(stdin)) {
        cli_error("sql: reading the query from stdin: %s", strerror(errno));
        free(q);
        return NULL;
    }
    if (n > 1 << 20) {
        cli_error("sql: the query on stdin is longer than 1 MiB");
        free(q);
        return NULL;
    }
    q[n] = '\0';
    return q;
}

int cmd_sql(int argc, char **argv)
{
    const char *db_path = NULL, *format = NULL;
    double seconds = APN_DB_SQL_SECONDS;
    long long max_rows = APN_DB_SQL_MAX_ROWS;
    const opt opts[] = {
        OPT_DB(db_path), OPT_FORMAT(format),
        CLI_REAL(0, "time-limit", "S", seconds, 0, 1e9,
                 "seconds of work the query may take (default 60; 0: none)"),
        CLI_INT(0, "max-rows", "N", max_rows, 0, 1e15, "rows at most (default 1000000; 0: none)"),
        { 0 } };
    const cmd_spec spec = {
        "sql", "\"SELECT ...\" | - [--db FILE] [--format FMT] [--time-limit S] [--max-rows N]",
        "run one read-only SQL statement over the database",
        "SELECT, WITH, EXPLAIN and the PRAGMAs that only report (also as table-valued\n"
        "functions: SELECT * FROM pragma_table_info('competency')). Writes, ATTACH,\n"
        "settings and extension loading are refused. '-' reads the statement from\n"
        "stdin. CSV and JSON are written row by row as the query runs; the table\n"
        "format needs every row first. A query past --time-limit (seconds of work) or\n"
        "--max-rows stops with a message. Exit 1 when the statement is refused, does\n"
        "not compile, fails or meets a limit (as sqlite3 exits 1); 3 for a fault of\n"
        "the database file. Tables and views are described in docs/schema.md; e.g.\n"
        "  apnmap sql \"SELECT prefix, count(*) FROM requirement GROUP BY prefix\"\n",
        opts, 1, 1 };
    int first, rc;
    apn_format fmt;
    apn_db_sql_opts so = APN_DB_SQL_OPTS_INIT;
    if ((rc = cli_begin(&first, &fmt, &spec, argc, argv, &format)) != CLI_CONTINUE)
        return rc;
    so.seconds = seconds;
    so.max_rows = (size_t)max_rows;
    char *query = NULL;
    if (!strcmp(argv[first], "-") && !(query = read_query()))
        return CLI_IO;
    apn_db *db = NULL;
    apn_table *t = NULL;
    apn_diags d = APN_DIAGS_INIT;
    if ((rc = cli_open_db(&db, db_path))) {
        free(query);
        return rc;
    }
    static char outbuf[1 << 16];   /* as the listings: 64 KiB writes */
    if (fmt != APN_FMT_TABLE)
        setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
    const char *sql = query ? query : argv[first];
    int err = fmt == APN_FMT_TABLE ? apn_db_sql(&t, db, sql, &so, &d)
                                   : apn_db_sql_write(db, sql, &so, stdout, fmt, &d);
    if ((err == APN_EIO && !d.nerr) || (err != APN_ENOMEM && fflush(stdout) != 0)) {
        cli_error("writing output: %s", strerror(errno));
        rc = CLI_IO;
    } else if (err < 0) {
        /* the statement is the input sql reads: its faults exit 1, as sqlite3's */
        cli_fail(&d, err, "sql");
        if (err == APN_ELIMIT)
            fputs("apnmap: sql: --time-limit S and --max-rows N raise the limits (0: none)\n", stderr);
        rc = err == APN_EUSAGE || err == APN_ELIMIT ? CLI_DATA : cli_exit_for(err);
    } else if (t) {
        rc = cli_write_table(t, fmt);
    }
    apn_table_free(t);
    apn_diags_dispose(&d);
    apn_db_free(db);
    free(query);
    return rc;
}
