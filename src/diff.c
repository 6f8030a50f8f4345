/* diff — requirement-level changes between two databases. See include/apnmap/diff.h.
 *
 * Each side's newest checklists are loaded into an array keyed by identity
 * (programme, slug, variant, track), both arrays are sorted and merged; a pair
 * present on both sides has its requirement lists (ordered by ID) merged in
 * turn. Rows are collected, sorted once and copied into the result table. All
 * strings of one diff live in one arena.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apnmap/apnmap.h>
#include <apnmap/diff.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "dbint.h"

typedef struct dlist {
    const char *key;       /* identity: programme \x1f slug \x1f variant \x1f track */
    const char *name, *group, *validity;
    long long id;
    int nreq;
    int touched;           /* kept by the --have filter */
} dlist;

typedef struct dside {
    dlist *v;
    size_t n, cap;
} dside;

typedef struct dreq {
    const char *id, *title, *desc;
} dreq;

typedef struct drow {
    const char *group, *checklist, *rid, *change, *detail;
} drow;

typedef struct dctx {
    apn_arena arena;
    drow *rows;
    size_t nrows, caprows;
} dctx;

static int cmp_list(const void *a, const void *b)
{
    return strcmp(((const dlist *)a)->key, ((const dlist *)b)->key);
}

static int cmp_row(const void *pa, const void *pb)
{
    const drow *a = pa, *b = pb;
    int c;
    if ((c = strcmp(a->group, b->group)) || (c = strcmp(a->checklist, b->checklist)) ||
        (c = strcmp(a->rid, b->rid)))
        return c;
    return strcmp(a->change, b->change);
}

static const char *col(apn_arena *a, sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return apn_arena_strdup(a, s ? s : "");
}

/* Loads the newest checklists of db into side (strings in the arena). */
static int load_lists(dside *side, apn_arena *a, apn_db *db, apn_diags *d)
{
    static const char *sql =
        "SELECT c.id, c.name, c.programme, COALESCE(co.slug, ''), COALESCE(c.variant, ''), "
        "COALESCE(c.track, ''), c.validity, "
        "(SELECT count(*) FROM checklist_requirement r WHERE r.checklist_id = c.id) "
        "FROM checklist c LEFT JOIN competency co ON co.id = c.competency_id "
        "WHERE c.newest = 1 ORDER BY c.id";
    sqlite3 *h = apn_db__handle(db);
    sqlite3_stmt *st = NULL;
    int err = 0, rc;
    if ((rc = sqlite3_prepare_v2(h, sql, -1, &st, NULL)) != SQLITE_OK)
        return apn_db__fail(db, d, rc);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (apn_grow(&side->v, &side->cap, side->n + 1, sizeof *side->v) < 0) {
            err = APN_ENOMEM;
            goto cleanup;
        }
        dlist *l = &side->v[side->n];
        const char *prog = (const char *)sqlite3_column_text(st, 2);
        const char *slug = (const char *)sqlite3_column_text(st, 3);
        const char *validity = (const char *)sqlite3_column_text(st, 6);
        memset(l, 0, sizeof *l);
        l->id = sqlite3_column_int64(st, 0);
        l->name = col(a, st, 1);
        l->group = apn_arena_strdup(a, slug && *slug ? slug : prog ? prog : "");
        l->validity = validity ? apn_arena_strdup(a, validity) : NULL;
        l->key = apn_arena_printf(a, "%s\x1f%s\x1f%s\x1f%s", prog ? prog : "", slug ? slug : "",
                                  (const char *)sqlite3_column_text(st, 4),
                                  (const char *)sqlite3_column_text(st, 5));
        l->nreq = sqlite3_column_int(st, 7);
        if (!l->name || !l->group || !l->key || (validity && !l->validity)) {
            err = APN_ENOMEM;
            goto cleanup;
        }
        side->n++;
    }
    if (rc != SQLITE_DONE) {
        err = apn_db__fail(db, d, rc);
        goto cleanup;
    }
    if (side->n)
        qsort(side->v, side->n, sizeof *side->v, cmp_list);
cleanup:
    sqlite3_finalize(st);
    return err;
}

/* Marks the checklists of the competencies in slugs (",a,b,") and everything
 * they require, transitively, as touched. */
static int mark_touched(dside *side, apn_db *db, const char *slugs, apn_diags *d)
{
    static const char *sql =
        "WITH RECURSIVE r(id) AS ("
        " SELECT c.id FROM checklist c JOIN competency co ON co.id = c.competency_id"
        " WHERE instr(?1, ',' || co.slug || ',') > 0"
        " UNION SELECT p.requires_checklist_id FROM prerequisite p JOIN r ON p.checklist_id = r.id"
        " WHERE p.requires_checklist_id IS NOT NULL) "
        "SELECT id FROM r";
    sqlite3 *h = apn_db__handle(db);
    sqlite3_stmt *st = NULL;
    int rc;
    if ((rc = sqlite3_prepare_v2(h, sql, -1, &st, NULL)) != SQLITE_OK)
        return apn_db__fail(db, d, rc);
    sqlite3_bind_text(st, 1, slugs, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long id = sqlite3_column_int64(st, 0);
        for (size_t i = 0; i < side->n; i++)
            if (side->v[i].id == id)
                side->v[i].touched = 1;
    }
    int err = rc == SQLITE_DONE ? 0 : apn_db__fail(db, d, rc);
    sqlite3_finalize(st);
    return err;
}

