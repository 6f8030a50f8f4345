/* Unit tests for xlsx.c: cell references, the real FTR workbook, workbooks of
 * other producers (openpyxl, libxlsxwriter), hand-made and hostile fixtures of
 * tests/resources/xlsx/ (see make_fixtures.py), and zip bombs built here. */
#include <stdint.h>
#include <stdlib.h>

#include "test.h"

#include "util/alloc.h"
#include "read/formula.h"
#include "util/io.h"
#include "read/xlsx.h"
#include "read/xlsx_int.h"

#include <libxml/xmlmemory.h>

/* ---- helpers: load a fixture, collect a sheet's cells -------------------- */

typedef struct got_cell {
    unsigned row, col;
    apn_celltype type;
    char *text, *formula;
} got_cell;

typedef struct grid {
    got_cell *v;
    size_t n, cap;
    unsigned lastrow;
    int rows, ordered;
    int stop_after;   /* callback returns 7 after this many rows (0: never) */
} grid;

static int collect_row(void *ud, unsigned row, const apn_cell *cells, size_t n)
{
    grid *g = ud;
    if (g->rows > 0 && row <= g->lastrow)
        g->ordered = 0;
    g->lastrow = row;
    g->rows++;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && cells[i].col <= cells[i - 1].col)
            g->ordered = 0;
        if (g->n == g->cap) {
            g->cap = g->cap ? 2 * g->cap : 64;
            g->v = realloc(g->v, g->cap * sizeof *g->v);
        }
        got_cell *c = &g->v[g->n++];
        c->row = row;
        c->col = cells[i].col;
        c->type = cells[i].type;
        c->text = strdup(cells[i].text);
        c->formula = cells[i].formula ? strdup(cells[i].formula) : NULL;
    }
    return g->stop_after && g->rows >= g->stop_after ? 7 : 0;
}

static void grid_free(grid *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->v[i].text);
        free(g->v[i].formula);
    }
    free(g->v);
    memset(g, 0, sizeof *g);
}

static const got_cell *cell(const grid *g, const char *ref)
{
    unsigned r, c;
    if (apn_cellref_parse(&r, &c, ref, NULL) < 0)
        return NULL;
    for (size_t i = 0; i < g->n; i++)
        if (g->v[i].row == r && g->v[i].col == c)
            return &g->v[i];
    return NULL;
}

static const char *text(const grid *g, const char *ref)
{
    const got_cell *c = cell(g, ref);
    return c ? c->text : NULL;
}

static const char *formula(const grid *g, const char *ref)
{
    const got_cell *c = cell(g, ref);
    return c ? c->formula : NULL;
}

static int read_into(grid *g, apn_xlsx *x, size_t sheet)
{
    memset(g, 0, sizeof *g);
    g->ordered = 1;
    return apn_xlsx_read_sheet(x, sheet, collect_row, g);
}

static const char *fixture_path(const char *rel)
{
    char r[1024];
    snprintf(r, sizeof r, "tests/resources/%s", rel);
    return test_path(r);
}

/* Opens a fixture; *data must be freed after the workbook. */
static int open_fixture(apn_xlsx **x, char **data, const char *rel, const apn_xlsx_limits *lim,
                        apn_diags *d)
{
    size_t len;
    *x = NULL;
    int err = apn_io_read_file(data, &len, fixture_path(rel), (size_t)64 << 20);
    if (err < 0)
        return err;
    return apn_xlsx_open_memory(x, *data, len, rel, lim, d);
}

static size_t sheet_index(const apn_xlsx *x, const char *name)
{
    for (size_t i = 0; i < apn_xlsx_nsheets(x); i++)
        if (!strcmp(apn_xlsx_sheet_name(x, i), name))
            return i;
    return SIZE_MAX;
}

/* ---- cell references ------------------------------------------------------ */

TEST(xlsx__cellref_parse_limits)
{
    unsigned r = 0, c = 0;
    const char *end;
    CHECK(apn_cellref_parse(&r, &c, "A1", NULL) == 0 && r == 1 && c == 0);
    CHECK(apn_cellref_parse(&r, &c, "C7", NULL) == 0 && r == 7 && c == 2);
    CHECK(apn_cellref_parse(&r, &c, "$C$7", NULL) == 0 && r == 7 && c == 2);
    CHECK(apn_cellref_parse(&r, &c, "AA10", NULL) == 0 && r == 10 && c == 26);
    CHECK(apn_cellref_parse(&r, &c, "XFD1048576", NULL) == 0 && r == 1048576 && c == 16383);
    CHECK_INT(apn_cellref_parse(&r, &c, "XFE1", NULL), APN_EPARSE);
    CHECK_INT(apn_cellref_parse(&r, &c, "A1048577", NULL), APN_EPARSE);
    CHECK_INT(apn_cellref_parse(&r, &c, "A0", NULL), APN_EPARSE);
    CHECK_INT(apn_cellref_parse(&r, &c, "AAAA1", NULL), APN_EPARSE);
    CHECK_INT(apn_cellref_parse(&r, &c, "1A", NULL), APN_EPARSE);
    CHECK_INT(apn_cellref_parse(&r, &c, "", NULL), APN_EPARSE);
    CHECK_INT(apn_cellref_parse(&r, &c, "B", NULL), APN_EPARSE);
    CHECK_INT(apn_cellref_parse(&r, &c, "B3:C4", NULL), APN_EPARSE);
    REQUIRE(apn_cellref_parse(&r, &c, "B3:C4", &end) == 0);
    CHECK(r == 3 && c == 1);
    CHECK_STR(end, ":C4");
}

TEST(xlsx__cellref_format_round_trip)
{
    char buf[12];
    apn_cellref_format(buf, 7, 2);
    CHECK_STR(buf, "C7");
    apn_cellref_format(buf, 1, 25);
    CHECK_STR(buf, "Z1");
    apn_cellref_format(buf, 1, 26);
    CHECK_STR(buf, "AA1");
    apn_cellref_format(buf, 3, 701);
    CHECK_STR(buf, "ZZ3");
    apn_cellref_format(buf, 1, 702);
    CHECK_STR(buf, "AAA1");
    apn_cellref_format(buf, 1048576, 16383);
    CHECK_STR(buf, "XFD1048576");
    int bad = 0;
    for (unsigned col = 0; col < 16384; col++) {
        unsigned r, c;
        apn_cellref_format(buf, col + 1, col);
        if (apn_cellref_parse(&r, &c, buf, NULL) != 0 || r != col + 1 || c != col)
            bad++;
    }
    CHECK_INT(bad, 0);
}

