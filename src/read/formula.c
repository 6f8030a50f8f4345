/* formula — shift and evaluate spreadsheet formulas. See formula.h.
 *
 * Sections: 1. references (shared by shift and eval), 2. apn_formula_shift,
 * 3. values and comparisons, 4. the recursive-descent evaluator, 5. functions.
 *
 * The evaluator walks the text once, evaluating as it parses; the branch of an
 * IF that is not taken is parsed in "skip" mode (syntax checked, nothing looked
 * up), as Excel evaluates IF lazily and a workbook's unused branch may point at
 * cells that are themselves being computed.
 */
#include "read/formula.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <apnmap/common.h>

#include "util/buf.h"
#include "util/utf8.h"

#define MAX_COL 16384u     /* Excel's XFD */
#define MAX_ROW 1048576u
#define MAX_DEPTH 64       /* nesting of parentheses and calls */
#define MAX_ARGS 64
#define MAX_VISITS 4000000L /* cells visited by range functions in one evaluation */
#define RANGE_ROWS_UNKNOWN 65536u /* rows scanned by D:D when the lookup cannot say */

/* ==== 1. references ===================================================== */

static int is_ident(int c) { return isalnum(c) || c == '_' || c == '.' || c == '$'; }

/* Parses "$?LETTERS" at s (1-3 letters, within XFD). Returns characters used, 0 if none. */
static size_t scan_col(const char *s, unsigned *col, int *abs)
{
    size_t i = 0;
    unsigned c = 0;
    *abs = s[i] == '$';
    if (*abs)
        i++;
    size_t start = i;
    while (isalpha((unsigned char)s[i]) && i - start < 4) {
        c = c * 26 + (unsigned)(toupper((unsigned char)s[i]) - 'A' + 1);
        i++;
    }
    if (i == start || i - start > 3 || c > MAX_COL)
        return 0;
    *col = c - 1;
    return i;
}

/* Parses "$?DIGITS" at s (1..MAX_ROW). Returns characters used, 0 if none. */
static size_t scan_row(const char *s, unsigned *row, int *abs)
{
    size_t i = 0;
    unsigned long r = 0;
    *abs = s[i] == '$';
    if (*abs)
        i++;
    size_t start = i;
    while (isdigit((unsigned char)s[i])) {
        r = r * 10 + (unsigned)(s[i] - '0');
        if (r > MAX_ROW)
            return 0;
        i++;
    }
    if (i == start || r == 0)
        return 0;
    *row = (unsigned)r;
    return i;
}

/* A token of n characters is a whole cell reference "$C$7". */
static int token_cell(const char *s, size_t n, unsigned *row, unsigned *col, int *rabs, int *cabs)
{
    size_t a = scan_col(s, col, cabs);
    if (!a)
        return 0;
    size_t b = scan_row(s + a, row, rabs);
    return b && a + b == n;
}

static int token_colonly(const char *s, size_t n, unsigned *col, int *cabs)
{
    size_t a = scan_col(s, col, cabs);
    return a && a == n;
}

static int token_rowonly(const char *s, size_t n, unsigned *row, int *rabs)
{
    size_t a = scan_row(s, row, rabs);
    return a && a == n;
}

static size_t token_len(const char *s)
{
    size_t n = 0;
    while (s[n] && is_ident((unsigned char)s[n]))
        n++;
    return n;
}

static void put_col(apn_buf *b, unsigned col)
{
    char tmp[8];
    int n = 0;
    col++;
    while (col) {
        tmp[n++] = (char)('A' + (col - 1) % 26);
        col = (col - 1) / 26;
    }
    while (n)
        apn_buf_putc(b, tmp[--n]);
}

/* ==== 2. apn_formula_shift =============================================== */

static int shifted(unsigned v, int abs, int d, unsigned max, unsigned *out)
{
    long long r = (long long)v + (abs ? 0 : d);
    if (r < 0 || r >= (long long)max)
        return -1;
    *out = (unsigned)r;
    return 0;
}

const char *apn_formula_shift(apn_arena *arena, const char *formula, int drow, int dcol)
{
    apn_buf b = APN_BUF_INIT;
    const char *out = NULL;
    const char *s = formula;
    int bad = 0;
    while (*s && !bad) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\'' || c == '[') {
            /* string literal, quoted sheet name or structured reference: verbatim */
            char close = c == '[' ? ']' : (char)c;
            size_t i = 1;
            for (;;) {
                if (!s[i])
                    break;
                if (s[i] == close) {
                    if (close != ']' && s[i + 1] == close) {
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                i++;
            }
            apn_buf_put(&b, s, i);
            s += i;
            continue;
        }
        if (!(isalnum(c) || c == '$' || c == '_' || c == '.')) {
            apn_buf_putc(&b, (char)c);
            s++;
            continue;
        }
        size_t n = token_len(s);
        unsigned row, col, row2, col2;
        int ra, ca, ra2, ca2;
        if (s[n] == '(' || s[n] == '!') {
            /* function name or unquoted sheet name */
            apn_buf_put(&b, s, n);
            s += n;
            continue;
        }
        if (token_cell(s, n, &row, &col, &ra, &ca)) {
            unsigned r, k;
            if (shifted(row - 1, ra, drow, MAX_ROW, &r) < 0 ||
                shifted(col, ca, dcol, MAX_COL, &k) < 0) {
                bad = 1;
                break;
            }
            if (ca)
                apn_buf_putc(&b, '$');
            put_col(&b, k);
            apn_buf_printf(&b, "%s%u", ra ? "$" : "", r + 1);
            s += n;
            continue;
        }
        /* whole columns D:D and whole rows 3:5 */
        if (s[n] == ':') {
            size_t n2 = token_len(s + n + 1);
            const char *t = s + n + 1;
            if (token_colonly(s, n, &col, &ca) && token_colonly(t, n2, &col2, &ca2)) {
                unsigned k1, k2;
                if (shifted(col, ca, dcol, MAX_COL, &k1) < 0 ||
                    shifted(col2, ca2, dcol, MAX_COL, &k2) < 0) {
                    bad = 1;
                    break;
                }
                if (ca)
                    apn_buf_putc(&b, '$');
                put_col(&b, k1);
                apn_buf_putc(&b, ':');
                if (ca2)
                    apn_buf_putc(&b, '$');
                put_col(&b, k2);
                s = t + n2;
                continue;
            }
            if (token_rowonly(s, n, &row, &ra) && token_rowonly(t, n2, &row2, &ra2)) {
                unsigned r1, r2;
                if (shifted(row - 1, ra, drow, MAX_ROW, &r1) < 0 ||
                    shifted(row2 - 1, ra2, drow, MAX_ROW, &r2) < 0) {
                    bad = 1;
                    break;
                }
                apn_buf_printf(&b, "%s%u:%s%u", ra ? "$" : "", r1 + 1, ra2 ? "$" : "", r2 + 1);
                s = t + n2;
                continue;
            }
        }
        /* a name, number or keyword: verbatim */
        apn_buf_put(&b, s, n);
        s += n;
    }
    if (!bad && !b.oom)
        out = apn_arena_strdup(arena, apn_buf_cstr(&b));
    apn_buf_dispose(&b);
    return out;
}

