/* report_load — what the report shows, read from the database within bounds.
 * See report_load.h.
 *
 * Sections: helpers; choosing the shown competencies (one pass over every
 * competency, keeping the top N of each offering); their details (one query
 * each, restricted to their ids); reach; the small tables.
 *
 * Only the shown competencies (at most N per offering) are held, so memory
 * does not grow with the database: the passes over everything (the choice, the
 * requirement shares, the reach) stream rows from SQLite and keep aggregates.
 * Every text from the database may be NULL in a hostile file: such rows are
 * skipped or the text shown as "".
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "dbint.h"
#include "report_charts.h"
#include "report_load.h"

const char *const apn_report__offerings[REP_NOFF] = { "saas", "customer-deployed", "services" };

/* ==== helpers ==== */

int apn_report__off_index(const char *o)
{
    for (int i = 0; i < REP_NOFF; i++)
        if (o && !strcmp(o, apn_report__offerings[i]))
            return i;
    return -1;
}

long apn_report__comp_index(const rep *r, const char *slug)
{
    size_t v;
    return slug && apn_map_get(&r->by_slug, slug, &v) ? (long)v : -1;
}

int apn_report__is_specific(const rep *r, int off, long share)
{
    return (double)share <= REP_SPECIFIC_SHARE * (double)r->npresent[off];
}

const char *apn_report__printf(rep *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? apn_arena_alloc(&r->a, (size_t)n + 1) : NULL;
    if (!s) {
        r->oom = 1;
        return "";
    }
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* an arena copy of s; NULL stays NULL */
static const char *keep(rep *r, const unsigned char *s)
{
    if (!s)
        return NULL;
    char *c = apn_arena_strdup(&r->a, (const char *)s);
    if (!c)
        r->oom = 1;
    return c;
}

static const char *keep_or_empty(rep *r, const unsigned char *s)
{
    const char *c = keep(r, s);
    return c ? c : "";
}

typedef int (*row_fn)(rep *r, void *ud, sqlite3_stmt *st);

/* Runs sql (each "%s" replaced by the shown ids when ids is not NULL) and
 * calls fn(r, ud, row) for each row. */
static int each_row(rep *r, const char *sql, const char *ids, row_fn fn, void *ud)
{
    sqlite3 *h = apn_db__handle(r->db);
    sqlite3_stmt *st = NULL;
    apn_buf q = APN_BUF_INIT;
    int rc, err = 0;
    if (ids)
        apn_buf_printf(&q, sql, ids, ids);   /* every %s is the same list */
    else
        apn_buf_puts(&q, sql);
    if (q.oom) {
        apn_buf_dispose(&q);
        return APN_ENOMEM;
    }
    if ((rc = sqlite3_prepare_v2(h, apn_buf_cstr(&q), -1, &st, NULL)) != SQLITE_OK) {
        apn_buf_dispose(&q);
        return apn_db__fail(r->db, r->d, rc);
    }
    apn_buf_dispose(&q);
    while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW)
        err = fn(r, ud, st);
    if (!err && rc != SQLITE_DONE && rc != SQLITE_ROW)
        err = apn_db__fail(r->db, r->d, rc);
    sqlite3_finalize(st);
    if (!err && r->oom)
        err = APN_ENOMEM;
    return err;
}