/* ---- the real FTR workbook ------------------------------------------------ */

TEST(xlsx__real_ftr_sheet_order)
{
    apn_diags d = APN_DIAGS_INIT;
    apn_xlsx *x;
    char *data = NULL;
    REQUIRE(open_fixture(&x, &data, "real/FTR_Self_Assessment.xlsx", NULL, &d) == 0);
    CHECK_INT(apn_xlsx_nsheets(x), 5);
    CHECK_STR(apn_xlsx_sheet_name(x, 0), "Introduction");
    CHECK_STR(apn_xlsx_sheet_name(x, 1), "Partner Hosted FTR Requirements");
    CHECK_STR(apn_xlsx_sheet_name(x, 2), "FTR Results Summary");
    CHECK_STR(apn_xlsx_sheet_name(x, 3), "Explanation");
    CHECK_STR(apn_xlsx_sheet_name(x, 4), "Supporting Information Required");
    CHECK_STR(apn_xlsx_sheet_name(x, 5), NULL);
    for (size_t i = 0; i < 5; i++)
        CHECK(!apn_xlsx_sheet_hidden(x, i));
    CHECK_STR(apn_xlsx__sheet_member(x, 1), "xl/worksheets/sheet2.xml");
    CHECK_INT(d.n, 0);
    grid g;
    REQUIRE(read_into(&g, x, 0) == 0);
    CHECK_STR(text(&g, "A10"), "Version");
    CHECK_STR(text(&g, "B10"), "2026.1");
    CHECK(cell(&g, "B10") && cell(&g, "B10")->type == APN_CELL_NUMBER);
    grid_free(&g);
    apn_xlsx_free(x);
    free(data);
    apn_diags_dispose(&d);
}

TEST(xlsx__real_ftr_main_sheet)
{
    apn_diags d = APN_DIAGS_INIT;
    apn_xlsx *x;
    char *data = NULL;
    REQUIRE(open_fixture(&x, &data, "real/FTR_Self_Assessment.xlsx", NULL, &d) == 0);
    grid g;
    REQUIRE(read_into(&g, x, 1) == 0);
    CHECK(g.ordered);
    CHECK_STR(text(&g, "A5"), "ID");
    CHECK_STR(text(&g, "B5"), "Requirement Description");
    CHECK_STR(text(&g, "C5"), "Met? (Yes/No/NA)");
    CHECK_STR(text(&g, "A2"), "FTR Percent Complete");
    CHECK_STR(formula(&g, "B2"), "B4/E4");
    CHECK_STR(formula(&g, "B4"), "COUNTIF(D:D,\"Pass\")");
    CHECK_STR(text(&g, "E4"), "44");
    CHECK(cell(&g, "E4") && cell(&g, "E4")->type == APN_CELL_NUMBER);
    CHECK_STR(text(&g, "A13"), "HOST-001");
    CHECK_STR(text(&g, "A14"), "HOST-001.1");
    CHECK_STR(text(&g, "C14"), "<select>");
    CHECK_STR(text(&g, "D13"), "Fail");
    CHECK_STR(formula(&g, "D13"),
              "IF(OR( AND(C14=\"Yes\", C15=\"Yes\", C16=\"Yes\")), \"Pass\",\"Fail\")");
    CHECK_STR(formula(&g, "D20"), "IF(OR(C21=\"Yes\",AND(E20<>\"\",C21=\"NO\")), \"Pass\",\"Fail\")");
    /* E7: a string formula whose cached value is the empty string */
    CHECK(cell(&g, "E7") && cell(&g, "E7")->type == APN_CELL_STRING);
    CHECK_STR(text(&g, "E7"), "");
    CHECK(cell(&g, "A6") == NULL);   /* styled but empty */
    CHECK(apn_xlsx_col_hidden(x, 1, 3));    /* D: the hidden Pass/Fail column */
    CHECK(!apn_xlsx_col_hidden(x, 1, 2));
    CHECK(!apn_xlsx_col_hidden(x, 1, 4));
    CHECK(!apn_xlsx_col_hidden(x, 1, 0));
    size_t n = 0;
    const apn_range *m = apn_xlsx_merges(x, 1, &n);
    int found = 0;
    for (size_t i = 0; i < n; i++)
        found |= m[i].r1 == 95 && m[i].c1 == 0 && m[i].r2 == 95 && m[i].c2 == 2;
    CHECK(found);   /* A96:C96 */
    CHECK_INT(d.n, 0);
    grid_free(&g);
    apn_xlsx_free(x);
    free(data);
    apn_diags_dispose(&d);
}

TEST(xlsx__real_ftr_reordered_renamed)
{
    apn_diags d = APN_DIAGS_INIT;
    apn_xlsx *x;
    char *data = NULL;
    REQUIRE(open_fixture(&x, &data, "xlsx/ftr_reordered.xlsx", NULL, &d) == 0);
    REQUIRE(apn_xlsx_nsheets(x) == 5);
    CHECK_STR(apn_xlsx_sheet_name(x, 0), "Explanation");
    CHECK_STR(apn_xlsx_sheet_name(x, 1), "Partner Hosted FTR Requirements");
    CHECK_STR(apn_xlsx_sheet_name(x, 2), "Intro & Read Me");
    CHECK_STR(apn_xlsx_sheet_name(x, 3), "Supporting Information Required");
    CHECK_STR(apn_xlsx_sheet_name(x, 4), "FTR Results Summary");
    CHECK(apn_xlsx_sheet_hidden(x, 3));
    CHECK(!apn_xlsx_sheet_hidden(x, 2));
    CHECK_STR(apn_xlsx__sheet_member(x, 2), "xl/worksheets/sheet1.xml");  /* absolute target */
    grid g;
    REQUIRE(read_into(&g, x, 2) == 0);
    CHECK_STR(text(&g, "B10"), "2026.1");
    grid_free(&g);
    REQUIRE(read_into(&g, x, 1) == 0);
    CHECK_STR(text(&g, "A13"), "HOST-001");
    CHECK(apn_xlsx_col_hidden(x, 1, 3));
    grid_free(&g);
    apn_xlsx_free(x);
    free(data);
    apn_diags_dispose(&d);
}

