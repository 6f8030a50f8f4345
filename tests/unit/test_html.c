/* Unit tests for html.c: the checklist page reader, on AWS's real Korean FTR
 * page, the contract fixture's pages, and the hand-made pages of
 * tests/resources/html/ (charsets, unquoted attributes, missing end tags, a page
 * cut mid-element, garbage). */
#include "test.h"

#include <stdlib.h>

#include <apnmap/apnmap.h>

#include "read/doc.h"
#include "read/html.h"
#include "read/ids.h"
#include "util/alloc.h"

/* Reads a fixture into doc; returns apn_html_read's code, or 99 when the file is
 * missing. */
static int read_page(apn_doc *doc, const char *rel)
{
    size_t len = 0;
    char *data = test_slurp(rel, &len);
    apn_doc_init(doc, rel);
    if (!data)
        return 99;
    int rc = apn_html_read(doc, data, len);
    apn_free(data);
    return rc;
}

static int read_str(apn_doc *doc, const char *s)
{
    apn_doc_init(doc, "inline.html");
    return apn_html_read(doc, s, strlen(s));
}

static int starts(const char *s, const char *prefix)
{
    return s && !strncmp(s, prefix, strlen(prefix));
}

static int str_utf8(const char *s)
{
    return !s || test_utf8_valid(s, strlen(s));
}

/* Every string of the record is valid UTF-8. */
static int doc_valid_utf8(const apn_doc *d)
{
    int ok = str_utf8(d->lang) && str_utf8(d->title) && str_utf8(d->subtitle) &&
             str_utf8(d->validity) && str_utf8(d->version);
    for (size_t i = 0; i < d->nitems; i++) {
        const apn_item *t = &d->items[i];
        ok = ok && str_utf8(t->raw_id) && str_utf8(t->title) &&
             str_utf8(t->description) && str_utf8(t->section) && str_utf8(t->locus);
    }
    for (size_t i = 0; i < d->nprereqs; i++) {
        ok = ok && str_utf8(d->prereqs[i].title) && str_utf8(d->prereqs[i].text);
        for (size_t j = 0; j < d->prereqs[i].nlinks; j++)
            ok = ok && str_utf8(d->prereqs[i].links[j].href) &&
                 str_utf8(d->prereqs[i].links[j].text);
    }
    return ok;
}

#define KO "tests/resources/real/FTR_Checklist_KO.html"

