/* gap — the worklist for target competencies. See <apnmap/gap.h>. */
#include <apnmap/gap.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbint.h"
#include "gap_xlsx.h"
#include "read/met.h"
#include "util/alloc.h"
#include "util/io.h"
#include "util/map.h"

static const char *const OFFERINGS[] = { "saas", "customer-deployed", "services" };   /* APN_OFFER_BIT order */

enum { C_COMP, C_OFFER, C_ID, C_SECTION, C_TITLE, C_STATUS, C_MET, C_SOURCE, C_RESPONSE, NCOLS };
enum { S_COMP, S_OFFER, S_TOTAL, S_MET, S_REUSED, S_NEW, S_EVIDENCE, NSUM };

struct apn_gap {
    apn_table *rows, *summary;
};

void apn_gap_free(apn_gap *g)
{
    if (!g)
        return;
    apn_table_free(g->rows);
    apn_table_free(g->summary);
    apn_free(g);
}

const apn_table *apn_gap_table(const apn_gap *g) { return g->rows; }
const apn_table *apn_gap_summary(const apn_gap *g) { return g->summary; }

/* The run's state: the answers, and which competency first carries each ID. */
typedef struct run {
    apn_db *db;
    apn_diags *d;
    const char *offering;
    unsigned mask;            /* the offering's APN_OFFER_* bit */
    apn_met_set met;
    apn_arena ar;
    apn_map carried;          /* requirement ID -> index into by[] */
    const char **by;          /* the slug that first carried it */
    size_t nby, capby;
    apn_gap *g;
} run;

static int carry(run *r, const char *id, const char *slug)
{
    size_t k;
    if (apn_map_get(&r->carried, id, &k))
        return 0;
    const char *ks = apn_arena_strdup(&r->ar, id);
    if (!ks || apn_grow(&r->by, &r->capby, r->nby + 1, sizeof *r->by) < 0 ||
        apn_map_put(&r->carried, ks, r->nby) < 0)
        return APN_ENOMEM;
    r->by[r->nby++] = slug;
    return 0;
}

static const char ROWS_SQL[] =
    "SELECT o.requirement_id, cr.section, COALESCE(cr.title, r.title), o.customer_example "
    "FROM offering_requirement o "
    "JOIN competency c ON c.id = o.competency_id "
    "JOIN requirement r ON r.id = o.requirement_id "
    "LEFT JOIN checklist_requirement cr ON cr.checklist_id = o.checklist_id "
    "  AND cr.requirement_id = o.requirement_id "
    "WHERE c.slug = ?1 AND o.offering = ?2 "
    "ORDER BY o.via_checklist_id IS NOT NULL, o.via_checklist_id, cr.ord, o.requirement_id";

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

/* "file: Sheet!C7" for an answer, in the run's arena. */
static const char *answer_source(run *r, const apn_met_answer *a)
{
    const char *path = r->met.sources[a->source].path;
    size_t n = strlen(path) + strlen(a->locus) + 3;
    char *s = apn_arena_alloc(&r->ar, n);
    if (s)
        snprintf(s, n, "%s%s%s", path, *a->locus ? ": " : "", a->locus);
    return s;
}

/* The held competency's requirements count as carried (reused). */
static int hold(run *r, const char *slug)
{
    sqlite3_stmt *st = NULL;
    sqlite3 *h = apn_db__handle(r->db);
    int rc = sqlite3_prepare_v2(h, ROWS_SQL, -1, &st, NULL), err = 0;
    size_t n = 0;
    if (rc != SQLITE_OK)
        return apn_db__fail(r->db, r->d, rc);
    sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->offering, -1, SQLITE_STATIC);
    while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!sqlite3_column_int(st, 3))
            err = carry(r, col_text(st, 0), slug);
        n++;
    }
    if (!err && rc != SQLITE_DONE)
        err = apn_db__fail(r->db, r->d, rc);
    sqlite3_finalize(st);
    if (!err && !n)
        apn_diags_add(r->d, APN_SEV_NOTE, "", "", "--have %s: it has no checklist on the %s offering, "
                      "it adds nothing", slug, r->offering);
    return err;
}

static int set_text(apn_table *t, size_t col, const char *s)
{
    return apn_table_set_text(t, col, s);
}

