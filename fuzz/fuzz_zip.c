/* fuzz_zip — a whole workbook: open it (zip, rels, workbook, shared strings)
 * and stream every sheet. Must never crash, leak or assert on any bytes. */
#include <stddef.h>
#include <stdint.h>

#include "read/xlsx.h"

static int on_row(void *ud, unsigned row, const apn_cell *cells, size_t n)
{
    size_t *total = ud;
    for (size_t i = 0; i < n; i++)
        *total += row + cells[i].col + (cells[i].formula != NULL) + (cells[i].text[0] != 0);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apn_diags d = APN_DIAGS_INIT;
    apn_xlsx *x = NULL;
    apn_xlsx_limits lim = { (size_t)8 << 20, (size_t)32 << 20, 0, 0 };
    size_t total = 0;
    if (apn_xlsx_open_memory(&x, data, size, "fuzz.xlsx", &lim, &d) == 0) {
        for (size_t i = 0; i < apn_xlsx_nsheets(x); i++) {
            apn_xlsx_read_sheet(x, i, on_row, &total);
            size_t nm;
            apn_xlsx_merges(x, i, &nm);
            total += nm + (size_t)apn_xlsx_col_hidden(x, i, 3);
        }
    }
    apn_xlsx_free(x);
    apn_diags_dispose(&d);
    return total == (size_t)-1;
}