TEST(html__real_ko_page_items)
{
    apn_doc d;
    REQUIRE(read_page(&d, KO) == 0);
    CHECK_INT(d.nitems, 46);
    static const char *const want_prefixes[] = { "HOST", "SUP", "WAFR", "ARC", "ACOM", "IAM",
        "SECOPS", "NETSEC", "BAR", "RES", "S3", "CAA", "SDAT", "RCVP" };
    char seen[32][APN_ID_MAX];
    size_t nseen = 0, ncontrol = 0, npseudo = 0;
    for (size_t i = 0; i < d.nitems; i++) {
        apn_id id;
        if (d.items[i].kind == APN_ITEM_PSEUDO) {
            npseudo++;
            CHECK(apn_id_parse(&id, d.items[i].raw_id) != 0);
            continue;
        }
        ncontrol++;
        REQUIRE(apn_id_parse(&id, d.items[i].raw_id) == 0);
        size_t k = 0;
        while (k < nseen && strcmp(seen[k], id.prefix))
            k++;
        if (k == nseen && nseen < 32)
            strcpy(seen[nseen++], id.prefix);
    }
    CHECK_INT(ncontrol, 44);
    CHECK_INT(npseudo, 2);
    CHECK_INT(nseen, 14);
    for (size_t i = 0; i < 14 && nseen == 14; i++)
        CHECK_STR(seen[i], want_prefixes[i]);   /* in page order */

    CHECK_STR(d.items[0].raw_id, "CIS");
    CHECK(d.items[0].kind == APN_ITEM_PSEUDO);
    CHECK_STR(d.items[0].title, "Center for Internet Security (CIS) 벤치마크 보고서");
    CHECK_STR(d.items[0].locus, "#requirement_CIS");
    CHECK_STR(d.items[1].raw_id, "GA");
    CHECK(d.items[1].kind == APN_ITEM_PSEUDO);
    CHECK_STR(d.items[1].title, "일반 구매 가능 여부");
    CHECK_STR(d.items[1].section, "사전 요구 사항");
    /* blocks and list items on their own lines */
    CHECK_STR(d.items[1].description,
              "FTR에 제출된 모든 솔루션은 다음 중 하나여야 합니다.\n"
              "일반 구매 가능 (GA) 또는\n고객이 구매할 수 있습니다.");

    const apn_item *t = test_find_item(&d, "HOST-001");
    REQUIRE(t);
    CHECK_STR(t->title, "호스팅 모델을 확인합니다.");
    CHECK_STR(t->section, "파트너 호스팅");
    CHECK_STR(t->locus, "#requirement_HOST-001");
    CHECK(t->kind == APN_ITEM_CONTROL);
    CHECK(!t->customer_example);
    CHECK(starts(t->description, "FTR의 자격을 얻으려면 제품이"));
    CHECK(t->description && strstr(t->description, "자세한 내용은\nControl plane vs. application plane 백서를"));

    /* an unclean element id: the raw ID is the leading ID, the locus the id as written */
    t = test_find_item(&d, "ACOM-001");
    REQUIRE(t);
    CHECK_STR(t->title, "AWS 계정 연락처를 구성하십시오.");
    CHECK_STR(t->locus, "#requirement_ACOM-001 (CIS_5.0 또는 CIS_3.0 1.2/Security Control Account.1)");
    CHECK_STR(t->section, "AWS로부터의 커뮤니케이션");

    t = test_find_item(&d, "IAM-001");
    REQUIRE(t);
    CHECK_STR(t->title, "AWS 액세스가 있는 모든 인간 신원에 대해 다중 요소 인증(MFA) 활성화. "
                        "(CIS_5.0 1.9/Security Control IAM.5 또는 CIS_3.0 1.10/Security Control IAM.5)");
    CHECK_STR(t->section, "Identity and Access Management");
    t = test_find_item(&d, "WAFR-001");   /* heading text ends with a line break before </h4> */
    REQUIRE(t);
    CHECK_STR(t->title, "매년 최소 한 번씩 아키텍처 검토를 수행합니다.");

    CHECK_STR(d.items[45].raw_id, "RCVP-001");
    CHECK_STR(d.items[45].section, "규제 준수 검증 프로세스");
    CHECK_INT(d.diags.n, 0);
    CHECK(doc_valid_utf8(&d));
    apn_doc_dispose(&d);
}

TEST(html__real_ko_page_header)
{
    apn_doc d;
    REQUIRE(read_page(&d, KO) == 0);
    /* AWS's Korean page says <html lang="">: empty means unknown (the path's
     * /ko/ segment tells the normaliser) */
    CHECK(d.lang == NULL);
    CHECK_STR(d.title, "Partner Hosted Foundational Technical Review");
    CHECK_STR(d.subtitle, "Partner Hosted Validation Checklist");
    CHECK_STR(d.validity, "February 2026-August 2026");
    REQUIRE(d.version);
    CHECK(starts(d.version, "This version of the checklist was released on February 26th, 2026. "
                            "The next version"));
    CHECK(strstr(d.version, "Please review the change log for a list of changes (if any) since "
                            "the previous version."));
    CHECK(!strchr(d.version, '\n'));
    CHECK(!strstr(d.version, "  "));
    REQUIRE(d.ndownloads == 1);
    CHECK_STR(d.downloads[0].href,
              "CVLHEC5X7/Partner Hosted Foundational Technical Review Self-Assessment.xlsx");
    CHECK_STR(d.downloads[0].text, "Self-assessment Spreadsheet");
    REQUIRE(d.nprereqs == 1);
    CHECK_STR(d.prereqs[0].number, "1.1");
    CHECK_STR(d.prereqs[0].title, "소프트웨어 경로 멤버십");
    CHECK_STR(d.prereqs[0].locus, "#prereq_-0");
    CHECK(starts(d.prereqs[0].text, "AWS 파트너는 Software Path에 등록되어 있어야 합니다."));
    REQUIRE(d.prereqs[0].nlinks == 1);
    CHECK_STR(d.prereqs[0].links[0].href, "https://aws.amazon.com/partners/paths");
    CHECK_STR(d.prereqs[0].links[0].text, "Software Path");
    apn_doc_dispose(&d);
}

