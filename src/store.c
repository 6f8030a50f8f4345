/* store — write the database while documents are read, atomically. See store.h.
 *
 * Sections: the writer (SQLite errors kept once) · the feed (a virtual table
 * that pulls rows from C) · documents as they come · the rest at the end.
 */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "dbint.h"
#include "read/ids.h"
#include "reqref.h"
#include "util/io.h"
#include "util/map.h"
#include "util/spill.h"

/* ==== the feed ============================================================ */

/* A statement "INSERT INTO t SELECT c0, c1, ... FROM apn_feed" pulls its rows
 * from the current source: SQLite's per-row cost of sqlite3_step and the
 * bindings (half of the store's time) is paid once per table instead. */
enum { FV_NULL, FV_INT, FV_REAL, FV_TEXT };
#define FEED_COLS 12

typedef struct feed_val { int type; sqlite3_int64 i; double d; const char *s; } feed_val;

/* Fills row (FEED_COLS values, all FV_NULL on entry); returns 1 for a row, 0 at
 * the end, or a negative APN error. Strings must stay valid until the next call. */
typedef int (*feed_next_fn)(void *ud, feed_val *row);

typedef struct feed { feed_next_fn next; void *ud; int err; } feed;

typedef struct feed_cursor {
    sqlite3_vtab_cursor base;
    feed *f;
    feed_val row[FEED_COLS];
    int eof;
    sqlite3_int64 n;
} feed_cursor;

typedef struct feed_vtab { sqlite3_vtab base; feed *f; } feed_vtab;

static int feed_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
                        char **err)
{
    (void)argc, (void)argv, (void)err;
    int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11)");
    if (rc != SQLITE_OK)
        return rc;
    feed_vtab *v = sqlite3_malloc(sizeof *v);
    if (!v)
        return SQLITE_NOMEM;
    memset(v, 0, sizeof *v);
    v->f = aux;
    *out = &v->base;
    return SQLITE_OK;
}

static int feed_disconnect(sqlite3_vtab *v)
{
    sqlite3_free(v);
    return SQLITE_OK;
}

static int feed_best_index(sqlite3_vtab *v, sqlite3_index_info *info)
{
    (void)v;
    info->estimatedCost = 1e6;
    info->estimatedRows = 1000000;
    return SQLITE_OK;
}

static int feed_open(sqlite3_vtab *v, sqlite3_vtab_cursor **out)
{
    (void)v;
    feed_cursor *c = sqlite3_malloc(sizeof *c);
    if (!c)
        return SQLITE_NOMEM;
    memset(c, 0, sizeof *c);
    *out = &c->base;
    return SQLITE_OK;
}

static int feed_close(sqlite3_vtab_cursor *c)
{
    sqlite3_free(c);
    return SQLITE_OK;
}

static int feed_pull(feed_cursor *c)
{
    for (int k = 0; k < FEED_COLS; k++)
        c->row[k].type = FV_NULL;
    int r = c->f && c->f->next ? c->f->next(c->f->ud, c->row) : 0;
    if (r < 0) {
        c->f->err = r;
        c->eof = 1;
        return r == APN_ENOMEM ? SQLITE_NOMEM : SQLITE_ERROR;
    }
    c->eof = r == 0;
    c->n++;
    return SQLITE_OK;
}

static int feed_filter(sqlite3_vtab_cursor *cur, int idx, const char *idxs, int argc, sqlite3_value **argv)
{
    (void)idx, (void)idxs, (void)argc, (void)argv;
    feed_cursor *c = (feed_cursor *)cur;
    c->f = ((feed_vtab *)cur->pVtab)->f;
    return feed_pull(c);
}

static int feed_next(sqlite3_vtab_cursor *cur) { return feed_pull((feed_cursor *)cur); }
static int feed_eof(sqlite3_vtab_cursor *cur) { return ((feed_cursor *)cur)->eof; }

static int feed_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int k)
{
    const feed_val *v = &((feed_cursor *)cur)->row[k];
    switch (v->type) {
    case FV_INT: sqlite3_result_int64(ctx, v->i); break;
    case FV_REAL: sqlite3_result_double(ctx, v->d); break;
    case FV_TEXT: sqlite3_result_text(ctx, v->s, -1, SQLITE_STATIC); break;
    default: sqlite3_result_null(ctx); break;
    }
    return SQLITE_OK;
}

static int feed_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *out)
{
    *out = ((feed_cursor *)cur)->n;
    return SQLITE_OK;
}

static const sqlite3_module feed_module = {
    .xConnect = feed_connect, .xBestIndex = feed_best_index, .xDisconnect = feed_disconnect,
    .xOpen = feed_open, .xClose = feed_close, .xFilter = feed_filter, .xNext = feed_next,
    .xEof = feed_eof, .xColumn = feed_column, .xRowid = feed_rowid,
};

static void v_int(feed_val *v, sqlite3_int64 i) { v->type = FV_INT, v->i = i; }
static void v_text(feed_val *v, const char *s) { v->type = s ? FV_TEXT : FV_NULL, v->s = s; }
static void v_id(feed_val *v, long idx) { if (idx >= 0) v_int(v, (sqlite3_int64)idx + 1); } /* index -> id */

