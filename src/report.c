/* report — apnmap report: tables, charts and one offline index.html.
 * Public API in include/apnmap/report.h; layout of the output in docs/report.md.
 *
 * Sections: loading; tables (CSV/JSON files, HTML tables); charts (gnuplot
 * scripts per offering); graph data (JSON for report.js); the page; entry point.
 * Everything a document supplied is escaped where it lands: apn_html_escape for
 * HTML, apn_html_script_json for the data block, single-quoted gnuplot strings
 * (gnuplot's SVG terminal escapes markup), apn_table_write's formula guard for CSV.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <jansson.h>
#include <sqlite3.h>

#include <apnmap/apnmap.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "chart.h"
#include "dbint.h"
#include "html_out.h"
#include "util/io.h"
#include "table_int.h"
#include "webassets.h"

#define NOFF 3
#define REACH_MAX 600   /* prefixes in the reach chart: at 46 px each, under Cairo's 32767 px */
static const char *const offerings[NOFF] = { "saas", "customer-deployed", "services" };

static const char partial_note[] = "* partial checklist: only some of its requirements are known";
static const char iam_note[] =
    "No services checklist here carries IAM requirements: the common blocks recovered for "
    "this data carry ACCT and OPE but no IAM; current services checklists may hold IAM "
    "items not recovered here.";

typedef struct rep {
    const char *dir;
    apn_db *db;
    apn_diags *d;
    const apn_report_opts *o;
    apn_table *comps;     /* slug, name, category, id (by slug) */
    apn_table *ocl;       /* slug, offering, checklist, partial, validity */
    apn_table *titles;    /* id, title */
    apn_table *prereqs;   /* slug, offering, target, programme, variant, target_slug, label, text */
    apn_table *checklists, *diags;
    /* Rows of the shown competencies only (all of them below the limit): */
    apn_table *reqs;      /* competency, offering, requirement_id, prefix, via */
    apn_table *stats, *overlap, *hardest;   /* the listings plus `partial` */
    apn_table *pagg;      /* offering, prefix, n, reach: every competency */
    size_t ncomp;
    size_t top;               /* competencies per offering on the page and in the charts */
    int *present, *partial;   /* [comp * NOFF + off] */
    int *shown;               /* [comp * NOFF + off]: on the page and in the charts */
    long *total;
    size_t npresent[NOFF];
    int limited[NOFF], any_limited;
    int any_partial[NOFF];
    int services_iam;         /* some services offering has an IAM requirement */
    int oom;                  /* a chart string could not be allocated */
    apn_buf charts_html;      /* <figure>s, per offering */
    apn_buf path;             /* scratch: dir + "/" + name */
    apn_io_stage *stage;      /* where every file is written until the commit */
} rep;

/* ==== loading ==== */

static int off_index(const char *o)
{
    for (int i = 0; i < NOFF; i++)
        if (o && !strcmp(o, offerings[i]))
            return i;
    return -1;
}

/* comps is sorted by slug (BINARY collation = strcmp order) */
static long comp_index(const rep *r, const char *slug)
{
    size_t lo = 0, hi = r->ncomp;
    while (lo < hi && slug) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(apn_table_text(r->comps, mid, 0), slug);
        if (!c)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* comp_index that first tries *hint and the row after it: listings come in
 * slug order, so that is nearly always the answer (millions of overlap rows). */
static long comp_find(const rep *r, const char *slug, long *hint)
{
    for (long h = *hint; slug && h >= 0 && h <= *hint + 1 && (size_t)h < r->ncomp; h++)
        if (!strcmp(apn_table_text(r->comps, (size_t)h, 0), slug))
            return *hint = h;
    long c = comp_index(r, slug);
    if (c >= 0)
        *hint = c;
    return c;
}

static int is_partial(const rep *r, const char *slug, const char *offering)
{
    long c = comp_index(r, slug);
    int o = off_index(offering);
    return c >= 0 && o >= 0 && r->partial[c * NOFF + o];
}

static const char *comp_name(const rep *r, size_t c)
{
    const char *n = apn_table_text(r->comps, c, 1);
    return n && *n ? n : apn_table_text(r->comps, c, 0);
}

static int query(rep *r, apn_table **out, const char *sql)
{
    return apn_db__query(out, r->db, sql, NULL, NULL, r->d);
}

typedef struct crow {
    size_t comp;
    long total;
} crow;

/* by total, descending, then by slug: the order of the bars and of `hardest` */
static int cmp_crow(const void *a, const void *b)
{
    const crow *x = a, *y = b;
    if (x->total != y->total)
        return x->total > y->total ? -1 : 1;
    return x->comp < y->comp ? -1 : x->comp > y->comp;
}

/* Per offering, the competencies the page and the charts show: every one, or,
 * above r->top, the r->top with the most requirements (ties by slug). */
static int choose_shown(rep *r)
{
    crow *rows = apn_calloc(r->ncomp + 1, sizeof *rows);
    if (!rows)
        return APN_ENOMEM;
    for (int o = 0; o < NOFF; o++) {
        size_t n = 0;
        for (size_t c = 0; c < r->ncomp; c++)
            if (r->present[c * NOFF + o])
                rows[n++] = (crow){ c, r->total[c * NOFF + o] };
        r->npresent[o] = n;
        r->limited[o] = n > r->top;
        r->any_limited |= r->limited[o];
        apn_sort(rows, n, sizeof *rows, cmp_crow);
        for (size_t i = 0; i < n && i < r->top; i++)
            r->shown[rows[i].comp * NOFF + o] = 1;
    }
    apn_free(rows);
    return 0;
}

static int load(rep *r)
{
    apn_table *tot = NULL;
    int err;
    if ((err = query(r, &r->comps, "SELECT slug, name, COALESCE(category, '') AS category, id "
                                   "FROM competency WHERE slug IS NOT NULL ORDER BY slug")) < 0 ||
        (err = query(r, &r->ocl, "SELECT c.slug, oc.offering, k.name, oc.partial, "
                                 "COALESCE(k.validity, '') AS validity FROM offering_checklist oc "
                                 "JOIN competency c ON c.id = oc.competency_id "
                                 "JOIN checklist k ON k.id = oc.checklist_id ORDER BY c.slug, oc.offering")) < 0 ||
        (err = query(r, &tot, "SELECT competency, offering, count(*), "
                              "max(offering = 'services' AND prefix = 'IAM') "
                              "FROM v_offering_requirement GROUP BY competency, offering")) < 0 ||
        (err = query(r, &r->titles, "SELECT r.id, COALESCE(r.title, (SELECT cr.title FROM "
                                    "checklist_requirement cr WHERE cr.requirement_id = r.id "
                                    "AND cr.title IS NOT NULL ORDER BY cr.checklist_id LIMIT 1), '') "
                                    "FROM requirement r WHERE r.id IN "
                                    "(SELECT requirement_id FROM offering_requirement) ORDER BY r.id")) < 0 ||
        (err = query(r, &r->prereqs, "SELECT c.slug, oc.offering, t.name, t.programme, t.variant, "
                                     "tc.slug, p.label, COALESCE(p.text, '') "
                                     "FROM offering_checklist oc JOIN competency c ON c.id = oc.competency_id "
                                     "JOIN prerequisite p ON p.checklist_id = oc.checklist_id "
                                     "LEFT JOIN checklist t ON t.id = p.requires_checklist_id "
                                     "LEFT JOIN competency tc ON tc.id = t.competency_id "
                                     "ORDER BY c.slug, oc.offering, p.id")) < 0 ||
        (err = query(r, &r->checklists,
                     "SELECT k.name AS checklist, k.programme, COALESCE(k.track, '') AS track, "
                     "COALESCE(k.variant, '') AS variant, COALESCE(k.validity, '') AS validity, "
                     "COALESCE(k.coverage, '') AS coverage, "
                     "(SELECT count(*) FROM checklist_requirement cr WHERE cr.checklist_id = k.id) "
                     "AS requirements FROM checklist k WHERE k.newest = 1 ORDER BY k.name, k.id")) < 0 ||
        (err = query(r, &r->diags, "SELECT path, severity, COALESCE(locus, '') AS locus, message "
                                   "FROM diagnostic ORDER BY path, id")) < 0 ||
        (err = query(r, &r->pagg, "SELECT offering, prefix, sum(n), count(*) FROM v_prefix_counts "
                                  "WHERE offering IS NOT NULL AND prefix IS NOT NULL "
                                  "GROUP BY offering, prefix ORDER BY offering, prefix")) < 0)
        goto cleanup;

    r->ncomp = apn_table_nrows(r->comps);
    r->present = apn_calloc(r->ncomp * NOFF + 1, sizeof *r->present);
    r->partial = apn_calloc(r->ncomp * NOFF + 1, sizeof *r->partial);
    r->shown = apn_calloc(r->ncomp * NOFF + 1, sizeof *r->shown);
    r->total = apn_calloc(r->ncomp * NOFF + 1, sizeof *r->total);
    if (!r->present || !r->partial || !r->shown || !r->total) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < apn_table_nrows(r->ocl); i++) {
        long c = comp_index(r, apn_table_text(r->ocl, i, 0));
        int o = off_index(apn_table_text(r->ocl, i, 1));
        if (c < 0 || o < 0)
            continue;
        r->present[c * NOFF + o] = 1;
        if (apn_table_int(r->ocl, i, 3)) {
            r->partial[c * NOFF + o] = 1;
            r->any_partial[o] = 1;
        }
    }
    for (size_t i = 0; i < apn_table_nrows(tot); i++) {
        long c = comp_index(r, apn_table_text(tot, i, 0));
        int o = off_index(apn_table_text(tot, i, 1));
        if (c < 0 || o < 0)
            continue;
        r->total[c * NOFF + o] = apn_table_int(tot, i, 2);
        r->present[c * NOFF + o] = 1;
        if (apn_table_int(tot, i, 3))
            r->services_iam = 1;
    }
    err = choose_shown(r);
cleanup:
    apn_table_free(tot);
    return err;
}

