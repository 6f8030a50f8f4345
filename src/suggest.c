/* suggest — how far a mistyped name is from a known one. See <apnmap/suggest.h>. */
#include <apnmap/suggest.h>

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define SUGGEST_MAX 64

size_t apn_suggest_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > SUGGEST_MAX || lb > SUGGEST_MAX)
        return (size_t)-1;
    /* three rows of the dynamic programme: i-2, i-1, i */
    size_t r0[SUGGEST_MAX + 1], r1[SUGGEST_MAX + 1], r2[SUGGEST_MAX + 1];
    size_t *pp = r0, *p = r1, *c = r2;
    for (size_t j = 0; j <= lb; j++)
        p[j] = j;
    for (size_t i = 1; i <= la; i++) {
        int ai = tolower((unsigned char)a[i - 1]);
        c[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            int bj = tolower((unsigned char)b[j - 1]);
            size_t best = p[j - 1] + (ai != bj);
            if (p[j] + 1 < best)
                best = p[j] + 1;
            if (c[j - 1] + 1 < best)
                best = c[j - 1] + 1;
            if (i > 1 && j > 1 && ai == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == bj && pp[j - 2] + 1 < best)
                best = pp[j - 2] + 1;
            c[j] = best;
        }
        size_t *t = pp;
        pp = p, p = c, c = t;
    }
    return p[lb];
}

int apn_suggest_close(const char *word, const char *name)
{
    size_t lw = strlen(word), ln = strlen(name);
    if (!lw || !ln)
        return 0;
    if (lw < ln && !strncasecmp(word, name, lw) && 2 * lw >= ln)
        return 1;
    size_t d = apn_suggest_distance(word, name);
    size_t limit = lw <= 4 ? 1 : lw <= 8 ? 2 : 3;
    return d <= limit && 2 * d < lw;
}
