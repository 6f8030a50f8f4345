/* Unit tests for wb.c: workbook interpretation, from rows (wb_int.h) and from
 * the real and generated workbooks of tests/resources. */
#include <stdlib.h>

#include "test.h"

#include "read/doc.h"
#include "read/ids.h"
#include "util/io.h"
#include "read/wb_int.h"
#include "read/xlsx.h"

#include <apnmap/apnmap.h>

/* ---- building sheets from "C7|value" strings ------------------------- */

/* A cell spec is "REF|value" or "REF|=formula" or "REF|=formula|cached". */
typedef struct tsheet {
    apn_book_sheet sheet;
    apn_book_row *rows;
    apn_cell *cells;
} tsheet;

static unsigned parse_ref(const char *s, unsigned *col)
{
    unsigned c = 0, r = 0;
    while (*s >= 'A' && *s <= 'Z')
        c = c * 26 + (unsigned)(*s++ - 'A' + 1);
    while (*s >= '0' && *s <= '9')
        r = r * 10 + (unsigned)(*s++ - '0');
    *col = c - 1;
    return r;
}

static int cell_cmp(const void *a, const void *b)
{
    const apn_cell *x = a, *y = b;
    return x->col < y->col ? -1 : x->col > y->col;
}

/* Builds a sheet; specs end with NULL. Strings are leaked into the test's
 * lifetime on purpose (freed by tsheet_free). */
static void tsheet_make(tsheet *t, const char *name, const char *const *specs)
{
    size_t n = 0;
    while (specs[n])
        n++;
    memset(t, 0, sizeof *t);
    t->cells = calloc(n + 1, sizeof *t->cells);
    t->rows = calloc(n + 1, sizeof *t->rows);
    unsigned *rowof = calloc(n + 1, sizeof *rowof);
    for (size_t i = 0; i < n; i++) {
        const char *bar = strchr(specs[i], '|');
        char ref[16];
        snprintf(ref, sizeof ref, "%.*s", (int)(bar - specs[i]), specs[i]);
        rowof[i] = parse_ref(ref, &t->cells[i].col);
        const char *v = bar + 1;
        if (v[0] == '=') {
            const char *bar2 = strchr(v, '|');
            /* a formula ends at a bar that is not inside quotes */
            int q = 0;
            bar2 = NULL;
            for (const char *p = v; *p; p++) {
                if (*p == '"')
                    q = !q;
                if (*p == '|' && !q) {
                    bar2 = p;
                    break;
                }
            }
            t->cells[i].formula = bar2 ? strndup(v + 1, (size_t)(bar2 - v - 1)) : strdup(v + 1);
            t->cells[i].text = bar2 ? bar2 + 1 : "";
            t->cells[i].type = bar2 ? APN_CELL_STRING : APN_CELL_EMPTY;
        } else {
            char *end;
            strtod(v, &end);
            t->cells[i].text = v;
            t->cells[i].type = *v && !*end ? APN_CELL_NUMBER : APN_CELL_STRING;
        }
    }
    /* group by row: sort cell indices by (row, col) */
    apn_cell *sorted = calloc(n + 1, sizeof *sorted);
    unsigned *srow = calloc(n + 1, sizeof *srow);
    size_t k = 0;
    unsigned maxrow = 0;
    for (size_t i = 0; i < n; i++)
        if (rowof[i] > maxrow)
            maxrow = rowof[i];
    for (unsigned r = 1; r <= maxrow; r++)
        for (size_t i = 0; i < n; i++)
            if (rowof[i] == r) {
                sorted[k] = t->cells[i];
                srow[k++] = r;
            }
    free(t->cells);
    t->cells = sorted;
    size_t nrows = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && srow[j] == srow[i])
            j++;
        qsort(&t->cells[i], j - i, sizeof *t->cells, cell_cmp);
        t->rows[nrows].row = srow[i];
        t->rows[nrows].cells = &t->cells[i];
        t->rows[nrows].ncells = j - i;
        nrows++;
        i = j;
    }
    free(srow);
    free(rowof);
    t->sheet.name = name;
    t->sheet.rows = t->rows;
    t->sheet.nrows = nrows;
}

static void tsheet_free(tsheet *t)
{
    size_t n = 0;
    for (size_t r = 0; r < t->sheet.nrows; r++)
        n += t->rows[r].ncells;
    for (size_t i = 0; i < n; i++)
        free((char *)t->cells[i].formula);
    free(t->cells);
    free(t->rows);
}

static int read_sheets(apn_doc *doc, const char *path, tsheet *t, size_t n)
{
    apn_book_sheet sheets[8];
    for (size_t i = 0; i < n; i++)
        sheets[i] = t[i].sheet;
    apn_doc_init(doc, path);
    doc->format = APN_DOC_XLSX;
    return apn_wb__read_sheets(doc, sheets, n);
}

/* ---- header detection ------------------------------------------------- */

