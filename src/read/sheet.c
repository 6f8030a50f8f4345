/* sheet — stream a worksheet's rows and cells. See sheet.h.
 *
 * Three ways to read one sheet, giving the same rows, warnings and errors:
 *   the fast path     a sheet of at most 4 MiB inflated into memory and given to
 *                     read/xmlscan.c, which sends the SAX2 handlers below what
 *                     libxml2 would, or declines before the first row;
 *   the SAX2 path     libxml2's push parser with the same handlers (sx_*);
 *   the reader path   xmlTextReader (sheet_stream, read_cell), for a part that
 *                     carries a DTD (its entities are kept unexpanded) and for
 *                     the tests that compare the paths.
 * Row state (rs) is shared by all three: cells are gathered per row, sorted,
 * shared formulas expanded, and the row handed to the caller's callback.
 */
#include "read/sheet.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "read/formula.h"
#include "read/xlsx_int.h"
#include "read/xlsx_part.h"
#include "read/xmlscan.h"

#define MAX_SHEET_WARNINGS 20
#define MAX_SHARED_SI (1u << 20)

/* ====================================================================
 * cell references
 * ==================================================================== */

int apn_cellref_parse(unsigned *row, unsigned *col, const char *ref, const char **end)
{
    const char *s = ref;
    unsigned long c = 0, r = 0;
    int nl = 0, nd = 0;
    if (*s == '$')
        s++;
    while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')) {
        int v = (*s >= 'a' ? *s - 'a' : *s - 'A') + 1;
        if (++nl > 3)
            return APN_EPARSE;
        c = c * 26 + (unsigned long)v;
        s++;
    }
    if (*s == '$')
        s++;
    while (*s >= '0' && *s <= '9') {
        if (++nd > 7)
            return APN_EPARSE;
        r = r * 10 + (unsigned long)(*s - '0');
        s++;
    }
    if (nl == 0 || nd == 0 || c > 16384 || r < 1 || r > 1048576)
        return APN_EPARSE;
    if (end)
        *end = s;
    else if (*s)
        return APN_EPARSE;
    *row = (unsigned)r;
    *col = (unsigned)(c - 1);
    return 0;
}

void apn_cellref_format(char *buf, unsigned row, unsigned col)
{
    char tmp[8];
    int n = 0;
    unsigned long c = (unsigned long)col + 1;
    while (c > 0 && n < 7) {
        tmp[n++] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    int k = 0;
    while (n > 0)
        buf[k++] = tmp[--n];
    snprintf(buf + k, 12 - (size_t)k, "%u", row);
}

/* ====================================================================
 * row state (every path)
 * ==================================================================== */

typedef enum { T_N, T_S, T_STR, T_INLINE, T_B, T_E, T_D, T_OTHER } ctype;

typedef struct pcell {
    unsigned col;
    apn_celltype type;
    size_t seq;           /* position in the row, to sort stably */
    const char *sst;      /* text from the shared-strings pool, else toff */
    size_t toff, foff;    /* offsets into rs.text; foff SIZE_MAX: no formula */
} pcell;

typedef struct anchor { unsigned row, col; size_t off; } anchor;  /* off 0: unset */

/* Row state, reused for every row of one read: no allocation per cell once
 * the buffers have grown to the widest row. */
typedef struct rs {
    apn_xlsx *x;
    apn_xlsx_sheet *sh;
    apn_xlsx_part *p;
    apn_xlsx_names n;
    apn_buf text, v, f;
    pcell *cells;
    size_t ncells, capcells;
    apn_cell *out;
    size_t capout;
    anchor *sf;           /* shared formula anchors by si */
    size_t capsf;
    apn_buf sftext;       /* their text (offset 0 is a placeholder) */
    apn_arena arena;      /* shifted formulas of the current row */
    unsigned row;
    long lastcol;
    int in_row, skip_row, row_explicit, rows_over;
    int nwarn;
} rs;

static void sheet_warn(rs *s, unsigned row, long col, const char *fmt, const char *arg)
    __attribute__((format(printf, 4, 0)));

static void sheet_warn(rs *s, unsigned row, long col, const char *fmt, const char *arg)
{
    if (s->nwarn > MAX_SHEET_WARNINGS)
        return;
    char locus[600], ref[16] = "";
    if (col >= 0 && col < 16384 && row > 0)
        apn_cellref_format(ref, row, (unsigned)col);
    else if (row > 0)
        snprintf(ref, sizeof ref, "%u", row);
    snprintf(locus, sizeof locus, "%s!%s", s->sh->name, ref);
    if (++s->nwarn > MAX_SHEET_WARNINGS)
        apn_diags_add(s->x->d, APN_SEV_WARNING, s->x->path, locus,
                      "more warnings in this sheet not shown");
    else
        apn_diags_add(s->x->d, APN_SEV_WARNING, s->x->path, locus, fmt, arg);
}

static unsigned long parse_uint(const char *s, int *ok)
{
    unsigned long v = 0;
    *ok = 0;
    if (!*s)
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > 100000000UL)
            return 0;
        v = v * 10 + (unsigned long)(*s - '0');
    }
    *ok = 1;
    return v;
}

