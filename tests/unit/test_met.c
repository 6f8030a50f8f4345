/* Unit tests for read/met.c and read/ident.c's offering rule: filled workbooks
 * read into answers with their cell, the track each file answers, and the
 * conflict rule (a "no" on the same track wins, reported with both loci). */
#include <string.h>

#include "test.h"

#include "read/ident.h"
#include "read/met.h"

static const char *widgets_wb(void)
{
    return test_path("tests/contract/inputs/competency/widgets/consulting/CwIdg2/"
                     "AWS Widgets Competency Service Offering Self-Assessment.xlsx");
}

static const char *ftr_wb(void) { return test_path("tests/resources/plan/ftr_filled.xlsx"); }

TEST(met__offerings_follow_the_track)
{
    CHECK_INT(apn_ident_offerings("FTR", "partner-hosted", "software"), APN_OFFER_SAAS);
    CHECK_INT(apn_ident_offerings("FTR", "customer-deployed", "software"), APN_OFFER_CUSTOMER_DEPLOYED);
    CHECK_INT(apn_ident_offerings("FTR", "service-offering", "services"), APN_OFFER_SERVICES);
    CHECK_INT(apn_ident_offerings("FTR", "alternative", "software"), 0);
    CHECK_INT(apn_ident_offerings("Competency", NULL, "services"), APN_OFFER_SERVICES);
    CHECK_INT(apn_ident_offerings("Competency", NULL, "software"), APN_OFFER_SAAS | APN_OFFER_CUSTOMER_DEPLOYED);
    CHECK_INT(apn_ident_offerings(NULL, NULL, NULL), 0);
}

TEST(met__reads_workbooks_with_their_cells_and_track)
{
    apn_met_set s;
    apn_diags dg = APN_DIAGS_INIT;
    apn_met_init(&s);
    REQUIRE(apn_met_read(&s, widgets_wb(), &dg) == 0);
    REQUIRE(apn_met_read(&s, ftr_wb(), &dg) == 0);
    CHECK_INT(dg.nerr, 0);
    REQUIRE(s.nsources == 2);
    CHECK_STR(s.sources[0].ident.programme, "Competency");
    CHECK_STR(s.sources[0].ident.track, "services");
    CHECK_INT(s.sources[0].offerings, APN_OFFER_SERVICES);
    CHECK_INT(s.sources[0].nanswered, 3);
    CHECK_INT(s.sources[0].nmet, 2);
    CHECK_STR(s.sources[1].ident.programme, "FTR");
    CHECK_STR(s.sources[1].ident.variant, "partner-hosted");
    CHECK_INT(s.sources[1].offerings, APN_OFFER_SAAS);

    const apn_met_answer *a = apn_met_lookup(&s, "WIDP-002", APN_OFFER_SERVICES);
    REQUIRE(a != NULL);
    CHECK_INT(a->met, APN_MET_NO);
    CHECK(strchr(a->locus, '!') != NULL);   /* Sheet!cell */
    CHECK(apn_met_lookup(&s, "WIDP-001", APN_OFFER_SAAS) == NULL);   /* another track */
    a = apn_met_lookup(&s, "IAM-001", APN_OFFER_SAAS);
    CHECK(apn_met_done(a));
    CHECK(apn_met_lookup(&s, "IAM-001", APN_OFFER_SERVICES) == NULL);
    a = apn_met_lookup(&s, "IAM-002", APN_OFFER_SAAS);
    REQUIRE(a != NULL);
    CHECK_INT(a->met, APN_MET_NO);
    CHECK_INT(apn_met_conflicts(&s, APN_OFFER_SAAS | APN_OFFER_SERVICES, &dg), 0);
    apn_diags_dispose(&dg);
    apn_met_dispose(&s);
}

