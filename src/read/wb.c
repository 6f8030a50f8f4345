/* wb — interpret a self-assessment workbook into an apn_doc. See wb.h.
 *
 * Sections: 1. the book (every cell, formula evaluation with memo and cycle
 * guard), 2. text helpers, 3. title / validity / version, 4. header detection,
 * 5. rows into items, 6. answers, 7. entry points.
 *
 * Rules worth knowing (docs/formats.md §3, docs/design.md §3-4):
 *  - A requirement sheet has, within its first 20 rows, a header row naming an
 *    ID column, a description column and a Met? column (or, on customer-example
 *    sheets, "Customer Reference" columns whose Met?/Partner Response pairs are
 *    on the row below). Other sheets only feed the title scan and formulas.
 *  - A sheet is a *view* (FTR Results Summary) when at least half of the Met?
 *    cells with content are formulas that reference another sheet: skipped.
 *  - Rows: a requirement ID that is not a question is a control; ".N" questions
 *    feed their control; IDs numbered 000 (CAA-000, SDAT-000) are gate rows
 *    that feed the controls of their prefix; a named row with a description
 *    ("CIS Benchmark Report") is a pseudo item, one per name; a short name
 *    without a description is a section; a second header row that is not a
 *    requirement header (the FTR's feedback block) ends the requirements.
 */
#include "read/wb_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "read/ids.h"

#define HEADER_SCAN_ROWS 20
#define TITLE_SCAN_ROWS 20
#define MAX_REFS 16          /* customer references per row */
#define SECTION_MAX 100      /* longer ID-column text is a note, not a section */
#define EVAL_DEPTH 16        /* formula cells evaluated inside one another (the FTR needs 4) */

/* ==== 1. the book ======================================================== */

typedef struct memo {
    size_t sheet;
    unsigned row, col;
    int state;       /* 0 free slot, 1 being evaluated, 2 done */
    apn_value v;
} memo;

typedef struct sheetx {
    const apn_wb_row **rows;   /* sorted by row number */
    size_t nrows;
    unsigned last_row;
} sheetx;

struct apn_wb_book {
    apn_arena arena;
    apn_wb_sheet *owned;       /* when loaded from an xlsx */
    apn_wb_row **owned_rows;   /* per sheet, apn_malloc'd arrays */
    size_t *owned_cap;
    const apn_wb_sheet *sheets;
    size_t nsheets;
    sheetx *x;
    memo *memo;
    size_t memo_n, memo_cap;
    int ignore_cache;
    int depth;                 /* formula cells being evaluated, nested */
};

static int row_cmp(const void *a, const void *b)
{
    const apn_wb_row *x = *(const apn_wb_row *const *)a, *y = *(const apn_wb_row *const *)b;
    return x->row < y->row ? -1 : x->row > y->row;
}

static int book_index(apn_wb_book *b)
{
    b->x = apn_calloc(b->nsheets ? b->nsheets : 1, sizeof *b->x);
    if (!b->x)
        return APN_ENOMEM;
    for (size_t i = 0; i < b->nsheets; i++) {
        const apn_wb_sheet *s = &b->sheets[i];
        sheetx *x = &b->x[i];
        x->rows = apn_arena_alloc(&b->arena, (s->nrows ? s->nrows : 1) * sizeof *x->rows);
        if (!x->rows)
            return APN_ENOMEM;
        for (size_t r = 0; r < s->nrows; r++) {
            x->rows[r] = &s->rows[r];
            if (s->rows[r].row > x->last_row)
                x->last_row = s->rows[r].row;
        }
        x->nrows = s->nrows;
        /* stable enough: equal row numbers keep a deterministic (first wins) lookup */
        qsort(x->rows, x->nrows, sizeof *x->rows, row_cmp);
    }
    return 0;
}

int apn_wb__book_new(apn_wb_book **out, const apn_wb_sheet *sheets, size_t nsheets)
{
    apn_wb_book *b = apn_calloc(1, sizeof *b);
    *out = NULL;
    if (!b)
        return APN_ENOMEM;
    b->sheets = sheets;
    b->nsheets = nsheets;
    int rc = book_index(b);
    if (rc < 0) {
        apn_wb__book_free(b);
        return rc;
    }
    *out = b;
    return 0;
}

void apn_wb__book_free(apn_wb_book *b)
{
    if (!b)
        return;
    if (b->owned_rows) {
        for (size_t i = 0; i < b->nsheets; i++)
            apn_free(b->owned_rows[i]);
    }
    apn_free(b->owned_rows);
    apn_free(b->owned_cap);
    apn_free(b->owned);
    apn_free(b->x);
    apn_free(b->memo);
    apn_arena_dispose(&b->arena);
    apn_free(b);
}

size_t apn_wb__book_nsheets(const apn_wb_book *b) { return b->nsheets; }
const apn_wb_sheet *apn_wb__book_sheet(const apn_wb_book *b, size_t i)
{
    return i < b->nsheets ? &b->sheets[i] : NULL;
}

typedef struct load_ctx { apn_wb_book *b; size_t sheet; } load_ctx;

static int load_row(void *ud, unsigned row, const apn_cell *cells, size_t ncells)
{
    load_ctx *c = ud;
    apn_wb_book *b = c->b;
    apn_wb_sheet *s = &b->owned[c->sheet];
    if (apn_grow(&b->owned_rows[c->sheet], &b->owned_cap[c->sheet], s->nrows + 1,
                 sizeof **b->owned_rows) < 0)
        return APN_ENOMEM;
    apn_cell *copy = apn_arena_alloc(&b->arena, (ncells ? ncells : 1) * sizeof *copy);
    if (!copy)
        return APN_ENOMEM;
    for (size_t i = 0; i < ncells; i++) {
        copy[i] = cells[i];
        copy[i].text = apn_arena_strdup(&b->arena, cells[i].text ? cells[i].text : "");
        copy[i].formula = cells[i].formula ? apn_arena_strdup(&b->arena, cells[i].formula) : NULL;
        if (!copy[i].text || (cells[i].formula && !copy[i].formula))
            return APN_ENOMEM;
    }
    apn_wb_row *r = &b->owned_rows[c->sheet][s->nrows++];
    r->row = row;
    r->cells = copy;
    r->ncells = ncells;
    s->rows = b->owned_rows[c->sheet];
    return 0;
}

