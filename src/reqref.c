/* reqref — CIS and Security Hub references in a requirement's words. See reqref.h. */
#include "reqref.h"

#include <string.h>

#define MAX_VERSION 8    /* "5.0" */
#define MAX_NUMBER 16    /* "1.14" */
#define MAX_CONTROL 24   /* "Account.1" */
#define MAX_PENDING 4    /* CIS versions waiting for a number */

static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static int is_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static int is_alnum(unsigned char c) { return is_digit(c) || is_alpha(c); }

/* Length of a dotted number at s ("1.14", "5.0"; a trailing dot not included), or 0. */
static size_t dotted(const unsigned char *s)
{
    size_t n = 0;
    if (!is_digit(s[0]))
        return 0;
    for (;;) {
        while (is_digit(s[n]))
            n++;
        if (s[n] != '.' || !is_digit(s[n + 1]))
            return is_alnum(s[n]) ? 0 : n;
        n++;
    }
}

static const unsigned char *skip_spaces(const unsigned char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    return s;
}

/* ASCII case-insensitive prefix match. */
static int starts_ci(const unsigned char *s, const char *word)
{
    for (; *word; s++, word++)
        if ((*s | 0x20) != (*word | 0x20))
            return 0;
    return 1;
}

int apn_reqref_scan(const char *text, apn_reqref_fn fn, void *ud)
{
    char pending[MAX_PENDING][4 + MAX_VERSION + 1];
    int npending = 0, rc;
    if (!text)
        return 0;
    const unsigned char *s = (const unsigned char *)text;
    while (*s) {
        int boundary = s == (const unsigned char *)text || !is_alnum(s[-1]);
        if (boundary && s[0] == 'C' && s[1] == 'I' && s[2] == 'S' && s[3] == '_') {
            size_t vl = dotted(s + 4);
            if (!vl || vl > MAX_VERSION) {
                s += 4;
                continue;
            }
            char scheme[4 + MAX_VERSION + 1];
            memcpy(scheme, s, 4 + vl);
            scheme[4 + vl] = 0;
            s += 4 + vl;
            const unsigned char *q = skip_spaces(s);
            size_t nl = dotted(q);
            if (nl && nl <= MAX_NUMBER) {
                char num[MAX_NUMBER + 1];
                memcpy(num, q, nl);
                num[nl] = 0;
                for (int k = 0; k < npending; k++)
                    if ((rc = fn(ud, pending[k], num)) != 0)
                        return rc;
                npending = 0;
                if ((rc = fn(ud, scheme, num)) != 0)
                    return rc;
                s = q + nl;
            } else if (npending < MAX_PENDING) {
                memcpy(pending[npending++], scheme, sizeof scheme);
            }
            continue;
        }
        if (boundary && (*s | 0x20) == 's' && starts_ci(s, "security control")) {
            const unsigned char *q = skip_spaces(s + 16);
            size_t n = 0;
            if (q == s + 16 || !is_alpha(q[0])) {
                s += 16;
                continue;
            }
            while (is_alnum(q[n]))
                n++;
            size_t dl = q[n] == '.' ? dotted(q + n + 1) : 0;
            if (dl && n + 1 + dl <= MAX_CONTROL) {
                char ctl[MAX_CONTROL + 1];
                memcpy(ctl, q, n + 1 + dl);
                ctl[n + 1 + dl] = 0;
                if ((rc = fn(ud, APN_REQREF_SECURITY_HUB, ctl)) != 0)
                    return rc;
                s = q + n + 1 + dl;
            } else {
                s = q + n;
            }
            continue;
        }
        s++;
    }
    return 0;
}
