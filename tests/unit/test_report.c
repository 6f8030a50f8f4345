/* Unit tests of the report: chart scripts quote labels, gnuplot errors are
 * reported, and apn_report_write writes every file of a small database. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>


#include "test.h"

#include <apnmap/apnmap.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "chart.h"
#include "util/io.h"

TEST(report__chart_quotes_labels)
{
    apn_buf s = APN_BUF_INIT;
    const char *rows[2] = { "it's", "line\nbreak\x01" };
    const char *series[1] = { "P'Q" };
    const char *colors[1] = { "#000000" };
    double v[2] = { 1, 2 };
    apn_chart_bars c = { "T'itle", "y", NULL, NULL, 0, 2, 1, rows, series, colors, v, NULL, NULL, NULL, 0 };
    apn_chart_bars_add(&s, "/tmp/o'ut", &c);
    REQUIRE(!s.oom);
    const char *t = apn_buf_cstr(&s);
    CHECK(strstr(t, "set xtics ('it''s' 0, 'line break ' 1)") != NULL);
    CHECK(strstr(t, "title 'P''Q'") != NULL);
    CHECK(strstr(t, "set title 'T''itle'") != NULL);
    CHECK(strstr(t, "set output '/tmp/o''ut.svg'") != NULL);
    CHECK(strstr(t, "set output '/tmp/o''ut.png'") != NULL);
    CHECK(strstr(t, "noenhanced") != NULL);
    apn_buf_dispose(&s);
}

TEST(report__chart_missing_gnuplot)
{
    apn_buf s = APN_BUF_INIT;
    apn_diags d = APN_DIAGS_INIT;
    apn_buf_puts(&s, "print 1\n");
    CHECK_INT(apn_chart_run("/nonexistent/gnuplot", &s, &d), APN_ENOTFOUND);
    REQUIRE(d.n == 1);
    CHECK(strstr(d.v[0].message, "gnuplot-nox") != NULL);
    apn_diags_dispose(&d);
    apn_buf_dispose(&s);
}

TEST(report__chart_gnuplot_error)
{
    if (system("command -v gnuplot >/dev/null 2>&1") != 0)
        return;   /* gnuplot missing: report_escape.sh says so */
    apn_buf s = APN_BUF_INIT;
    apn_diags d = APN_DIAGS_INIT;
    apn_buf_puts(&s, "this is not gnuplot\n");
    CHECK_INT(apn_chart_run(NULL, &s, &d), APN_EIO);
    REQUIRE(d.n == 1);
    CHECK(strstr(d.v[0].message, "gnuplot failed") != NULL);
    apn_diags_dispose(&d);
    apn_buf_dispose(&s);
}

/* A fresh folder (its path to dir, 256 bytes) with t.db holding the schema and
 * the report fixture; its path goes to dbp. Returns 0, or -1 when any step failed. */
static int fixture_db(char *dir, char *dbp, size_t n)
{
    if (test_tmpdir(dir, 256, "report") < 0)
        return -1;
    snprintf(dbp, n, "%s/t.db", dir);
    return test_db_from_sql(dbp, "src/schema.sql", "tests/resources/report/fixture.sql", NULL);
}

static void count_file(void *ctx, const char *path)
{
    (void)path;
    (*(int *)ctx)++;
}