int apn_wb__load(apn_wb_book **out, apn_xlsx *x)
{
    int rc = 0;
    apn_wb_book *b = apn_calloc(1, sizeof *b);
    *out = NULL;
    if (!b)
        return APN_ENOMEM;
    b->nsheets = apn_xlsx_nsheets(x);
    size_t n = b->nsheets ? b->nsheets : 1;
    b->owned = apn_calloc(n, sizeof *b->owned);
    b->owned_rows = apn_calloc(n, sizeof *b->owned_rows);
    b->owned_cap = apn_calloc(n, sizeof *b->owned_cap);
    if (!b->owned || !b->owned_rows || !b->owned_cap) {
        rc = APN_ENOMEM;
        goto cleanup;
    }
    b->sheets = b->owned;
    for (size_t i = 0; i < b->nsheets; i++) {
        const char *name = apn_xlsx_sheet_name(x, i);
        b->owned[i].name = apn_arena_strdup(&b->arena, name ? name : "");
        b->owned[i].hidden = apn_xlsx_sheet_hidden(x, i);
        if (!b->owned[i].name) {
            rc = APN_ENOMEM;
            goto cleanup;
        }
        load_ctx c = { b, i };
        rc = apn_xlsx_read_sheet(x, i, load_row, &c);
        if (rc < 0)
            goto cleanup;
        rc = 0;
    }
    rc = book_index(b);
cleanup:
    if (rc < 0)
        apn_wb__book_free(b);
    else
        *out = b;
    return rc;
}

static const apn_cell *book_cell(const apn_wb_book *b, size_t sheet, unsigned row, unsigned col)
{
    if (sheet >= b->nsheets)
        return NULL;
    const sheetx *x = &b->x[sheet];
    size_t lo = 0, hi = x->nrows;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (x->rows[mid]->row < row)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == x->nrows || x->rows[lo]->row != row)
        return NULL;
    const apn_wb_row *r = x->rows[lo];
    size_t a = 0, z = r->ncells;
    while (a < z) {
        size_t mid = (a + z) / 2;
        if (r->cells[mid].col < col)
            a = mid + 1;
        else
            z = mid;
    }
    return a < r->ncells && r->cells[a].col == col ? &r->cells[a] : NULL;
}

static const apn_wb_row *book_row(const apn_wb_book *b, size_t sheet, size_t i)
{
    return b->x[sheet].rows[i];
}

static int cached_empty(const apn_cell *c)
{
    return c->type == APN_CELL_EMPTY || !c->text || !c->text[0];
}

static apn_value cached_value(const apn_cell *c)
{
    apn_value v = { APN_V_EMPTY, 0, 0, NULL };
    switch (c->type) {
    case APN_CELL_STRING:
        if (c->text && c->text[0]) {
            v.type = APN_V_STR;
            v.str = c->text;
        }
        break;
    case APN_CELL_NUMBER:
        v.type = APN_V_NUM;
        v.num = strtod(c->text ? c->text : "0", NULL);
        break;
    case APN_CELL_BOOL:
        v.type = APN_V_BOOL;
        v.b = c->text && (!strcasecmp(c->text, "TRUE") || !strcmp(c->text, "1"));
        break;
    case APN_CELL_ERROR:
        v.type = APN_V_ERR;
        v.str = c->text && c->text[0] ? c->text : "#VALUE!";
        break;
    default:
        break;
    }
    return v;
}

static size_t memo_slot(const apn_wb_book *b, size_t sheet, unsigned row, unsigned col)
{
    size_t h = (sheet * 0x9E3779B97F4A7C15ull) ^ ((size_t)row * 0x85EBCA6Bu) ^ (col * 0xC2B2AE35u);
    size_t mask = b->memo_cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        const memo *m = &b->memo[i];
        if (!m->state || (m->sheet == sheet && m->row == row && m->col == col))
            return i;
    }
}

static int memo_grow(apn_wb_book *b)
{
    if (b->memo_cap && (b->memo_n + 1) * 2 <= b->memo_cap)
        return 0;
    size_t ncap = b->memo_cap ? b->memo_cap * 2 : 256;
    memo *old = b->memo;
    size_t ocap = b->memo_cap;
    b->memo = apn_calloc(ncap, sizeof *b->memo);
    if (!b->memo) {
        b->memo = old;
        return APN_ENOMEM;
    }
    b->memo_cap = ncap;
    for (size_t i = 0; i < ocap; i++)
        if (old[i].state)
            b->memo[memo_slot(b, old[i].sheet, old[i].row, old[i].col)] = old[i];
    apn_free(old);
    return 0;
}

typedef struct eval_ctx { apn_wb_book *b; size_t sheet; } eval_ctx;

static int eval_at(apn_value *out, apn_wb_book *b, size_t sheet, unsigned row, unsigned col,
                   char *err, size_t errlen);

static int book_lookup(void *ud, const char *sheet, unsigned row, unsigned col, apn_value *out)
{
    eval_ctx *c = ud;
    size_t s = c->sheet;
    if (sheet) {
        for (s = 0; s < c->b->nsheets; s++)
            if (!strcasecmp(c->b->sheets[s].name, sheet))
                break;
        if (s == c->b->nsheets) {
            /* no such sheet: #REF!, and nothing to scan in its columns */
            out->type = row ? APN_V_ERR : APN_V_NUM;
            out->str = "#REF!";
            out->num = 0;
            return 0;
        }
    }
    if (row == 0) {   /* extent of whole-column ranges */
        out->type = APN_V_NUM;
        out->num = c->b->x[s].last_row;
        return 0;
    }
    char err[8];
    int rc = eval_at(out, c->b, s, row, col, err, sizeof err);
    if (rc == APN_EPARSE) {
        /* a referenced formula we cannot evaluate is an error value here */
        out->type = APN_V_ERR;
        out->str = "#NAME?";
        return 0;
    }
    return rc;
}

