/* fuzz_sheet — one worksheet's XML (xl/worksheets/sheetN.xml), streamed with
 * a small shared-strings table loaded so t="s" cells resolve. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "read/xlsx_int.h"

static const char sst[] = "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/"
    "2006/main\"><si><t>ID</t></si><si><r><t>Met</t></r><r><t>?</t></r></si><si><t/></si></sst>";

static int on_row(void *ud, unsigned row, const apn_cell *cells, size_t n)
{
    size_t *total = ud;
    for (size_t i = 0; i < n; i++)
        *total += row + cells[i].col + strlen(cells[i].text) +
                  (cells[i].formula ? strlen(cells[i].formula) : 0);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apn_diags d = APN_DIAGS_INIT;
    apn_xlsx *x = NULL;
    size_t i, total = 0, nm;
    if (apn_xlsx__new_empty(&x, "fuzz.xlsx", NULL, &d) == 0 &&
        apn_xlsx__load_sst_memory(x, sst, sizeof sst - 1) == 0 &&
        apn_xlsx__add_sheet_memory(&i, x, "Sheet1", data, size) == 0) {
        apn_xlsx_read_sheet(x, i, on_row, &total);
        apn_xlsx_merges(x, i, &nm);
        total += (size_t)apn_xlsx_col_hidden(x, i, 3);
    }
    apn_xlsx_free(x);
    apn_diags_dispose(&d);
    return total == (size_t)-1;
}