/* ==== files ==== */

/* Every file is written into r->stage (util/io.h) and moved into the folder
 * together once all of them are written: a failure on the way (a full disk)
 * leaves the files already there as they were, and a link planted in the folder
 * is replaced, never written through. */

static const char *path_of(rep *r, const char *name)
{
    apn_buf_clear(&r->path);
    apn_buf_printf(&r->path, "%s/%s", r->dir, name);
    return apn_buf_cstr(&r->path);
}

/* A file that could not be written: its final path and errno's reason. */
static int write_failed(rep *r, const char *name, int err)
{
    if (err == APN_EIO)
        apn_diags_add(r->d, APN_SEV_ERROR, path_of(r, name), "", "cannot write: %s", strerror(errno));
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

static int write_file(rep *r, const char *name, const char *data, size_t len)
{
    FILE *f = NULL;
    int err = open_out(r, &f, name);
    if (err < 0)
        return err;
    return close_out(r, f, name, fwrite(data, 1, len, f) == len ? 0 : APN_EIO);
}

/* The stage path (no extension) where gnuplot writes base.svg and base.png. */
static const char *chart_base(rep *r, const char *base)
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
        r->o->progress(r->o->progress_ud, path_of(r, apn_io_stage_name(r->stage, i)));
    return r->path.oom ? APN_ENOMEM : 0;
}

/* The listings streamed into stem.csv and stem.json: which, and where the
 * competencies (ca, cb; -1: none) and the offering are in its rows. */
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

/* Streams one listing (db's cursor, the same rows as `apnmap stats` ...), row
 * by row, into stem.csv and stem.json at once, with a trailing column
 * `partial` (a or b has a partial checklist in the row's offering); the rows of
 * shown competencies also go into *keep, for the page and the charts. Memory
 * does not grow with the listing. */