static int eval_at(apn_value *out, apn_wb_book *b, size_t sheet, unsigned row, unsigned col,
                   char *err, size_t errlen)
{
    const apn_cell *c = book_cell(b, sheet, row, col);
    int rc;
    memset(out, 0, sizeof *out);
    if (err && errlen)
        err[0] = 0;
    if (!c)
        return 0;
    if (!c->formula || (!b->ignore_cache && !cached_empty(c))) {
        *out = cached_value(c);
        return 0;
    }
    if ((rc = memo_grow(b)) < 0)
        return rc;
    size_t i = memo_slot(b, sheet, row, col);
    if (b->memo[i].state == 2) {
        *out = b->memo[i].v;
        return 0;
    }
    if (b->memo[i].state == 1) {
        out->type = APN_V_ERR;   /* circular reference */
        out->str = "#CIRCULAR!";
        return 0;
    }
    if (b->depth >= EVAL_DEPTH) {
        /* bounded: each level holds a parser's stack */
        if (err && errlen)
            snprintf(err, errlen, "formulas refer to formulas more than %d deep", EVAL_DEPTH);
        return APN_ELIMIT;
    }
    b->memo[i] = (memo){ sheet, row, col, 1, { APN_V_EMPTY, 0, 0, NULL } };
    b->memo_n++;
    eval_ctx ctx = { b, sheet };
    apn_value v;
    b->depth++;
    rc = apn_formula_eval(&v, c->formula, book_lookup, &ctx, &b->arena, err, errlen);
    b->depth--;
    i = memo_slot(b, sheet, row, col);   /* the table may have grown meanwhile */
    if (rc < 0) {
        v.type = APN_V_ERR;
        v.str = "#NAME?";
    }
    b->memo[i].v = v;
    b->memo[i].state = 2;
    *out = v;
    return rc;
}

int apn_wb__eval_cell(apn_value *out, apn_wb_book *b, size_t sheet, unsigned row, unsigned col,
                      int ignore_cache, char *err, size_t errlen)
{
    b->ignore_cache = ignore_cache;
    return eval_at(out, b, sheet, row, col, err, errlen);
}

/* ==== 2. text helpers ===================================================== */

static const char *cell_text(const apn_wb_book *b, size_t sheet, unsigned row, int col)
{
    if (col < 0)
        return "";
    const apn_cell *c = book_cell(b, sheet, row, (unsigned)col);
    return c && c->text ? c->text : "";
}

static int blank(const char *s)
{
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return 0;
    return 1;
}

/* Lower-cased, whitespace-collapsed, trimmed copy of s into buf. */
static void norm(char *buf, size_t len, const char *s)
{
    size_t n = 0;
    int space = 0;
    while (*s && isspace((unsigned char)*s))
        s++;
    for (; *s && n + 1 < len; s++) {
        if (isspace((unsigned char)*s)) {
            space = 1;
            continue;
        }
        if (space && n + 2 < len)
            buf[n++] = ' ';
        space = 0;
        buf[n++] = (char)tolower((unsigned char)*s);
    }
    buf[n] = 0;
}

/* Copies s trimmed of surrounding whitespace into the doc's arena. */
static const char *dup_trim(apn_doc *doc, const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return apn_doc_strn(doc, s, n);
}

static void col_name(char *buf, unsigned col)
{
    char tmp[8];
    int n = 0;
    col++;
    while (col && n < 7) {
        tmp[n++] = (char)('A' + (col - 1) % 26);
        col = (col - 1) / 26;
    }
    int k = 0;
    while (n)
        buf[k++] = tmp[--n];
    buf[k] = 0;
}

/* "Sheet!C7" in the doc's arena (written by hand: one per row read). */
static const char *locus(apn_doc *doc, const char *sheet, unsigned row, int col)
{
    char c[8], num[12];
    size_t nn = 0;
    col_name(c, col < 0 ? 0 : (unsigned)col);
    do
        num[sizeof num - 1 - nn++] = (char)('0' + row % 10);
    while ((row /= 10) != 0);
    size_t ns = strlen(sheet), nc = strlen(c);
    char *d = apn_arena_alloc(&doc->arena, ns + 1 + nc + nn + 1);
    if (!d)
        return NULL;
    memcpy(d, sheet, ns);
    d[ns] = '!';
    memcpy(d + ns + 1, c, nc);
    memcpy(d + ns + 1 + nc, num + sizeof num - nn, nn);
    d[ns + 1 + nc + nn] = 0;
    return d;
}

/* strcasestr for an ASCII needle, without the locale's tolower per byte. */
static const char *ci_find(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    unsigned char f = (unsigned char)tolower((unsigned char)needle[0]);
    unsigned char F = (unsigned char)toupper((unsigned char)needle[0]);
    for (const char *p = hay; *p; p++)
        if (((unsigned char)*p == f || (unsigned char)*p == F) && !strncasecmp(p, needle, n))
            return p;
    return NULL;
}

/* ==== 3. title, validity, version ========================================= */

static int names_programme(const char *line, size_t n)
{
    static const char *const pats[] = { "Competency", "Foundational Technical Review",
                                        "Service Delivery", "Service Ready",
                                        "Managed Service Provider", "MSP Program",
                                        "Validation Checklist" };
    char tmp[256];
    if (n >= sizeof tmp)
        return 0;
    memcpy(tmp, line, n);
    tmp[n] = 0;
    for (size_t i = 0; i < sizeof pats / sizeof *pats; i++)
        if (strstr(tmp, pats[i]))
            return 1;
    return 0;
}