#define CIN "tests/contract/inputs/"

TEST(html__contract_gadgets_requires_widgets)
{
    apn_doc d;
    REQUIRE(read_page(&d, CIN "competency/gadgets/consulting/CgAdg3.html") == 0);
    CHECK_STR(d.lang, "en");
    CHECK_STR(d.title, "AWS Gadgets Competency");
    CHECK_STR(d.subtitle, "Service Offering Validation Checklist");
    CHECK_STR(d.validity, "February 2026-August 2026");
    CHECK_STR(d.version, "This version of the checklist was released on February 26th, 2026. "
                         "See the change log.");
    REQUIRE(d.nprereqs == 1);
    CHECK_STR(d.prereqs[0].title, "AWS Widgets Competency");
    CHECK_STR(d.prereqs[0].text, "Partners must hold the AWS Widgets Competency.");
    REQUIRE(d.prereqs[0].nlinks == 1);
    CHECK_STR(d.prereqs[0].links[0].href, "../../widgets/consulting/CwIdg2.html");
    CHECK_STR(d.prereqs[0].links[0].text, "AWS Widgets Competency");
    static const char *const ids[] = { "GADP-001", "GADP-002", "POV-001", "POV-002", "ACCT-001" };
    REQUIRE(d.nitems == 5);
    for (size_t i = 0; i < 5; i++) {
        CHECK_STR(d.items[i].raw_id, ids[i]);
        CHECK(d.items[i].kind == APN_ITEM_CONTROL);
        CHECK_INT(d.items[i].customer_example, i == 4);
    }
    CHECK_STR(d.items[0].title, "Gadgets Practice: GADP-001");
    CHECK_STR(d.items[0].section, "Gadgets Practice");
    CHECK_STR(d.items[0].description, "Describe how the offering meets GADP-001.\nEvidence\nDemo");
    CHECK_STR(d.items[4].section, "Common Customer Example Requirements");
    CHECK_STR(d.items[4].locus, "#requirement_ACCT-001");
    CHECK_INT(d.ndownloads, 0);
    CHECK_INT(d.diags.n, 0);
    apn_doc_dispose(&d);
}