static int stream_listing(rep *r, const listing *l, apn_table **keep)
{
    apn_db_cursor *cur = NULL;
    FILE *f[2] = { NULL, NULL };
    char fname[2][64];
    apn_rowout w[2];
    int begun = 0, err = 0, more = 0;
    const char *names[8];
    apn_coltype types[8];
    apn_tcell cells[8];
    const apn_tcell *row;
    long hint[2] = { 0, 0 };
    *keep = NULL;
    snprintf(fname[0], sizeof fname[0], "%s.csv", l->stem);
    snprintf(fname[1], sizeof fname[1], "%s.json", l->stem);
    if ((err = apn_db__listing_open(&cur, r->db, l->which, NULL, r->d)) < 0) {
        goto cleanup;
    }
    size_t nc = apn_db__cursor_ncols(cur);
    for (size_t c = 0; c < nc; c++) {
        names[c] = apn_db__cursor_names(cur)[c];
        types[c] = apn_db__cursor_types(cur)[c];
    }
    names[nc] = "partial";
    types[nc] = APN_COL_BOOL;
    if ((err = apn_table_new(keep, nc + 1, names, types)) < 0)
        goto cleanup;
    if ((err = open_out(r, &f[0], fname[0])) < 0 || (err = open_out(r, &f[1], fname[1])) < 0)
        goto cleanup;
    apn_rowout_begin(&w[0], f[0], APN_FMT_CSV, nc + 1, names, types);
    apn_rowout_begin(&w[1], f[1], APN_FMT_JSON, nc + 1, names, types);
    begun = 1;
    while (!err && (more = apn_db__cursor_next(cur, &row)) > 0) {
        memcpy(cells, row, nc * sizeof *cells);
        int o = off_index(cells[l->co].s);
        long a = comp_find(r, cells[l->ca].s, &hint[0]);
        long b = l->cb >= 0 ? comp_find(r, cells[l->cb].s, &hint[1]) : -1;
        int part = o >= 0 && ((a >= 0 && r->partial[a * NOFF + o]) || (b >= 0 && r->partial[b * NOFF + o]));
        cells[nc] = (apn_tcell){ 0, part, 0, NULL };
        apn_rowout_row(&w[0], cells);
        apn_rowout_row(&w[1], cells);
        if (o < 0 || a < 0 || !r->shown[a * NOFF + o] || (l->cb >= 0 && (b < 0 || !r->shown[b * NOFF + o])))
            continue;
        size_t c;
        for (c = 0; c < nc && !(types[c] == APN_COL_TEXT && cells[c].null); c++)
            ;
        if (c < nc)
            continue;   /* a key missing (a hostile database): in the files, not on the page */
        if ((err = apn_table_add_row(*keep)) < 0)
            break;
        for (c = 0; c <= nc && !err; c++) {
            if (cells[c].null)
                continue;
            switch (types[c]) {
            case APN_COL_TEXT: err = apn_table_set_text(*keep, c, cells[c].s); break;
            case APN_COL_INT: err = apn_table_set_int(*keep, c, cells[c].i); break;
            case APN_COL_BOOL: err = apn_table_set_bool(*keep, c, (int)cells[c].i); break;
            case APN_COL_REAL: err = apn_table_set_real(*keep, c, cells[c].r); break;
            }
        }
    }
    if (!err && more < 0)
        err = more;
cleanup:
    for (int k = 0; k < 2; k++) {
        int e = begun ? apn_rowout_end(&w[k]) : 0;
        if (f[k])
            e = close_out(r, f[k], fname[k], e);
        if (e < 0 && !err)
            err = e;
    }
    apn_db__cursor_free(cur);
    if (err < 0) {
        apn_table_free(*keep);
        *keep = NULL;
    }
    return err;
}

/* The requirement lists of the shown competencies, for the page's graph. */
static int load_reqs(rep *r)
{
    sqlite3 *h = apn_db__handle(r->db);
    sqlite3_stmt *st = NULL;
    static const char *const names[5] = { "competency", "offering", "requirement_id", "prefix", "via" };
    static const apn_coltype types[5] = { APN_COL_TEXT, APN_COL_TEXT, APN_COL_TEXT, APN_COL_TEXT, APN_COL_TEXT };
    long hint = 0;
    int err, rc = SQLITE_DONE;
    if ((err = apn_table_new(&r->reqs, 5, names, types)) < 0)
        return err;
    if (sqlite3_prepare_v2(h, "SELECT competency, offering, requirement_id, prefix, via "
                              "FROM v_offering_requirement WHERE requirement_id IS NOT NULL AND prefix IS NOT NULL "
                              "ORDER BY competency, offering, prefix, requirement_id", -1, &st, NULL) != SQLITE_OK)
        return apn_db__fail(r->db, r->d, sqlite3_errcode(h));
    while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        long c = comp_find(r, (const char *)sqlite3_column_text(st, 0), &hint);
        int o = off_index((const char *)sqlite3_column_text(st, 1));
        if (c < 0 || o < 0 || !r->shown[c * NOFF + o])
            continue;
        if ((err = apn_table_add_row(r->reqs)) < 0)
            break;
        for (int k = 0; k < 5 && !err; k++)
            err = apn_table_set_text(r->reqs, (size_t)k, (const char *)sqlite3_column_text(st, k));
    }
    if (!err && rc != SQLITE_DONE && rc != SQLITE_ROW)
        err = apn_db__fail(r->db, r->d, rc);
    sqlite3_finalize(st);
    return err;
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

/* ==== HTML tables ==== */

static void html_cell_text(apn_buf *b, const char *s, int partial)
{
    apn_html_escape(b, s);
    if (partial)
        apn_buf_puts(b, " <span class=\"partial\" title=\"partial checklist\">*</span>");
}

/* A sortable table; ca/cb/co as in stream_listing (the trailing partial
 * column itself is not shown: the mark is). Rows carry data-offering for the page's filter. */
static void html_table(rep *r, apn_buf *b, const char *id, const char *caption, const apn_table *t,
                       int ca, int cb, int co)
{
    size_t nc = apn_table_ncols(t);
    if (ca >= 0)
        nc--;   /* skip the trailing partial column */
    apn_buf_printf(b, "<table class=\"sortable\" id=\"%s\"><caption>", id);
    apn_html_escape(b, caption);
    apn_buf_printf(b, " <span class=\"count\">(%zu rows)</span></caption>\n<thead><tr>", apn_table_nrows(t));
    for (size_t c = 0; c < nc; c++) {
        apn_coltype ty = apn_table_coltype(t, c);
        apn_buf_printf(b, "<th data-type=\"%s\">", ty == APN_COL_TEXT ? "text" : "num");
        apn_html_escape(b, apn_table_colname(t, c));
        apn_buf_puts(b, "</th>");
    }
    apn_buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < apn_table_nrows(t); i++) {
        apn_buf_puts(b, "<tr");
        if (co >= 0) {
            apn_buf_puts(b, " data-offering=\"");
            apn_html_escape(b, apn_table_text(t, i, (size_t)co));
            apn_buf_putc(b, '"');
        }
        apn_buf_putc(b, '>');
        const char *off = co >= 0 ? apn_table_text(t, i, (size_t)co) : NULL;
        for (size_t c = 0; c < nc; c++) {
            apn_coltype ty = apn_table_coltype(t, c);
            apn_buf_puts(b, ty == APN_COL_TEXT ? "<td>" : "<td class=\"num\">");
            if (apn_table_is_null(t, i, c))
                ;
            else if (ty == APN_COL_TEXT)
                html_cell_text(b, apn_table_text(t, i, c),
                               ((int)c == ca || (int)c == cb) && is_partial(r, apn_table_text(t, i, c), off));
            else if (ty == APN_COL_REAL)
                apn_buf_printf(b, "%.4f", apn_table_real(t, i, c));
            else if (ty == APN_COL_BOOL)
                apn_buf_puts(b, apn_table_int(t, i, c) ? "true" : "false");
            else
                apn_buf_printf(b, "%lld", apn_table_int(t, i, c));
            apn_buf_puts(b, "</td>");
        }
        apn_buf_puts(b, "</tr>\n");
    }
    apn_buf_puts(b, "</tbody></table>\n");
}

/* ==== charts ==== */

typedef struct pcount {
    const char *prefix;
    long n;        /* requirements with this prefix, all competencies of the offering */
    long reach;    /* competencies drawing from it */
} pcount;

