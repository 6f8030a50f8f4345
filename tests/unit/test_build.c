/* Unit tests for build.c as a library call: two builds at once in one process
 * (no process-wide state: run under ThreadSanitizer with
 * `make SANITIZE=thread BUILD=build/tsan`) give the database a build alone gives. */
#include "test.h"

#include <pthread.h>
#include <stdlib.h>

#include <sqlite3.h>

#include <apnmap/apnmap.h>

#include "util/buf.h"

/* Every row of every table, as text, in table-name and row order. */
static char *db_digest(const char *path)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *tables = NULL;
    apn_buf b = APN_BUF_INIT;
    if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(h, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1,
                           &tables, NULL) != SQLITE_OK)
        goto cleanup;
    while (sqlite3_step(tables) == SQLITE_ROW) {
        char sql[300];
        sqlite3_stmt *rows = NULL;
        snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", (const char *)sqlite3_column_text(tables, 0));
        apn_buf_printf(&b, "== %s\n", (const char *)sqlite3_column_text(tables, 0));
        if (sqlite3_prepare_v2(h, sql, -1, &rows, NULL) != SQLITE_OK) {
            apn_buf_puts(&b, "(unreadable)\n");
            continue;
        }
        while (sqlite3_step(rows) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(rows); c++) {
                const unsigned char *t = sqlite3_column_text(rows, c);
                apn_buf_printf(&b, "%s%s", c ? "\x1f" : "", t ? (const char *)t : "\\N");
            }
            apn_buf_putc(&b, '\n');
        }
        sqlite3_finalize(rows);
    }
cleanup:
    sqlite3_finalize(tables);
    sqlite3_close(h);
    return b.oom ? (apn_buf_dispose(&b), NULL) : apn_buf_detach(&b);
}

typedef struct run {
    char db[300];
    const char *root;
    int threads, err;
    apn_build_summary sum;
    apn_diags d;
} run;

static void *build_one(void *arg)
{
    run *r = arg;
    const char *paths[] = { r->root };
    apn_build_opts o = { .paths = paths, .npaths = 1, .out_db = r->db, .threads = r->threads };
    r->err = apn_build(&r->sum, &o, &r->d);
    return NULL;
}

TEST(build__two_builds_on_two_threads)
{
    char dir[256];
    REQUIRE(test_tmpdir(dir, sizeof dir, "build") == 0);
    run alone = { "", test_path("data/corpus"), 1, 0, { 0 }, APN_DIAGS_INIT };
    run two[2] = { { "", test_path("data/corpus"), 2, 0, { 0 }, APN_DIAGS_INIT },
                   { "", test_path("data/corpus"), 1, 0, { 0 }, APN_DIAGS_INIT } };
    snprintf(alone.db, sizeof alone.db, "%s/alone.db", dir);
    snprintf(two[0].db, sizeof two[0].db, "%s/a.db", dir);
    snprintf(two[1].db, sizeof two[1].db, "%s/b.db", dir);
    build_one(&alone);
    REQUIRE(alone.err == 0);
    CHECK_INT(alone.sum.documents, 98);
    pthread_t t[2];
    int started[2];
    for (int i = 0; i < 2; i++)
        started[i] = pthread_create(&t[i], NULL, build_one, &two[i]) == 0;
    for (int i = 0; i < 2; i++)
        if (started[i])
            pthread_join(t[i], NULL);
    REQUIRE(started[0] && started[1]);
    char *want = db_digest(alone.db);
    REQUIRE(want && strlen(want) > 100000);
    for (int i = 0; i < 2; i++) {
        CHECK_INT(two[i].err, 0);
        CHECK_INT(two[i].sum.documents, alone.sum.documents);
        CHECK_INT(two[i].d.n, alone.d.n);
        CHECK_INT(two[i].d.nwarn, alone.d.nwarn);
        char *got = db_digest(two[i].db);
        CHECK(got && !strcmp(got, want));
        free(got);
        apn_diags_dispose(&two[i].d);
    }
    free(want);
    apn_diags_dispose(&alone.d);
    CHECK(test_rmtree(dir) == 0);
}
