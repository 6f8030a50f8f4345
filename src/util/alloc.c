/* alloc — allocator hooks, arena and fault injection. See alloc.h. */
#include "util/alloc.h"

#include <libxml/xmlmemory.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apnmap/common.h>

/* Fault injection: when countdown is armed (> 0), the allocation that brings it
 * to 0 fails; the ones after it succeed again, so each N tests one failure point. */
static atomic_long countdown;
static atomic_long refused;

void apn_alloc_fail_after(long n)
{
    atomic_store(&countdown, n);
    atomic_store(&refused, 0);
}

long apn_alloc_failures(void) { return atomic_load(&refused); }

static int should_fail(void)
{
    if (atomic_load_explicit(&countdown, memory_order_relaxed) <= 0)
        return 0;
    if (atomic_fetch_sub(&countdown, 1) == 1) {
        atomic_fetch_add(&refused, 1);
        return 1;
    }
    return 0;
}

void *apn_malloc(size_t n)
{
    if (should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *apn_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    if (should_fail())
        return NULL;
    return calloc(n ? n : 1, size ? size : 1);
}

void *apn_realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

void apn_free(void *p) { free(p); }

char *apn_strndup(const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *d = apn_malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *apn_strdup(const char *s) { return s ? apn_strndup(s, strlen(s)) : NULL; }

void apn_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, cmp);
}

void apn_sort_r(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *, void *),
                void *ctx)
{
    if (n > 1)
        qsort_r(base, n, size, cmp, ctx);
}

int apn_grow(void *v, size_t *cap, size_t need, size_t sz)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / sz)
            return APN_ENOMEM;
        ncap *= 2;
    }
    void *p = apn_realloc(*(void **)v, ncap * sz);
    if (!p)
        return APN_ENOMEM;
    *(void **)v = p;
    *cap = ncap;
    return 0;
}

/* ---- arena ------------------------------------------------------------- */

struct apn_arena_block {
    apn_arena_block *next;
    size_t size;
    _Alignas(16) unsigned char data[];
};

void *apn_arena_alloc(apn_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (!a->head || a->used + n > a->size) {
        size_t size = n > 8192 ? n : 8192;
        apn_arena_block *b = apn_malloc(sizeof *b + size);
        if (!b)
            return NULL;
        b->size = size;
        b->next = a->head;
        a->head = b;
        a->used = 0;
        a->size = size;
    }
    void *p = a->head->data + a->used;
    a->used += n;
    return p;
}

char *apn_arena_strndup(apn_arena *a, const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *d = apn_arena_alloc(a, n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}

char *apn_arena_strdup(apn_arena *a, const char *s)
{
    return s ? apn_arena_strndup(a, s, strlen(s)) : NULL;
}

char *apn_arena_printf(apn_arena *a, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *d = n < 0 ? NULL : apn_arena_alloc(a, (size_t)n + 1);
    if (d)
        vsnprintf(d, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return d;
}

void apn_arena_dispose(apn_arena *a)
{
    apn_arena_block *b = a->head;
    while (b) {
        apn_arena_block *next = b->next;
        apn_free(b);
        b = next;
    }
    a->head = NULL;
    a->used = a->size = 0;
}

/* ---- routing libxml2 and SQLite through the hooks ----------------------- */

static char *xml_strdup(const char *s) { return apn_strdup(s); }

/* SQLite needs the size of an allocation back: keep it in a 16-byte header. */
static void *sq_malloc(int n)
{
    unsigned char *p = apn_malloc((size_t)n + 16);
    if (!p)
        return NULL;
    memcpy(p, &n, sizeof n);
    return p + 16;
}
static void sq_free(void *p)
{
    if (p)
        apn_free((unsigned char *)p - 16);
}
static void *sq_realloc(void *p, int n)
{
    if (!p)
        return sq_malloc(n);
    unsigned char *q = apn_realloc((unsigned char *)p - 16, (size_t)n + 16);
    if (!q)
        return NULL;
    memcpy(q, &n, sizeof n);
    return q + 16;
}
static int sq_size(void *p)
{
    int n;
    memcpy(&n, (unsigned char *)p - 16, sizeof n);
    return n;
}
static int sq_roundup(int n) { return (n + 7) & ~7; }
static int sq_init(void *ud) { (void)ud; return SQLITE_OK; }
static void sq_shutdown(void *ud) { (void)ud; }

int apn_alloc_install_libs(void)
{
    static const sqlite3_mem_methods mm = {
        sq_malloc, sq_free, sq_realloc, sq_size, sq_roundup, sq_init, sq_shutdown, 0
    };
    if (xmlMemSetup(apn_free, apn_malloc, apn_realloc, xml_strdup) != 0)
        return APN_ERROR;
    if (sqlite3_config(SQLITE_CONFIG_MALLOC, &mm) != SQLITE_OK)
        return APN_ERROR;
    return 0;
}