/* ==== 3. values ========================================================== */

/* An evaluated operand: a value, and where it came from when it is a reference
 * (ranges keep their corners: COUNTIF and AND/OR walk them). */
typedef struct val {
    apn_value v;
    int isref;          /* 1: a reference (cell or range) */
    int range;          /* more than one cell (v is unset) */
    const char *sheet;  /* NULL: own sheet */
    unsigned r1, c1, r2, c2;  /* rows 1-based, cols 0-based, inclusive */
} val;

static apn_value v_err(const char *code)
{
    apn_value v = { APN_V_ERR, 0, 0, code };
    return v;
}
static apn_value v_bool(int b)
{
    apn_value v = { APN_V_BOOL, b != 0, 0, NULL };
    return v;
}
static apn_value v_num(double d)
{
    apn_value v = { APN_V_NUM, 0, d, NULL };
    return v;
}
static apn_value v_str(const char *s)
{
    apn_value v = { APN_V_STR, 0, 0, s };
    return v;
}

static int ci_cmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int x = tolower((unsigned char)*a), y = tolower((unsigned char)*b);
        if (x != y || !x)
            return x < y ? -1 : x > y;
    }
}

/* Parses a whole string as a number (surrounding spaces allowed). */
static int text_number(const char *s, double *out)
{
    char *end;
    while (isspace((unsigned char)*s))
        s++;
    if (!*s || !(isdigit((unsigned char)*s) || *s == '.' || *s == '-' || *s == '+'))
        return 0;
    for (const char *q = s; *q; q++)
        if (!(isdigit((unsigned char)*q) || strchr(".-+eE ", *q)))
            return 0;   /* no hex, inf or nan */
    double d = strtod(s, &end);
    while (isspace((unsigned char)*end))
        end++;
    if (*end || !isfinite(d))
        return 0;
    *out = d;
    return 1;
}

const char *apn_value_text(apn_arena *arena, const apn_value *v)
{
    switch (v->type) {
    case APN_V_STR:
    case APN_V_ERR: return v->str ? v->str : "";
    case APN_V_BOOL: return v->b ? "TRUE" : "FALSE";
    case APN_V_NUM: return apn_arena_printf(arena, "%.15g", v->num);
    default: return "";
    }
}

/* Excel's ordering for comparisons: numbers < text < booleans; an empty cell
 * takes the other side's type (0, "" or FALSE). */
static int type_rank(apn_vtype t) { return t == APN_V_NUM ? 0 : t == APN_V_STR ? 1 : 2; }

static int compare(const apn_value *a, const apn_value *b)
{
    apn_value x = *a, y = *b;
    if (x.type == APN_V_EMPTY && y.type == APN_V_EMPTY)
        return 0;
    if (x.type == APN_V_EMPTY)
        x = y.type == APN_V_NUM ? v_num(0) : y.type == APN_V_STR ? v_str("") : v_bool(0);
    if (y.type == APN_V_EMPTY)
        y = x.type == APN_V_NUM ? v_num(0) : x.type == APN_V_STR ? v_str("") : v_bool(0);
    if (x.type != y.type)
        return type_rank(x.type) < type_rank(y.type) ? -1 : 1;
    switch (x.type) {
    case APN_V_NUM: return x.num < y.num ? -1 : x.num > y.num;
    case APN_V_STR: return ci_cmp(x.str, y.str);
    default: return x.b < y.b ? -1 : x.b > y.b;
    }
}

/* ==== 4. evaluator ======================================================== */

typedef struct parser {
    const char *s;
    size_t pos;
    apn_formula_lookup lookup;
    void *ud;
    apn_arena *arena;
    char *err;
    size_t errlen;
    int depth;
    long visits;
} parser;

static int fail(parser *p, int code, const char *fmt, const char *arg)
{
    if (p->err && p->errlen) {
        char tmp[160];
        snprintf(tmp, sizeof tmp, fmt, arg ? arg : "");
        snprintf(p->err, p->errlen, "%s (at offset %zu)", tmp, p->pos);
    }
    return code;
}

static void skip_ws(parser *p)
{
    while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\n' ||
           p->s[p->pos] == '\r')
        p->pos++;
}

static int expr(parser *p, val *out, int skip);