/* Looks at cell ci of row r for the validity period, the version (a "Version"
 * label with its value on the right) and the title line. */
static int scan_title_cell(apn_doc *doc, const apn_wb_row *r, size_t ci)
{
    const char *t = r->cells[ci].text;
    if (!t || r->cells[ci].type != APN_CELL_STRING)
        return 0;
    const char *v = ci_find(t, "Validity Period:");
    if (v && !doc->validity) {
        v += strlen("Validity Period:");
        size_t n = strcspn(v, "\r\n");
        doc->validity = dup_trim(doc, v, n);
        if (!doc->validity)
            return APN_ENOMEM;
    }
    char lab[32];
    norm(lab, sizeof lab, t);
    if (!doc->version && (!strcmp(lab, "version") || !strcmp(lab, "version:"))) {
        for (size_t k = ci + 1; k < r->ncells; k++)
            if (r->cells[k].text && !blank(r->cells[k].text)) {
                doc->version = dup_trim(doc, r->cells[k].text, strlen(r->cells[k].text));
                if (!doc->version)
                    return APN_ENOMEM;
                break;
            }
    } else if (!doc->version && !strncasecmp(t, "Version:", 8) && strlen(t) < 40) {
        doc->version = dup_trim(doc, t + 8, strcspn(t + 8, "\r\n"));
        if (!doc->version)
            return APN_ENOMEM;
    }
    if (!doc->title && r->row <= 5) {
        const char *p = t;
        while (*p && isspace((unsigned char)*p))
            p++;
        size_t n = strcspn(p, "\r\n");
        if (n && n <= 150 && names_programme(p, n)) {   /* a title, not a paragraph */
            doc->title = dup_trim(doc, p, n);
            if (!doc->title)
                return APN_ENOMEM;
            /* the second line, when it names the checklist, is the subtitle */
            const char *q = p + n;
            while (*q == '\r' || *q == '\n' || *q == ' ')
                q++;
            size_t m = strcspn(q, "\r\n");
            if (m && m < 200) {
                char tmp[200];
                memcpy(tmp, q, m);
                tmp[m] = 0;
                if (strstr(tmp, "Checklist") && !strcasestr(tmp, "Validity")) {
                    doc->subtitle = dup_trim(doc, q, m);
                    if (!doc->subtitle)
                        return APN_ENOMEM;
                }
            }
        }
    }
    return 0;
}

static int scan_titles(apn_doc *doc, const apn_wb_book *b)
{
    for (size_t s = 0; s < b->nsheets; s++)
        for (size_t i = 0; i < b->x[s].nrows; i++) {
            const apn_wb_row *r = book_row(b, s, i);
            if (r->row > TITLE_SCAN_ROWS)
                break;
            for (size_t c = 0; c < r->ncells; c++) {
                int rc = scan_title_cell(doc, r, c);
                if (rc < 0)
                    return rc;
            }
        }
    if (!doc->title) {
        const char *base = strrchr(doc->path ? doc->path : "", '/');
        doc->title = apn_doc_str(doc, base ? base + 1 : (doc->path ? doc->path : ""));
        if (!doc->title)
            return APN_ENOMEM;
    }
    return 0;
}

/* ==== 4. header detection ================================================= */

typedef struct hdr {
    unsigned row;
    int id, desc, met, resp, approval;
    int cust;                       /* customer-example layout */
    int nref;
    int rmet[MAX_REFS], rresp[MAX_REFS];
} hdr;

static int is_id_label(const char *n)
{
    char a[32];
    size_t k = 0;
    for (; *n && k + 1 < sizeof a; n++)
        if (isalnum((unsigned char)*n))
            a[k++] = *n;
    a[k] = 0;
    return !strcmp(a, "id") || !strcmp(a, "requirementid") || !strcmp(a, "controlid") ||
           !strcmp(a, "reqid");
}

static int is_met_label(const char *n)
{
    return !strncmp(n, "met", 3) && !isalpha((unsigned char)n[3]);
}

/* Tries row r (and the row below, for customer-reference sub-headers) as a
 * requirement header. Returns 1 and fills h when it is one. */
static int detect_header(const apn_wb_row *r, const apn_wb_row *below, hdr *h)
{
    char n[64];
    memset(h, 0, sizeof *h);
    h->id = h->desc = h->met = h->resp = h->approval = -1;
    h->row = r->row;
    int refs = 0;
    for (size_t i = 0; i < r->ncells; i++) {
        if (r->cells[i].type != APN_CELL_STRING || !r->cells[i].text)
            continue;
        norm(n, sizeof n, r->cells[i].text);
        int col = (int)r->cells[i].col;
        if (h->id < 0 && is_id_label(n))
            h->id = col;
        else if (h->desc < 0 && (!strncmp(n, "requirement", 11) || strstr(n, "description")))
            h->desc = col;
        else if (h->met < 0 && is_met_label(n))
            h->met = col;
        else if (h->resp < 0 && !strncmp(n, "partner response", 16))
            h->resp = col;
        else if (h->approval < 0 && !strncmp(n, "approval", 8))
            h->approval = col;
        else if (strstr(n, "customer reference"))
            refs++;
    }
    if (h->id < 0 || h->desc < 0)
        return 0;
    if (refs && below && below->row == r->row + 1) {
        /* Met? / Partner Response pairs on the sub-header row */
        for (size_t i = 0; i < below->ncells && h->nref < MAX_REFS; i++) {
            if (below->cells[i].type != APN_CELL_STRING || !below->cells[i].text)
                continue;
            norm(n, sizeof n, below->cells[i].text);
            if (is_met_label(n)) {
                h->rmet[h->nref] = (int)below->cells[i].col;
                h->rresp[h->nref] = -1;
                h->nref++;
            } else if (!strncmp(n, "partner response", 16) && h->nref &&
                       h->rresp[h->nref - 1] < 0) {
                h->rresp[h->nref - 1] = (int)below->cells[i].col;
            }
        }
        if (h->nref) {
            h->cust = 1;
            return 1;
        }
    }
    return h->met >= 0;
}

