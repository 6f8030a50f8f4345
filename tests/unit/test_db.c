/* Unit tests for db.c: streamed listings equal the tables written at once,
 * also where overlap cannot take its fast path (ids not in slug order) and where
 * a pair names a competency that does not exist. */
#include "test.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include <apnmap/apnmap.h>

#include "dbint.h"

static char *capture(apn_db *db, apn_db_listing which, const char *offering, apn_format fmt, int table)
{
    char *buf = NULL;
    size_t len = 0;
    apn_diags d = APN_DIAGS_INIT;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    if (table) {
        apn_table *t = NULL;
        int (*fn[])(apn_table **, apn_db *, const char *, apn_diags *) = {
            apn_db_stats, apn_db_overlap, apn_db_hardest };
        if (fn[which](&t, db, offering, &d) == 0)
            apn_table_write(t, f, fmt);
        apn_table_free(t);
    } else {
        apn_db_listing_write(db, which, offering, f, fmt, &d);
    }
    apn_diags_dispose(&d);
    fclose(f);
    return buf;
}

TEST(db__streamed_listings_equal_tables)
{
    char dir[256], path[300];
    REQUIRE(test_tmpdir(dir, sizeof dir, "db") == 0);
    snprintf(path, sizeof path, "%s/c.db", dir);
    const char *paths[] = { test_path("tests/contract/inputs") };
    apn_build_opts bo = { .paths = paths, .npaths = 1, .out_db = path, .threads = 1 };
    apn_build_summary sum;
    apn_diags d = APN_DIAGS_INIT;
    REQUIRE(apn_build(&sum, &bo, &d) == 0);
    apn_db *db = NULL;
    REQUIRE(apn_db_open(&db, path, &d) == 0);
    apn_diags_dispose(&d);
    const char *offerings[] = { NULL, "saas", "services" };
    int compared = 0;
    for (int which = APN_LIST_STATS; which <= APN_LIST_HARDEST; which++)
        for (int o = 0; o < 3; o++)
            for (int fmt = APN_FMT_CSV; fmt <= APN_FMT_JSON; fmt++) {
                char *a = capture(db, (apn_db_listing)which, offerings[o], (apn_format)fmt, 1);
                char *b = capture(db, (apn_db_listing)which, offerings[o], (apn_format)fmt, 0);
                CHECK_STR(b, a);
                compared += a && strlen(a) > 10;
                free(a);
                free(b);
            }
    CHECK_INT(compared, 17); /* all but saas overlap as JSON, which is "[]" */
    /* an empty listing: saas has no pairs in the fixture */
    char *e = capture(db, APN_LIST_OVERLAP, "saas", APN_FMT_JSON, 0);
    CHECK_STR(e, "[]\n");
    free(e);
    CHECK(apn_db_listing_write(db, APN_LIST_STATS, NULL, stdout, APN_FMT_TABLE, &d) == APN_EUSAGE);
    apn_db_free(db);
    test_rmtree(dir);
}

/* Builds the contract fixture into dir/c.db and applies sql to it. */
static int build_contract(char *path, size_t n, const char *dir, const char *sql)
{
    snprintf(path, n, "%s/c.db", dir);
    const char *paths[] = { test_path("tests/contract/inputs") };
    apn_build_opts bo = { .paths = paths, .npaths = 1, .out_db = path, .threads = 1 };
    apn_build_summary sum;
    apn_diags d = APN_DIAGS_INIT;
    int err = apn_build(&sum, &bo, &d);
    apn_diags_dispose(&d);
    sqlite3 *h = NULL;
    if (err == 0 && (sqlite3_open(path, &h) != SQLITE_OK ||
                     sqlite3_exec(h, sql, NULL, NULL, NULL) != SQLITE_OK))
        err = -1;
    sqlite3_close(h);
    return err;
}

/* Streamed stats and overlap (CSV, JSON) against the tables of the views'
 * joins; *rows counts the CSV lines of both. */
static int listings_match_views(const char *sql, size_t *rows)
{
    char dir[256], path[300];
    int same = 0;
    apn_db *db = NULL;
    apn_diags d = APN_DIAGS_INIT;
    if (test_tmpdir(dir, sizeof dir, "db") < 0)
        return 0;
    if (build_contract(path, sizeof path, dir, sql) == 0 && apn_db_open(&db, path, &d) == 0) {
        same = 1;
        for (int which = APN_LIST_STATS; which <= APN_LIST_OVERLAP; which++)
            for (int fmt = APN_FMT_CSV; fmt <= APN_FMT_JSON; fmt++) {
                char *a = capture(db, (apn_db_listing)which, NULL, (apn_format)fmt, 1);
                char *b = capture(db, (apn_db_listing)which, NULL, (apn_format)fmt, 0);
                CHECK_STR(b, a);
                same &= a && b && !strcmp(a, b);
                if (fmt == APN_FMT_CSV)
                    for (const char *p = a ? a : ""; (p = strchr(p, '\n')); p++)
                        (*rows)++;
                free(a);
                free(b);
            }
    }
    apn_db_free(db);
    apn_diags_dispose(&d);
    test_rmtree(dir);
    return same;
}

