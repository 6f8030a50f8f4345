/* Unit tests of bitset: the population counts (POPCNT or portable, whichever
 * this CPU runs) against counting member by member, on sets of every size
 * around word boundaries. */
#include <stdint.h>
#include <string.h>

#include "util/alloc.h"
#include "util/bitset.h"
#include "test.h"

TEST(bitset__counts_match_members)
{
    uint64_t x = 88172645463325252ULL;   /* xorshift64 */
    for (size_t n = 0; n <= 200; n += (n < 70 ? 1 : 13)) {
        size_t nw = APN_BITSET_WORDS(n);
        uint64_t *a = apn_bitset_new(nw), *b = apn_bitset_new(nw);
        REQUIRE(a && b);
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            if (x & 1)
                apn_bitset_set(a, i);
            if (x & 6)   /* b denser than a, so and and andnot both vary */
                apn_bitset_set(b, i);
        }
        if (n == 200) {   /* a full set: every bit of every word */
            for (size_t i = 0; i < n; i++)
                apn_bitset_set(a, i);
        }
        size_t ca = 0, cand = 0, cnot = 0;
        for (size_t i = 0; i < n; i++) {
            ca += (size_t)apn_bitset_has(a, i);
            cand += (size_t)(apn_bitset_has(a, i) && apn_bitset_has(b, i));
            cnot += (size_t)(apn_bitset_has(a, i) && !apn_bitset_has(b, i));
        }
        CHECK_INT(apn_bitset_count(a, nw), ca);
        CHECK_INT(apn_bitset_and_count(a, b, nw), cand);
        CHECK_INT(apn_bitset_andnot_count(a, b, nw), cnot);
        CHECK_INT(apn_bitset_count(a, nw),
                  apn_bitset_and_count(a, b, nw) + apn_bitset_andnot_count(a, b, nw));
        apn_free(a);
        apn_free(b);
    }
    uint64_t ones[3] = { ~(uint64_t)0, ~(uint64_t)0, (uint64_t)1 << 63 };
    uint64_t none[3] = { 0, 0, 0 };
    CHECK_INT(apn_bitset_count(ones, 3), 129);
    CHECK_INT(apn_bitset_and_count(ones, none, 3), 0);
    CHECK_INT(apn_bitset_andnot_count(ones, none, 3), 129);
    CHECK_INT(apn_bitset_count(ones, 0), 0);
}