static ctype cell_type(const char *t)
{
    if (!t[0] || !strcmp(t, "n")) return T_N;
    if (!strcmp(t, "s")) return T_S;
    if (!strcmp(t, "str")) return T_STR;
    if (!strcmp(t, "inlineStr")) return T_INLINE;
    if (!strcmp(t, "b")) return T_B;
    if (!strcmp(t, "e")) return T_E;
    if (!strcmp(t, "d")) return T_D;
    return T_OTHER;
}

static int cmp_pcell(const void *a, const void *b)
{
    const pcell *x = a, *y = b;
    if (x->col != y->col)
        return x->col < y->col ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Frees what one read's row state grew (both sheet readers). */
static void rs_dispose(rs *s)
{
    apn_buf_dispose(&s->text);
    apn_buf_dispose(&s->v);
    apn_buf_dispose(&s->f);
    apn_buf_dispose(&s->sftext);
    apn_arena_dispose(&s->arena);
    apn_free(s->cells);
    apn_free(s->out);
    apn_free(s->sf);
}

static int emit_row(rs *s, apn_xlsx_row_fn fn, void *ud)
{
    size_t n = s->ncells;
    if (n == 0 || s->skip_row)
        return 0;
    if (s->text.oom)
        return APN_ENOMEM;
    /* Cells come sorted in every real file; sort the rare row that is not
     * (by column, then file order), and keep the last of two cells claiming
     * one column. */
    size_t k = 1;
    while (k < n && s->cells[k - 1].col < s->cells[k].col)
        k++;
    if (k < n)
        qsort(s->cells, n, sizeof *s->cells, cmp_pcell);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m > 0 && s->cells[m - 1].col == s->cells[i].col)
            m--;
        s->cells[m++] = s->cells[i];
    }
    if (apn_grow(&s->out, &s->capout, m, sizeof *s->out) < 0)
        return APN_ENOMEM;
    for (size_t i = 0; i < m; i++) {
        const pcell *c = &s->cells[i];
        s->out[i].col = c->col;
        s->out[i].type = c->type;
        s->out[i].text = c->sst ? c->sst : s->text.ptr + c->toff;
        s->out[i].formula = c->foff == SIZE_MAX ? NULL : s->text.ptr + c->foff;
    }
    return fn(ud, s->row, s->out, m);
}

static size_t put_str(apn_buf *b, const char *str, size_t len)
{
    size_t off = b->len;
    apn_buf_put(b, str, len);
    apn_buf_putc(b, 0);
    return off;
}

/* Expands a shared formula for the cell at (row, col), or records its anchor. */
static const char *shared_formula(rs *s, unsigned long si, unsigned row, unsigned col,
                                  int anchor_here)
{
    if (si >= MAX_SHARED_SI) {
        sheet_warn(s, row, col, "shared formula index %s out of range", "");
        return NULL;
    }
    if (anchor_here) {
        if (si >= s->capsf) {
            size_t old = s->capsf;
            if (apn_grow(&s->sf, &s->capsf, si + 1, sizeof *s->sf) < 0) {
                s->text.oom = 1;
                return NULL;
            }
            memset(s->sf + old, 0, (s->capsf - old) * sizeof *s->sf);
        }
        if (s->sftext.len == 0)
            apn_buf_putc(&s->sftext, 0);
        s->sf[si].row = row;
        s->sf[si].col = col;
        s->sf[si].off = put_str(&s->sftext, s->f.ptr, s->f.len);
        if (s->sftext.oom) {
            s->text.oom = 1;
            return NULL;
        }
        return apn_buf_cstr(&s->f);
    }
    if (si >= s->capsf || s->sf[si].off == 0) {
        sheet_warn(s, row, col, "shared formula%s without its anchor cell", "");
        return NULL;
    }
    const anchor *a = &s->sf[si];
    const char *f = s->sftext.ptr + a->off;
    int dr = (int)row - (int)a->row, dc = (int)col - (int)a->col;
    /* NULL means out of memory or a reference pushed off the sheet; a second
     * try tells a passing allocation failure from the latter. */
    const char *shifted = apn_formula_shift(&s->arena, f, dr, dc);
    if (!shifted)
        shifted = apn_formula_shift(&s->arena, f, dr, dc);
    if (!shifted)
        sheet_warn(s, row, col, "shared formula%s cannot be shifted to this cell", "");
    return shifted;
}