static int cmp_pcount(const void *a, const void *b)
{
    const pcount *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->prefix, y->prefix);
}

/* apn_arena_printf that remembers a failure in r->oom (checked once by charts),
 * and gives "" instead of NULL meanwhile */
static const char *aprintf(rep *r, apn_arena *a, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static const char *aprintf(rep *r, apn_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? apn_arena_alloc(a, (size_t)n + 1) : NULL;
    if (!s) {
        r->oom = 1;
        return "";
    }
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* Above the limit, what the charts of offering o leave out (NULL: nothing). */
static const char *limit_note(rep *r, apn_arena *a, int o)
{
    if (!r->limited[o])
        return NULL;
    return aprintf(r, a, "top %zu of %zu competencies by requirement count; every one is in the CSV and JSON files",
                   r->top, r->npresent[o]);
}

/* label = name, plus " *" for a partial checklist (owned strings in arena) */
static const char *label_for(rep *r, apn_arena *a, size_t c, int o)
{
    return r->partial[c * NOFF + o] ? aprintf(r, a, "%s *", comp_name(r, c)) : comp_name(r, c);
}

static void figure(rep *r, int o, const char *base, const char *alt, const char *caption)
{
    apn_buf *b = &r->charts_html;
    apn_buf_printf(b, "<figure class=\"chart\" data-offering=\"%s\" data-chart=\"%s\">"
                      "<img alt=\"", o >= 0 ? offerings[o] : "", base);
    apn_html_escape(b, alt);
    apn_buf_printf(b, "\" src=\"@@SVG:%s@@\"><figcaption>", base);
    apn_html_escape(b, caption);
    apn_buf_printf(b, " <a href=\"%s.svg\">SVG</a> <a href=\"%s.png\">PNG</a></figcaption></figure>\n",
                   base, base);
}

/* Heat map of one offering: colour = Jaccard, number = shared requirements,
 * diagonal = total. Rows in the bar chart's order. */
static int heatmap_for(rep *r, apn_buf *script, apn_arena *a, int o, const crow *rows, size_t nrow,
                       const long *rowpos, const char **rlabels, const char *foot)
{
    const char *off = offerings[o];
    char base[64];
    double *cv = apn_arena_alloc(a, (nrow * nrow + 1) * sizeof *cv);
    double *lv = apn_arena_alloc(a, (nrow * nrow + 1) * sizeof *lv);
    if (!cv || !lv)
        return APN_ENOMEM;
    for (size_t i = 0; i < nrow; i++)
        for (size_t j = 0; j < nrow; j++) {
            cv[i * nrow + j] = i == j ? 1.0 : 0.0;
            lv[i * nrow + j] = i == j ? (double)rows[i].total : 0.0;
        }
    for (size_t i = 0; i < apn_table_nrows(r->overlap); i++) {
        if (strcmp(apn_table_text(r->overlap, i, 0), off))
            continue;
        long ca = comp_index(r, apn_table_text(r->overlap, i, 1));
        long cb = comp_index(r, apn_table_text(r->overlap, i, 2));
        if (ca < 0 || cb < 0 || rowpos[ca] < 0 || rowpos[cb] < 0)
            continue;
        size_t x = (size_t)rowpos[ca], y = (size_t)rowpos[cb];
        cv[x * nrow + y] = cv[y * nrow + x] = apn_table_real(r->overlap, i, 5);
        lv[x * nrow + y] = lv[y * nrow + x] = (double)apn_table_int(r->overlap, i, 3);
    }
    snprintf(base, sizeof base, "overlap-%s", off);
    const char *t = aprintf(r, a, "Shared requirements: %s", off);
    apn_chart_heatmap_add(script, chart_base(r, base), t, "Jaccard", foot, nrow, rlabels, cv, lv);
    figure(r, o, base, t, aprintf(r, a, "%s: shared requirements of each pair (number), coloured "
                                              "by Jaccard similarity; the diagonal is the total.", off));

    return 0;
}

/* Stacked bars, heat map and hardest chart of one offering; returns 0 or ENOMEM */
static int charts_for(rep *r, apn_buf *script, apn_arena *a, int o, pcount *allp, size_t *nallp)
{
    const char *off = offerings[o];
    size_t nrow = 0, np = 0;
    int err;
    crow *rows = apn_arena_alloc(a, (r->ncomp + 1) * sizeof *rows);
    long *rowpos = apn_arena_alloc(a, (r->ncomp + 1) * sizeof *rowpos);
    pcount *pc = apn_arena_alloc(a, (apn_table_nrows(r->stats) + 1) * sizeof *pc);
    if (!rows || !rowpos || !pc)
        return APN_ENOMEM;
    for (size_t c = 0; c < r->ncomp; c++)
        if (r->shown[c * NOFF + o] && r->total[c * NOFF + o] > 0)
            rows[nrow++] = (crow){ c, r->total[c * NOFF + o] };
    if (!nrow)
        return 0;
    qsort(rows, nrow, sizeof *rows, cmp_crow);
    for (size_t c = 0; c <= r->ncomp; c++)
        rowpos[c] = -1;
    for (size_t i = 0; i < nrow; i++)
        rowpos[rows[i].comp] = (long)i;

    /* prefixes of the shown competencies, by size: they get the colours */
    for (size_t i = 0; i < apn_table_nrows(r->stats); i++) {
        if (strcmp(apn_table_text(r->stats, i, 1), off))
            continue;
        const char *p = apn_table_text(r->stats, i, 2);
        size_t k = 0;
        while (k < np && strcmp(pc[k].prefix, p))
            k++;
        if (k == np)
            pc[np++] = (pcount){ p, 0, 0 };
        pc[k].n += apn_table_int(r->stats, i, 3);
        pc[k].reach++;
    }
    qsort(pc, np, sizeof *pc, cmp_pcount);
    /* prefixes across offerings for the reach chart: every competency, shown or not */
    for (size_t i = 0; i < apn_table_nrows(r->pagg); i++) {
        if (strcmp(apn_table_text(r->pagg, i, 0), off))
            continue;
        const char *p = apn_table_text(r->pagg, i, 1);
        size_t j = 0;
        while (j < *nallp && strcmp(allp[j].prefix, p))
            j++;
        if (j == *nallp)
            allp[(*nallp)++] = (pcount){ p, 0, 0 };
        allp[j].n += (long)apn_table_int(r->pagg, i, 2);
    }

    /* series: the biggest prefixes get a colour each; past the palette, the
     * rest share one "other (n prefixes)" bar segment */
    size_t ns = np <= APN_CHART_NCOLORS ? np : APN_CHART_NCOLORS;
    size_t nseries = ns + (np > ns);
    const char **slabels = apn_arena_alloc(a, (nseries + 1) * sizeof *slabels);
    const char **colors = apn_arena_alloc(a, (nseries + 1) * sizeof *colors);
    const char **rlabels = apn_arena_alloc(a, (nrow + 1) * sizeof *rlabels);
    double *v = apn_arena_alloc(a, (nrow * nseries + 1) * sizeof *v);
    if (!slabels || !colors || !rlabels || !v)
        return APN_ENOMEM;
    memset(v, 0, (nrow * nseries + 1) * sizeof *v);
    for (size_t s = 0; s < ns; s++) {
        slabels[s] = pc[s].prefix;
        colors[s] = apn_chart_colors[s];
    }
    if (np > ns) {
        slabels[ns] = aprintf(r, a, "other (%zu prefixes)", np - ns);
        colors[ns] = apn_chart_other_color;
    }
    for (size_t i = 0; i < nrow; i++)
        rlabels[i] = label_for(r, a, rows[i].comp, o);
    for (size_t i = 0; i < apn_table_nrows(r->stats); i++) {
        if (strcmp(apn_table_text(r->stats, i, 1), off))
            continue;
        long c = comp_index(r, apn_table_text(r->stats, i, 0));
        if (c < 0 || rowpos[c] < 0)
            continue;
        const char *p = apn_table_text(r->stats, i, 2);
        size_t s = 0;
        while (s < ns && strcmp(slabels[s], p))
            s++;
        v[(size_t)rowpos[c] * nseries + (s < ns ? s : ns)] += (double)apn_table_int(r->stats, i, 3);
    }
    int iam = o == 2 && !r->services_iam;
    const char *foot = r->any_partial[o] ? partial_note : NULL;
    if (iam)
        foot = aprintf(r, a, "%s%sNo services checklist here has IAM requirements: the recovered common "
                                   "blocks carry none.", foot ? foot : "", foot ? "\n" : "");
    const char *lim = limit_note(r, a, o);
    if (lim)
        foot = aprintf(r, a, "%s%s%s", foot ? foot : "", foot ? "\n" : "", lim);
    const char *pfoot = r->any_partial[o] ? partial_note : NULL;   /* heat map, hardest */
    if (lim)
        pfoot = aprintf(r, a, "%s%s%s", pfoot ? pfoot : "", pfoot ? "\n" : "", lim);
    char base[64];
    snprintf(base, sizeof base, "bars-%s", off);
    apn_chart_bars bars = {
        aprintf(r, a, "Requirements per competency by ID prefix: %s", off),
        "requirements", "prefix", foot, 0, nrow, nseries, rlabels, slabels, colors, v };
    apn_chart_bars_add(script, chart_base(r, base), &bars);
    figure(r, o, base, bars.title, aprintf(r, a, "%s: requirements per competency, stacked by ID prefix, "
                                                       "sorted by total.", off));
    if (iam) {
        apn_buf_puts(&r->charts_html, "<p class=\"note\" data-offering=\"services\">");
        apn_html_escape(&r->charts_html, iam_note);
        apn_buf_puts(&r->charts_html, "</p>\n");
    }

    if (nrow >= 2 && (err = heatmap_for(r, script, a, o, rows, nrow, rowpos, rlabels, pfoot)) < 0)
        return err;

    /* hardest: own requirements vs those only the prerequisites add */
    size_t nh = 0;
    const char **hl = apn_arena_alloc(a, (nrow + 1) * sizeof *hl);
    double *hv = apn_arena_alloc(a, (2 * nrow + 2) * sizeof *hv);
    if (!hl || !hv)
        return APN_ENOMEM;
    for (size_t i = 0; i < apn_table_nrows(r->hardest) && nh < nrow; i++) {
        if (strcmp(apn_table_text(r->hardest, i, 2), off))
            continue;
        long c = comp_index(r, apn_table_text(r->hardest, i, 1));
        if (c < 0)
            continue;
        hl[nh] = label_for(r, a, (size_t)c, o);
        hv[2 * nh] = (double)apn_table_int(r->hardest, i, 4);
        hv[2 * nh + 1] = (double)apn_table_int(r->hardest, i, 5);
        nh++;
    }
    static const char *const hs[2] = { "own checklist", "via prerequisites" };
    static const char *const hc[2] = { "#1f5fbf", "#f28e2b" };
    snprintf(base, sizeof base, "hardest-%s", off);
    apn_chart_bars hard = { aprintf(r, a, "Hardest competencies: %s", off), "requirements", NULL,
                            pfoot, 0, nh, 2, hl, hs, hc, hv };
    apn_chart_bars_add(script, chart_base(r, base), &hard);
    figure(r, o, base, hard.title, aprintf(r, a, "%s: requirements of the competency's own checklist "
                                                       "and those its prerequisites (FTR, other competencies) add.", off));
    return 0;
}

/* Prefix reach: competencies per prefix, one bar per offering. */
static int reach_chart(rep *r, apn_buf *script, apn_arena *a, pcount *allp, size_t nallp)
{
    int oo[NOFF], no = 0;
    for (int o = 0; o < NOFF; o++)
        for (size_t c = 0; c < r->ncomp; c++)
            if (r->total[c * NOFF + o] > 0) {
                oo[no++] = o;
                break;
            }
    if (!nallp || !no)
        return 0;
    double *v = apn_arena_alloc(a, (nallp * (size_t)no + 1) * sizeof *v);
    const char **pl = apn_arena_alloc(a, (nallp + 1) * sizeof *pl);
    const char *sl[NOFF], *col[NOFF];
    if (!v || !pl)
        return APN_ENOMEM;
    memset(v, 0, (nallp * (size_t)no + 1) * sizeof *v);
    for (size_t i = 0; i < apn_table_nrows(r->pagg); i++) {
        int o = off_index(apn_table_text(r->pagg, i, 0));
        int s = 0;
        while (s < no && oo[s] != o)
            s++;
        size_t k = 0;
        while (k < nallp && strcmp(allp[k].prefix, apn_table_text(r->pagg, i, 1)))
            k++;
        if (s < no && k < nallp)
            v[k * (size_t)no + (size_t)s] = (double)apn_table_int(r->pagg, i, 3);
    }
    for (size_t k = 0; k < nallp; k++) {   /* sort key: widest reach first */
        allp[k].reach = 0;
        for (int s = 0; s < no; s++)
            if (v[k * (size_t)no + (size_t)s] > (double)allp[k].reach)
                allp[k].reach = (long)v[k * (size_t)no + (size_t)s];
    }
    /* order prefixes by reach (then name) and permute the values to match */
    size_t *ord = apn_arena_alloc(a, (nallp + 1) * sizeof *ord);
    double *sv = apn_arena_alloc(a, (nallp * (size_t)no + 1) * sizeof *sv);
    if (!ord || !sv)
        return APN_ENOMEM;
    for (size_t k = 0; k < nallp; k++)
        ord[k] = k;
    for (size_t i = 1; i < nallp; i++)   /* insertion sort: a few dozen prefixes, hundreds at most */
        for (size_t j = i; j > 0; j--) {
            const pcount *x = &allp[ord[j - 1]], *y = &allp[ord[j]];
            if (x->reach > y->reach || (x->reach == y->reach && strcmp(x->prefix, y->prefix) <= 0))
                break;
            size_t t = ord[j]; ord[j] = ord[j - 1]; ord[j - 1] = t;
        }
    for (size_t k = 0; k < nallp; k++) {
        pl[k] = allp[ord[k]].prefix;
        for (int s = 0; s < no; s++)
            sv[k * (size_t)no + (size_t)s] = v[ord[k] * (size_t)no + (size_t)s];
    }
    for (int s = 0; s < no; s++) {
        sl[s] = offerings[oo[s]];
        col[s] = apn_chart_colors[s];
    }
    int anyp = r->any_partial[0] || r->any_partial[1] || r->any_partial[2];
    const char *foot = anyp ? "* the counts include partial checklists (only some of their requirements are known)"
                            : NULL;
    size_t nshow = nallp;
    if (nallp > REACH_MAX) {   /* one bar group a prefix: keep the chart drawable */
        nshow = REACH_MAX;
        foot = aprintf(r, a, "%s%sthe %d prefixes with the widest reach of %zu; every prefix is in stats.csv",
                       foot ? foot : "", foot ? "\n" : "", REACH_MAX, nallp);
    }
    apn_chart_bars ch = { "Prefix reach: competencies drawing from each ID prefix", "competencies", "offering",
                          foot, 1, nshow, (size_t)no, pl, sl, col, sv };
    apn_chart_bars_add(script, chart_base(r, "reach"), &ch);
    figure(r, -1, "reach", ch.title, "For each requirement ID prefix, how many competencies have at least "
                                     "one requirement with it, per offering.");
    return 0;
}

static int charts(rep *r)
{
    /* two scripts for two gnuplots on two cores: saas and customer-deployed in
     * one, services and the reach chart in the other (about equal work) */
    apn_buf script = APN_BUF_INIT, script2 = APN_BUF_INIT;
    apn_arena a = APN_ARENA_INIT;
    int err = 0;
    size_t nallp = 0;
    pcount *allp = apn_arena_alloc(&a, (apn_table_nrows(r->pagg) + 1) * sizeof *allp);
    if (!allp) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    for (int o = 0; o < NOFF; o++)
        if ((err = charts_for(r, o < 2 ? &script : &script2, &a, o, allp, &nallp)) < 0)
            goto cleanup;
    if ((err = reach_chart(r, &script2, &a, allp, nallp)) < 0)
        goto cleanup;
    if (script.oom || script2.oom || r->charts_html.oom || r->oom || r->path.oom) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    const apn_buf *const both[2] = { &script, &script2 };
    if ((err = apn_chart_run_all(r->o ? r->o->gnuplot : NULL, both, 2, r->d)) < 0)
        goto cleanup;
cleanup:
    apn_buf_dispose(&script);
    apn_buf_dispose(&script2);
    apn_arena_dispose(&a);
    return err;
}

/* Replaces each @@SVG:base@@ of the chart HTML by a data: URI of base.svg (as
 * gnuplot wrote it into the stage). */
static int inline_svgs(rep *r, apn_buf *out, const char *html)
{
    const char *p = html, *m;
    while ((m = strstr(p, "@@SVG:"))) {
        const char *e = strstr(m + 6, "@@");
        if (!e)
            break;
        apn_buf_put(out, p, (size_t)(m - p));
        char base[64], name[80];
        snprintf(base, sizeof base, "%.*s", (int)(e - m - 6), m + 6);
        snprintf(name, sizeof name, "%s.svg", base);
        char *data = NULL;
        size_t len = 0;
        const char *path = apn_io_stage_path(r->stage, name);
        if (!path)
            return APN_ENOMEM;
        int err = apn_io_read_file(&data, &len, path, 64u << 20);
        if (err == APN_ENOMEM)
            return err;
        if (err < 0) {
            apn_diags_add(r->d, APN_SEV_ERROR, path_of(r, name), "", "gnuplot did not write this chart");
            return APN_EIO;
        }
        apn_buf_puts(out, "data:image/svg+xml;base64,");
        apn_html_base64(out, data, len);
        apn_free(data);
        p = e + 2;
    }
    apn_buf_puts(out, p);
    return out->oom ? APN_ENOMEM : 0;
}

/* ==== graph data ==== */

static json_t *jstr(const char *s) { return json_string(s ? s : ""); }

static int graph_json(rep *r, char **out)
{
    int err = APN_ENOMEM;
    json_t *root = json_object(), *comps = json_array(), *ckl = json_object(), *pre = json_array(),
           *reqs = json_object(), *titles = json_object(), *offs = json_array(), *used = json_object();
    json_t **jo_of = apn_calloc(r->ncomp + 1, sizeof *jo_of);   /* borrowed: offerings of each competency */
    *out = NULL;
    if (!root || !comps || !ckl || !pre || !reqs || !titles || !offs || !used || !jo_of)
        goto cleanup;
    int best = -1;
    long bestn = 0;
    for (int o = 0; o < NOFF; o++) {
        long n = 0;
        for (size_t c = 0; c < r->ncomp; c++)
            n += r->present[c * NOFF + o];
        if (n)
            json_array_append_new(offs, json_string(offerings[o]));
        if (n > bestn) {
            best = o;
            bestn = n;
        }
    }
    json_object_set_new(root, "default_offering", json_string(best >= 0 ? offerings[best] : ""));
    /* above the limit, the graph holds the shown competencies only */
    for (size_t c = 0; c < r->ncomp; c++) {
        if (r->any_limited && !r->shown[c * NOFF] && !r->shown[c * NOFF + 1] && !r->shown[c * NOFF + 2])
            continue;
        json_t *jc = json_object(), *jo = json_object();
        if (!jc || !jo) {
            json_decref(jc);
            json_decref(jo);
            goto cleanup;
        }
        json_object_set_new(jc, "slug", jstr(apn_table_text(r->comps, c, 0)));
        json_object_set_new(jc, "name", jstr(comp_name(r, c)));
        json_object_set_new(jc, "category", jstr(apn_table_text(r->comps, c, 2)));
        json_object_set_new(jc, "offerings", jo);
        json_array_append_new(comps, jc);
        jo_of[c] = jo;
    }
    for (size_t i = 0; i < apn_table_nrows(r->ocl); i++) {
        long c = comp_index(r, apn_table_text(r->ocl, i, 0));
        int o = off_index(apn_table_text(r->ocl, i, 1));
        if (c < 0 || o < 0 || !jo_of[c] || (r->any_limited && !r->shown[c * NOFF + o]))
            continue;
        json_t *jo = jo_of[c];
        json_t *e = json_pack("{s:s?, s:b, s:s?, s:I}", "checklist", apn_table_text(r->ocl, i, 2),
                              "partial", (int)apn_table_int(r->ocl, i, 3), "validity",
                              apn_table_text(r->ocl, i, 4), "n", (json_int_t)r->total[c * NOFF + o]);
        if (!e || json_object_set_new(jo, offerings[o], e))
            goto cleanup;
    }
    for (size_t i = 0; i < apn_table_nrows(r->prereqs); i++) {
        const char *target = apn_table_text(r->prereqs, i, 2);
        const char *tslug = apn_table_text(r->prereqs, i, 5);
        if (r->any_limited) {
            long c = comp_index(r, apn_table_text(r->prereqs, i, 0));
            int o = off_index(apn_table_text(r->prereqs, i, 1));
            if (c < 0 || o < 0 || !r->shown[c * NOFF + o])
                continue;
        }
        json_t *e = json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}", "competency", apn_table_text(r->prereqs, i, 0),
                              "offering", apn_table_text(r->prereqs, i, 1), "target", target,
                              "target_competency", tslug, "label", apn_table_text(r->prereqs, i, 6),
                              "text", apn_table_text(r->prereqs, i, 7));
        if (!e || json_array_append_new(pre, e))
            goto cleanup;
        if (target && !tslug && !json_object_get(ckl, target)) {
            json_t *k = json_pack("{s:s?, s:s?}", "programme", apn_table_text(r->prereqs, i, 3),
                                  "variant", apn_table_text(r->prereqs, i, 4));
            if (!k || json_object_set_new(ckl, target, k))
                goto cleanup;
        }
    }
    /* reqs[offering][slug] = [[id, prefix, via-or-null], ...] */
    for (size_t i = 0; i < apn_table_nrows(r->reqs); i++) {
        const char *slug = apn_table_text(r->reqs, i, 0), *off = apn_table_text(r->reqs, i, 1);
        const char *via = apn_table_text(r->reqs, i, 4);
        json_t *jo = json_object_get(reqs, off);
        if (!jo) {
            if (!(jo = json_object()) || json_object_set_new(reqs, off, jo))
                goto cleanup;
        }
        json_t *jl = json_object_get(jo, slug);
        if (!jl) {
            if (!(jl = json_array()) || json_object_set_new(jo, slug, jl))
                goto cleanup;
        }
        json_t *e = json_pack("[s?, s?, s?]", apn_table_text(r->reqs, i, 2), apn_table_text(r->reqs, i, 3),
                              via && strcmp(via, "own") ? via : NULL);
        if (!e || json_array_append_new(jl, e))
            goto cleanup;
        if (r->any_limited && json_object_set_new(used, apn_table_text(r->reqs, i, 2), json_true()))
            goto cleanup;
    }
    for (size_t i = 0; i < apn_table_nrows(r->titles); i++) {
        const char *id = apn_table_text(r->titles, i, 0);
        if (r->any_limited && !json_object_get(used, id))
            continue;
        if (json_object_set_new(titles, id, jstr(apn_table_text(r->titles, i, 1))))
            goto cleanup;
    }
    json_object_set_new(root, "offerings", offs);
    json_object_set_new(root, "competencies", comps);
    json_object_set_new(root, "checklists", ckl);
    json_object_set_new(root, "prerequisites", pre);
    json_object_set_new(root, "requirements", reqs);
    json_object_set_new(root, "titles", titles);
    offs = comps = ckl = pre = reqs = titles = NULL;
    *out = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
    err = *out ? 0 : APN_ENOMEM;
cleanup:
    json_decref(root);
    json_decref(offs);
    json_decref(comps);
    json_decref(ckl);
    json_decref(pre);
    json_decref(reqs);
    json_decref(titles);
    json_decref(used);
    apn_free(jo_of);
    return err;
}

