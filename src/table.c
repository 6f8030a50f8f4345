/* table — typed result tables and their writers. See include/apnmap/table.h. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <apnmap/apnmap.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/utf8.h"
#include "table_int.h"

typedef struct cell {
    int null;
    long long i;
    double r;
    char *s;
} cell;

struct apn_table {
    size_t ncols, nrows, cap;
    char **names;
    apn_coltype *types;
    cell *cells;     /* nrows * ncols, row-major */
};

int apn_table_new(apn_table **out, size_t ncols, const char *const *names,
                  const apn_coltype *types)
{
    apn_table *t = apn_calloc(1, sizeof *t);
    *out = NULL;
    if (!t)
        return APN_ENOMEM;
    t->ncols = ncols;
    t->names = apn_calloc(ncols, sizeof *t->names);
    t->types = apn_calloc(ncols, sizeof *t->types);
    if (!t->names || !t->types)
        goto oom;
    for (size_t i = 0; i < ncols; i++) {
        if (!(t->names[i] = apn_strdup(names[i])))
            goto oom;
        t->types[i] = types ? types[i] : APN_COL_TEXT;
    }
    *out = t;
    return 0;
oom:
    apn_table_free(t);
    return APN_ENOMEM;
}

void apn_table_free(apn_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        apn_free(t->cells[i].s);
    for (size_t i = 0; t->names && i < t->ncols; i++)
        apn_free(t->names[i]);
    apn_free(t->names);
    apn_free(t->types);
    apn_free(t->cells);
    apn_free(t);
}

int apn_table_add_row(apn_table *t)
{
    if (apn_grow(&t->cells, &t->cap, (t->nrows + 1) * t->ncols, sizeof *t->cells) < 0)
        return APN_ENOMEM;
    cell *row = t->cells + t->nrows * t->ncols;
    for (size_t i = 0; i < t->ncols; i++)
        row[i] = (cell){ 1, 0, 0, NULL };
    t->nrows++;
    return 0;
}

static cell *last(apn_table *t, size_t col)
{
    if (!t->nrows || col >= t->ncols)
        return NULL;
    return &t->cells[(t->nrows - 1) * t->ncols + col];
}

int apn_table_set_text(apn_table *t, size_t col, const char *s)
{
    cell *c = last(t, col);
    if (!c)
        return APN_EUSAGE;
    apn_free(c->s);
    c->s = NULL;
    c->null = s == NULL;
    if (s && !(c->s = apn_strdup(s)))
        return APN_ENOMEM;
    return 0;
}

int apn_table_set_int(apn_table *t, size_t col, long long v)
{
    cell *c = last(t, col);
    if (!c)
        return APN_EUSAGE;
    c->null = 0;
    c->i = v;
    c->r = (double)v;
    return 0;
}

int apn_table_set_real(apn_table *t, size_t col, double v)
{
    cell *c = last(t, col);
    if (!c)
        return APN_EUSAGE;
    c->null = 0;
    c->r = v;
    /* out of range (and NaN) the conversion is undefined behaviour */
    c->i = v > -9.2e18 && v < 9.2e18 ? (long long)v : 0;
    return 0;
}

int apn_table_set_bool(apn_table *t, size_t col, int v) { return apn_table_set_int(t, col, v != 0); }

size_t apn_table_ncols(const apn_table *t) { return t->ncols; }
size_t apn_table_nrows(const apn_table *t) { return t->nrows; }
const char *apn_table_colname(const apn_table *t, size_t col) { return t->names[col]; }
apn_coltype apn_table_coltype(const apn_table *t, size_t col) { return t->types[col]; }

static const cell *at(const apn_table *t, size_t row, size_t col)
{
    return &t->cells[row * t->ncols + col];
}

int apn_table_is_null(const apn_table *t, size_t row, size_t col) { return at(t, row, col)->null; }
const char *apn_table_text(const apn_table *t, size_t row, size_t col) { return at(t, row, col)->s; }
long long apn_table_int(const apn_table *t, size_t row, size_t col) { return at(t, row, col)->i; }
double apn_table_real(const apn_table *t, size_t row, size_t col) { return at(t, row, col)->r; }