/* What a <c> said, gathered while its children are read. */
typedef struct cellacc {
    char ref[32], t[16], fty[16], sis[16];
    int has_ref, has_v, has_is, has_f;
} cellacc;

static void cell_begin(rs *s, cellacc *ca, const apn_xlsx_attrs *a)
{
    memset(ca, 0, sizeof *ca);
    ca->has_ref = apn_xlsx__attr(a, "r", ca->ref, sizeof ca->ref);
    apn_xlsx__attr(a, "t", ca->t, sizeof ca->t);
    apn_buf_clear(&s->v);
    apn_buf_clear(&s->f);
}

/* A formula child <f>: its type and shared index (a missing t= keeps the
 * previous <f>'s, as the reader always did). */
static void cell_formula_attrs(cellacc *ca, const apn_xlsx_attrs *a)
{
    ca->has_f = 1;
    apn_xlsx__attr(a, "t", ca->fty, sizeof ca->fty);
    if (!apn_xlsx__attr(a, "si", ca->sis, sizeof ca->sis))
        ca->sis[0] = 0;
}

static int cell_end(rs *s, cellacc *ca);

static int read_cell(rs *s)
{
    apn_xlsx_part *p = s->p;
    apn_xlsx_attrs a = { p, NULL, 0, NULL, 0 };
    cellacc ca;
    int err;
    cell_begin(s, &ca, &a);
    if (!xmlTextReaderIsEmptyElement(p->r)) {
        int depth = xmlTextReaderDepth(p->r);
        for (;;) {
            int rc = apn_xlsx__part_next(p);
            if (rc <= 0)
                return rc < 0 ? rc : apn_xlsx__part_fail(p);
            int type = xmlTextReaderNodeType(p->r);
            int dd = xmlTextReaderDepth(p->r);
            if (type == XML_READER_TYPE_END_ELEMENT && dd == depth)
                break;
            if (type != XML_READER_TYPE_ELEMENT || dd != depth + 1)
                continue;
            const xmlChar *nm = xmlTextReaderConstLocalName(p->r);
            int empty = xmlTextReaderIsEmptyElement(p->r);
            if (nm == s->n.v) {
                ca.has_v = 1;
                apn_buf_clear(&s->v);
                if (!empty && (err = apn_xlsx__part_collect(p, &s->n, &s->v, 0)) < 0)
                    return err;
            } else if (nm == s->n.is) {
                ca.has_is = 1;
                apn_buf_clear(&s->v);
                if (!empty && (err = apn_xlsx__part_collect(p, &s->n, &s->v, 1)) < 0)
                    return err;
            } else if (nm == s->n.f) {
                cell_formula_attrs(&ca, &a);
                apn_buf_clear(&s->f);
                if (!empty && (err = apn_xlsx__part_collect(p, &s->n, &s->f, 0)) < 0)
                    return err;
            }
        }
    }
    return cell_end(s, &ca);
}

