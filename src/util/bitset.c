/* bitset — the population counts, with POPCNT where the CPU has it. See bitset.h. */
#include "util/bitset.h"

/* Each loop is compiled twice from one body, for POPCNT and for the baseline,
 * and the CPU's feature bits pick one per call (a load and a branch): no
 * -march change. Not target_clones: clang 14's ifuncs are not callable from
 * files that do not see the attribute. Elsewhere the builtin is already the
 * best the target has. */
#if defined(__x86_64__) || defined(__i386__)
#define HW __attribute__((target("popcnt")))
static int have_popcnt(void) { return __builtin_cpu_supports("popcnt"); }
#else
#define HW
static int have_popcnt(void) { return 0; }
#endif

#define COUNT_LOOP(name, attr, word)                                                   \
    attr static size_t name(const uint64_t *a, const uint64_t *b, size_t nw)           \
    {                                                                                  \
        size_t n = 0;                                                                  \
        (void)b;                                                                       \
        for (size_t i = 0; i < nw; i++)                                                \
            n += (size_t)__builtin_popcountll(word);                                   \
        return n;                                                                      \
    }
COUNT_LOOP(count_hw, HW, a[i])
COUNT_LOOP(count_sw, , a[i])
COUNT_LOOP(and_hw, HW, a[i] & b[i])
COUNT_LOOP(and_sw, , a[i] & b[i])
COUNT_LOOP(andnot_hw, HW, a[i] & ~b[i])
COUNT_LOOP(andnot_sw, , a[i] & ~b[i])

size_t apn_bitset_count(const uint64_t *s, size_t nw)
{
    return have_popcnt() ? count_hw(s, s, nw) : count_sw(s, s, nw);
}

size_t apn_bitset_and_count(const uint64_t *a, const uint64_t *b, size_t nw)
{
    return have_popcnt() ? and_hw(a, b, nw) : and_sw(a, b, nw);
}

size_t apn_bitset_andnot_count(const uint64_t *a, const uint64_t *b, size_t nw)
{
    return have_popcnt() ? andnot_hw(a, b, nw) : andnot_sw(a, b, nw);
}