TEST(wb__header_renamed_reordered_row5)
{
    static const char *const intro[] = {
        "A1|AWS Widgets Competency Service Offering Validation Checklist\n"
        "Validity Period: February 2026-August 2026\nMore text", NULL };
    static const char *const s1[] = {
        "A1|Widgets Practice Requirements", "A2|Percent", "B2|=B4/E4|0",
        /* header on row 5, columns reordered and renamed */
        "A5|  Met ? ", "B5|REQUIREMENT", "C5|id", "D5|Partner Response",
        "C6|Widgets Practice Overview",
        "C7|WIDP-001", "B7|WIDP-001: Describe the practice.\nLong text here.", "A7|Yes",
        "D7|See our site",
        "C8|WIDP-002", "B8|WIDP-002 - Second thing\nmore", "A8|n/a",
        "C9|widp-003", "B9|Third thing", "A9|Select",
        "C10|WIDP-004", "B10|Fourth", "A10|Maybe",
        "C11|WIDP-001", "B11|Again", "A11|No", NULL };
    tsheet t[2];
    apn_doc doc;
    tsheet_make(&t[0], "Introduction", intro);
    tsheet_make(&t[1], "Widgets Practice Reqs", s1);
    REQUIRE(read_sheets(&doc, "x/AWS Widgets.xlsx", t, 2) == 0);
    CHECK_STR(doc.title, "AWS Widgets Competency Service Offering Validation Checklist");
    CHECK_STR(doc.validity, "February 2026-August 2026");
    CHECK_INT(doc.nitems, 4);
    const apn_item *a = test_find_item(&doc, "WIDP-001");
    REQUIRE(a != NULL);
    CHECK_STR(a->title, "Describe the practice.");
    CHECK_STR(a->description, "WIDP-001: Describe the practice.\nLong text here.");
    CHECK_STR(a->section, "Widgets Practice Overview");
    CHECK_STR(a->locus, "Widgets Practice Reqs!C7");
    CHECK_INT(a->met, APN_MET_YES);
    CHECK_INT(a->answered, 1);
    CHECK_STR(a->response, "See our site");
    CHECK_INT(a->customer_example, 0);
    const apn_item *b = test_find_item(&doc, "WIDP-002");
    REQUIRE(b != NULL);
    CHECK_STR(b->title, "Second thing");
    CHECK_INT(b->met, APN_MET_NA);
    const apn_item *c = test_find_item(&doc, "widp-003");
    REQUIRE(c != NULL);
    CHECK_INT(c->met, APN_MET_NONE);
    CHECK_INT(c->answered, 0);
    const apn_item *d = test_find_item(&doc, "WIDP-004");
    REQUIRE(d != NULL);
    CHECK_INT(d->met, APN_MET_NONE);
    CHECK(test_has_diag(&doc.diags, -1, "Widgets Practice Reqs!A10", "unrecognised answer"));
    /* the duplicate is reported at its cell and not kept */
    CHECK(test_has_diag(&doc.diags, -1, "Widgets Practice Reqs!C11", "duplicate of WIDP-001"));
    apn_doc_dispose(&doc);
    tsheet_free(&t[0]);
    tsheet_free(&t[1]);
}

TEST(wb__header_row2_vs_none_and_file_name_title)
{
    static const char *const s1[] = {
        "A1|Some banner",
        "A2|ID", "B2|Requirement Description", "C2|Met? (Yes/No/NA)", "D2|Partner Response",
        "A4|Security", "A5|SEC-001", "B5|Do it", "C5|NO",
        "A6|Common Customer Example Requirements", "A7|ACCT-001", "B7|Accounts", NULL };
    /* looks like a header, but without Met?: not a requirement sheet */
    static const char *const s2[] = {
        "A2|ID", "B2|Requirement Description", "C2|Why is this important?",
        "A3|SEC-009", "B3|Explained", NULL };
    /* a header below row 20 is not looked for */
    static const char *const s3[] = {
        "A21|ID", "B21|Requirement Description", "C21|Met?", "A22|SEC-010", "B22|Late", NULL };
    tsheet t[3];
    apn_doc doc;
    tsheet_make(&t[0], "Practice", s1);
    tsheet_make(&t[1], "Explanation", s2);
    tsheet_make(&t[2], "Late", s3);
    REQUIRE(read_sheets(&doc, "dir/AWS Widgets Competency Service Offering Self-Assessment.xlsx",
                        t, 3) == 0);
    CHECK_INT(doc.nitems, 2);
    CHECK_INT(doc.diags.n, 0);
    /* a customer-example section on a practice sheet */
    CHECK_INT(test_find_item(&doc, "ACCT-001")->customer_example, 1);
    CHECK_STR(test_find_item(&doc, "ACCT-001")->section, "Common Customer Example Requirements");
    CHECK_STR(doc.title, "AWS Widgets Competency Service Offering Self-Assessment.xlsx");
    CHECK(doc.validity == NULL);
    const apn_item *a = test_find_item(&doc, "SEC-001");
    REQUIRE(a != NULL);
    CHECK_INT(a->met, APN_MET_NO);
    CHECK_INT(a->customer_example, 0);
    CHECK_STR(a->section, "Security");
    CHECK_STR(a->locus, "Practice!A5");
    apn_doc_dispose(&doc);
    for (int i = 0; i < 3; i++)
        tsheet_free(&t[i]);
}

/* ---- customer examples ------------------------------------------------ */