/* The cell's value and formula into the row. */
static int cell_end(rs *s, cellacc *ca)
{
    const char *ref = ca->ref, *t = ca->t, *fty = ca->fty, *sis = ca->sis;
    int has_ref = ca->has_ref, has_v = ca->has_v, has_is = ca->has_is, has_f = ca->has_f;
    if (s->v.oom || s->f.oom)
        return APN_ENOMEM;
    if (!s->in_row || s->skip_row)
        return 0;

    unsigned row = s->row, col;
    if (has_ref) {
        unsigned r2;
        if (apn_cellref_parse(&r2, &col, ref, NULL) < 0) {
            sheet_warn(s, row, -1, "cell reference \"%s\" is not valid; cell skipped", ref);
            return 0;
        }
        /* A row without r= whose cells carry references is where they say. */
        if (!s->row_explicit && s->ncells == 0 && s->lastcol < 0 && r2 <= s->x->lim.max_rows)
            s->row = row = r2;
    } else {
        col = (unsigned)(s->lastcol + 1);
    }
    s->lastcol = col;
    if (col >= s->x->lim.max_cols) {
        sheet_warn(s, row, -1, "cell beyond the last column%s; skipped", "");
        return 0;
    }

    apn_celltype type = APN_CELL_EMPTY;
    const char *sst = NULL, *text = s->v.ptr ? s->v.ptr : "";
    size_t tlen = s->v.len;
    switch (cell_type(t)) {
    case T_N:
        if (has_v && s->v.len)
            type = APN_CELL_NUMBER;
        break;
    case T_S:
        if (has_v) {
            int ok;
            unsigned long i = parse_uint(text, &ok);
            if (ok && i < s->x->nsst) {
                type = APN_CELL_STRING;
                sst = s->x->sst_pool.ptr + s->x->sst_off[i];
            } else {
                sheet_warn(s, row, col, "shared string index \"%s\" out of range", text);
            }
        }
        break;
    case T_STR:
    case T_D:
    case T_OTHER:
        if (has_v)
            type = APN_CELL_STRING;
        break;
    case T_INLINE:
        if (has_is || has_v)
            type = APN_CELL_STRING;
        break;
    case T_B:
        if (has_v) {
            type = APN_CELL_BOOL;
            if (!strcmp(text, "1") || !strcmp(text, "true"))
                text = "TRUE";
            else if (!strcmp(text, "0") || !strcmp(text, "false"))
                text = "FALSE";
            tlen = strlen(text);
        }
        break;
    case T_E:
        if (has_v)
            type = APN_CELL_ERROR;
        break;
    }

    const char *formula = NULL;
    if (has_f) {
        int ok = 0;
        unsigned long si = sis[0] ? parse_uint(sis, &ok) : 0;
        if (!strcmp(fty, "shared") && ok)
            formula = shared_formula(s, si, row, col, s->f.len > 0);
        else if (s->f.len > 0)
            formula = apn_buf_cstr(&s->f);
    }
    if (type == APN_CELL_EMPTY && !formula)
        return 0;
    if (apn_grow(&s->cells, &s->capcells, s->ncells + 1, sizeof *s->cells) < 0)
        return APN_ENOMEM;
    pcell *c = &s->cells[s->ncells];
    c->seq = s->ncells++;
    c->col = col;
    c->type = type;
    c->sst = sst;
    c->toff = sst ? 0 : put_str(&s->text, type == APN_CELL_EMPTY ? "" : text,
                                type == APN_CELL_EMPTY ? 0 : tlen);
    c->foff = formula ? put_str(&s->text, formula, strlen(formula)) : SIZE_MAX;
    return s->text.oom ? APN_ENOMEM : 0;
}

static void read_row_start(rs *s, const apn_xlsx_attrs *a, int empty)
{
    char ref[32] = "";
    int ok = 0;
    unsigned long r = 0;
    if (apn_xlsx__attr(a, "r", ref, sizeof ref))
        r = parse_uint(ref, &ok);
    s->row_explicit = ok && r > 0;
    if (!ok || r == 0) {
        if (ok || ref[0])
            sheet_warn(s, s->row + 1, -1, "row number \"%s\" is not valid; counted", ref);
        r = (unsigned long)s->row + 1;
    }
    s->row = r > UINT_MAX ? UINT_MAX : (unsigned)r;
    s->ncells = 0;
    s->lastcol = -1;
    s->skip_row = 0;
    apn_buf_clear(&s->text);
    if (s->arena.head) {
        apn_arena_dispose(&s->arena);
        s->arena = (apn_arena)APN_ARENA_INIT;
    }
    if (r > s->x->lim.max_rows) {
        char lim[32];
        snprintf(lim, sizeof lim, "%zu", s->x->lim.max_rows);
        if (!s->rows_over)   /* once per sheet: a bomb may hold millions */
            sheet_warn(s, r > UINT_MAX ? UINT_MAX : (unsigned)r, -1,
                       "rows beyond row %s, the last a sheet may have, skipped", lim);
        s->rows_over = 1;
        s->skip_row = 1;
    }
    s->in_row = !empty;
}