/* ==== the page ==== */

static const apn__web_asset *asset(const char *name)
{
    for (const apn__web_asset *w = apn__web_assets; w->name; w++)
        if (!strcmp(w->name, name))
            return w;
    return NULL;
}

/* True when inlining text in a <script> or <style> could end the element early. */
static int unsafe_inline(const char *s, const char *tag)
{
    for (const char *p = strchr(s, '<'); p; p = strchr(p + 1, '<'))
        if (p[1] == '/' && !strncasecmp(p + 2, tag, strlen(tag)))
            return 1;
    return strstr(s, "<!--") != NULL;
}

static int check_assets(rep *r)
{
    static const char *const need[] = { "report.html", "report.css", "report.js" };
    for (size_t i = 0; i < sizeof need / sizeof *need; i++)
        if (!asset(need[i])) {
            apn_diags_add(r->d, APN_SEV_ERROR, "", "", "report template web/%s was not embedded at build time", need[i]);
            return APN_ENOTFOUND;
        }
    const apn__web_asset *cy = asset("cytoscape.min.js");
    if (!cy) {
        apn_diags_add(r->d, APN_SEV_ERROR, "", "",
                      "cytoscape.js was not embedded at build time: run 'npm ci --prefix web' "
                      "(npm from nodejs) and rebuild with make");
        return APN_ENOTFOUND;
    }
    if (unsafe_inline(cy->data, "script") || unsafe_inline(asset("report.js")->data, "script") ||
        unsafe_inline(asset("report.css")->data, "style")) {
        apn_diags_add(r->d, APN_SEV_ERROR, "", "", "an embedded web asset contains '</script', '</style' or '<!--' "
                                                    "and cannot be inlined");
        return APN_EUSAGE;
    }
    return 0;
}

