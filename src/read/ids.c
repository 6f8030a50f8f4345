/* ids — requirement ID recognition and canonical form. See ids.h. */
#include "read/ids.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <apnmap/common.h>

/* Length of a dash at s (ASCII hyphen or a Unicode dash/hyphen/minus), or 0. */
static size_t dash_len(const unsigned char *s, const unsigned char *end)
{
    if (s < end && *s == '-')
        return 1;
    if (end - s >= 3 && s[0] == 0xE2 && s[1] == 0x80 && s[2] >= 0x90 && s[2] <= 0x95)
        return 3; /* U+2010..U+2015: hyphen, non-breaking hyphen, figure dash, en, em, bar */
    if (end - s >= 3 && s[0] == 0xE2 && s[1] == 0x88 && s[2] == 0x92)
        return 3; /* U+2212 minus sign */
    if (end - s >= 3 && s[0] == 0xEF && s[1] == 0xB9 && s[2] == 0x98)
        return 3; /* U+FE58 small em dash */
    if (end - s >= 3 && s[0] == 0xEF && s[1] == 0xBC && s[2] == 0x8D)
        return 3; /* U+FF0D fullwidth hyphen-minus */
    return 0;
}

int apn_id_parsen(apn_id *out, const char *text, size_t n)
{
    enum { MAXG = 8 };
    const unsigned char *s = (const unsigned char *)text, *end = s + n;
    const unsigned char *gs[MAXG];
    size_t gl[MAXG];
    int ng = 0;

    memset(out, 0, sizeof *out);
    while (s < end && isspace(*s))
        s++;
    while (end > s && isspace(end[-1]))
        end--;
    /* split into alphanumeric groups separated by single dashes */
    for (;;) {
        const unsigned char *g = s;
        while (s < end && isalnum(*s))
            s++;
        if (s == g || ng == MAXG)
            return APN_ENOTFOUND;
        gs[ng] = g;
        gl[ng++] = (size_t)(s - g);
        size_t d = dash_len(s, end);
        if (!d)
            break;
        s += d;
    }
    /* an optional question suffix ".N" */
    const unsigned char *q = NULL;
    size_t ql = 0;
    if (s < end && *s == '.') {
        q = ++s;
        while (s < end && isdigit(*s))
            s++;
        ql = (size_t)(s - q);
        if (!ql || ql >= sizeof out->question_no)
            return APN_ENOTFOUND;
    }
    if (s != end)
        return APN_ENOTFOUND;
    /* drop a trailing track suffix: the checklist knows its track */
    if (ng >= 3) {
        char w[16] = "";
        if (gl[ng - 1] < sizeof w) {
            for (size_t i = 0; i < gl[ng - 1]; i++)
                w[i] = (char)toupper(gs[ng - 1][i]);
            w[gl[ng - 1]] = 0;
        }
        if (!strcmp(w, "SOFTWARE") || !strcmp(w, "SERVICE") || !strcmp(w, "SERVICES"))
            ng--;
    }
    if (ng < 2)
        return APN_ENOTFOUND;
    /* the last group is a number; the first holds a letter */
    for (size_t i = 0; i < gl[ng - 1]; i++)
        if (!isdigit(gs[ng - 1][i]))
            return APN_ENOTFOUND;
    int letter = 0;
    for (size_t i = 0; i < gl[0]; i++)
        letter |= isalpha(gs[0][i]) != 0;
    if (!letter)
        return APN_ENOTFOUND;

    size_t w = 0;
    for (int g = 0; g < ng - 1; g++) {
        if (w + gl[g] + 1 >= APN_ID_MAX - 8)
            return APN_ENOTFOUND;
        if (g)
            out->prefix[w++] = '-';
        for (size_t i = 0; i < gl[g]; i++)
            out->prefix[w++] = (char)toupper(gs[g][i]);
    }
    out->prefix[w] = 0;
    /* number: strip leading zeros, pad to three digits */
    const unsigned char *num = gs[ng - 1];
    size_t nl = gl[ng - 1];
    while (nl > 1 && *num == '0')
        num++, nl--;
    if (nl > 9 || w + 1 + (nl < 3 ? 3 : nl) >= APN_ID_MAX)
        return APN_ENOTFOUND; /* longer than any real ID; would not fit out->id */
    memcpy(out->id, out->prefix, w);
    out->id[w++] = '-';
    for (size_t pad = nl; pad < 3; pad++)
        out->id[w++] = '0';
    memcpy(out->id + w, num, nl);
    out->id[w + nl] = 0;
    if (q) {
        out->question = 1;
        memcpy(out->question_no, q, ql);
        out->question_no[ql] = 0;
    }
    return 0;
}

int apn_id_parse(apn_id *out, const char *text) { return apn_id_parsen(out, text, strlen(text)); }