TEST(db__listing_fast_path_matches_views)
{
    size_t base = 0, dangling = 0, unordered = 0;
    CHECK(listings_match_views("SELECT 1", &base));
    REQUIRE(base >= 4);   /* two headers and a row each */
    /* rows of a competency that does not exist: the joins drop them, so must the stream */
    CHECK(listings_match_views("INSERT INTO overlap SELECT offering, a_id, 99999, shared, "
                               "union_size, jaccard FROM overlap LIMIT 1;"
                               "INSERT INTO prefix_count SELECT 99999, offering, prefix, n "
                               "FROM prefix_count LIMIT 1", &dangling));
    CHECK_INT(dangling, base);
    /* the last competency's slug sorts first: ids no longer follow slugs, and its
     * rows come first by slug but last by id */
    CHECK(listings_match_views("INSERT INTO competency (id, slug, name) VALUES (99998, 'aaa', 'A');"
                               "INSERT INTO overlap SELECT offering, 99998, a_id, 1, 2, 0.5 "
                               "FROM overlap LIMIT 1;"
                               "INSERT INTO prefix_count SELECT 99998, offering, prefix, n "
                               "FROM prefix_count LIMIT 1", &unordered));
    CHECK_INT(unordered, base + 2);
}

/* A failed open leaves no handle behind and says why, naming the file. */
TEST(db__open_failure_leaves_out_null)
{
    char dir[256], path[300];
    REQUIRE(test_tmpdir(dir, sizeof dir, "db") == 0);
    snprintf(path, sizeof path, "%s/not.db", dir);
    FILE *f = fopen(path, "w");
    REQUIRE(f != NULL);
    fputs("plain text, not SQLite\n", f);
    fclose(f);
    apn_db *db = (apn_db *)&db;   /* garbage in, NULL out */
    apn_diags d = APN_DIAGS_INIT;
    CHECK_INT(apn_db_open(&db, path, &d), APN_EDB);
    CHECK(db == NULL);
    CHECK_INT(d.nerr, 1);
    if (d.n)
        CHECK_STR(d.v[0].path, path);
    apn_diags_dispose(&d);
    /* a SQLite file without meta */
    sqlite3 *h = NULL;
    unlink(path);
    REQUIRE(sqlite3_open(path, &h) == SQLITE_OK);
    REQUIRE(sqlite3_exec(h, "CREATE TABLE t(x)", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(h);
    db = (apn_db *)&db;
    CHECK_INT(apn_db_open(&db, path, &d), APN_EDB);
    CHECK(db == NULL);
    CHECK_INT(d.nerr, 1);
    apn_diags_dispose(&d);
    test_rmtree(dir);
}

/* The plan fixture (schema + small.sql) in dir/t.db with sql applied; opens
 * it. Returns apn_db_open's code; *msg the first diagnostic's words. */
static int open_changed(apn_db **db, const char *dir, const char *sql, char *msg, size_t n)
{
    char path[300];
    apn_diags d = APN_DIAGS_INIT;
    sqlite3 *h = NULL;
    snprintf(path, sizeof path, "%s/t.db", dir);
    *db = NULL;
    *msg = '\0';
    if (test_db_from_sql(path, "src/schema.sql", "tests/resources/plan/small.sql", NULL) < 0 ||
        sqlite3_open(path, &h) != SQLITE_OK || sqlite3_exec(h, sql, NULL, NULL, NULL) != SQLITE_OK) {
        sqlite3_close(h);
        return -100;
    }
    sqlite3_close(h);
    int err = apn_db_open(db, path, &d);
    if (d.n)
        snprintf(msg, n, "%s", d.v[0].message);
    apn_diags_dispose(&d);
    return err;
}

TEST(db__contract_check)
{
    char dir[256], msg[512];
    apn_db *db = NULL;
    REQUIRE(test_tmpdir(dir, sizeof dir, "db") == 0);
    static const struct { const char *sql; int err; const char *words; } cases[] = {
        { "SELECT 1", 0, "" },
        /* an older database: tables and columns added since are missing */
        { "DROP TABLE requirement_reference; DROP TABLE assessment_answer", 0, "" },
        { "ALTER TABLE document DROP COLUMN lang", 0, "" },
        /* the user's own objects are left alone */
        { "CREATE TABLE notes (x); CREATE VIEW my AS SELECT * FROM notes; "
          "ALTER TABLE competency ADD COLUMN mine TEXT", 0, "" },
        { "INSERT OR REPLACE INTO meta VALUES ('schema_version', '99')", APN_EDB,
          "a newer apnmap wrote this database" },
        { "INSERT OR REPLACE INTO meta VALUES ('schema_version', '1')", 0, "" },
        { "DELETE FROM meta", APN_EDB, "not an apnmap database (meta has no format)" },
        { "UPDATE meta SET value = x'61706e6d6170' WHERE key = 'format'", APN_EDB,
          "meta.format is not text" },
        { "DROP TABLE meta", APN_EDB, "not an apnmap database (it has no meta table)" },
        { "DROP TABLE alias; CREATE VIEW alias AS SELECT 'x' AS name, 1 AS competency_id", APN_EDB,
          "alias is a view, not a plain table" },
        { "ALTER TABLE checklist DROP COLUMN release_key; "
          "ALTER TABLE checklist ADD COLUMN release_key TEXT", APN_EDB,
          "checklist.release_key is declared TEXT, not INTEGER" },
        { "ALTER TABLE alias RENAME TO a2; CREATE TABLE alias (name TEXT NOT NULL PRIMARY KEY, "
          "competency_id INTEGER NOT NULL GENERATED ALWAYS AS (1) VIRTUAL)", APN_EDB, "alias.competency_id is a generated column" },
        { "DROP VIEW v_overlap; CREATE VIEW v_overlap AS SELECT * FROM overlap", APN_EDB,
          "v_overlap is not apnmap's own view" },
        /* TEXT affinity makes a number text: a blob is what stays foreign */
        { "UPDATE requirement SET prefix = x'00' WHERE id = 'ACCT-001'", APN_EDB,
          "requirement.prefix holds a blob value (the schema says TEXT)" },
        { "UPDATE checklist SET newest = 'yes' WHERE id = 1", APN_EDB,
          "checklist.newest holds a text value (the schema says INTEGER)" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int err = open_changed(&db, dir, cases[i].sql, msg, sizeof msg);
        CHECK_INT(err, cases[i].err);
        CHECK((err == 0) == (db != NULL));
        if (!strstr(msg, cases[i].words) || (!cases[i].err && *msg)) {
            fprintf(stderr, "case %zu (%s): '%s'\n", i, cases[i].sql, msg);
            CHECK(!"the words");
        }
        apn_db_free(db);
    }
    test_rmtree(dir);
}

/* Every statement is watched: a listing past the handle's time limit stops
 * with APN_ELIMIT and says so; sql's own limits stop it likewise. */
TEST(db__limits)
{
    char dir[256], msg[512];
    apn_db *db = NULL;
    apn_diags d = APN_DIAGS_INIT;
    apn_table *t = NULL;
    REQUIRE(test_tmpdir(dir, sizeof dir, "db") == 0);
    /* enough rows that a listing takes thousands of steps */
    REQUIRE(open_changed(&db, dir, "WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r "
                         "WHERE x < 20000) INSERT INTO prefix_count SELECT 1, 'services', 'P' || x, 1 "
                         "FROM r", msg, sizeof msg) == 0);
    CHECK_INT(apn_db_stats(&t, db, NULL, &d), 0);
    CHECK_INT(apn_table_nrows(t), 20000);
    apn_table_free(t);
    t = NULL;
    apn_db__time_limit(db, 1e-9);
    CHECK_INT(apn_db_stats(&t, db, NULL, &d), APN_ELIMIT);
    CHECK(t == NULL);
    CHECK(d.n == 1 && strstr(d.v[0].message, "ran past its time limit"));
    apn_diags_dispose(&d);
    apn_db__time_limit(db, APN_DB_TIME_LIMIT);
    apn_db_sql_opts so = { 0, 5 };
    CHECK_INT(apn_db_sql(&t, db, "SELECT * FROM prefix_count", &so, &d), APN_ELIMIT);
    CHECK(t == NULL);
    CHECK(d.n == 1 && !*d.v[0].path && strstr(d.v[0].message, "stopped after 5 rows"));
    apn_diags_dispose(&d);
    so.max_rows = 20000;   /* exactly as many rows as the limit: no stop */
    CHECK_INT(apn_db_sql(&t, db, "SELECT * FROM prefix_count WHERE offering = 'services'", &so, &d), 0);
    apn_table_free(t);
    t = NULL;
    so.seconds = 1e-9;
    so.max_rows = 0;
    CHECK_INT(apn_db_sql(&t, db, "SELECT count(*) FROM prefix_count a, prefix_count b", &so, &d),
              APN_ELIMIT);
    CHECK(d.n == 1 && strstr(d.v[0].message, "ran past its time limit"));
    apn_diags_dispose(&d);
    /* the handle's own limit is back after sql */
    CHECK_INT(apn_db_stats(&t, db, "services", &d), 0);
    apn_table_free(t);
    apn_diags_dispose(&d);
    apn_db_free(db);
    test_rmtree(dir);
}