/* Above the limit: which competencies the page shows, in the summary and in
 * the graph section (nothing otherwise). */
static void limit_html(rep *r, apn_buf *b, const char *where)
{
    if (!r->any_limited)
        return;
    apn_buf_printf(b, "<p class=\"note limit\" data-limit=\"%s\">", where);
    if (!strcmp(where, "graph")) {
        apn_buf_printf(b, "The graph shows the top %zu competencies of each offering by requirement count (",
                       r->top);
    } else {
        apn_buf_printf(b, "%zu competencies: the charts, the graph and the tables on this page show the top %zu "
                          "of each offering by requirement count (", r->ncomp, r->top);
    }
    const char *sep = "";
    for (int o = 0; o < NOFF; o++)
        if (r->npresent[o]) {
            apn_buf_printf(b, "%s%s: top %zu of %zu", sep, offerings[o],
                           r->limited[o] ? r->top : r->npresent[o], r->npresent[o]);
            sep = ", ";
        }
    apn_buf_puts(b, !strcmp(where, "graph") ? ").</p>"
                                            : "); the CSV and JSON files next to this page hold every row.</p>\n");
}

static void summary_html(rep *r, apn_buf *b)
{
    size_t nck = apn_table_nrows(r->checklists);
    apn_buf_printf(b, "<p>%zu competencies, %zu checklists (newest releases), %zu requirement IDs in offerings",
                   r->ncomp, nck, apn_table_nrows(r->titles));
    if (apn_table_nrows(r->diags))
        apn_buf_printf(b, ", %zu build diagnostics", apn_table_nrows(r->diags));
    apn_buf_puts(b, ".</p>\n");
    limit_html(r, b, "summary");
    if (r->any_partial[0] || r->any_partial[1] || r->any_partial[2]) {
        apn_buf_puts(b, "<p class=\"note\"><span class=\"partial\">*</span> ");
        apn_html_escape(b, partial_note + 2);
        apn_buf_puts(b, ": such competencies are marked with * in every chart and table (column "
                        "<code>partial</code> in the CSV and JSON files).</p>\n");
    }
}

