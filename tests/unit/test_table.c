/* Unit tests of table's CSV writer: numbers formatted without printf must be
 * the digits printf writes (%lld, %.4f), text cells quoted and formula-guarded
 * as apn_csv_write_cell does. JSON rows written by hand must be the bytes
 * jansson writes (a differential test against jansson itself); where jansson
 * refuses text that is not UTF-8, jansson's bytes for it repaired (U+FFFD). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apnmap/apnmap.h>

#include <jansson.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "table_int.h"
#include "test.h"

/* CSV of a one-row table (int, real, text), the header line dropped. */
static char *csv_of(long long i, double r, const char *s)
{
    static const char *names[] = { "i", "r", "s" };
    static const apn_coltype types[] = { APN_COL_INT, APN_COL_REAL, APN_COL_TEXT };
    apn_table *t = NULL;
    char *text = NULL;
    size_t len = 0;
    if (apn_table_new(&t, 3, names, types) < 0 || apn_table_add_row(t) < 0)
        goto cleanup;
    apn_table_set_int(t, 0, i);
    apn_table_set_real(t, 1, r);
    apn_table_set_text(t, 2, s);
    FILE *f = open_memstream(&text, &len);
    if (!f)
        goto cleanup;
    CHECK_INT(apn_table_write(t, f, APN_FMT_CSV), 0);
    fclose(f);
cleanup:
    apn_table_free(t);
    if (text && !strncmp(text, "i,r,s\n", 6))
        memmove(text, text + 6, strlen(text + 6) + 1);
    return text;   /* free() (open_memstream) */
}

static void check_row(long long i, double r, const char *s, const char *want_s)
{
    char want[512];
    snprintf(want, sizeof want, "%lld,%.4f,%s\n", i, r, want_s);
    char *got = csv_of(i, r, s);
    CHECK_STR(got, want);
    free(got);
}

TEST(table__csv_numbers_match_printf)
{
    static const double reals[] = {
        0, -0.0, 1, 0.5, 0.00005, 0.00015, 0.00025, 0.12345, 0.99995, 0.999949999,
        1.0 / 3, 2.0 / 3, 13.0 / 180, 17.0 / 227, 0.0722222222222222, 99999.99995,
        123456.789, 1e300, -0.25, -1e-9, NAN, INFINITY, -INFINITY
    };
    static const long long ints[] = { 0, 1, -1, 9, 10, 12345, -987654321, INT64_MAX, INT64_MIN };
    for (size_t k = 0; k < sizeof reals / sizeof *reals; k++)
        check_row(ints[k % (sizeof ints / sizeof *ints)], reals[k], "x", "x");
    for (size_t k = 0; k < sizeof ints / sizeof *ints; k++)
        check_row(ints[k], 0.25, "x", "x");
    /* every ratio a/b with b < 300: the jaccard values of real listings */
    for (int b = 1; b < 300; b++)
        for (int a = 0; a <= b; a++) {
            char want[64];
            snprintf(want, sizeof want, "0,%.4f,x\n", (double)a / b);
            char *got = csv_of(0, (double)a / b, "x");
            if (!got || strcmp(got, want)) {
                CHECK_STR(got, want);
                free(got);
                return;
            }
            free(got);
        }
}

TEST(table__csv_text_quoting)
{
    check_row(1, 0, "plain", "plain");
    check_row(1, 0, "a,b", "\"a,b\"");
    check_row(1, 0, "say \"hi\"", "\"say \"\"hi\"\"\"");
    check_row(1, 0, "=SUM(A1)", "'=SUM(A1)");
    check_row(1, 0, "-x,\"y\"", "\"'-x,\"\"y\"\"\"");
    check_row(1, 0, "two\nlines", "\"two\nlines\"");
    check_row(1, 0, "", "");
}

/* ---- JSON rows against jansson -------------------------------------------- */

/* The reference: one row as the JSON writer did it before it wrote rows by
 * hand: a jansson object dumped with the writer's flags, indented into the
 * array (a real past ~1e304, whose scaling by 10^4 overflows, unrounded). NULL
 * where jansson refuses the row (invalid UTF-8, NaN, infinities). */
