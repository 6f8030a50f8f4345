/* Unit tests for xlsx.c's fast path for sheets: every sheet of every workbook
 * in tests/resources, data/corpus and (when generated) the bench corpus, and
 * hand-made sheets, read once through the fast path and once through libxml2's
 * SAX2 parser (apn_xlsx__no_fast): every row and cell callback, diagnostic,
 * hidden column, merged range and result must be the same, and the fast path
 * must have run where the input is in its subset (apn_xlsx__fast_reads). */
#include <ftw.h>
#include <stdint.h>
#include <stdlib.h>

#include "test.h"

#include "util/alloc.h"
#include "util/buf.h"
#include "util/io.h"
#include "read/xlsx.h"
#include "read/xlsx_int.h"

typedef struct flog {
    apn_buf b;
    int stop_after, rows;   /* the callback returns 7 after stop_after rows (0: never) */
} flog;

/* Records one row callback in full. */
static int log_row(void *ud, unsigned row, const apn_cell *cells, size_t n)
{
    flog *l = ud;
    apn_buf_printf(&l->b, "R%u:", row);
    for (size_t i = 0; i < n; i++)
        apn_buf_printf(&l->b, "[%u %d \"%s\" %s%s]", cells[i].col, (int)cells[i].type,
                       cells[i].text, cells[i].formula ? "=" : "-",
                       cells[i].formula ? cells[i].formula : "");
    apn_buf_putc(&l->b, '\n');
    l->rows++;
    return l->stop_after && l->rows >= l->stop_after ? 7 : 0;
}

static void log_shape(flog *l, apn_xlsx *x, size_t i, int err)
{
    size_t nm;
    apn_buf_printf(&l->b, "sheet %zu -> %d; hidden:", i, err);
    for (unsigned c = 0; c < 64; c++)
        if (apn_xlsx_col_hidden(x, i, c))
            apn_buf_printf(&l->b, " %u", c);
    const apn_range *m = apn_xlsx_merges(x, i, &nm);
    for (size_t k = 0; k < nm; k++)
        apn_buf_printf(&l->b, " m%u,%u-%u,%u", m[k].r1, m[k].c1, m[k].r2, m[k].c2);
    apn_buf_putc(&l->b, '\n');
}

static void log_diags(flog *l, const apn_diags *d)
{
    for (size_t k = 0; k < d->n; k++)
        apn_buf_printf(&l->b, "diag %d %s | %s\n", (int)d->v[k].severity,
                       d->v[k].locus ? d->v[k].locus : "", d->v[k].message);
}

/* Reads every sheet of a workbook into l; *nsheets receives their count. */
static int read_book(flog *l, size_t *nsheets, const char *data, size_t len, int stop_after)
{
    apn_diags d = APN_DIAGS_INIT;
    apn_xlsx *x = NULL;
    int err = apn_xlsx_open_memory(&x, data, len, "f.xlsx", NULL, &d);
    *nsheets = 0;
    apn_buf_printf(&l->b, "open %d\n", err);
    for (size_t i = 0; err == 0 && i < apn_xlsx_nsheets(x); i++) {
        l->rows = 0;
        l->stop_after = stop_after;
        int e = apn_xlsx_read_sheet(x, i, log_row, l);
        log_shape(l, x, i, e);
        (*nsheets)++;
    }
    log_diags(l, &d);
    apn_xlsx_free(x);
    apn_diags_dispose(&d);
    return err;
}

/* Reads one sheet's XML (with a small shared-strings table) into l. */
static int read_xml(flog *l, const char *xml, size_t len, int stop_after)
{
    static const char sst[] = "<sst><si><t>a</t></si><si><r><t>b</t></r><rPh><t>x</t></rPh>"
                              "</si></sst>";
    apn_diags d = APN_DIAGS_INIT;
    apn_xlsx *x = NULL;
    size_t i = 0;
    int err = apn_xlsx__new_empty(&x, "s.xlsx", NULL, &d);
    if (err == 0)
        err = apn_xlsx__load_sst_memory(x, sst, sizeof sst - 1);
    if (err == 0)
        err = apn_xlsx__add_sheet_memory(&i, x, "S", xml, len);
    if (err == 0) {
        l->stop_after = stop_after;
        err = apn_xlsx_read_sheet(x, i, log_row, l);
        log_shape(l, x, i, err);
    }
    log_diags(l, &d);
    apn_xlsx_free(x);
    apn_diags_dispose(&d);
    return err;
}