static int read_col(rs *s, const apn_xlsx_attrs *src)
{
    char a[24], b[24], h[16];
    int ok1, ok2;
    if (!apn_xlsx__attr(src, "hidden", h, sizeof h) || !(!strcmp(h, "1") || !strcmp(h, "true")))
        return 0;
    if (!apn_xlsx__attr(src, "min", a, sizeof a) || !apn_xlsx__attr(src, "max", b, sizeof b))
        return 0;
    unsigned long lo = parse_uint(a, &ok1), hi = parse_uint(b, &ok2);
    size_t maxc = s->x->lim.max_cols;
    if (!ok1 || !ok2 || lo < 1 || hi < lo || lo > maxc)
        return 0;
    if (hi > maxc)
        hi = maxc;
    if (!s->sh->hidden_cols && !(s->sh->hidden_cols = apn_calloc((maxc + 7) / 8, 1)))
        return APN_ENOMEM;
    for (unsigned long c = lo - 1; c < hi; c++)
        s->sh->hidden_cols[c / 8] |= (unsigned char)(1u << (c % 8));
    return 0;
}

static int read_merge(rs *s, const apn_xlsx_attrs *a)
{
    char ref[64];
    if (!apn_xlsx__attr(a, "ref", ref, sizeof ref))
        return 0;
    unsigned r1, c1, r2, c2;
    const char *e;
    if (apn_cellref_parse(&r1, &c1, ref, &e) < 0)
        goto bad;
    if (*e == ':') {
        if (apn_cellref_parse(&r2, &c2, e + 1, NULL) < 0)
            goto bad;
    } else if (*e) {
        goto bad;
    } else {
        r2 = r1;
        c2 = c1;
    }
    apn_xlsx_sheet *sh = s->sh;
    if (apn_grow(&sh->merges, &sh->capmerges, sh->nmerges + 1, sizeof *sh->merges) < 0)
        return APN_ENOMEM;
    apn_range *g = &sh->merges[sh->nmerges++];
    g->r1 = (r1 < r2 ? r1 : r2) - 1;
    g->r2 = (r1 < r2 ? r2 : r1) - 1;
    g->c1 = c1 < c2 ? c1 : c2;
    g->c2 = c1 < c2 ? c2 : c1;
    return 0;
bad:
    sheet_warn(s, 0, -1, "merged range \"%s\" is not valid; ignored", ref);
    return 0;
}

static int sheet_stream(apn_xlsx_part *p, apn_xlsx_sheet *sh, apn_xlsx_row_fn fn, void *ud)
{
    rs s;
    memset(&s, 0, sizeof s);
    s.x = p->x;
    s.sh = sh;
    s.p = p;
    s.arena = (apn_arena)APN_ARENA_INIT;
    int err = apn_xlsx__intern(&s.n, p);
    if (err < 0)
        goto cleanup;
    int rc;
    apn_xlsx_attrs a = { p, NULL, 0, NULL, 0 };
    while ((rc = apn_xlsx__part_next(p)) == 1) {
        int type = xmlTextReaderNodeType(p->r);
        const xmlChar *nm = xmlTextReaderConstLocalName(p->r);
        if (type == XML_READER_TYPE_ELEMENT) {
            if (nm == s.n.c && s.in_row)
                err = read_cell(&s);
            else if (nm == s.n.row)
                read_row_start(&s, &a, xmlTextReaderIsEmptyElement(p->r));
            else if (nm == s.n.col)
                err = read_col(&s, &a);
            else if (nm == s.n.mergeCell)
                err = read_merge(&s, &a);
        } else if (type == XML_READER_TYPE_END_ELEMENT && nm == s.n.row && s.in_row) {
            s.in_row = 0;
            err = emit_row(&s, fn, ud);
        }
        if (err != 0)
            goto cleanup;
    }
    err = rc < 0 ? rc : 0;
    if (err == 0 && s.in_row) /* unreachable on well-formed XML, kept for safety */
        err = emit_row(&s, fn, ud);
cleanup:
    if (err == 0 && (s.text.oom || s.sftext.oom))
        err = APN_ENOMEM;
    rs_dispose(&s);
    return err;
}

