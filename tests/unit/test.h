/* test.h — the in-house unit harness (tests/unit/main.c runs it).
 *
 * TEST(module__case) { ... } defines a test; the Makefile collects every
 * TEST(...) line into a registry. CHECK(cond) records a failure and goes on;
 * REQUIRE(cond) records it and leaves the test. CHECK_STR compares C strings
 * (NULL-safe) and prints both on failure. Tests run in registry order; run a
 * subset with `build/unit -s xlsx__` (prefix match).
 */
#ifndef APN_TEST_H
#define APN_TEST_H

#include <stdio.h>
#include <string.h>

extern int test__failed;
void test__fail(const char *file, int line, const char *what);
void test__fail_str(const char *file, int line, const char *what, const char *got,
                    const char *want);
/* Root of the source tree and of ../shared, for tests that read fixtures. */
const char *test_root(void);
const char *test_shared(void);   /* NULL when ../shared is absent */

#define TEST(name) void test_##name(void); void test_##name(void)
#define CHECK(c) do { if (!(c)) test__fail(__FILE__, __LINE__, #c); } while (0)
#define REQUIRE(c) do { if (!(c)) { test__fail(__FILE__, __LINE__, #c); return; } } while (0)
#define CHECK_STR(got, want) do { const char *g_ = (got), *w_ = (want); \
    if ((g_ == NULL) != (w_ == NULL) || (g_ && strcmp(g_, w_))) \
        test__fail_str(__FILE__, __LINE__, #got, g_, w_); } while (0)
#define CHECK_INT(got, want) do { long long g_ = (long long)(got), w_ = (long long)(want); \
    if (g_ != w_) { char gb_[32], wb_[32]; snprintf(gb_, 32, "%lld", g_); \
        snprintf(wb_, 32, "%lld", w_); test__fail_str(__FILE__, __LINE__, #got, gb_, wb_); } } while (0)

#endif