/* Both paths over one input: 1 when the fast path read every sheet, 0 when
 * it read none, -1 when it read some; a difference is a test failure. */
static int both(const char *label, const char *data, size_t len, int book, int stop_after)
{
    flog a = { APN_BUF_INIT, 0, 0 }, b = { APN_BUF_INIT, 0, 0 };
    size_t na = 1, nb = 1;
    apn_xlsx__no_fast = 1;
    unsigned long f0 = apn_xlsx__fast_reads;
    int ea = book ? read_book(&a, &na, data, len, stop_after) : read_xml(&a, data, len, stop_after);
    CHECK(apn_xlsx__fast_reads == f0);   /* the switch holds */
    apn_xlsx__no_fast = 0;
    f0 = apn_xlsx__fast_reads;
    int eb = book ? read_book(&b, &nb, data, len, stop_after) : read_xml(&b, data, len, stop_after);
    unsigned long fast = apn_xlsx__fast_reads - f0;
    CHECK(!a.b.oom && !b.b.oom);
    CHECK_INT(eb, ea);
    const char *sa = apn_buf_cstr(&a.b), *sb = apn_buf_cstr(&b.b);
    if (strcmp(sa, sb)) {
        size_t k = 0;
        while (sa[k] && sa[k] == sb[k])
            k++;
        fprintf(stderr, "    %s: fast path differs at byte %zu:\n    sax2: %.120s\n    fast: %.120s\n",
                label, k, sa + (k > 40 ? k - 40 : 0), sb + (k > 40 ? k - 40 : 0));
        test__fail(__FILE__, __LINE__, label);
    }
    apn_buf_dispose(&a.b);
    apn_buf_dispose(&b.b);
    return fast == 0 ? 0 : fast == nb ? 1 : -1;
}

/* ---- every workbook of a folder ---------------------------------------- */

static struct { char **v; size_t n, cap; } found;

static int on_file(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)ftw;
    size_t n = strlen(path);
    if (flag == FTW_F && n > 5 && !strcmp(path + n - 5, ".xlsx")) {
        if (found.n == found.cap) {
            found.cap = found.cap ? 2 * found.cap : 64;
            found.v = realloc(found.v, found.cap * sizeof *found.v);
        }
        found.v[found.n++] = strdup(path);
    }
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs both() on the first max workbooks under root/rel (sorted); counts
 * workbooks and those the fast path read in full. */
static void books_under(const char *rel, size_t max, size_t *nbooks, size_t *nfast)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/%s", test_root(), rel);
    found.n = 0;
    nftw(dir, on_file, 16, FTW_PHYS);
    qsort(found.v, found.n, sizeof *found.v, cmp_str);
    for (size_t i = 0; i < found.n; i++) {
        char *data = NULL;
        size_t len;
        if (i < max && apn_io_read_file(&data, &len, found.v[i], (size_t)64 << 20) == 0) {
            (*nbooks)++;
            *nfast += both(found.v[i], data, len, 1, 0) == 1;
            if (i % 4 == 0)   /* a callback that stops the read, now and then */
                both(found.v[i], data, len, 1, 3);
            apn_free(data);
        }
        free(found.v[i]);
    }
    found.n = 0;
}

TEST(xlsx__fast_path_matches_sax_on_every_workbook)
{
    size_t books = 0, fast = 0;
    books_under("tests/resources", SIZE_MAX, &books, &fast);
    size_t res_books = books, res_fast = fast;
    /* the real FTR workbook and the hand-made ones are mostly in the subset */
    CHECK(res_books >= 10);
    CHECK(res_fast >= res_books / 2);
    books = fast = 0;
    books_under("data/corpus", SIZE_MAX, &books, &fast);
    CHECK(books >= 20);
    CHECK_INT(fast, books);   /* every sheet of the bundled corpus goes fast */
    books = fast = 0;
    books_under("build/bench/corpus-200", 12, &books, &fast);   /* when generated */
    CHECK_INT(fast, books);
    free(found.v);
    found.v = NULL;
    found.cap = 0;
}

/* ---- hand-made sheets -------------------------------------------------- */

#define WS "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
           "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"

