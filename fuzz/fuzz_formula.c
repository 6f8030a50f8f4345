/* fuzz_formula — any bytes as a formula through apn_formula_eval and
 * apn_formula_shift (formula.c), cells looked up from fixed values; every
 * failure must be one of the documented codes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apnmap/apnmap.h>
#include "read/formula.h"

static int lookup(void *ud, const char *sheet, unsigned row, unsigned col, apn_value *out)
{
    static const char *const text[] = { "Yes", "No", "<select>", "N/A", "Pass", "" };
    (void)ud;
    if (row == 0 || (sheet && *sheet == 'E'))   /* the extent; a sheet of numbers */
        out->type = APN_V_NUM, out->num = row == 0 ? 30 : (double)(row + col);
    else if ((row + col) % 7 != 6)
        out->type = APN_V_STR, out->str = text[(row * 3 + col) % 6];
    return row == 77 && col == 6 ? APN_EIO : 0;   /* one failing cell: G77 */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *f = malloc(size + 1), err[128];
    apn_arena a = APN_ARENA_INIT;
    apn_value v;
    if (!f)
        return 0;
    memcpy(f, data, size);
    f[size] = 0;   /* the evaluator reads C strings: it stops at the first NUL */
    int rc = apn_formula_eval(&v, f, lookup, NULL, &a, err, sizeof err);
    if ((rc < 0 && rc != APN_EPARSE && rc != APN_EIO && rc != APN_ELIMIT && rc != APN_ENOMEM) ||
        (rc == 0 && !apn_value_text(&a, &v)))
        abort();
    apn_formula_shift(&a, f, (int)(size % 5) - 2, (int)(size % 3) - 1);
    apn_arena_dispose(&a);
    free(f);
    return 0;
}
