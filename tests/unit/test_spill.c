/* Unit tests for spill.c: records written to the temporary file come back
 * field for field (NULL, empty, long), in any order, from whole blocks or alone,
 * and the file is never visible in the folder. */
#include "test.h"

#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

#include <apnmap/apnmap.h>

#include "util/spill.h"

/* Field f of record r, as written: deterministic, some NULL, some empty, some
 * long enough to make a block larger than the spill keeps whole. */
static char *field(size_t r, size_t f)
{
    if ((r + f) % 7 == 3)
        return NULL;
    size_t n = (r * 31 + f * 17) % 5 == 0 ? 0 : (r % 97 == 5 ? 300000 : 1 + (r * 13 + f) % 200);
    char *s = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        s[i] = (char)('a' + (r + f + i) % 26);
    s[n] = 0;
    return s;
}

static int entries_named(const char *dir, const char *part)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    while (d && (e = readdir(d)) != NULL)
        n += strstr(e->d_name, part) != NULL;
    if (d)
        closedir(d);
    return n;
}

TEST(spill__records_come_back_in_any_order)
{
    char dir[256], near[300];
    apn_spill *s = NULL;
    const size_t nrec = 1200, per_block = 37;
    REQUIRE(test_tmpdir(dir, sizeof dir, "spill") == 0);
    snprintf(near, sizeof near, "%s/out.db", dir);
    REQUIRE(apn_spill_open(&s, near, 3) == 0);
    CHECK_INT(entries_named(dir, "words"), 0);   /* unlinked at once */
    for (size_t r = 0; r < nrec; r++) {
        if (r % per_block == 0)
            REQUIRE(apn_spill_block(s) == 0);
        char *f[3] = { field(r, 0), field(r, 1), field(r, 2) };
        CHECK_INT(apn_spill_add(s, (const char *const *)f), 0);
        free(f[0]), free(f[1]), free(f[2]);
    }
    CHECK_INT(apn_spill_count(s), nrec);
    /* forwards with whole blocks, then a stride across blocks one by one */
    int bad = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t k = 0; k < nrec; k++) {
            size_t r = pass ? (k * 389) % nrec : k;
            const char *got[3];
            REQUIRE(apn_spill_get(s, r, pass == 0, got) == 0);
            for (size_t f = 0; f < 3; f++) {
                char *want = field(r, f);
                if ((want == NULL) != (got[f] == NULL) || (want && strcmp(want, got[f])))
                    bad++;
                free(want);
            }
        }
    CHECK_INT(bad, 0);
    const char *got[3];
    CHECK_INT(apn_spill_get(s, nrec, 1, got), APN_EUSAGE);
    apn_spill_free(s);
    CHECK_INT(entries_named(dir, "words"), 0);
    test_rmtree(dir);
}

TEST(spill__missing_folder_is_an_io_error)
{
    apn_spill *s = NULL;
    CHECK_INT(apn_spill_open(&s, "/nonexistent-apnmap-dir/out.db", 4), APN_EIO);
    CHECK(s == NULL);
    CHECK_INT(apn_spill_open(&s, "/tmp/out.db", 0), APN_EUSAGE);
}