TEST(report__write_files)
{
    char dir[256], dbp[300], p[400];
    REQUIRE(fixture_db(dir, dbp, sizeof dbp) == 0);

    apn_db *db = NULL;
    apn_diags d = APN_DIAGS_INIT;
    REQUIRE(apn_db_open(&db, dbp, &d) == 0);
    int files = 0;
    apn_report_opts o = APN_REPORT_OPTS_INIT;
    o.no_charts = 1;
    o.progress = count_file;
    o.progress_ud = &files;
    snprintf(p, sizeof p, "%s/out", dir);
    CHECK_INT(apn_report_write(p, db, &o, &d), 0);
    CHECK_INT(d.n, 0);
    CHECK_INT(files, 11);   /* five tables as CSV and JSON, and index.html */
    struct stat st;
    snprintf(p, sizeof p, "%s/out/index.html", dir);
    CHECK(stat(p, &st) == 0 && st.st_size > 400000);   /* cytoscape.js is inlined */
    snprintf(p, sizeof p, "%s/out/stats.json", dir);
    CHECK(stat(p, &st) == 0);

    /* a folder that cannot be created: an I/O error with the path */
    snprintf(p, sizeof p, "%s/t.db/sub", dir);
    CHECK_INT(apn_report_write(p, db, &o, &d), APN_EIO);
    CHECK(d.n == 1 && strstr(d.v[0].path, "t.db/sub") != NULL);
    apn_diags_dispose(&d);
    apn_db_free(db);
    CHECK(test_rmtree(dir) == 0);
}

TEST(report__out_of_memory)
{
    char dir[256], dbp[300], p[400];
    REQUIRE(fixture_db(dir, dbp, sizeof dbp) == 0);
    apn_db *db = NULL;
    apn_diags od = APN_DIAGS_INIT;
    REQUIRE(apn_db_open(&db, dbp, &od) == 0);
    apn_diags_dispose(&od);
    apn_report_opts o = APN_REPORT_OPTS_INIT;
    o.no_charts = 1;
    snprintf(p, sizeof p, "%s/out", dir);
    /* allocation points fail cleanly (ASan checks for leaks): every one of the
     * first 300, then a sample, until a run needs no refusal */
    int done = 0;
    for (long k = 1; k < 200000 && !done; k += k < 300 ? 1 : 97) {
        apn_diags d = APN_DIAGS_INIT;
        apn_alloc_fail_after(k);
        int err = apn_report_write(p, db, &o, &d);
        long refused = apn_alloc_failures();
        apn_alloc_fail_after(0);
        CHECK(err == 0 || err == APN_ENOMEM);
        CHECK(refused == 0 || err == APN_ENOMEM);   /* a refused allocation is never swallowed */
        if (err != 0 && err != APN_ENOMEM)
            fprintf(stderr, "k=%ld err=%d\n", k, err);
        done = refused == 0;
        apn_diags_dispose(&d);
    }
    CHECK(done);
    apn_db_free(db);
    CHECK(test_rmtree(dir) == 0);
}

/* Above the limit (top 2: services has 4 competencies, saas 2): a note says
 * so, the page names the top 2 of 4, the files hold the shown rows only, and every
 * allocation point of this path fails cleanly too. */
TEST(report__top_limit)
{
    char dir[256], dbp[300], p[400];
    REQUIRE(fixture_db(dir, dbp, sizeof dbp) == 0);
    apn_db *db = NULL;
    apn_diags d = APN_DIAGS_INIT;
    REQUIRE(apn_db_open(&db, dbp, &d) == 0);
    apn_report_opts o = APN_REPORT_OPTS_INIT;
    o.no_charts = 1;
    o.top = 2;
    snprintf(p, sizeof p, "%s/out", dir);
    CHECK_INT(apn_report_write(p, db, &o, &d), 0);
    CHECK(d.n == 1 && d.v[0].severity == APN_SEV_NOTE && strstr(d.v[0].message, "top 2 of each offering"));
    apn_diags_dispose(&d);

    char *html = NULL, *csv = NULL;
    size_t len = 0;
    snprintf(p, sizeof p, "%s/out/index.html", dir);
    REQUIRE(apn_io_read_file(&html, &len, p, 8u << 20) == 0);
    CHECK(strstr(html, "services: top 2 of 4") != NULL);
    CHECK(strstr(html, "saas: top 2 of 2") != NULL);
    /* the files are bounded too: the one pair of the 2 shown in services, not all six */
    snprintf(p, sizeof p, "%s/out/overlap.csv", dir);
    REQUIRE(apn_io_read_file(&csv, &len, p, 1u << 20) == 0);
    size_t rows = 0;
    for (const char *s = csv; (s = strstr(s, "\nservices,")); s++)
        rows++;
    CHECK_INT(rows, 1);
    apn_free(html);
    apn_free(csv);

    snprintf(p, sizeof p, "%s/out", dir);
    int done = 0;
    for (long k = 1; k < 200000 && !done; k += k < 300 ? 1 : 97) {
        apn_diags dd = APN_DIAGS_INIT;
        apn_alloc_fail_after(k);
        int err = apn_report_write(p, db, &o, &dd);
        long refused = apn_alloc_failures();
        apn_alloc_fail_after(0);
        CHECK(err == 0 || err == APN_ENOMEM);
        CHECK(refused == 0 || err == APN_ENOMEM);
        done = refused == 0;
        apn_diags_dispose(&dd);
    }
    CHECK(done);
    apn_db_free(db);
    CHECK(test_rmtree(dir) == 0);
}