TEST(html__contract_widgets_software_and_ftr)
{
    apn_doc d;
    REQUIRE(read_page(&d, CIN "competency/widgets/technology/CwIdg1.html") == 0);
    CHECK_STR(d.subtitle, "Partner Offering Validation Checklist");
    REQUIRE(d.nprereqs == 1 && d.prereqs[0].nlinks == 1);
    CHECK_STR(d.prereqs[0].number, "1.1");
    CHECK_STR(d.prereqs[0].links[0].href,
              "https://apn-checklists.s3.amazonaws.com/foundational/partner-hosted/partner-hosted/CfTr01.html");
    REQUIRE(d.nitems == 7);
    const apn_item *t = test_find_item(&d, "NETSEC-001");
    REQUIRE(t);
    CHECK_STR(t->title, "Network traffic between widget components is restricted.");
    CHECK_STR(t->section, "Common Requirements");
    apn_doc_dispose(&d);

    REQUIRE(read_page(&d, CIN "foundational/partner-hosted/partner-hosted/ko/CfTr01.html") == 0);
    CHECK_STR(d.lang, "ko");
    CHECK_STR(d.title, "Partner Hosted Foundational Technical Review");
    REQUIRE(d.nitems == 4);
    CHECK_STR(d.items[0].raw_id, "CIS");
    CHECK(d.items[0].kind == APN_ITEM_PSEUDO);
    CHECK_STR(d.items[0].title, "인터넷 보안 센터(CIS) 벤치마크 보고서");
    CHECK_STR(d.items[0].section, "통제");
    CHECK_STR(d.items[3].raw_id, "IAM-001");
    CHECK_STR(d.items[3].title, "모든 사용자에게 MFA를 활성화합니다.");
    REQUIRE(d.nprereqs == 1);
    CHECK_STR(d.prereqs[0].title, "소프트웨어 경로 멤버십");
    CHECK_INT(d.prereqs[0].nlinks, 0);
    apn_doc_dispose(&d);

    REQUIRE(read_page(&d, CIN "foundational/customer-deployed/customer-deployed/CfTr02.html") == 0);
    CHECK_STR(d.title, "Customer-Deployed Foundational Technical Review");
    CHECK_STR(d.subtitle, "Customer-Deployed Validation Checklist");
    CHECK_INT(d.nprereqs, 0);
    REQUIRE(d.nitems == 2);
    CHECK_STR(d.items[0].raw_id, "INT-001");
    CHECK_STR(d.items[1].raw_id, "ARCH-001");
    CHECK_STR(d.items[1].title, "Architecture diagrams include all AWS services deployed.");
    CHECK_STR(d.items[1].section, "Deployment Guide");
    apn_doc_dispose(&d);
}

#define RES "tests/resources/html/"

TEST(html__latin1_meta_charset)
{
    apn_doc d;
    REQUIRE(read_page(&d, RES "latin1.html") == 0);
    CHECK_STR(d.title, "AWS Caf\xC3\xA9 Competency");
    REQUIRE(d.nitems == 1);
    /* the page's no-break space (0xA0) is whitespace, squeezed */
    CHECK_STR(d.items[0].title, "A na\xC3\xAFve r\xC3\xA9sum\xC3\xA9 check");
    CHECK_STR(d.items[0].section, "Caf\xC3\xA9 Practice");
    CHECK_STR(d.items[0].description, "Cr\xC3\xA8me br\xC3\xBBl\xC3\xA9" "e \xC2\xBD price.");
    CHECK_INT(d.diags.n, 0);
    apn_doc_dispose(&d);
}

TEST(html__cp1252_http_equiv)
{
    apn_doc d;
    REQUIRE(read_page(&d, RES "cp1252.html") == 0);
    REQUIRE(d.nitems == 1);
    /* 0x96 (en dash) separates ID and title; 0x93/0x94/0x80/0x92/0x85 are
     * windows-1252's quotes, euro sign, apostrophe and ellipsis */
    CHECK_STR(d.items[0].raw_id, "QUO-001");
    CHECK(d.items[0].kind == APN_ITEM_CONTROL);
    CHECK_STR(d.items[0].title, "\xE2\x80\x9CSmart\xE2\x80\x9D quotes \xE2\x82\xAC 5");
    CHECK_STR(d.items[0].description, "It\xE2\x80\x99s fine\xE2\x80\xA6");
    CHECK_INT(d.diags.n, 0);
    apn_doc_dispose(&d);
}

TEST(html__invalid_utf8_becomes_replacement_char)
{
    apn_doc d;
    REQUIRE(read_page(&d, RES "invalid_utf8.html") == 0);
    /* libxml2 2.9.14 alone would re-read the whole page as Latin-1 ("CafÃ©") */
    CHECK_STR(d.title, "AWS Bad \xEF\xBF\xBD\xEF\xBF\xBD Bytes Competency");
    REQUIRE(d.nitems == 1);
    CHECK_STR(d.items[0].section, "Caf\xC3\xA9 Practice");
    CHECK_STR(d.items[0].title, "Caf\xC3\xA9 \xEF\xBF\xBD(cut) na\xC3\xAFve");
    CHECK(doc_valid_utf8(&d));
    CHECK(test_has_diag(&d.diags, APN_SEV_WARNING, NULL, "8 bytes not valid utf-8, replaced by U+FFFD"));
    CHECK_INT(d.diags.nerr, 0);
    apn_doc_dispose(&d);
}

