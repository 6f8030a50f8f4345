/* plan_load — an offering from the database, its weights and what is done.
 * See plan_load.h.
 */
#include "plan_load.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "util/bitset.h"
#include "util/buf.h"
#include "util/csv.h"
#include "read/ids.h"
#include "dbint.h"

void apn_plan__data_dispose(apn_plan_data *d)
{
    apn_plan__inst_dispose(&d->in);
    apn_free(d->slug);
    apn_free(d->cat);
    apn_free(d->partial);
    apn_free(d->cid);
    apn_free(d->rid);
    apn_free(d->rprefix);
    apn_free(d->ce);
    apn_free(d->met);
    apn_free(d->cidx);
    apn_map_dispose(&d->rmap);
    apn_arena_dispose(&d->ar);
}

static int db_fail(apn_db *db, apn_diags *dg)
{
    return apn_db__fail(db, dg, sqlite3_errcode(apn_db__handle(db)));
}

/* ======================================================================
 * Loading an offering from the database
 * ====================================================================== */

static int cmp_cid(const void *a, const void *b)
{
    long long x = ((const struct apn_plan_cid *)a)->id, y = ((const struct apn_plan_cid *)b)->id;
    return (x > y) - (x < y);
}

/* The index of competency.id id (cid is in slug order; cidx by id). */
static long comp_index(const apn_plan_data *d, long long id)
{
    struct apn_plan_cid key = { id, 0 };
    const struct apn_plan_cid *f = bsearch(&key, d->cidx, d->ncomp, sizeof *d->cidx, cmp_cid);
    return f ? (long)f->i : -1;
}