/* Reads one cell through the callback. */
static int fetch(parser *p, const char *sheet, unsigned row, unsigned col, apn_value *out)
{
    memset(out, 0, sizeof *out);
    int rc = p->lookup(p->ud, sheet, row, col, out);
    if (rc < 0) {
        if (p->err && p->err[0] == 0)
            fail(p, rc, "cell lookup failed: %s", apn_strerror(rc));
        return rc;
    }
    if ((out->type == APN_V_STR || out->type == APN_V_ERR) && !out->str)
        *out = out->type == APN_V_STR ? v_str("") : v_err("#VALUE!");
    return 0;
}

/* The value of an operand in a scalar position: a range has none (#VALUE!). */
static apn_value scalar(const val *v)
{
    return v->range ? v_err("#VALUE!") : v->v;
}

static int to_num(const apn_value *v, double *d, apn_value *err)
{
    switch (v->type) {
    case APN_V_NUM: *d = v->num; return 0;
    case APN_V_BOOL: *d = v->b; return 0;
    case APN_V_EMPTY: *d = 0; return 0;
    case APN_V_STR:
        if (text_number(v->str, d))
            return 0;
        *err = v_err("#VALUE!");
        return -1;
    default: *err = *v; return -1;
    }
}

static int to_bool(const apn_value *v, int *b, apn_value *err)
{
    switch (v->type) {
    case APN_V_BOOL: *b = v->b; return 0;
    case APN_V_NUM: *b = v->num != 0; return 0;
    case APN_V_EMPTY: *b = 0; return 0;
    case APN_V_STR:
        if (!ci_cmp(v->str, "TRUE") || !ci_cmp(v->str, "FALSE")) {
            *b = !ci_cmp(v->str, "TRUE");
            return 0;
        }
        *err = v_err("#VALUE!");
        return -1;
    default: *err = *v; return -1;
    }
}

static const char *to_text(parser *p, const apn_value *v)
{
    return apn_value_text(p->arena, v);
}

static int nomem(parser *p) { return fail(p, APN_ENOMEM, "out of memory%s", ""); }

static int parse_string(parser *p, val *out, int skip)
{
    apn_buf b = APN_BUF_INIT;
    p->pos++;   /* opening quote */
    for (;;) {
        char c = p->s[p->pos];
        if (!c) {
            apn_buf_dispose(&b);
            return fail(p, APN_EPARSE, "unterminated string%s", "");
        }
        p->pos++;
        if (c == '"') {
            if (p->s[p->pos] != '"')
                break;
            p->pos++;
        }
        if (!skip)
            apn_buf_putc(&b, c);
    }
    const char *s = skip ? "" : apn_arena_strdup(p->arena, apn_buf_cstr(&b));
    int oom = b.oom;
    apn_buf_dispose(&b);
    if (!s || oom)
        return nomem(p);
    out->v = v_str(s);
    return 0;
}

static int parse_number(parser *p, val *out)
{
    const char *s = p->s + p->pos;
    size_t n = 0;
    while (isdigit((unsigned char)s[n]))
        n++;
    if (s[n] == '.') {
        n++;
        while (isdigit((unsigned char)s[n]))
            n++;
    }
    if ((s[n] == 'e' || s[n] == 'E') &&
        (isdigit((unsigned char)s[n + 1]) ||
         ((s[n + 1] == '+' || s[n + 1] == '-') && isdigit((unsigned char)s[n + 2])))) {
        n += 2;
        while (isdigit((unsigned char)s[n]))
            n++;
    }
    char tmp[64];
    if (n == 0 || n >= sizeof tmp || (n == 1 && s[0] == '.'))
        return fail(p, APN_EPARSE, "bad number%s", "");
    memcpy(tmp, s, n);
    tmp[n] = 0;
    double d = strtod(tmp, NULL);
    p->pos += n;
    out->v = isfinite(d) ? v_num(d) : v_err("#NUM!");
    return 0;
}

static int parse_error_literal(parser *p, val *out)
{
    static const char *const errs[] = { "#NULL!", "#DIV/0!", "#VALUE!", "#REF!",
                                        "#NAME?", "#NUM!", "#N/A" };
    for (size_t i = 0; i < sizeof errs / sizeof *errs; i++) {
        size_t n = strlen(errs[i]);
        if (!strncasecmp(p->s + p->pos, errs[i], n)) {
            p->pos += n;
            out->v = v_err(errs[i]);
            return 0;
        }
    }
    return fail(p, APN_EPARSE, "unknown error literal%s", "");
}

/* Parses a reference at pos (after an optional sheet prefix): C7, $C$7, C7:D9,
 * D:D, 3:5. Looks the value up unless skipping or a range. */
static int parse_ref(parser *p, const char *sheet, val *out, int skip)
{
    const char *s = p->s + p->pos;
    size_t n = token_len(s);
    unsigned row, col, row2, col2;
    int ra, ca;
    out->isref = 1;
    out->sheet = sheet;
    if (token_cell(s, n, &row, &col, &ra, &ca)) {
        out->r1 = out->r2 = row;
        out->c1 = out->c2 = col;
        p->pos += n;
        if (p->s[p->pos] == ':') {
            const char *t = p->s + p->pos + 1;
            size_t n2 = token_len(t);
            if (!token_cell(t, n2, &row2, &col2, &ra, &ca))
                return fail(p, APN_EPARSE, "bad range%s", "");
            p->pos += 1 + n2;
            out->r1 = row < row2 ? row : row2;
            out->r2 = row < row2 ? row2 : row;
            out->c1 = col < col2 ? col : col2;
            out->c2 = col < col2 ? col2 : col;
            out->range = out->r1 != out->r2 || out->c1 != out->c2;
        }
    } else if (s[n] == ':' && token_colonly(s, n, &col, &ca) &&
               token_colonly(s + n + 1, token_len(s + n + 1), &col2, &ca)) {
        p->pos += n + 1 + token_len(s + n + 1);
        out->r1 = 1;
        out->r2 = MAX_ROW;
        out->c1 = col < col2 ? col : col2;
        out->c2 = col < col2 ? col2 : col;
        out->range = 1;
    } else if (s[n] == ':' && token_rowonly(s, n, &row, &ra) &&
               token_rowonly(s + n + 1, token_len(s + n + 1), &row2, &ra)) {
        p->pos += n + 1 + token_len(s + n + 1);
        out->r1 = row < row2 ? row : row2;
        out->r2 = row < row2 ? row2 : row;
        out->c1 = 0;
        out->c2 = MAX_COL - 1;
        out->range = 1;
    } else {
        char name[48];
        snprintf(name, sizeof name, "%.*s", (int)(n ? n : 1), s);
        return fail(p, APN_EPARSE, "not a cell reference: %s", name);
    }
    if (!skip && !out->range)
        return fetch(p, sheet, out->r1, out->c1, &out->v);
    return 0;
}