/* ==== 5. rows into items ================================================== */

typedef enum { CTL_PRACTICE, CTL_PSEUDO } ctlkind;

typedef struct ctl {
    size_t item;
    char id[APN_ID_MAX];      /* canonical, "" for pseudo items */
    size_t sheet;
    unsigned row;
    hdr h;                    /* the columns in force for this row */
    ctlkind kind;
    int nq;                   /* question rows */
    long gate;                /* index into gates, -1 none */
} ctl;

typedef struct qrow { size_t ctl; size_t sheet; unsigned row; int metcol; } qrow;
typedef struct gate { size_t sheet; unsigned row; int metcol; char prefix[APN_ID_MAX]; } gate;

typedef struct reader {
    apn_doc *doc;
    apn_wb_book *b;
    ctl *ctls;
    size_t nctls, capctls;
    qrow *qs;
    size_t nqs, capqs;
    gate *gates;
    size_t ngates, capgates;
    size_t *ids;              /* open addressing over the controls' ids: index + 1, 0 free */
    size_t capids, nids;
} reader;

static size_t id_hash(const char *id)
{
    size_t h = 14695981039346656037u;
    for (; *id; id++)
        h = (h ^ (unsigned char)*id) * 1099511628211u;
    return h;
}

/* The control with this (canonical, non-empty) id, or -1. Ids of controls are
 * unique: a second row with one is a question or a duplicate, never added. */
static long find_ctl(const reader *rd, const char *id)
{
    if (!rd->capids)
        return -1;
    for (size_t i = id_hash(id) & (rd->capids - 1);; i = (i + 1) & (rd->capids - 1)) {
        size_t k = rd->ids[i];
        if (!k)
            return -1;
        if (!strcmp(rd->ctls[k - 1].id, id))
            return (long)(k - 1);
    }
}

/* Indexes control c by its id. Returns 0 or APN_ENOMEM. */
static int index_ctl(reader *rd, size_t c)
{
    if ((rd->nids + 1) * 2 > rd->capids) {
        size_t cap = rd->capids ? rd->capids * 2 : 64;
        size_t *t = apn_calloc(cap, sizeof *t);
        if (!t)
            return APN_ENOMEM;
        for (size_t i = 0; i < rd->capids; i++) {
            size_t k = rd->ids[i];
            if (!k)
                continue;
            size_t j = id_hash(rd->ctls[k - 1].id) & (cap - 1);
            while (t[j])
                j = (j + 1) & (cap - 1);
            t[j] = k;
        }
        apn_free(rd->ids);
        rd->ids = t;
        rd->capids = cap;
    }
    size_t j = id_hash(rd->ctls[c].id) & (rd->capids - 1);
    while (rd->ids[j])
        j = (j + 1) & (rd->capids - 1);
    rd->ids[j] = c + 1;
    rd->nids++;
    return 0;
}

static long find_pseudo(const reader *rd, const char *name)
{
    for (size_t i = 0; i < rd->nctls; i++)
        if (rd->ctls[i].kind == CTL_PSEUDO &&
            !strcasecmp(rd->doc->items[rd->ctls[i].item].raw_id, name))
            return (long)i;
    return -1;
}

static int add_question(reader *rd, size_t c, size_t sheet, unsigned row, int metcol)
{
    if (apn_grow(&rd->qs, &rd->capqs, rd->nqs + 1, sizeof *rd->qs) < 0)
        return APN_ENOMEM;
    rd->qs[rd->nqs++] = (qrow){ c, sheet, row, metcol };
    rd->ctls[c].nq++;
    return 0;
}

/* A view: at least half of the Met? cells with content are formulas into another sheet. */
static int sheet_is_view(const apn_wb_book *b, size_t s, const hdr *h)
{
    size_t n = 0, refs = 0;
    for (size_t i = 0; i < b->x[s].nrows; i++) {
        const apn_wb_row *r = book_row(b, s, i);
        if (r->row <= h->row)
            continue;
        int cols[MAX_REFS + 1], nc = 0;
        if (h->met >= 0)
            cols[nc++] = h->met;
        for (int k = 0; k < h->nref; k++)
            cols[nc++] = h->rmet[k];
        for (int k = 0; k < nc; k++) {
            const apn_cell *c = book_cell(b, s, r->row, (unsigned)cols[k]);
            if (!c || (!c->formula && blank(c->text ? c->text : "")))
                continue;
            n++;
            refs += c->formula && strchr(c->formula, '!');
        }
    }
    return n && refs * 2 >= n;
}

/* The title of a control: the description's first non-empty line, without a
 * leading copy of the ID ("WIDP-001: ...", "WIDP-001 - ..."). */
static const char *control_title(apn_doc *doc, const char *raw_id, const char *desc)
{
    const char *p = desc;
    while (isspace((unsigned char)*p))   /* blank leading lines too */
        p++;
    size_t n = strcspn(p, "\r\n");
    char id[APN_ID_MAX];
    size_t k = 0;
    while (raw_id[k] && k + 1 < sizeof id) {
        id[k] = raw_id[k];
        k++;
    }
    id[k] = 0;
    while (k && isspace((unsigned char)id[k - 1]))
        id[--k] = 0;
    if (k && n > k && !strncasecmp(p, id, k) && !isalnum((unsigned char)p[k])) {
        const char *q = p + k;
        const char *end = p + n;
        while (q < end && isspace((unsigned char)*q))
            q++;
        /* a separator: ':' '-' '.' or a Unicode dash (en/em: E2 80 93/94) */
        if (q < end && (*q == ':' || *q == '-' || *q == '.'))
            q++;
        else if (end - q >= 3 && (unsigned char)q[0] == 0xE2 && (unsigned char)q[1] == 0x80 &&
                 ((unsigned char)q[2] == 0x93 || (unsigned char)q[2] == 0x94))
            q += 3;
        while (q < end && isspace((unsigned char)*q))
            q++;
        if (q < end) {
            n -= (size_t)(q - p);
            p = q;
        }
    }
    char *t = (char *)dup_trim(doc, p, n);
    if (t)
        apn_text_squeeze(t);
    return t;
}

