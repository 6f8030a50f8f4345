/* Unit tests of fetch's pure parts (fetch_int.h): URL resolution and
 * encoding, the mirror path, the follow rule, link extraction, the manifest,
 * and the built-in start list against the project's original list of
 * checklist URLs (checklist_urls.csv), when that is found beside the checkout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <apnmap/apnmap.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "fetch_int.h"
#include "fetch_links.h"
#include "read/manifest.h"
#include "util/io.h"
#include "test.h"

static void check_resolve(const char *base, const char *ref, const char *want)
{
    char *got = NULL;
    int err = apn_fetch__resolve(&got, base, ref);
    if (want) {
        CHECK_INT(err, 0);
        CHECK_STR(got, want);
    } else {
        CHECK_INT(err, APN_EPARSE);
        CHECK(got == NULL);
    }
    apn_free(got);
}

TEST(fetch__resolve_relative)
{
    const char *b = "http://h.test/competency/widgets/consulting/CWid1.html";
    check_resolve(b, "CWid1/Widgets Self-Assessment (v2).xlsx",
                  "http://h.test/competency/widgets/consulting/CWid1/Widgets%20Self-Assessment%20(v2).xlsx");
    check_resolve(b, "../technology/CWid2.html", "http://h.test/competency/widgets/technology/CWid2.html");
    check_resolve(b, "../../../foundational/x/y/F.html#top", "http://h.test/foundational/x/y/F.html");
    check_resolve(b, "/a/./b/../c.html", "http://h.test/a/c.html");
    check_resolve(b, "../../../../../../up.html", "http://h.test/up.html");
    check_resolve(b, "//other.test/p.html", "http://other.test/p.html");
    check_resolve(b, "#frag", "http://h.test/competency/widgets/consulting/CWid1.html");
    check_resolve(b, "?q=1 2", "http://h.test/competency/widgets/consulting/CWid1.html?q=1%202");
    check_resolve(b, "  already%20encoded%2.html\n", "http://h.test/competency/widgets/consulting/already%20encoded%252.html");
    check_resolve(b, "caf\xc3\xa9.html", "http://h.test/competency/widgets/consulting/caf%C3%A9.html");
    check_resolve(b, "HTTPS://H.Test:443/X.html", "https://h.test/X.html");
    check_resolve("http://127.0.0.1:8080/a/b.html", "c.html", "http://127.0.0.1:8080/a/c.html");
    check_resolve("http://h.test:80", "x.html", "http://h.test/x.html");
    check_resolve(b, "mailto:someone@example.com", NULL);
    check_resolve(b, "javascript:void(0)", NULL);
    check_resolve(b, "ftp://h.test/f.html", NULL);
    check_resolve(b, "http://user@h.test/x.html", NULL);
    check_resolve(b, "http://h.test:8x/x.html", NULL);
    check_resolve("not a url", "x.html", NULL);
}

TEST(fetch__origin_and_path)
{
    char o[64];
    CHECK_INT(apn_fetch__origin(o, sizeof o, "http://127.0.0.1:81/a/b?c"), 0);
    CHECK_STR(o, "http://127.0.0.1:81");
    CHECK_STR(apn_fetch__path("https://h/a/b?c"), "/a/b?c");
    CHECK_STR(apn_fetch__path("https://h"), "/");
    CHECK_INT(apn_fetch__origin(o, 8, "http://a-long-host/x"), APN_EPARSE);
}

static void check_mirror(const char *url, const char *want)
{
    char *got = NULL;
    int err = apn_fetch__mirror_path(&got, url);
    if (want) {
        CHECK_INT(err, 0);
        CHECK_STR(got, want);
    } else {
        CHECK_INT(err, APN_EPARSE);
    }
    apn_free(got);
}

TEST(fetch__mirror_path)
{
    check_mirror("http://h/competency/small-and-medium-business-(smb)/consulting/C1/My%20Book%20(1).xlsx",
                 "competency/small-and-medium-business-(smb)/consulting/C1/My Book (1).xlsx");
    check_mirror("http://h/foundational/index/all/", "foundational/index/all/index.html");
    check_mirror("http://h/", "index.html");
    check_mirror("http://h/a//b.html?x=1", "a/b.html");
    check_mirror("http://h/a/%2E%2E/b.html", NULL);
    check_mirror("http://h/a/x%2Fy.html", NULL);
    check_mirror("http://h/a/x%00y.html", NULL);
    check_mirror("http://h/a/x%5Cy.html", NULL);
}

TEST(fetch__lang_and_follow)
{
    char buf[16];
    const char *o = "http://h";
    CHECK_STR(apn_fetch__lang(buf, sizeof buf, "http://h/foundational/partner-hosted/partner-hosted/ko/C.html"), "ko");
    CHECK_STR(apn_fetch__lang(buf, sizeof buf, "http://h/competency/sec/consulting/pt-BR/C.html"), "pt-br");
    CHECK(apn_fetch__lang(buf, sizeof buf, "http://h/competency/ai/consulting/C.html") == NULL);
    CHECK(apn_fetch__lang(buf, sizeof buf, "http://h/foundational/partner-hosted/partner-hosted/ko.html") == NULL);

    CHECK(apn_fetch__follow("http://h/competency/w/consulting/C.html", o, NULL));
    CHECK(apn_fetch__follow("http://h/competency/w/consulting/C/Book%20(1).xlsx", o, NULL));
    CHECK(apn_fetch__follow("http://h/foundational/index/all/I.HTM", o, NULL));
    CHECK(!apn_fetch__follow("http://other/competency/w/consulting/C.html", o, NULL));
    CHECK(!apn_fetch__follow("https://h/competency/w/consulting/C.html", o, NULL));
    CHECK(!apn_fetch__follow("http://h:8080/competency/w/consulting/C.html", o, NULL));
    CHECK(!apn_fetch__follow("http://h/changelog/Validation_Checklist_Change_Log.pdf", o, NULL));
    CHECK(!apn_fetch__follow("http://h/about.html", o, NULL));
    CHECK(!apn_fetch__follow("http://h/competency/w/consulting/C.pdf", o, NULL));
    CHECK(!apn_fetch__follow("http://h/competency/w/consulting/C.html?x=1", o, NULL));
    const char *ko = "http://h/foundational/p/p/ko/C.html";
    CHECK(!apn_fetch__follow(ko, o, NULL));
    CHECK(apn_fetch__follow(ko, o, "ko"));
    CHECK(apn_fetch__follow(ko, o, "ja,KO"));
    CHECK(apn_fetch__follow(ko, o, "all"));
    CHECK(!apn_fetch__follow(ko, o, "ja,k"));
}

TEST(fetch__links_unquoted_and_base)
{
    static const char page[] =
        "<html><head><title>t</title></head><body>\n"
        "<div class=downloadLinks><a href=CWid1/Widgets Self-Assessment.xlsx>wb</a></div>\n"
        "<a href='../technology/CWid2.html'>two</a>"
        "<a href=\"mailto:x@y\">mail</a><a name=anchor>no href</a>"
        "<p><a HREF=\"http://elsewhere.test/competency/x/consulting/X.html\">off</a>"
        "<table><tr><td><a href=/foundational/index/all/I.html>idx</a></table>";
    char **v = NULL;
    size_t n = 0, more = 0;
    const char *url = "http://h/competency/widgets/consulting/CWid1.html";
    REQUIRE(apn_fetch__links(&v, &n, &more, page, sizeof page - 1, url, 100) == 0);
    CHECK_INT(n, 4);
    if (n == 4) {
        /* an unquoted value ends at the first space: the parser's reading, not ours */
        CHECK_STR(v[0], "http://h/competency/widgets/consulting/CWid1/Widgets");
        CHECK_STR(v[1], "http://h/competency/widgets/technology/CWid2.html");
        CHECK_STR(v[2], "http://elsewhere.test/competency/x/consulting/X.html");
        CHECK_STR(v[3], "http://h/foundational/index/all/I.html");
    }
    apn_fetch__links_free(v, n);

    static const char based[] = "<head><base href=\"/competency/b/consulting/\"></head>"
                                "<a href=\"P/Book (1).xlsx\">x</a>";
    REQUIRE(apn_fetch__links(&v, &n, &more, based, sizeof based - 1, url, 100) == 0);
    CHECK_INT(n, 1);
    if (n == 1)
        CHECK_STR(v[0], "http://h/competency/b/consulting/P/Book%20(1).xlsx");
    apn_fetch__links_free(v, n);

    REQUIRE(apn_fetch__links(&v, &n, &more, "", 0, url, 100) == 0);
    CHECK_INT(n, 0);
    apn_fetch__links_free(v, n);
}