/* ====================================================================
 * the SAX2 handlers (the SAX2 path and the fast path)
 * ==================================================================== */

/* The same stream through libxml2's SAX2 push parser: the reader builds and
 * frees a node for every element, attribute and text, which costs twice the
 * parse. The handlers below replay what sheet_stream, read_cell and
 * apn_xlsx__part_collect
 * do on the reader's nodes (depths as the reader counts them: the root is 0;
 * every text is "significant" to libxml2 2.9's reader, whitespace included).
 * A part with a DOCTYPE goes back to the reader (it warns, keeps entities
 * unexpanded), before any row was passed on: a DTD comes before the root. */
typedef struct sx {
    apn_xlsx_saxbase b;    /* first: the driver sees the state as its saxbase */
    rs *s;
    apn_xlsx_row_fn fn;
    void *ud;
    int depth;             /* elements open */
    int cell;              /* depth of the open <c>, -1 none */
    cellacc ca;
    apn_buf *cb;           /* the text being collected into, NULL none */
    int cdepth, rich, tdepth, skipdepth;
} sx;

static void sx_stop(apn_xlsx_part *p, sx *x, int err) { apn_xlsx__sax_stop(p, &x->b, err); }

static void sx_collect(sx *x, apn_buf *b, int rich, int depth)
{
    apn_buf_clear(b);
    x->cb = b;
    x->rich = rich;
    x->cdepth = depth;
    x->tdepth = x->skipdepth = -1;
}

static void sx_start(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **ns, int na, int ndef, const xmlChar **at)
{
    apn_xlsx_part *p = ctx;
    sx *x = p->sax;
    rs *s = x->s;
    (void)prefix, (void)uri, (void)ndef;
    int d = x->depth++;
    if (x->b.err || !name)
        return;
    if (x->cb) {
        if (!x->rich || x->skipdepth >= 0)
            return;
        if (name == s->n.rPh || name == s->n.phoneticPr)
            x->skipdepth = d;
        else if (name == s->n.t && x->tdepth < 0)
            x->tdepth = d;
        return;
    }
    apn_xlsx_attrs a = { NULL, ns, nns, at, na };
    if (x->cell >= 0) {
        if (d != x->cell + 1)
            return;
        if (name == s->n.v) {
            x->ca.has_v = 1;
            sx_collect(x, &s->v, 0, d);
        } else if (name == s->n.is) {
            x->ca.has_is = 1;
            sx_collect(x, &s->v, 1, d);
        } else if (name == s->n.f) {
            cell_formula_attrs(&x->ca, &a);
            sx_collect(x, &s->f, 0, d);
        }
        return;
    }
    if (name == s->n.c && s->in_row) {
        cell_begin(s, &x->ca, &a);
        x->cell = d;
    } else if (name == s->n.row) {
        read_row_start(s, &a, 0);   /* <row/> and <row></row> end alike */
    } else if (name == s->n.col) {
        sx_stop(p, x, read_col(s, &a));
    } else if (name == s->n.mergeCell) {
        sx_stop(p, x, read_merge(s, &a));
    }
}

static void sx_end(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri)
{
    apn_xlsx_part *p = ctx;
    sx *x = p->sax;
    rs *s = x->s;
    (void)prefix, (void)uri;
    int d = --x->depth;
    if (x->b.err)
        return;
    if (x->cb) {
        if (d == x->cdepth) {
            x->cb = NULL;
            return;
        }
        if (d == x->tdepth)
            x->tdepth = -1;
        if (d == x->skipdepth)
            x->skipdepth = -1;
        return;
    }
    if (x->cell >= 0) {
        if (d == x->cell) {
            x->cell = -1;
            sx_stop(p, x, cell_end(s, &x->ca));
        }
        return;
    }
    if (name && name == s->n.row && s->in_row) {
        s->in_row = 0;
        sx_stop(p, x, emit_row(s, x->fn, x->ud));
    }
}

static void sx_text(void *ctx, const xmlChar *ch, int len)
{
    apn_xlsx_part *p = ctx;
    sx *x = p->sax;
    if (x->cb && !x->b.err && len > 0 && (!x->rich || (x->tdepth >= 0 && x->skipdepth < 0)))
        apn_buf_put(x->cb, (const char *)ch, (size_t)len);
}