/* A full disk at any point of a report (every write step failing in turn,
 * util/io.c's hook): APN_EIO with the file named, and the folder exactly as
 * the previous report left it (no file new, none truncated, nothing left over);
 * once nothing fails, every file is the new report's. */
TEST(report__write_faults_keep_the_old_report)
{
    char dir[256], dbp[300], p[400], cmd[1200];
    REQUIRE(fixture_db(dir, dbp, sizeof dbp) == 0);
    apn_db *db = NULL;
    apn_report_opts o = APN_REPORT_OPTS_INIT;
    o.no_charts = 1;
    snprintf(p, sizeof p, "%s/out", dir);
    apn_diags d = APN_DIAGS_INIT;
    REQUIRE(apn_db_open(&db, dbp, &d) == 0);
    REQUIRE(apn_report_write(p, db, &o, &d) == 0);
    apn_db_free(db);
    db = NULL;
    snprintf(cmd, sizeof cmd, "cp -R '%s/out' '%s/old'", dir, dir);
    REQUIRE(system(cmd) == 0);
    /* a different database: every file of its report differs from the old one's */
    sqlite3 *h = NULL;
    REQUIRE(sqlite3_open(dbp, &h) == SQLITE_OK);
    CHECK(sqlite3_exec(h, "UPDATE competency SET slug = slug || 'x', name = name || ' 2'; "
                          "UPDATE checklist SET name = name || ' 2'; UPDATE diagnostic SET message = message || ' 2'",
                       NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(h);
    REQUIRE(apn_db_open(&db, dbp, &d) == 0);
    int steps = 0, done = 0;
    for (long k = 1; k < 200 && !done; k++) {
        apn_diags dd = APN_DIAGS_INIT;
        apn_io_write_fail_after(k);
        int err = apn_report_write(p, db, &o, &dd);
        apn_io_write_fail_after(0);
        if (!(done = err == 0)) {
            steps++;
            CHECK_INT(err, APN_EIO);
            CHECK(dd.nerr == 1 && strstr(dd.v[0].message, "No space left on device") != NULL);
            snprintf(cmd, sizeof cmd, "diff -r '%s/old' '%s/out' > /dev/null", dir, dir);
            CHECK(system(cmd) == 0);
        }
        apn_diags_dispose(&dd);
    }
    CHECK(done);
    CHECK(steps >= 12);   /* the stage, 11 files opened and closed, the commit */
    /* now every file is new */
    snprintf(cmd, sizeof cmd, "cd '%s/old' && for f in *; do cmp -s \"$f\" \"../out/$f\" && exit 1; done; "
                              "[ $(ls -A ../out | wc -l) -eq $(ls -A . | wc -l) ]", dir);
    CHECK(system(cmd) == 0);
    apn_db_free(db);
    apn_diags_dispose(&d);
    CHECK(test_rmtree(dir) == 0);
}
