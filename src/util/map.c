/* map — string-keyed hash map. See map.h. */
#include "util/map.h"

#include <string.h>

#include <apnmap/common.h>

#include "util/alloc.h"

static size_t hash(const char *s)
{
    size_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static apn_map_slot *find(const apn_map *m, const char *key, size_t h)
{
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        apn_map_slot *s = &m->slots[i];
        if (!s->key || (s->hash == h && !strcmp(s->key, key)))
            return s;
    }
}

int apn_map_get(const apn_map *m, const char *key, size_t *value)
{
    if (!m->cap)
        return 0;
    apn_map_slot *s = find(m, key, hash(key));
    if (!s->key)
        return 0;
    *value = s->value;
    return 1;
}

int apn_map_put(apn_map *m, const char *key, size_t value)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 64;
        apn_map_slot *ns = apn_calloc(ncap, sizeof *ns);
        if (!ns)
            return APN_ENOMEM;
        apn_map old = *m;
        m->slots = ns;
        m->cap = ncap;
        for (size_t i = 0; i < old.cap; i++)
            if (old.slots[i].key)
                *find(m, old.slots[i].key, old.slots[i].hash) = old.slots[i];
        apn_free(old.slots);
    }
    size_t h = hash(key);
    apn_map_slot *s = find(m, key, h);
    if (!s->key)
        m->n++;
    s->key = key;
    s->hash = h;
    s->value = value;
    return 0;
}

void apn_map_dispose(apn_map *m)
{
    apn_free(m->slots);
    m->slots = NULL;
    m->cap = m->n = 0;
}