static int call(parser *p, const char *name_start, size_t n, val *out, int skip);

static int primary(parser *p, val *out, int skip)
{
    skip_ws(p);
    memset(out, 0, sizeof *out);
    const char *s = p->s + p->pos;
    unsigned char c = (unsigned char)*s;
    if (c == '"')
        return parse_string(p, out, skip);
    if (isdigit(c) || (c == '.' && isdigit((unsigned char)s[1]))) {
        /* a whole-row range 3:5 starts with digits too */
        size_t n = token_len(s);
        unsigned r;
        int a;
        if (s[n] == ':' && token_rowonly(s, n, &r, &a))
            return parse_ref(p, NULL, out, skip);
        return parse_number(p, out);
    }
    if (c == '#')
        return parse_error_literal(p, out);
    if (c == '(') {
        int rc;
        if (++p->depth > MAX_DEPTH)
            return fail(p, APN_EPARSE, "formula nested too deeply%s", "");
        p->pos++;
        if ((rc = expr(p, out, skip)) < 0)
            return rc;
        skip_ws(p);
        if (p->s[p->pos] != ')')
            return fail(p, APN_EPARSE, "missing ')'%s", "");
        p->pos++;
        p->depth--;
        return 0;
    }
    if (c == '\'') {
        /* 'Sheet name'!C2 ('' is a quote inside the name) */
        apn_buf b = APN_BUF_INIT;
        size_t i = 1;
        for (;;) {
            if (!s[i]) {
                apn_buf_dispose(&b);
                return fail(p, APN_EPARSE, "unterminated sheet name%s", "");
            }
            if (s[i] == '\'') {
                if (s[i + 1] != '\'')
                    break;
                i++;
            }
            apn_buf_putc(&b, s[i]);
            i++;
        }
        const char *sheet = apn_arena_strdup(p->arena, apn_buf_cstr(&b));
        int oom = b.oom;
        apn_buf_dispose(&b);
        if (!sheet || oom)
            return nomem(p);
        if (s[i + 1] != '!')
            return fail(p, APN_EPARSE, "expected '!' after sheet name%s", "");
        p->pos += i + 2;
        return parse_ref(p, sheet, out, skip);
    }
    if (isalpha(c) || c == '$' || c == '_') {
        size_t n = token_len(s);
        size_t after = n;
        while (s[after] == ' ')
            after++;
        if (s[after] == '(' && c != '$') {
            p->pos += after + 1;
            return call(p, s, n, out, skip);
        }
        if (s[n] == '!') {
            const char *sheet = apn_arena_strndup(p->arena, s, n);
            if (!sheet)
                return nomem(p);
            p->pos += n + 1;
            return parse_ref(p, sheet, out, skip);
        }
        if (n == 4 && !strncasecmp(s, "TRUE", 4)) {
            p->pos += n;
            out->v = v_bool(1);
            return 0;
        }
        if (n == 5 && !strncasecmp(s, "FALSE", 5)) {
            p->pos += n;
            out->v = v_bool(0);
            return 0;
        }
        return parse_ref(p, NULL, out, skip);
    }
    if (!c)
        return fail(p, APN_EPARSE, "unexpected end of formula%s", "");
    char tmp[2] = { (char)c, 0 };
    return fail(p, APN_EPARSE, "unexpected '%s'", tmp);
}

/* postfix %, then unary + and - (tighter than ^, as in Excel: -2^2 = 4) */
static int unary(parser *p, val *out, int skip)
{
    skip_ws(p);
    char c = p->s[p->pos];
    if (c == '-' || c == '+') {
        int rc;
        p->pos++;
        if (++p->depth > MAX_DEPTH)
            return fail(p, APN_EPARSE, "formula nested too deeply%s", "");
        if ((rc = unary(p, out, skip)) < 0)
            return rc;
        p->depth--;
        apn_value a = scalar(out);
        double d;
        out->isref = out->range = 0;
        if (to_num(&a, &d, &out->v) == 0)
            out->v = v_num(c == '-' ? -d : d);
        return 0;
    }
    int rc = primary(p, out, skip);
    if (rc < 0)
        return rc;
    for (;;) {
        skip_ws(p);
        if (p->s[p->pos] != '%')
            return 0;
        p->pos++;
        apn_value a = scalar(out);
        double d;
        out->isref = out->range = 0;
        if (to_num(&a, &d, &out->v) == 0)
            out->v = v_num(d / 100);
    }
}

