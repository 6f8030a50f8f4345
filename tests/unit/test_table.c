/* Unit tests of table's CSV writer: numbers formatted without printf must be
 * the digits printf writes (%lld, %.4f), text cells quoted and formula-guarded
 * as apn_csv_write_cell does. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apnmap/apnmap.h>

#include "alloc.h"
#include "buf.h"
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