TEST(html__utf16_with_bom)
{
    static const char *const files[] = { RES "utf16le.html", RES "utf16be.html" };
    for (int i = 0; i < 2; i++) {
        apn_doc d;
        REQUIRE(read_page(&d, files[i]) == 0);
        CHECK_STR(d.title, "AWS Unicode Competency");
        CHECK_STR(d.validity, "February 2026-August 2026");
        REQUIRE(d.nitems == 1);
        CHECK_STR(d.items[0].raw_id, "UNI-001");
        CHECK_STR(d.items[0].title, "\xC3\x89moji \xF0\x9F\x98\x80 and 한국어");
        CHECK_STR(d.items[0].section, "통제");
        CHECK_INT(d.diags.n, 0);
        apn_doc_dispose(&d);
    }
}

TEST(html__euc_kr_through_iconv)
{
    apn_doc d;
    REQUIRE(read_page(&d, RES "euc_kr.html") == 0);
    CHECK_STR(d.lang, "ko");
    CHECK_STR(d.title, "AWS 보안 Competency");
    REQUIRE(d.nitems == 1);
    CHECK_STR(d.items[0].title, "호스팅 모델을 확인합니다.");
    CHECK_STR(d.items[0].section, "통제");
    /* 0xFF is not EUC-KR: replaced, and said once */
    CHECK_STR(d.items[0].description, "\xEF\xBF\xBD 설명.");
    CHECK(test_has_diag(&d.diags, APN_SEV_WARNING, NULL, "1 byte not valid EUC-KR, replaced by U+FFFD"));
    CHECK_INT(d.diags.n, 1);
    apn_doc_dispose(&d);
}

TEST(html__unknown_charset_read_as_utf8)
{
    apn_doc d;
    REQUIRE(read_page(&d, RES "unknown_charset.html") == 0);
    CHECK_STR(d.title, "Unknown \xC3\xA9");
    CHECK(test_has_diag(&d.diags, APN_SEV_WARNING, NULL, "unknown charset \"x-no-such-charset\""));
    apn_doc_dispose(&d);
}