static int looks_like_code_word(const char *s)
{
    /* "USE-CASE": one word of capitals, digits and hyphens */
    int letters = 0;
    for (; *s; s++) {
        if (isupper((unsigned char)*s))
            letters++;
        else if (!isdigit((unsigned char)*s) && *s != '-' && *s != '_')
            return 0;
    }
    return letters > 0;
}

static int has_letter(const char *s)
{
    for (; *s; s++)
        if (isalpha((unsigned char)*s))
            return 1;
    return 0;
}

/* "Widgets Cust Example Reqs", "Common Customer Example Requirements" */
static int is_customer_sheet(const char *name)
{
    return ci_find(name, "cust") && ci_find(name, "example");
}

static int read_sheet_rows(reader *rd, size_t s)
{
    apn_doc *doc = rd->doc;
    apn_wb_book *b = rd->b;
    const char *sname = b->sheets[s].name;
    hdr h;
    int found = 0;
    size_t i;
    for (i = 0; i < b->x[s].nrows; i++) {
        const apn_wb_row *r = book_row(b, s, i);
        if (r->row > HEADER_SCAN_ROWS)
            break;
        const apn_wb_row *below = i + 1 < b->x[s].nrows ? book_row(b, s, i + 1) : NULL;
        if (detect_header(r, below, &h)) {
            found = 1;
            break;
        }
    }
    if (!found || sheet_is_view(b, s, &h))
        return 0;
    int cust_sheet = is_customer_sheet(sname);
    const char *section = NULL;
    long cur = -1;       /* the control the next question rows belong to */
    int active = 1;
    for (i++; i < b->x[s].nrows; i++) {
        const apn_wb_row *r = book_row(b, s, i);
        const char *idt = cell_text(b, s, r->row, h.id);
        const char *desc = cell_text(b, s, r->row, h.desc);
        char n[64];
        if (blank(idt))
            continue;
        norm(n, sizeof n, idt);
        if (is_id_label(n)) {
            /* another header: a requirement header re-maps, any other ends the block */
            const apn_wb_row *below = i + 1 < b->x[s].nrows ? book_row(b, s, i + 1) : NULL;
            hdr h2;
            active = detect_header(r, below, &h2);
            if (active)
                h = h2;
            cur = -1;
            continue;
        }
        if (!active)
            continue;
        if (r->row == h.row + 1 && h.cust)
            continue;   /* the sub-header row */
        apn_id id;
        const char *loc = locus(doc, sname, r->row, h.id);
        if (!loc)
            return APN_ENOMEM;
        if (apn_id_parse(&id, idt) < 0) {
            size_t len = strlen(idt);
            if (blank(desc) || looks_like_code_word(idt)) {
                /* a section row (or a long note, which changes nothing) */
                if (len <= SECTION_MAX && !strchr(idt, '\n')) {
                    const char *name = blank(desc) ? idt : desc;
                    section = dup_trim(doc, name, strcspn(name, "\r\n"));
                    if (!section)
                        return APN_ENOMEM;
                }
                cur = -1;
                continue;
            }
            if (len > SECTION_MAX || strchr(idt, '\n') || !strchr(idt, ' ') ||
                !has_letter(idt)) {
                apn_doc_diag(doc, APN_SEV_WARNING, loc,
                             "\"%.40s\" is not a requirement ID: row skipped", idt);
                continue;
            }
            /* a named item without a numbered ID: one pseudo item per name */
            const char *name = dup_trim(doc, idt, len);
            if (!name)
                return APN_ENOMEM;
            if (find_pseudo(rd, name) >= 0) {
                cur = -1;
                continue;
            }
            apn_item *it = apn_doc_add_item(doc);
            if (!it || apn_grow(&rd->ctls, &rd->capctls, rd->nctls + 1, sizeof *rd->ctls) < 0)
                return APN_ENOMEM;
            it->kind = APN_ITEM_PSEUDO;
            it->raw_id = name;
            it->title = name;
            it->description = dup_trim(doc, desc, strlen(desc));
            it->section = section;
            it->locus = loc;
            it->customer_example =
                cust_sheet || h.cust || (section && is_customer_sheet(section));
            rd->ctls[rd->nctls] = (ctl){ doc->nitems - 1, "", s, r->row, h, CTL_PSEUDO, 0, -1 };
            rd->nctls++;
            cur = -1;
            continue;
        }
        if (id.question) {
            long c = find_ctl(rd, id.id);
            if (blank(desc)) {
                apn_doc_diag(doc, APN_SEV_WARNING, loc,
                             "question row %.40s has no description: skipped", idt);
                continue;
            }
            if (c < 0) {
                apn_doc_diag(doc, APN_SEV_WARNING, loc,
                             "question %s.%s has no control row above it: skipped", id.id,
                             id.question_no);
                continue;
            }
            if (add_question(rd, (size_t)c, s, r->row, h.met) < 0)
                return APN_ENOMEM;
            continue;
        }
        size_t idl = strlen(id.id);
        if (idl >= 4 && !strcmp(id.id + idl - 4, "-000")) {
            /* a gate row: answers whether the controls of its prefix apply */
            if (apn_grow(&rd->gates, &rd->capgates, rd->ngates + 1, sizeof *rd->gates) < 0)
                return APN_ENOMEM;
            gate *g = &rd->gates[rd->ngates++];
            g->sheet = s;
            g->row = r->row;
            g->metcol = h.met;
            snprintf(g->prefix, sizeof g->prefix, "%s", id.prefix);
            cur = -1;
            continue;
        }
        long dup = find_ctl(rd, id.id);
        if (dup >= 0) {
            if (dup == cur) {
                apn_doc_diag(doc, APN_SEV_WARNING, loc,
                             "%s repeated under its own control row: read as its question",
                             id.id);
                if (add_question(rd, (size_t)dup, s, r->row, h.met) < 0)
                    return APN_ENOMEM;
            } else {
                apn_doc_diag(doc, APN_SEV_WARNING, loc, "duplicate of %s (first at %s): skipped",
                             id.id, doc->items[rd->ctls[dup].item].locus);
            }
            continue;
        }
        if (blank(desc)) {
            /* a numbered row without a description marks a section */
            section = dup_trim(doc, idt, strlen(idt));
            if (!section)
                return APN_ENOMEM;
            cur = -1;
            continue;
        }
        apn_item *it = apn_doc_add_item(doc);
        if (!it || apn_grow(&rd->ctls, &rd->capctls, rd->nctls + 1, sizeof *rd->ctls) < 0)
            return APN_ENOMEM;
        it->kind = APN_ITEM_CONTROL;
        it->raw_id = dup_trim(doc, idt, strlen(idt));
        it->description = dup_trim(doc, desc, strlen(desc));
        it->title = it->raw_id && it->description ? control_title(doc, it->raw_id, desc) : NULL;
        it->section = section;
        it->locus = loc;
        it->customer_example =
            cust_sheet || h.cust || (section && is_customer_sheet(section));
        if (!it->raw_id || !it->description || !it->title)
            return APN_ENOMEM;
        ctl *c = &rd->ctls[rd->nctls];
        *c = (ctl){ doc->nitems - 1, "", s, r->row, h, CTL_PRACTICE, 0, -1 };
        snprintf(c->id, sizeof c->id, "%s", id.id);
        for (size_t g = rd->ngates; g-- > 0;)
            if (rd->gates[g].sheet == s && !strcmp(rd->gates[g].prefix, id.prefix)) {
                c->gate = (long)g;
                break;
            }
        if (index_ctl(rd, rd->nctls) < 0)
            return APN_ENOMEM;
        cur = (long)rd->nctls++;
    }
    return 0;
}

