/* bitset — fixed-size sets of small integers (requirement indices), inline.
 *
 * A set over n elements is nwords = APN_BITSET_WORDS(n) uint64_t words owned by
 * the caller (apn_bitset_new allocates zeroed words; apn_free releases them).
 * Operations take the word count; they never allocate. Used by the planner
 * (each competency's requirements as a set) and the report (overlaps and
 * reach), where set algebra is the inner loop.
 */
#ifndef APN_BITSET_H
#define APN_BITSET_H

#include <stddef.h>
#include <stdint.h>

#include "util/alloc.h"

#define APN_BITSET_WORDS(n) (((n) + 63) / 64)

static inline uint64_t *apn_bitset_new(size_t nwords)
{
    return (uint64_t *)apn_calloc(nwords ? nwords : 1, sizeof(uint64_t));
}
static inline void apn_bitset_set(uint64_t *s, size_t i) { s[i / 64] |= (uint64_t)1 << (i % 64); }
static inline void apn_bitset_clear(uint64_t *s, size_t i) { s[i / 64] &= ~((uint64_t)1 << (i % 64)); }
static inline int apn_bitset_has(const uint64_t *s, size_t i) { return (int)((s[i / 64] >> (i % 64)) & 1); }

/* The counting loops live in bitset.c: built twice, with the POPCNT instruction
 * and without, the CPU picking at load time (the default -march has no POPCNT,
 * so __builtin_popcountll was a libgcc call per word). */
size_t apn_bitset_count(const uint64_t *s, size_t nw);
/* |a & b| */
size_t apn_bitset_and_count(const uint64_t *a, const uint64_t *b, size_t nw);
/* |a & ~b|: what a adds to b */
size_t apn_bitset_andnot_count(const uint64_t *a, const uint64_t *b, size_t nw);
static inline void apn_bitset_or(uint64_t *dst, const uint64_t *src, size_t nw)
{
    for (size_t i = 0; i < nw; i++)
        dst[i] |= src[i];
}
/* Calls through each member in increasing order: for (i = apn_bitset_next(s, nw, 0); i != SIZE_MAX; i = apn_bitset_next(s, nw, i + 1)) */
static inline size_t apn_bitset_next(const uint64_t *s, size_t nw, size_t from)
{
    size_t w = from / 64;
    if (w >= nw)
        return SIZE_MAX;
    uint64_t x = s[w] & (~(uint64_t)0 << (from % 64));
    for (;;) {
        if (x)
            return w * 64 + (size_t)__builtin_ctzll(x);
        if (++w >= nw)
            return SIZE_MAX;
        x = s[w];
    }
}

#endif
