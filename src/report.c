/* report — apnmap report: the entry point, the files, the listings.
 * Public API in include/apnmap/report.h; what it writes in docs/report.md; the
 * model shared with report_load.c, report_charts.c and report_page.c in
 * report_int.h; each file declares its functions in its own header.
 *
 * Sections: files (every one into the stage, moved in together); the
 * listings (db's cursor, the shown competencies' rows, + partial); pairs
 * (what two shown competencies share specifically); entry point.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/bitset.h"
#include "dbint.h"
#include "report_charts.h"
#include "report_load.h"
#include "report_page.h"
#include "table_int.h"

/* ==== files ==== */

/* Every file is written into r->stage (util/io.h) and moved into the folder
 * together once all of them are written: a failure on the way (a full disk)
 * leaves the files already there as they were, and a link planted in the folder
 * is replaced, never written through. */

const char *apn_report__path(rep *r, const char *name)
{
    apn_buf_clear(&r->path);
    apn_buf_printf(&r->path, "%s/%s", r->dir, name);
    return apn_buf_cstr(&r->path);
}

/* A file that could not be written: its final path and errno's reason. */
static int write_failed(rep *r, const char *name, int err)
{
    if (err == APN_EIO)
        apn_diags_add(r->d, APN_SEV_ERROR, apn_report__path(r, name), "", "cannot write: %s", strerror(errno));
    return err;
}

static int open_out(rep *r, FILE **f, const char *name)
{
    int err = apn_io_stage_fopen(f, r->stage, name);
    return err < 0 ? write_failed(r, name, err) : 0;
}

/* Closes a file of open_out; err is what writing it gave (0, APN_EIO, ...). */
static int close_out(rep *r, FILE *f, const char *name, int err)
{
    int e = apn_io_stage_fclose(r->stage, f);
    if (err < 0 && err != APN_EIO)
        return err;
    return err == APN_EIO || e < 0 ? write_failed(r, name, APN_EIO) : 0;
}

int apn_report__write_file(rep *r, const char *name, const char *data, size_t len)
{
    FILE *f = NULL;
    int err = open_out(r, &f, name);
    if (err < 0)
        return err;
    return close_out(r, f, name, fwrite(data, 1, len, f) == len ? 0 : APN_EIO);
}

const char *apn_report__chart_base(rep *r, const char *base)
{
    char name[80];
    snprintf(name, sizeof name, "%s.png", base);
    if (!apn_io_stage_path(r->stage, name)) {
        r->oom = 1;
        return "";
    }
    snprintf(name, sizeof name, "%s.svg", base);
    const char *p = apn_io_stage_path(r->stage, name);
    if (!p) {
        r->oom = 1;
        return "";
    }
    apn_buf_clear(&r->path);
    apn_buf_put(&r->path, p, strlen(p) - 4);
    return apn_buf_cstr(&r->path);
}

/* Moves every file into the folder, then says what was written. */
static int commit(rep *r)
{
    int err = apn_io_stage_commit(r->stage);
    if (err == APN_EIO)
        return write_failed(r, apn_io_stage_failed(r->stage), err);
    if (err < 0)
        return err;
    for (size_t i = 0; r->o && r->o->progress && i < apn_io_stage_count(r->stage); i++)
        r->o->progress(r->o->progress_ud, apn_report__path(r, apn_io_stage_name(r->stage, i)));
    return r->path.oom ? APN_ENOMEM : 0;
}

static int write_table_files(rep *r, const char *stem, const apn_table *t)
{
    static const apn_format fmts[2] = { APN_FMT_CSV, APN_FMT_JSON };
    static const char *const ext[2] = { "csv", "json" };
    char name[64];
    for (int k = 0; k < 2; k++) {
        FILE *f = NULL;
        int err;
        snprintf(name, sizeof name, "%s.%s", stem, ext[k]);
        if ((err = open_out(r, &f, name)) < 0 || (err = close_out(r, f, name, apn_table_write(t, f, fmts[k]))) < 0)
            return err;
    }
    return 0;
}