int apn_csv_write_cell(FILE *f, const char *s)
{
    apn_buf b = APN_BUF_INIT;
    apn_csv_put_cell(&b, s, APN_CSV_GUARD);
    int err = b.oom ? APN_ENOMEM : 0;
    if (!err && b.len)
        fwrite(b.ptr, 1, b.len, f);
    apn_buf_dispose(&b);
    return err ? err : ferror(f) ? APN_EIO : 0;
}

/* ---- streaming CSV / JSON rows (table_int.h) ---------------------------- */

/* %lld without printf. */
static void put_int(apn_buf *b, long long v)
{
    char tmp[24], *p = tmp + sizeof tmp;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--p = '-';
    apn_buf_put(b, p, (size_t)(tmp + sizeof tmp - p));
}

/* %.4f by hand: the C library's exact decimal expansion was most of a
 * listing's time. For 0 <= v < 1e5, v * 10000 is off the exact product by < 1.2e-7, so
 * unless it lies within 1e-6 of a rounding tie it rounds to printf's digits;
 * everything else (ties, large, negative, NaN) goes to printf. */
static void put_real4(apn_buf *b, double v)
{
    if (!signbit(v) && v < 1e5) {
        double y = v * 10000.0, k = floor(y), frac = y - k;
        if (fabs(frac - 0.5) > 1e-6) {
            long long r = (long long)k + (frac > 0.5);
            char dec[5];
            put_int(b, r / 10000);
            dec[0] = '.';
            for (int i = 4, x = (int)(r % 10000); i >= 1; i--, x /= 10)
                dec[i] = (char)('0' + x % 10);
            apn_buf_put(b, dec, sizeof dec);
            return;
        }
    }
    apn_buf_printf(b, "%.4f", v);
}

static void tcell_text(const apn_tcell *c, apn_coltype type, apn_buf *b)
{
    apn_buf_clear(b);
    if (c->null)
        return;
    switch (type) {
    case APN_COL_INT: put_int(b, c->i); break;
    case APN_COL_BOOL: apn_buf_puts(b, c->i ? "true" : "false"); break;
    case APN_COL_REAL: put_real4(b, c->r); break;
    default: apn_buf_puts(b, c->s ? c->s : ""); break;
    }
}

/* The text of a table cell as CSV and the table view show it ("" for NULL). */
static void cell_text(const apn_table *t, size_t row, size_t col, apn_buf *b)
{
    const cell *c = at(t, row, col);
    apn_tcell x = { c->null, c->i, c->r, c->s };
    tcell_text(&x, t->types[col], b);
}

static int json_put_string(apn_buf *b, const char *s);

/* The escaped key of every column, once: jansson would refuse a name that is
 * not UTF-8 and keep one value of a repeated name, so such names make every row
 * go through jansson. Out of memory is the stream's error, as in a row. */
static void json_keys(apn_rowout *w)
{
    if (!(w->koff = apn_calloc(w->ncols + 1, sizeof *w->koff))) {
        w->err = APN_ENOMEM;
        return;
    }
    for (size_t c = 0; c < w->ncols; c++) {
        for (size_t d = 0; d < c; d++)
            w->slow |= !strcmp(w->names[c], w->names[d]);
        apn_buf_puts(&w->keys, c ? ",\n    " : "\n    ");
        w->slow |= json_put_string(&w->keys, w->names[c]) < 0;
        apn_buf_put(&w->keys, ": ", 2);
        w->koff[c + 1] = w->keys.len;
    }
    if (w->keys.oom)
        w->err = APN_ENOMEM;
}

void apn_rowout_begin(apn_rowout *w, FILE *f, apn_format fmt, size_t ncols,
                      const char *const *names, const apn_coltype *types)
{
    memset(w, 0, sizeof *w);
    w->f = f;
    w->fmt = fmt;
    w->ncols = ncols;
    w->names = names;
    w->types = types;
    if (fmt == APN_FMT_JSON)
        json_keys(w);
    if (fmt != APN_FMT_CSV)
        return;
    apn_buf_clear(&w->b);
    for (size_t c = 0; c < ncols; c++) {
        if (c)
            apn_buf_putc(&w->b, ',');
        apn_csv_put_cell(&w->b, names[c], APN_CSV_GUARD);
    }
    apn_buf_putc(&w->b, '\n');
    if (w->b.oom)
        w->err = APN_ENOMEM;
    else
        fwrite(w->b.ptr, 1, w->b.len, f);
}

