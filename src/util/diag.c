/* diag — the diagnostics list of the public API (apnmap.h), and apn_strerror. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apnmap/common.h>

#include "util/alloc.h"

const char *apn_strerror(int code)
{
    switch (code) {
    case APN_OK: return "success";
    case APN_ENOTFOUND: return "not found";
    case APN_EPARSE: return "broken structure";
    case APN_EIO: return "input/output error";
    case APN_ENOMEM: return "out of memory";
    case APN_EDB: return "database error";
    case APN_EUSAGE: return "invalid request";
    case APN_ELIMIT: return "size limit exceeded";
    default: return "error";
    }
}

int apn_diags_add(apn_diags *d, apn_severity sev, const char *path, const char *locus,
                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int err = apn_diags_vadd(d, sev, path, locus, fmt, ap);
    va_end(ap);
    return err;
}

int apn_diags_vadd(apn_diags *d, apn_severity sev, const char *path, const char *locus,
                   const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (sev == APN_SEV_ERROR)
        d->nerr++;
    else if (sev == APN_SEV_WARNING)
        d->nwarn++;
    if (apn_grow(&d->v, &d->cap, d->n + 1, sizeof *d->v) < 0)
        goto oom;
    apn_diag *e = &d->v[d->n];
    e->severity = sev;
    e->path = apn_strdup(path ? path : "");
    e->locus = apn_strdup(locus ? locus : "");
    e->message = apn_strdup(msg);
    if (!e->path || !e->locus || !e->message) {
        apn_free(e->path);
        apn_free(e->locus);
        apn_free(e->message);
        goto oom;
    }
    d->n++;
    return 0;
oom:
    d->oom = 1;
    return APN_ENOMEM;
}

int apn_diags_take(apn_diags *dst, apn_diags *src)
{
    if (apn_grow(&dst->v, &dst->cap, dst->n + src->n, sizeof *dst->v) < 0) {
        dst->oom = 1;
        apn_diags_dispose(src);
        return APN_ENOMEM;
    }
    if (src->n)
        memcpy(dst->v + dst->n, src->v, src->n * sizeof *src->v);
    dst->n += src->n;
    dst->nerr += src->nerr;
    dst->nwarn += src->nwarn;
    dst->oom |= src->oom;
    apn_free(src->v);
    memset(src, 0, sizeof *src);
    return 0;
}

/* Stable: merge sort by path keeps discovery order within a file. */
static void msort(apn_diag *v, apn_diag *tmp, size_t n)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    msort(v, tmp, h);
    msort(v + h, tmp, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = strcmp(v[j].path, v[i].path) < 0 ? v[j++] : v[i++];
    while (i < h)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof *v);
}

void apn_diags_sort(apn_diags *d)
{
    if (d->n < 2)
        return;
    apn_diag *tmp = apn_malloc(d->n * sizeof *tmp);
    if (!tmp)
        return; /* unsorted output is still correct output */
    msort(d->v, tmp, d->n);
    apn_free(tmp);
}

void apn_diags_dispose(apn_diags *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        apn_free(d->v[i].path);
        apn_free(d->v[i].locus);
        apn_free(d->v[i].message);
    }
    apn_free(d->v);
    memset(d, 0, sizeof *d);
}
