/* Unit tests for gap.c: statuses over the contract fixture, and out of memory. */
#include <stdio.h>
#include <string.h>

#include "test.h"

#include <apnmap/apnmap.h>

#include "gap_xlsx.h"
#include "read/xlsx.h"
#include "util/alloc.h"
#include "util/io.h"

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

TEST(gap__xlsx_sheet_names_are_cut_and_unique)
{
    static const char *const names[] = { "competency", "offering", "requirement_id", "section",
                                         "title", "status", "met", "source", "response" };
    static const apn_coltype types[9] = { APN_COL_TEXT };
    static const char *const snames[] = { "competency", "offering", "total", "met", "reused", "new",
                                          "evidence" };
    static const apn_coltype stypes[7] = { APN_COL_TEXT, APN_COL_TEXT, APN_COL_INT, APN_COL_INT,
                                           APN_COL_INT, APN_COL_INT, APN_COL_INT };
    const char *slugs[] = { "a-very-long-competency-slug-over-31-one", "a-very-long-competency-slug-over-31-two",
                            "summary", "x[1]:y" };
    apn_table *t = NULL, *s = NULL;
    REQUIRE(apn_table_new(&t, 9, names, types) == 0);
    REQUIRE(apn_table_new(&s, 7, snames, stypes) == 0);
    for (size_t i = 0; i < 4; i++) {
        REQUIRE(apn_table_add_row(t) == 0);
        apn_table_set_text(t, 0, slugs[i]);
        apn_table_set_text(t, 2, "ABC-001");
        apn_table_set_text(t, 5, "new");
        apn_table_set_text(t, 8, "=HYPERLINK(\"x\")");   /* text, never a formula */
        REQUIRE(apn_table_add_row(s) == 0);
        apn_table_set_text(s, 0, slugs[i]);
    }
    char dir[256], path[300];
    REQUIRE(test_tmpdir(dir, sizeof dir, "gapx") == 0);
    snprintf(path, sizeof path, "%s/w.xlsx", dir);
    apn_diags d = APN_DIAGS_INIT;
    CHECK_INT(apn_gap__xlsx(t, s, path, &d), 0);
    size_t len;
    char *data = NULL;
    REQUIRE(apn_io_read_file(&data, &len, path, (size_t)1 << 20) == 0);
    apn_xlsx *x = NULL;
    REQUIRE(apn_xlsx_open_memory(&x, data, len, path, NULL, &d) == 0);
    REQUIRE(apn_xlsx_nsheets(x) == 5);
    CHECK_STR(apn_xlsx_sheet_name(x, 0), "Summary");
    CHECK_STR(apn_xlsx_sheet_name(x, 1), "a-very-long-competency-slug-ove");
    CHECK_STR(apn_xlsx_sheet_name(x, 2), "a-very-long-competency-slug-o~2");
    CHECK_STR(apn_xlsx_sheet_name(x, 3), "summary~2");     /* Excel's names ignore case */
    CHECK_STR(apn_xlsx_sheet_name(x, 4), "x_1__y");
    apn_xlsx_free(x);
    apn_free(data);
    apn_diags_dispose(&d);
    apn_table_free(t);
    apn_table_free(s);
    test_rmtree(dir);
}