TEST(xlsx__fast_path_edge_cases)
{
    /* taken: 1 (the fast path must read it), 0 (it must decline it) */
    static const struct { int taken; const char *xml; } cases[] = {
        { 1, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n" WS
             "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>a &amp; b &lt;c&gt; "
             "&quot;d&quot; &apos;e&apos;</t></is></c><c r=\"B1\" t=\"str\"><v>&#65;&#x42;&#x10FFFF;"
             "&#233;\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80</v></c></row></sheetData></worksheet>" },
        { 1, WS "<sheetData><row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>line1\r\nline2\rline3\n"
             "\tend</t></is></c><c r='B2' t='s'><v>1</v></c><c   r = \"C2\"\n\tt=\"n\" ><v>3.5</v ></c >"
             "<c r=\"D2\"/><c r=\"E2\" s=\"1\"></c></row ><row r=\"3\"/><row r=\"4\"></row>"
             "</sheetData></worksheet>" },
        { 1, "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
             "<x:sheetData><x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:r><x:t>rich "
             "</x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t xml:space=\"preserve\"> text </x:t></x:r>"
             "<x:rPh sb=\"0\" eb=\"1\"><x:t>phonetic</x:t></x:rPh></x:is></x:c></x:row></x:sheetData>"
             "<x:cols><x:col min=\"2\" max=\"3\" hidden=\"1\"/></x:cols><x:mergeCells count=\"1\">"
             "<x:mergeCell ref=\"A1:B2\"/></x:mergeCells></x:worksheet>" },
        { 1, "\xef\xbb\xbf<?xml version='1.0'?>" WS "<sheetData><row><c><f>SUM(A1:A2)&amp;\"x\"</f>"
             "<v>1</v></c><c><f t=\"shared\" ref=\"B1:B3\" si=\"0\">A1*2</f><v>2</v></c></row><row>"
             "<c/><c><f t=\"shared\" si=\"0\"/><v>4</v></c></row></sheetData><!-- c --></worksheet>"
             "<!-- after -->\n" },
        { 1, WS "<sheetData><row r=\"1\" x14ac:dyDescent=\"0.25\" xmlns:x14ac=\"urn:x14ac\">"
             "<c r=\"A&amp;1\"><v>1</v></c><c r=\"B1\" xmlns:r=\"urn:inner\"><v>2</v></c><c r=\"C1\" "
             "t=\"b\"><v>1</v></c><c r=\"D1\" t=\"e\"><v>#N/A</v></c><c r=\"E1\" t=\"s\"><v>9</v></c>"
             "<c r=\"F1\"><v>1<!-- c --> <![CDATA[ <&> ]]>&#x41;</v></c><c r=\"G1\" t=\"x&#9;y\">"
             "<v>a\tb</v></c></row><row r=\"x\"><c r=\"ZZZZ1\"><v>1</v></c></row></sheetData>"
             "<mergeCells><mergeCell ref=\"Z\"/><mergeCell ref='A1:&#x43;3'/></mergeCells>"
             "<cols><col min=\"1\" max=\"1\" hidden=\"true\" style=\"a\r\nb\"/></cols></worksheet>" },
        /* declined: libxml2 decides (errors, recovery, DTD handling stay its own) */
        { 0, "<!DOCTYPE worksheet [<!ENTITY e \"x\">]>" WS "<sheetData><row><c><v>&e;</v></c></row>"
             "</sheetData></worksheet>" },
        { 0, WS "<?pi x?><sheetData/></worksheet>" },
        { 0, WS "<sheetData><row><c><v>&nbsp;</v></c></row></sheetData></worksheet>" },
        { 0, WS "<sheetData><row><y:c><v>1</v></y:c></row></sheetData></worksheet>" },
        { 0, WS "<sheetData><row><c r=\"A1\" r=\"A2\"><v>1</v></c></row></sheetData></worksheet>" },
        { 0, WS "<sheetData><row><c><v>1</v></c></row><row><c><v>2</v>" },
        { 0, WS "<sheetData><row><c><v>a]]>b</v></c></row></sheetData></worksheet>" },
        { 0, WS "<sheetData><row><c><v><![CDATA[a\r\nb]]></v></c></row></sheetData></worksheet>" },
        { 0, WS "<sheetData><row><c><v>\x01</v></c></row></sheetData></worksheet>" },
        { 0, WS "<sheetData><row><c><v>\xc3(</v></c></row></sheetData></worksheet>" },
        { 0, WS "<sheetData><row><c><v>&#0;</v></c></row></sheetData></worksheet>" },
        { 0, "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" WS "<sheetData/></worksheet>" },
        { 0, WS "<sheetData></sheetdata></worksheet>" },
        { 0, "<?xml  standalone=\"yes\"?>\n<worksheet/>" },   /* found by fuzz_sheetfast */
        { 0, "<?xml version=\"1.0\" standalone=\"yes\" encoding=\"UTF-8\"?><worksheet/>" },
        { 0, "<?xml version=\"1.0\" standalone=\"yes\" x=\"1\"?><worksheet/>" },
        { 1, "<?xml version=\"1.0\" standalone='no' ?><worksheet/>" },
        { 0, WS "</worksheet><worksheet/>" },
        { 0, "" },
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        char label[32];
        snprintf(label, sizeof label, "edge case %zu", k);
        int got = both(label, cases[k].xml, strlen(cases[k].xml), 0, 0);
        if (got != cases[k].taken)
            fprintf(stderr, "    %s: fast path %s\n", label, got ? "taken" : "declined");
        CHECK_INT(got, cases[k].taken);
        both(label, cases[k].xml, strlen(cases[k].xml), 0, 1);   /* stopped after a row */
    }
}

