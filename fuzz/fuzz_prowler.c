/* fuzz_prowler — Prowler's FTR compliance CSV (read/prowler.c) over any bytes.
 *
 * Checks what prowler.h promises: every requirement's ID is canonical (it
 * parses to itself), its answer agrees with its counts (no: an unmuted FAIL;
 * yes: a PASS and no unmuted FAIL; unanswered: neither), its deciding line lies
 * within the input, and the response text can be made. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "read/ids.h"
#include "read/prowler.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apn_prowler p;
    apn_diags d = APN_DIAGS_INIT;
    size_t lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n' || (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n'));
    (void)apn_prowler_sniff((const char *)data, size);
    if (apn_prowler_parse(&p, (const char *)data, size, "fuzz.csv", &d) == 0) {
        for (size_t i = 0; i < p.nreqs; i++) {
            const apn_prowler_req *r = &p.reqs[i];
            apn_id id;
            if (apn_id_parse(&id, r->id) != 0 || strcmp(id.id, r->id))
                abort();
            if ((r->met == APN_MET_NO) != (r->nfail > 0))
                abort();
            if ((r->met == APN_MET_YES) != (r->nfail == 0 && r->npass > 0))
                abort();
            if (r->met == APN_MET_NA || r->line < 2 || r->line > lines)
                abort();
            if (!apn_prowler_response(&p, r))
                abort();
        }
        if (p.nskipped > p.nrows)
            abort();
    }
    apn_prowler_dispose(&p);
    apn_diags_dispose(&d);
    return 0;
}
