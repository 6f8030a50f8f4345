/* store — write the model into a new database, atomically. See store.h. */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bitset.h"
#include "buf.h"
#include "ids.h"
#include "map.h"

typedef struct writer {
    sqlite3 *db;
    sqlite3_stmt *st;
    int rc;            /* first SQLite error */
    char err[512];
} writer;

static void w_prepare(writer *w, const char *sql)
{
    sqlite3_finalize(w->st);
    w->st = NULL;
    if (w->rc == SQLITE_OK && (w->rc = sqlite3_prepare_v2(w->db, sql, -1, &w->st, NULL)) != SQLITE_OK)
        snprintf(w->err, sizeof w->err, "%s", sqlite3_errmsg(w->db));
}

static void b_text(writer *w, int i, const char *s)
{
    if (w->st)
        sqlite3_bind_text(w->st, i, s, -1, SQLITE_STATIC);
}

static void b_int(writer *w, int i, long long v)
{
    if (w->st)
        sqlite3_bind_int64(w->st, i, v);
}

static void b_id(writer *w, int i, long idx) /* index -> id, -1 -> NULL */
{
    if (w->st) {
        if (idx < 0)
            sqlite3_bind_null(w->st, i);
        else
            sqlite3_bind_int64(w->st, i, idx + 1);
    }
}

static void w_step(writer *w)
{
    if (w->rc != SQLITE_OK || !w->st)
        return;
    int rc = sqlite3_step(w->st);
    if (rc != SQLITE_DONE) {
        w->rc = rc;
        snprintf(w->err, sizeof w->err, "%s", sqlite3_errmsg(w->db));
    }
    sqlite3_reset(w->st);
    sqlite3_clear_bindings(w->st);
}

static void w_exec(writer *w, const char *sql)
{
    char *msg = NULL;
    if (w->rc == SQLITE_OK && (w->rc = sqlite3_exec(w->db, sql, NULL, NULL, &msg)) != SQLITE_OK)
        snprintf(w->err, sizeof w->err, "%s", msg ? msg : sqlite3_errmsg(w->db));
    sqlite3_free(msg);
}

static const char *sevname(apn_severity s)
{
    return s == APN_SEV_ERROR ? "error" : s == APN_SEV_WARNING ? "warning" : "note";
}

static int cmp_strp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void write_offerings(writer *w, const apn_model *m)
{
    w_prepare(w, "INSERT INTO offering_checklist VALUES (?1, ?2, ?3, ?4)");
    for (size_t i = 0; i < m->noffs; i++) {
        const m_offering *o = &m->offs[i];
        b_id(w, 1, (long)o->comp);
        b_text(w, 2, apn_offering_names[o->offering]);
        b_id(w, 3, (long)o->checklist);
        b_int(w, 4, o->partial);
        w_step(w);
    }
    w_prepare(w, "INSERT INTO offering_requirement VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    for (size_t i = 0; i < m->nrows; i++) {
        const m_offrow *r = &m->rows[i];
        b_id(w, 1, (long)r->comp);
        b_text(w, 2, apn_offering_names[r->offering]);
        b_text(w, 3, m->reqs[r->req].id);
        b_id(w, 4, (long)r->checklist);
        b_id(w, 5, r->via);
        b_int(w, 6, r->customer_example);
        w_step(w);
    }
}

