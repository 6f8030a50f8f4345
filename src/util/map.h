/* map — a string-keyed hash map to size_t values (open addressing).
 *
 * Keys are borrowed: the caller keeps them alive as long as the map (they are
 * usually arena strings). Caller-allocated (APN_MAP_INIT), released with
 * apn_map_dispose. Deterministic: iteration is not offered; callers keep their
 * own ordered arrays and use the map only to find indices.
 */
#ifndef APN_MAP_H
#define APN_MAP_H

#include <stddef.h>

typedef struct apn_map_slot { const char *key; size_t hash, value; } apn_map_slot;
typedef struct apn_map { apn_map_slot *slots; size_t cap, n; } apn_map;
#define APN_MAP_INIT { 0, 0, 0 }

/* Returns 1 and sets *value when key is present, else 0. */
int apn_map_get(const apn_map *m, const char *key, size_t *value);
/* Inserts or replaces. Returns 0 or APN_ENOMEM. */
int apn_map_put(apn_map *m, const char *key, size_t value);
void apn_map_dispose(apn_map *m);

#endif