int apn_plan__load(apn_plan_data *d, apn_db *db, const char *offering, apn_diags *dg)
{
    sqlite3 *h = apn_db__handle(db);
    sqlite3_stmt *st = NULL;
    int err = 0, rc;
    size_t cap = 0;

    d->offering = offering;
    /* competencies offering it, in slug order (byte order: the tie rule's order) */
    if (sqlite3_prepare_v2(h, "SELECT c.id, c.slug, c.category, oc.partial FROM offering_checklist oc "
                              "JOIN competency c ON c.id = oc.competency_id WHERE oc.offering = ?1 "
                              "ORDER BY c.slug", -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, dg);
    sqlite3_bind_text(st, 1, offering, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        size_t i = d->ncomp;
        if (apn_grow(&d->slug, &cap, i + 1, sizeof *d->slug) < 0) {
            err = APN_ENOMEM;
            goto cleanup;
        }
        /* parallel arrays grow with the same capacity */
        size_t c2 = i, c3 = i, c4 = i;
        if (apn_grow(&d->cat, &c2, cap, sizeof *d->cat) < 0 ||
            apn_grow(&d->partial, &c3, cap, sizeof *d->partial) < 0 ||
            apn_grow(&d->cid, &c4, cap, sizeof *d->cid) < 0) {
            err = APN_ENOMEM;
            goto cleanup;
        }
        d->cid[i] = sqlite3_column_int64(st, 0);
        d->slug[i] = apn_arena_strdup(&d->ar, (const char *)sqlite3_column_text(st, 1));
        d->cat[i] = apn_arena_strdup(&d->ar, (const char *)sqlite3_column_text(st, 2));
        d->partial[i] = sqlite3_column_int(st, 3) != 0;
        if (!d->slug[i] || (!d->cat[i] && sqlite3_column_type(st, 2) != SQLITE_NULL)) {
            err = APN_ENOMEM;
            goto cleanup;
        }
        d->ncomp++;
    }
    if (rc != SQLITE_DONE) {
        err = db_fail(db, dg);
        goto cleanup;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (!(d->cidx = apn_calloc(d->ncomp + 1, sizeof *d->cidx))) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < d->ncomp; i++)
        d->cidx[i] = (struct apn_plan_cid){ d->cid[i], i };
    apn_sort(d->cidx, d->ncomp, sizeof *d->cidx, cmp_cid);
    /* requirements of the offering, in ID order */
    cap = 0;
    if (sqlite3_prepare_v2(h, "SELECT DISTINCT r.id, r.prefix FROM offering_requirement o "
                              "JOIN requirement r ON r.id = o.requirement_id WHERE o.offering = ?1 "
                              "ORDER BY r.id", -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, dg);
    sqlite3_bind_text(st, 1, offering, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        size_t i = d->nreq;
        size_t c2 = i;
        if (apn_grow(&d->rid, &cap, i + 1, sizeof *d->rid) < 0 ||
            apn_grow(&d->rprefix, &c2, cap, sizeof *d->rprefix) < 0) {
            err = APN_ENOMEM;
            goto cleanup;
        }
        d->rid[i] = apn_arena_strdup(&d->ar, (const char *)sqlite3_column_text(st, 0));
        d->rprefix[i] = apn_arena_strdup(&d->ar, (const char *)sqlite3_column_text(st, 1));
        if (!d->rid[i] || !d->rprefix[i] || apn_map_put(&d->rmap, d->rid[i], i) < 0) {
            err = APN_ENOMEM;
            goto cleanup;
        }
        d->nreq++;
    }
    if (rc != SQLITE_DONE) {
        err = db_fail(db, dg);
        goto cleanup;
    }
    sqlite3_finalize(st);
    st = NULL;
    if ((err = apn_plan__inst_init(&d->in, d->ncomp, d->nreq)) < 0)
        goto cleanup;
    d->ce = apn_calloc(d->ncomp ? d->ncomp * d->in.nw : 1, sizeof *d->ce);
    d->met = apn_bitset_new(d->in.nw);
    if (!d->ce || !d->met) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    if (sqlite3_prepare_v2(h, "SELECT competency_id, requirement_id, customer_example "
                              "FROM offering_requirement WHERE offering = ?1", -1, &st, NULL) != SQLITE_OK)
        return db_fail(db, dg);
    sqlite3_bind_text(st, 1, offering, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long c = comp_index(d, sqlite3_column_int64(st, 0));
        size_t r;
        if (c < 0 || !apn_map_get(&d->rmap, (const char *)sqlite3_column_text(st, 1), &r))
            continue;
        apn_bitset_set(apn_plan__set(&d->in, (size_t)c), r);
        if (sqlite3_column_int(st, 2))
            apn_bitset_set(d->ce + (size_t)c * d->in.nw, r);
    }
    if (rc != SQLITE_DONE)
        err = db_fail(db, dg);
    d->integral = d->unit = 1;
cleanup:
    sqlite3_finalize(st);
    return err;
}

/* ======================================================================
 * Weights: prefix_or_id,cost
 * ====================================================================== */

typedef struct wrow {
    char key[APN_ID_MAX];
    int is_id;
    double cost;
    unsigned line;
} wrow;

typedef struct wread {
    const char *path;
    apn_diags *dg;
    wrow *v;
    size_t n, cap;
    size_t bad;
} wread;

static int weights_row(void *ud, const apn_csv_header *hdr, const char *const *f, size_t n,
                       unsigned line)
{
    wread *w = ud;
    char loc[32];
    int kc = apn_csv_col(hdr, "prefix_or_id"), cc = apn_csv_col(hdr, "cost");
    if (kc < 0 || cc < 0 || hdr->n != 2) {
        apn_diags_add(w->dg, APN_SEV_ERROR, w->path, "line 1",
                      "the header must be prefix_or_id,cost");
        w->bad++;
        return APN_EPARSE;
    }
    snprintf(loc, sizeof loc, "line %u", line);
    if (n != 2) {
        apn_diags_add(w->dg, APN_SEV_ERROR, w->path, loc, "expected 2 fields (prefix_or_id,cost), found %zu", n);
        w->bad++;
        return 0;
    }
    char key[APN_ID_MAX * 2];
    snprintf(key, sizeof key, "%s", f[kc]);
    apn_text_squeeze(key);
    const char *cs = f[cc];
    char *end = NULL;
    while (isspace((unsigned char)*cs))
        cs++;
    double cost = *cs ? strtod(cs, &end) : NAN;
    while (end && isspace((unsigned char)*end))
        end++;
    if (!*key) {
        apn_diags_add(w->dg, APN_SEV_ERROR, w->path, loc, "empty prefix_or_id");
        w->bad++;
        return 0;
    }
    if (!end || *end || !isfinite(cost) || cost < 0) {
        apn_diags_add(w->dg, APN_SEV_ERROR, w->path, loc, "cost '%s' is not a number >= 0", f[cc]);
        w->bad++;
        return 0;
    }
    wrow r = { "", 0, cost, line };
    apn_id id;
    if (!strchr(key, ' ') && apn_id_parse(&id, key) == 0) {
        r.is_id = 1;
        snprintf(r.key, sizeof r.key, "%s", id.id);
    } else {
        if (strlen(key) >= sizeof r.key || strchr(key, ' ')) {
            apn_diags_add(w->dg, APN_SEV_ERROR, w->path, loc,
                          "'%s' is neither a requirement ID nor an ID prefix", key);
            w->bad++;
            return 0;
        }
        for (char *p = key; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        memcpy(r.key, key, strlen(key) + 1);   /* fits: checked above */
    }
    for (size_t i = 0; i < w->n; i++)
        if (w->v[i].is_id == r.is_id && !strcmp(w->v[i].key, r.key)) {
            apn_diags_add(w->dg, APN_SEV_ERROR, w->path, loc, "'%s' already given on line %u",
                          r.key, w->v[i].line);
            w->bad++;
            return 0;
        }
    if (apn_grow(&w->v, &w->cap, w->n + 1, sizeof *w->v) < 0)
        return APN_ENOMEM;
    w->v[w->n++] = r;
    return 0;
}

int apn_plan__load_weights(apn_plan_data *d, const char *path, apn_diags *dg)
{
    wread w = { path, dg, NULL, 0, 0, 0 };
    int err = apn_csv_read(path, path, weights_row, &w, dg);
    if (err == APN_ENOTFOUND || err == APN_EIO) {
        apn_diags_add(dg, APN_SEV_ERROR, path, "", "cannot read the weights file: %s", apn_strerror(err));
        goto cleanup;
    }
    if (err < 0 && err != APN_EPARSE)
        goto cleanup;
    if (err == APN_EPARSE || w.bad) {
        err = APN_EPARSE;
        goto cleanup;
    }
    for (size_t i = 0; i < w.n; i++) {
        size_t hits = 0;
        for (size_t r = 0; r < d->nreq; r++) {
            if (w.v[i].is_id ? strcmp(d->rid[r], w.v[i].key) : strcmp(d->rprefix[r], w.v[i].key))
                continue;
            hits++;
            /* prefix rows never override an ID row */
            int id_row = 0;
            if (!w.v[i].is_id)
                for (size_t j = 0; j < w.n; j++)
                    id_row |= w.v[j].is_id && !strcmp(d->rid[r], w.v[j].key);
            if (!id_row)
                d->in.w[r] = w.v[i].cost;
        }
        if (!hits) {
            char loc[32];
            snprintf(loc, sizeof loc, "line %u", w.v[i].line);
            apn_diags_add(dg, APN_SEV_WARNING, path, loc, "no requirement of the %s offering has %s '%s'",
                          d->offering, w.v[i].is_id ? "the ID" : "the prefix", w.v[i].key);
        }
    }
    for (size_t r = 0; r < d->nreq; r++) {
        if (d->in.w[r] != floor(d->in.w[r]) || d->in.w[r] > 1e12)
            d->integral = 0;
        if (d->in.w[r] != 1.0)
            d->unit = 0;
    }
    err = 0;
cleanup:
    apn_free(w.v);
    return err;
}

/* ======================================================================
 * --met: the answers of filled self-assessments
 * ====================================================================== */

int apn_plan__apply_met(apn_plan_data *d, const apn_met_set *met, apn_diags *dg)
{
    for (size_t s = 0; s < met->nsources; s++) {
        const apn_met_source *so = &met->sources[s];
        size_t known = 0;
        for (size_t i = so->answer0; i < so->answer0 + so->nanswers; i++) {
            size_t r;
            const apn_met_answer *a = &met->answers[i];
            if (!apn_met_done(a) || !apn_map_get(&d->rmap, a->id, &r))
                continue;
            if (!apn_bitset_has(d->met, r))
                known++;
            apn_bitset_set(d->met, r);
        }
        apn_diags_add(dg, APN_SEV_NOTE, so->path, "",
                      "%zu requirements answered, %zu met (yes or na), %zu of them in the %s offering",
                      so->nanswered, so->nmet, known, d->offering);
    }
    return 0;
}

int apn_plan__resolve(long *out, apn_db *db, const apn_plan_data *d, const char *name, apn_diags *dg)
{
    char *slug = NULL;
    int err = apn_db_competency(&slug, db, name, dg);
    *out = -1;
    if (err < 0)
        return err;
    for (size_t i = 0; i < d->ncomp; i++)
        if (!strcmp(d->slug[i], slug))
            *out = (long)i;
    apn_free(slug);
    return 0;
}

size_t apn_plan__evidence(const apn_plan_data *d, size_t c)
{
    const uint64_t *ce = d->ce + c * d->in.nw;
    size_t n = 0;
    for (size_t i = 0; i < d->in.nw; i++)
        n += (size_t)__builtin_popcountll(ce[i] & ~d->met[i]);
    return n;
}