TEST(wb__customer_example_references)
{
    static const char *const s1[] = {
        "A1|Widgets Customer Examples",
        "A2|ID", "B2|Requirement Description", "C2|Customer Reference #1",
        "E2|Customer Reference #2", "G2|Customer Reference #3",
        "C3|Met?", "D3|Partner Response", "E3|Met?", "F3|Partner Response", "G3|Met?",
        "H3|Partner Response",
        "A4|USE-CASE", "B4|Use Case Relevance",
        "A5|WIDC-001", "B5|Yes and blank", "C5|Yes", "D5|ref one", "E5|Select",
        "A6|WIDC-002", "B6|Yes and No", "C6|Yes", "E6|No", "G6|Yes",
        "A7|WIDC-003", "B7|nothing", "C7|<select>",
        "A8|WIDC-004", "B8|all NA", "C8|NA", "E8|N/A", "F8|why", NULL };
    /* the common sheet inserts Example Response in C */
    static const char *const s2[] = {
        "A2|ID", "B2|Requirement Description", "C2|Example Response",
        "D2|Customer Reference #1", "F2|Customer Reference #2",
        "D3|Met?", "E3|Partner Response", "F3|Met?", "G3|Partner Response",
        "A5|ACCT-001", "B5|Accounts", "C5|Yes", "D5|No", "F5|Yes", NULL };
    tsheet t[2];
    apn_doc doc;
    tsheet_make(&t[0], "Widgets Cust Example Reqs", s1);
    tsheet_make(&t[1], "Common Cust Example Reqs", s2);
    REQUIRE(read_sheets(&doc, "w.xlsx", t, 2) == 0);
    CHECK_INT(doc.nitems, 5);
    const apn_item *a = test_find_item(&doc, "WIDC-001");
    REQUIRE(a != NULL);
    CHECK_INT(a->customer_example, 1);
    CHECK_STR(a->section, "Use Case Relevance");
    CHECK_INT(a->met, APN_MET_YES);
    CHECK_STR(a->response, "ref one");
    CHECK_INT(test_find_item(&doc, "WIDC-002")->met, APN_MET_NO);
    CHECK_INT(test_find_item(&doc, "WIDC-003")->met, APN_MET_NONE);
    CHECK_INT(test_find_item(&doc, "WIDC-003")->answered, 0);
    CHECK_INT(test_find_item(&doc, "WIDC-004")->met, APN_MET_NA);
    CHECK_STR(test_find_item(&doc, "WIDC-004")->response, "why");
    /* the Example Response column is not a reference: D5 No decides */
    CHECK_INT(test_find_item(&doc, "ACCT-001")->met, APN_MET_NO);
    CHECK_INT(test_find_item(&doc, "ACCT-001")->customer_example, 1);
    apn_doc_dispose(&doc);
    tsheet_free(&t[0]);
    tsheet_free(&t[1]);
}

/* ---- FTR logic: questions, Pass/Fail formulas, gates, views ----------- */

static const char *const ftr_main[] = {
    "A1|Partner Hosted FTR Requirements\nlong",
    "A4|Controls Met", "B4|=COUNTIF(D:D,\"Pass\")",
    "A5|ID", "B5|Requirement Description", "C5|Met? (Yes/No/NA)", "D5|Approval Requirements",
    "E5|Partner Response / Guidance ",
    "A7|CIS Benchmark Report", "B7|Have you completed a CIS report?", "C7|Yes",
    "A8|CIS Benchmark Report", "B8|Which version?", "C8|CIS v5.0",
    "A9|General Availability", "B9|GA?", "C9|<select>",
    "A11|Partner Hosted",
    "A13|HOST-001", "B13|Confirm your hosting model. \nTo qualify...",
    "C13|=IF(OR(C14=\"<select>\",C15=\"<select>\"), \"\", IF(D13=\"Fail\", \"No\", IF(D13=\"Pass\", \"Yes\")))",
    "D13|=IF(AND(C14=\"Yes\", C15=\"Yes\"), \"Pass\",\"Fail\")",
    "A14|HOST-001.1", "B14|Q1", "C14|yes",
    "A15|HOST-001.2", "B15|Q2", "C15|YES",
    "A16|AWS root account",
    "A17|These requirements apply only if you have a password set for the root user and this "
    "sentence is long enough to be a note rather than a section name.",
    "A18|ARC-004", "B18|Remove access keys for the root user.",
    "C18|=IF(C19=\"<select>\", \"\", IF(C19=\"Yes\", \"No\", IF( C19=\"No\", \"Yes\")))",
    "D18|=IF(C19=\"No\", \"Pass\", \"Fail\")",
    "A19|ARC-004.1", "B19|Do you have root keys?", "C19|No",
    "A20|IAM-005", "B20|Use roles.", "D20|=IF(OR(C21=\"No\",AND(C21=\"Yes\", C23=\"Temporary\") ), \"Pass\",\"Fail\")",
    "A21|IAM-005.1", "B21|Third parties?", "C21|Yes",
    "A22|IAM-005.2", "C22|Yes",
    "A23|IAM-005.2", "B23|Temporary or static?", "C23|Static",
    "A24|SUP-001", "B24|Support tier", "D24|=IF(C25=\"Yes\",\"Pass\",\"Fail\")",
    "A25|SUP-001.1", "B25|Business?", "C25|<select>",
    "A26|SECOPS-001", "B26|Vulnerability management.", "D26|=IF(C27=\"Yes\", \"Pass\", \"Fail\")",
    "A27|SECOPS-001", "B27|Is there a process?", "C27|Yes",
    "A28|Cross-account access",
    "A29|CAA-000", "B29|Do you access customer AWS accounts?", "C29|No",
    "A30|CAA-001", "B30|Use cross-account roles.",
    "D30|=IF(OR(AND(C29=\"No\", C31=\"N/A\"), OR(C31=\"Yes\"), C29=\"No\"), \"Pass\",\"Fail\")",
    "A31|CAA-001.1", "B31|Roles?", "C31|<select>",
    /* no Pass/Fail formula: the questions decide */
    "A32|RES-001", "B32|RPO", "A33|RES-001.1", "B33|RPO defined?", "C33|Yes",
    "A34|RES-001.2", "B34|RPO tested?", "C34|NA",
    "A35|RES-002", "B35|RTO", "A36|RES-002.1", "B36|RTO defined?", "C36|No",
    /* an unsupported function: diagnostic, then the questions decide */
    "A37|RES-003", "B37|Test", "D37|=IF(VLOOKUP(C38,X1:Y2,2)=1,\"Pass\",\"Fail\")",
    "A38|RES-003.1", "B38|Tested?", "C38|Yes",
    "A39|7", "B39|a stray numbered row",
    /* a gate that says Yes leaves the control to its (unanswered) question */
    "A43|SDAT-000", "B43|Do you store PII?", "C43|Yes",
    "A44|SDAT-001", "B44|Identify sensitive data.",
    "D44|=IF(OR(AND(C43=\"No\", C45=\"N/A\"), OR(C45=\"Yes\"), C43=\"No\"), \"Pass\",\"Fail\")",
    "A45|SDAT-001.1", "B45|Process?", "C45|<select>",
    "A50|Optional - Questions\nPartner Feedback",
    "A51|ID", "B51|Feedback Question", "C51|Answer",
    "A52|OPT-001.1", "B52|How many hours?", "C52|12",
    NULL };