/* One target's rows and its summary row. */
static int target(run *r, const char *slug)
{
    sqlite3_stmt *st = NULL;
    sqlite3 *h = apn_db__handle(r->db);
    apn_table *t = r->g->rows;
    long long cnt[4] = { 0 };   /* met, reused, new, evidence */
    int rc = sqlite3_prepare_v2(h, ROWS_SQL, -1, &st, NULL), err = 0;
    if (rc != SQLITE_OK)
        return apn_db__fail(r->db, r->d, rc);
    sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->offering, -1, SQLITE_STATIC);
    size_t n0 = apn_table_nrows(t);
    while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = col_text(st, 0);
        int ce = sqlite3_column_int(st, 3);
        const apn_met_answer *a = apn_met_lookup(&r->met, id, r->mask);
        const char *status, *source = NULL;
        size_t k;
        int kind;
        if (apn_met_done(a))
            kind = 0, status = "met";
        else if (!ce && apn_map_get(&r->carried, id, &k) && strcmp(r->by[k], slug))
            kind = 1, status = "reused", source = r->by[k];
        else
            kind = ce ? 3 : 2, status = ce ? "evidence" : "new";
        if (a && kind != 1 && !(source = answer_source(r, a)))
            err = APN_ENOMEM;
        cnt[kind]++;
        if (err || (err = apn_table_add_row(t)) < 0 || (err = set_text(t, C_COMP, slug)) < 0 ||
            (err = set_text(t, C_OFFER, r->offering)) < 0 || (err = set_text(t, C_ID, id)) < 0 ||
            (err = set_text(t, C_SECTION, col_text(st, 1))) < 0 ||
            (err = set_text(t, C_TITLE, col_text(st, 2))) < 0 ||
            (err = set_text(t, C_STATUS, status)) < 0 ||
            (err = set_text(t, C_MET, a && kind != 1 ? apn_met_name(a->met) : NULL)) < 0 ||
            (err = set_text(t, C_SOURCE, source)) < 0 ||
            (err = set_text(t, C_RESPONSE, a && kind != 1 ? a->response : NULL)) < 0)
            break;
        if (!ce)
            err = carry(r, id, slug);
    }
    if (!err && rc != SQLITE_DONE && rc != SQLITE_ROW)
        err = apn_db__fail(r->db, r->d, rc);
    sqlite3_finalize(st);
    if (err)
        return err;
    if (apn_table_nrows(t) == n0) {
        apn_diags_add(r->d, APN_SEV_ERROR, "", "", "%s has no checklist on the %s offering", slug,
                      r->offering);
        return APN_ENOTFOUND;
    }
    apn_table *s = r->g->summary;
    if ((err = apn_table_add_row(s)) < 0 || (err = set_text(s, S_COMP, slug)) < 0 ||
        (err = set_text(s, S_OFFER, r->offering)) < 0 ||
        (err = apn_table_set_int(s, S_TOTAL, (long long)(apn_table_nrows(t) - n0))) < 0)
        return err;
    for (int i = 0; i < 4 && !err; i++)
        err = apn_table_set_int(s, S_MET + (size_t)i, cnt[i]);
    return err;
}

/* The offering: the one given, else the one every answer file answers, else services. */
static int pick_offering(run *r, const char *given)
{
    unsigned bits = 0;
    for (size_t i = 0; i < r->met.nsources; i++)
        bits |= r->met.sources[i].offerings;
    size_t pick = 2;
    if (given) {
        for (pick = 0; pick < 3 && strcmp(OFFERINGS[pick], given); pick++)
            ;
        if (pick == 3) {
            apn_diags_add(r->d, APN_SEV_ERROR, "", "", "unknown offering '%s' (saas, customer-deployed or "
                          "services)", given);
            return APN_EUSAGE;
        }
    } else if (bits && !(bits & (bits - 1))) {
        for (pick = 0; !(bits & APN_OFFER_BIT(pick)); pick++)
            ;
        apn_diags_add(r->d, APN_SEV_NOTE, "", "", "the --met answers are on the %s offering: the "
                      "worklist is for it (--offering to choose another)", OFFERINGS[pick]);
    }
    r->offering = OFFERINGS[pick];
    r->mask = APN_OFFER_BIT(pick);
    if (r->met.nsources && !(bits & r->mask))
        apn_diags_add(r->d, APN_SEV_WARNING, "", "", "no --met file answers the %s offering: its "
                      "answers count nowhere here", r->offering);
    return 0;
}

