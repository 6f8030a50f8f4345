/* Unit tests for reqref.c: CIS and Security Hub references in a requirement's words. */
#include "test.h"

#include "reqref.h"
#include "util/buf.h"

/* Collects "scheme ref;" for each reference. */
static int collect(void *ud, const char *scheme, const char *ref)
{
    apn_buf *b = ud;
    apn_buf_puts(b, scheme);
    apn_buf_putc(b, ' ');
    apn_buf_puts(b, ref);
    apn_buf_putc(b, ';');
    return 0;
}

/* The references of text as "scheme ref;..." (valid until the next call). */
static const char *scan(const char *text)
{
    static char out[1024];
    apn_buf b = APN_BUF_INIT;
    apn_reqref_scan(text, collect, &b);
    snprintf(out, sizeof out, "%s", b.oom ? "(out of memory)" : apn_buf_cstr(&b));
    apn_buf_dispose(&b);
    return out;
}

TEST(reqref__real_page_titles)
{
    /* the FTR page's wordings (Korean translation: 또는 = or, 과 = and) */
    CHECK_STR(scan("ARC-004 - 루트 사용자에 대한 액세스 키를 제거합니다. (CIS_5.0 1.3/Security Control "
                   "IAM.4 또는 CIS_3.0 1.4/Security Control IAM.4)"),
              "CIS_5.0 1.3;Security Hub IAM.4;CIS_3.0 1.4;Security Hub IAM.4;");
    CHECK_STR(scan("([CIS_5.0 1.7/Security Control IAM.15 과 CIS_5.0 1.8/Security Control IAM.16] 또는 "
                   "[CIS_3.0 1.8/Security Control IAM.15 과 CIS_3.0 1.9/Security Control IAM.16])"),
              "CIS_5.0 1.7;Security Hub IAM.15;CIS_5.0 1.8;Security Hub IAM.16;"
              "CIS_3.0 1.8;Security Hub IAM.15;CIS_3.0 1.9;Security Hub IAM.16;");
    /* a space after the slash */
    CHECK_STR(scan("([CIS_5.0 5.4/ Security Control EC2.54 과 CIS_5.0 5.3/ Security Control EC2.53])"),
              "CIS_5.0 5.4;Security Hub EC2.54;CIS_5.0 5.3;Security Hub EC2.53;");
}

TEST(reqref__version_without_number_shares_the_next)
{
    CHECK_STR(scan("#requirement_ACOM-001 (CIS_5.0 또는 CIS_3.0 1.2/Security Control Account.1)"),
              "CIS_5.0 1.2;CIS_3.0 1.2;Security Hub Account.1;");
    /* never resolved: not a reference */
    CHECK_STR(scan("see CIS_5.0 for details"), "");
}

TEST(reqref__not_references)
{
    CHECK_STR(scan(NULL), "");
    CHECK_STR(scan(""), "");
    /* the workbook's wording names no reference */
    CHECK_STR(scan("Remove access keys (CIS Control, see mapping reference in Row 8 above)."), "");
    CHECK_STR(scan("XCIS_5.0 1.3 and ASecurity Control IAM.4"), "");      /* inside a word */
    CHECK_STR(scan("CIS_ 1.3, CIS_x 1.3, Security Control, Security Control 4.1"), "");
    CHECK_STR(scan("Security Control IAM. CIS_5.0 1.3x"), "");
    /* a trailing dot ends the number; case of "security control" does not matter */
    CHECK_STR(scan("CIS_3.0 1.4. security control iam.4."), "CIS_3.0 1.4;Security Hub iam.4;");
}

static int stop_at_second(void *ud, const char *scheme, const char *ref)
{
    (void)scheme, (void)ref;
    return ++*(int *)ud == 2 ? 7 : 0;
}

TEST(reqref__callback_stops)
{
    int n = 0;
    CHECK_INT(apn_reqref_scan("CIS_5.0 1.3/Security Control IAM.4 CIS_3.0 1.4", stop_at_second, &n), 7);
    CHECK_INT(n, 2);
}