TEST(xlsx__workbook_found_through_root_rels)
{
    apn_diags d = APN_DIAGS_INIT;
    apn_xlsx *x;
    char *data = NULL;
    REQUIRE(open_fixture(&x, &data, "xlsx/moved_workbook.xlsx", NULL, &d) == 0);
    REQUIRE(apn_xlsx_nsheets(x) == 3);
    CHECK_STR(apn_xlsx_sheet_name(x, 0), "First");
    CHECK_STR(apn_xlsx_sheet_name(x, 1), "Second");
    CHECK_STR(apn_xlsx__sheet_member(x, 0), "parts/sheet2.xml");
    CHECK_STR(apn_xlsx__sheet_member(x, 1), "parts/sheet 1.xml");
    CHECK_STR(apn_xlsx__sheet_member(x, 2), NULL);   /* no relationship "c" */
    CHECK_INT(apn_xlsx__nstrings(x), 2);
    grid g;
    REQUIRE(read_into(&g, x, 0) == 0);
    CHECK_STR(text(&g, "A1"), "first");
    grid_free(&g);
    REQUIRE(read_into(&g, x, 1) == 0);
    CHECK_STR(text(&g, "B2"), "second");
    grid_free(&g);
    CHECK_INT(d.nerr, 0);
    CHECK(test_find_diag(&d, -1, "Chart", NULL) != NULL);   /* warned at open: the sheet has no part */
    CHECK_INT(read_into(&g, x, 2), APN_EPARSE);
    CHECK_INT(d.nerr, 1);
    grid_free(&g);
    apn_xlsx_free(x);
    free(data);
    apn_diags_dispose(&d);
}

TEST(xlsx__truncated_and_not_a_zip)
{
    const char *files[] = { "xlsx/ftr_truncated.xlsx", "xlsx/not_a_zip.xlsx" };
    for (int i = 0; i < 2; i++) {
        apn_diags d = APN_DIAGS_INIT;
        apn_xlsx *x;
        char *data = NULL;
        CHECK_INT(open_fixture(&x, &data, files[i], NULL, &d), APN_EPARSE);
        CHECK(x == NULL);
        CHECK_INT(d.nerr, 1);
        REQUIRE(d.n == 1);
        CHECK_STR(d.v[0].path, files[i]);
        CHECK(strstr(d.v[0].message, "not a zip archive, or truncated") != NULL);
        free(data);
        apn_diags_dispose(&d);
    }
    /* empty input */
    apn_diags d = APN_DIAGS_INIT;
    apn_xlsx *x;
    CHECK_INT(apn_xlsx_open_memory(&x, "", 0, "empty.xlsx", NULL, &d), APN_EPARSE);
    CHECK_INT(d.nerr, 1);
    apn_diags_dispose(&d);
    apn_xlsx_free(NULL);
}

/* ---- other producers -------------------------------------------------------- */

TEST(xlsx__openpyxl_inline_strings)
{
    apn_diags d = APN_DIAGS_INIT;
    apn_xlsx *x;
    char *data = NULL;
    REQUIRE(open_fixture(&x, &data, "xlsx/openpyxl_competency.xlsx", NULL, &d) == 0);
    REQUIRE(apn_xlsx_nsheets(x) == 5);
    CHECK_STR(apn_xlsx_sheet_name(x, 1), "Widgets Practice Reqs");
    CHECK_STR(apn_xlsx_sheet_name(x, 4), "Common Cust Example Reqs");
    CHECK(apn_xlsx_sheet_hidden(x, 4));
    CHECK(!apn_xlsx_sheet_hidden(x, 1));
    CHECK_INT(apn_xlsx__nstrings(x), 0);   /* openpyxl writes inline strings */
    grid g;
    REQUIRE(read_into(&g, x, 0) == 0);
    CHECK_STR(text(&g, "A1"), "AWS Widgets Competency Service Offering Validation Checklist");
    grid_free(&g);
    REQUIRE(read_into(&g, x, 1) == 0);
    CHECK_STR(text(&g, "A2"), "ID");
    CHECK_STR(text(&g, "C2"), "Met?");
    CHECK_STR(text(&g, "A5"), "WID-001");
    CHECK_STR(text(&g, "B5"), "Widget expertise.\n \nDescribe your widget practice.");
    CHECK_STR(text(&g, "D5"), "We build widgets since 2019 & more <tags>");
    CHECK_STR(text(&g, "B6"), "Widget  spacing ");
    CHECK(cell(&g, "E6") && cell(&g, "E6")->type == APN_CELL_EMPTY);  /* no cached value */
    CHECK_STR(formula(&g, "E6"), "IF(C6=\"Yes\",\"Pass\",\"Fail\")");
    CHECK_STR(text(&g, "F6"), "42");
    CHECK(cell(&g, "G6") && cell(&g, "G6")->type == APN_CELL_BOOL);
    CHECK_STR(text(&g, "G6"), "TRUE");
    CHECK(apn_xlsx_col_hidden(x, 1, 4));
    CHECK(!apn_xlsx_col_hidden(x, 1, 3));
    size_t n;
    const apn_range *m = apn_xlsx_merges(x, 1, &n);
    REQUIRE(n == 1);
    CHECK(m[0].r1 == 0 && m[0].c1 == 0 && m[0].r2 == 0 && m[0].c2 == 3);
    grid_free(&g);
    REQUIRE(read_into(&g, x, 3) == 0);
    CHECK_STR(text(&g, "G2"), "Customer Reference #2");
    CHECK_STR(text(&g, "E5"), "No");
    grid_free(&g);
    CHECK_INT(d.n, 0);
    apn_xlsx_free(x);
    free(data);
    apn_diags_dispose(&d);
}

TEST(xlsx__xlsxwriter_shared_strings)
{
    apn_diags d = APN_DIAGS_INIT;
    apn_xlsx *x;
    char *data = NULL;
    REQUIRE(open_fixture(&x, &data, "xlsx/xlsxwriter_competency.xlsx", NULL, &d) == 0);
    REQUIRE(apn_xlsx_nsheets(x) == 3);
    CHECK_STR(apn_xlsx_sheet_name(x, 1), "Gadgets Practice Reqs");
    CHECK(apn_xlsx_sheet_hidden(x, 2));
    CHECK(apn_xlsx__nstrings(x) > 10);
    grid g;
    REQUIRE(read_into(&g, x, 1) == 0);
    CHECK_STR(text(&g, "A1"), "Gadgets Practice Requirements");
    CHECK_STR(text(&g, "A5"), "GAD-001");
    CHECK_STR(text(&g, "D5"), "Bold and plain");
    CHECK_STR(text(&g, "E5"), "Pass");
    CHECK_STR(formula(&g, "E5"), "IF(C5=\"Yes\",\"Pass\",\"Fail\")");
    CHECK_STR(text(&g, "E6"), "Fail");
    CHECK_STR(text(&g, "F7"), "3.25");
    CHECK_STR(text(&g, "G7"), "TRUE");
    CHECK_STR(text(&g, "H7"), "6.5");
    CHECK_STR(formula(&g, "H7"), "F7*2");
    CHECK(apn_xlsx_col_hidden(x, 1, 4));
    CHECK(!apn_xlsx_col_hidden(x, 1, 5));
    grid_free(&g);
    CHECK_INT(d.n, 0);
    apn_xlsx_free(x);
    free(data);
    apn_diags_dispose(&d);
}