static char *jansson_row(size_t ncols, const char *const *names, const apn_coltype *types,
                         const apn_tcell *cells, int first)
{
    json_t *obj = json_object();
    char *text = NULL;
    apn_buf b = APN_BUF_INIT;
    for (size_t c = 0; obj && c < ncols; c++) {
        const apn_tcell *x = &cells[c];
        json_t *v = x->null                    ? json_null()
                    : types[c] == APN_COL_INT  ? json_integer(x->i)
                    : types[c] == APN_COL_BOOL ? json_boolean(x->i)
                    : types[c] == APN_COL_REAL ? json_real(isfinite(x->r * 10000.0)
                                                           ? round(x->r * 10000.0) / 10000.0 : x->r)
                                               : json_string(x->s ? x->s : "");
        if (!v || json_object_set_new(obj, names[c], v))
            goto cleanup;
    }
    if (!obj || !(text = json_dumps(obj, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                             JSON_REAL_PRECISION(15) | JSON_ESCAPE_SLASH)))
        goto cleanup;
    apn_buf_puts(&b, first ? "[\n  " : ",\n  ");
    for (const char *p = text; *p; p++) {
        apn_buf_putc(&b, *p);
        if (*p == '\n')
            apn_buf_puts(&b, "  ");
    }
cleanup:
    free(text);
    json_decref(obj);
    return b.len ? apn_buf_detach(&b) : (apn_buf_dispose(&b), NULL);
}

/* Streams nrows rows through apn_rowout; *err gets apn_rowout_end's code. */
static char *rowout_json(size_t ncols, const char *const *names, const apn_coltype *types,
                         const apn_tcell *rows, size_t nrows, int *err)
{
    char *text = NULL;
    size_t len = 0;
    apn_rowout w;
    FILE *f = open_memstream(&text, &len);
    *err = -999;
    if (!f)
        return NULL;
    apn_rowout_begin(&w, f, APN_FMT_JSON, ncols, names, types);
    for (size_t r = 0; r < nrows; r++)
        apn_rowout_row(&w, rows + r * ncols);
    *err = apn_rowout_end(&w);
    fclose(f);
    return text;   /* free() */
}

/* The length of the well-formed UTF-8 sequence at p (Unicode's Table 3-7:
 * no overlong forms, no surrogates, nothing past U+10FFFF), or 0. */