/* ==== the listings ==== */

/* Where the competencies (ca, cb; -1: none) and the offering are in a
 * listing's rows. */
typedef struct listing {
    const char *stem;
    apn_db_listing which;
    int ca, cb, co;
} listing;

static const listing listings[] = {
    { "stats", APN_LIST_STATS, 0, -1, 1 },
    { "overlap", APN_LIST_OVERLAP, 1, 2, 0 },
    { "hardest", APN_LIST_HARDEST, 1, -1, 2 },
};

/* Walks one listing (db's cursor: the rows of `apnmap stats` ...) and keeps,
 * in *keep, the rows of shown competencies with a trailing column `partial` (a
 * or b has a partial checklist in the row's offering). Memory grows with the
 * shown rows only. */
static int keep_listing(rep *r, const listing *l, apn_table **keep)
{
    apn_db_cursor *cur = NULL;
    int err = 0, more = 0;
    const char *names[8];
    apn_coltype types[8];
    const apn_tcell *row;
    *keep = NULL;
    if ((err = apn_db__listing_open(&cur, r->db, l->which, NULL, r->d)) < 0)
        return err;
    size_t nc = apn_db__cursor_ncols(cur);
    for (size_t c = 0; c < nc; c++) {
        names[c] = apn_db__cursor_names(cur)[c];
        types[c] = apn_db__cursor_types(cur)[c];
    }
    names[nc] = "partial";
    types[nc] = APN_COL_BOOL;
    if ((err = apn_table_new(keep, nc + 1, names, types)) < 0)
        goto cleanup;
    while (!err && (more = apn_db__cursor_next(cur, &row)) > 0) {
        int o = apn_report__off_index(row[l->co].s);
        long a = apn_report__comp_index(r, row[l->ca].s);
        long b = l->cb >= 0 ? apn_report__comp_index(r, row[l->cb].s) : -1;
        if (o < 0 || a < 0 || !r->comps[a].shown[o] || (l->cb >= 0 && (b < 0 || !r->comps[b].shown[o])))
            continue;
        size_t c;
        for (c = 0; c < nc && !(types[c] == APN_COL_TEXT && row[c].null); c++)
            ;
        if (c < nc)
            continue;   /* a key missing (a hostile database) */
        int part = r->comps[a].partial[o] || (b >= 0 && r->comps[b].partial[o]);
        if ((err = apn_table_add_row(*keep)) < 0)
            break;
        for (c = 0; c < nc && !err; c++) {
            if (row[c].null)
                continue;
            switch (types[c]) {
            case APN_COL_TEXT: err = apn_table_set_text(*keep, c, row[c].s); break;
            case APN_COL_INT: err = apn_table_set_int(*keep, c, row[c].i); break;
            case APN_COL_BOOL: err = apn_table_set_bool(*keep, c, (int)row[c].i); break;
            case APN_COL_REAL: err = apn_table_set_real(*keep, c, row[c].r); break;
            }
        }
        if (!err)
            err = apn_table_set_bool(*keep, nc, part);
    }
    if (!err && more < 0)
        err = more;
cleanup:
    apn_db__cursor_free(cur);
    if (err < 0) {
        apn_table_free(*keep);
        *keep = NULL;
    }
    return err;
}

/* ==== pairs ==== */

/* For each offering, the shown pairs (from the overlap listing's rows) and
 * how many specific requirements each shares (bitsets of the specific IDs). */