static long long one_number(rep *r, const char *sql, int *err)
{
    sqlite3 *h = apn_db__handle(r->db);
    sqlite3_stmt *st = NULL;
    long long v = 0;
    int rc;
    if (*err)
        return 0;
    if ((rc = sqlite3_prepare_v2(h, sql, -1, &st, NULL)) != SQLITE_OK) {
        *err = apn_db__fail(r->db, r->d, rc);
        return 0;
    }
    if ((rc = sqlite3_step(st)) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    else if (rc != SQLITE_DONE)
        *err = apn_db__fail(r->db, r->d, rc);
    sqlite3_finalize(st);
    return v;
}

/* the shown competency of id, by binary search over r->by_id */
static long comp_of_id(const rep *r, long long id)
{
    size_t lo = 0, hi = r->ncomp;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        long long m = r->comps[r->by_id[mid]].id;
        if (m == id)
            return (long)r->by_id[mid];
        if (m < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static int cmp_by_id(const void *x, const void *y, void *ctx)
{
    const rep *r = ctx;
    long long a = r->comps[*(const size_t *)x].id, b = r->comps[*(const size_t *)y].id;
    return a < b ? -1 : a > b;
}

/* ==== choosing the shown competencies ==== */

typedef struct cand {
    long long id;
    char *slug;      /* owned */
    long n;
    int partial;
} cand;

typedef struct chooser {
    cand *v[REP_NOFF];
    size_t n[REP_NOFF], cap[REP_NOFF];
} chooser;

/* by requirements, descending, then by slug (BINARY): the order of `hardest` */
static int cmp_cand(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    if (a->n != b->n)
        return a->n > b->n ? -1 : 1;
    return strcmp(a->slug, b->slug);
}

/* Keeps the top r->top of each offering: the list grows to twice that, then
 * is sorted and cut, so a pass costs O(M log N) and holds O(N). */
static void cut(chooser *c, int o, size_t top)
{
    apn_sort(c->v[o], c->n[o], sizeof *c->v[o], cmp_cand);
    for (size_t i = top; i < c->n[o]; i++)
        apn_free(c->v[o][i].slug);
    if (c->n[o] > top)
        c->n[o] = top;
}

static int choose_row(rep *r, void *ud, sqlite3_stmt *st)
{
    chooser *c = ud;
    const char *slug = (const char *)sqlite3_column_text(st, 1);
    int o = apn_report__off_index((const char *)sqlite3_column_text(st, 2));
    if (!slug || o < 0)
        return 0;
    r->npresent[o]++;
    int part = sqlite3_column_int(st, 3) != 0;
    if (part)
        r->any_partial[o] = 1;
    if (c->n[o] >= 2 * r->top)
        cut(c, o, r->top);
    if (apn_grow(&c->v[o], &c->cap[o], c->n[o] + 1, sizeof *c->v[o]) < 0)
        return APN_ENOMEM;
    cand *x = &c->v[o][c->n[o]];
    if (!(x->slug = apn_strdup(slug)))
        return APN_ENOMEM;
    x->id = sqlite3_column_int64(st, 0);
    x->n = (long)sqlite3_column_int64(st, 4);
    x->partial = part;
    c->n[o]++;
    return 0;
}

static int cmp_comp_slug(const void *x, const void *y)
{
    return strcmp(((const rep_comp *)x)->slug, ((const rep_comp *)y)->slug);
}

/* The shown competencies: the top N of each offering by requirements (ties by
 * slug), from one pass over every competency's offering checklists. */
static int choose(rep *r)
{
    chooser c;
    int err;
    memset(&c, 0, sizeof c);
    err = each_row(r, "SELECT oc.competency_id, c.slug, oc.offering, oc.partial, "
                      "(SELECT count(*) FROM offering_requirement q "
                      " WHERE q.competency_id = oc.competency_id AND q.offering = oc.offering) "
                      "FROM offering_checklist oc JOIN competency c ON c.id = oc.competency_id",
                   NULL, choose_row, &c);
    size_t cap = 0;
    for (int o = 0; o < REP_NOFF && !err; o++) {
        cut(&c, o, r->top);
        r->nshown[o] = c.n[o];
        r->limited[o] = r->npresent[o] > r->top;
        r->any_limited |= r->limited[o];
        for (size_t i = 0; i < c.n[o] && !err; i++) {
            cand *x = &c.v[o][i];
            size_t k;
            if (apn_map_get(&r->by_slug, x->slug, &k))
                ;
            else if (apn_grow(&r->comps, &cap, r->ncomp + 1, sizeof *r->comps) < 0) {
                err = APN_ENOMEM;
                break;
            } else {
                k = r->ncomp++;
                memset(&r->comps[k], 0, sizeof r->comps[k]);
                r->comps[k].id = x->id;
                if (!(r->comps[k].slug = keep(r, (const unsigned char *)x->slug)) ||
                    (err = apn_map_put(&r->by_slug, r->comps[k].slug, k)) < 0) {
                    err = APN_ENOMEM;
                    break;
                }
            }
            rep_comp *cp = &r->comps[k];
            cp->in[o] = cp->shown[o] = 1;
            cp->partial[o] = x->partial;
            cp->total[o] = x->n;
        }
    }
    for (int o = 0; o < REP_NOFF; o++) {
        for (size_t i = 0; i < c.n[o]; i++)
            apn_free(c.v[o][i].slug);
        apn_free(c.v[o]);
    }
    if (err < 0)
        return err;
    /* slug order, and the map again to match */
    apn_sort(r->comps, r->ncomp, sizeof *r->comps, cmp_comp_slug);
    if (!(r->by_id = apn_calloc(r->ncomp + 1, sizeof *r->by_id)))
        return APN_ENOMEM;
    for (size_t k = 0; k < r->ncomp; k++) {
        if (apn_map_put(&r->by_slug, r->comps[k].slug, k) < 0)
            return APN_ENOMEM;
        r->by_id[k] = k;
    }
    apn_sort_r(r->by_id, r->ncomp, sizeof *r->by_id, cmp_by_id, r);
    return 0;
}

/* ==== details of the shown competencies ==== */

static int comp_row(rep *r, void *ud, sqlite3_stmt *st)
{
    (void)ud;
    long k = comp_of_id(r, sqlite3_column_int64(st, 0));
    if (k < 0)
        return 0;
    rep_comp *c = &r->comps[k];
    const char *name = keep(r, sqlite3_column_text(st, 1));
    c->name = name && *name ? name : c->slug;
    c->category = keep_or_empty(r, sqlite3_column_text(st, 2));
    return 0;
}

static int checklist_row(rep *r, void *ud, sqlite3_stmt *st)
{
    (void)ud;
    long k = comp_of_id(r, sqlite3_column_int64(st, 0));
    int o = apn_report__off_index((const char *)sqlite3_column_text(st, 1));
    if (k < 0 || o < 0)
        return 0;
    r->comps[k].checklist[o] = keep_or_empty(r, sqlite3_column_text(st, 2));
    r->comps[k].validity[o] = keep_or_empty(r, sqlite3_column_text(st, 3));
    return 0;
}

/* Cuts a workbook's cross-reference out of a requirement's wording: the FTR
 * workbook says "(CIS Control, see mapping reference in Row 8 above)", which
 * means nothing away from that sheet. Removes ", see ... Row N above/below"
 * (and "see ... Row N ..." alone in parentheses) in place. */
static void cut_row_reference(char *s)
{
    for (char *see = strstr(s, "see "); see; see = strstr(see + 1, "see ")) {
        char *row = strstr(see, " Row ");
        char *close = strchr(see, ')');
        if (!row || (close && row > close))
            continue;
        char *e = row + 5;
        if (*e < '0' || *e > '9')
            continue;
        while (*e >= '0' && *e <= '9')
            e++;
        if (!strncmp(e, " above", 6))
            e += 6;
        else if (!strncmp(e, " below", 6))
            e += 6;
        char *b = see;
        while (b > s && (b[-1] == ' ' || b[-1] == ','))
            b--;
        if (b > s && b[-1] == '(' && *e == ')') {   /* the whole parenthesis */
            b--;
            e++;
            while (b > s && b[-1] == ' ')
                b--;
        }
        memmove(b, e, strlen(e) + 1);
        see = b;
    }
}

static int req_row(rep *r, void *ud, sqlite3_stmt *st)
{
    size_t *cap = ud;
    long k = comp_of_id(r, sqlite3_column_int64(st, 0));
    int o = apn_report__off_index((const char *)sqlite3_column_text(st, 1));
    const unsigned char *id = sqlite3_column_text(st, 2), *prefix = sqlite3_column_text(st, 3);
    if (k < 0 || o < 0 || !r->comps[k].shown[o] || !id || !prefix)
        return 0;
    if (apn_grow(&r->reqs, cap, r->nreqs + 1, sizeof *r->reqs) < 0)
        return APN_ENOMEM;
    rep_req *q = &r->reqs[r->nreqs++];
    q->comp = (size_t)k;
    q->off = o;
    q->id = keep(r, id);
    q->prefix = keep(r, prefix);
    q->via = keep(r, sqlite3_column_text(st, 4));
    q->ce = sqlite3_column_int(st, 5) != 0;
    char *w = (char *)keep_or_empty(r, sqlite3_column_text(st, 6));
    if (*w)
        cut_row_reference(w);
    q->wording = w;
    q->share = 0;
    return 0;
}

static int cmp_req(const void *x, const void *y)
{
    const rep_req *a = x, *b = y;
    int c;
    if (a->comp != b->comp)
        return a->comp < b->comp ? -1 : 1;
    if (a->off != b->off)
        return a->off < b->off ? -1 : 1;
    if ((c = strcmp(a->prefix, b->prefix)))
        return c;
    return strcmp(a->id, b->id);
}

/* shares: "offering\x1fid" -> competencies carrying it */
typedef struct share_ctx {
    apn_map m;
} share_ctx;

static int share_row(rep *r, void *ud, sqlite3_stmt *st)
{
    share_ctx *s = ud;
    const char *o = (const char *)sqlite3_column_text(st, 0), *id = (const char *)sqlite3_column_text(st, 1);
    if (!o || !id)
        return 0;
    const char *key = apn_report__printf(r, "%s\x1f%s", o, id);
    return r->oom ? APN_ENOMEM : apn_map_put(&s->m, key, (size_t)sqlite3_column_int64(st, 2));
}

static int pre_row(rep *r, void *ud, sqlite3_stmt *st)
{
    size_t *cap = ud;
    long k = comp_of_id(r, sqlite3_column_int64(st, 0));
    int o = apn_report__off_index((const char *)sqlite3_column_text(st, 1));
    if (k < 0 || o < 0 || !r->comps[k].shown[o])
        return 0;
    if (apn_grow(&r->pres, cap, r->npres + 1, sizeof *r->pres) < 0)
        return APN_ENOMEM;
    rep_pre *p = &r->pres[r->npres++];
    p->comp = (size_t)k;
    p->off = o;
    p->target = keep(r, sqlite3_column_text(st, 2));
    p->programme = keep_or_empty(r, sqlite3_column_text(st, 3));
    p->variant = keep_or_empty(r, sqlite3_column_text(st, 4));
    p->target_slug = keep(r, sqlite3_column_text(st, 5));
    p->label = keep_or_empty(r, sqlite3_column_text(st, 6));
    p->text = keep_or_empty(r, sqlite3_column_text(st, 7));
    p->target_comp = apn_report__comp_index(r, p->target_slug);
    return 0;
}

static int ref_row(rep *r, void *ud, sqlite3_stmt *st)
{
    size_t *cap = ud;
    const unsigned char *id = sqlite3_column_text(st, 0), *scheme = sqlite3_column_text(st, 1),
                        *ref = sqlite3_column_text(st, 2);
    if (!id || !scheme || !ref)
        return 0;
    if (apn_grow(&r->refs, cap, r->nrefs + 1, sizeof *r->refs) < 0)
        return APN_ENOMEM;
    rep_ref *x = &r->refs[r->nrefs++];
    x->id = keep(r, id);
    x->scheme = keep(r, scheme);
    x->ref = keep(r, ref);
    return 0;
}

static int has_table(rep *r, const char *name, int *err)
{
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '%s'", name);
    return one_number(r, sql, err) > 0;
}

static int details(rep *r)
{
    apn_buf ids = APN_BUF_INIT;
    share_ctx sh = { APN_MAP_INIT };
    size_t cap = 0, pcap = 0, fcap = 0;
    int err = 0;
    for (size_t k = 0; k < r->ncomp; k++)
        apn_buf_printf(&ids, "%s%lld", k ? "," : "", r->comps[k].id);
    if (ids.oom) {
        apn_buf_dispose(&ids);
        return APN_ENOMEM;
    }
    const char *in = apn_buf_cstr(&ids);
    if (!r->ncomp)
        in = "NULL";
    if ((err = each_row(r, "SELECT id, name, category FROM competency WHERE id IN (%s)", in, comp_row, NULL)) < 0 ||
        (err = each_row(r, "SELECT oc.competency_id, oc.offering, k.name, k.validity FROM offering_checklist oc "
                           "JOIN checklist k ON k.id = oc.checklist_id WHERE oc.competency_id IN (%s)",
                        in, checklist_row, NULL)) < 0 ||
        /* each requirement with the wording of the checklist the row names (its
         * offering's), else the requirement's own */
        (err = each_row(r, "SELECT o.competency_id, o.offering, o.requirement_id, q.prefix, v.name, "
                           "o.customer_example, COALESCE(cr.title, q.title, '') "
                           "FROM offering_requirement o JOIN requirement q ON q.id = o.requirement_id "
                           "LEFT JOIN checklist v ON v.id = o.via_checklist_id "
                           "LEFT JOIN checklist_requirement cr ON cr.checklist_id = o.checklist_id "
                           "  AND cr.requirement_id = o.requirement_id "
                           "WHERE o.competency_id IN (%s)", in, req_row, &cap)) < 0 ||
        (err = each_row(r, "SELECT offering, requirement_id, count(*) FROM offering_requirement "
                           "WHERE requirement_id IN (SELECT requirement_id FROM offering_requirement "
                           "  WHERE competency_id IN (%s)) GROUP BY offering, requirement_id",
                        in, share_row, &sh)) < 0 ||
        (err = each_row(r, "SELECT oc.competency_id, oc.offering, t.name, t.programme, t.variant, tc.slug, "
                           "p.label, p.text FROM offering_checklist oc "
                           "JOIN prerequisite p ON p.checklist_id = oc.checklist_id "
                           "LEFT JOIN checklist t ON t.id = p.requires_checklist_id "
                           "LEFT JOIN competency tc ON tc.id = t.competency_id "
                           "WHERE oc.competency_id IN (%s) ORDER BY oc.competency_id, oc.offering, p.id",
                        in, pre_row, &pcap)) < 0)
        goto cleanup;
    if (has_table(r, "requirement_reference", &err) &&
        (err = each_row(r, "SELECT DISTINCT requirement_id, scheme, ref FROM requirement_reference "
                           "WHERE requirement_id IN (SELECT requirement_id FROM offering_requirement "
                           "  WHERE competency_id IN (%s)) ORDER BY 1, 2, 3", in, ref_row, &fcap)) < 0)
        goto cleanup;
    if (err < 0)
        goto cleanup;
    apn_sort(r->reqs, r->nreqs, sizeof *r->reqs, cmp_req);
    if (!(r->req_at = apn_calloc(r->ncomp * REP_NOFF + 1, sizeof *r->req_at))) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    /* req_at[i] = first row of (comp, off) slot i; slot i ends where i + 1 starts */
    size_t at = 0;
    for (size_t i = 0; i <= r->ncomp * REP_NOFF; i++) {
        while (at < r->nreqs && r->reqs[at].comp * REP_NOFF + (size_t)r->reqs[at].off < i)
            at++;
        r->req_at[i] = at;
    }
    for (size_t i = 0; i < r->nreqs; i++) {
        rep_req *q = &r->reqs[i];
        rep_comp *c = &r->comps[q->comp];
        size_t v = 0;
        const char *key = apn_report__printf(r, "%s\x1f%s", apn_report__offerings[q->off], q->id);
        if (apn_map_get(&sh.m, key, &v))
            q->share = (long)v;
        c->evidence[q->off] += q->ce;
        c->specific[q->off] += apn_report__is_specific(r, q->off, q->share);
    }
    err = r->oom ? APN_ENOMEM : 0;
cleanup:
    apn_map_dispose(&sh.m);
    apn_buf_dispose(&ids);
    return err;
}

/* ==== reach: every competency, the widest prefixes ==== */

static int reach_row(rep *r, void *ud, sqlite3_stmt *st)
{
    size_t *cap = ud;
    const unsigned char *prefix = sqlite3_column_text(st, 1);
    int o = apn_report__off_index((const char *)sqlite3_column_text(st, 0));
    if (!prefix || o < 0)
        return 0;
    /* rows come by prefix (in the chart's order), then offering */
    if (!r->nreach || strcmp(r->reach[r->nreach - 1].prefix, (const char *)prefix)) {
        if (apn_grow(&r->reach, cap, r->nreach + 1, sizeof *r->reach) < 0)
            return APN_ENOMEM;
        memset(&r->reach[r->nreach], 0, sizeof *r->reach);
        r->reach[r->nreach].prefix = keep(r, prefix);
        r->reach[r->nreach].best = (long)sqlite3_column_int64(st, 4);
        r->nreach++;
    }
    r->reach[r->nreach - 1].reach[o] = (long)sqlite3_column_int64(st, 2);
    r->reach[r->nreach - 1].n[o] = (long)sqlite3_column_int64(st, 3);
    return 0;
}

static int load_reach(rep *r)
{
    size_t cap = 0;
    char sql[900];
    /* SQLite aggregates and sorts the prefixes (on disk past its cache); only
     * the REP_REACH_ROWS widest come back */
    snprintf(sql, sizeof sql,
             "WITH g AS (SELECT offering, prefix, count(*) AS reach, sum(n) AS n FROM v_prefix_counts "
             "  WHERE offering IS NOT NULL AND prefix IS NOT NULL GROUP BY offering, prefix), "
             "m AS (SELECT prefix, max(reach) AS best FROM g GROUP BY prefix ORDER BY best DESC, prefix LIMIT %d) "
             "SELECT g.offering, g.prefix, g.reach, g.n, m.best FROM g JOIN m ON m.prefix = g.prefix "
             "ORDER BY m.best DESC, g.prefix, g.offering", REP_REACH_ROWS);
    int err = each_row(r, sql, NULL, reach_row, &cap);
    r->nprefix_all = (size_t)one_number(r, "SELECT count(DISTINCT prefix) FROM v_prefix_counts "
                                           "WHERE offering IS NOT NULL", &err);
    return err;
}

/* ==== the small tables ==== */

static int load_tables(rep *r)
{
    int err = 0;
    char sql[1200];
    snprintf(sql, sizeof sql,
             "SELECT k.name AS checklist, k.programme, COALESCE(k.track, '') AS track, "
             "COALESCE(k.variant, '') AS variant, COALESCE(k.validity, '') AS validity, "
             "COALESCE(k.coverage, '') AS coverage, "
             "(SELECT count(*) FROM checklist_requirement cr WHERE cr.checklist_id = k.id) AS requirements "
             "FROM checklist k WHERE k.newest = 1 ORDER BY k.name, k.id LIMIT %d", REP_TABLE_ROWS);
    if ((err = apn_db__query(&r->checklists, r->db, sql, NULL, NULL, r->d)) < 0)
        return err;
    snprintf(sql, sizeof sql, "SELECT path, severity, COALESCE(locus, '') AS locus, message "
                              "FROM diagnostic ORDER BY path, id LIMIT %d", REP_TABLE_ROWS);
    if ((err = apn_db__query(&r->diags, r->db, sql, NULL, NULL, r->d)) < 0)
        return err;
    r->nchecklists = (size_t)one_number(r, "SELECT count(*) FROM checklist WHERE newest = 1", &err);
    r->ndiags = (size_t)one_number(r, "SELECT count(*) FROM diagnostic", &err);
    r->ncomp_all = (size_t)one_number(r, "SELECT count(*) FROM competency", &err);
    r->nreq_ids = (size_t)one_number(r, "SELECT count(DISTINCT requirement_id) FROM offering_requirement", &err);
    r->services_iam = one_number(r, "SELECT EXISTS (SELECT 1 FROM offering_requirement o "
                                    "JOIN requirement q ON q.id = o.requirement_id "
                                    "WHERE o.offering = 'services' AND q.prefix = 'IAM')", &err) != 0;
    return err;
}

int apn_report__load(rep *r)
{
    int err;
    if ((err = choose(r)) < 0 || (err = details(r)) < 0 || (err = apn_report__categories(r)) < 0 ||
        (err = load_reach(r)) < 0 || (err = load_tables(r)) < 0)
        return err;
    return r->oom ? APN_ENOMEM : 0;
}