/* ==== the writer ========================================================== */

struct apn_store {
    sqlite3 *db;
    sqlite3_stmt *st;          /* the statement being run */
    sqlite3_stmt *doc_st, *answer_st, *ref_st;  /* per document, prepared once */
    apn_spill *words;          /* every item's words, one record each, in document order */
    size_t *base;              /* per document: the record of its first item */
    size_t capbase;
    int rc;                    /* first SQLite error */
    char err[512];
    feed feed;                 /* the source apn_feed reads */
    char *out, *tmp;           /* destination; temporary file ("" once renamed) */
    int tmpfd;                 /* holds the temporary file's lock (-1: none) */
};

/* The store's temporary files beside the destination: DB.tmp-XXXXXX (the new
 * database), DB.side-XXXXXX (its side file), DB.words-XXXXXX (the spill, gone
 * from the folder at once). Each is locked while in use (apn_io_temp_locked),
 * so the next build removes those a killed one left (apn_io_remove_stale). */
static const char *const temp_kinds[] = { "tmp", "side", "words", NULL };

static void w_fail(apn_store *w, int rc)
{
    if (w->rc == SQLITE_OK) {
        w->rc = rc;
        snprintf(w->err, sizeof w->err, "%s",
                 w->feed.err == APN_ENOMEM ? "out of memory"
                 : w->feed.err == APN_EIO ? "reading back the staged words failed"
                 : sqlite3_errmsg(w->db));
    }
}

static sqlite3_stmt *w_compile(apn_store *w, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int rc;
    if (w->rc == SQLITE_OK && (rc = sqlite3_prepare_v2(w->db, sql, -1, &st, NULL)) != SQLITE_OK)
        w_fail(w, rc);
    return st;
}

static void w_prepare(apn_store *w, const char *sql)
{
    sqlite3_finalize(w->st);
    w->st = w_compile(w, sql);
}

static void b_text(sqlite3_stmt *st, int i, const char *s)
{
    if (st)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

static void b_int(sqlite3_stmt *st, int i, long long v)
{
    if (st)
        sqlite3_bind_int64(st, i, v);
}

static void b_id(sqlite3_stmt *st, int i, long idx) /* index -> id, -1 -> NULL */
{
    if (st) {
        if (idx < 0)
            sqlite3_bind_null(st, i);
        else
            sqlite3_bind_int64(st, i, idx + 1);
    }
}

static void w_step(apn_store *w, sqlite3_stmt *st)
{
    if (w->rc != SQLITE_OK || !st)
        return;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE)
        w_fail(w, rc);
    sqlite3_reset(st);
}

static void w_exec(apn_store *w, const char *sql)
{
    char *msg = NULL;
    int rc;
    if (w->rc == SQLITE_OK && (rc = sqlite3_exec(w->db, sql, NULL, NULL, &msg)) != SQLITE_OK) {
        w->rc = rc;
        snprintf(w->err, sizeof w->err, "%s", msg ? msg : sqlite3_errmsg(w->db));
    }
    sqlite3_free(msg);
}

/* Runs "INSERT ... SELECT ... FROM apn_feed ..." over rows from next(ud). */
static void w_feed(apn_store *w, sqlite3_stmt *st, feed_next_fn next, void *ud)
{
    w->feed = (feed){ next, ud, 0 };
    w_step(w, st);
    w->feed = (feed){ NULL, NULL, 0 };
}

static void w_feed_sql(apn_store *w, const char *sql, feed_next_fn next, void *ud)
{
    w_prepare(w, sql);
    w_feed(w, w->st, next, ud);
}

/* The error of a failed write, as a diagnostic and an APN code. */
static int w_error(apn_store *w, apn_diags *err_out)
{
    if (w->rc == SQLITE_OK)
        return 0;
    apn_diags_add(err_out, APN_SEV_ERROR, w->out, "", "writing the database: %s", w->err);
    return apn_db__rc(w->rc);
}

static const char *sevname(apn_severity s)
{
    return s == APN_SEV_ERROR ? "error" : s == APN_SEV_WARNING ? "warning" : "note";
}

void apn_store_abort(apn_store *w)
{
    if (!w)
        return;
    sqlite3_finalize(w->st);
    sqlite3_finalize(w->doc_st);
    sqlite3_finalize(w->answer_st);
    sqlite3_finalize(w->ref_st);
    if (w->db)
        sqlite3_close(w->db);
    apn_spill_free(w->words);
    if (w->tmp && w->tmp[0])
        unlink(w->tmp);
    if (w->tmpfd >= 0)
        close(w->tmpfd); /* after SQLite's own descriptor: releases the lock */
    apn_free(w->base);
    apn_free(w->tmp);
    apn_free(w->out);
    apn_free(w);
}