/* Resolves names to owned slugs (in the arena), each once. */
static int resolve(const char ***out, size_t *n, run *r, const char *const *names, size_t nn)
{
    const char **v = nn ? apn_arena_alloc(&r->ar, nn * sizeof *v) : NULL;
    int err = 0;
    *n = 0;
    if (nn && !v)
        return APN_ENOMEM;
    for (size_t i = 0; i < nn && !err; i++) {
        char *slug = NULL;
        if ((err = apn_db_competency(&slug, r->db, names[i], r->d)) < 0)
            break;
        int dup = 0;
        for (size_t j = 0; j < *n; j++)
            dup |= !strcmp(v[j], slug);
        if (!dup && !(v[(*n)++] = apn_arena_strdup(&r->ar, slug)))
            err = APN_ENOMEM;
        apn_free(slug);
    }
    *out = v;
    return err;
}

int apn_gap_run(apn_gap **out, apn_db *db, const apn_gap_opts *o, apn_diags *d)
{
    static const char *const names[NCOLS] = { "competency", "offering", "requirement_id", "section",
                                              "title", "status", "met", "source", "response" };
    static const apn_coltype types[NCOLS] = { APN_COL_TEXT, APN_COL_TEXT, APN_COL_TEXT, APN_COL_TEXT,
                                              APN_COL_TEXT, APN_COL_TEXT, APN_COL_TEXT, APN_COL_TEXT,
                                              APN_COL_TEXT };
    static const char *const snames[NSUM] = { "competency", "offering", "total", "met", "reused", "new",
                                              "evidence" };
    static const apn_coltype stypes[NSUM] = { APN_COL_TEXT, APN_COL_TEXT, APN_COL_INT, APN_COL_INT,
                                              APN_COL_INT, APN_COL_INT, APN_COL_INT };
    run r = { .db = db, .d = d };
    const char **tv = NULL, **hv = NULL;
    size_t nt = 0, nh = 0;
    int err = 0;
    *out = NULL;
    apn_met_init(&r.met);
    if (!o->ntargets) {
        apn_diags_add(d, APN_SEV_ERROR, "", "", "no target competency");
        err = APN_EUSAGE;
        goto cleanup;
    }
    if (!(r.g = apn_calloc(1, sizeof *r.g)) || apn_table_new(&r.g->rows, NCOLS, names, types) < 0 ||
        apn_table_new(&r.g->summary, NSUM, snames, stypes) < 0) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < o->nmets; i++) {
        int e = apn_met_read(&r.met, o->mets[i], d);
        if (e == APN_ENOMEM) {
            err = e;
            goto cleanup;
        }
        err = err ? err : e;   /* every file is read and judged before the run stops */
    }
    if (err < 0 || (err = pick_offering(&r, o->offering)) < 0 ||
        (err = resolve(&tv, &nt, &r, o->targets, o->ntargets)) < 0 ||
        (err = resolve(&hv, &nh, &r, o->have, o->nhave)) < 0)
        goto cleanup;
    apn_met_conflicts(&r.met, r.mask, d);
    for (size_t i = 0; i < nh && !err; i++)
        err = hold(&r, hv[i]);
    for (size_t i = 0; i < nt && !err; i++)
        err = target(&r, tv[i]);
    if (err < 0)
        goto cleanup;
    *out = r.g;
    r.g = NULL;
cleanup:
    apn_gap_free(r.g);
    apn_free(r.by);
    apn_map_dispose(&r.carried);
    apn_arena_dispose(&r.ar);
    apn_met_dispose(&r.met);
    return err;
}

int apn_gap_write_file(const apn_gap *g, const char *path, apn_gap_format fmt, apn_diags *d)
{
    if (fmt == APN_GAP_XLSX)
        return apn_gap__xlsx(g->rows, g->summary, path, d);
    char *mem = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&mem, &len);
    if (!f)
        return APN_ENOMEM;
    int err = apn_table_write(g->rows, f, fmt == APN_GAP_CSV ? APN_FMT_CSV
                                           : fmt == APN_GAP_JSON ? APN_FMT_JSON : APN_FMT_TABLE);
    if (fclose(f) != 0 && !err)
        err = APN_ENOMEM;
    if (!err && (err = apn_io_write_atomic(path, mem, len)) < 0)
        apn_diags_add(d, APN_SEV_ERROR, path, "", "not written: %s", strerror(errno));
    free(mem);   /* open_memstream's buffer comes from the C library */
    return err;
}
