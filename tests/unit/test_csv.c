/* Unit tests for util/csv.c (the one CSV reader and cell writer) and
 * read/manifest.c (manifest.csv for build and fetch), and the one rule for
 * input names (read/ingest.c). */
#include "test.h"

#include <stdlib.h>

#include <apnmap/apnmap.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/csv.h"
#include "read/doc.h"
#include "read/ingest.h"
#include "read/manifest.h"

/* Records of a parse as text: "line N: a|b|c" per record, fields joined by |. */
typedef struct rec { apn_buf b; size_t hdr; int stop_at; } rec;

static int rec_row(void *ud, const apn_csv_header *h, const char *const *f, size_t n, unsigned line)
{
    rec *r = ud;
    r->hdr = h->n;
    apn_buf_printf(&r->b, "line %u:", line);
    for (size_t i = 0; i < n; i++)
        apn_buf_printf(&r->b, "%s%s", i ? "|" : " ", f[i]);
    apn_buf_putc(&r->b, '\n');
    return r->stop_at && (int)line >= r->stop_at ? 7 : 0;
}

static char *parse(const char *text, size_t len, int *err, apn_diags *d)
{
    rec r = { APN_BUF_INIT, 0, 0 };
    *err = apn_csv_parse(text, len, "t.csv", rec_row, &r, d);
    apn_buf_puts(&r.b, "");
    return apn_buf_detach(&r.b);
}

