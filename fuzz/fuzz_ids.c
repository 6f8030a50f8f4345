/* fuzz_ids — requirement ID normalisation (ids.c) over any bytes.
 *
 * Checks the properties DESIGN §3 promises: a parsed ID is its own canonical
 * form (parsing it again gives the same ID and prefix), it is upper case ASCII
 * with the number last, and the prefix is the ID up to its last hyphen. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "read/ids.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apn_id a, b;
    if (apn_id_parsen(&a, (const char *)data, size) != 0)
        return 0;
    size_t n = strlen(a.id);
    const char *dash = strrchr(a.id, '-');
    if (!n || !dash || dash[1] < '0' || dash[1] > '9' || a.id[n - 1] < '0' || a.id[n - 1] > '9')
        abort();
    for (size_t i = 0; i < n; i++)
        if (!((a.id[i] >= 'A' && a.id[i] <= 'Z') || (a.id[i] >= '0' && a.id[i] <= '9') || a.id[i] == '-'))
            abort();
    if (strlen(a.prefix) != (size_t)(dash - a.id) || strncmp(a.prefix, a.id, strlen(a.prefix)))
        abort();
    if (apn_id_parse(&b, a.id) != 0 || strcmp(a.id, b.id) || strcmp(a.prefix, b.prefix) || b.question)
        abort();
    return 0;
}