/* ---- hand-made parts -------------------------------------------------------- */

TEST(xlsx__shared_strings_rich_text)
{
    apn_diags d = APN_DIAGS_INIT;
    apn_xlsx *x;
    char *xml = NULL;
    size_t len;
    REQUIRE(apn_io_read_file(&xml, &len, fixture_path("xlsx/sst_rich_phonetic.xml"), 1 << 20) == 0);
    REQUIRE(apn_xlsx__new_empty(&x, "sst.xml", NULL, &d) == 0);
    REQUIRE(apn_xlsx__load_sst_memory(x, xml, len) == 0);
    CHECK_INT(apn_xlsx__nstrings(x), 7);
    CHECK_STR(apn_xlsx__string(x, 0), "plain");
    CHECK_STR(apn_xlsx__string(x, 1), "Rich text runs");
    CHECK_STR(apn_xlsx__string(x, 2), "\xE6\xBC\xA2\xE5\xAD\x97");   /* kanji, no kana */
    CHECK_STR(apn_xlsx__string(x, 3), "  padded  ");
    CHECK_STR(apn_xlsx__string(x, 4), "");
    CHECK_STR(apn_xlsx__string(x, 5), "a & b <c> A");
    CHECK_STR(apn_xlsx__string(x, 6), "line1\nline2");
    CHECK_STR(apn_xlsx__string(x, 7), NULL);
    apn_xlsx_free(x);
    free(xml);
    apn_diags_dispose(&d);
}

TEST(xlsx__shared_formulas_expanded)
{
    apn_diags d = APN_DIAGS_INIT;
    apn_xlsx *x;
    char *data = NULL;
    REQUIRE(open_fixture(&x, &data, "xlsx/features.xlsx", NULL, &d) == 0);
    size_t i = sheet_index(x, "Shared");
    REQUIRE(i != SIZE_MAX);
    CHECK_STR(apn_xlsx__sheet_member(x, i), "xl/worksheets/sheet4.xml");
    grid g;
    REQUIRE(read_into(&g, x, i) == 0);
    CHECK_STR(formula(&g, "D7"), "IF(C7=\"Yes\",\"Pass\",\"Fail\")");
    CHECK_STR(formula(&g, "D8"), "IF(C8=\"Yes\",\"Pass\",\"Fail\")");
    CHECK_STR(formula(&g, "D9"), "IF(C9=\"Yes\",\"Pass\",\"Fail\")");
    CHECK_STR(text(&g, "D8"), "Fail");
    CHECK_STR(formula(&g, "E10"), "$B$10*B10");
    CHECK_STR(formula(&g, "F10"), "$B$10*C10");
    CHECK_STR(formula(&g, "G10"), "$B$10*D10");
    CHECK(cell(&g, "G10") && cell(&g, "G10")->type == APN_CELL_EMPTY);
    grid_free(&g);
    CHECK_INT(d.n, 0);
    apn_xlsx_free(x);
    free(data);
    apn_diags_dispose(&d);
}

TEST(xlsx__rows_and_cells_without_refs)
{
    apn_diags d = APN_DIAGS_INIT;
    apn_xlsx *x;
    char *data = NULL;
    REQUIRE(open_fixture(&x, &data, "xlsx/features.xlsx", NULL, &d) == 0);
    size_t i = sheet_index(x, "No refs");
    REQUIRE(i != SIZE_MAX);
    grid g;
    REQUIRE(read_into(&g, x, i) == 0);
    CHECK(g.ordered);
    CHECK_INT(g.rows, 7);   /* rows 1, 5, 6, 8, 10, 12, 13: the empty row 7 is not reported */
    CHECK_STR(text(&g, "A1"), "a");
    CHECK_STR(text(&g, "B1"), "1");
    CHECK_STR(text(&g, "C5"), "2.5");
    CHECK_STR(text(&g, "D5"), "3");
    CHECK(cell(&g, "A6") && cell(&g, "A6")->type == APN_CELL_BOOL);
    CHECK_STR(text(&g, "A6"), "TRUE");
    CHECK_STR(text(&g, "B6"), "FALSE");
    CHECK(cell(&g, "C6") && cell(&g, "C6")->type == APN_CELL_ERROR);
    CHECK_STR(text(&g, "C6"), "#N/A");
    CHECK(cell(&g, "D6") == NULL && cell(&g, "E6") == NULL && cell(&g, "F6") == NULL);
    CHECK_STR(text(&g, "G6"), "TRUEx");
    CHECK_STR(formula(&g, "G6"), "A6&\"x\"");
    CHECK(cell(&g, "H6") && cell(&g, "H6")->type == APN_CELL_EMPTY);
    CHECK_STR(formula(&g, "H6"), "1+1");
    CHECK_STR(text(&g, "A8"), "inline");
    CHECK_STR(text(&g, "A10"), "2");   /* cells given out of order come sorted */
    CHECK_STR(text(&g, "C10"), "3");   /* the last of two cells in one column wins */
    CHECK_INT(g.n, 14);
    CHECK_STR(text(&g, "B12"), "12");   /* a row without r= placed by its cell's reference */
    CHECK_STR(text(&g, "A13"), "13");
    CHECK(!apn_xlsx_col_hidden(x, i, 0));
    CHECK(apn_xlsx_col_hidden(x, i, 1));
    CHECK(apn_xlsx_col_hidden(x, i, 2));
    CHECK(!apn_xlsx_col_hidden(x, i, 4));   /* hidden="0" */
    CHECK(!apn_xlsx_col_hidden(x, i, 20000));
    size_t n;
    const apn_range *m = apn_xlsx_merges(x, i, &n);
    REQUIRE(n == 2);
    CHECK(m[0].r1 == 0 && m[0].c1 == 0 && m[0].r2 == 1 && m[0].c2 == 1);
    CHECK(m[1].r1 == 4 && m[1].c1 == 2 && m[1].r2 == 4 && m[1].c2 == 4);
    grid_free(&g);
    CHECK_INT(d.n, 0);
    /* shared strings through a sheet, with one index out of range */
    i = sheet_index(x, "Rich");
    REQUIRE(read_into(&g, x, i) == 0);
    CHECK_STR(text(&g, "A2"), "Rich text runs");
    CHECK_STR(text(&g, "B8"), "Rich text runs");
    CHECK(cell(&g, "A8") == NULL);
    const apn_diag *w = test_find_diag(&d, -1, NULL, "out of range");
    REQUIRE(w != NULL);
    CHECK_STR(w->locus, "Rich!A8");
    CHECK(w->severity == APN_SEV_WARNING);
    grid_free(&g);
    CHECK(apn_xlsx_sheet_hidden(x, sheet_index(x, "Secret")));
    apn_xlsx_free(x);
    free(data);
    apn_diags_dispose(&d);
}