static void arith(val *l, const val *r, char op)
{
    apn_value a = scalar(l), b = scalar(r), e;
    double x, y;
    l->isref = l->range = 0;
    if (to_num(&a, &x, &e) < 0 || to_num(&b, &y, &e) < 0) {
        l->v = e;
        return;
    }
    double z = 0;
    switch (op) {
    case '+': z = x + y; break;
    case '-': z = x - y; break;
    case '*': z = x * y; break;
    case '/':
        if (y == 0) {
            l->v = v_err("#DIV/0!");
            return;
        }
        z = x / y;
        break;
    default: z = pow(x, y); break;
    }
    l->v = isfinite(z) ? v_num(z) : v_err("#NUM!");
}

static int power(parser *p, val *out, int skip)
{
    int rc = unary(p, out, skip);
    while (rc == 0) {
        skip_ws(p);
        if (p->s[p->pos] != '^')
            break;
        p->pos++;
        val r;
        if ((rc = unary(p, &r, skip)) == 0)
            arith(out, &r, '^');
    }
    return rc;
}

static int term(parser *p, val *out, int skip)
{
    int rc = power(p, out, skip);
    while (rc == 0) {
        skip_ws(p);
        char c = p->s[p->pos];
        if (c != '*' && c != '/')
            break;
        p->pos++;
        val r;
        if ((rc = power(p, &r, skip)) == 0)
            arith(out, &r, c);
    }
    return rc;
}

static int sum(parser *p, val *out, int skip)
{
    int rc = term(p, out, skip);
    while (rc == 0) {
        skip_ws(p);
        char c = p->s[p->pos];
        if (c != '+' && c != '-')
            break;
        p->pos++;
        val r;
        if ((rc = term(p, &r, skip)) == 0)
            arith(out, &r, c);
    }
    return rc;
}

static int concat(parser *p, val *out, int skip)
{
    int rc = sum(p, out, skip);
    while (rc == 0) {
        skip_ws(p);
        if (p->s[p->pos] != '&')
            break;
        p->pos++;
        val r;
        if ((rc = sum(p, &r, skip)) < 0)
            break;
        apn_value a = scalar(out), b = scalar(&r);
        out->isref = out->range = 0;
        if (a.type == APN_V_ERR || b.type == APN_V_ERR) {
            out->v = a.type == APN_V_ERR ? a : b;
            continue;
        }
        if (skip) {
            out->v = v_str("");
            continue;
        }
        const char *x = to_text(p, &a), *y = to_text(p, &b);
        const char *z = x && y ? apn_arena_printf(p->arena, "%s%s", x, y) : NULL;
        if (!z)
            return nomem(p);
        out->v = v_str(z);
    }
    return rc;
}

static int expr(parser *p, val *out, int skip)
{
    int rc = concat(p, out, skip);
    while (rc == 0) {
        skip_ws(p);
        const char *s = p->s + p->pos;
        int op; /* 1 =, 2 <>, 3 <, 4 >, 5 <=, 6 >= */
        size_t n = 1;
        if (s[0] == '=')
            op = 1;
        else if (s[0] == '<' && s[1] == '>')
            op = 2, n = 2;
        else if (s[0] == '<' && s[1] == '=')
            op = 5, n = 2;
        else if (s[0] == '>' && s[1] == '=')
            op = 6, n = 2;
        else if (s[0] == '<')
            op = 3;
        else if (s[0] == '>')
            op = 4;
        else
            break;
        p->pos += n;
        val r;
        if ((rc = concat(p, &r, skip)) < 0)
            break;
        apn_value a = scalar(out), b = scalar(&r);
        out->isref = out->range = 0;
        if (a.type == APN_V_ERR || b.type == APN_V_ERR) {
            out->v = a.type == APN_V_ERR ? a : b;
            continue;
        }
        int c = compare(&a, &b);
        int t = op == 1 ? c == 0 : op == 2 ? c != 0 : op == 3 ? c < 0 : op == 4 ? c > 0
              : op == 5 ? c <= 0 : c >= 0;
        out->v = v_bool(t);
    }
    return rc;
}

/* ==== 5. functions ======================================================== */

/* Case-insensitive glob with Excel's wildcards: * ? and ~ to escape. */
static int glob_match(const char *pat, const char *s)
{
    const char *star = NULL, *resume = NULL;
    while (*s) {
        if (*pat == '~' && (pat[1] == '*' || pat[1] == '?' || pat[1] == '~') &&
            tolower((unsigned char)pat[1]) == tolower((unsigned char)*s)) {
            pat += 2;
            s++;
        } else if (*pat == '*') {
            star = ++pat;
            resume = s;
        } else if (*pat == '?' || (*pat && *pat != '~' &&
                   tolower((unsigned char)*pat) == tolower((unsigned char)*s))) {
            pat++;
            s++;
        } else if (star) {
            pat = star;
            s = ++resume;
        } else {
            return 0;
        }
    }
    while (*pat == '*')
        pat++;
    return !*pat;
}

/* Whether cell value v meets a COUNTIF criterion. */
static int criterion_match(parser *p, const apn_value *crit, const apn_value *v)
{
    if (crit->type == APN_V_NUM)
        return v->type == APN_V_NUM && v->num == crit->num;
    if (crit->type == APN_V_BOOL)
        return v->type == APN_V_BOOL && v->b == crit->b;
    const char *c = crit->type == APN_V_STR ? crit->str : "";
    int op = 1; /* 1 =, 2 <>, 3 <, 4 >, 5 <=, 6 >= */
    if (!strncmp(c, "<>", 2)) op = 2, c += 2;
    else if (!strncmp(c, "<=", 2)) op = 5, c += 2;
    else if (!strncmp(c, ">=", 2)) op = 6, c += 2;
    else if (*c == '<') op = 3, c++;
    else if (*c == '>') op = 4, c++;
    else if (*c == '=') op = 1, c++;
    int empty = v->type == APN_V_EMPTY;
    if (!*c) {
        int is_empty = empty || (v->type == APN_V_STR && !*v->str);
        if (op == 1)
            return is_empty;
        if (op == 2)
            return !empty;
        return 0;
    }
    double d;
    int match;
    if (text_number(c, &d)) {
        if (v->type != APN_V_NUM)
            return op == 2;
        int k = v->num < d ? -1 : v->num > d;
        match = op == 1 ? k == 0 : op == 2 ? k != 0 : op == 3 ? k < 0 : op == 4 ? k > 0
              : op == 5 ? k <= 0 : k >= 0;
        return match;
    }
    if (op == 1 || op == 2) {
        const char *t = v->type == APN_V_STR ? v->str
                      : v->type == APN_V_EMPTY ? "" : to_text(p, v);
        int m = t && v->type != APN_V_NUM && glob_match(c, t);
        if (v->type == APN_V_EMPTY)
            m = 0;
        return op == 1 ? m : !m;
    }
    if (v->type != APN_V_STR)
        return 0;
    int k = ci_cmp(v->str, c);
    return op == 3 ? k < 0 : op == 4 ? k > 0 : op == 5 ? k <= 0 : k >= 0;
}

