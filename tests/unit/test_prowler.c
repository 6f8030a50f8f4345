/* Unit tests for prowler.c: Prowler's FTR compliance CSV into answers. */
#include <stdlib.h>
#include <string.h>

#include "test.h"

#include "read/prowler.h"
#include "util/alloc.h"
#include "util/buf.h"

static const apn_prowler_req *req(const apn_prowler *p, const char *id)
{
    size_t k;
    return apn_map_get(&p->index, id, &k) ? &p->reqs[k] : NULL;
}

TEST(prowler__fixture_answers)
{
    size_t len;
    char *csv = test_slurp("tests/resources/prowler/ftr_compliance.csv", &len);
    REQUIRE(csv);
    CHECK(apn_prowler_sniff(csv, len));
    apn_prowler p;
    apn_diags d = APN_DIAGS_INIT;
    CHECK_INT(apn_prowler_parse(&p, csv, len, "ftr_compliance.csv", &d), 0);
    CHECK_STR(p.framework, APN_PROWLER_FTR);
    CHECK_INT(p.nrows, 18);
    CHECK_INT(p.nskipped, 1);
    CHECK(test_has_diag(&d, APN_SEV_WARNING, "line 17", "not a requirement ID"));
    struct { const char *id; apn_met met; unsigned line, pass, fail, manual, muted; } want[] = {
        { "IAM-001", APN_MET_YES, 2, 1, 0, 0, 1 },      /* the muted FAIL does not count */
        { "IAM-002", APN_MET_NO, 5, 1, 1, 0, 0 },       /* the FAIL's line decides */
        { "IAM-003", APN_MET_YES, 6, 2, 0, 0, 0 },
        { "IAM-012", APN_MET_YES, 8, 1, 0, 0, 0 },      /* written IAM-0012 */
        { "ARC-004", APN_MET_NO, 9, 0, 1, 0, 0 },
        { "S3-001", APN_MET_YES, 10, 2, 0, 0, 1 },
        { "NETSEC-001", APN_MET_NONE, 13, 0, 0, 0, 1 }, /* only muted */
        { "SDAT-002", APN_MET_NO, 15, 1, 1, 0, 0 },     /* its record spans lines 15-16 */
        { "HOST-001", APN_MET_NONE, 18, 0, 0, 1, 0 },
        { "IAM-010", APN_MET_NONE, 19, 0, 0, 1, 0 },
        { "WAFR-001", APN_MET_NONE, 20, 0, 0, 1, 0 },
    };
    CHECK_INT(p.nreqs, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const apn_prowler_req *r = req(&p, want[i].id);
        if (!r) {
            CHECK_STR(want[i].id, "(missing)");
            continue;
        }
        CHECK_INT(r->met, want[i].met);
        CHECK_INT(r->line, want[i].line);
        CHECK_INT(r->npass, want[i].pass);
        CHECK_INT(r->nfail, want[i].fail);
        CHECK_INT(r->nmanual, want[i].manual);
        CHECK_INT(r->nmuted, want[i].muted);
    }
    const apn_prowler_req *r = req(&p, "IAM-002");
    REQUIRE(r);
    CHECK_STR(r->check, "iam_rotate_access_key_90_days");
    CHECK_STR(apn_prowler_response(&p, r),
              "Prowler (2025-01-01): 1 PASS, 1 FAIL; FAIL iam_rotate_access_key_90_days on "
              "arn:aws:iam::123456789012:user/deploy (123456789012 us-east-1): User deploy has not "
              "rotated access key 1 in over 90 days (412 days).");
    r = req(&p, "SDAT-002");
    REQUIRE(r);
    CHECK_STR(r->detail, "DynamoDB table \"orders; eu\" is encrypted with the AWS owned key;\n"
                         "use a customer managed KMS key.");
    r = req(&p, "HOST-001");
    REQUIRE(r);
    CHECK_STR(apn_prowler_response(&p, r), "Prowler (2025-01-01): 0 PASS, 0 FAIL, 1 MANUAL");
    apn_prowler_dispose(&p);
    apn_diags_dispose(&d);
    apn_free(csv);
}

static int parse_text(const char *csv, apn_diags *d, apn_prowler *p)
{
    return apn_prowler_parse(p, csv, strlen(csv), "t.csv", d);
}