TEST(html__unquoted_attributes_and_item_quirks)
{
    apn_doc d;
    REQUIRE(read_page(&d, RES "unquoted.html") == 0);
    CHECK_STR(d.lang, "pt-BR");
    CHECK_STR(d.title, "AWS Unquoted Competency");
    CHECK_STR(d.subtitle, "Service Offering Validation Checklist");
    CHECK_STR(d.validity, "August 2025-February 2026");
    CHECK_STR(d.version, "Released on August 1st, 2025.");
    REQUIRE(d.ndownloads == 1);
    CHECK_STR(d.downloads[0].href, "UqX1/Self-Assessment.xlsx");
    REQUIRE(d.nprereqs == 1);
    CHECK_STR(d.prereqs[0].number, "1.1");
    CHECK_STR(d.prereqs[0].title, "FTR approval");
    CHECK_STR(d.prereqs[0].text, "See the FTR and the guide.");
    REQUIRE(d.prereqs[0].nlinks == 2);
    CHECK_STR(d.prereqs[0].links[0].href, "../../foundational/x.html");
    CHECK_STR(d.prereqs[0].links[1].href, "https://example.test/a b");
    CHECK_STR(d.prereqs[0].links[1].text, "the guide");

    REQUIRE(d.nitems == 5);
    CHECK_STR(d.items[0].raw_id, "UQ-001");
    CHECK_STR(d.items[0].section, "Pr\xC3\xA9paration du client");
    CHECK_STR(d.items[0].description,
              "First paragraph.\nSecond paragraph spans lines.\none\ntwo\nthree");
    /* an en dash between ID and title; the raw ID is kept as written */
    CHECK_STR(d.items[1].raw_id, "uq-2");
    CHECK(d.items[1].kind == APN_ITEM_CONTROL);
    CHECK_STR(d.items[1].title, "En dash separator");
    CHECK_STR(d.items[1].description, "Plain text.");
    /* no element id: the locus is the line */
    CHECK_STR(d.items[2].raw_id, "ACCT-001");
    CHECK_STR(d.items[2].locus, "line 24");
    CHECK_INT(d.items[2].customer_example, 1);
    CHECK_INT(d.items[0].customer_example, 0);
    /* a heading with the ID only: the title is the description's first line */
    CHECK_STR(d.items[3].raw_id, "UQ-003");
    CHECK_STR(d.items[3].title, "The heading has no title.");
    /* a heading without an ID: the element id names the pseudo item, with a warning */
    CHECK_STR(d.items[4].raw_id, "GA");
    CHECK(d.items[4].kind == APN_ITEM_PSEUDO);
    CHECK_STR(d.items[4].title, "General Availability");
    CHECK(test_has_diag(&d.diags, APN_SEV_WARNING, "#requirement_GA", "item heading without an ID"));
    CHECK_INT(d.diags.n, 1);
    apn_doc_dispose(&d);
}

TEST(html__missing_end_tags)
{
    apn_doc d;
    REQUIRE(read_page(&d, RES "missing_end_tags.html") == 0);
    CHECK_STR(d.title, "AWS Sloppy Competency");
    CHECK_STR(d.subtitle, "Partner Offering Validation Checklist");
    CHECK_STR(d.validity, "February 2026-August 2026");
    CHECK_STR(d.version, "Released in February.");
    /* prerequisite groups with a header only: the header is the prerequisite */
    REQUIRE(d.nprereqs == 2);
    CHECK_STR(d.prereqs[0].number, "1.0");
    CHECK_STR(d.prereqs[0].title, "Software Path Membership");
    CHECK_STR(d.prereqs[0].locus, "#prereqSection_0");
    CHECK_STR(d.prereqs[0].text, "Enrolled in the Software Path.");
    REQUIRE(d.prereqs[0].nlinks == 1);
    CHECK_STR(d.prereqs[0].links[0].href, "https://example.test/paths");
    CHECK_STR(d.prereqs[1].number, "2.0");
    CHECK_STR(d.prereqs[1].title, "Customer References");
    REQUIRE(d.nitems == 4);
    static const char *const ids[] = { "SLP-001", "SLP-002", "SLP-003", "NXT-001" };
    static const char *const titles[] = { "First item", "Second item", "Third item",
                                          "In the next category" };
    for (int i = 0; i < 4; i++) {
        CHECK_STR(d.items[i].raw_id, ids[i]);
        CHECK_STR(d.items[i].title, titles[i]);
        CHECK_STR(d.items[i].section, i < 3 ? "Sloppy Controls" : "Next Category");
    }
    CHECK_STR(d.items[0].description, "First details.");   /* an unclosed <h4> */
    CHECK_STR(d.items[1].description, "Second details.\nnested a\nnested b");
    CHECK_STR(d.items[2].description, "Third details.");
    CHECK_INT(d.diags.n, 0);
    apn_doc_dispose(&d);
}