/* Loads one checklist's requirements ordered by ID into an owned array. */
static int load_reqs(dreq **out, size_t *n, apn_arena *a, apn_db *db, long long id,
                     apn_diags *d)
{
    static const char *sql = "SELECT requirement_id, title, description FROM checklist_requirement "
                             "WHERE checklist_id = ?1 ORDER BY requirement_id";
    sqlite3 *h = apn_db__handle(db);
    sqlite3_stmt *st = NULL;
    dreq *v = NULL;
    size_t cap = 0;
    int err = 0, rc;
    *out = NULL;
    *n = 0;
    if ((rc = sqlite3_prepare_v2(h, sql, -1, &st, NULL)) != SQLITE_OK)
        return apn_db__fail(db, d, rc);
    sqlite3_bind_int64(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (apn_grow(&v, &cap, *n + 1, sizeof *v) < 0) {
            err = APN_ENOMEM;
            goto cleanup;
        }
        dreq *r = &v[*n];
        r->id = col(a, st, 0);
        r->title = col(a, st, 1);
        r->desc = col(a, st, 2);
        if (!r->id || !r->title || !r->desc) {
            err = APN_ENOMEM;
            goto cleanup;
        }
        (*n)++;
    }
    if (rc != SQLITE_DONE) {
        err = apn_db__fail(db, d, rc);
        goto cleanup;
    }
    *out = v;
    v = NULL;
cleanup:
    apn_free(v);
    sqlite3_finalize(st);
    return err;
}

static int add_row(dctx *c, const dlist *l, const char *rid, const char *change,
                   const char *detail)
{
    if (!detail || apn_grow(&c->rows, &c->caprows, c->nrows + 1, sizeof *c->rows) < 0)
        return APN_ENOMEM;
    drow *r = &c->rows[c->nrows++];
    r->group = l->group;
    r->checklist = l->name;
    r->rid = rid;
    r->change = change;
    r->detail = detail;
    return 0;
}

/* Equal after squeezing whitespace runs: a re-wrapped paragraph is no change. */
static int same_text(apn_arena *a, const char *x, const char *y)
{
    char *sx = apn_arena_strdup(a, x), *sy = apn_arena_strdup(a, y);
    if (!sx || !sy)
        return -1;
    apn_text_squeeze(sx);
    apn_text_squeeze(sy);
    return strcmp(sx, sy) == 0;
}

static const char *or_none(const char *s)
{
    return s && *s ? s : "(none)";
}

static int diff_pair(dctx *c, apn_db *odb, apn_db *ndb, const dlist *o, const dlist *n,
                     apn_diags *d)
{
    dreq *ov = NULL, *nv = NULL;
    size_t on = 0, nn = 0, i = 0, j = 0;
    apn_arena *a = &c->arena;
    int err;
    if (strcmp(o->validity ? o->validity : "", n->validity ? n->validity : "") &&
        (err = add_row(c, n, "", "changed",
                       apn_arena_printf(a, "validity: %s -> %s", or_none(o->validity),
                                        or_none(n->validity)))) < 0)
        return err;
    if ((err = load_reqs(&ov, &on, a, odb, o->id, d)) < 0 ||
        (err = load_reqs(&nv, &nn, a, ndb, n->id, d)) < 0)
        goto cleanup;
    while (i < on || j < nn) {
        int k = i == on ? 1 : j == nn ? -1 : strcmp(ov[i].id, nv[j].id);
        if (k < 0) {
            err = add_row(c, n, ov[i].id, "removed", ov[i].title);
            i++;
        } else if (k > 0) {
            err = add_row(c, n, nv[j].id, "added", nv[j].title);
            j++;
        } else {
            int st = same_text(a, ov[i].title, nv[j].title);
            int sd = same_text(a, ov[i].desc, nv[j].desc);
            if (st < 0 || sd < 0) {
                err = APN_ENOMEM;
                goto cleanup;
            }
            if (!st || !sd) {
                const char *what = !st ? apn_arena_printf(a, "title: %s -> %s%s", ov[i].title,
                                                          nv[j].title, sd ? "" : "; description reworded")
                                       : "description reworded";
                err = add_row(c, n, nv[j].id, "changed", what);
            }
            i++;
            j++;
        }
        if (err < 0)
            goto cleanup;
    }
cleanup:
    apn_free(ov);
    apn_free(nv);
    return err;
}