static const char *const ftr_summary[] = {
    "A1|Partner-hosted FTR \nResults Summary",
    "A2|ID", "B2|Requirement Description", "C2|Met?", "D2|Partner Response",
    "A4|HOST-001", "B4|Old wording", "C4|='Partner Hosted FTR Requirements'!C13",
    "A5|ZZZ-001", "B5|Only here", "C5|='Partner Hosted FTR Requirements'!C18",
    NULL };

static const char *const ftr_intro[] = {
    "A1|Partner Hosted Foundational Technical Review \nPartner Hosted Validation Checklist \n"
    "Validity Period: February 2026-August 2026 \nThis version...",
    "A10|Version", "B10|2026.1", NULL };

TEST(wb__ftr_questions_formulas_gates)
{
    tsheet t[3];
    apn_doc doc;
    tsheet_make(&t[0], "Introduction", ftr_intro);
    tsheet_make(&t[1], "Partner Hosted FTR Requirements", ftr_main);
    tsheet_make(&t[2], "FTR Results Summary", ftr_summary);
    REQUIRE(read_sheets(&doc, "FTR.xlsx", t, 3) == 0);
    CHECK_STR(doc.title, "Partner Hosted Foundational Technical Review");
    CHECK_STR(doc.subtitle, "Partner Hosted Validation Checklist");
    CHECK_STR(doc.validity, "February 2026-August 2026");
    CHECK_STR(doc.version, "2026.1");
    /* the view sheet adds nothing; OPT and CAA-000 are not items */
    CHECK(test_find_item(&doc, "ZZZ-001") == NULL);
    CHECK(test_find_item(&doc, "OPT-001.1") == NULL);
    CHECK(test_find_item(&doc, "CAA-000") == NULL);
    /* pre-rows: one pseudo item per name */
    int pseudo = 0;
    for (size_t i = 0; i < doc.nitems; i++)
        pseudo += doc.items[i].kind == APN_ITEM_PSEUDO;
    CHECK_INT(pseudo, 2);
    const apn_item *cis = test_find_item(&doc, "CIS Benchmark Report");
    REQUIRE(cis != NULL);
    CHECK_INT(cis->kind, APN_ITEM_PSEUDO);
    CHECK_STR(cis->title, "CIS Benchmark Report");
    CHECK_INT(cis->met, APN_MET_YES);
    CHECK_INT(test_find_item(&doc, "General Availability")->met, APN_MET_NONE);
    CHECK_INT(doc.nitems, 2 + 10);
    CHECK(test_has_diag(&doc.diags, -1, "Partner Hosted FTR Requirements!A39", "not a requirement ID"));
    CHECK_INT(test_find_item(&doc, "SDAT-001")->met, APN_MET_NONE);
    CHECK_INT(test_find_item(&doc, "SDAT-001")->answered, 0);
    const apn_item *host = test_find_item(&doc, "HOST-001");
    REQUIRE(host != NULL);
    CHECK_STR(host->title, "Confirm your hosting model.");
    CHECK_STR(host->section, "Partner Hosted");
    CHECK_INT(host->met, APN_MET_YES);     /* formula evaluated: no cached value */
    /* passes on No; the long note did not become the section */
    CHECK_INT(test_find_item(&doc, "ARC-004")->met, APN_MET_YES);
    CHECK_STR(test_find_item(&doc, "ARC-004")->section, "AWS root account");
    /* Yes + Static fails; the stray IAM-005.2 without a description is skipped */
    CHECK_INT(test_find_item(&doc, "IAM-005")->met, APN_MET_NO);
    CHECK(test_has_diag(&doc.diags, -1, "Partner Hosted FTR Requirements!A22", "no description"));
    /* unanswered questions: unanswered control, whatever the formula says */
    CHECK_INT(test_find_item(&doc, "SUP-001")->met, APN_MET_NONE);
    CHECK_INT(test_find_item(&doc, "SUP-001")->answered, 0);
    /* SECOPS-001 twice: the second is its question */
    CHECK_INT(test_find_item(&doc, "SECOPS-001")->met, APN_MET_YES);
    CHECK(test_has_diag(&doc.diags, -1, "Partner Hosted FTR Requirements!A27", "read as its question"));
    /* the gate says No: CAA-001 passes with its question unanswered */
    CHECK_INT(test_find_item(&doc, "CAA-001")->met, APN_MET_YES);
    CHECK_INT(test_find_item(&doc, "CAA-001")->answered, 1);
    CHECK_INT(test_find_item(&doc, "RES-001")->met, APN_MET_YES);
    CHECK_INT(test_find_item(&doc, "RES-002")->met, APN_MET_NO);
    CHECK_INT(test_find_item(&doc, "RES-003")->met, APN_MET_YES);
    CHECK(test_has_diag(&doc.diags, -1, "Partner Hosted FTR Requirements!D37", "VLOOKUP"));
    apn_doc_dispose(&doc);
    for (int i = 0; i < 3; i++)
        tsheet_free(&t[i]);
}