TEST(xlsx__sheet_limits)
{
    apn_diags d = APN_DIAGS_INIT;
    apn_xlsx *x;
    char *data = NULL;
    REQUIRE(open_fixture(&x, &data, "xlsx/limits.xlsx", NULL, &d) == 0);
    grid g;
    REQUIRE(read_into(&g, x, 0) == 0);
    CHECK_INT(g.n, 1);
    CHECK_STR(text(&g, "XFD1048576"), "1");
    CHECK(apn_xlsx_col_hidden(x, 0, 16383));
    CHECK(!apn_xlsx_col_hidden(x, 0, 16382));
    const apn_diag *w = test_find_diag(&d, -1, NULL, "XFE1048576");
    CHECK(w && w->severity == APN_SEV_WARNING);
    CHECK_STR(w ? w->locus : NULL, "Limits!1048576");
    w = test_find_diag(&d, -1, NULL, "beyond row 1048576");
    CHECK(w != NULL);
    CHECK_STR(w ? w->locus : NULL, "Limits!1048577");
    CHECK_INT(d.nerr, 0);
    grid_free(&g);
    apn_xlsx_free(x);
    free(data);
    apn_diags_dispose(&d);
}

TEST(xlsx__callback_stops_the_read)
{
    apn_diags d = APN_DIAGS_INIT;
    apn_xlsx *x;
    char *data = NULL;
    REQUIRE(open_fixture(&x, &data, "real/FTR_Self_Assessment.xlsx", NULL, &d) == 0);
    grid g;
    memset(&g, 0, sizeof g);
    g.stop_after = 2;
    CHECK_INT(apn_xlsx_read_sheet(x, 1, collect_row, &g), 7);
    CHECK_INT(g.rows, 2);
    grid_free(&g);
    CHECK_INT(apn_xlsx_read_sheet(x, 9, collect_row, &g), APN_EUSAGE);
    apn_xlsx_free(x);
    free(data);
    apn_diags_dispose(&d);
}

/* ---- hostile inputs --------------------------------------------------------- */

TEST(xlsx__external_entity_never_read)
{
    apn_diags d = APN_DIAGS_INIT;
    apn_xlsx *x;
    char *data = NULL;
    REQUIRE(open_fixture(&x, &data, "xlsx/hostile_xxe.xlsx", NULL, &d) == 0);
    grid g;
    /* Were the external parameter entity %pe; (/etc/passwd) loaded, the DTD
     * would not parse and this read would fail. */
    REQUIRE(read_into(&g, x, 0) == 0);
    CHECK_STR(text(&g, "A1"), "beforeafter");   /* the reference is dropped */
    CHECK_STR(text(&g, "B1"), "");
    CHECK_STR(text(&g, "C1"), "7");
    CHECK_STR(text(&g, "D1"), "");   /* &host; (/etc/hostname) not read either */
    for (size_t k = 0; k < g.n; k++)
        CHECK(!strstr(g.v[k].text, "root:") && !strstr(g.v[k].text, "/bin/"));
    const apn_diag *w = test_find_diag(&d, -1, NULL, "DTD");
    CHECK(w && w->severity == APN_SEV_WARNING);
    CHECK_STR(w ? w->locus : NULL, "xl/worksheets/sheet1.xml");
    grid_free(&g);
    apn_xlsx_free(x);
    free(data);
    apn_diags_dispose(&d);
}

TEST(xlsx__billion_laughs_not_expanded)
{
    apn_diags d = APN_DIAGS_INIT;
    apn_xlsx *x;
    char *data = NULL;
    REQUIRE(open_fixture(&x, &data, "xlsx/hostile_laughs.xlsx", NULL, &d) == 0);
    grid g;
    CHECK_INT(read_into(&g, x, 0), APN_EPARSE);
    for (size_t k = 0; k < g.n; k++)
        CHECK(strlen(g.v[k].text) < 100);
    CHECK_INT(d.nerr, 1);
    const apn_diag *e = test_find_diag(&d, -1, NULL, "entity");
    REQUIRE(e != NULL);
    CHECK(!strncmp(e->locus, "xl/worksheets/sheet1.xml:", 25));
    CHECK_STR(e->path, "xlsx/hostile_laughs.xlsx");
    grid_free(&g);
    apn_xlsx_free(x);
    free(data);
    apn_diags_dispose(&d);
}

TEST(xlsx__broken_xml_names_member_and_line)
{
    apn_diags d = APN_DIAGS_INIT;
    apn_xlsx *x;
    char *data = NULL;
    REQUIRE(open_fixture(&x, &data, "xlsx/broken_xml.xlsx", NULL, &d) == 0);
    grid g;
    REQUIRE(read_into(&g, x, 0) == 0);
    CHECK_STR(text(&g, "A1"), "1");
    grid_free(&g);
    CHECK_INT(read_into(&g, x, 1), APN_EPARSE);
    grid_free(&g);
    REQUIRE(d.n == 1);
    CHECK_STR(d.v[0].locus, "xl/worksheets/sheet1.xml:4");
    CHECK(strstr(d.v[0].message, "malformed XML") != NULL);
    apn_xlsx_free(x);
    free(data);
    apn_diags_dispose(&d);
}

/* A zip with stored parts and one deflated sheet whose data we craft: a fixed
 * Huffman block repeating "<row/>" through length-258, distance-6 copies. */
typedef struct bits { unsigned char *p; size_t n; uint32_t acc; int nacc; } bits;

static void put_lsb(bits *b, uint32_t v, int n)
{
    b->acc |= v << b->nacc;
    b->nacc += n;
    while (b->nacc >= 8) {
        b->p[b->n++] = (unsigned char)b->acc;
        b->acc >>= 8;
        b->nacc -= 8;
    }
}