static size_t seq_len(const unsigned char *p)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return (p[1] & 0xC0) == 0x80 ? 2 : 0;
    unsigned lo = c == 0xE0 ? 0xA0 : c == 0xED ? 0x80 : c == 0xF0 ? 0x90 : 0x80;
    unsigned hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
    size_t n = c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (!n || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

/* s with each byte that starts no well-formed sequence replaced by U+FFFD;
 * owned (free()). */
static char *repaired(const char *s)
{
    size_t n = strlen(s), k = 0;
    char *o = malloc(n * 3 + 1);
    for (const unsigned char *p = (const unsigned char *)s; o && *p;) {
        size_t len = seq_len(p);
        if (len) {
            memcpy(o + k, p, len);
            k += len;
            p += len;
        } else {
            memcpy(o + k, "\xEF\xBF\xBD", 3);
            k += 3;
            p++;
        }
    }
    if (o)
        o[k] = '\0';
    return o;
}

/* One row alone: the writer's bytes are jansson's; where jansson refuses the
 * row (text or a name that is not UTF-8, NaN, an infinity), jansson's bytes
 * for the row with every stray byte as U+FFFD and such reals as null, which
 * the writer writes instead of failing.
 * Returns 0 when they agree. */
static int check_json_row(size_t ncols, const char *const *names, const apn_coltype *types,
                          const apn_tcell *cells)
{
    int err, bad = 0;
    char *want = jansson_row(ncols, names, types, cells, 1);
    char *got = rowout_json(ncols, names, types, cells, 1, &err);
    if (want) {
        apn_buf w = APN_BUF_INIT;
        apn_buf_puts(&w, want);
        apn_buf_puts(&w, "\n]\n");
        bad = err != 0 || !got || strcmp(got, apn_buf_cstr(&w));
        if (bad) {
            CHECK_INT(err, 0);
            CHECK_STR(got, apn_buf_cstr(&w));
        }
        apn_buf_dispose(&w);
    } else {
        const char *fixed_names[8];
        apn_tcell fixed[8];
        char *keep[16];
        size_t nkeep = 0;
        for (size_t c = 0; c < ncols && c < 8; c++) {
            fixed_names[c] = keep[nkeep++] = repaired(names[c]);
            fixed[c] = cells[c];
            if (types[c] == APN_COL_REAL && !isfinite(cells[c].r))
                fixed[c].null = 1;   /* JSON has no NaN or infinity: null */
            if (types[c] == APN_COL_TEXT && !cells[c].null && cells[c].s)
                fixed[c].s = keep[nkeep++] = repaired(cells[c].s);
        }
        want = ncols <= 8 ? jansson_row(ncols, fixed_names, types, fixed, 1) : NULL;
        apn_buf w = APN_BUF_INIT;
        apn_buf_puts(&w, want ? want : "(jansson refuses even the repaired row)");
        apn_buf_puts(&w, "\n]\n");
        bad = err != 0 || !got || strcmp(got, apn_buf_cstr(&w));
        if (bad) {
            CHECK_INT(err, 0);
            CHECK_STR(got, apn_buf_cstr(&w));
        }
        apn_buf_dispose(&w);
        for (size_t i = 0; i < nkeep; i++)
            free(keep[i]);
    }
    apn_free(want);
    free(got);
    return bad;
}

/* Random text from the pieces that matter to an escaper: printable ASCII, the
 * characters JSON escapes, controls, DEL, valid UTF-8 at the edges of each
 * length, and (when `raw`) arbitrary high bytes: stray continuations,
 * overlong forms, surrogates, code points above U+10FFFF, truncations. */
static void random_text(char *s, size_t cap, int raw)
{
    static const char *const pieces[] = {
        "a", "Z", " ", "~", "0", ",", "\"", "\\", "/", "'", "<", ">", "&", "=", "-",
        "\x01", "\x08", "\x09", "\x0a", "\x0b", "\x0c", "\x0d", "\x1b", "\x1f", "\x7f",
        "\xc2\x80", "\xc2\xa0", "\xc3\xa9", "\xdf\xbf", "\xe0\xa0\x80", "\xe2\x80\xa8",
        "\xe2\x80\xa9", "\xed\x9f\xbf", "\xee\x80\x80", "\xef\xbb\xbf", "\xef\xbf\xbf",
        "\xf0\x90\x80\x80", "\xf0\x9f\x98\x80", "\xf4\x8f\xbf\xbf",
    };
    size_t n = test_rnd64() % 12, k = 0;
    for (size_t i = 0; i < n && k + 5 < cap; i++) {
        if (raw && test_rnd64() % 3 == 0) {
            /* a lead byte anywhere in 0x80-0xFF, then 0-3 continuation bytes */
            s[k++] = (char)(0x80 | test_rnd64() % 0x80);
            for (size_t j = test_rnd64() % 4; j; j--)
                s[k++] = (char)(0x80 | test_rnd64() % 0x40);
            continue;
        }
        const char *p = pieces[test_rnd64() % (sizeof pieces / sizeof *pieces)];
        size_t len = strlen(p);
        memcpy(s + k, p, len);
        k += len;
    }
    s[k] = 0;
}

static double random_real(void)
{
    switch (test_rnd64() % 6) {
    case 0: return (double)(test_rnd64() % 1000) / (double)(1 + test_rnd64() % 1000);
    case 1: return (double)(long long)(test_rnd64() % 2000000 - 1000000) / 10000.0 + 0.00005;  /* near ties */
    case 2: return ldexp((double)(test_rnd64() >> 11), (int)(test_rnd64() % 120) - 100);  /* every magnitude */
    case 3: return -ldexp((double)(test_rnd64() >> 11), (int)(test_rnd64() % 100) - 90);
    case 4: return (double)(test_rnd64() % 100000000000000ULL) / 10000.0;   /* up to 1e10, 14-15 digits */
    default: { double d; unsigned long long u = test_rnd64(); memcpy(&d, &u, sizeof d); return d; }
    }
}

TEST(table__json_cells_match_jansson)
{
    test_seed(0x9E3779B97F4A7C15ULL);
    static const char *const names[] = { "text", "int", "real", "bool" };
    static const apn_coltype types[] = { APN_COL_TEXT, APN_COL_INT, APN_COL_REAL, APN_COL_BOOL };
    static const char *const texts[] = {
        "", "plain", "say \"hi\"", "back\\slash", "a/b</script>", "\x7f", "tab\tnl\ncr\r",
        "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14"
        "\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x20\x7f",
        "caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x98\x80", "\xe2\x80\xa8\xe2\x80\xa9", "=SUM(A1)",
        /* refused by jansson: */
        "\x80", "\xc0\xaf", "\xc1\xbf", "\xe0\x9f\xbf", "\xed\xa0\x80", "\xed\xbf\xbf",
        "\xf0\x8f\xbf\xbf", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80", "\xff", "ok\xc3", "\xe2\x80",
        "\xf0\x9f\x98",
    };
    static const double reals[] = {
        0, -0.0, 1, -1, 0.5, 1.0 / 3, 2.0 / 3, 0.00005, 0.00015, 0.00025, 0.12345, 0.99995,
        0.999949999, -0.00004, -0.00005, 1e-5, 0.0001, 0.0722222222222222, 13.0 / 180,
        99999.99995, 123456.789, 1e10 + 0.12345, 99999999999.9999, 1e11, 1e15, 1e20, 1e300,
        -1e300, 5e-324, NAN, -NAN, INFINITY, -INFINITY,
    };
    static const long long ints[] = { 0, 1, -1, 9, 10, -10, 12345, -987654321, INT64_MAX,
                                      INT64_MIN, INT64_MIN + 1 };
    apn_tcell row[4];
    int bad = 0;
    for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
        row[0] = (apn_tcell){ 0, 0, 0, texts[k] };
        row[1] = (apn_tcell){ 0, ints[k % (sizeof ints / sizeof *ints)], 0, NULL };
        row[2] = (apn_tcell){ 0, 0, 0.25, NULL };
        row[3] = (apn_tcell){ 0, (long long)k - 3, 0, NULL };   /* any nonzero is true */
        bad += check_json_row(4, names, types, row);
    }
    for (size_t k = 0; k < sizeof reals / sizeof *reals; k++) {
        row[0] = (apn_tcell){ 0, 0, 0, NULL };   /* NULL text: "" */
        row[1] = (apn_tcell){ 0, ints[k % (sizeof ints / sizeof *ints)], 0, NULL };
        row[2] = (apn_tcell){ 0, 0, reals[k], NULL };
        row[3] = (apn_tcell){ 0, 0, 0, NULL };
        bad += check_json_row(4, names, types, row);
    }
    /* NULL cells of every type */
    for (int mask = 0; mask < 16; mask++) {
        for (int c = 0; c < 4; c++)
            row[c] = (apn_tcell){ mask >> c & 1, 7, 0.5, "x" };
        bad += check_json_row(4, names, types, row);
    }
    /* every ratio a/b with b < 300, as jaccard values are */
    for (int b = 1; b < 300 && !bad; b++)
        for (int a = 0; a <= b && !bad; a++) {
            row[2] = (apn_tcell){ 0, 0, (double)a / b, NULL };
            bad += check_json_row(4, names, types, row);
        }
    /* random rows, random text with and without invalid bytes */
    for (int n = 0; n < 20000 && bad < 5; n++) {
        char text[64];
        random_text(text, sizeof text, n & 1);
        row[0] = (apn_tcell){ test_rnd64() % 16 == 0, 0, 0, text };
        row[1] = (apn_tcell){ test_rnd64() % 16 == 0, (long long)test_rnd64() >> (test_rnd64() % 64), 0, NULL };
        row[2] = (apn_tcell){ test_rnd64() % 16 == 0, 0, random_real(), NULL };
        row[3] = (apn_tcell){ test_rnd64() % 16 == 0, (long long)(test_rnd64() % 3), 0, NULL };
        bad += check_json_row(4, names, types, row);
    }
    CHECK_INT(bad, 0);
}