/* Prefix counts from each offering's set (prefixes sorted within an offering). */
static int write_prefix_counts(writer *w, const apn_model *m)
{
    const char **prefixes = NULL;
    size_t *counts = NULL, cap = 0, capc = 0;
    int err = 0;
    w_prepare(w, "INSERT INTO prefix_count VALUES (?1, ?2, ?3, ?4)");
    for (size_t i = 0; i < m->noffs && w->rc == SQLITE_OK; i++) {
        const m_offering *o = &m->offs[i];
        apn_map pm = APN_MAP_INIT;
        size_t np = 0;
        for (size_t r = apn_bitset_next(o->set, m->nwords, 0); r != SIZE_MAX;
             r = apn_bitset_next(o->set, m->nwords, r + 1)) {
            size_t k;
            if (apn_map_get(&pm, m->reqs[r].prefix, &k)) {
                counts[k]++;
                continue;
            }
            if (apn_grow(&prefixes, &cap, np + 1, sizeof *prefixes) < 0 ||
                apn_grow(&counts, &capc, np + 1, sizeof *counts) < 0 ||
                apn_map_put(&pm, m->reqs[r].prefix, np) < 0) {
                apn_map_dispose(&pm);
                err = APN_ENOMEM;
                goto cleanup;
            }
            prefixes[np] = m->reqs[r].prefix;
            counts[np++] = 1;
        }
        const char **sorted = apn_calloc(np + 1, sizeof *sorted);
        if (!sorted) {
            apn_map_dispose(&pm);
            err = APN_ENOMEM;
            goto cleanup;
        }
        if (np)
            memcpy(sorted, prefixes, np * sizeof *sorted);
        apn_sort(sorted, np, sizeof *sorted, cmp_strp);
        for (size_t k = 0; k < np; k++) {
            size_t idx = 0;
            apn_map_get(&pm, sorted[k], &idx);
            b_id(w, 1, (long)o->comp);
            b_text(w, 2, apn_offering_names[o->offering]);
            b_text(w, 3, sorted[k]);
            b_int(w, 4, (long long)counts[idx]);
            w_step(w);
        }
        apn_free(sorted);
        apn_map_dispose(&pm);
    }
cleanup:
    apn_free(prefixes);
    apn_free(counts);
    return err;
}