TEST(html__truncated_page_keeps_items_before_cut)
{
    apn_doc full, cut;
    REQUIRE(read_page(&full, KO) == 0);
    REQUIRE(read_page(&cut, RES "truncated_ko.html") == 0);
    /* cut inside an <a href=...> tag in IAM-005's details: the 15 items before it
     * are whole, IAM-005 keeps its heading and the text before the cut */
    REQUIRE(cut.nitems == 16);
    for (size_t i = 0; i < 15; i++) {
        CHECK_STR(cut.items[i].raw_id, full.items[i].raw_id);
        CHECK_STR(cut.items[i].title, full.items[i].title);
        CHECK_STR(cut.items[i].description, full.items[i].description);
        CHECK_STR(cut.items[i].section, full.items[i].section);
    }
    CHECK_STR(cut.items[15].raw_id, "IAM-005");
    CHECK_STR(cut.items[15].title, full.items[15].title);
    CHECK(cut.items[15].description && full.items[15].description &&
          strlen(cut.items[15].description) < strlen(full.items[15].description));
    CHECK(test_has_diag(&cut.diags, APN_SEV_WARNING, "#requirement_IAM-005", "truncated"));
    CHECK_INT(cut.diags.nerr, 0);
    CHECK_STR(cut.validity, "February 2026-August 2026");
    apn_doc_dispose(&full);
    apn_doc_dispose(&cut);
}

TEST(html__page_without_requirements)
{
    apn_doc d;
    REQUIRE(read_page(&d, RES "no_requirements.html") == 0);
    CHECK_STR(d.title, "AWS Empty Competency");
    CHECK_INT(d.nitems, 0);
    CHECK_INT(d.nprereqs, 0);
    CHECK_INT(d.diags.nerr, 0);   /* the normaliser warns, not the reader */
    apn_doc_dispose(&d);
}

TEST(html__binary_garbage_is_not_a_page)
{
    apn_doc d;
    CHECK_INT(read_page(&d, RES "garbage.bin"), APN_EPARSE);
    CHECK_INT(d.diags.nerr, 1);
    CHECK(test_has_diag(&d.diags, APN_SEV_ERROR, NULL, "not an HTML page"));
    CHECK_INT(d.nitems, 0);
    apn_doc_dispose(&d);

    CHECK_INT(read_str(&d, "just some text, no markup at all\n"), APN_EPARSE);
    apn_doc_dispose(&d);
}

TEST(html__empty_page_warns)
{
    apn_doc d;
    CHECK_INT(read_page(&d, RES "empty.html"), 0);
    CHECK(test_has_diag(&d.diags, APN_SEV_WARNING, NULL, "empty page"));
    apn_doc_dispose(&d);
    apn_doc_init(&d, "none.html");
    CHECK_INT(apn_html_read(&d, NULL, 0), 0);
    CHECK_INT(d.diags.nwarn, 1);
    apn_doc_dispose(&d);
}

TEST(html__headings_without_ids)
{
    apn_doc d;
    REQUIRE(read_str(&d, "\xEF\xBB\xBF<html><body><div class=controlCategory><h3>Misc</h3><ul>"
                         "<li class=controlCategory--requirement><h4>Just words</h4>"
                         "<div class=controlCategory--requirementDetails>Body</div></li>"
                         "<li class=controlCategory--requirement></li>"
                         "<li class=controlCategory--requirement id=requirement_X-1>"
                         "<h4>X-1 (ref - 2) - Parenthesised<br>dash</h4></li>"
                         "<li class=controlCategory--requirement id=r4><h4>Y-7 -</h4></li>"
                         "</ul></div></body></html>") == 0);
    REQUIRE(d.nitems == 3);
    CHECK_STR(d.items[0].raw_id, "Just words");
    CHECK(d.items[0].kind == APN_ITEM_PSEUDO);
    CHECK_STR(d.items[0].section, "Misc");
    CHECK(test_has_diag(&d.diags, APN_SEV_WARNING, "line 1", "item heading without an ID"));
    CHECK(test_has_diag(&d.diags, APN_SEV_WARNING, "line 1", "without a heading or id, skipped"));
    /* the " - " inside parentheses is not the separator */
    CHECK_STR(d.items[1].raw_id, "X-1");
    CHECK(d.items[1].kind == APN_ITEM_CONTROL);
    CHECK_STR(d.items[1].title, "Parenthesised dash");
    CHECK_STR(d.items[1].locus, "#requirement_X-1");
    /* an ID whose title is missing after the dash, and no description */
    CHECK_STR(d.items[2].raw_id, "Y-7");
    CHECK_STR(d.items[2].title, "");
    CHECK(test_has_diag(&d.diags, APN_SEV_WARNING, "#r4", "has no title"));
    apn_doc_dispose(&d);
}

