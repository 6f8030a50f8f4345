/* Unit tests for gap.c: statuses over the contract fixture, and out of memory. */
#include <stdio.h>
#include <string.h>

#include "test.h"

#include <apnmap/apnmap.h>

static const char *widgets_wb(void)
{
    return test_path("tests/contract/inputs/competency/widgets/consulting/CwIdg2/"
                     "AWS Widgets Competency Service Offering Self-Assessment.xlsx");
}

static apn_db *contract_db(char *dir, size_t n)
{
    char path[300];
    apn_diags d = APN_DIAGS_INIT;
    apn_db *db = NULL;
    if (test_tmpdir(dir, n, "gap") != 0)
        return NULL;
    snprintf(path, sizeof path, "%s/c.db", dir);
    const char *paths[] = { test_path("tests/contract/inputs") };
    apn_build_opts bo = { .paths = paths, .npaths = 1, .out_db = path, .threads = 1 };
    apn_build_summary sum;
    if (apn_build(&sum, &bo, &d) < 0 || apn_db_open(&db, path, &d) < 0)
        db = NULL;
    apn_diags_dispose(&d);
    return db;
}

static const char *status_of(const apn_table *t, const char *comp, const char *id)
{
    for (size_t r = 0; r < apn_table_nrows(t); r++)
        if (!strcmp(apn_table_text(t, r, 0), comp) && !strcmp(apn_table_text(t, r, 2), id))
            return apn_table_text(t, r, 5);
    return NULL;
}

TEST(gap__statuses_and_summary)
{
    char dir[256];
    apn_db *db = contract_db(dir, sizeof dir);
    REQUIRE(db != NULL);
    const char *targets[] = { "widgets", "gadgets" }, *mets[] = { widgets_wb() };
    apn_gap_opts o = { NULL, targets, 2, NULL, 0, mets, 1 };
    apn_gap *g = NULL;
    apn_diags d = APN_DIAGS_INIT;
    REQUIRE(apn_gap_run(&g, db, &o, &d) == 0);
    const apn_table *t = apn_gap_table(g), *s = apn_gap_summary(g);
    CHECK_STR(status_of(t, "widgets", "WIDP-001"), "met");
    CHECK_STR(status_of(t, "widgets", "WIDP-002"), "new");       /* answered no */
    CHECK_STR(status_of(t, "widgets", "ACCT-001"), "evidence");
    CHECK_STR(status_of(t, "gadgets", "WIDP-002"), "reused");    /* widgets carried it first */
    CHECK_STR(status_of(t, "gadgets", "OPE-001"), "evidence");   /* never reused */
    REQUIRE(apn_table_nrows(s) == 2);
    long long sum = 0;
    for (size_t c = 3; c < 7; c++)
        sum += apn_table_int(s, 1, c);
    CHECK_INT(sum, apn_table_int(s, 1, 2));                      /* met + reused + new + evidence */
    CHECK(test_has_diag(&d, APN_SEV_NOTE, "", "services offering"));
    apn_gap_free(g);
    apn_diags_dispose(&d);
    apn_db_free(db);
    test_rmtree(dir);
}

TEST(gap__out_of_memory)
{
    char dir[256];
    apn_db *db = contract_db(dir, sizeof dir);
    REQUIRE(db != NULL);
    const char *targets[] = { "widgets", "gadgets" }, *mets[] = { widgets_wb() };
    apn_gap_opts o = { NULL, targets, 2, NULL, 0, mets, 1 };
    int done = 0;
    long k;
    for (k = 1; k < 100000 && !done; k++) {
        apn_gap *g = NULL;
        apn_diags d = APN_DIAGS_INIT;
        apn_alloc_fail_after(k);
        int err = apn_gap_run(&g, db, &o, &d);
        long refused = apn_alloc_failures();
        apn_alloc_fail_after(0);
        CHECK(err == 0 || err == APN_ENOMEM || err == APN_EPARSE || err == APN_EDB);
        CHECK((err == 0) == (g != NULL));
        done = refused == 0;
        if (done)
            CHECK_INT(apn_table_nrows(apn_gap_table(g)), 16);
        apn_gap_free(g);
        apn_diags_dispose(&d);
    }
    CHECK(done);
    CHECK(k > 20);
    apn_db_free(db);
    test_rmtree(dir);
}