/* ==== 6. answers =========================================================== */

/* The value of a cell as text, evaluating a formula without a cached value.
 * *text is "" for an empty cell. Returns 0, APN_ENOMEM, or 1 when
 * the formula could not be evaluated (unsupported, or too large: diagnostic
 * added; the caller falls back). */
static int value_text(reader *rd, size_t s, unsigned row, int col, const char **text)
{
    char err[200];
    apn_value v;
    *text = "";
    if (col < 0)
        return 0;
    const apn_cell *c = book_cell(rd->b, s, row, (unsigned)col);
    if (!c)
        return 0;
    int rc = apn_wb__eval_cell(&v, rd->b, s, row, (unsigned)col, 0, err, sizeof err);
    if (rc == APN_EPARSE || rc == APN_ELIMIT) {
        const char *loc = locus(rd->doc, rd->b->sheets[s].name, row, col);
        apn_doc_diag(rd->doc, APN_SEV_WARNING, loc ? loc : "", "formula not evaluated: %s", err);
        return 1;
    }
    if (rc < 0)
        return rc;
    *text = apn_value_text(&rd->b->arena, &v);
    return *text ? 0 : APN_ENOMEM;
}

/* A partner's own words: the cell's text when it is typed, not computed. */
static const char *response_text(reader *rd, size_t s, unsigned row, int col)
{
    if (col < 0)
        return NULL;
    const apn_cell *c = book_cell(rd->b, s, row, (unsigned)col);
    if (!c || c->formula || !c->text || blank(c->text))
        return NULL;
    return c->text;
}

/* An input cell (question, practice Met?): its raw text, parsed. */
static apn_met input_met(reader *rd, size_t s, unsigned row, int col, int *answered,
                         int warn)
{
    const char *t = cell_text(rd->b, s, row, col);
    int unknown = 0;
    apn_met m = apn_met_parse(t, &unknown);
    if (answered)
        *answered = m != APN_MET_NONE || unknown;
    if (unknown && warn) {
        const char *loc = locus(rd->doc, rd->b->sheets[s].name, row, col);
        apn_doc_diag(rd->doc, APN_SEV_WARNING, loc ? loc : "",
                     "unrecognised answer \"%.40s\": read as unanswered", t);
    }
    return m;
}

/* The Pass/Fail cell of a control row: the "Approval ..." column when the row
 * has one there, else any cell of the row whose formula yields "Pass"/"Fail". */
static int passfail_col(reader *rd, const ctl *c)
{
    const apn_cell *cell;
    if (c->h.approval >= 0 &&
        (cell = book_cell(rd->b, c->sheet, c->row, (unsigned)c->h.approval)) &&
        (cell->formula || !blank(cell->text)))
        return c->h.approval;
    const sheetx *x = &rd->b->x[c->sheet];
    for (size_t i = 0; i < x->nrows; i++) {
        const apn_wb_row *r = x->rows[i];
        if (r->row != c->row)
            continue;
        for (size_t k = 0; k < r->ncells; k++) {
            const apn_cell *ce = &r->cells[k];
            if ((int)ce->col == c->h.met || (int)ce->col == c->h.id)
                continue;
            if (ce->formula && strcasestr(ce->formula, "\"Pass\"") &&
                strcasestr(ce->formula, "\"Fail\""))
                return (int)ce->col;
        }
        break;
    }
    return -1;
}