TEST(prowler__refused)
{
    apn_prowler p;
    apn_diags d = APN_DIAGS_INIT;
    CHECK_INT(parse_text("PROVIDER;ACCOUNTID\r\naws;1\r\n", &d, &p), APN_EPARSE);
    CHECK(test_has_diag(&d, APN_SEV_ERROR, "line 1", "no REQUIREMENTS_ID column"));
    apn_prowler_dispose(&p);
    CHECK_INT(parse_text("REQUIREMENTS_ID;STATUS;FRAMEWORK\r\n1.1;PASS;CIS-2.0\r\n", &d, &p), APN_EPARSE);
    CHECK(test_has_diag(&d, APN_SEV_ERROR, "line 2", "not the FTR"));
    apn_prowler_dispose(&p);
    CHECK_INT(parse_text("REQUIREMENTS_ID;STATUS\r\n", &d, &p), APN_EPARSE);
    CHECK(test_has_diag(&d, APN_SEV_ERROR, "", "no rows"));
    apn_prowler_dispose(&p);
    CHECK_INT(parse_text("REQUIREMENTS_ID;STATUS\r\nIAM-001;\"PASS\r\n", &d, &p), APN_EPARSE);
    apn_prowler_dispose(&p);
    apn_diags_dispose(&d);
    CHECK(!apn_prowler_sniff("ID,STATUS\n", 10));
    CHECK(!apn_prowler_sniff("REQUIREMENTS_ID;STATUSEXTENDED\n", 31));
    CHECK(apn_prowler_sniff("\xEF\xBB\xBF\"REQUIREMENTS_ID\";\"STATUS\"\r\n", 29));
}

TEST(prowler__columns_by_name_and_skipped_rows_counted)
{
    /* newer Prowler adds REQUIREMENTS_ATTRIBUTES_COMMENT: columns are found by name */
    apn_prowler p;
    apn_diags d = APN_DIAGS_INIT;
    apn_buf b = APN_BUF_INIT;
    apn_buf_puts(&b, "STATUS;REQUIREMENTS_ATTRIBUTES_COMMENT;REQUIREMENTS_ID;MUTED\r\n"
                     "FAIL;x;IAM-0010;TRUE\r\nPASS;;iam-10;false\r\n");
    for (int i = 0; i < 8; i++)
        apn_buf_puts(&b, "WARNING;;IAM-001;False\r\n");
    CHECK_INT(apn_prowler_parse(&p, apn_buf_cstr(&b), b.len, "t.csv", &d), 0);
    CHECK_INT(p.nreqs, 1);
    CHECK_STR(p.reqs[0].id, "IAM-010");
    CHECK_INT(p.reqs[0].met, APN_MET_YES);
    CHECK_INT(p.reqs[0].line, 3);
    CHECK_INT(p.nskipped, 8);
    size_t warned = 0;
    for (size_t i = 0; i < d.n; i++)
        warned += strstr(d.v[i].message, "unknown STATUS") != NULL;
    CHECK_INT(warned, 5);
    CHECK(test_has_diag(&d, APN_SEV_WARNING, "", "8 rows skipped in all"));
    apn_prowler_dispose(&p);
    apn_diags_dispose(&d);
    apn_buf_dispose(&b);
}

TEST(prowler__met_reads_the_csv_as_a_partner_hosted_ftr)
{
    apn_met_set s;
    apn_diags d = APN_DIAGS_INIT;
    apn_met_init(&s);
    REQUIRE(apn_met_read(&s, test_path("tests/resources/prowler/ftr_compliance.csv"), &d) == 0);
    CHECK_INT(d.nerr, 0);
    REQUIRE(s.nsources == 1);
    CHECK_STR(s.sources[0].ident.programme, "FTR");
    CHECK_STR(s.sources[0].ident.variant, "partner-hosted");
    CHECK_INT(s.sources[0].offerings, APN_OFFER_SAAS);
    CHECK_INT(s.sources[0].nanswered, 7);   /* the MANUAL and muted-only ones are no answers */
    CHECK_INT(s.sources[0].nmet, 4);
    const apn_met_answer *a = apn_met_lookup(&s, "IAM-002", APN_OFFER_SAAS);
    REQUIRE(a != NULL);
    CHECK_INT(a->met, APN_MET_NO);
    CHECK_STR(a->locus, "line 5");
    CHECK(a->response && strstr(a->response, "FAIL iam_rotate_access_key_90_days") != NULL);
    CHECK(apn_met_done(apn_met_lookup(&s, "IAM-012", APN_OFFER_SAAS)));
    CHECK(apn_met_lookup(&s, "IAM-012", APN_OFFER_SERVICES) == NULL);
    CHECK(apn_met_lookup(&s, "HOST-001", APN_OFFER_SAAS) == NULL);
    apn_diags_dispose(&d);
    apn_met_dispose(&s);
}

TEST(prowler__met_out_of_memory_adds_nothing)
{
    int done = 0;
    long k;
    for (k = 1; k < 100000 && !done; k++) {
        apn_met_set s;
        apn_diags d = APN_DIAGS_INIT;
        apn_met_init(&s);
        apn_alloc_fail_after(k);
        int err = apn_met_read(&s, test_path("tests/resources/prowler/ftr_compliance.csv"), &d);
        long refused = apn_alloc_failures();
        apn_alloc_fail_after(0);
        CHECK(err == 0 || err == APN_ENOMEM || err == APN_EPARSE);
        CHECK(err == 0 || s.nanswers == 0);
        done = refused == 0;
        if (done)
            CHECK_INT(s.nanswers, 7);
        apn_diags_dispose(&d);
        apn_met_dispose(&s);
    }
    CHECK(done);
    CHECK(k > 20);
}
