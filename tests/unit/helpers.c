/* helpers — what the unit tests share (declared in test.h). */
#include "test.h"

#include <ftw.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#include <sqlite3.h>

#include <apnmap/common.h>

#include "read/doc.h"
#include "util/alloc.h"
#include "util/io.h"

/* ---- fixtures ------------------------------------------------------------ */

const char *test_root(void)
{
    const char *r = getenv("APN_ROOT");
    return r ? r : ".";
}

const char *test_shared(void)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/../shared", test_root());
    return access(path, R_OK) == 0 ? path : NULL;
}

const char *test_path(const char *rel)
{
    static char paths[4][4096];
    static unsigned next;
    char *p = paths[next++ % 4];
    snprintf(p, sizeof paths[0], "%s/%s", test_root(), rel);
    return p;
}

char *test_slurp(const char *rel, size_t *len)
{
    char *data = NULL;
    *len = 0;
    if (apn_io_read_file(&data, len, test_path(rel), (size_t)64 << 20) < 0)
        return NULL;
    return data;
}

/* ---- temporary files ------------------------------------------------------ */

int test_tmpdir(char *dir, size_t n, const char *tag)
{
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    int w = snprintf(dir, n, "%s/apnmap-%s-XXXXXX", base, tag);
    if (w < 0 || (size_t)w >= n || !mkdtemp(dir)) {
        if (n)
            dir[0] = 0;
        return -1;
    }
    return 0;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

int test_rmtree(const char *dir)
{
    return nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}

int test_db_from_sql(const char *path, const char *rel, ...)
{
    sqlite3 *h = NULL;
    int rc = -1;
    va_list ap;
    va_start(ap, rel);
    unlink(path);
    if (sqlite3_open(path, &h) != SQLITE_OK)
        goto cleanup;
    for (; rel; rel = va_arg(ap, const char *)) {
        size_t len;
        char *sql = test_slurp(rel, &len);
        int ok = sql && sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK;
        apn_free(sql);
        if (!ok)
            goto cleanup;
    }
    rc = 0;
cleanup:
    va_end(ap);
    sqlite3_close(h);
    return rc;
}

/* ---- looking things up ----------------------------------------------------- */

const apn_item *test_find_item(const apn_doc *doc, const char *raw_id)
{
    for (size_t i = 0; i < doc->nitems; i++)
        if (doc->items[i].raw_id && !strcmp(doc->items[i].raw_id, raw_id))
            return &doc->items[i];
    return NULL;
}

const apn_diag *test_find_diag(const apn_diags *d, int sev, const char *locus, const char *part)
{
    for (size_t i = 0; i < d->n; i++) {
        const apn_diag *g = &d->v[i];
        if ((sev < 0 || (int)g->severity == sev) &&
            (!locus || (g->locus && !strcmp(g->locus, locus))) &&
            (!part || (g->message && strstr(g->message, part))))
            return g;
    }
    return NULL;
}

/* ---- generating inputs ------------------------------------------------------ */

static uint64_t rng_state;

void test_seed(uint64_t seed) { rng_state = seed; }

static uint64_t step(void)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return rng_state;
}

unsigned test_rnd(unsigned n)
{
    return (unsigned)((step() >> 33) % n);
}

/* An LCG's low bits repeat quickly: 64 bits are two high halves. */
uint64_t test_rnd64(void)
{
    uint64_t hi = step() >> 32;
    return hi << 32 | step() >> 32;
}

/* Structure only, as the tests need it: a lead byte (never C0 or C1) and its
 * continuation bytes, none cut off by the end. */
int test_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned char c = p[i];
        size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (!k || (k == 2 && c < 0xC2) || i + k > n)
            return 0;
        for (size_t j = 1; j < k; j++)
            if ((p[i + j] & 0xC0) != 0x80)
                return 0;
        i += k;
    }
    return 1;
}