static void put_huff(bits *b, uint32_t code, int n)   /* Huffman codes go MSB first */
{
    for (int i = n - 1; i >= 0; i--)
        put_lsb(b, (code >> i) & 1, 1);
}

static void put_lit(bits *b, unsigned char c) { put_huff(b, 0x30u + c, 8); }  /* c < 144 */

static unsigned char *deflate_bomb(size_t *len, unsigned long long *inflated, size_t repeats)
{
    const char *head = "<worksheet><sheetData><row/>", *tail = "</sheetData></worksheet>";
    bits b = { malloc(repeats * 14 / 8 + 256), 0, 0, 0 };
    put_lsb(&b, 1, 1);   /* BFINAL */
    put_lsb(&b, 1, 2);   /* fixed Huffman */
    for (const char *s = head; *s; s++)
        put_lit(&b, (unsigned char)*s);
    for (size_t i = 0; i < repeats; i++) {
        put_huff(&b, 0xC5, 8);   /* length 258 (code 285) */
        put_huff(&b, 4, 5);      /* distance 5-6 */
        put_lsb(&b, 1, 1);       /* + 1 = 6 */
    }
    for (const char *s = tail; *s; s++)
        put_lit(&b, (unsigned char)*s);
    put_huff(&b, 0, 7);          /* end of block */
    put_lsb(&b, 0, 7);           /* flush */
    *len = b.n;
    *inflated = strlen(head) + 258ull * repeats + strlen(tail);
    return b.p;
}

static uint32_t crc32_of(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return ~c;
}

static void le(unsigned char **p, uint32_t v, int n)
{
    for (int i = 0; i < n; i++)
        *(*p)++ = (unsigned char)(v >> (8 * i));
}

typedef struct zmember { const char *name; const void *data; size_t len; int method;
                         uint32_t usize, crc; } zmember;

static unsigned char *make_zip(size_t *outlen, const zmember *m, int n)
{
    size_t cap = 1024;
    for (int i = 0; i < n; i++)
        cap += m[i].len + 2 * strlen(m[i].name) + 100;
    unsigned char *z = malloc(cap), *p = z;
    uint32_t offs[8];
    for (int i = 0; i < n; i++) {
        offs[i] = (uint32_t)(p - z);
        le(&p, 0x04034b50, 4); le(&p, 20, 2); le(&p, 0, 2); le(&p, (uint32_t)m[i].method, 2);
        le(&p, 0, 2); le(&p, 0x21, 2); le(&p, m[i].crc, 4); le(&p, (uint32_t)m[i].len, 4);
        le(&p, m[i].usize, 4); le(&p, (uint32_t)strlen(m[i].name), 2); le(&p, 0, 2);
        memcpy(p, m[i].name, strlen(m[i].name)); p += strlen(m[i].name);
        memcpy(p, m[i].data, m[i].len); p += m[i].len;
    }
    unsigned char *cd = p;
    for (int i = 0; i < n; i++) {
        le(&p, 0x02014b50, 4); le(&p, 20, 2); le(&p, 20, 2); le(&p, 0, 2);
        le(&p, (uint32_t)m[i].method, 2); le(&p, 0, 2); le(&p, 0x21, 2); le(&p, m[i].crc, 4);
        le(&p, (uint32_t)m[i].len, 4); le(&p, m[i].usize, 4);
        le(&p, (uint32_t)strlen(m[i].name), 2); le(&p, 0, 2); le(&p, 0, 2); le(&p, 0, 2);
        le(&p, 0, 2); le(&p, 0, 4); le(&p, offs[i], 4);
        memcpy(p, m[i].name, strlen(m[i].name)); p += strlen(m[i].name);
    }
    uint32_t cdlen = (uint32_t)(p - cd), cdoff = (uint32_t)(cd - z);
    le(&p, 0x06054b50, 4); le(&p, 0, 2); le(&p, 0, 2); le(&p, (uint32_t)n, 2);
    le(&p, (uint32_t)n, 2); le(&p, cdlen, 4); le(&p, cdoff, 4); le(&p, 0, 2);
    *outlen = (size_t)(p - z);
    return z;
}

static unsigned char *bomb_workbook(size_t *len, uint32_t declared, unsigned long long *inflated)
{
    static const char wb[] =
        "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
        "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        "<sheets><sheet name=\"Bomb\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
    static const char rels[] =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
        "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>";
    size_t blen;
    /* 5.9 million copies of 258 bytes: the sheet inflates to about 1.5 GB */
    unsigned char *bomb = deflate_bomb(&blen, inflated, 5900000);
    zmember m[3] = {
        { "xl/workbook.xml", wb, sizeof wb - 1, 0, sizeof wb - 1, crc32_of(wb, sizeof wb - 1) },
        { "xl/_rels/workbook.xml.rels", rels, sizeof rels - 1, 0, sizeof rels - 1,
          crc32_of(rels, sizeof rels - 1) },
        { "xl/worksheets/sheet1.xml", bomb, blen, 8, declared, 0 },
    };
    unsigned char *z = make_zip(len, m, 3);
    free(bomb);
    return z;
}

static int count_rows(void *ud, unsigned row, const apn_cell *cells, size_t n)
{
    (void)row; (void)cells; (void)n;
    ++*(long *)ud;
    return 0;
}

TEST(xlsx__zip_bomb_refused_before_inflating)
{
    unsigned long long inflated;
    size_t len;
    unsigned char *z = bomb_workbook(&len, 1500000000u, &inflated);
    CHECK(inflated > 1500000000ull && len < 11u << 20);
    apn_diags d = APN_DIAGS_INIT;
    apn_xlsx *x;
    REQUIRE(apn_xlsx_open_memory(&x, z, len, "bomb.xlsx", NULL, &d) == 0);
    long rows = 0;
    CHECK_INT(apn_xlsx_read_sheet(x, 0, count_rows, &rows), APN_ELIMIT);
    CHECK_INT(rows, 0);   /* nothing inflated */
    REQUIRE(d.n == 1);
    CHECK_STR(d.v[0].path, "bomb.xlsx");
    CHECK_STR(d.v[0].locus, "xl/worksheets/sheet1.xml");
    CHECK(strstr(d.v[0].message, "1500000000") != NULL);
    apn_xlsx_free(x);
    apn_diags_dispose(&d);
    free(z);
}