/* The row is assembled in w->b and written with one fwrite: per-character
 * stdio calls (each taking the stream lock) dominated large listings. */
static void csv_row(apn_rowout *w, const apn_tcell *cells)
{
    apn_buf *b = &w->b;
    apn_buf_clear(b);
    for (size_t c = 0; c < w->ncols; c++) {
        const apn_tcell *x = &cells[c];
        if (c)
            apn_buf_putc(b, ',');
        if (x->null)
            continue;
        /* numbers are never formula-guarded: "-1" stays a number */
        switch (w->types[c]) {
        case APN_COL_INT: put_int(b, x->i); break;
        case APN_COL_BOOL: apn_buf_puts(b, x->i ? "true" : "false"); break;
        case APN_COL_REAL: put_real4(b, x->r); break;
        default: apn_csv_put_cell(b, x->s ? x->s : "", APN_CSV_GUARD); break;
        }
    }
    apn_buf_putc(b, '\n');
    if (!b->oom)
        fwrite(b->ptr, 1, b->len, w->f);
}

/* s with every byte outside a UTF-8 sequence replaced by U+FFFD (owned; NULL:
 * no memory). JSON holds only Unicode: a value that is not UTF-8 (a hostile
 * or damaged database's) is written so, not refused as if memory ran out. */
static char *utf8_repaired(const char *s)
{
    size_t len = strlen(s);
    char *out = len < ((size_t)-1) / 3 ? apn_malloc(len * 3 + 1) : NULL, *o = out;
    if (!out)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = *p < 0x80 ? 1 : apn_utf8_seq(p, 4, NULL);
        if (n) {
            memcpy(o, p, n);
            o += n;
            p += n;
        } else {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            p++;
        }
    }
    *o = '\0';
    return out;
}

static int utf8_ok(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = *p < 0x80 ? 1 : apn_utf8_seq(p, 4, NULL);
        if (!n)
            return 0;
        p += n;
    }
    return 1;
}

/* json_string, or of the repaired text when s is not UTF-8. */
static json_t *json_text(const char *s)
{
    json_t *v = json_string(s);
    char *fixed;
    if (!v && (fixed = utf8_repaired(s))) {
        v = json_string(fixed);
        apn_free(fixed);
    }
    return v;
}

/* A real rounded to four decimals where that means anything (below ~1e304:
 * past it the scaling overflows, and the value has no decimals to round);
 * null for NaN and the infinities, which JSON cannot hold (a hostile
 * database's 1e999: written, not refused as if memory ran out). */
static json_t *json_ratio(double r)
{
    if (!isfinite(r))
        return json_null();
    return json_real(isfinite(r * 10000.0) ? round(r * 10000.0) / 10000.0 : r);
}

/* One object of the array through jansson, indented as jansson indents a whole
 * array (so a streamed listing is byte-identical to a table written at once).
 * The reference json_row_fast matches, and its fallback. */
static void json_row_jansson(apn_rowout *w, const apn_tcell *cells)
{
    json_t *obj = json_object();
    char *text = NULL;
    if (!obj) {
        w->err = APN_ENOMEM;
        return;
    }
    for (size_t c = 0; c < w->ncols; c++) {
        const apn_tcell *x = &cells[c];
        json_t *v;
        if (x->null)
            v = json_null();
        else if (w->types[c] == APN_COL_INT)
            v = json_integer(x->i);
        else if (w->types[c] == APN_COL_BOOL)
            v = json_boolean(x->i);
        else if (w->types[c] == APN_COL_REAL)
            v = json_ratio(x->r);
        else
            v = json_text(x->s ? x->s : "");
        char *fixed = utf8_ok(w->names[c]) ? NULL : utf8_repaired(w->names[c]);
        const char *key = fixed ? fixed : w->names[c];
        int bad = !v || json_object_set_new(obj, key, v);   /* steals v, also on failure */
        apn_free(fixed);
        if (bad) {
            w->err = APN_ENOMEM;
            goto cleanup;
        }
    }
    /* Keys keep column order; / is escaped so the JSON can sit in a <script>. */
    if (!(text = json_dumps(obj, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15) |
                                     JSON_ESCAPE_SLASH))) {
        w->err = APN_ENOMEM;
        goto cleanup;
    }
    fputs(w->nrows ? ",\n  " : "[\n  ", w->f);
    /* JSON strings escape newlines: every raw one is a line break */
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
        fwrite(p, 1, n, w->f);
        if (nl)
            fputs("  ", w->f);
        p += n;
    }
