/* fuzz_sheetfast — one worksheet's XML read by the fast path and by libxml2's
 * SAX2 parser: when the fast path took it, the rows, hidden columns, merges,
 * diagnostics and result must be the same (abort otherwise). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "util/buf.h"
#include "read/xlsx_int.h"

static int on_row(void *ud, unsigned row, const apn_cell *c, size_t n)
{
    apn_buf_printf(ud, "%u:", row);
    for (size_t i = 0; i < n; i++)
        apn_buf_printf(ud, "%u %d %s %s|", c[i].col, (int)c[i].type, c[i].text, c[i].formula ? c[i].formula : "-");
    return 0;
}
static void run(apn_buf *b, const uint8_t *data, size_t size, int no_fast)
{
    apn_diags d = APN_DIAGS_INIT;
    apn_xlsx *x = NULL;
    size_t i, nm;
    apn_xlsx__no_fast = no_fast;
    if (!apn_xlsx__new_empty(&x, "f.xlsx", NULL, &d) && !apn_xlsx__load_sst_memory(x, "<sst><si><t>s</t></si></sst>", 28) &&
        !apn_xlsx__add_sheet_memory(&i, x, "S", data, size))
        apn_buf_printf(b, "%d %d %zu", apn_xlsx_read_sheet(x, i, on_row, b), apn_xlsx_col_hidden(x, i, 2), (apn_xlsx_merges(x, i, &nm), nm));
    for (size_t k = 0; k < d.n; k++)
        apn_buf_printf(b, "\n%s %s", d.v[k].locus ? d.v[k].locus : "", d.v[k].message);
    apn_xlsx_free(x), apn_diags_dispose(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apn_buf a = APN_BUF_INIT, b = APN_BUF_INIT;
    unsigned long f0 = apn_xlsx__fast_reads;
    run(&a, data, size, 1), run(&b, data, size, 0);
    if (apn_xlsx__fast_reads != f0 && (a.oom || b.oom || strcmp(apn_buf_cstr(&a), apn_buf_cstr(&b))))
        abort();
    return apn_buf_dispose(&a), apn_buf_dispose(&b), 0;
}