/* Every unordered pair of competencies sharing an offering (slug order a < b). */
static int write_overlaps(writer *w, const apn_model *m)
{
    /* each set's size once, not once per pair (the pairs grow with the square) */
    size_t *count = apn_calloc(m->noffs + 1, sizeof *count);
    if (!count)
        return APN_ENOMEM;
    for (size_t i = 0; i < m->noffs; i++)
        count[i] = apn_bitset_count(m->offs[i].set, m->nwords);
    w_prepare(w, "INSERT INTO overlap VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    for (int off = 0; off < 3; off++)
        for (size_t i = 0; i < m->noffs && w->rc == SQLITE_OK; i++) {
            const m_offering *a = &m->offs[i];
            if (a->offering != off)
                continue;
            for (size_t j = i + 1; j < m->noffs; j++) {
                const m_offering *b = &m->offs[j];
                if (b->offering != off)
                    continue;
                size_t shared = apn_bitset_and_count(a->set, b->set, m->nwords);
                size_t uni = count[i] + count[j] - shared;
                b_text(w, 1, apn_offering_names[off]);
                b_id(w, 2, (long)a->comp);
                b_id(w, 3, (long)b->comp);
                b_int(w, 4, (long long)shared);
                b_int(w, 5, (long long)uni);
                if (w->st)
                    sqlite3_bind_double(w->st, 6, uni ? (double)shared / (double)uni : 0.0);
                w_step(w);
            }
        }
    apn_free(count);
    return 0;
}

static int write_all(writer *w, const apn_model *m, const apn_diags *dd)
{
    int err = 0;
    apn_map docpath = APN_MAP_INIT;

    w_exec(w, apn__schema_sql);
    w_exec(w, "BEGIN");
    w_prepare(w, "INSERT INTO meta VALUES (?1, ?2)");
    const char *meta[][2] = { { "format", "apnmap" }, { "schema_version", "1" },
                              { "generator", "apnmap " APN_VERSION } };
    for (size_t i = 0; i < sizeof meta / sizeof meta[0]; i++) {
        b_text(w, 1, meta[i][0]);
        b_text(w, 2, meta[i][1]);
        w_step(w);
    }
    w_prepare(w, "INSERT INTO document VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    for (size_t i = 0; i < m->ndocs; i++) {
        const apn_doc *d = m->docs[i].doc;
        if (apn_map_put(&docpath, d->path, i) < 0) {
            err = APN_ENOMEM;
            goto cleanup;
        }
        b_int(w, 1, (long long)i + 1);
        b_text(w, 2, m->docs[i].relpath);
        b_text(w, 3, d->sha256);
        b_text(w, 4, d->format == APN_DOC_XLSX ? "xlsx" : "html");
        b_text(w, 5, d->url);
        b_text(w, 6, d->title);
        b_text(w, 7, d->validity);
        b_text(w, 8, d->version);
        b_text(w, 9, d->subtitle);
        b_text(w, 10, m->docs[i].lang ? m->docs[i].lang : d->lang);
        w_step(w);
    }
    w_prepare(w, "INSERT INTO competency VALUES (?1, ?2, ?3, ?4)");
    for (size_t i = 0; i < m->ncomps; i++) {
        b_int(w, 1, (long long)i + 1);
        b_text(w, 2, m->comps[i].slug);
        b_text(w, 3, m->comps[i].name);
        b_text(w, 4, m->comps[i].category);
        w_step(w);
    }
    w_prepare(w, "INSERT INTO alias VALUES (?1, ?2)");
    for (size_t i = 0; i < m->nalias; i++) {
        b_text(w, 1, m->alias_name[i]);
        b_id(w, 2, (long)m->alias_comp[i]);
        w_step(w);
    }
    w_prepare(w, "INSERT INTO checklist VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    for (size_t k = 0; k < m->ncls; k++) {
        const m_checklist *c = &m->cls[k];
        b_int(w, 1, (long long)k + 1);
        b_text(w, 2, c->name);
        b_text(w, 3, c->programme);
        b_id(w, 4, c->competency);
        b_text(w, 5, c->track);
        b_text(w, 6, c->variant);
        b_text(w, 7, c->validity);
        b_text(w, 8, c->coverage);
        b_id(w, 9, c->page >= 0 ? c->page : c->ndocs ? (long)c->docs[0] : -1);
        b_int(w, 10, c->release_key);
        b_int(w, 11, c->newest);
        w_step(w);
    }
    w_prepare(w, "INSERT INTO checklist_document VALUES (?1, ?2)");
    for (size_t k = 0; k < m->ncls; k++)
        for (size_t j = 0; j < m->cls[k].ndocs; j++) {
            b_id(w, 1, (long)k);
            b_id(w, 2, (long)m->cls[k].docs[j]);
            w_step(w);
        }
    w_prepare(w, "INSERT INTO requirement VALUES (?1, ?2, ?3, ?4)");
    for (size_t r = 0; r < m->nreqs; r++) {
        b_text(w, 1, m->reqs[r].id);
        b_text(w, 2, m->reqs[r].prefix);
        b_text(w, 3, m->reqs[r].title);
        b_text(w, 4, m->reqs[r].description);
        w_step(w);
    }
    w_prepare(w, "INSERT INTO checklist_requirement VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    for (size_t k = 0; k < m->ncls; k++)
        for (size_t q = 0; q < m->cls[k].nreqs; q++) {
            const m_creq *c = &m->cls[k].reqs[q];
            b_id(w, 1, (long)k);
            b_text(w, 2, m->reqs[c->req].id);
            b_text(w, 3, c->section);
            b_int(w, 4, (long long)q + 1);
            b_text(w, 5, c->title);
            b_text(w, 6, c->description);
            b_text(w, 7, c->locus);
            b_int(w, 8, c->customer_example);
            w_step(w);
        }
    w_prepare(w, "INSERT INTO prerequisite (checklist_id, requires_checklist_id, label, text, locus) "
                 "VALUES (?1, ?2, ?3, ?4, ?5)");
    for (size_t k = 0; k < m->ncls; k++)
        for (size_t q = 0; q < m->cls[k].nprereqs; q++) {
            const m_prereq *p = &m->cls[k].prereqs[q];
            b_id(w, 1, (long)k);
            b_id(w, 2, p->requires);
            b_text(w, 3, p->label);
            b_text(w, 4, p->text);
            b_text(w, 5, p->locus);
            w_step(w);
        }
    /* answers: one row per workbook and requirement, the first row of an ID wins */
    w_prepare(w, "INSERT OR IGNORE INTO assessment_answer VALUES (?1, ?2, ?3, ?4, ?5)");
    for (size_t i = 0; i < m->ndocs; i++) {
        const apn_doc *d = m->docs[i].doc;
        if (d->format != APN_DOC_XLSX)
            continue;
        for (size_t t = 0; t < d->nitems; t++) {
            const apn_item *it = &d->items[t];
            apn_id id;
            if (it->kind != APN_ITEM_CONTROL || !it->answered || apn_id_parse(&id, it->raw_id) < 0)
                continue;
            char locus[512];
            snprintf(locus, sizeof locus, "%s: %s", m->docs[i].relpath, it->locus ? it->locus : "");
            b_int(w, 1, (long long)i + 1);
            b_text(w, 2, id.id);
            b_text(w, 3, apn_met_name(it->met));
            b_text(w, 4, it->response);
            /* SQLite copies a transient string: that can fail (found by tests/oom) */
            int brc = w->st ? sqlite3_bind_text(w->st, 5, locus, -1, SQLITE_TRANSIENT) : SQLITE_OK;
            if (brc != SQLITE_OK && w->rc == SQLITE_OK) {
                w->rc = brc;
                snprintf(w->err, sizeof w->err, "%s", sqlite3_errstr(brc));
            }
            w_step(w);
        }
    }
    w_prepare(w, "INSERT INTO diagnostic (document_id, path, severity, locus, message) "
                 "VALUES (?1, ?2, ?3, ?4, ?5)");
    for (size_t i = 0; i < dd->n; i++) {
        size_t doc;
        b_id(w, 1, apn_map_get(&docpath, dd->v[i].path, &doc) ? (long)doc : -1);
        b_text(w, 2, dd->v[i].path);
        b_text(w, 3, sevname(dd->v[i].severity));
        b_text(w, 4, dd->v[i].locus);
        b_text(w, 5, dd->v[i].message);
        w_step(w);
    }
    write_offerings(w, m);
    if ((err = write_prefix_counts(w, m)) < 0)
        goto cleanup;
    if ((err = write_overlaps(w, m)) < 0)
        goto cleanup;
    sqlite3_finalize(w->st);
    w->st = NULL;
    w_exec(w, "COMMIT");
    w_exec(w, "PRAGMA journal_mode = DELETE");
cleanup:
    apn_map_dispose(&docpath);
    return err;
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

int apn_store_write(const char *out_db, const apn_model *m, const apn_diags *docdiags,
                    apn_diags *err_out)
{
    writer w = { 0 };
    char *tmp = NULL, *dircopy = NULL;
    int err = 0, fd = -1;

    size_t n = strlen(out_db);
    if (!(tmp = apn_malloc(n + 16)) || !(dircopy = apn_strdup(out_db))) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    snprintf(tmp, n + 16, "%s.tmp-XXXXXX", out_db);
    if ((fd = mkstemp(tmp)) < 0) {
        apn_diags_add(err_out, APN_SEV_ERROR, out_db, "", "cannot create a temporary file beside it: %s",
                      strerror(errno));
        tmp[0] = 0;
        err = APN_EIO;
        goto cleanup;
    }
    close(fd);
    fd = -1;
    int orc = sqlite3_open_v2(tmp, &w.db, SQLITE_OPEN_READWRITE, NULL);
    if (orc != SQLITE_OK) {
        apn_diags_add(err_out, APN_SEV_ERROR, out_db, "", "cannot open: %s",
                      w.db ? sqlite3_errmsg(w.db) : "out of memory");
        err = orc == SQLITE_NOMEM || !w.db ? APN_ENOMEM : APN_EDB;
        goto cleanup;
    }
    /* the file is private until the rename: no journal needed while writing; the
     * model is consistent by construction, so references are not checked row by
     * row (that cost a tenth of the build; tests/oom/oom.c checks them) */
    w_exec(&w, "PRAGMA page_size = 16384; PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF");
    if ((err = write_all(&w, m, docdiags)) < 0)
        goto cleanup;
    if (w.rc != SQLITE_OK) {
        apn_diags_add(err_out, APN_SEV_ERROR, out_db, "", "writing the database: %s", w.err);
        err = w.rc == SQLITE_NOMEM ? APN_ENOMEM : w.rc == SQLITE_FULL || w.rc == SQLITE_IOERR ? APN_EIO : APN_EDB;
        goto cleanup;
    }
    if (sqlite3_close(w.db) != SQLITE_OK) {
        w.db = NULL;
        err = APN_EDB;
        goto cleanup;
    }
    w.db = NULL;
    if (fsync_path(tmp, 0) != 0 || rename(tmp, out_db) != 0) {
        apn_diags_add(err_out, APN_SEV_ERROR, out_db, "", "cannot replace: %s", strerror(errno));
        err = APN_EIO;
        goto cleanup;
    }
    tmp[0] = 0; /* renamed: nothing to remove */
    fsync_path(dirname(dircopy), 1);
cleanup:
    if (w.st)
        sqlite3_finalize(w.st);
    if (w.db)
        sqlite3_close(w.db);
    if (tmp && tmp[0])
        unlink(tmp);
    apn_free(tmp);
    apn_free(dircopy);
    return err;
}