/* A page of more links than the bound: the first max kept, the rest counted,
 * and a <base> after the links still applies to them (as it did with a tree). */
TEST(fetch__links_bounded)
{
    apn_buf page = APN_BUF_INIT;
    char **v = NULL;
    size_t n = 0, more = 0;
    for (int i = 0; i < 25000; i++)
        apn_buf_printf(&page, "<a href=P%d.html>p</a>\n", i);
    apn_buf_puts(&page, "<base href=/competency/b/consulting/>");
    REQUIRE(!page.oom);
    REQUIRE(apn_fetch__links(&v, &n, &more, page.ptr, page.len, "http://h/x/y.html", 1000) == 0);
    CHECK_INT(n, 1000);
    CHECK_INT(more, 24000);
    if (n == 1000) {
        CHECK_STR(v[0], "http://h/competency/b/consulting/P0.html");
        CHECK_STR(v[999], "http://h/competency/b/consulting/P999.html");
    }
    apn_fetch__links_free(v, n);
    apn_buf_dispose(&page);
}

/* The compiled-in start list is the csv's url column (braces expanded, the PDF left out). */
TEST(fetch__default_urls_match_shared_csv)
{
    const char *shared = test_shared();
    char path[1024], *csv = NULL;
    size_t len = 0;
    if (!shared)
        return;   /* the original list is absent: nothing to compare against */
    snprintf(path, sizeof path, "%s/apn-competency-data/checklist_urls.csv", shared);
    if (apn_io_read_file(&csv, &len, path, 1 << 20) < 0)
        return;
    size_t n = 0;
    const char *const *v = apn_fetch_default_urls();
    for (; v[n]; n++) {
        const char *u = v[n];
        char probe[512];
        const char *ko = strstr(u, "/partner-hosted/partner-hosted/");
        if (ko && u[strlen(u) - 1] == 'l' && ko[31] && ko[33] == '/') {
            /* a translation: the csv holds the braced row */
            snprintf(probe, sizeof probe, "%.*s{cn,tw,ko,ja,pt,es}%s", (int)(ko + 31 - u), u, ko + 33);
        } else {
            snprintf(probe, sizeof probe, "%s", u);
        }
        if (!strstr(csv, probe))
            test__fail_str(__FILE__, __LINE__, "default url not in checklist_urls.csv", u, "");
    }
    /* and every html/xlsx URL of the csv is in the list */
    size_t in_csv = 0;
    for (const char *p = csv; (p = strstr(p, "https://apn-checklists")); p++) {
        const char *e = p;
        while (*e && *e != ',' && *e != '"' && *e != '\n')
            e++;
        if ((e - p > 5 && !strncmp(e - 5, ".html", 5)) || (e - p > 5 && !strncmp(e - 5, ".xlsx", 5)))
            in_csv++;
    }
    CHECK_INT(n, in_csv + 6);   /* the braced row (not counted above) is 6 URLs */
    apn_free(csv);
}

