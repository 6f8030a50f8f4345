/* manifest — manifest.csv. See manifest.h. */
#include "read/manifest.h"

#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/csv.h"

static const char *const names[APN_MF_NCOLS] = {
    "path", "url", "etag", "last_modified", "sha256", "fetched_at", "coverage", "note"
};

typedef struct scan {
    const char *display;
    int flags;
    apn_manifest_fn fn;
    void *ud;
    apn_diags *d;
} scan;

static int scan_row(void *ud, const apn_csv_header *h, const char *const *f, size_t n, unsigned line)
{
    scan *s = ud;
    const char *v[APN_MF_NCOLS];
    char locus[32];
    int check = s->flags & APN_MANIFEST_CHECK;
    if (apn_csv_col(h, names[APN_MF_PATH]) < 0) {
        if (s->d)
            apn_diags_add(s->d, APN_SEV_WARNING, s->display, "line 1",
                          "no path column: not a manifest, ignored");
        return APN_EPARSE;
    }
    for (int c = 0; c < APN_MF_NCOLS; c++) {
        const char *x = apn_csv_field(h, f, n, names[c]);
        v[c] = x ? x : "";
    }
    snprintf(locus, sizeof locus, "line %u", line);
    if (!*v[APN_MF_PATH]) {
        if (check && s->d)
            apn_diags_add(s->d, APN_SEV_WARNING, s->display, locus, "no path; row skipped");
        return 0;
    }
    const char *cov = v[APN_MF_COVERAGE];
    if (check && *cov && strcmp(cov, "complete") && strcmp(cov, "partial")) {
        if (s->d)
            apn_diags_add(s->d, APN_SEV_WARNING, s->display, locus,
                          "coverage '%s' is neither complete nor partial; ignored", cov);
        v[APN_MF_COVERAGE] = "";
    }
    return s->fn(s->ud, v, line);
}

int apn_manifest_scan(const char *data, size_t len, const char *display, int flags,
                      apn_manifest_fn fn, void *ud, apn_diags *d)
{
    scan s = { display, flags, fn, ud, d };
    return apn_csv_parse(data, len, display, scan_row, &s, d);
}

int apn_manifest_scan_file(const char *path, const char *display, int flags, apn_manifest_fn fn,
                           void *ud, apn_diags *d)
{
    scan s = { display, flags, fn, ud, d };
    return apn_csv_read(path, display, scan_row, &s, d);
}

/* ---- the table fetch keeps ------------------------------------------------ */

static void entry_free(apn_manifest_entry *e)
{
    for (int c = 0; c < APN_MF_NCOLS; c++)
        apn_free(e->f[c]);
}

apn_manifest_entry *apn_manifest_find(const apn_manifest *m, const char *path)
{
    size_t i;
    return apn_map_get(&m->index, path, &i) ? &m->v[i] : NULL;
}

int apn_manifest_set(apn_manifest *m, const char *const f[APN_MF_NCOLS])
{
    apn_manifest_entry e;
    for (int c = 0; c < APN_MF_NCOLS; c++)
        if (!(e.f[c] = apn_strdup(f[c] ? f[c] : ""))) {
            while (c-- > 0)
                apn_free(e.f[c]);
            return APN_ENOMEM;
        }
    size_t i;
    if (!apn_map_get(&m->index, e.f[APN_MF_PATH], &i)) {
        if (apn_grow(&m->v, &m->cap, m->n + 1, sizeof *m->v) < 0 ||
            apn_map_put(&m->index, e.f[APN_MF_PATH], m->n) < 0) {
            entry_free(&e);
            return APN_ENOMEM;
        }
        m->v[m->n++] = e;
        return 0;
    }
    /* the key the map holds is the old entry's path: point it at the new one
     * before that is freed */
    if (apn_map_put(&m->index, e.f[APN_MF_PATH], i) < 0) {
        entry_free(&e);
        return APN_ENOMEM;
    }
    entry_free(&m->v[i]);
    m->v[i] = e;
    return 0;
}

static int set_row(void *ud, const char *const f[APN_MF_NCOLS], unsigned line)
{
    (void)line;
    return apn_manifest_set(ud, f);
}

int apn_manifest_parse(apn_manifest *m, const char *data, size_t len)
{
    return apn_manifest_scan(data, len, APN_MANIFEST_FILE, 0, set_row, m, NULL);
}

static int cmp_entry(const void *a, const void *b)
{
    const apn_manifest_entry *x = *(const apn_manifest_entry *const *)a;
    const apn_manifest_entry *y = *(const apn_manifest_entry *const *)b;
    return strcmp(x->f[APN_MF_PATH], y->f[APN_MF_PATH]);
}

void apn_manifest_write(apn_buf *out, const apn_manifest *m)
{
    const apn_manifest_entry **order = apn_calloc(m->n + 1, sizeof *order);
    if (!order) {
        out->oom = 1;
        return;
    }
    for (size_t i = 0; i < m->n; i++)
        order[i] = &m->v[i];
    apn_sort(order, m->n, sizeof *order, cmp_entry);
    for (int c = 0; c < APN_MF_NCOLS; c++) {
        apn_buf_puts(out, names[c]);
        apn_buf_putc(out, c + 1 < APN_MF_NCOLS ? ',' : '\n');
    }
    for (size_t i = 0; i < m->n; i++)
        for (int c = 0; c < APN_MF_NCOLS; c++) {
            apn_csv_put_cell(out, order[i]->f[c], 0);
            apn_buf_putc(out, c + 1 < APN_MF_NCOLS ? ',' : '\n');
        }
    apn_free(order);
}

void apn_manifest_dispose(apn_manifest *m)
{
    for (size_t i = 0; i < m->n; i++)
        entry_free(&m->v[i]);
    apn_free(m->v);
    apn_map_dispose(&m->index);
    m->v = NULL;
    m->n = m->cap = 0;
}