TEST(wb__book_eval_cycles_and_cache)
{
    static const char *const s[] = {
        "A1|=B1", "B1|=A1", "C1|=D1&\"x\"|cached", "D1|=1+1", "E1|=COUNTIF(F:F,\"a\")",
        "F1|a", "F9|A", "F10|b", NULL };
    tsheet t;
    tsheet_make(&t, "S", s);
    apn_book *b = NULL;
    REQUIRE(apn_book_new(&b, &t.sheet, 1) == 0);
    apn_value v;
    char err[100];
    CHECK_INT(apn_book_eval(&v, b, 0, 1, 0, 0, err, sizeof err), 0);
    CHECK_INT(v.type, APN_V_ERR);   /* circular */
    CHECK_INT(apn_book_eval(&v, b, 0, 1, 2, 0, err, sizeof err), 0);
    CHECK_STR(v.str, "cached");
    CHECK_INT(apn_book_eval(&v, b, 0, 1, 4, 0, err, sizeof err), 0);
    CHECK_INT(v.type, APN_V_NUM);
    CHECK(v.num == 2);
    apn_book_free(b);
    REQUIRE(apn_book_new(&b, &t.sheet, 1) == 0);
    CHECK_INT(apn_book_eval(&v, b, 0, 1, 2, 1, err, sizeof err), 0);
    CHECK_STR(v.str, "2x");
    apn_book_free(b);
    tsheet_free(&t);
}

/* ---- real and generated workbooks ------------------------------------- */

typedef struct opened {
    char *data;
    size_t len;
    apn_xlsx *x;
    apn_diags diags;
} opened;

static int open_wb(opened *o, const char *rel)
{
    memset(o, 0, sizeof *o);
    if (!(o->data = test_slurp(rel, &o->len)))
        return -1;
    return apn_xlsx_open_memory(&o->x, o->data, o->len, rel, NULL, &o->diags);
}

static void close_wb(opened *o)
{
    apn_xlsx_free(o->x);
    apn_free(o->data);
    apn_diags_dispose(&o->diags);
}

static int read_wb(apn_doc *doc, opened *o, const char *rel)
{
    if (open_wb(o, rel) < 0)
        return -1;
    const char *base = strrchr(rel, '/');
    apn_doc_init(doc, base ? base + 1 : rel);
    doc->format = APN_DOC_XLSX;
    return apn_wb_read(doc, o->x);
}

#define FTR_REAL "tests/resources/real/FTR_Self_Assessment.xlsx"
#define FTR_MAIN "Partner Hosted FTR Requirements"

/* Every formula of the main sheet's Met? (C) and Pass/Fail (D) columns,
 * evaluated as if no cell had a cached value, agrees with Excel's cache. */
