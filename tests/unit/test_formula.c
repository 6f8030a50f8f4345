/* Unit tests for formula.c: reference shifting and evaluation. */
#include <math.h>
#include <stdlib.h>

#include "test.h"

#include "read/formula.h"

#include <apnmap/apnmap.h>

/* ---- shifting -------------------------------------------------------- */

static const char *shift(apn_arena *a, const char *f, int dr, int dc)
{
    return apn_formula_shift(a, f, dr, dc);
}

TEST(formula__shift_relative_and_absolute)
{
    apn_arena a = APN_ARENA_INIT;
    CHECK_STR(shift(&a, "IF(C7=\"x\",$D$2,E7)", 1, 0), "IF(C8=\"x\",$D$2,E8)");
    CHECK_STR(shift(&a, "A1+$A1+A$1+$A$1", 2, 3), "D3+$A3+D$1+$A$1");
    CHECK_STR(shift(&a, "Z9", 0, 1), "AA9");
    CHECK_STR(shift(&a, "AA9", 0, -1), "Z9");
    CHECK_STR(shift(&a, "c7 & d7", 1, 0), "C8 & D8");
    apn_arena_dispose(&a);
}

TEST(formula__shift_leaves_text_names_and_functions)
{
    apn_arena a = APN_ARENA_INIT;
    /* text in quotes: "A1" stays; '' and "" escapes do not end the run */
    CHECK_STR(shift(&a, "IF(C14=\"A1 \"\"B2\"\"\",C15,\"<select>\")", 1, 0),
              "IF(C15=\"A1 \"\"B2\"\"\",C16,\"<select>\")");
    /* function names that look like cells (LOG10) and TRUE/FALSE */
    CHECK_STR(shift(&a, "LOG10(A1)+TRUE", 1, 0), "LOG10(A2)+TRUE");
    /* sheet-qualified: the sheet name is untouched, the cell shifts */
    CHECK_STR(shift(&a, "'My Sheet'!C2&Sheet1!C2&'It''s A1'!$B$3", 3, 0),
              "'My Sheet'!C5&Sheet1!C5&'It''s A1'!$B$3");
    CHECK_STR(shift(&a, "#REF!+1.5", 4, 4), "#REF!+1.5");
    apn_arena_dispose(&a);
}

TEST(formula__shift_ranges_and_columns)
{
    apn_arena a = APN_ARENA_INIT;
    CHECK_STR(shift(&a, "COUNTIF(A1:B2,\"Pass\")", 1, 1), "COUNTIF(B2:C3,\"Pass\")");
    CHECK_STR(shift(&a, "COUNTIF(D:D,\"Pass\")", 5, 1), "COUNTIF(E:E,\"Pass\")");
    CHECK_STR(shift(&a, "SUM($D:D)", 5, 2), "SUM($D:F)");
    CHECK_STR(shift(&a, "SUM(3:5)", 2, 9), "SUM(5:7)");
    CHECK_STR(shift(&a, "SUM($3:5)", 2, 9), "SUM($3:7)");
    apn_arena_dispose(&a);
}

TEST(formula__shift_out_of_sheet)
{
    apn_arena a = APN_ARENA_INIT;
    CHECK(shift(&a, "A1", -1, 0) == NULL);
    CHECK(shift(&a, "A1", 0, -1) == NULL);
    CHECK(shift(&a, "XFD1", 0, 1) == NULL);
    CHECK(shift(&a, "A1048576", 1, 0) == NULL);
    CHECK_STR(shift(&a, "$A$1", -1, -1), "$A$1");
    apn_arena_dispose(&a);
}

/* ---- evaluation ------------------------------------------------------ */

/* A tiny sheet: cells given as "C7=Yes" strings; "Other!A1=..." for another sheet.
 * Values that parse as numbers are numbers; "TRUE"/"FALSE" are booleans. */
typedef struct grid {
    const char *const *cells;
    int lookups;
} grid;

