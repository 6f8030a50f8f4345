/* fuzz_fetch — fetch's parsers on any bytes: the manifest CSV reader (what it
 * reads it must write and read back identically), the page link extractor,
 * and URL resolution / mirror paths of every link and of the input as a ref. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apnmap/apnmap.h>
#include "util/alloc.h"
#include "fetch_int.h"
#include "fetch_links.h"
#include "read/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *page = "http://h.test/competency/w/consulting/C1.html", *s = (const char *)data;
    apn_manifest m = APN_MANIFEST_INIT, m2 = APN_MANIFEST_INIT;
    apn_buf a = APN_BUF_INIT, b = APN_BUF_INIT;
    char **v = NULL, *ref = apn_strndup(s, size), *u = NULL, *p = NULL;
    size_t n = 0, more = 0;
    if (apn_manifest_parse(&m, s, size) == 0) {
        apn_manifest_write(&a, &m);
        if (apn_manifest_parse(&m2, a.ptr, a.len) != 0 || (apn_manifest_write(&b, &m2),
            a.len != b.len || memcmp(a.ptr, b.ptr, a.len)))
            abort();
    }
    if (apn_fetch__links(&v, &n, &more, s, size, page, 100) == 0)
        for (size_t i = 0; i < n; i++, apn_free(p), p = NULL) {
            if (apn_fetch__mirror_path(&p, v[i]) == 0 && (!*p || strstr(p, "/../") || p[0] == '/'))
                abort();
        }
    if (ref && apn_fetch__resolve(&u, page, ref) == 0 && strncmp(u, "http", 4))
        abort();
    apn_free(u), apn_free(ref), apn_fetch__links_free(v, n);
    apn_manifest_dispose(&m), apn_manifest_dispose(&m2);
    apn_buf_dispose(&a), apn_buf_dispose(&b);
    return 0;
}