TEST(wb__real_ftr_formula_oracle)
{
    opened o;
    apn_book *b = NULL;
    REQUIRE(open_wb(&o, FTR_REAL) == 0);
    REQUIRE(apn_book_load(&b, o.x) == 0);
    size_t main_sheet = (size_t)-1;
    for (size_t i = 0; i < apn_book_nsheets(b); i++)
        if (!strcmp(apn_book_sheet_at(b, i)->name, FTR_MAIN))
            main_sheet = i;
    REQUIRE(main_sheet != (size_t)-1);
    const apn_book_sheet *s = apn_book_sheet_at(b, main_sheet);
    int n = 0, nd = 0, agree = 0;
    for (size_t r = 0; r < s->nrows; r++)
        for (size_t c = 0; c < s->rows[r].ncells; c++) {
            const apn_cell *cell = &s->rows[r].cells[c];
            if (!cell->formula || (cell->col != 2 && cell->col != 3))
                continue;
            apn_value v;
            char err[200];
            n++;
            nd += cell->col == 3;
            int rc = apn_book_eval(&v, b, main_sheet, s->rows[r].row, cell->col, 1, err,
                                       sizeof err);
            apn_arena a = APN_ARENA_INIT;
            const char *text = rc == 0 ? apn_value_text(&a, &v) : err;
            if (rc == 0 && !strcmp(text, cell->text))
                agree++;
            else
                fprintf(stderr, "%c%u: %s\n  evaluated %s, cached \"%s\"\n", 'A' + cell->col,
                        s->rows[r].row, cell->formula, text, cell->text);
            apn_arena_dispose(&a);
        }
    /* 138 formula cells in C and D (grep '<c r="[CD][0-9]*"[^>]*><f>' over sheet2.xml),
     * of which 44 Pass/Fail cells of controls plus question guidance cells in D */
    CHECK_INT(n, 138);
    CHECK(nd >= 44);
    CHECK_INT(agree, n);
    /* and every other formula of the workbook (guidance texts with CHAR(10),
     * COUNTIF(D:D, ...), the summary sheet's references into the main sheet):
     * 212 + 133 <f> elements in sheet2.xml and sheet3.xml */
    int all = 0, all_agree = 0;
    for (size_t si = 0; si < apn_book_nsheets(b); si++) {
        const apn_book_sheet *sh = apn_book_sheet_at(b, si);
        for (size_t r = 0; r < sh->nrows; r++)
            for (size_t c = 0; c < sh->rows[r].ncells; c++) {
                const apn_cell *cell = &sh->rows[r].cells[c];
                apn_value v;
                char err[200];
                if (!cell->formula)
                    continue;
                all++;
                apn_arena a = APN_ARENA_INIT;
                if (apn_book_eval(&v, b, si, sh->rows[r].row, cell->col, 1, err,
                                      sizeof err) == 0 &&
                    !strcmp(apn_value_text(&a, &v), cell->text))
                    all_agree++;
                else
                    fprintf(stderr, "%s!%c%u disagrees\n", sh->name, 'A' + cell->col,
                            sh->rows[r].row);
                apn_arena_dispose(&a);
            }
    }
    CHECK_INT(all, 345);
    CHECK_INT(all_agree, all);
    apn_book_free(b);
    close_wb(&o);
}

static const char *const ftr_prefixes[] = { "HOST", "SUP", "WAFR", "ARC", "ACOM", "IAM", "SECOPS",
                                            "NETSEC", "BAR", "RES", "S3", "CAA", "SDAT", "RCVP",
                                            NULL };

TEST(wb__real_ftr_blank)
{
    opened o;
    apn_doc doc;
    REQUIRE(read_wb(&doc, &o, FTR_REAL) == 0);
    CHECK_STR(doc.title, "Partner Hosted Foundational Technical Review");
    CHECK_STR(doc.validity, "February 2026-August 2026");
    CHECK_STR(doc.version, "2026.1");
    int controls = 0, pseudo = 0, answered = 0, per_prefix[16] = { 0 };
    for (size_t i = 0; i < doc.nitems; i++) {
        const apn_item *it = &doc.items[i];
        answered += it->answered || it->met != APN_MET_NONE;
        if (it->kind == APN_ITEM_PSEUDO) {
            pseudo++;
            CHECK(!strcmp(it->raw_id, "CIS Benchmark Report") ||
                  !strcmp(it->raw_id, "General Availability"));
            CHECK_STR(it->title, it->raw_id);
            continue;
        }
        controls++;
        apn_id id;
        REQUIRE(apn_id_parse(&id, it->raw_id) == 0);
        CHECK(!id.question);
        int k;
        for (k = 0; ftr_prefixes[k]; k++)
            if (!strcmp(id.prefix, ftr_prefixes[k]))
                break;
        if (!ftr_prefixes[k])
            fprintf(stderr, "unexpected prefix %s (%s)\n", id.prefix, it->raw_id);
        CHECK(ftr_prefixes[k] != NULL);
        if (ftr_prefixes[k])
            per_prefix[k]++;
        CHECK(strncmp(it->locus, FTR_MAIN "!A", strlen(FTR_MAIN) + 2) == 0);
    }
    CHECK_INT(controls, 44);
    CHECK_INT(pseudo, 2);
    for (int k = 0; ftr_prefixes[k]; k++)
        CHECK(per_prefix[k] > 0);
    CHECK_INT(answered, 0);
    const apn_item *host = test_find_item(&doc, "HOST-001");
    REQUIRE(host != NULL);
    CHECK_STR(host->title, "Confirm your hosting model.");
    CHECK_STR(host->section, "Partner Hosted");
    CHECK_STR(host->locus, FTR_MAIN "!A13");
    CHECK_INT(per_prefix[5], 12);   /* IAM-001..012 */
    CHECK_INT(per_prefix[11], 7);   /* CAA-001..007 */
    apn_doc_dispose(&doc);
    close_wb(&o);
}