static const char *list_detail(apn_arena *a, const dlist *l)
{
    return apn_arena_printf(a, "checklist (validity %s, %d requirement%s)", or_none(l->validity),
                            l->nreq, l->nreq == 1 ? "" : "s");
}

/* Resolves the --have names into ",slug,slug," (owned). */
static int have_slugs(char **out, apn_db *odb, apn_db *ndb, const char *const *have, size_t nhave,
                      apn_diags *d)
{
    apn_buf b = APN_BUF_INIT;
    int err = 0;
    *out = NULL;
    apn_buf_putc(&b, ',');
    for (size_t i = 0; i < nhave; i++) {
        char *slug = NULL;
        apn_diags nd = APN_DIAGS_INIT, od = APN_DIAGS_INIT;
        err = apn_db_competency(&slug, ndb, have[i], &nd);
        if (err == APN_ENOTFOUND && apn_db_competency(&slug, odb, have[i], &od) == 0)
            err = 0;
        if (err < 0)
            apn_diags_take(d, &nd);   /* the suggestions of the new database */
        apn_diags_dispose(&nd);
        apn_diags_dispose(&od);
        if (err < 0)
            goto cleanup;
        apn_buf_printf(&b, "%s,", slug);
        apn_free(slug);
    }
    if (b.oom) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    *out = apn_buf_detach(&b);
cleanup:
    apn_buf_dispose(&b);
    return err;
}

int apn_diff(apn_table **out, apn_db *old_db, apn_db *new_db, const char *const *have,
             size_t nhave, apn_diags *d)
{
    static const char *names[] = { "change", "checklist", "requirement_id", "detail", "competency" };
    static const apn_coltype types[] = { APN_COL_TEXT, APN_COL_TEXT, APN_COL_TEXT, APN_COL_TEXT,
                                         APN_COL_TEXT };
    dctx c = { APN_ARENA_INIT, NULL, 0, 0 };
    dside os = { 0, 0, 0 }, ns = { 0, 0, 0 };
    apn_table *t = NULL;
    char *slugs = NULL;
    int err;
    size_t i = 0, j = 0;

    *out = NULL;
    if ((err = load_lists(&os, &c.arena, old_db, d)) < 0 ||
        (err = load_lists(&ns, &c.arena, new_db, d)) < 0)
        goto cleanup;
    if (have && nhave) {
        if ((err = have_slugs(&slugs, old_db, new_db, have, nhave, d)) < 0 ||
            (err = mark_touched(&os, old_db, slugs, d)) < 0 ||
            (err = mark_touched(&ns, new_db, slugs, d)) < 0)
            goto cleanup;
    } else {
        for (size_t k = 0; k < os.n; k++)
            os.v[k].touched = 1;
        for (size_t k = 0; k < ns.n; k++)
            ns.v[k].touched = 1;
    }
    while (i < os.n || j < ns.n) {
        int k = i == os.n ? 1 : j == ns.n ? -1 : strcmp(os.v[i].key, ns.v[j].key);
        const dlist *o = k <= 0 ? &os.v[i] : NULL, *n = k >= 0 ? &ns.v[j] : NULL;
        /* a duplicate identity on one side (should not happen): compare the first */
        if (k < 0) {
            if (o->touched && !(i > 0 && !strcmp(os.v[i - 1].key, o->key)))
                err = add_row(&c, o, "", "removed", list_detail(&c.arena, o));
            i++;
        } else if (k > 0) {
            if (n->touched && !(j > 0 && !strcmp(ns.v[j - 1].key, n->key)))
                err = add_row(&c, n, "", "added", list_detail(&c.arena, n));
            j++;
        } else {
            if (o->touched || n->touched)
                err = diff_pair(&c, old_db, new_db, o, n, d);
            i++;
            j++;
        }
        if (err < 0)
            goto cleanup;
    }
    if (c.nrows)
        qsort(c.rows, c.nrows, sizeof *c.rows, cmp_row);
    if ((err = apn_table_new(&t, 5, names, types)) < 0)
        goto cleanup;
    for (size_t r = 0; r < c.nrows; r++) {
        const drow *x = &c.rows[r];
        if ((err = apn_table_add_row(t)) < 0 || (err = apn_table_set_text(t, 0, x->change)) < 0 ||
            (err = apn_table_set_text(t, 1, x->checklist)) < 0 ||
            (err = apn_table_set_text(t, 2, x->rid)) < 0 ||
            (err = apn_table_set_text(t, 3, x->detail)) < 0 ||
            (err = apn_table_set_text(t, 4, x->group)) < 0)
            goto cleanup;
    }
    *out = t;
    t = NULL;
cleanup:
    apn_table_free(t);
    apn_free(slugs);
    apn_free(os.v);
    apn_free(ns.v);
    apn_free(c.rows);
    apn_arena_dispose(&c.arena);
    return err;
}
