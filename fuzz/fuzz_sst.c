/* fuzz_sst — the shared-strings part (xl/sharedStrings.xml): plain, rich and
 * phonetic runs, xml:space, entities; every string must be a C string. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "read/xlsx_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apn_diags d = APN_DIAGS_INIT;
    apn_xlsx *x = NULL;
    size_t total = 0;
    if (apn_xlsx__new_empty(&x, "fuzz.xlsx", NULL, &d) == 0 &&
        apn_xlsx__load_sst_memory(x, data, size) == 0) {
        for (size_t i = 0; i < apn_xlsx__nstrings(x); i++)
            total += strlen(apn_xlsx__string(x, i));
    }
    apn_xlsx_free(x);
    apn_diags_dispose(&d);
    return total == (size_t)-1;
}
