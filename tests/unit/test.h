/* test.h — the in-house unit harness (tests/unit/main.c runs it) and the
 * helpers every unit test shares (tests/unit/helpers.c).
 *
 * TEST(module__case) { ... } defines a test; the Makefile collects every
 * TEST(...) line into a registry. CHECK(cond) records a failure and goes on;
 * REQUIRE(cond) records it and leaves the test. CHECK_STR compares C strings
 * (NULL-safe) and prints both on failure. Tests run in registry order; run a
 * subset with `build/unit -s xlsx__` (prefix match).
 *
 * A helper belongs here once two test files need it: fixture paths and
 * contents, temporary folders, databases made from SQL files, looking up an
 * item or a diagnostic, seeded random numbers, UTF-8 validity. Memory a helper
 * returns is freed with apn_free.
 */
#ifndef APN_TEST_H
#define APN_TEST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

extern int test__failed;
void test__fail(const char *file, int line, const char *what);
void test__fail_str(const char *file, int line, const char *what, const char *got,
                    const char *want);

#define TEST(name) void test_##name(void); void test_##name(void)
#define CHECK(c) do { if (!(c)) test__fail(__FILE__, __LINE__, #c); } while (0)
#define REQUIRE(c) do { if (!(c)) { test__fail(__FILE__, __LINE__, #c); return; } } while (0)
#define CHECK_STR(got, want) do { const char *g_ = (got), *w_ = (want); \
    if ((g_ == NULL) != (w_ == NULL) || (g_ && strcmp(g_, w_))) \
        test__fail_str(__FILE__, __LINE__, #got, g_, w_); } while (0)
#define CHECK_INT(got, want) do { long long g_ = (long long)(got), w_ = (long long)(want); \
    if (g_ != w_) { char gb_[32], wb_[32]; snprintf(gb_, 32, "%lld", g_); \
        snprintf(wb_, 32, "%lld", w_); test__fail_str(__FILE__, __LINE__, #got, gb_, wb_); } } while (0)

/* ---- fixtures ------------------------------------------------------------ */

/* Root of the source tree ($APN_ROOT, else "."); and the folder beside it that
 * may hold the project's original fact tables and contract fixture (NULL when
 * absent: a clean clone has none; tests compare against it when present). */
const char *test_root(void);
const char *test_shared(void);
/* "root/rel" in one of four static buffers taken in turn: valid until the
 * fourth call after. */
const char *test_path(const char *rel);
/* The contents of root/rel (NUL-terminated after *len bytes; at most 64 MiB),
 * or NULL when it cannot be read. */
char *test_slurp(const char *rel, size_t *len);

/* ---- temporary files ------------------------------------------------------ */

/* Makes a fresh, empty folder $TMPDIR/apnmap-<tag>-XXXXXX (/tmp without
 * TMPDIR) and puts its path in dir (n bytes). Returns 0, or -1. */
int test_tmpdir(char *dir, size_t n, const char *tag);
/* Removes dir and all it holds, never following a symbolic link. 0 or -1. */
int test_rmtree(const char *dir);
/* Creates the SQLite database path afresh from the files root/rel... (a
 * NULL-terminated list, run in order: usually src/schema.sql first, then a
 * fixture). Returns 0, or -1 when a file is missing or its SQL fails. */
int test_db_from_sql(const char *path, const char *rel, ...);

/* ---- looking things up ----------------------------------------------------- */

struct apn_doc;
struct apn_item;
struct apn_diag;
struct apn_diags;
/* The item of doc whose raw_id is raw_id, or NULL. */
const struct apn_item *test_find_item(const struct apn_doc *doc, const char *raw_id);
/* The first diagnostic of d with severity sev (-1: any), locus equal to locus
 * (NULL: any) and a message containing part (NULL: any), or NULL. */
const struct apn_diag *test_find_diag(const struct apn_diags *d, int sev, const char *locus,
                                      const char *part);
#define test_has_diag(d, sev, locus, part) (test_find_diag(d, sev, locus, part) != NULL)

/* ---- generating inputs ------------------------------------------------------ */

/* Seeded pseudo-random numbers (a 64-bit LCG, so a seed replays a failure):
 * test_seed, then test_rnd(n) in [0, n) (n > 0) or test_rnd64 for 64 bits. */
void test_seed(uint64_t seed);
unsigned test_rnd(unsigned n);
uint64_t test_rnd64(void);
/* Whether s[0..n) is valid UTF-8 (no overlong forms, surrogates, or code
 * points above U+10FFFF). */
int test_utf8_valid(const char *s, size_t n);

#endif
