/* alloc — the library's allocator hooks, an arena, and fault injection.
 *
 * Every allocation of the library goes through apn_malloc/apn_realloc/apn_free,
 * which a test can make fail after N calls (apn_alloc_fail_after, public). They
 * never abort: callers turn NULL into APN_ENOMEM. apn_arena hands out memory
 * that lives until apn_arena_dispose: documents keep all their strings there, so
 * one dispose frees a whole document. apn_malloc(0) returns a valid pointer.
 */
#ifndef APN_ALLOC_H
#define APN_ALLOC_H

#include <stddef.h>

void *apn_malloc(size_t n);
void *apn_calloc(size_t n, size_t size);   /* NULL on overflow too */
void *apn_realloc(void *p, size_t n);
void apn_free(void *p);
char *apn_strdup(const char *s);            /* NULL in, NULL out */
char *apn_strndup(const char *s, size_t n);

/* qsort that accepts an empty (NULL) array, which qsort itself must not get;
 * apn_sort_r passes ctx to every comparison (qsort_r), so a comparator needs
 * no process-wide state and two builds may sort at once. */
void apn_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
void apn_sort_r(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *, void *),
                void *ctx);

/* Grows *v (an array of *cap elements of size sz) so it holds at least need.
 * Returns 0 or APN_ENOMEM (then *v is unchanged). */
int apn_grow(void *v, size_t *cap, size_t need, size_t sz);

typedef struct apn_arena_block apn_arena_block;
typedef struct apn_arena {
    apn_arena_block *head;
    size_t used, size;    /* of the head block */
} apn_arena;
#define APN_ARENA_INIT { 0, 0, 0 }

void *apn_arena_alloc(apn_arena *a, size_t n);           /* 16-byte aligned; NULL on OOM */
char *apn_arena_strdup(apn_arena *a, const char *s);     /* NULL in, NULL out */
char *apn_arena_strndup(apn_arena *a, const char *s, size_t n);
char *apn_arena_printf(apn_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void apn_arena_dispose(apn_arena *a);

#endif