static int answer_ctl(reader *rd, ctl *c)
{
    apn_doc *doc = rd->doc;
    apn_item *it = &doc->items[c->item];
    const char *resp = NULL;
    apn_met met = APN_MET_NONE;
    int rc;
    if (c->h.cust && c->kind == CTL_PRACTICE) {
        int yes = 0, no = 0, na = 0;
        apn_buf all = APN_BUF_INIT;
        for (int k = 0; k < c->h.nref; k++) {
            apn_met m = input_met(rd, c->sheet, c->row, c->h.rmet[k], NULL, 1);
            yes += m == APN_MET_YES;
            no += m == APN_MET_NO;
            na += m == APN_MET_NA;
            const char *r = response_text(rd, c->sheet, c->row, c->h.rresp[k]);
            if (r) {
                if (all.len)
                    apn_buf_putc(&all, '\n');
                apn_buf_puts(&all, r);
            }
        }
        met = no ? APN_MET_NO : yes ? APN_MET_YES : na ? APN_MET_NA : APN_MET_NONE;
        if (all.len)
            resp = apn_doc_str(doc, apn_buf_cstr(&all));
        int oom = all.oom || (all.len && !resp);
        apn_buf_dispose(&all);
        if (oom)
            return APN_ENOMEM;
    } else if (c->nq == 0 && c->gate < 0) {
        /* a practice row (or pseudo item): its own Met? cell */
        const apn_cell *cell = c->h.met >= 0
            ? book_cell(rd->b, c->sheet, c->row, (unsigned)c->h.met) : NULL;
        if (cell && cell->formula) {
            const char *t;
            if ((rc = value_text(rd, c->sheet, c->row, c->h.met, &t)) < 0)
                return rc;
            met = rc == 0 ? apn_met_parse(t, NULL) : APN_MET_NONE;
        } else {
            met = input_met(rd, c->sheet, c->row, c->h.met, NULL, c->kind == CTL_PRACTICE);
            if (c->kind == CTL_PSEUDO && met == APN_MET_NONE) {
                /* "CIS v5.0": an answer that is not yes/no is kept as the response */
                int unknown = 0;
                const char *t = cell_text(rd->b, c->sheet, c->row, c->h.met);
                apn_met_parse(t, &unknown);
                if (unknown)
                    resp = apn_doc_str(doc, t);
            }
        }
    } else {
        /* a control with questions (the FTR): the workbook's own Pass/Fail decides */
        int any = 0, all_yes = 1, any_no = 0;
        for (size_t q = 0; q < rd->nqs; q++) {
            if (rd->qs[q].ctl != (size_t)(c - rd->ctls))
                continue;
            int answered;
            apn_met m = input_met(rd, rd->qs[q].sheet, rd->qs[q].row, rd->qs[q].metcol,
                                  &answered, 0);
            any |= answered;
            all_yes &= m == APN_MET_YES || m == APN_MET_NA;
            any_no |= m == APN_MET_NO;
        }
        int gate_no = 0;
        if (c->gate >= 0) {
            const gate *g = &rd->gates[c->gate];
            int answered;
            apn_met m = input_met(rd, g->sheet, g->row, g->metcol, &answered, 0);
            /* "No" says the controls do not apply (they pass); "Yes" leaves the
             * answer to the control's own questions */
            gate_no = m == APN_MET_NO;
            any |= gate_no;
        }
        if (any) {
            int col = passfail_col(rd, c);
            const char *t = "";
            if (col >= 0 && (rc = value_text(rd, c->sheet, c->row, col, &t)) < 0)
                return rc;
            char n[16];
            norm(n, sizeof n, t);
            if (!strcmp(n, "pass"))
                met = APN_MET_YES;
            else if (!strcmp(n, "fail"))
                met = APN_MET_NO;
            else {
                const char *own = "";
                if ((rc = value_text(rd, c->sheet, c->row, c->h.met, &own)) < 0)
                    return rc;
                met = apn_met_parse(own, NULL);
                if (met == APN_MET_NONE)
                    met = gate_no ? APN_MET_YES : any_no ? APN_MET_NO
                        : all_yes && c->nq ? APN_MET_YES : APN_MET_NONE;
            }
        }
    }
    if (!resp) {
        const char *r = response_text(rd, c->sheet, c->row, c->h.resp);
        if (r && !(resp = dup_trim(doc, r, strlen(r))))
            return APN_ENOMEM;
    }
    it->met = met;
    it->response = resp;
    it->answered = met != APN_MET_NONE || (resp && *resp);
    return 0;
}

/* ==== 7. entry points ====================================================== */

static int read_book(apn_doc *doc, apn_wb_book *b)
{
    reader rd = { doc, b, NULL, 0, 0, NULL, 0, 0, NULL, 0, 0, NULL, 0, 0 };
    int rc = scan_titles(doc, b);
    for (size_t s = 0; rc >= 0 && s < b->nsheets; s++)
        rc = read_sheet_rows(&rd, s);
    if (rc >= 0 && rd.nctls == 0)
        apn_doc_diag(doc, APN_SEV_WARNING, "",
                     "no requirement sheet: no header row naming ID, Requirement Description "
                     "and Met? in the first %d rows of any sheet", HEADER_SCAN_ROWS);
    for (size_t i = 0; rc >= 0 && i < rd.nctls; i++)
        rc = answer_ctl(&rd, &rd.ctls[i]);
    apn_free(rd.ctls);
    apn_free(rd.qs);
    apn_free(rd.gates);
    apn_free(rd.ids);
    return rc < 0 ? rc : 0;
}

int apn_wb__read_sheets(apn_doc *doc, const apn_wb_sheet *sheets, size_t nsheets)
{
    apn_wb_book *b = NULL;
    int rc = apn_wb__book_new(&b, sheets, nsheets);
    if (rc == 0)
        rc = read_book(doc, b);
    apn_wb__book_free(b);
    return rc;
}

int apn_wb_read(apn_doc *doc, apn_xlsx *x)
{
    apn_wb_book *b = NULL;
    int rc = apn_wb__load(&b, x);
    if (rc == 0)
        rc = read_book(doc, b);
    apn_wb__book_free(b);
    return rc;
}