/* Names: escaped as keys; none at all; names jansson would refuse (not UTF-8)
 * or fold (repeated) go through jansson and come out as it writes them. */
TEST(table__json_names_match_jansson)
{
    static const char *const odd[] = { "a/b", "q\"", "\xc3\xa9t\xc3\xa9", "ctl\x01", "" };
    static const char *const dup[] = { "x", "y", "x" };
    static const char *const bad[] = { "ok", "\xff" };
    static const apn_coltype types[] = { APN_COL_TEXT, APN_COL_INT, APN_COL_REAL,
                                         APN_COL_BOOL, APN_COL_TEXT };
    apn_tcell row[5] = { { 0, 0, 0, "v/" }, { 0, -3, 0, NULL }, { 0, 0, 0.125, NULL },
                         { 0, 1, 0, NULL }, { 1, 0, 0, NULL } };
    CHECK_INT(check_json_row(5, odd, types, row), 0);
    CHECK_INT(check_json_row(0, odd, types, row), 0);
    CHECK_INT(check_json_row(3, dup, types, row), 0);
    CHECK_INT(check_json_row(2, bad, types, row), 0);
}

/* A stream of rows: separators, the closing bracket, the empty array, and a
 * row jansson refuses in the middle (what came before stays, the error is
 * APN_ENOMEM and nothing follows). apn_table_write shares the writer. */