TEST(html__template_classes_on_other_elements)
{
    apn_doc d;
    REQUIRE(read_str(&d, "<html lang=en><body><h1>AWS Other Competency</h1>"
                         "<section class=controlCategory><p class=controlCategory--header>x</p>"
                         "<h3>Divs</h3><div class=\"controlCategory--requirement\" id=requirement_D-001>"
                         "<strong class=controlCategory--requirementTitle>D-001 - Div item</strong>"
                         "<section class=controlCategory--requirementDetails><p>Para</p>Tail</section>"
                         "</div></section>"
                         "<div class=prereqSection--requirement id=p1><b class=prereqSection--requirementTitle>"
                         "<i class=prereqSection--requirementNumber>2.1</i> Other path</b>"
                         "<span class=prereqSection--requirementDetails>See <a href=o.html>it</a></span></div>"
                         "</body></html>") == 0);
    CHECK_STR(d.title, "AWS Other Competency");
    REQUIRE(d.nitems == 1);
    CHECK_STR(d.items[0].raw_id, "D-001");
    CHECK_STR(d.items[0].title, "Div item");
    CHECK_STR(d.items[0].section, "Divs");
    CHECK_STR(d.items[0].description, "Para\nTail");
    REQUIRE(d.nprereqs == 1);
    CHECK_STR(d.prereqs[0].number, "2.1");
    CHECK_STR(d.prereqs[0].title, "Other path");
    CHECK_STR(d.prereqs[0].text, "See it");
    REQUIRE(d.prereqs[0].nlinks == 1);
    CHECK_STR(d.prereqs[0].links[0].href, "o.html");
    CHECK_STR(d.prereqs[0].locus, "#p1");
    apn_doc_dispose(&d);
}

TEST(html__translated_validity_label)
{
    apn_doc d;
    REQUIRE(read_str(&d, "<html><body><article><h1>AWS X Competency</h1><h2>Checklist</h2>"
                         "<h3>\xEC\x9C\xA0\xED\x9A\xA8 \xEA\xB8\xB0\xEA\xB0\x84: "
                         "February 2026-August 2026</h3></article></body></html>") == 0);
    CHECK_STR(d.validity, "February 2026-August 2026");
    apn_doc_dispose(&d);
    /* an h3 with a colon inside a section is not a validity period */
    REQUIRE(read_str(&d, "<html><body><h1>AWS X Competency</h1><section id=intro>"
                         "<h3>Note: since 2024 things changed</h3></section></body></html>") == 0);
    CHECK(d.validity == NULL);
    CHECK(d.subtitle == NULL);
    apn_doc_dispose(&d);
}

TEST(html__out_of_memory_is_reported)
{
    size_t len = 0;
    char *data = test_slurp(CIN "competency/gadgets/consulting/CgAdg3.html", &len);
    REQUIRE(data);
    int failures_seen = 0;
    for (long n = 1; n < 2000; n++) {
        apn_doc d;
        apn_alloc_fail_after(n);
        int rc = apn_doc_init(&d, "p.html");
        if (rc == 0)
            rc = apn_html_read(&d, data, len);
        long refused = apn_alloc_failures();
        apn_alloc_fail_after(0);
        CHECK(rc == 0 || rc == APN_ENOMEM);
        if (!refused) {
            CHECK_INT(rc, 0);
            CHECK_INT(d.nitems, 5);
            apn_doc_dispose(&d);
            break;
        }
        failures_seen++;
        apn_doc_dispose(&d);
    }
    CHECK(failures_seen > 10);
    apn_free(data);
}
