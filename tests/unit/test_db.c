/* Unit tests for db.c: streamed listings equal the tables written at once. */
#include "test.h"

#include <stdlib.h>
#include <unistd.h>

#include <apnmap/apnmap.h>

static char *capture(apn_db *db, apn_listing which, const char *offering, apn_format fmt, int table)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    if (table) {
        apn_table *t = NULL;
        int (*fn[])(apn_table **, apn_db *, const char *) = { apn_stats, apn_overlap, apn_hardest };
        if (fn[which](&t, db, offering) == 0)
            apn_table_write(t, f, fmt);
        apn_table_free(t);
    } else {
        apn_listing_write(db, which, offering, f, fmt);
    }
    fclose(f);
    return buf;
}

TEST(db__streamed_listings_equal_tables)
{
    char dir[] = "/tmp/apn-test-db-XXXXXX", path[64], inputs[4096];
    REQUIRE(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/c.db", dir);
    snprintf(inputs, sizeof inputs, "%s/tests/contract/inputs", test_root());
    const char *paths[] = { inputs };
    apn_build_opts bo = { paths, 1, path, 1, NULL, NULL };
    apn_build_summary sum;
    apn_diags d = APN_DIAGS_INIT;
    REQUIRE(apn_build(&sum, &bo, &d) == 0);
    apn_diags_dispose(&d);
    apn_db *db = NULL;
    REQUIRE(apn_db_open(&db, path) == 0);
    const char *offerings[] = { NULL, "saas", "services" };
    int compared = 0;
    for (int which = APN_LIST_STATS; which <= APN_LIST_HARDEST; which++)
        for (int o = 0; o < 3; o++)
            for (int fmt = APN_FMT_CSV; fmt <= APN_FMT_JSON; fmt++) {
                char *a = capture(db, (apn_listing)which, offerings[o], (apn_format)fmt, 1);
                char *b = capture(db, (apn_listing)which, offerings[o], (apn_format)fmt, 0);
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
    CHECK(apn_listing_write(db, APN_LIST_STATS, NULL, stdout, APN_FMT_TABLE) == APN_EUSAGE);
    apn_db_free(db);
    unlink(path);
    rmdir(dir);
}