cleanup:
    free(text); /* jansson's allocator */
    json_decref(obj);
}

/* A JSON string as json_dumps writes it with JSON_ESCAPE_SLASH (and without
 * JSON_ENSURE_ASCII): UTF-8 kept, \" \\ \/ \b \f \n \r \t, other controls as
 * \u00XX in upper case, DEL kept. -1 (the buffer then half-written) for text
 * that is not UTF-8, which json_string refuses. */
static int json_put_string(apn_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)s, *run = p;
    apn_buf_putc(b, '"');
    for (;;) {
        unsigned c = *p;
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\' && c != '/') {
            p++;
            continue;
        }
        if (c >= 0x80) {
            size_t n = apn_utf8_seq(p, 4, NULL);   /* jansson refuses what this does */
            if (!n)
                return -1;
            p += n;
            continue;
        }
        apn_buf_put(b, (const char *)run, (size_t)(p - run));
        if (!c)
            break;
        char esc[6] = { '\\', 0, '0', '0', hex[c >> 4], hex[c & 15] };
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '/': esc[1] = '/'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default: esc[1] = 'u'; break;
        }
        apn_buf_put(b, esc, esc[1] == 'u' ? 6 : 2);
        run = ++p;
    }
    apn_buf_putc(b, '"');
    return 0;
}

/* The ratio as json_real(round(r * 1e4) / 1e4) dumps with JSON_REAL_PRECISION(15):
 * that double is the one nearest k / 10^4 (k = the rounded integer), and for
 * |k| < 10^15 that decimal has at most 15 significant digits, so %.15g gives it
 * back exactly (DBL_DIG), trailing zeros dropped, never in exponent form (it is
 * 0 or >= 1e-4 and < 1e11), with ".0" appended by jansson when there is no
 * point. -1 for the rest (NaN, infinities, large), left to jansson. */
static int json_put_real(apn_buf *b, double r)
{
    double y = round(r * 10000.0);
    if (!(fabs(y) < 1e15))
        return -1;
    if (signbit(y))
        apn_buf_putc(b, '-');   /* -0.0 too: %g writes "-0" */
    long long k = (long long)fabs(y);
    int frac = (int)(k % 10000);
    put_int(b, k / 10000);
    if (!frac) {
        apn_buf_put(b, ".0", 2);
        return 0;
    }
    char dec[5];
    size_t n = sizeof dec;
    dec[0] = '.';
    for (int i = 4; i >= 1; i--, frac /= 10)
        dec[i] = (char)('0' + frac % 10);
    while (dec[n - 1] == '0')
        n--;
    apn_buf_put(b, dec, n);
    return 0;
}

/* The row as json_row_jansson writes it, assembled in w->b and written with
 * one fwrite; -1, nothing written, when a cell needs jansson. */
static int json_row_fast(apn_rowout *w, const apn_tcell *cells)
{
    apn_buf *b = &w->b;
    apn_buf_clear(b);
    apn_buf_puts(b, w->nrows ? ",\n  {" : "[\n  {");
    for (size_t c = 0; c < w->ncols; c++) {
        const apn_tcell *x = &cells[c];
        apn_buf_put(b, w->keys.ptr + w->koff[c], w->koff[c + 1] - w->koff[c]);
        if (x->null) {
            apn_buf_put(b, "null", 4);
            continue;
        }
        switch (w->types[c]) {
        case APN_COL_INT: put_int(b, x->i); break;
        case APN_COL_BOOL: apn_buf_puts(b, x->i ? "true" : "false"); break;
        case APN_COL_REAL:
            if (json_put_real(b, x->r) < 0)
                return -1;
            break;
        default:
            if (json_put_string(b, x->s ? x->s : "") < 0)
                return -1;
            break;
        }
    }
    apn_buf_puts(b, w->ncols ? "\n  }" : "}");
    if (!b->oom)
        fwrite(b->ptr, 1, b->len, w->f);
    return 0;
}