/* The last row worth visiting in a range on sheet: asks the lookup (row 0). */
static int range_last_row(parser *p, const val *r, unsigned *last)
{
    apn_value ext;
    int rc = fetch(p, r->sheet, 0, r->c1, &ext);
    if (rc < 0)
        return rc;
    unsigned lim = RANGE_ROWS_UNKNOWN;
    if (ext.type == APN_V_NUM && ext.num >= 0 && ext.num < MAX_ROW)
        lim = (unsigned)ext.num;
    *last = r->r2 < lim ? r->r2 : lim;
    return 0;
}

/* Calls fn for each cell of range r (a single cell too). */
typedef int (*cell_fn)(parser *p, void *ctx, const apn_value *v);
static int each_cell(parser *p, const val *r, cell_fn fn, void *ctx)
{
    if (!r->isref)
        return fn(p, ctx, &r->v);
    if (!r->range)
        return fn(p, ctx, &r->v);
    unsigned last;
    int rc = range_last_row(p, r, &last);
    for (unsigned row = r->r1; rc >= 0 && row <= last; row++)
        for (unsigned col = r->c1; rc >= 0 && col <= r->c2; col++) {
            apn_value v;
            if (++p->visits > MAX_VISITS)
                return fail(p, APN_ELIMIT, "ranges too large%s", "");
            if ((rc = fetch(p, r->sheet, row, col, &v)) < 0)
                return rc;
            rc = fn(p, ctx, &v);
        }
    return rc;
}

typedef struct countif_ctx { const apn_value *crit; double n; } countif_ctx;
static int countif_cell(parser *p, void *ctx, const apn_value *v)
{
    countif_ctx *c = ctx;
    c->n += criterion_match(p, c->crit, v);
    return 0;
}

typedef struct logic_ctx { int op, any, acc; apn_value err; } logic_ctx;  /* op 0 AND, 1 OR */
static int logic_cell(parser *p, void *ctx, const apn_value *v)
{
    (void)p;
    logic_ctx *c = ctx;
    int b;
    if (c->err.type == APN_V_ERR)
        return 0;
    if (v->type == APN_V_ERR) {
        c->err = *v;
        return 0;
    }
    if (v->type != APN_V_BOOL && v->type != APN_V_NUM)
        return 0;   /* text and empty cells in references are ignored */
    b = v->type == APN_V_BOOL ? v->b : v->num != 0;
    c->any = 1;
    c->acc = c->op ? (c->acc || b) : (c->acc && b);
    return 0;
}

typedef struct num_ctx { double n; int counta; apn_value err; } num_ctx;
static int sum_cell(parser *p, void *ctx, const apn_value *v)
{
    (void)p;
    num_ctx *c = ctx;
    if (c->counta)
        c->n += v->type != APN_V_EMPTY;
    else if (v->type == APN_V_ERR && c->err.type != APN_V_ERR)
        c->err = *v;
    else if (v->type == APN_V_NUM)
        c->n += v->num;
    return 0;
}

/* One call being evaluated: its arguments (evaluated, or only parsed for the
 * branches IF does not take) and, for IF, the condition's truth. */
typedef struct funcdef funcdef;
typedef struct fcall {
    parser *p;
    const funcdef *f;
    val *a;
    size_t n;
    int cond;
} fcall;

/* A spreadsheet function, as SQLite's FuncDef: its name, arity, whether its
 * arguments after the first are parsed lazily (IF: only the branch taken is
 * evaluated), and one small function computing *out from the arguments. */
struct funcdef {
    const char *name;
    unsigned char min, max;   /* arguments (max MAX_ARGS: any number) */
    unsigned char lazy;
    int (*fn)(fcall *c, val *out);
};

/* The value of the only argument, for functions of one scalar. */
static apn_value arg1(const fcall *c) { return scalar(&c->a[0]); }

static int fn_if(fcall *c, val *out)
{
    if (c->cond)
        *out = c->n >= 2 ? c->a[1] : (val){ .v = v_bool(1) };
    else
        *out = c->n >= 3 ? c->a[2] : (val){ .v = v_bool(0) };
    if (out->range)
        out->v = v_err("#VALUE!"), out->range = 0;
    return 0;
}

static int fn_true(fcall *c, val *out)
{
    out->v = v_bool(c->f->name[0] == 'T');
    return 0;
}

static int fn_countif(fcall *c, val *out)
{
    if (!c->a[0].isref)
        return fail(c->p, APN_EPARSE, "COUNTIF needs a range%s", "");
    apn_value crit = scalar(&c->a[1]);
    if (crit.type == APN_V_ERR) {
        out->v = crit;
        return 0;
    }
    countif_ctx k = { &crit, 0 };
    int rc = each_cell(c->p, &c->a[0], countif_cell, &k);
    if (rc < 0)
        return rc;
    out->v = v_num(k.n);
    return 0;
}