TEST(xlsx__zip_bomb_lying_size_stops_at_cap)
{
    unsigned long long inflated;
    size_t len;
    unsigned char *z = bomb_workbook(&len, 2000, &inflated);
    apn_diags d = APN_DIAGS_INIT;
    apn_xlsx *x;
    apn_xlsx_limits lim = { (size_t)4 << 20, 0, 0, 0 };
    REQUIRE(apn_xlsx_open_memory(&x, z, len, "liar.xlsx", &lim, &d) == 0);
    long rows = 0;
    int err = apn_xlsx_read_sheet(x, 0, count_rows, &rows);
    /* libzip may notice the size mismatch first (corrupt entry); either way
     * the member is refused, names the member, and stops near the cap. */
    CHECK(err == APN_ELIMIT || err == APN_EPARSE);
    REQUIRE(d.n == 1);
    CHECK_INT(d.nerr, 1);
    CHECK_STR(d.v[0].locus, "xl/worksheets/sheet1.xml");
    CHECK(rows == 0);   /* empty rows are never reported */
    apn_xlsx_free(x);
    apn_diags_dispose(&d);
    free(z);
}

TEST(xlsx__total_limit)
{
    apn_diags d = APN_DIAGS_INIT;
    apn_xlsx *x;
    char *data = NULL;
    apn_xlsx_limits lim = { 0, 300000, 0, 0 };
    REQUIRE(open_fixture(&x, &data, "real/FTR_Self_Assessment.xlsx", &lim, &d) == 0);
    int limited = 0;
    for (size_t i = 0; i < apn_xlsx_nsheets(x); i++) {
        grid g;
        limited += read_into(&g, x, i) == APN_ELIMIT;
        grid_free(&g);
    }
    CHECK(limited >= 1);
    CHECK(test_find_diag(&d, -1, NULL, "total") != NULL);
    apn_xlsx_free(x);
    free(data);
    apn_diags_dispose(&d);
}

/* A digest of everything a workbook yields: names, cells, columns, merges,
 * diagnostics. Returns the first error. */
static int digest_rows(void *ud, unsigned row, const apn_cell *cells, size_t n)
{
    unsigned long *h = ud;
    *h = *h * 31 + row;
    for (size_t i = 0; i < n; i++) {
        *h = *h * 31 + cells[i].col * 7 + cells[i].type;
        for (const char *t = cells[i].text; *t; t++)
            *h = *h * 131 + (unsigned char)*t;
        for (const char *t = cells[i].formula; t && *t; t++)
            *h = *h * 137 + (unsigned char)*t;
    }
    return 0;
}

static void mix_str(unsigned long *h, const char *s)
{
    for (const char *t = s; *t; t++)
        *h = *h * 131 + (unsigned char)*t;
}

/* What a sheet says besides its rows: hidden columns and merged ranges. */
static void mix_sheet_shape(unsigned long *h, apn_xlsx *x, size_t i)
{
    for (unsigned c = 0; c < 20; c++)
        *h = *h * 3 + (unsigned long)apn_xlsx_col_hidden(x, i, c);
    size_t nm;
    apn_xlsx_merges(x, i, &nm);
    *h = *h * 31 + nm;
}

static void mix_diags(unsigned long *h, const apn_diags *d)
{
    for (size_t i = 0; i < d->n; i++)
        mix_str(h, d->v[i].message);
}

static int digest(unsigned long *h, const char *data, size_t len)
{
    apn_diags d = APN_DIAGS_INIT;
    apn_xlsx *x = NULL;
    *h = 0;
    int err = apn_xlsx_open_memory(&x, data, len, "f.xlsx", NULL, &d);
    for (size_t i = 0; err == 0 && i < apn_xlsx_nsheets(x); i++) {
        mix_str(h, apn_xlsx_sheet_name(x, i));
        err = apn_xlsx_read_sheet(x, i, digest_rows, h);
        mix_sheet_shape(h, x, i);
    }
    mix_diags(h, &d);
    apn_xlsx_free(x);
    apn_diags_dispose(&d);
    return err;
}

static char *xml_strdup(const char *s) { return apn_strdup(s); }

TEST(xlsx__allocation_failures)
{
    /* Every allocation of open + read, ours and libxml2's, fails once in turn:
     * the result is APN_ENOMEM or, when the failure was absorbed, exactly what
     * a clean run gives (never a silently different workbook); no crash, no
     * leak (ASan). libxml2's allocator is restored afterwards. */
    const char *files[] = { "xlsx/features.xlsx", "xlsx/openpyxl_competency.xlsx" };
    xmlFreeFunc f0;
    xmlMallocFunc m0;
    xmlReallocFunc r0;
    xmlStrdupFunc s0;
    REQUIRE(xmlMemGet(&f0, &m0, &r0, &s0) == 0);
    REQUIRE(xmlMemSetup(apn_free, apn_malloc, apn_realloc, xml_strdup) == 0);
    for (int k = 0; k < 2; k++) {
        char *data = NULL;
        size_t len;
        unsigned long good, got;
        if (apn_io_read_file(&data, &len, fixture_path(files[k]), 1 << 20) < 0) {
            CHECK(!"fixture readable");
            continue;
        }
        CHECK_INT(digest(&good, data, len), 0);
        int clean = 0, wrong = 0, bad = 0;
        for (long n = 1; n < 5000 && !clean; n++) {
            apn_alloc_fail_after(n);
            int err = digest(&got, data, len);
            clean = apn_alloc_failures() == 0;
            apn_alloc_fail_after(0);
            wrong += err == 0 && got != good;
            bad += err != 0 && err != APN_ENOMEM;
        }
        CHECK(clean);
        CHECK_INT(wrong, 0);
        CHECK_INT(bad, 0);
        free(data);
    }
    xmlMemSetup(f0, m0, r0, s0);
}

/* Like digest(), but the rows of a sheet count only when it was read without
 * an error: on broken XML, the reader and the SAX2 parser stop at the same
 * error, but the reader drops what it had parsed of the same chunk, so the
 * rows passed on before the error differ (the caller discards them anyway). */
static int digest_ok(unsigned long *h, const char *data, size_t len)
{
    apn_diags d = APN_DIAGS_INIT;
    apn_xlsx *x = NULL;
    *h = 0;
    int err = apn_xlsx_open_memory(&x, data, len, "f.xlsx", NULL, &d);
    for (size_t i = 0; err == 0 && i < apn_xlsx_nsheets(x); i++) {
        unsigned long rows = 0;
        const char *m = apn_xlsx__sheet_member(x, i);
        mix_str(h, apn_xlsx_sheet_name(x, i));
        mix_str(h, m ? m : "-");
        *h = *h * 3 + (unsigned long)apn_xlsx_sheet_hidden(x, i);
        err = apn_xlsx_read_sheet(x, i, digest_rows, &rows);
        *h = *h * 31 + (err == 0 ? rows : 0);
        mix_sheet_shape(h, x, i);
    }
    mix_diags(h, &d);
    apn_xlsx_free(x);
    apn_diags_dispose(&d);
    return err;
}