TEST(csv__records_fields_and_lines)
{
    static const struct { const char *in, *want; } cases[] = {
        { "h\na\n", "line 2: a\n" },
        { "h\na", "line 2: a\n" },                                   /* no final line break */
        { "\xEF\xBB\xBFh,i\r\na,b\r\n", "line 2: a|b\n" },           /* BOM, CRLF */
        { "h\ra\rb", "line 2: a\nline 3: b\n" },                     /* lone CR ends a record */
        { "h\n\n\na\n", "line 4: a\n" },                             /* empty lines skipped */
        { "\n\nh\na\n", "line 4: a\n" },                             /* also before the header */
        { "h\na,b,\n", "line 2: a|b|\n" },                           /* trailing comma: empty field */
        { "h\na,b,", "line 2: a|b|\n" },
        { "h\n,\n", "line 2: |\n" },
        { "h\n\"x,\"\"y\"\"\",z\n", "line 2: x,\"y\"|z\n" },        /* quotes, doubled quotes */
        { "h\n\"a\nb\",c\nd\n", "line 2: a\nb|c\nline 4: d\n" },    /* a break in quotes counts */
        { "h\n\"a\r\nb\"\n", "line 2: a\r\nb\n" },
        { "h\n\"a\"b,c\n", "line 2: ab|c\n" },                       /* text after the quote */
        { "h\n\"\"\n", "" },                                         /* "" is an empty line */
        { "", "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int err;
        apn_diags d = APN_DIAGS_INIT;
        char *got = parse(cases[i].in, strlen(cases[i].in), &err, &d);
        CHECK_INT(err, 0);
        CHECK_INT(d.n, 0);
        CHECK_STR(got, cases[i].want);
        apn_free(got);
        apn_diags_dispose(&d);
    }
}

TEST(csv__open_quote_and_stop)
{
    int err;
    apn_diags d = APN_DIAGS_INIT;
    static const char open_quote[] = "h\nok\n\"open,x\ny\n";
    char *got = parse(open_quote, sizeof open_quote - 1, &err, &d);
    CHECK_INT(err, APN_EPARSE);
    CHECK_STR(got, "line 2: ok\n");
    CHECK(test_has_diag(&d, APN_SEV_ERROR, "", "line 3: quote never closed"));
    apn_free(got);
    apn_diags_dispose(&d);
    /* no diagnostics list: the code alone */
    got = parse("h\n\"", 3, &err, NULL);
    CHECK_INT(err, APN_EPARSE);
    apn_free(got);
    /* the callback's value stops the parse and comes back */
    rec r = { APN_BUF_INIT, 0, 3 };
    static const char four[] = "h,i\na\nb\nc\n";
    CHECK_INT(apn_csv_parse(four, sizeof four - 1, "t", rec_row, &r, NULL), 7);
    CHECK_STR(apn_buf_cstr(&r.b), "line 2: a\nline 3: b\n");
    CHECK_INT(r.hdr, 2);
    apn_buf_dispose(&r.b);
}

TEST(csv__columns_by_name)
{
    const char *names[] = { "Path", "url", "path" };
    apn_csv_header h = { names, 3 };
    const char *f[] = { "a", "b" };
    CHECK_INT(apn_csv_col(&h, "PATH"), 0);   /* any case; the first of repeated names */
    CHECK_INT(apn_csv_col(&h, "etag"), -1);
    CHECK_STR(apn_csv_field(&h, f, 2, "url"), "b");
    CHECK_STR(apn_csv_field(&h, f, 1, "url"), NULL);   /* a short record */
    CHECK_STR(apn_csv_field(&h, f, 2, "etag"), NULL);
}

TEST(csv__cells_quoted_and_guarded)
{
    static const struct { const char *in; int flags; const char *want; } cases[] = {
        { "plain", 0, "plain" }, { "", 0, "" }, { "a,b", 0, "\"a,b\"" },
        { "say \"hi\"", 0, "\"say \"\"hi\"\"\"" }, { "\"", 0, "\"\"\"\"" },
        { "cr\r", 0, "\"cr\r\"" }, { "nl\n", 0, "\"nl\n\"" },
        { "=SUM(A1)", 0, "=SUM(A1)" }, { "=SUM(A1)", APN_CSV_GUARD, "'=SUM(A1)" },
        { "+1", APN_CSV_GUARD, "'+1" }, { "-1", APN_CSV_GUARD, "'-1" }, { "@x", APN_CSV_GUARD, "'@x" },
        { "=a,b", APN_CSV_GUARD, "\"'=a,b\"" }, { "a=b", APN_CSV_GUARD, "a=b" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        apn_buf b = APN_BUF_INIT;
        apn_csv_put_cell(&b, cases[i].in, cases[i].flags);
        CHECK_STR(apn_buf_cstr(&b), cases[i].want);
        /* and the reader gives the cell back (guard aside) */
        if (!cases[i].flags && strlen(cases[i].in)) {
            apn_buf t = APN_BUF_INIT;
            int err;
            apn_buf_puts(&t, "h\n");
            apn_buf_put(&t, b.ptr, b.len);
            char *got = parse(t.ptr, t.len, &err, NULL);
            char want[64];
            snprintf(want, sizeof want, "line 2: %s\n", cases[i].in);
            CHECK_STR(got, want);
            apn_free(got);
            apn_buf_dispose(&t);
        }
        apn_buf_dispose(&b);
    }
}

TEST(ingest__input_names)
{
    CHECK_INT(apn_ingest_name_format("a/P.html"), APN_DOC_HTML);
    CHECK_INT(apn_ingest_name_format("P.HTM"), APN_DOC_HTML);
    CHECK_INT(apn_ingest_name_format("Book.xlsx"), APN_DOC_XLSX);
    CHECK_INT(apn_ingest_name_format("Book.XLSM"), APN_DOC_XLSX);   /* built and fetched alike */
    CHECK_INT(apn_ingest_name_format("manifest.csv"), 0);
    CHECK_INT(apn_ingest_name_format("notes.pdf"), 0);
    CHECK_INT(apn_ingest_name_format(".xlsx"), 0);
    CHECK(apn_ingest_is_input("x.xlsm"));
    CHECK(!apn_ingest_is_input("x.xls"));
}

TEST(manifest__round_trip)
{
    static const char text[] =
        "\xEF\xBB\xBFurl,path,etag,extra,sha256\r\n"
        "http://h/b.html,b.html,\"\"\"abc\"\"\",x,00\r\n"
        "\"http://h/a,1.html\",\"a,1.html\",\"W/\"\"w\"\"\",y,11\n"
        ",,,,\n";
    apn_manifest m = APN_MANIFEST_INIT;
    apn_buf out = APN_BUF_INIT;
    REQUIRE(apn_manifest_parse(&m, text, sizeof text - 1) == 0);
    CHECK_INT(m.n, 2);
    apn_manifest_entry *e = apn_manifest_find(&m, "b.html");
    REQUIRE(e != NULL);
    CHECK_STR(e->f[APN_MF_ETAG], "\"abc\"");
    CHECK_STR(e->f[APN_MF_URL], "http://h/b.html");
    CHECK_STR(e->f[APN_MF_NOTE], "");
    const char *vals[APN_MF_NCOLS] = { "b.html", "http://h/b.html", "\"new\"", "Mon, 01 Jan 2024 00:00:00 GMT",
                                   "22", "2026-01-01T00:00:00Z", "complete", "-note, with comma" };
    REQUIRE(apn_manifest_set(&m, vals) == 0);
    CHECK_INT(m.n, 2);
    apn_manifest_write(&out, &m);
    CHECK_STR(apn_buf_cstr(&out),
              "path,url,etag,last_modified,sha256,fetched_at,coverage,note\n"
              "\"a,1.html\",\"http://h/a,1.html\",\"W/\"\"w\"\"\",,11,,,\n"
              "b.html,http://h/b.html,\"\"\"new\"\"\",\"Mon, 01 Jan 2024 00:00:00 GMT\",22,"
              "2026-01-01T00:00:00Z,complete,\"-note, with comma\"\n");
    /* what we write, we read back identically */
    apn_manifest m2 = APN_MANIFEST_INIT;
    apn_buf out2 = APN_BUF_INIT;
    REQUIRE(apn_manifest_parse(&m2, out.ptr, out.len) == 0);
    apn_manifest_write(&out2, &m2);
    CHECK_STR(apn_buf_cstr(&out2), apn_buf_cstr(&out));
    apn_buf_dispose(&out);
    apn_buf_dispose(&out2);
    apn_manifest_dispose(&m);
    apn_manifest_dispose(&m2);

    apn_manifest bad = APN_MANIFEST_INIT;
    CHECK_INT(apn_manifest_parse(&bad, "url,sha256\nx,y\n", 15), APN_EPARSE);
    CHECK_INT(apn_manifest_parse(&bad, "path\n\"open", 10), APN_EPARSE);
    apn_manifest_dispose(&bad);
}


/* What build sees: rows in file order, with a path; with APN_MANIFEST_CHECK
 * the rows it cannot use are named with their line. */
static int scan_rec(void *ud, const char *const f[APN_MF_NCOLS], unsigned line)
{
    apn_buf_printf(ud, "%u %s %s %s\n", line, f[APN_MF_PATH], f[APN_MF_URL], f[APN_MF_COVERAGE]);
    return 0;
}

TEST(manifest__scan_checks_rows)
{
    static const char text[] = "path,coverage,url\n"
                               "a.html,complete,http://h/a\n"
                               ",partial,http://h/none\n"
                               "b.html,most,http://h/b\n"
                               "a.html,partial,\n";
    apn_buf b = APN_BUF_INIT;
    apn_diags d = APN_DIAGS_INIT;
    CHECK_INT(apn_manifest_scan(text, sizeof text - 1, "m.csv", APN_MANIFEST_CHECK, scan_rec, &b, &d), 0);
    CHECK_STR(apn_buf_cstr(&b), "2 a.html http://h/a complete\n4 b.html http://h/b \n5 a.html  partial\n");
    CHECK_INT(d.n, 2);
    CHECK(test_has_diag(&d, APN_SEV_WARNING, "line 3", "no path; row skipped"));
    CHECK(test_has_diag(&d, APN_SEV_WARNING, "line 4", "coverage 'most' is neither complete nor partial"));
    apn_diags_dispose(&d);
    /* without the check, values pass as written and nothing is said */
    apn_buf_clear(&b);
    CHECK_INT(apn_manifest_scan(text, sizeof text - 1, "m.csv", 0, scan_rec, &b, &d), 0);
    CHECK(strstr(apn_buf_cstr(&b), "4 b.html http://h/b most\n") != NULL);
    CHECK_INT(d.n, 0);
    /* no path column: not a manifest, said once */
    CHECK_INT(apn_manifest_scan("url\nx\ny\n", 8, "m.csv", APN_MANIFEST_CHECK, scan_rec, &b, &d), APN_EPARSE);
    CHECK_INT(d.n, 1);
    CHECK(test_has_diag(&d, APN_SEV_WARNING, "line 1", "no path column"));
    apn_diags_dispose(&d);
    apn_buf_dispose(&b);
}

/* Many rows, each path set twice: found by hash, the later row wins, written
 * once per path in path order. */
TEST(manifest__many_rows_replace)
{
    apn_manifest m = APN_MANIFEST_INIT;
    const size_t n = 20000;
    char path[32], url[48];
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n; i++) {
            snprintf(path, sizeof path, "p%05zu.html", n - 1 - i);
            snprintf(url, sizeof url, "http://h/%d/%zu", pass, n - 1 - i);
            const char *f[APN_MF_NCOLS] = { path, url };
            REQUIRE(apn_manifest_set(&m, f) == 0);
        }
    CHECK_INT(m.n, n);
    apn_manifest_entry *e = apn_manifest_find(&m, "p00007.html");
    REQUIRE(e);
    CHECK_STR(e->f[APN_MF_URL], "http://h/1/7");
    CHECK_STR(e->f[APN_MF_ETAG], "");
    apn_buf out = APN_BUF_INIT;
    apn_manifest_write(&out, &m);
    REQUIRE(!out.oom);
    const char *first = strchr(out.ptr, '\n') + 1;
    CHECK(!strncmp(first, "p00000.html,http://h/1/0,", 25));
    size_t lines = 0;
    for (const char *p = out.ptr; (p = strchr(p, '\n')); p++)
        lines++;
    CHECK_INT(lines, n + 1);
    apn_buf_dispose(&out);
    apn_manifest_dispose(&m);
}

/* Every allocation may fail: APN_ENOMEM comes back and nothing leaks (ASan). */
TEST(manifest__out_of_memory)
{
    static const char text[] = "path,url\na,1\nb,2\na,3\n\"c,d\",4\n";
    int done = 0;
    for (long k = 1; k < 200 && !done; k++) {
        apn_manifest m = APN_MANIFEST_INIT;
        apn_buf out = APN_BUF_INIT;
        apn_alloc_fail_after(k);
        int err = apn_manifest_parse(&m, text, sizeof text - 1);
        if (!err)
            apn_manifest_write(&out, &m);
        long refused = apn_alloc_failures();
        apn_alloc_fail_after(0);
        CHECK(err == 0 || err == APN_ENOMEM);
        CHECK(refused == 0 || err || out.oom);
        done = refused == 0;
        if (done) {
            CHECK_INT(m.n, 3);
            CHECK_STR(apn_buf_cstr(&out), "path,url,etag,last_modified,sha256,fetched_at,coverage,note\n"
                                          "a,3,,,,,,\nb,2,,,,,,\n\"c,d\",4,,,,,,\n");
        }
        apn_manifest_dispose(&m);
        apn_buf_dispose(&out);
    }
    CHECK(done);
}

TEST(csv__other_separator)
{
    /* Prowler's ';': a comma is then text, and quoting still works */
    const char *in = "A;B\r\n1,5;\"x;y\"\r\n;\r\n";
    rec r = { APN_BUF_INIT, 0, 0 };
    CHECK_INT(apn_csv_parse_sep(in, strlen(in), ';', "t.csv", rec_row, &r, NULL), 0);
    CHECK_STR(apn_buf_cstr(&r.b), "line 2: 1,5|x;y\nline 3: |\n");
    CHECK_INT(r.hdr, 2);
    apn_buf_dispose(&r.b);
}