int apn_store_open(apn_store **out, const char *out_db, apn_diags *err_out)
{
    apn_store *w = apn_calloc(1, sizeof *w);
    int err = 0;
    size_t n = strlen(out_db);

    *out = NULL;
    if (w)
        w->tmpfd = -1;
    if (!w || !(w->out = apn_strdup(out_db)) || !(w->tmp = apn_malloc(n + 16))) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    if ((err = apn_io_remove_stale(err_out, out_db, temp_kinds)) < 0)
        goto cleanup;
    snprintf(w->tmp, n + 16, "%s.tmp-XXXXXX", out_db);
    if ((err = apn_io_temp_locked(&w->tmpfd, w->tmp)) < 0) {
        if (err == APN_EIO)
            apn_diags_add(err_out, APN_SEV_ERROR, out_db, "", "cannot create a temporary file beside it: %s",
                          strerror(errno));
        w->tmp[0] = 0;
        goto cleanup;
    }
    if ((err = apn_spill_open(&w->words, out_db, 4)) < 0) {
        if (err == APN_EIO)
            apn_diags_add(err_out, APN_SEV_ERROR, out_db, "", "cannot create a temporary file beside it: %s",
                          strerror(errno));
        goto cleanup;
    }
    /* each connection stays on one thread: no per-call mutex */
    int orc = sqlite3_open_v2(w->tmp, &w->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (orc != SQLITE_OK) {
        apn_diags_add(err_out, APN_SEV_ERROR, out_db, "", "cannot open: %s",
                      w->db ? sqlite3_errmsg(w->db) : "out of memory");
        err = w->db ? apn_db__rc(orc) : APN_ENOMEM;
        goto cleanup;
    }
    if ((orc = sqlite3_create_module_v2(w->db, "apn_feed", &feed_module, &w->feed, NULL)) != SQLITE_OK)
        w_fail(w, orc);
    /* the file is private until the rename: no journal needed while writing; the
     * model is consistent by construction, so references are not checked row by
     * row (that cost a tenth of the build; tests/oom/oom.c checks them). The
     * items' words wait in the spill file, not in memory. */
    w_exec(w, "PRAGMA page_size = 16384; PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = OFF; "
              "PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF; PRAGMA cache_size = -2048");
    w_exec(w, apn__schema_sql);
    w_exec(w, "BEGIN");
    w_prepare(w, "INSERT INTO meta VALUES (?1, ?2)");
    const char *meta[][2] = { { "format", "apnmap" }, { "schema_version", "1" },
                              { "generator", "apnmap " APN_VERSION } };
    for (size_t i = 0; i < sizeof meta / sizeof meta[0]; i++) {
        b_text(w->st, 1, meta[i][0]);
        b_text(w->st, 2, meta[i][1]);
        w_step(w, w->st);
    }
    w->doc_st = w_compile(w, "INSERT INTO document VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    w->answer_st = w_compile(w, "INSERT OR IGNORE INTO assessment_answer VALUES (?1, ?2, ?3, ?4, ?5)");
    w->ref_st = w_compile(w, "INSERT OR IGNORE INTO requirement_reference VALUES (?1, ?2, ?3, ?4)");
    if ((err = w_error(w, err_out)) < 0)
        goto cleanup;
    *out = w;
    w = NULL;
cleanup:
    apn_store_abort(w);
    return err;
}

/* ==== documents as they come ============================================== */

/* Spills the words of the document's items: item t of document d is record
 * base[d] + t. The locus is stored as "relpath: locus", cut to 1 KiB. */
static int spill_items(apn_store *w, const m_docinfo *di, const apn_doc *d)
{
    char locus[1024];
    size_t rl = strlen(di->relpath), cap = sizeof locus - 1;
    int err = apn_spill_block(w->words);
    rl = rl < cap ? rl : cap;
    memcpy(locus, di->relpath, rl);
    size_t n = rl;
    for (const char *sep = ": "; *sep && n < cap; sep++)
        locus[n++] = *sep;
    for (size_t t = 0; t < d->nitems && !err; t++) {
        const apn_item *it = &d->items[t];
        size_t ll = it->locus ? strlen(it->locus) : 0;
        ll = ll < cap - n ? ll : cap - n;
        if (ll)
            memcpy(locus + n, it->locus, ll);
        locus[n + ll] = 0;
        const char *fields[4] = { it->title, it->description, it->section, locus };
        err = apn_spill_add(w->words, fields);
    }
    return err;
}

/* requirement_reference: the CIS / Security Hub references an item's words name
 * (reqref.h), in its ID cell, title, details or, on a page, its element id (the
 * locus: "#requirement_ACOM-001 (CIS_5.0 or CIS_3.0 1.2/...)", whose heading the
 * reader cut at the ID); the first document and item naming one gives its locus. */
typedef struct refctx { apn_store *w; const char *id; const char *locus; } refctx;

static int ref_row(void *ud, const char *scheme, const char *ref)
{
    refctx *c = ud;
    sqlite3_stmt *st = c->w->ref_st;
    b_text(st, 1, c->id);
    b_text(st, 2, scheme);
    b_text(st, 3, ref);
    int brc = sqlite3_bind_text(st, 4, c->locus, -1, SQLITE_TRANSIENT);
    if (brc != SQLITE_OK)
        w_fail(c->w, brc);
    w_step(c->w, st);
    return c->w->rc != SQLITE_OK;
}

static void store_refs(apn_store *w, const m_docinfo *di, const apn_doc *d)
{
    for (size_t t = 0; t < d->nitems && w->rc == SQLITE_OK; t++) {
        const apn_item *it = &d->items[t];
        apn_id id;
        char locus[512];
        if (it->kind != APN_ITEM_CONTROL || apn_id_parse(&id, it->raw_id) < 0 || id.question)
            continue;
        snprintf(locus, sizeof locus, "%s: %s", di->relpath, it->locus ? it->locus : "");
        refctx c = { w, id.id, locus };
        const char *texts[4] = { it->raw_id, it->title, it->description, it->locus };
        for (int k = 0; k < 4 && w->rc == SQLITE_OK; k++)
            apn_reqref_scan(texts[k], ref_row, &c);
    }
}

int apn_store_add(apn_store *w, const apn_model *m, size_t index, const apn_doc *d, apn_diags *err_out)
{
    const m_docinfo *di = &m->docs[index];
    sqlite3_stmt *st = w->doc_st;
    b_int(st, 1, (long long)index + 1);
    b_text(st, 2, di->relpath);
    b_text(st, 3, d->sha256);
    b_text(st, 4, d->format == APN_DOC_XLSX ? "xlsx" : "html");
    b_text(st, 5, di->url);
    b_text(st, 6, d->title);
    b_text(st, 7, d->validity);
    b_text(st, 8, d->version);
    b_text(st, 9, d->subtitle);
    b_text(st, 10, di->lang ? di->lang : d->lang);
    w_step(w, st);

    if (apn_grow(&w->base, &w->capbase, index + 1, sizeof *w->base) < 0)
        return APN_ENOMEM;
    w->base[index] = apn_spill_count(w->words);
    int serr = spill_items(w, di, d);
    if (serr < 0) {
        if (serr == APN_EIO)
            apn_diags_add(err_out, APN_SEV_ERROR, w->out, "", "writing the staged words: %s", strerror(errno));
        return serr;
    }

    /* answers: one row per workbook and requirement, the first row of an ID wins */
    if (d->format == APN_DOC_XLSX)
        for (size_t t = 0; t < d->nitems && w->rc == SQLITE_OK; t++) {
            const apn_item *it = &d->items[t];
            apn_id id;
            char locus[512];
            if (it->kind != APN_ITEM_CONTROL || !it->answered || apn_id_parse(&id, it->raw_id) < 0)
                continue;
            snprintf(locus, sizeof locus, "%s: %s", di->relpath, it->locus ? it->locus : "");
            st = w->answer_st;
            b_int(st, 1, (long long)index + 1);
            b_text(st, 2, id.id);
            b_text(st, 3, apn_met_name(it->met));
            b_text(st, 4, it->response);
            /* SQLite copies a transient string: that can fail (found by tests/oom) */
            int brc = sqlite3_bind_text(st, 5, locus, -1, SQLITE_TRANSIENT);
            if (brc != SQLITE_OK)
                w_fail(w, brc);
            w_step(w, st);
        }
    store_refs(w, di, d);
    return w_error(w, err_out);
}

/* ==== the rest at the end ================================================= */

typedef struct iter { apn_model *m; size_t i, j; const size_t *base; apn_spill *words; } iter;

static int checklist_next(void *ud, feed_val *row)
{
    iter *it = ud;
    if (it->i >= it->m->ncls)
        return 0;
    const m_checklist *c = &it->m->cls[it->i];
    v_id(&row[0], (long)it->i);
    v_text(&row[1], c->name);
    v_text(&row[2], c->programme);
    v_id(&row[3], c->competency);
    v_text(&row[4], c->track);
    v_text(&row[5], c->variant);
    v_text(&row[6], c->validity);
    v_text(&row[7], c->coverage);
    v_id(&row[8], c->page >= 0 ? c->page : c->ndocs ? (long)c->docs[0] : -1);
    v_int(&row[9], c->release_key);
    v_int(&row[10], c->newest);
    it->i++;
    return 1;
}

static int checklist_document_next(void *ud, feed_val *row)
{
    iter *it = ud;
    while (it->i < it->m->ncls && it->j >= it->m->cls[it->i].ndocs)
        it->i++, it->j = 0;
    if (it->i >= it->m->ncls)
        return 0;
    v_id(&row[0], (long)it->i);
    v_id(&row[1], (long)it->m->cls[it->i].docs[it->j++]);
    return 1;
}

static int requirement_next(void *ud, feed_val *row)
{
    iter *it = ud;
    if (it->i >= it->m->nreqs)
        return 0;
    const m_req *r = &it->m->reqs[it->i++];
    v_text(&row[0], r->id);
    v_text(&row[1], r->prefix);
    if (r->wdoc >= 0) {
        const char *f[4];
        int err = apn_spill_get(it->words, it->base[r->wdoc] + r->word, 0, f);
        if (err < 0)
            return err;
        v_text(&row[2], f[0]);
        v_text(&row[3], f[1]);
    }
    return 1;
}

/* Rows in key order (requirement ID within a checklist): SQLite appends
 * instead of searching; ord keeps the checklist's own order. */
typedef struct creq_src {
    apn_model *m; size_t i, j; uint32_t *order; long sorted; const size_t *base; apn_spill *words;
} creq_src;

static int cmp_creq(const void *a, const void *b, void *ctx)
{
    const m_creq *q = ctx;   /* the checklist's requirements */
    uint32_t x = q[*(const uint32_t *)a].req, y = q[*(const uint32_t *)b].req;
    return (x > y) - (x < y);
}

static int checklist_requirement_next(void *ud, feed_val *row)
{
    creq_src *s = ud;
    while (s->i < s->m->ncls && s->j >= s->m->cls[s->i].nreqs)
        s->i++, s->j = 0;
    if (s->i >= s->m->ncls)
        return 0;
    if (s->sorted != (long)s->i) {
        for (size_t q = 0; q < s->m->cls[s->i].nreqs; q++)
            s->order[q] = (uint32_t)q;
        apn_sort_r(s->order, s->m->cls[s->i].nreqs, sizeof *s->order, cmp_creq, s->m->cls[s->i].reqs);
        s->sorted = (long)s->i;
    }
    uint32_t q = s->order[s->j++];
    const m_creq *c = &s->m->cls[s->i].reqs[q];
    const char *f[4];   /* title, description, section, locus */
    int err = apn_spill_get(s->words, s->base[c->doc] + c->ord, 1, f);
    if (err < 0)
        return err;
    v_id(&row[0], (long)s->i);
    v_text(&row[1], s->m->reqs[c->req].id);
    v_text(&row[2], f[2]);
    v_int(&row[3], (sqlite3_int64)q + 1);
    v_text(&row[4], f[0]);
    v_text(&row[5], f[1]);
    v_text(&row[6], f[3]);
    v_int(&row[7], c->customer_example);
    return 1;
}

static int prerequisite_next(void *ud, feed_val *row)
{
    iter *it = ud;
    while (it->i < it->m->ncls && it->j >= it->m->cls[it->i].nprereqs)
        it->i++, it->j = 0;
    if (it->i >= it->m->ncls)
        return 0;
    const m_prereq *p = &it->m->cls[it->i].prereqs[it->j++];
    v_id(&row[0], (long)it->i);
    v_id(&row[1], p->requires);
    v_text(&row[2], p->label);
    v_text(&row[3], p->text);
    v_text(&row[4], p->locus);
    return 1;
}

typedef struct diag_src { const apn_diags *dd; const apn_map *docpath; size_t i; } diag_src;

static int diagnostic_next(void *ud, feed_val *row)
{
    diag_src *s = ud;
    if (s->i >= s->dd->n)
        return 0;
    const apn_diag *d = &s->dd->v[s->i++];
    size_t doc;
    if (apn_map_get(s->docpath, d->path, &doc))
        v_id(&row[0], (long)doc);
    v_text(&row[1], d->path);
    v_text(&row[2], sevname(d->severity));
    v_text(&row[3], d->locus);
    v_text(&row[4], d->message);
    return 1;
}

static int offering_checklist_next(void *ud, feed_val *row)
{
    iter *it = ud;
    if (it->i >= it->m->noffs)
        return 0;
    const m_offering *o = &it->m->offs[it->i++];
    v_id(&row[0], (long)o->comp);
    v_text(&row[1], apn_offering_names[o->offering]);
    v_id(&row[2], (long)o->checklist);
    v_int(&row[3], o->partial);
    return 1;
}

/* Each offering's rows sorted by requirement (the key order). */
typedef struct offrow_src { apn_model *m; size_t o, j; long n; m_offrow *rows; size_t cap; } offrow_src;

static int cmp_offrow(const void *a, const void *b)
{
    size_t x = ((const m_offrow *)a)->req, y = ((const m_offrow *)b)->req;
    return (x > y) - (x < y);
}

static int offering_requirement_next(void *ud, feed_val *row)
{
    offrow_src *s = ud;
    while ((long)s->j >= s->n) {
        if (s->o >= s->m->noffs)
            return 0;
        if ((s->n = apn_model_offering_rows(&s->rows, &s->cap, s->m, s->o++)) < 0)
            return (int)s->n;
        apn_sort(s->rows, (size_t)s->n, sizeof *s->rows, cmp_offrow);
        s->j = 0;
    }
    const m_offrow *r = &s->rows[s->j++];
    v_id(&row[0], (long)r->comp);
    v_text(&row[1], apn_offering_names[r->offering]);
    v_text(&row[2], s->m->reqs[r->req].id);
    v_id(&row[3], (long)r->checklist);
    v_id(&row[4], r->via);
    v_int(&row[5], r->customer_example);
    return 1;
}

/* Prefix counts of each offering, prefixes in name order (their rank). */
typedef struct prefix_src {
    apn_model *m; const char **pname; uint32_t *ranks; size_t o, j, n;
} prefix_src;

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static int prefix_next(void *ud, feed_val *row)
{
    prefix_src *s = ud;
    while (s->j >= s->n) {
        if (s->o >= s->m->noffs)
            return 0;
        const m_offering *o = &s->m->offs[s->o++];
        for (size_t k = 0; k < o->nset; k++)
            s->ranks[k] = s->m->reqs[o->set[k]].prefix_rank;
        apn_sort(s->ranks, o->nset, sizeof *s->ranks, cmp_u32);
        s->n = o->nset;
        s->j = 0;
    }
    const m_offering *o = &s->m->offs[s->o - 1];
    size_t k = s->j;
    while (s->j < s->n && s->ranks[s->j] == s->ranks[k])
        s->j++;
    v_id(&row[0], (long)o->comp);
    v_text(&row[1], apn_offering_names[o->offering]);
    v_text(&row[2], s->pname[s->ranks[k]]);
    v_int(&row[3], (sqlite3_int64)(s->j - k));
    return 1;
}

/* Every unordered pair of competencies sharing an offering (slug order a < b):
 * a's requirements are marked once, then each b counts its marked ones. */
typedef struct overlap_src {
    apn_model *m; uint8_t *mark; size_t *of; size_t nof; int off; size_t a, b; long marked;
} overlap_src;

static void overlap_mark(overlap_src *s, long a, uint8_t v)
{
    const m_offering *o = &s->m->offs[s->of[a]];
    for (size_t k = 0; k < o->nset; k++)
        s->mark[o->set[k]] = v;
}

static int overlap_next(void *ud, feed_val *row)
{
    overlap_src *s = ud;
    while (s->off < 3) {
        if (s->b >= s->nof) {
            s->a++;
            s->b = s->a + 1;
        }
        if (s->a + 1 >= s->nof) {
            if (s->marked >= 0)
                overlap_mark(s, s->marked, 0);
            s->marked = -1;
            s->nof = 0;
            if (++s->off < 3)
                for (size_t i = 0; i < s->m->noffs; i++)
                    if (s->m->offs[i].offering == s->off)
                        s->of[s->nof++] = i;
            s->a = 0;
            s->b = 1;
            continue;
        }
        break;
    }
    if (s->off >= 3)
        return 0;
    if (s->marked != (long)s->a) {
        if (s->marked >= 0)
            overlap_mark(s, s->marked, 0);
        overlap_mark(s, (long)s->a, 1);
        s->marked = (long)s->a;
    }
    const m_offering *a = &s->m->offs[s->of[s->a]], *b = &s->m->offs[s->of[s->b++]];
    size_t shared = 0;
    for (size_t k = 0; k < b->nset; k++)
        shared += s->mark[b->set[k]];
    size_t uni = a->nset + b->nset - shared;
    v_text(&row[0], apn_offering_names[a->offering]);
    v_id(&row[1], (long)a->comp);
    v_id(&row[2], (long)b->comp);
    v_int(&row[3], (sqlite3_int64)shared);
    v_int(&row[4], (sqlite3_int64)uni);
    row[5].type = FV_REAL;
    row[5].d = uni ? (double)shared / (double)uni : 0.0;
    return 1;
}

static int write_rest(apn_store *w, apn_model *m, const apn_diags *dd)
{
    apn_map docpath = APN_MAP_INIT;
    creq_src cr = { m, 0, 0, NULL, -1, w->base, w->words };
    prefix_src pre = { m, NULL, NULL, 0, 0, 0 };
    int err = APN_ENOMEM;
    size_t maxreqs = 0, maxset = 0;
    iter it;

    for (size_t k = 0; k < m->ncls; k++)
        maxreqs = m->cls[k].nreqs > maxreqs ? m->cls[k].nreqs : maxreqs;
    if (!(cr.order = apn_calloc(maxreqs + 1, sizeof *cr.order)))
        return APN_ENOMEM;

    w_prepare(w, "INSERT INTO competency VALUES (?1, ?2, ?3, ?4)");
    for (size_t i = 0; i < m->ncomps; i++) {
        b_int(w->st, 1, (long long)i + 1);
        b_text(w->st, 2, m->comps[i].slug);
        b_text(w->st, 3, m->comps[i].name);
        b_text(w->st, 4, m->comps[i].category);
        w_step(w, w->st);
    }
    w_prepare(w, "INSERT INTO alias VALUES (?1, ?2)");
    for (size_t i = 0; i < m->nalias; i++) {
        b_text(w->st, 1, m->alias_name[i]);
        b_id(w->st, 2, (long)m->alias_comp[i]);
        w_step(w, w->st);
    }
    it = (iter){ m, 0, 0, w->base, w->words };
    w_feed_sql(w, "INSERT INTO checklist SELECT c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10 FROM apn_feed",
               checklist_next, &it);
    it = (iter){ m, 0, 0, w->base, w->words };
    w_feed_sql(w, "INSERT INTO checklist_document SELECT c0, c1 FROM apn_feed", checklist_document_next, &it);
    it = (iter){ m, 0, 0, w->base, w->words };
    w_feed_sql(w, "INSERT INTO requirement SELECT c0, c1, c2, c3 FROM apn_feed", requirement_next, &it);
    w_feed_sql(w, "INSERT INTO checklist_requirement SELECT c0, c1, c2, c3, c4, c5, c6, c7 FROM apn_feed",
               checklist_requirement_next, &cr);
    it = (iter){ m, 0, 0, w->base, w->words };
    w_feed_sql(w, "INSERT INTO prerequisite (checklist_id, requires_checklist_id, label, text, locus) "
                  "SELECT c0, c1, c2, c3, c4 FROM apn_feed", prerequisite_next, &it);
    for (size_t i = 0; i < m->ndocs; i++)
        if (apn_map_put(&docpath, m->docs[i].path, i) < 0)
            goto cleanup;
    diag_src ds = { dd, &docpath, 0 };
    w_feed_sql(w, "INSERT INTO diagnostic (document_id, path, severity, locus, message) "
                  "SELECT c0, c1, c2, c3, c4 FROM apn_feed", diagnostic_next, &ds);
    it = (iter){ m, 0, 0, w->base, w->words };
    w_feed_sql(w, "INSERT INTO offering_checklist SELECT c0, c1, c2, c3 FROM apn_feed",
               offering_checklist_next, &it);
    for (size_t i = 0; i < m->noffs; i++)
        maxset = m->offs[i].nset > maxset ? m->offs[i].nset : maxset;
    if (!(pre.pname = apn_calloc(m->nprefixes + 1, sizeof *pre.pname)) ||
        !(pre.ranks = apn_calloc(maxset + 1, sizeof *pre.ranks)))
        goto cleanup;
    for (size_t r = 0; r < m->nreqs; r++)
        pre.pname[m->reqs[r].prefix_rank] = m->reqs[r].prefix;
    w_feed_sql(w, "INSERT INTO prefix_count SELECT c0, c1, c2, c3 FROM apn_feed", prefix_next, &pre);
    err = 0;
cleanup:
    apn_map_dispose(&docpath);
    apn_free(cr.order);
    apn_free(pre.pname);
    apn_free(pre.ranks);
    return err;
}

/* ==== the offering tables, on a second core ================================ */

/* offering_requirement and overlap depend only on the finished model. A second
 * connection writes them into a side file while the main one writes the
 * wordings and the prefix counts (the two halves take about as long); the main connection then copies the side tables into
 * place, which SQLite does record by record without decoding them (its transfer
 * optimisation: a third of the cost of inserting the rows). */
static const char *const side_tables[] = { "offering_requirement", "overlap" };
#define NSIDE (sizeof side_tables / sizeof *side_tables)

typedef struct side_job {
    apn_store w;               /* the side connection; w.out names the side file */
    apn_model *m;
    char *ddl[NSIDE];          /* CREATE TABLE of each, as the main schema has it */
    int err;
    int lockfd;                /* holds the side file's lock (-1: none) */
} side_job;

static int side_write(side_job *j)
{
    apn_store *w = &j->w;
    apn_model *m = j->m;
    offrow_src rows = { m, 0, 0, 0, NULL, 0 };
    overlap_src ov = { m, NULL, NULL, 0, -1, 0, 0, -1 };
    int err = 0, rc = sqlite3_open_v2(w->out, &w->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        w->rc = rc;
        snprintf(w->err, sizeof w->err, "%s", w->db ? sqlite3_errmsg(w->db) : "out of memory");
        err = w->db ? apn_db__rc(rc) : APN_ENOMEM;
        goto cleanup;
    }
    if ((rc = sqlite3_create_module_v2(w->db, "apn_feed", &feed_module, &w->feed, NULL)) != SQLITE_OK)
        w_fail(w, rc);
    w_exec(w, "PRAGMA page_size = 16384; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; "
              "PRAGMA cache_size = -2048");
    for (size_t t = 0; t < NSIDE; t++)
        w_exec(w, j->ddl[t]);
    w_exec(w, "BEGIN");
    w_feed_sql(w, "INSERT INTO offering_requirement SELECT c0, c1, c2, c3, c4, c5 FROM apn_feed",
               offering_requirement_next, &rows);
    if (!(ov.mark = apn_calloc(m->nreqs + 1, 1)) || !(ov.of = apn_calloc(m->noffs + 1, sizeof *ov.of))) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    w_feed_sql(w, "INSERT INTO overlap SELECT c0, c1, c2, c3, c4, c5 FROM apn_feed", overlap_next, &ov);
    sqlite3_finalize(w->st);
    w->st = NULL;
    w_exec(w, "COMMIT");
cleanup:
    apn_free(rows.rows);
    apn_free(ov.mark);
    apn_free(ov.of);
    sqlite3_finalize(w->st);
    w->st = NULL;
    if (w->db && sqlite3_close(w->db) != SQLITE_OK && w->rc == SQLITE_OK) {
        w->rc = SQLITE_ERROR;
        snprintf(w->err, sizeof w->err, "cannot close the side file");
    }
    w->db = NULL;
    return err;
}

static void *side_thread(void *arg)
{
    side_job *j = arg;
    j->err = side_write(j);
    return NULL;
}

/* Names the side file (created empty beside the destination) and copies the
 * side tables' definitions from the main schema. */
static int side_prepare(side_job *j, apn_store *w, apn_model *m, apn_diags *err_out)
{
    size_t n = strlen(w->out);
    int err;
    j->m = m;
    if (!(j->w.out = apn_malloc(n + 16)))
        return APN_ENOMEM;
    snprintf(j->w.out, n + 16, "%s.side-XXXXXX", w->out);
    if ((err = apn_io_temp_locked(&j->lockfd, j->w.out)) < 0) {
        if (err == APN_EIO)
            apn_diags_add(err_out, APN_SEV_ERROR, w->out, "", "cannot create a temporary file beside it: %s",
                          strerror(errno));
        j->w.out[0] = 0;
        return err;
    }
    w_prepare(w, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?1");
    for (size_t t = 0; t < NSIDE && w->st; t++) {
        b_text(w->st, 1, side_tables[t]);
        if (sqlite3_step(w->st) == SQLITE_ROW && sqlite3_column_text(w->st, 0))
            j->ddl[t] = apn_strdup((const char *)sqlite3_column_text(w->st, 0));
        sqlite3_reset(w->st);
        if (!j->ddl[t])
            return APN_ENOMEM;
    }
    return w_error(w, err_out);
}

/* Copies the side tables in (the main transaction is still open). */
static void side_copy(apn_store *w, const side_job *j)
{
    char sql[128];
    w_prepare(w, "ATTACH ?1 AS side");
    b_text(w->st, 1, j->w.out);
    w_step(w, w->st);
    for (size_t t = 0; t < NSIDE; t++) {
        snprintf(sql, sizeof sql, "INSERT INTO main.%s SELECT * FROM side.%s", side_tables[t], side_tables[t]);
        w_exec(w, sql);
    }
}

static void side_dispose(side_job *j)
{
    if (j->w.out && j->w.out[0])
        unlink(j->w.out);
    if (j->lockfd >= 0)
        close(j->lockfd);
    apn_free(j->w.out);
    for (size_t t = 0; t < NSIDE; t++)
        apn_free(j->ddl[t]);
}

/* Starts writing the pages written so far to disk, without waiting: the fsync
 * before the rename then waits only for the last ones (it took ~10 ms). */
static void start_writeback(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd >= 0) {
        sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
        close(fd);
    }
}

static int fsync_path(const char *path, int dir)
{
    int fd = open(path, dir ? O_RDONLY | O_DIRECTORY : O_RDONLY);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

int apn_store_finish(apn_store *w, apn_model *m, const apn_diags *docdiags, int parallel,
                     apn_diags *err_out)
{
    side_job side;
    pthread_t th;
    int err, started = 0;

    memset(&side, 0, sizeof side);
    side.lockfd = side.w.tmpfd = -1;
    if ((err = side_prepare(&side, w, m, err_out)) < 0)
        goto cleanup;
    if (parallel && pthread_create(&th, NULL, side_thread, &side) == 0)
        started = 1;
    else
        side.err = side_write(&side);
    if (started || (!side.err && side.w.rc == SQLITE_OK))
        err = write_rest(w, m, docdiags);
    if (started) {
        pthread_join(th, NULL);
        started = 0;
    }
    if (!err)
        err = side.err;
    if (err < 0)
        goto cleanup;
    if (side.w.rc != SQLITE_OK) {
        apn_diags_add(err_out, APN_SEV_ERROR, w->out, "", "writing the database: %s", side.w.err);
        err = apn_db__rc(side.w.rc);
        goto cleanup;
    }
    start_writeback(w->tmp);
    side_copy(w, &side);
    sqlite3_finalize(w->st);
    w->st = NULL;
    w_exec(w, "COMMIT");
    w_exec(w, "PRAGMA journal_mode = DELETE");
    if ((err = w_error(w, err_out)) < 0)
        goto cleanup;
    sqlite3_finalize(w->doc_st);
    sqlite3_finalize(w->answer_st);
    sqlite3_finalize(w->ref_st);
    w->doc_st = w->answer_st = w->ref_st = NULL;
    int rc = sqlite3_close(w->db);
    w->db = NULL;
    if (rc != SQLITE_OK) {
        err = APN_EDB;
        goto cleanup;
    }
    if (fsync_path(w->tmp, 0) != 0 || rename(w->tmp, w->out) != 0) {
        apn_diags_add(err_out, APN_SEV_ERROR, w->out, "", "cannot replace: %s", strerror(errno));
        err = APN_EIO;
        goto cleanup;
    }
    w->tmp[0] = 0; /* renamed: nothing to remove */
    char *dir = apn_strdup(w->out);
    if (dir)
        fsync_path(dirname(dir), 1);
    apn_free(dir);
cleanup:
    if (started)
        pthread_join(th, NULL);
    side_dispose(&side);
    apn_store_abort(w);
    return err;
}