void apn_rowout_row(apn_rowout *w, const apn_tcell *cells)
{
    if (w->err)
        return;
    if (w->fmt == APN_FMT_CSV)
        csv_row(w, cells);
    else if (w->slow || json_row_fast(w, cells) < 0)
        json_row_jansson(w, cells);
    w->nrows++;
}

int apn_rowout_end(apn_rowout *w)
{
    if (w->fmt == APN_FMT_JSON && !w->err)
        fputs(w->nrows ? "\n]\n" : "[]\n", w->f);
    int err = w->err ? w->err : w->b.oom ? APN_ENOMEM : ferror(w->f) ? APN_EIO : 0;
    apn_buf_dispose(&w->b);
    apn_buf_dispose(&w->keys);
    apn_free(w->koff);
    w->koff = NULL;
    return err;
}

static int write_rows(const apn_table *t, FILE *f, apn_format fmt)
{
    apn_rowout w;
    apn_tcell *row = apn_calloc(t->ncols, sizeof *row);
    if (!row)
        return APN_ENOMEM;
    apn_rowout_begin(&w, f, fmt, t->ncols, (const char *const *)t->names, t->types);
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            const cell *x = at(t, r, c);
            row[c] = (apn_tcell){ x->null, x->i, x->r, x->s };
        }
        apn_rowout_row(&w, row);
    }
    apn_free(row);
    return apn_rowout_end(&w);
}

/* Display width of UTF-8 text: code points, not bytes. */
static size_t width(const char *s)
{
    return apn_utf8_chars(s);
}

static void put_spaces(apn_buf *b, size_t n)
{
    static const char sp[] = "                                ";
    for (size_t k; n; n -= k) {
        k = n < sizeof sp - 1 ? n : sizeof sp - 1;
        apn_buf_put(b, sp, k);
    }
}

static int write_text(const apn_table *t, FILE *f)
{
    apn_buf b = APN_BUF_INIT, line = APN_BUF_INIT;
    size_t *w = apn_calloc(t->ncols, sizeof *w);
    if (!w)
        return APN_ENOMEM;
    for (size_t c = 0; c < t->ncols; c++)
        w[c] = width(t->names[c]);
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            cell_text(t, r, c, &b);
            size_t x = width(apn_buf_cstr(&b));
            if (x > w[c])
                w[c] = x;
        }
    /* each line is assembled in `line` and written at once: a formatted
     * print per pad was most of a large table's time */
    for (size_t r = 0; r <= t->nrows + 1; r++) {
        apn_buf_clear(&line);
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s;
            if (r == 0)
                s = t->names[c];
            else if (r == 1) {
                apn_buf_clear(&b);
                for (size_t i = 0; i < w[c]; i++)
                    apn_buf_putc(&b, '-');
                s = apn_buf_cstr(&b);
            } else {
                cell_text(t, r - 2, c, &b);
                s = apn_buf_cstr(&b);
            }
            int right = r >= 2 && t->types[c] != APN_COL_TEXT;
            size_t pad = w[c] - width(s);
            if (right)
                put_spaces(&line, pad);
            apn_buf_puts(&line, s);
            if (c + 1 < t->ncols)
                put_spaces(&line, right ? 2 : pad + 2);
        }
        apn_buf_putc(&line, '\n');
        if (!line.oom)
            fwrite(line.ptr, 1, line.len, f);
    }
    int oom = b.oom || line.oom;
    apn_buf_dispose(&b);
    apn_buf_dispose(&line);
    apn_free(w);
    return oom ? APN_ENOMEM : ferror(f) ? APN_EIO : 0;
}

int apn_table_write(const apn_table *t, FILE *f, apn_format fmt)
{
    switch (fmt) {
    case APN_FMT_CSV:
    case APN_FMT_JSON: return write_rows(t, f, fmt);
    default: return write_text(t, f);
    }
}

int apn_table_format_parse(apn_format *out, const char *name)
{
    if (!strcmp(name, "table"))
        *out = APN_FMT_TABLE;
    else if (!strcmp(name, "csv"))
        *out = APN_FMT_CSV;
    else if (!strcmp(name, "json"))
        *out = APN_FMT_JSON;
    else
        return APN_EUSAGE;
    return 0;
}