static int pairs(rep *r)
{
    int err = 0;
    for (int o = 0; o < REP_NOFF && !err; o++) {
        size_t nw = 0;
        uint64_t *sets = apn_report__specific_sets(r, o, &nw);
        if (!sets)
            err = APN_ENOMEM;
        size_t cap = 0;
        for (size_t i = 0; !err && i < apn_table_nrows(r->overlap); i++) {
            if (apn_report__off_index(apn_table_text(r->overlap, i, 0)) != o)
                continue;
            long a = apn_report__comp_index(r, apn_table_text(r->overlap, i, 1));
            long b = apn_report__comp_index(r, apn_table_text(r->overlap, i, 2));
            if (a < 0 || b < 0)
                continue;
            if (apn_grow(&r->pairs[o], &cap, r->npairs[o] + 1, sizeof *r->pairs[o]) < 0) {
                err = APN_ENOMEM;
                break;
            }
            rep_pair *p = &r->pairs[o][r->npairs[o]++];
            p->a = (size_t)a;
            p->b = (size_t)b;
            p->shared = (long)apn_table_int(r->overlap, i, 3);
            p->union_size = (long)apn_table_int(r->overlap, i, 4);
            p->jaccard = apn_table_real(r->overlap, i, 5);
            p->partial = (int)apn_table_int(r->overlap, i, 6);
            p->specific = (long)apn_bitset_and_count(sets + (size_t)a * nw, sets + (size_t)b * nw, nw);
        }
        apn_free(sets);
    }
    return err;
}

/* ==== entry point ==== */

static void rep_dispose(rep *r)
{
    apn_table_free(r->stats);
    apn_table_free(r->overlap);
    apn_table_free(r->hardest);
    apn_table_free(r->checklists);
    apn_table_free(r->diags);
    for (int o = 0; o < REP_NOFF; o++)
        apn_free(r->pairs[o]);
    apn_free(r->comps);
    apn_free(r->by_id);
    apn_free(r->reqs);
    apn_free(r->req_at);
    apn_free(r->pres);
    apn_free(r->refs);
    apn_free(r->reach);
    apn_map_dispose(&r->by_slug);
    apn_buf_dispose(&r->charts_html);
    apn_buf_dispose(&r->path);
    apn_io_stage_free(r->stage);   /* after a failure: removes every new file */
    apn_arena_dispose(&r->a);
}

int apn_report_write(const char *dir, apn_db *db, const apn_report_opts *opts, apn_diags *d)
{
    rep r;
    int err = 0;
    memset(&r, 0, sizeof r);
    r.dir = dir;
    r.db = db;
    r.d = d;
    r.o = opts;
    r.top = opts && opts->top ? opts->top : APN_REPORT_TOP;

    if ((err = apn_report__page_check(&r)) < 0)
        goto cleanup;
    if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
        apn_diags_add(d, APN_SEV_ERROR, dir, "", "cannot create the folder: %s", strerror(errno));
        err = APN_EIO;
        goto cleanup;
    }
    if ((err = apn_io_stage_open(&r.stage, dir)) < 0) {
        if (err == APN_EIO)
            apn_diags_add(d, APN_SEV_ERROR, dir, "", "cannot write into the folder: %s", strerror(errno));
        goto cleanup;
    }
    if ((err = apn_report__load(&r)) < 0)
        goto cleanup;
    if (r.any_limited &&
        (err = apn_diags_add(d, APN_SEV_NOTE, "", "",
                             "report: %zu competencies: the page, its charts and its files show the top %zu of "
                             "each offering by requirement count (apnmap stats, overlap and hardest list every one)",
                             r.ncomp_all, r.top)) < 0)
        goto cleanup;
    for (size_t i = 0; i < sizeof listings / sizeof *listings; i++) {
        apn_table **t = i == 0 ? &r.stats : i == 1 ? &r.overlap : &r.hardest;
        if ((err = keep_listing(&r, &listings[i], t)) < 0 || (err = write_table_files(&r, listings[i].stem, *t)) < 0)
            goto cleanup;
    }
    if ((err = write_table_files(&r, "checklists", r.checklists)) < 0 ||
        (err = write_table_files(&r, "diagnostics", r.diags)) < 0 || (err = pairs(&r)) < 0)
        goto cleanup;
    if (!(opts && opts->no_charts) && (err = apn_report__charts(&r)) < 0)
        goto cleanup;
    if ((err = apn_report__page(&r)) < 0)
        goto cleanup;
    err = commit(&r);

cleanup:
    if (err == APN_ENOMEM)
        apn_diags_add(d, APN_SEV_ERROR, "", "", "report: out of memory");
    rep_dispose(&r);
    return err;
}