/* AND and OR: booleans and numbers; text and empty cells of references ignored. */
static int fn_logic(fcall *c, val *out)
{
    int is_or = c->f->name[0] == 'O';
    logic_ctx k = { is_or, 0, !is_or, { APN_V_EMPTY, 0, 0, NULL } };
    for (size_t i = 0; i < c->n; i++) {
        int rc, b;
        apn_value e;
        if (c->a[i].isref) {
            if ((rc = each_cell(c->p, &c->a[i], logic_cell, &k)) < 0)
                return rc;
            continue;
        }
        if (c->a[i].v.type == APN_V_EMPTY)
            continue;
        if (to_bool(&c->a[i].v, &b, &e) < 0) {
            out->v = e;
            return 0;
        }
        k.any = 1;
        k.acc = k.op ? (k.acc || b) : (k.acc && b);
    }
    out->v = k.err.type == APN_V_ERR ? k.err : k.any ? v_bool(k.acc) : v_err("#VALUE!");
    return 0;
}

/* SUM and COUNTA. */
static int fn_sum(fcall *c, val *out)
{
    num_ctx k = { 0, c->f->name[0] == 'C', { APN_V_EMPTY, 0, 0, NULL } };
    for (size_t i = 0; i < c->n; i++) {
        int rc;
        double d;
        apn_value e;
        if (c->a[i].isref) {
            if ((rc = each_cell(c->p, &c->a[i], sum_cell, &k)) < 0)
                return rc;
            continue;
        }
        if (k.counta) {
            k.n += c->a[i].v.type != APN_V_EMPTY;
            continue;
        }
        if (to_num(&c->a[i].v, &d, &e) < 0) {
            out->v = e;
            return 0;
        }
        k.n += d;
    }
    out->v = k.err.type == APN_V_ERR ? k.err : v_num(k.n);
    return 0;
}

static int fn_concatenate(fcall *c, val *out)
{
    apn_buf b = APN_BUF_INIT;
    for (size_t i = 0; i < c->n; i++) {
        apn_value a = scalar(&c->a[i]);
        if (a.type == APN_V_ERR) {
            apn_buf_dispose(&b);
            out->v = a;
            return 0;
        }
        const char *t = to_text(c->p, &a);
        if (!t)
            b.oom = 1;
        else
            apn_buf_puts(&b, t);
    }
    const char *z = b.oom ? NULL : apn_arena_strdup(c->p->arena, apn_buf_cstr(&b));
    apn_buf_dispose(&b);
    if (!z)
        return nomem(c->p);
    out->v = v_str(z);
    return 0;
}

static int fn_iferror(fcall *c, val *out)
{
    *out = arg1(c).type == APN_V_ERR ? c->a[1] : c->a[0];
    if (out->range)
        out->v = v_err("#VALUE!"), out->range = 0;
    return 0;
}

static int fn_isblank(fcall *c, val *out)
{
    out->v = v_bool(c->a[0].isref && !c->a[0].range && arg1(c).type == APN_V_EMPTY);
    return 0;
}

static int fn_not(fcall *c, val *out)
{
    apn_value a = arg1(c), e;
    int b;
    out->v = a.type == APN_V_ERR ? a : to_bool(&a, &b, &e) < 0 ? e : v_bool(!b);
    return 0;
}

/* CHAR(n): Windows-1252 above 127 approximated by Latin-1, written as UTF-8. */
static int fn_char(fcall *c, val *out)
{
    apn_value a = arg1(c), e;
    double d;
    if (a.type == APN_V_ERR || to_num(&a, &d, &e) < 0) {
        out->v = a.type == APN_V_ERR ? a : e;
        return 0;
    }
    if (d < 1 || d >= 256) {
        out->v = v_err("#VALUE!");
        return 0;
    }
    char *z = apn_arena_alloc(c->p->arena, 5);
    if (!z)
        return nomem(c->p);
    z[apn_utf8_put(z, (unsigned)d)] = 0;
    out->v = v_str(z);
    return 0;
}

/* The argument's text in a copy the text functions may change: 0 with *d
 * set, 0 with *d NULL when the argument is an error (then out's value), or
 * APN_ENOMEM. */
static int text_arg(fcall *c, val *out, char **d)
{
    apn_value a = arg1(c);
    *d = NULL;
    if (a.type == APN_V_ERR) {
        out->v = a;
        return 0;
    }
    const char *t = to_text(c->p, &a);
    if (!t || !(*d = apn_arena_strdup(c->p->arena, t)))
        return nomem(c->p);
    return 0;
}

static int fn_len(fcall *c, val *out)
{
    char *d;
    int rc = text_arg(c, out, &d);
    if (rc < 0 || !d)
        return rc;
    out->v = v_num((double)apn_utf8_chars(d));   /* characters, not bytes */
    return 0;
}

/* Excel's TRIM: no leading or trailing spaces, inner runs to one space. */
static int fn_trim(fcall *c, val *out)
{
    char *d;
    int rc = text_arg(c, out, &d);
    if (rc < 0 || !d)
        return rc;
    char *w = d;
    for (const char *q = d; *q; q++)
        if (*q != ' ' || (w > d && w[-1] != ' '))
            *w++ = *q;
    if (w > d && w[-1] == ' ')
        w--;
    *w = 0;
    out->v = v_str(d);
    return 0;
}

/* UPPER and LOWER (ASCII letters). */
static int fn_case(fcall *c, val *out)
{
    char *d;
    int rc = text_arg(c, out, &d);
    if (rc < 0 || !d)
        return rc;
    int up = c->f->name[0] == 'U';
    for (char *q = d; *q; q++)
        *q = (char)(up ? toupper((unsigned char)*q) : tolower((unsigned char)*q));
    out->v = v_str(d);
    return 0;
}