TEST(wb__ftr_filled_openpyxl)
{
    /* expected per control, derived by hand from the formulas of column D
     * (see tests/resources/wb/make_ftr_filled.py for the answers) */
    static const char *const yes[] = { "HOST-001", "SUP-001", "WAFR-001", "ARC-001", "ARC-004",
                                       "ACOM-001", "IAM-001", "IAM-002", "IAM-009", "IAM-012",
                                       "CAA-001", "CAA-007", "CAA-002", "CAA-004", "CAA-005",
                                       "CAA-006", "CAA-003", NULL };
    static const char *const no[] = { "ARC-005", "IAM-005", "NETSEC-001", NULL };
    opened o;
    apn_doc doc;
    REQUIRE(read_wb(&doc, &o, "tests/resources/wb/ftr_filled_openpyxl.xlsx") == 0);
    int nyes = 0, nno = 0, nnone = 0, controls = 0;
    for (size_t i = 0; i < doc.nitems; i++) {
        const apn_item *it = &doc.items[i];
        if (it->kind != APN_ITEM_CONTROL)
            continue;
        controls++;
        apn_met want = APN_MET_NONE;
        for (int k = 0; yes[k]; k++)
            if (!strcmp(it->raw_id, yes[k]))
                want = APN_MET_YES;
        for (int k = 0; no[k]; k++)
            if (!strcmp(it->raw_id, no[k]))
                want = APN_MET_NO;
        if (it->met != want)
            fprintf(stderr, "%s: met %d, want %d\n", it->raw_id, it->met, want);
        CHECK_INT(it->met, want);
        CHECK_INT(it->answered, want != APN_MET_NONE);
        nyes += it->met == APN_MET_YES;
        nno += it->met == APN_MET_NO;
        nnone += it->met == APN_MET_NONE;
    }
    CHECK_INT(controls, 44);
    CHECK_INT(nyes, 17);
    CHECK_INT(nno, 3);
    CHECK_INT(nnone, 24);
    CHECK_STR(test_find_item(&doc, "SUP-001")->response, "We use Enterprise On-Ramp support");
    CHECK(test_find_item(&doc, "HOST-001")->response == NULL);
    apn_doc_dispose(&doc);
    close_wb(&o);
}

/* The same filled competency workbook from two producers (openpyxl, and
 * SpreadsheetML written by hand: inline and rich shared strings, sheet files out
 * of tab order, absolute targets); see tests/resources/wb/make_competency.py. */
static void check_competency(const char *rel)
{
    static const struct {
        const char *id, *section, *title, *response;
        apn_met met;
        int answered, cust;
    } want[] = {
        { "WIDP-001", "Widgets Practice Overview", "Widget practice overview.",
          "https://example.com/widgets", APN_MET_YES, 1, 0 },
        { "WIDP-002", "Widgets Practice Overview", "Widget tooling", NULL, APN_MET_NO, 1, 0 },
        { "WIDP-003", "Widgets Practice Overview", "Widget delivery methodology.", NULL,
          APN_MET_NONE, 0, 0 },
        { "WIDP-004", "Widget Delivery", "Widget staffing.", NULL, APN_MET_NA, 1, 0 },
        { "WIDP-005", "Widget Delivery", "Widget training.", NULL, APN_MET_NA, 1, 0 },
        { "WIDP-006", "Widget Delivery", "Widget security.", "planned for Q3", APN_MET_NONE, 1, 0 },
        { "POV-001", "Practice Overview", "Widgets practice overview.", NULL, APN_MET_YES, 1, 0 },
        { "PRJ-001", "Practice Overview", "Project delivery.", NULL, APN_MET_NONE, 0, 0 },
        { "CSN-001", "Customer Satisfaction", "Customer satisfaction.", NULL, APN_MET_YES, 1, 0 },
        { "WIDC-001", "Use Case Relevance", "Widget deployment.", "ref A", APN_MET_YES, 1, 1 },
        { "WIDC-002", "Use Case Relevance", "Widget migration.", NULL, APN_MET_NO, 1, 1 },
        { "WIDC-003", "Use Case Relevance", "Widget operations.", NULL, APN_MET_NONE, 0, 1 },
        { "WIDC-004", "Use Case Relevance", "Widget compliance.", "no regulated data",
          APN_MET_NA, 1, 1 },
        { "ACCT-001", "Documentation", "Account management.", NULL, APN_MET_NO, 1, 1 },
        { "OPE-001", "Documentation", "Operations.", "ops ref", APN_MET_YES, 1, 1 },
        { "DOC-001-SERVICE", "Documentation", "Documentation.", NULL, APN_MET_YES, 1, 1 },
    };
    opened o;
    apn_doc doc;
    REQUIRE(read_wb(&doc, &o, rel) == 0);
    CHECK_STR(doc.title, "AWS Widgets Competency Service Offering Validation Checklist");
    CHECK_STR(doc.validity, "February 2026-August 2026");
    CHECK_STR(doc.version, "2026.1");
    CHECK_INT(doc.nitems, sizeof want / sizeof *want);
    for (size_t i = 0; i < sizeof want / sizeof *want && i < doc.nitems; i++) {
        const apn_item *it = &doc.items[i];
        CHECK_STR(it->raw_id, want[i].id);
        CHECK_INT(it->kind, APN_ITEM_CONTROL);
        CHECK_STR(it->section, want[i].section);
        CHECK_STR(it->title, want[i].title);
        CHECK_STR(it->response, want[i].response);
        CHECK_INT(it->met, want[i].met);
        CHECK_INT(it->answered, want[i].answered);
        CHECK_INT(it->customer_example, want[i].cust);
    }
    CHECK_STR(doc.items[0].locus, "Widgets Practice Reqs!A5");
    CHECK_STR(doc.items[0].description, "WIDP-001: Widget practice overview.\nDescribe your practice.");
    CHECK_INT(doc.diags.n, 0);
    apn_doc_dispose(&doc);
    close_wb(&o);
}

TEST(wb__competency_openpyxl) { check_competency("tests/resources/wb/competency_openpyxl.xlsx"); }
TEST(wb__competency_rawxml) { check_competency("tests/resources/wb/competency_rawxml.xlsx"); }

