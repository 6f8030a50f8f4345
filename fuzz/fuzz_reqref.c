/* fuzz_reqref — reference scanning (reqref.c) over any bytes.
 *
 * Checks what reqref.h promises of every reference found: a CIS scheme is
 * "CIS_" and a dotted version, its ref a dotted number; a Security Hub ref is a
 * word, a dot and a dotted number; all of them short, ASCII and found in the
 * text (the scheme's version and the ref appear in the input as written). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reqref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int dotted_ok(const char *s)
{
    if (!(*s >= '0' && *s <= '9'))
        return 0;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s == '.' && s[1] >= '0' && s[1] <= '9')))
            return 0;
    return 1;
}

static int check(void *ud, const char *scheme, const char *ref)
{
    const char *text = ud;
    if (strlen(scheme) > 12 || strlen(ref) > 24 || !strstr(text, ref))
        abort();
    if (!strcmp(scheme, APN_REQREF_SECURITY_HUB)) {
        const char *dot = strchr(ref, '.');
        if (!dot || dot == ref || !dotted_ok(dot + 1))
            abort();
    } else if (strncmp(scheme, "CIS_", 4) || !dotted_ok(scheme + 4) || !strstr(text, scheme) ||
               !dotted_ok(ref)) {
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = 0;
    apn_reqref_scan(text, check, text);
    free(text);
    return 0;
}