static int page(rep *r, const char *data_json, const char *charts_html)
{
    const apn__web_asset *tpl = asset("report.html");
    apn_buf b = APN_BUF_INIT, part = APN_BUF_INIT;
    int err = 0;
    const char *p = tpl->data, *m;
    while ((m = strstr(p, "{{"))) {
        const char *e = strstr(m, "}}");
        if (!e)
            break;
        apn_buf_put(&b, p, (size_t)(m - p));
        size_t n = (size_t)(e - m - 2);
        const char *key = m + 2;
#define IS(k) (n == sizeof k - 1 && !strncmp(key, k, n))
        if (IS("css"))
            apn_buf_puts(&b, asset("report.css")->data);
        else if (IS("js"))
            apn_buf_puts(&b, asset("report.js")->data);
        else if (IS("cytoscape"))
            apn_buf_puts(&b, asset("cytoscape.min.js")->data);
        else if (IS("data"))
            apn_html_script_json(&b, data_json);
        else if (IS("version"))
            apn_html_escape(&b, APN_VERSION);
        else if (IS("summary"))
            summary_html(r, &b);
        else if (IS("charts"))
            apn_buf_puts(&b, charts_html);
        else if (IS("limit"))
            limit_html(r, &b, "graph");
        else if (IS("tables")) {
            const char *lim = r->any_limited ? "; shown competencies only" : "";
            apn_buf_clear(&part);
            apn_buf_printf(&part, "Hardest competencies (hardest.csv%s)", lim);
            html_table(r, &b, "t-hardest", apn_buf_cstr(&part), r->hardest, 1, -1, 2);
            apn_buf_clear(&part);
            apn_buf_printf(&part, "Requirements per competency, offering and prefix (stats.csv%s)", lim);
            html_table(r, &b, "t-stats", apn_buf_cstr(&part), r->stats, 0, -1, 1);
            apn_buf_clear(&part);
            apn_buf_printf(&part, "Shared requirements of each pair (overlap.csv%s)", lim);
            html_table(r, &b, "t-overlap", apn_buf_cstr(&part), r->overlap, 1, 2, 0);
            html_table(r, &b, "t-checklists", "Checklists, newest releases (checklists.csv)", r->checklists, -1, -1, -1);
            html_table(r, &b, "t-diagnostics", "Build diagnostics (diagnostics.csv)", r->diags, -1, -1, -1);
        } else
            apn_buf_put(&b, m, (size_t)(e + 2 - m));   /* not ours: keep */
#undef IS
        p = e + 2;
    }
    apn_buf_puts(&b, p);
    if (b.oom) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    err = write_file(r, "index.html", b.ptr, b.len);
cleanup:
    apn_buf_dispose(&b);
    apn_buf_dispose(&part);
    return err;
}