static const funcdef funcs[] = {
    { "IF", 1, 3, 1, fn_if },
    { "AND", 1, MAX_ARGS, 0, fn_logic },
    { "OR", 1, MAX_ARGS, 0, fn_logic },
    { "NOT", 1, 1, 0, fn_not },
    { "ISBLANK", 1, 1, 0, fn_isblank },
    { "TRIM", 1, 1, 0, fn_trim },
    { "UPPER", 1, 1, 0, fn_case },
    { "LOWER", 1, 1, 0, fn_case },
    { "LEN", 1, 1, 0, fn_len },
    { "COUNTIF", 2, 2, 0, fn_countif },
    { "CHAR", 1, 1, 0, fn_char },
    { "CONCATENATE", 1, MAX_ARGS, 0, fn_concatenate },
    { "IFERROR", 2, 2, 0, fn_iferror },
    { "SUM", 1, MAX_ARGS, 0, fn_sum },
    { "COUNTA", 1, MAX_ARGS, 0, fn_sum },
    { "TRUE", 0, 0, 0, fn_true },
    { "FALSE", 0, 0, 0, fn_true },
};

static const funcdef *find_func(const char *name)
{
    for (size_t i = 0; i < sizeof funcs / sizeof *funcs; i++)
        if (!strcmp(name, funcs[i].name))
            return &funcs[i];
    return NULL;
}

/* Parses the arguments up to ')' into c->a (grown on the heap in *argv:
 * nested calls would otherwise stack up an array per level). A lazy function
 * evaluates its first argument, then parses only the branch it takes in full
 * (the other in skip mode); a condition that is an error makes the call's
 * value that error, both branches only parsed (*cond_err set). */
static int parse_args(fcall *c, val **argv, size_t *cap, int skip, int *cond_err)
{
    parser *p = c->p;
    skip_ws(p);
    if (p->s[p->pos] == ')')
        return 0;
    for (;;) {
        int rc;
        if (c->n == MAX_ARGS)
            return fail(p, APN_EPARSE, "too many arguments to %s", c->f->name);
        if (apn_grow(argv, cap, c->n + 1, sizeof **argv) < 0)
            return nomem(p);
        c->a = *argv;
        int sk = skip;
        if (c->f->lazy && c->n == 1)
            sk = skip || !c->cond;
        else if (c->f->lazy && c->n == 2)
            sk = skip || c->cond;
        skip_ws(p);
        if (p->s[p->pos] == ',' || p->s[p->pos] == ')')
            memset(&c->a[c->n], 0, sizeof c->a[c->n]);   /* omitted argument */
        else if ((rc = expr(p, &c->a[c->n], sk)) < 0)
            return rc;
        if (c->f->lazy && c->n == 0 && !skip) {
            apn_value v = scalar(&c->a[0]), e;
            if (to_bool(&v, &c->cond, &e) < 0) {
                c->a[0].v = e;
                c->a[0].range = 0;
                skip = 1;
                *cond_err = 1;
            }
        }
        c->n++;
        skip_ws(p);
        if (p->s[p->pos] == ',') {
            p->pos++;
            continue;
        }
        if (p->s[p->pos] == ')')
            return 0;
        return fail(p, APN_EPARSE, "expected ',' or ')' in %s", c->f->name);
    }
}

/* At the '(' of NAME( ... ): the call's value into out. */
static int call(parser *p, const char *name_start, size_t n, val *out, int skip)
{
    char name[32];
    val *argv = NULL;
    size_t cap = 0;
    int rc, cond_err = 0;
    snprintf(name, sizeof name, "%.*s", (int)(n < sizeof name - 1 ? n : sizeof name - 1),
             name_start);
    for (char *q = name; *q; q++)
        *q = (char)toupper((unsigned char)*q);
    fcall c = { p, find_func(name), NULL, 0, 0 };
    if (!c.f || n >= sizeof name)
        return fail(p, APN_EPARSE, "unsupported function %s", name);
    if (++p->depth > MAX_DEPTH)
        return fail(p, APN_EPARSE, "formula nested too deeply%s", "");
    if ((rc = parse_args(&c, &argv, &cap, skip, &cond_err)) < 0)
        goto cleanup;
    p->pos++;   /* ')' */
    p->depth--;
    memset(out, 0, sizeof *out);
    if (cond_err)
        out->v = c.a[0].v;   /* IF with an error condition */
    else if (c.n < c.f->min || c.n > c.f->max)
        rc = fail(p, APN_EPARSE, "wrong number of arguments to %s", c.f->name);
    else if (!skip)
        rc = c.f->fn(&c, out);
cleanup:
    apn_free(argv);
    return rc;
}

int apn_formula_eval(apn_value *out, const char *formula, apn_formula_lookup lookup, void *ud,
                     apn_arena *arena, char *err, size_t errlen)
{
    parser p = { formula, 0, lookup, ud, arena, err, errlen, 0, 0 };
    val v;
    int rc;
    if (err && errlen)
        err[0] = 0;
    memset(out, 0, sizeof *out);
    skip_ws(&p);
    if (p.s[p.pos] == '=')
        p.pos++;   /* tolerate a leading '=' */
    if ((rc = expr(&p, &v, 0)) < 0)
        return rc;
    skip_ws(&p);
    if (p.s[p.pos]) {
        char tmp[2] = { p.s[p.pos], 0 };
        return fail(&p, APN_EPARSE, "unexpected '%s' after the formula", tmp);
    }
    *out = scalar(&v);
    if (out->type == APN_V_EMPTY)
        *out = v_num(0);   /* =A1 of an empty cell shows 0 */
    return 0;
}