TEST(table__json_stream_matches_jansson)
{
    test_seed(0x9E3779B97F4A7C15ULL);
    static const char *const names[] = { "offering", "a", "shared", "jaccard", "partial" };
    static const apn_coltype types[] = { APN_COL_TEXT, APN_COL_TEXT, APN_COL_INT,
                                         APN_COL_REAL, APN_COL_BOOL };
    enum { NR = 50 };
    apn_tcell rows[NR * 5];
    char texts[NR][2][32];
    apn_buf want = APN_BUF_INIT;
    apn_table *t = NULL;
    char *got = NULL, *one = NULL, *tab = NULL;
    size_t tlen = 0;
    int err;
    for (size_t r = 0; r < NR; r++) {
        random_text(texts[r][0], sizeof texts[r][0], 0);
        random_text(texts[r][1], sizeof texts[r][1], 0);
        rows[r * 5 + 0] = (apn_tcell){ 0, 0, 0, texts[r][0] };
        rows[r * 5 + 1] = (apn_tcell){ r % 7 == 0, 0, 0, texts[r][1] };
        rows[r * 5 + 2] = (apn_tcell){ 0, (long long)r * 37 - 500, 0, NULL };
        rows[r * 5 + 3] = (apn_tcell){ r % 11 == 0, 0, (double)r / 49, NULL };
        rows[r * 5 + 4] = (apn_tcell){ 0, (long long)(r & 1), 0, NULL };
    }
    for (size_t r = 0; r < NR; r++) {
        one = jansson_row(5, names, types, rows + r * 5, r == 0);
        REQUIRE(one);
        apn_buf_puts(&want, one);
        apn_free(one);
        one = NULL;
    }
    apn_buf_puts(&want, "\n]\n");
    got = rowout_json(5, names, types, rows, NR, &err);
    CHECK_INT(err, 0);
    CHECK_STR(got, apn_buf_cstr(&want));
    free(got);

    /* the same rows in a table */
    REQUIRE(apn_table_new(&t, 5, names, types) == 0);
    for (size_t r = 0; r < NR; r++) {
        REQUIRE(apn_table_add_row(t) == 0);
        for (size_t c = 0; c < 5; c++) {
            const apn_tcell *x = &rows[r * 5 + c];
            if (x->null)
                continue;
            if (types[c] == APN_COL_TEXT)
                apn_table_set_text(t, c, x->s);
            else if (types[c] == APN_COL_REAL)
                apn_table_set_real(t, c, x->r);
            else if (types[c] == APN_COL_BOOL)
                apn_table_set_bool(t, c, (int)x->i);
            else
                apn_table_set_int(t, c, x->i);
        }
    }
    FILE *f = open_memstream(&tab, &tlen);
    REQUIRE(f);
    CHECK_INT(apn_table_write(t, f, APN_FMT_JSON), 0);
    fclose(f);
    CHECK_STR(tab, apn_buf_cstr(&want));
    free(tab);
    apn_table_free(t);

    /* nothing: the empty array */
    got = rowout_json(5, names, types, rows, 0, &err);
    CHECK_INT(err, 0);
    CHECK_STR(got, "[]\n");
    free(got);

    /* row 3 of 5 not UTF-8 (a surrogate's bytes): written with U+FFFD for each
     * stray byte, and the stream goes on */
    rows[2 * 5 + 1] = (apn_tcell){ 0, 0, 0, "bad \xed\xa0\x80" };
    apn_tcell fixed[5 * 5];
    memcpy(fixed, rows, sizeof fixed);
    fixed[2 * 5 + 1].s = "bad \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd";
    apn_buf_clear(&want);
    for (size_t r = 0; r < 5; r++) {
        one = jansson_row(5, names, types, fixed + r * 5, r == 0);
        REQUIRE(one);
        apn_buf_puts(&want, one);
        apn_free(one);
        one = NULL;
    }
    apn_buf_puts(&want, "\n]\n");
    got = rowout_json(5, names, types, rows, 5, &err);
    CHECK_INT(err, 0);
    CHECK_STR(got, apn_buf_cstr(&want));
    free(got);
    apn_buf_dispose(&want);
}