TEST(wb__no_requirement_sheet)
{
    static const char *const s1[] = { "A1|Just notes", "A2|ID", "B2|Feedback Question",
                                      "C2|Answer", "A3|OPT-001.1", "B3|Hours?", NULL };
    tsheet t;
    apn_doc doc;
    tsheet_make(&t, "Notes", s1);
    REQUIRE(read_sheets(&doc, "notes.xlsx", &t, 1) == 0);
    CHECK_INT(doc.nitems, 0);
    CHECK(test_has_diag(&doc.diags, -1, "", "no requirement sheet"));
    apn_doc_dispose(&doc);
    tsheet_free(&t);
}

/* Every allocation point of reading the FTR-like rows (formulas evaluated, no
 * cached values) fails once in turn: no crash, no leak (ASan), APN_ENOMEM or
 * success, and finally a clean run. */
TEST(wb__oom_each_allocation)
{
    tsheet t[3];
    tsheet_make(&t[0], "Introduction", ftr_intro);
    tsheet_make(&t[1], "Partner Hosted FTR Requirements", ftr_main);
    tsheet_make(&t[2], "FTR Results Summary", ftr_summary);
    apn_book_sheet sheets[3] = { t[0].sheet, t[1].sheet, t[2].sheet };
    int clean = 0, runs = 0;
    for (long n = 1; n < 5000 && !clean; n++) {
        apn_doc doc;
        REQUIRE(apn_doc_init(&doc, "FTR.xlsx") == 0);
        apn_alloc_fail_after(n);
        int rc = apn_wb__read_sheets(&doc, sheets, 3);
        clean = apn_alloc_failures() == 0;
        apn_alloc_fail_after(0);
        CHECK(rc == 0 || rc == APN_ENOMEM);
        if (clean) {
            CHECK_INT(rc, 0);
            CHECK_INT(doc.nitems, 12);
        }
        runs++;
        apn_doc_dispose(&doc);
    }
    CHECK(clean);
    CHECK(runs > 20);
    for (int i = 0; i < 3; i++)
        tsheet_free(&t[i]);
}

/* A workbook saved by Excel keeps the Pass/Fail results: they win over the
 * formulas (which here would say the opposite), and an empty cache is
 * evaluated. */
TEST(wb__cached_pass_fail_wins)
{
    static const char *const s1[] = {
        "A2|ID", "B2|Requirement Description", "C2|Met?", "D2|Approval Requirements",
        "A3|SUP-001", "B3|Support tier", "D3|=IF(C4=\"Yes\",\"Pass\",\"Fail\")|Pass",
        "A4|SUP-001.1", "B4|Business?", "C4|No",
        "A5|SUP-002", "B5|Other", "D5|=IF(C6=\"Yes\",\"Pass\",\"Fail\")|Fail",
        "A6|SUP-002.1", "B6|Other?", "C6|Yes",
        "A7|SUP-003", "B7|Third", "D7|=IF(C8=\"Yes\",\"Pass\",\"Fail\")|",
        "A8|SUP-003.1", "B8|Third?", "C8|Yes", NULL };
    tsheet t;
    apn_doc doc;
    tsheet_make(&t, "FTR Requirements", s1);
    REQUIRE(read_sheets(&doc, "ftr.xlsx", &t, 1) == 0);
    CHECK_INT(doc.nitems, 3);
    CHECK_INT(test_find_item(&doc, "SUP-001")->met, APN_MET_YES);
    CHECK_INT(test_find_item(&doc, "SUP-002")->met, APN_MET_NO);
    CHECK_INT(test_find_item(&doc, "SUP-003")->met, APN_MET_YES);
    apn_doc_dispose(&doc);
    tsheet_free(&t);
}

/* A chain of formula cells deeper than the evaluator's bound: reported and
 * answered from the questions instead, not a stack overflow. */
TEST(wb__deep_formula_chain)
{
    static char specs[80][64];
    const char *list[90];
    size_t n = 0;
    list[n++] = "A2|ID";
    list[n++] = "B2|Requirement Description";
    list[n++] = "C2|Met?";
    list[n++] = "A3|SUP-001";
    list[n++] = "B3|Support";
    list[n++] = "D3|=IF(E10=\"Yes\",\"Pass\",\"Fail\")";
    list[n++] = "A4|SUP-001.1";
    list[n++] = "B4|Q";
    list[n++] = "C4|No";
    for (int i = 10; i < 60; i++) {   /* E10 = E11, E11 = E12, ... E59 = C4 */
        if (i < 59)
            snprintf(specs[i], sizeof specs[i], "E%d|=E%d", i, i + 1);
        else
            snprintf(specs[i], sizeof specs[i], "E%d|=C4", i);
        list[n++] = specs[i];
    }
    list[n] = NULL;
    tsheet t;
    apn_doc doc;
    tsheet_make(&t, "FTR Requirements", list);
    REQUIRE(read_sheets(&doc, "deep.xlsx", &t, 1) == 0);
    REQUIRE(doc.nitems == 1);
    CHECK_INT(doc.items[0].met, APN_MET_NO);   /* from the question: No */
    CHECK(test_has_diag(&doc.diags, -1, "FTR Requirements!D3", "formula not evaluated"));
    if (doc.diags.n)
        CHECK(strstr(doc.diags.v[0].message, "input exceeded") || strstr(doc.diags.v[0].message, "limit") || strstr(doc.diags.v[0].message, "deep"));
    apn_doc_dispose(&doc);
    tsheet_free(&t);
}