static int stop_with_1(void *ud, unsigned row, const apn_cell *cells, size_t n)
{
    (void)row, (void)cells, (void)n;
    ++*(int *)ud;
    return 1;
}

TEST(xlsx__callback_value_1_stops_the_read)
{
    /* A callback's value is returned as it is, 1 too: it must not be taken
     * for "read this part again with the reader" (which would call it again
     * from the first row). Fast path, SAX2 path, and a part with a DTD. */
    static const char *const xml[] = {
        WS "<sheetData><row><c><v>1</v></c></row><row><c><v>2</v></c></row></sheetData></worksheet>",
        WS "<sheetData><row><c><v>1</v></c></row><row><c><v>2</v></c></row></sheetData></worksheet>",
        "<!DOCTYPE worksheet>" WS "<sheetData><row><c><v>1</v></c></row><row><c><v>2</v></c></row>"
        "</sheetData></worksheet>",
    };
    for (int k = 0; k < 3; k++) {
        apn_diags d = APN_DIAGS_INIT;
        apn_xlsx *x = NULL;
        size_t i;
        int calls = 0;
        apn_xlsx__no_fast = k == 1;
        unsigned long f0 = apn_xlsx__fast_reads;
        REQUIRE(apn_xlsx__new_empty(&x, "s.xlsx", NULL, &d) == 0);
        REQUIRE(apn_xlsx__add_sheet_memory(&i, x, "S", xml[k], strlen(xml[k])) == 0);
        CHECK_INT(apn_xlsx_read_sheet(x, i, stop_with_1, &calls), 1);
        CHECK_INT(calls, 1);
        CHECK_INT(apn_xlsx__fast_reads - f0, k == 0);
        apn_xlsx__no_fast = 0;
        apn_xlsx_free(x);
        apn_diags_dispose(&d);
    }
}

/* ---- generated sheets ------------------------------------------------------ */

static const char *pick(const char *const *v, size_t n) { return v[test_rnd((unsigned)n)]; }
#define PICK(v) pick(v, sizeof v / sizeof *v)

/* Text or an attribute value (no '<', quote q escaped) from pieces the
 * subset allows: entities, character references, CR LF, UTF-8. */
static void gen_text(apn_buf *b, int attr, char q)
{
    static const char *const pieces[] = {
        "ID", "Met?", " ", "  ", "IAM-002.1", "a b", "&amp;", "&lt;", "&gt;", "&quot;", "&apos;",
        "&#65;", "&#x42;", "&#233;", "&#x1F600;", "&#9;", "&#10;", "&#13;", "&#38;", "&#x26;",
        "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\r\n", "\r", "\n", "\t", "]", "]]", ">",
        "_x000D_", "=SUM(A1)", "'", "\"", "0", "1", "true", "#N/A", "3.25" };
    unsigned n = test_rnd(6);
    for (unsigned i = 0; i < n; i++) {
        const char *p = PICK(pieces);
        if (attr && p[0] == q && !p[1])
            p = q == '"' ? "&quot;" : "&apos;";
        if (!attr && !strcmp(p, ">") && b->len >= 2 && !memcmp(b->ptr + b->len - 2, "]]", 2))
            p = "&gt;";
        if (!attr && p[0] == ']' && b->len >= 1 && b->ptr[b->len - 1] == ']')
            p = "x";   /* never "]]>" in text */
        apn_buf_puts(b, p);
    }
    if (!attr && test_rnd(8) == 0)
        apn_buf_puts(b, test_rnd(2) ? "<![CDATA[ <&>]] ]]>" : "<!-- a - comment -->");
}

