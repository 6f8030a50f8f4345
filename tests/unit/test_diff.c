/* Unit tests of diff: two databases made from src/schema.sql and the SQL
 * fixtures of tests/resources/diff/, compared through the public API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apnmap/apnmap.h>

#include "test.h"

/* Finds the row (change, checklist, requirement_id); -1 when absent. */
static long find_row(const apn_table *t, const char *change, const char *cl, const char *rid)
{
    for (size_t r = 0; r < apn_table_nrows(t); r++)
        if (!strcmp(apn_table_text(t, r, 0), change) && !strcmp(apn_table_text(t, r, 1), cl) &&
            !strcmp(apn_table_text(t, r, 2), rid))
            return (long)r;
    return -1;
}

static char dir[256], old_path[300], new_path[300];

/* Two databases from the schema and the fixtures old.sql and new.sql. */
static int open_pair(apn_db **o, apn_db **n)
{
    if (test_tmpdir(dir, sizeof dir, "diff") < 0)
        return -1;
    snprintf(old_path, sizeof old_path, "%s/old.db", dir);
    snprintf(new_path, sizeof new_path, "%s/new.db", dir);
    if (test_db_from_sql(old_path, "src/schema.sql", "tests/resources/diff/old.sql", NULL) ||
        test_db_from_sql(new_path, "src/schema.sql", "tests/resources/diff/new.sql", NULL))
        return -1;
    apn_diags d = APN_DIAGS_INIT;
    int err = apn_db_open(o, old_path, &d) < 0 || apn_db_open(n, new_path, &d) < 0 ? -1 : 0;
    apn_diags_dispose(&d);
    return err;
}

static void close_pair(apn_db *o, apn_db *n)
{
    apn_db_free(o);
    apn_db_free(n);
    test_rmtree(dir);
}

TEST(diff__releases)
{
    apn_db *o = NULL, *n = NULL;
    apn_table *t = NULL;
    apn_diags dg = APN_DIAGS_INIT;
    if (open_pair(&o, &n) == 0 && apn_diff(&t, o, n, NULL, 0, &dg) == 0) {
        CHECK_INT(apn_table_nrows(t), 8);
        CHECK(find_row(t, "removed", "widgets software", "WID-002") >= 0);
        long r = find_row(t, "changed", "widgets software", "WID-003");
        CHECK(r >= 0);
        if (r >= 0)
            CHECK_STR(apn_table_text(t, (size_t)r, 3),
                      "title: Widget support -> Widget support and maintenance");
        /* whitespace re-wrapped only: no change */
        CHECK(find_row(t, "changed", "widgets software", "WID-001") < 0);
        CHECK(find_row(t, "changed", "gadgets services", "") >= 0);
        CHECK(find_row(t, "changed", "gadgets services", "GAD-001") >= 0);
        CHECK(find_row(t, "added", "gadgets services", "GAD-002") >= 0);
        CHECK(find_row(t, "removed", "retired services", "") >= 0);
        CHECK(find_row(t, "added", "security services", "") >= 0);
        CHECK(find_row(t, "added", "FTR partner-hosted", "IAM-002") >= 0);
        CHECK_STR(apn_table_colname(t, 4), "competency");
    } else {
        CHECK(!"diff failed");
    }
    apn_table_free(t);
    apn_diags_dispose(&dg);
    close_pair(o, n);
}

TEST(diff__have_filter_and_prerequisites)
{
    apn_db *o = NULL, *n = NULL;
    apn_table *t = NULL;
    apn_diags dg = APN_DIAGS_INIT;
    const char *have[] = { "GADGETS" };
    const char *have2[] = { "Widgets" };
    const char *bad[] = { "nothing-like-it" };
    REQUIRE(open_pair(&o, &n) == 0);
    if (apn_diff(&t, o, n, have, 1, &dg) == 0) {
        CHECK_INT(apn_table_nrows(t), 3);
        CHECK(find_row(t, "added", "FTR partner-hosted", "IAM-002") < 0);
    } else {
        CHECK(!"diff --have gadgets failed");
    }
    apn_table_free(t);
    t = NULL;
    if (apn_diff(&t, o, n, have2, 1, &dg) == 0) {
        /* the FTR change reaches widgets through its prerequisite edge */
        CHECK_INT(apn_table_nrows(t), 3);
        CHECK(find_row(t, "added", "FTR partner-hosted", "IAM-002") >= 0);
    } else {
        CHECK(!"diff --have widgets failed");
    }
    apn_table_free(t);
    t = NULL;
    apn_diags d = APN_DIAGS_INIT;
    CHECK_INT(apn_diff(&t, o, n, bad, 1, &d), APN_ENOTFOUND);
    CHECK(t == NULL);
    /* one error, about the request (no path), with the nearest names */
    CHECK_INT(d.nerr, 1);
    if (d.n)
        CHECK(!*d.v[0].path && strstr(d.v[0].message, "no competency named 'nothing-like-it'"));
    apn_diags_dispose(&d);
    apn_table_free(t);
    apn_diags_dispose(&dg);
    close_pair(o, n);
}

TEST(diff__same_database_is_empty)
{
    apn_db *o = NULL, *n = NULL;
    apn_table *t = NULL;
    apn_diags dg = APN_DIAGS_INIT;
    REQUIRE(open_pair(&o, &n) == 0);
    CHECK_INT(apn_diff(&t, n, n, NULL, 0, &dg), 0);
    CHECK(t && apn_table_nrows(t) == 0);
    apn_table_free(t);
    apn_diags_dispose(&dg);
    close_pair(o, n);
}

TEST(diff__out_of_memory)
{
    apn_db *o = NULL, *n = NULL;
    REQUIRE(open_pair(&o, &n) == 0);
    /* every allocation point fails cleanly (ASan checks for leaks) */
    int done = 0;
    for (long k = 1; k < 2000 && !done; k++) {
        apn_table *t = NULL;
        apn_diags dg = APN_DIAGS_INIT;
        apn_alloc_fail_after(k);
        int err = apn_diff(&t, o, n, NULL, 0, &dg);
        long refused = apn_alloc_failures();
        apn_alloc_fail_after(0);
        CHECK(err == 0 || err == APN_ENOMEM);
        CHECK((err == 0) == (t != NULL));
        CHECK(refused == 0 || err == APN_ENOMEM);   /* a refused allocation is never swallowed */
        if (err == 0)
            CHECK_INT(apn_table_nrows(t), 8);
        apn_table_free(t);
        apn_diags_dispose(&dg);
        done = refused == 0;
    }
    CHECK(done);
    close_pair(o, n);
}
