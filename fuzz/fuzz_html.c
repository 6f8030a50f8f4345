/* fuzz_html — any bytes through the checklist page reader (html.c).
 *
 * Checks that apn_html_read never crashes, leaks or reads out of bounds, and
 * that it only stores valid UTF-8 (libxml2 alone would let Latin-1 re-reads and
 * cut sequences through). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "read/doc.h"
#include "read/html.h"

static void check_utf8(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; p && *p;) {
        int n = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 : (*p >> 3) == 30 ? 4 : 0;
        for (int i = 1; i < n; i++)
            if ((p[i] & 0xC0) != 0x80)
                n = 0;
        if (!n)
            abort();
        p += n;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apn_doc doc;
    if (apn_doc_init(&doc, "fuzz.html") < 0)
        return 0;
    apn_html_read(&doc, (const char *)data, size);
    check_utf8(doc.title);
    for (size_t i = 0; i < doc.nitems; i++)
        check_utf8(doc.items[i].raw_id), check_utf8(doc.items[i].description);
    apn_doc_dispose(&doc);
    return 0;
}