static int grid_lookup(void *ud, const char *sheet, unsigned row, unsigned col, apn_value *out)
{
    grid *g = ud;
    g->lookups++;
    if (row == 0) {
        out->type = APN_V_NUM;
        out->num = 50;   /* extent: rows beyond 50 are empty */
        return 0;
    }
    char want[96];
    snprintf(want, sizeof want, "%s%s%c%u=", sheet ? sheet : "", sheet ? "!" : "",
             'A' + (int)col, row);
    out->type = APN_V_EMPTY;
    for (const char *const *c = g->cells; *c; c++)
        if (!strncmp(*c, want, strlen(want))) {
            const char *v = *c + strlen(want);
            char *end;
            double d = strtod(v, &end);
            if (*v && !*end) {
                out->type = APN_V_NUM;
                out->num = d;
            } else if (!strcmp(v, "TRUE") || !strcmp(v, "FALSE")) {
                out->type = APN_V_BOOL;
                out->b = v[0] == 'T';
            } else {
                out->type = APN_V_STR;
                out->str = v;
            }
        }
    if (!strcmp(want, "Z99="))
        return APN_EIO;   /* a lookup that fails */
    return 0;
}

static const char *const cells[] = {
    "C14=yes", "C15=YES", "C16=Yes", "C21=NO", "E20=because", "C29=<select>",
    "C37=No", "D1=Pass", "D2=Fail", "D3=pass", "D4=Pass", "B4=3", "E4=4", "A1=2", "A2=3",
    "'Supporting Information Required'!C7=never", "Supporting Information Required!C7=sir-c7",
    "Other!A1=other", "F1=TRUE", "F2=FALSE", "G1=  a   b  ", NULL
};

/* Evaluates f and returns its text ("ERR:<code>" on failure). */
static const char *ev(apn_arena *a, const char *f)
{
    grid g = { cells, 0 };
    apn_value v;
    char err[200];
    int rc = apn_formula_eval(&v, f, grid_lookup, &g, a, err, sizeof err);
    if (rc < 0)
        return apn_arena_printf(a, "ERR:%d:%s", rc, err);
    if (v.type == APN_V_BOOL)
        return v.b ? "bool:TRUE" : "bool:FALSE";
    return apn_value_text(a, &v);
}

TEST(formula__eval_text_comparisons)
{
    apn_arena a = APN_ARENA_INIT;
    CHECK_STR(ev(&a, "IF(AND(C14=\"Yes\", C15=\"Yes\", C16=\"Yes\"), \"Pass\",\"Fail\")"), "Pass");
    CHECK_STR(ev(&a, "IF(OR(C21=\"Yes\",AND(E20<>\"\",C21=\"No\")), \"Pass\",\"Fail\")"), "Pass");
    CHECK_STR(ev(&a, "IF(OR(C21=\"Yes\",AND(E99<>\"\",C21=\"No\")), \"Pass\",\"Fail\")"), "Fail");
    /* IF without an else gives FALSE */
    CHECK_STR(ev(&a, "IF(C37=\"Yes\",\"x\")"), "bool:FALSE");
    CHECK_STR(ev(&a, "IF(C29=\"<select>\", \"\",C29)"), "");
    /* an empty cell is "" in text and 0 in numbers */
    CHECK_STR(ev(&a, "E99=\"\""), "bool:TRUE");
    CHECK_STR(ev(&a, "E99=0"), "bool:TRUE");
    CHECK_STR(ev(&a, "E99"), "0");
    CHECK_STR(ev(&a, "\"abc\"<\"ABD\""), "bool:TRUE");
    CHECK_STR(ev(&a, "1<\"a\""), "bool:TRUE");   /* numbers sort before text */
    CHECK_STR(ev(&a, "NOT(C37=\"no\")"), "bool:FALSE");
    apn_arena_dispose(&a);
}