/* ====================================================================
 * the fast path, and choosing a path
 * ==================================================================== */

/* The fast path. Sheets are machine-written XML in a small subset, and
 * libxml2's push parser costs most of a sheet's read. A member of at most
 * FAST_MAX_MEMBER bytes is inflated into memory and given to apn_xmlscan
 * (read/xmlscan.h says what it accepts), which calls sx_start, sx_end and
 * sx_text with what libxml2 would pass them, so rows, warnings and errors are
 * the SAX2 path's. Anything else is declined before the first call, and the
 * member is read by libxml2 as before. Only the workbook's total cap may
 * differ: a read stopped by its callback counts the whole member. */
#define FAST_MAX_MEMBER ((size_t)4 << 20)
#define FAST_DECLINED 1         /* nothing was read from the member */
#define FAST_DECLINED_READ 2    /* declined after inflating it: open it again */

int apn_xlsx__no_fast;
_Thread_local unsigned long apn_xlsx__fast_reads;

/* The element names the handlers compare, as the scanner passes them. */
static const char *const fast_list[] = {
    "c", "v", "f", "is", "t", "rPh", "phoneticPr", "row", "col", "mergeCell", "si", NULL
};

static apn_xlsx_names fast_names(void)
{
    const xmlChar *const *l = (const xmlChar *const *)fast_list;
    return (apn_xlsx_names){ l[0], l[1], l[2], l[3], l[4], l[5], l[6], l[7], l[8], l[9], l[10] };
}

/* Reads the sheet p was opened over (apn_xlsx__sax_open; its handlers' state
 * p->sax) through the fast path. Returns FAST_DECLINED or FAST_DECLINED_READ,
 * else 0: p is closed and *out holds 0 or the first error, as
 * apn_xlsx__sax_drive would return it (a callback's value may be any int). */
static int sheet_fast(int *out, apn_xlsx_part *p, const char *mem, size_t memlen)
{
    char *buf = NULL;
    const char *xml = mem;
    size_t len = memlen;
    int err = 0;
    sx *x = p->sax;

    if (!mem) {
        if (p->decl < 0 || (size_t)p->decl > FAST_MAX_MEMBER || (size_t)p->decl > p->cap)
            return FAST_DECLINED;
        size_t want = (size_t)p->decl + 1;   /* one more tells a lie from an exact fit */
        if (!(buf = apn_malloc(want)))
            return FAST_DECLINED;   /* libxml2 needs less: let it try */
        len = 0;
        for (;;) {
            int n = apn_xlsx__part_read(p, buf + len, (int)(want - len));
            if (n <= 0) {
                if (n < 0)
                    len = want;
                break;
            }
            len += (size_t)n;
            if (len == want)
                break;
        }
        xml = buf;
        if (len != (size_t)p->decl) {
            err = FAST_DECLINED_READ;
            goto cleanup;
        }
    }
    apn_xmlscan_sax sax = { sx_start, sx_end, sx_text, fast_list, &x->b.err };
    x->s->n = fast_names();
    int rc = apn_xmlscan(xml, len, &sax, p);
    if (rc == APN_XMLSCAN_DECLINED || rc == APN_ENOMEM) {
        err = mem ? FAST_DECLINED : FAST_DECLINED_READ;
        goto cleanup;
    }
    apn_xlsx__fast_reads++;
    *out = rc == APN_XMLSCAN_STOPPED || x->b.err ? x->b.err : rc == 0 ? 0 : APN_ERROR;
    if (*out == 0 && p->x->d->oom && !p->d_oom0)
        *out = APN_ENOMEM;
    apn_xlsx__part_close(p);
cleanup:
    apn_free(buf);
    return err;
}

static int sheet_ready(apn_xlsx_part *p, void *ud)
{
    rs *s = ud;
    return apn_xlsx__intern(&s->n, p);
}

/* *reread: the part has a DTD, read it with the reader (a flag, not a return
 * value: the callback's value may be any int). */