/* Every allocation of the pure parts may fail: only APN_ENOMEM comes back, and
 * ASan's leak check (make test-san) sees nothing left behind. */
TEST(fetch__out_of_memory)
{
    static const char page[] = "<base href=/competency/b/consulting/><a href=\"P/Book (1).xlsx\">x</a>"
                               "<a href=../technology/T.html>t</a>";
    static const char csv[] = "path,url,etag\n\"a,b\",http://h/x,\"\"\"e\"\"\"\nc,http://h/c,\n";
    int done = 0;
    for (long k = 1; k < 500 && !done; k++) {
        char *u = NULL, *p = NULL, **v = NULL;
        size_t n = 0, more = 0;
        apn_manifest m = APN_MANIFEST_INIT;
        apn_buf out = APN_BUF_INIT;
        apn_alloc_fail_after(k);
        int e1 = apn_fetch__resolve(&u, "http://h/a/b.html", "../c d.html");
        int e2 = apn_fetch__mirror_path(&p, "http://h/a/c%20d.html");
        int e3 = apn_fetch__links(&v, &n, &more, page, sizeof page - 1, "http://h/x.html", 100);
        int e4 = apn_manifest_parse(&m, csv, sizeof csv - 1);
        if (!e4)
            apn_manifest_write(&out, &m);
        long refused = apn_alloc_failures();
        apn_alloc_fail_after(0);
        CHECK(e1 == 0 || e1 == APN_ENOMEM);
        CHECK(e2 == 0 || e2 == APN_ENOMEM);
        CHECK(e3 == 0 || e3 == APN_ENOMEM);
        CHECK(e4 == 0 || e4 == APN_ENOMEM);
        CHECK((e1 == 0) == (u != NULL));
        CHECK((e2 == 0) == (p != NULL));
        /* a refused allocation is never swallowed */
        CHECK(refused == 0 || e1 || e2 || e3 || e4 || out.oom);
        done = refused == 0;
        CHECK(!done || (!e1 && !e2 && !e3 && !e4 && !out.oom));
        if (done) {
            CHECK_STR(u, "http://h/c%20d.html");
            CHECK_STR(p, "a/c d.html");
            CHECK_INT(n, 2);
            CHECK_INT(m.n, 2);
        }
        apn_free(u);
        apn_free(p);
        apn_fetch__links_free(v, n);
        apn_manifest_dispose(&m);
        apn_buf_dispose(&out);
    }
    CHECK(done);
}

/* Bad options and start URLs are refused before any network traffic. */
TEST(fetch__usage_errors)
{
    apn_fetch_opts o = APN_FETCH_OPTS_INIT;
    apn_fetch_stats st;
    apn_diags d = APN_DIAGS_INIT;
    char dir[256];
    const char *bad[] = { "ftp://127.0.0.1/competency/x/consulting/C.html" };
    REQUIRE(test_tmpdir(dir, sizeof dir, "fetch") == 0);
    CHECK_INT(apn_fetch(&st, &o, &d), APN_EUSAGE);   /* no dir */
    o.dir = dir;
    o.rate = 0;
    CHECK_INT(apn_fetch(&st, &o, &d), APN_EUSAGE);
    o.rate = 2;
    o.urls = bad;
    o.nurls = 1;
    CHECK_INT(apn_fetch(&st, &o, &d), APN_EUSAGE);
    CHECK_INT(d.nerr, 1);
    if (d.n)
        CHECK_STR(d.v[0].path, bad[0]);
    apn_diags_dispose(&d);
    test_rmtree(dir);
}