/* ==== entry point ==== */

int apn_report_write(const char *dir, apn_db *db, const apn_report_opts *opts, apn_diags *d)
{
    rep r = { 0 };
    apn_buf charts_html = APN_BUF_INIT;
    char *data = NULL;
    int err = 0;
    r.dir = dir;
    r.db = db;
    r.d = d;
    r.o = opts;
    r.top = opts && opts->top ? opts->top : APN_REPORT_TOP;

    if ((err = check_assets(&r)) < 0)
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
    if ((err = load(&r)) < 0)
        goto cleanup;

    if (r.any_limited)
        apn_diags_add(d, APN_SEV_NOTE, "", "",
                      "report: %zu competencies: the charts, the graph and the page's tables show the top %zu of "
                      "each offering by requirement count; the CSV and JSON files hold every row",
                      r.ncomp, r.top);
    if ((err = stream_listing(&r, &listings[0], &r.stats)) < 0 ||
        (err = stream_listing(&r, &listings[1], &r.overlap)) < 0 ||
        (err = stream_listing(&r, &listings[2], &r.hardest)) < 0 || (err = load_reqs(&r)) < 0)
        goto cleanup;
    if ((err = write_table_files(&r, "checklists", r.checklists)) < 0 ||
        (err = write_table_files(&r, "diagnostics", r.diags)) < 0)
        goto cleanup;

    if (!(opts && opts->no_charts)) {
        if ((err = charts(&r)) < 0)
            goto cleanup;
        if ((err = inline_svgs(&r, &charts_html, apn_buf_cstr(&r.charts_html))) < 0)
            goto cleanup;
    }
    if ((err = graph_json(&r, &data)) < 0)
        goto cleanup;
    if ((err = page(&r, data, apn_buf_cstr(&charts_html))) < 0)
        goto cleanup;
    err = commit(&r);

cleanup:
    if (err == APN_ENOMEM)
        apn_diags_add(d, APN_SEV_ERROR, "", "", "report: out of memory");
    free(data);   /* from jansson's allocator */
    apn_buf_dispose(&charts_html);
    apn_buf_dispose(&r.charts_html);
    apn_buf_dispose(&r.path);
    apn_io_stage_free(r.stage);   /* after a failure: removes every new file */
    apn_table_free(r.comps);
    apn_table_free(r.ocl);
    apn_table_free(r.reqs);
    apn_table_free(r.titles);
    apn_table_free(r.prereqs);
    apn_table_free(r.stats);
    apn_table_free(r.overlap);
    apn_table_free(r.hardest);
    apn_table_free(r.checklists);
    apn_table_free(r.diags);
    apn_table_free(r.pagg);
    apn_free(r.present);
    apn_free(r.shown);
    apn_free(r.partial);
    apn_free(r.total);
    return err;
}