static int sheet_sax(int *reread, apn_xlsx *x, apn_xlsx_sheet *sh, apn_xlsx_row_fn fn, void *ud)
{
    apn_xlsx_part p;
    rs s;
    sx st;
    xmlSAXHandler h;
    int err;

    *reread = 0;
    err = apn_xlsx__sax_open(&p, x, sh->mem ? sh->name : sh->member, sh->mem, sh->memlen);
    if (err == APN_ENOTFOUND) {
        apn_diags_add(x->d, APN_SEV_ERROR, x->path, sh->name,
                      "the sheet's part %s is missing from the workbook; sheet skipped",
                      sh->member ? sh->member : "(none named)");
        return APN_EPARSE;
    }
    if (err < 0)
        return err;
    memset(&s, 0, sizeof s);
    s.x = x;
    s.sh = sh;
    s.p = &p;
    s.arena = (apn_arena)APN_ARENA_INIT;
    memset(&st, 0, sizeof st);
    st.s = &s;
    st.fn = fn;
    st.ud = ud;
    st.cell = -1;
    memset(&h, 0, sizeof h);
    h.initialized = XML_SAX2_MAGIC;
    h.startElementNs = sx_start;
    h.endElementNs = sx_end;
    h.characters = sx_text;
    h.ignorableWhitespace = sx_text;
    h.cdataBlock = sx_text;
    h.internalSubset = apn_xlsx__sax_dtd;
    h.serror = apn_xlsx__part_error;
    p.sax = &st;
    /* rows are emitted by the handlers; what is left after the end of the
     * document is checked here, before the driver closes the part */
    int fr = apn_xlsx__no_fast ? FAST_DECLINED : sheet_fast(&err, &p, sh->mem, sh->memlen);
    if (fr == FAST_DECLINED_READ) {   /* libxml2 reads it afresh */
        p.got = 0;
        apn_xlsx__part_close(&p);
        fr = FAST_DECLINED;
        if ((err = apn_xlsx__sax_open(&p, x, sh->member, NULL, 0)) < 0)
            fr = 0;
        p.sax = &st;
    }
    if (fr == FAST_DECLINED)
        err = apn_xlsx__sax_drive(&p, sh->mem, sh->memlen, &h, sheet_ready, &s);
    if (err == 0 && s.in_row) /* unreachable on well-formed XML, kept for safety */
        err = emit_row(&s, fn, ud);
    if (err == 0 && (s.text.oom || s.sftext.oom || s.v.oom || s.f.oom))
        err = APN_ENOMEM;
    rs_dispose(&s);
    *reread = st.b.dtd;
    return err;
}

int apn_xlsx_read_sheet(apn_xlsx *x, size_t i, apn_xlsx_row_fn fn, void *ud)
{
    if (!x || i >= x->nsheets || !fn)
        return APN_EUSAGE;
    apn_xlsx_sheet *sh = &x->sheets[i];
    apn_xlsx_part p;
    int err;
    apn_free(sh->hidden_cols);
    sh->hidden_cols = NULL;
    sh->nmerges = 0;
    if (!apn_xlsx__use_reader) {
        int reread = 0;
        err = sheet_sax(&reread, x, sh, fn, ud);
        if (!reread)
            return err;
        apn_free(sh->hidden_cols);
        sh->hidden_cols = NULL;
        sh->nmerges = 0;
    }
    if (sh->mem) {
        err = apn_xlsx__part_open_memory(&p, x, sh->name, sh->mem, sh->memlen);
    } else {
        err = apn_xlsx__part_open(&p, x, sh->member);
        if (err == APN_ENOTFOUND) {
            apn_diags_add(x->d, APN_SEV_ERROR, x->path, sh->name,
                          "the sheet's part %s is missing from the workbook; sheet skipped",
                          sh->member ? sh->member : "(none named)");
            return APN_EPARSE;
        }
    }
    if (err < 0)
        return err;
    err = sheet_stream(&p, sh, fn, ud);
    return apn_xlsx__part_finish(&p, err);
}


int apn_xlsx_col_hidden(const apn_xlsx *x, size_t i, unsigned col)
{
    if (!x || i >= x->nsheets || !x->sheets[i].hidden_cols || col >= x->lim.max_cols)
        return 0;
    return (x->sheets[i].hidden_cols[col / 8] >> (col % 8)) & 1;
}

const apn_range *apn_xlsx_merges(const apn_xlsx *x, size_t i, size_t *n)
{
    if (!x || i >= x->nsheets) {
        *n = 0;
        return NULL;
    }
    *n = x->sheets[i].nmerges;
    return x->sheets[i].merges;
}