/* One sheet's XML streamed alone, digested like digest_ok() does a workbook. */
static int digest_sheet(unsigned long *h, const char *xml, size_t len)
{
    static const char sst[] = "<sst><si><t>a</t></si><si><r><t>b</t></r><rPh><t>x</t></rPh></si></sst>";
    apn_diags d = APN_DIAGS_INIT;
    apn_xlsx *x = NULL;
    size_t i, nm;
    *h = 0;
    int err = apn_xlsx__new_empty(&x, "s.xlsx", NULL, &d);
    if (err == 0)
        err = apn_xlsx__load_sst_memory(x, sst, sizeof sst - 1);
    if (err == 0)
        err = apn_xlsx__add_sheet_memory(&i, x, "S", xml, len);
    if (err == 0) {
        unsigned long rows = 0;
        err = apn_xlsx_read_sheet(x, i, digest_rows, &rows);
        *h = err == 0 ? rows : 0;
        for (unsigned c = 0; c < 20; c++)
            *h = *h * 3 + (unsigned long)apn_xlsx_col_hidden(x, i, c);
        const apn_range *m = apn_xlsx_merges(x, i, &nm);
        for (size_t k = 0; k < nm; k++)
            *h = *h * 31 + m[k].r1 * 7 + m[k].c1 * 5 + m[k].r2 * 3 + m[k].c2;
    }
    for (size_t k = 0; k < d.n; k++) {
        mix_str(h, d.v[k].message);
        mix_str(h, d.v[k].locus ? d.v[k].locus : "");
    }
    apn_xlsx_free(x);
    apn_diags_dispose(&d);
    return err;
}

TEST(xlsx__sax_stream_matches_reader)
{
    /* Sheets are streamed through libxml2's SAX2 parser; the xmlTextReader
     * path (kept for parts with a DTD) is the reference: same sheets (from
     * the relationships and the workbook part, also read with SAX2), rows,
     * cells, formulas, hidden columns, merges and diagnostics, same result. */
    const char *books[] = { "xlsx/features.xlsx", "xlsx/openpyxl_competency.xlsx",
                            "xlsx/xlsxwriter_competency.xlsx", "xlsx/moved_workbook.xlsx",
                            "xlsx/ftr_reordered.xlsx", "xlsx/ftr_truncated.xlsx",
                            "xlsx/broken_xml.xlsx", "xlsx/limits.xlsx",
                            "xlsx/hostile_xxe.xlsx", "xlsx/hostile_laughs.xlsx",
                            "real/FTR_Self_Assessment.xlsx" };
    const char *sheets[] = { "xlsx/sheet_broken.xml", "xlsx/sheet_laughs.xml",
                             "xlsx/sheet_no_refs.xml", "xlsx/sheet_shared_formula.xml",
                             "xlsx/sheet_xxe.xml" };
    static const char *const inline_xml[] = {
        "<worksheet><sheetData><row r=\"2\"><c r=\"B2\" t=\"inlineStr\"><is><r><t>x</t></r>"
        "<rPh><t>y</t></rPh><t xml:space=\"preserve\"> z </t></is></c><c r=\"C2\"><v> </v></c>"
        "<c t=\"s\"><v>1</v></c><c r=\"A&amp;1\"><v>2</v></c><c><f t=\"shared\" si=\"0\">A1+1"
        "</f><v>3</v></c><c><f t=\"shared\" si=\"0\"/><v>4</v></c></row><row/><row r=\"x\">"
        "<c><v>1<!-- c --> <![CDATA[ <&> ]]>&#x41;&lt;</v></c></row></sheetData>"
        "<cols><col min=\"2\" max=\"3\" hidden=\"1\"/></cols><mergeCells><mergeCell ref=\"A1:B2\"/>"
        "<mergeCell ref=\"Z\"/></mergeCells></worksheet>",
        "<worksheet xmlns:r=\"urn:r\"><sheetData><row r=\"1\"><c xmlns:r=\"urn:x\"><v>1</v></c>"
        "<c t=\"b\"><v>true</v></c><c t=\"e\"><v>#N/A</v></c><c t=\"s\"><v>9</v></c></row>"
        "<row><c r=\"ZZZZ1\"><v>1</v></c><c><v>2</v></c></row></sheetData></worksheet>",
        "<worksheet><sheetData><row><c><v>1</v></c></row><row><c><v>2</v>",
        "<worksheet><sheetData><row><c><v>&undefined;</v></c></row></sheetData></worksheet>",
        "",
        "<?xml version=\"1.0\" encoding=\"UTF-16\"?><worksheet/>",
    };
    unsigned long a, b;
    for (size_t k = 0; k < sizeof books / sizeof *books; k++) {
        char *data = NULL;
        size_t len;
        if (apn_io_read_file(&data, &len, fixture_path(books[k]), (size_t)64 << 20) < 0) {
            CHECK(!"fixture readable");
            continue;
        }
        apn_xlsx__use_reader = 1;
        int ea = digest_ok(&a, data, len);
        apn_xlsx__use_reader = 0;
        int eb = digest_ok(&b, data, len);
        CHECK_INT(eb, ea);
        if (a != b)
            fprintf(stderr, "    differs: %s\n", books[k]);
        CHECK(a == b);
        free(data);
    }
    for (size_t k = 0; k < sizeof sheets / sizeof *sheets + sizeof inline_xml / sizeof *inline_xml;
         k++) {
        char *data = NULL;
        size_t len;
        size_t ns = sizeof sheets / sizeof *sheets;
        if (k < ns) {
            if (apn_io_read_file(&data, &len, fixture_path(sheets[k]), 1 << 20) < 0) {
                CHECK(!"fixture readable");
                continue;
            }
        } else {
            data = apn_strdup(inline_xml[k - ns]);
            len = strlen(data);
        }
        apn_xlsx__use_reader = 1;
        int ea = digest_sheet(&a, data, len);
        apn_xlsx__use_reader = 0;
        int eb = digest_sheet(&b, data, len);
        CHECK_INT(eb, ea);
        if (a != b)
            fprintf(stderr, "    differs: sheet %zu\n", k);
        CHECK(a == b);
        if (k < ns)
            free(data);
        else
            apn_free(data);
    }
}