TEST(met__a_no_on_the_same_track_wins_and_both_loci_are_named)
{
    apn_met_set s;
    apn_diags dg = APN_DIAGS_INIT;
    apn_ident svc = { "Competency", "Widgets", "widgets", NULL, "services", 0 };
    apn_ident ftr = { "FTR", NULL, NULL, "partner-hosted", "software", 0 };
    size_t a, b, c;
    apn_met_init(&s);
    REQUIRE(apn_met_add_source(&a, &s, "a.xlsx", &svc) == 0);
    REQUIRE(apn_met_add_answer(&s, a, "NETSEC-001", APN_MET_YES, "done", "Sheet!C7") == 0);
    REQUIRE(apn_met_add_answer(&s, a, "ACCT-001", APN_MET_NA, NULL, "Sheet!C8") == 0);
    REQUIRE(apn_met_add_source(&b, &s, "b.xlsx", &svc) == 0);
    REQUIRE(apn_met_add_answer(&s, b, "NETSEC-001", APN_MET_NO, NULL, "Sheet!C9") == 0);
    REQUIRE(apn_met_add_answer(&s, b, "ACCT-001", APN_MET_YES, NULL, "Sheet!C3") == 0);
    REQUIRE(apn_met_add_source(&c, &s, "ftr.xlsx", &ftr) == 0);
    REQUIRE(apn_met_add_answer(&s, c, "NETSEC-001", APN_MET_YES, NULL, "FTR!C5") == 0);

    const apn_met_answer *w = apn_met_lookup(&s, "NETSEC-001", APN_OFFER_SERVICES);
    REQUIRE(w != NULL);
    CHECK_INT(w->met, APN_MET_NO);
    CHECK_STR(w->locus, "Sheet!C9");
    w = apn_met_lookup(&s, "NETSEC-001", APN_OFFER_SAAS);   /* the FTR's own answer */
    REQUIRE(w != NULL);
    CHECK_STR(w->locus, "FTR!C5");
    w = apn_met_lookup(&s, "ACCT-001", APN_OFFER_SERVICES);   /* na and yes agree: the first */
    REQUIRE(w != NULL);
    CHECK_INT(w->met, APN_MET_NA);

    CHECK_INT(apn_met_conflicts(&s, APN_OFFER_SERVICES, &dg), 1);
    REQUIRE(dg.n == 1);
    CHECK_STR(dg.v[0].path, "a.xlsx");
    CHECK_STR(dg.v[0].locus, "Sheet!C7");
    CHECK(strstr(dg.v[0].message, "b.xlsx: Sheet!C9") != NULL);
    CHECK_INT(apn_met_conflicts(&s, APN_OFFER_SAAS, &dg), 0);   /* other tracks do not conflict */
    apn_diags_dispose(&dg);
    apn_met_dispose(&s);
}

TEST(met__refused_files_add_nothing)
{
    apn_met_set s;
    apn_diags dg = APN_DIAGS_INIT;
    const char *blank = test_path("tests/resources/real/FTR_Self_Assessment.xlsx");
    apn_met_init(&s);
    REQUIRE(apn_met_read(&s, widgets_wb(), &dg) == 0);
    size_t n = s.nanswers;
    CHECK_INT(apn_met_read(&s, blank, &dg), APN_EPARSE);
    CHECK_INT(apn_met_read(&s, "/nonexistent/x.xlsx", &dg), APN_EPARSE);
    CHECK_INT(s.nsources, 1);
    CHECK_INT(s.nanswers, n);
    CHECK(apn_met_lookup(&s, "WIDP-001", APN_OFFER_SERVICES) != NULL);
    CHECK(dg.nerr >= 2);
    apn_diags_dispose(&dg);
    apn_met_dispose(&s);
}

TEST(met__out_of_memory)
{
    int done = 0;
    long k;
    for (k = 1; k < 100000 && !done; k++) {
        apn_met_set s;
        apn_diags dg = APN_DIAGS_INIT;
        apn_met_init(&s);
        apn_alloc_fail_after(k);
        int err = apn_met_read(&s, widgets_wb(), &dg);
        long refused = apn_alloc_failures();
        apn_alloc_fail_after(0);
        CHECK(err == 0 || err == APN_ENOMEM || err == APN_EPARSE);   /* EPARSE: the read refused */
        CHECK(refused == 0 || err != 0 || s.nsources == 1);
        done = refused == 0;
        if (done) {
            CHECK_INT(err, 0);
            CHECK_INT(s.nanswers, 3);
        }
        apn_diags_dispose(&dg);
        apn_met_dispose(&s);
    }
    CHECK(done);
    CHECK(k > 20);   /* reading the workbook allocates: the loop went through them */
}