TEST(formula__eval_other_sheets_and_functions)
{
    apn_arena a = APN_ARENA_INIT;
    CHECK_STR(ev(&a, "IF(C37=\"No\",'Supporting Information Required'!C7,\"\")"), "sir-c7");
    CHECK_STR(ev(&a, "Other!A1 & CHAR(10) & \"x\""), "other\nx");
    CHECK_STR(ev(&a, "COUNTIF(D:D,\"Pass\")"), "3");
    CHECK_STR(ev(&a, "COUNTIF(D:D, \"Fail\")"), "1");
    CHECK_STR(ev(&a, "COUNTIF(D1:D3,\"<>Pass\")"), "1");
    CHECK_STR(ev(&a, "COUNTIF(D1:D9,\"P*\")"), "3");
    CHECK_STR(ev(&a, "COUNTIF(A1:A9,\">2\")"), "1");
    CHECK_STR(ev(&a, "B4/E4"), "0.75");
    CHECK_STR(ev(&a, "(A1+A2)*2-1"), "9");
    CHECK_STR(ev(&a, "-A1^2"), "4");
    CHECK_STR(ev(&a, "50%"), "0.5");
    CHECK_STR(ev(&a, "1/0"), "#DIV/0!");
    CHECK_STR(ev(&a, "IF(1/0,\"a\",\"b\")"), "#DIV/0!");
    CHECK_STR(ev(&a, "TRIM(G1)&\"|\"&UPPER(\"ab\")&LOWER(\"CD\")&LEN(\"h\xc3\xa9\")"), "a b|ABcd2");
    CHECK_STR(ev(&a, "ISBLANK(E99)"), "bool:TRUE");
    CHECK_STR(ev(&a, "ISBLANK(A1)"), "bool:FALSE");
    CHECK_STR(ev(&a, "AND(F1,F2)"), "bool:FALSE");
    CHECK_STR(ev(&a, "OR(F1:F2)"), "bool:TRUE");
    CHECK_STR(ev(&a, "AND(\"x\")"), "#VALUE!");
    CHECK_STR(ev(&a, "CONCATENATE(\"a\",1,TRUE)"), "a1TRUE");
    CHECK_STR(ev(&a, "IFERROR(1/0,\"z\")"), "z");
    apn_arena_dispose(&a);
}

TEST(formula__eval_lazy_if_and_errors)
{
    apn_arena a = APN_ARENA_INIT;
    grid g = { cells, 0 };
    apn_value v;
    char err[200];
    /* the branch not taken is not looked up (Z99 would fail) */
    CHECK_INT(apn_formula_eval(&v, "IF(C37=\"No\",\"ok\",Z99)", grid_lookup, &g, &a, err,
                               sizeof err), 0);
    CHECK_STR(apn_value_text(&a, &v), "ok");
    /* a lookup failure aborts with its code */
    CHECK_INT(apn_formula_eval(&v, "IF(C37=\"Yes\",\"ok\",Z99)", grid_lookup, &g, &a, err,
                               sizeof err), APN_EIO);
    /* unsupported function: APN_EPARSE naming it */
    CHECK_INT(apn_formula_eval(&v, "VLOOKUP(A1,B1:C9,2)", grid_lookup, &g, &a, err, sizeof err),
              APN_EPARSE);
    CHECK(strstr(err, "VLOOKUP") != NULL);
    /* unsupported function in a skipped branch is still reported */
    CHECK_INT(apn_formula_eval(&v, "IF(TRUE,1,INDIRECT(\"A1\"))", grid_lookup, &g, &a, err,
                               sizeof err), APN_EPARSE);
    CHECK(strstr(err, "INDIRECT") != NULL);
    static const char *const bad[] = { "", "IF(", "\"abc", "A1 +", "(1", "1)", "'Sheet", "'S'A1",
                                       "#FOO", "IF(1,2,3,4)", "NOT()", "A1:", "1e", "XFE1",
                                       "COUNTIF(\"x\",1)", NULL };
    for (const char *const *b = bad; *b; b++) {
        int rc = apn_formula_eval(&v, *b, grid_lookup, &g, &a, err, sizeof err);
        if (rc != APN_EPARSE)
            fprintf(stderr, "formula %s gave %d\n", *b, rc);
        CHECK(rc == APN_EPARSE);
        CHECK(err[0] != 0);
    }
    /* deep nesting is refused, not a stack overflow */
    char deep[4000];
    size_t n = 0;
    for (int i = 0; i < 1000; i++)
        deep[n++] = '(';
    deep[n++] = '1';
    for (int i = 0; i < 1000; i++)
        deep[n++] = ')';
    deep[n] = 0;
    CHECK_INT(apn_formula_eval(&v, deep, grid_lookup, &g, &a, err, sizeof err), APN_EPARSE);
    apn_arena_dispose(&a);
}
