/* book — every cell of a workbook, and formula evaluation. See book.h.
 *
 * Formula cells are evaluated through apn_formula_eval with book_lookup as its
 * cell source: a referenced cell is itself evaluated (eval_at), results kept
 * in an open-addressing memo keyed by (sheet, row, column) whose state also
 * marks a cell being evaluated, so a cycle reads #CIRCULAR!; nesting stops at
 * EVAL_DEPTH. A whole-column range asks for the sheet's last row (row 0).
 */
#include "read/book.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/alloc.h"

#define EVAL_DEPTH 16        /* formula cells evaluated inside one another (the FTR needs 4) */

typedef struct memo {
    size_t sheet;
    unsigned row, col;
    int state;       /* 0 free slot, 1 being evaluated, 2 done */
    apn_value v;
} memo;

typedef struct sheetx {
    const apn_book_row **rows;   /* sorted by row number */
    size_t nrows;
    unsigned last_row;
} sheetx;

struct apn_book {
    apn_arena arena;
    apn_book_sheet *owned;       /* when loaded from an xlsx */
    apn_book_row **owned_rows;   /* per sheet, apn_malloc'd arrays */
    size_t *owned_cap;
    const apn_book_sheet *sheets;
    size_t nsheets;
    sheetx *x;
    memo *memo;
    size_t memo_n, memo_cap;
    int ignore_cache;
    int depth;                 /* formula cells being evaluated, nested */
};

static int row_cmp(const void *a, const void *b)
{
    const apn_book_row *x = *(const apn_book_row *const *)a, *y = *(const apn_book_row *const *)b;
    return x->row < y->row ? -1 : x->row > y->row;
}

static int book_index(apn_book *b)
{
    b->x = apn_calloc(b->nsheets ? b->nsheets : 1, sizeof *b->x);
    if (!b->x)
        return APN_ENOMEM;
    for (size_t i = 0; i < b->nsheets; i++) {
        const apn_book_sheet *s = &b->sheets[i];
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

int apn_book_new(apn_book **out, const apn_book_sheet *sheets, size_t nsheets)
{
    apn_book *b = apn_calloc(1, sizeof *b);
    *out = NULL;
    if (!b)
        return APN_ENOMEM;
    b->sheets = sheets;
    b->nsheets = nsheets;
    int rc = book_index(b);
    if (rc < 0) {
        apn_book_free(b);
        return rc;
    }
    *out = b;
    return 0;
}

void apn_book_free(apn_book *b)
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

size_t apn_book_nsheets(const apn_book *b) { return b->nsheets; }
const apn_book_sheet *apn_book_sheet_at(const apn_book *b, size_t i)
{
    return i < b->nsheets ? &b->sheets[i] : NULL;
}

typedef struct load_ctx { apn_book *b; size_t sheet; } load_ctx;

static int load_row(void *ud, unsigned row, const apn_cell *cells, size_t ncells)
{
    load_ctx *c = ud;
    apn_book *b = c->b;
    apn_book_sheet *s = &b->owned[c->sheet];
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
    apn_book_row *r = &b->owned_rows[c->sheet][s->nrows++];
    r->row = row;
    r->cells = copy;
    r->ncells = ncells;
    s->rows = b->owned_rows[c->sheet];
    return 0;
}

int apn_book_load(apn_book **out, apn_xlsx *x)
{
    int rc = 0;
    apn_book *b = apn_calloc(1, sizeof *b);
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
        apn_book_free(b);
    else
        *out = b;
    return rc;
}

size_t apn_book_nrows(const apn_book *b, size_t sheet)
{
    return sheet < b->nsheets ? b->x[sheet].nrows : 0;
}

const apn_book_row *apn_book_row_at(const apn_book *b, size_t sheet, size_t i)
{
    return sheet < b->nsheets && i < b->x[sheet].nrows ? b->x[sheet].rows[i] : NULL;
}

const apn_book_row *apn_book_find_row(const apn_book *b, size_t sheet, unsigned row)
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
    return lo < x->nrows && x->rows[lo]->row == row ? x->rows[lo] : NULL;
}

const apn_cell *apn_book_cell(const apn_book *b, size_t sheet, unsigned row, unsigned col)
{
    const apn_book_row *r = apn_book_find_row(b, sheet, row);
    if (!r)
        return NULL;
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

static size_t memo_slot(const apn_book *b, size_t sheet, unsigned row, unsigned col)
{
    size_t h = (sheet * 0x9E3779B97F4A7C15ull) ^ ((size_t)row * 0x85EBCA6Bu) ^ (col * 0xC2B2AE35u);
    size_t mask = b->memo_cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        const memo *m = &b->memo[i];
        if (!m->state || (m->sheet == sheet && m->row == row && m->col == col))
            return i;
    }
}

static int memo_grow(apn_book *b)
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

typedef struct eval_ctx { apn_book *b; size_t sheet; } eval_ctx;

static int eval_at(apn_value *out, apn_book *b, size_t sheet, unsigned row, unsigned col,
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

static int eval_at(apn_value *out, apn_book *b, size_t sheet, unsigned row, unsigned col,
                   char *err, size_t errlen)
{
    const apn_cell *c = apn_book_cell(b, sheet, row, col);
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

int apn_book_eval(apn_value *out, apn_book *b, size_t sheet, unsigned row, unsigned col,
                  int ignore_cache, char *err, size_t errlen)
{
    b->ignore_cache = ignore_cache;
    return eval_at(out, b, sheet, row, col, err, errlen);
}

const char *apn_book_value_text(apn_book *b, const apn_value *v)
{
    return apn_value_text(&b->arena, v);
}
