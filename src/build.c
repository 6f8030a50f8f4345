/* build — transitional: replaced by the ingest pipeline (issue 2). */
#include <apnmap/apnmap.h>

int apn_build(apn_build_summary *out, const apn_build_opts *opts, apn_diags *diags)
{
    (void)out; (void)opts;
    apn_diags_add(diags, APN_SEV_ERROR, "", "", "build is not implemented yet");
    return APN_ERROR;
}
