/* fuzz_htmlscan — the page reader with htmlscan.c against libxml2 alone.
 *
 * Whatever the bytes, the record html.c builds from htmlscan.c's events (when
 * the scanner takes the page) must be the one it builds from libxml2's: same
 * fields, items, prerequisites, links and diagnostics. abort() on a difference. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "read/doc.h"
#include "read/html.h"

static void describe(apn_buf *out, const uint8_t *data, size_t size, int libxml2_only)
{
    apn_doc doc;
    if (apn_doc_init(&doc, "fuzz.html") < 0)
        abort();
    apn_html__use_libxml2 = libxml2_only;
    if (apn_html_read(&doc, (const char *)data, size) != APN_ENOMEM)
        apn_doc_describe(out, &doc);
    apn_html__use_libxml2 = 0;
    apn_doc_dispose(&doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apn_buf a = APN_BUF_INIT, b = APN_BUF_INIT;
    describe(&a, data, size, 0);
    describe(&b, data, size, 1);
    if (a.oom || b.oom || a.len != b.len || (a.len && memcmp(a.ptr, b.ptr, a.len)))
        abort();
    apn_buf_dispose(&a);
    apn_buf_dispose(&b);
    return 0;
}