static void gen_ws(apn_buf *b, int need)
{
    static const char *const ws[] = { " ", "  ", "\t", "\n", "\r\n", " \r\n\t" };
    if (need || test_rnd(4) == 0)
        apn_buf_puts(b, PICK(ws));
}

static void gen_attr(apn_buf *b, const char *name, const char *value)
{
    char q = test_rnd(4) ? '"' : '\'';
    gen_ws(b, 1);
    apn_buf_puts(b, name);
    if (test_rnd(6) == 0)
        gen_ws(b, 1);
    apn_buf_putc(b, '=');
    if (test_rnd(6) == 0)
        gen_ws(b, 1);
    apn_buf_putc(b, q);
    if (value)
        apn_buf_puts(b, value);
    else
        gen_text(b, 1, q);
    apn_buf_putc(b, q);
}

/* <P:name attrs>, the prefix P ("" or "x:") given */
static void gen_open(apn_buf *b, const char *pre, const char *name)
{
    apn_buf_printf(b, "<%s%s", pre, name);
}

static void gen_close_tag(apn_buf *b, int empty)
{
    gen_ws(b, 0);
    apn_buf_puts(b, empty ? "/>" : ">");
}

static void gen_sheet(apn_buf *b)
{
    static const char *const refs[] = { "A1", "B2", "C7", "$D$4", "AA10", "XFD1", "XFE1", "A0",
                                        "1A", "", "a3", "ZZ99" };
    static const char *const types[] = { "s", "str", "inlineStr", "b", "e", "n", "d", "x", "" };
    const char *pre = test_rnd(3) == 0 ? "x:" : "";
    if (test_rnd(3) == 0)
        apn_buf_puts(b, "\xef\xbb\xbf");
    if (test_rnd(4))
        apn_buf_puts(b, test_rnd(2) ? "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
                               : "<?xml version='1.0' encoding='utf-8' ?>\n");
    if (test_rnd(5) == 0)
        apn_buf_puts(b, "<!-- made by a test -->\n");
    gen_open(b, pre, "worksheet");
    gen_attr(b, *pre ? "xmlns:x" : "xmlns", "http://schemas.openxmlformats.org/spreadsheetml/2006/main");
    gen_attr(b, "xmlns:r", "http://schemas.openxmlformats.org/officeDocument/2006/relationships");
    int x14ac = test_rnd(2);
    if (x14ac)
        gen_attr(b, "xmlns:x14ac", "http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac");
    gen_close_tag(b, 0);
    if (test_rnd(2)) {
        gen_open(b, pre, "cols>");
        for (unsigned k = test_rnd(3); k > 0; k--) {
            char lo[8], hi[8];
            snprintf(lo, sizeof lo, "%u", test_rnd(5));
            snprintf(hi, sizeof hi, "%u", test_rnd(8));
            gen_open(b, pre, "col");
            gen_attr(b, "min", lo);
            gen_attr(b, "max", hi);
            if (test_rnd(3))
                gen_attr(b, "hidden", test_rnd(2) ? "1" : "true");
            gen_close_tag(b, 1);
        }
        apn_buf_printf(b, "</%scols>", pre);
    }
    gen_open(b, pre, "sheetData>");
    for (unsigned r = test_rnd(6); r > 0; r--) {
        char rn[8];
        snprintf(rn, sizeof rn, "%u", test_rnd(12));
        gen_open(b, pre, "row");
        if (test_rnd(4))
            gen_attr(b, "r", test_rnd(8) ? rn : NULL);
        if (x14ac && test_rnd(3) == 0)
            gen_attr(b, "x14ac:dyDescent", "0.25");
        if (test_rnd(8) == 0) {
            gen_close_tag(b, 1);
            continue;
        }
        gen_close_tag(b, 0);
        for (unsigned c = test_rnd(5); c > 0; c--) {
            const char *t = PICK(types);
            gen_open(b, pre, "c");
            if (test_rnd(5))
                gen_attr(b, "r", test_rnd(6) ? PICK(refs) : NULL);   /* NULL: random text */
            if (*t)
                gen_attr(b, "t", t);
            if (test_rnd(3) == 0)
                gen_attr(b, "s", "1");
            if (test_rnd(9) == 0)
                gen_attr(b, "xmlns:r", "urn:inner");
            if (test_rnd(7) == 0) {
                gen_close_tag(b, 1);
                continue;
            }
            gen_close_tag(b, 0);
            if (test_rnd(3) == 0) {
                gen_open(b, pre, "f");
                if (test_rnd(2)) {
                    gen_attr(b, "t", "shared");
                    gen_attr(b, "si", test_rnd(2) ? "0" : "1");
                    if (test_rnd(2))
                        gen_attr(b, "ref", "A1:A9");
                }
                if (test_rnd(3) == 0) {
                    gen_close_tag(b, 1);
                } else {
                    gen_close_tag(b, 0);
                    apn_buf_puts(b, test_rnd(2) ? "A1+1" : "IF(B2=\"Yes\",&quot;Pass&quot;,\"Fail\")");
                    apn_buf_printf(b, "</%sf>", pre);
                }
            }
            if (!strcmp(t, "inlineStr") && test_rnd(3)) {
                gen_open(b, pre, "is>");
                for (unsigned k = test_rnd(3) + 1; k > 0; k--) {
                    int run = test_rnd(2);
                    if (run)
                        apn_buf_printf(b, "<%sr>%s", pre, test_rnd(2) ? "" : "<rPr><b/></rPr>");
                    if (test_rnd(5) == 0)
                        apn_buf_printf(b, "<%srPh sb=\"0\" eb=\"1\"><%st>ph</%st></%srPh>", pre, pre,
                                       pre, pre);
                    gen_open(b, pre, "t");
                    if (test_rnd(2))
                        gen_attr(b, "xml:space", "preserve");
                    gen_close_tag(b, 0);
                    gen_text(b, 0, 0);
                    apn_buf_printf(b, "</%st>", pre);
                    if (run)
                        apn_buf_printf(b, "</%sr>", pre);
                }
                apn_buf_printf(b, "</%sis>", pre);
            } else if (test_rnd(6)) {
                gen_open(b, pre, "v");
                gen_close_tag(b, 0);
                if (!strcmp(t, "s"))
                    apn_buf_puts(b, test_rnd(4) ? "1" : "7");
                else
                    gen_text(b, 0, 0);
                apn_buf_printf(b, "</%sv", pre);
                gen_close_tag(b, 0);
            }
            apn_buf_printf(b, "</%sc>", pre);
        }
        apn_buf_printf(b, "</%srow>", pre);
    }
    apn_buf_printf(b, "</%ssheetData>", pre);
    if (test_rnd(2)) {
        apn_buf_printf(b, "<%smergeCells>", pre);
        for (unsigned k = test_rnd(3); k > 0; k--) {
            gen_open(b, pre, "mergeCell");
            gen_attr(b, "ref", test_rnd(3) ? "A1:B2" : test_rnd(2) ? "C3" : NULL);
            gen_close_tag(b, 1);
        }
        apn_buf_printf(b, "</%smergeCells>", pre);
    }
    if (test_rnd(3) == 0)
        apn_buf_printf(b, "<%sextLst><%sext uri=\"{1}\"><x14ac:y xmlns:x14ac=\"urn:a\"/>"
                       "</%sext></%sextLst>", pre, pre, pre, pre);
    apn_buf_printf(b, "</%sworksheet>", pre);
    if (test_rnd(4) == 0)
        apn_buf_puts(b, test_rnd(2) ? "\r\n" : "<!-- end -->\n");
}

TEST(xlsx__fast_path_matches_sax_on_generated_sheets)
{
    /* Well-formed sheets inside the subset, with every feature mixed at
     * random (fixed seed): all taken by the fast path, all read alike. */
    test_seed(20261126);
    int taken = 0, n = 2000;
    for (int k = 0; k < n; k++) {
        apn_buf b = APN_BUF_INIT;
        char label[32];
        gen_sheet(&b);
        REQUIRE(!b.oom);
        snprintf(label, sizeof label, "generated sheet %d", k);
        int got = both(label, b.ptr, b.len, 0, 0);
        if (got != 1 && taken + 3 > k)
            fprintf(stderr, "    %s declined:\n%s\n", label, b.ptr);
        taken += got == 1;
        apn_buf_dispose(&b);
    }
    CHECK_INT(taken, n);
}
