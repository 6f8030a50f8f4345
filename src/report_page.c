/* report_page — index.html: the JSON data block report.js draws from, and
 * the template filled in. See report_page.h.
 *
 * Sections: the embedded assets; what next (the plan API, as `apnmap plan`);
 * the data block (competencies, requirements with their wording, pairs,
 * tables); the HTML around it; the page.
 *
 * Everything a document supplied reaches the page as JSON inside
 * <script type="application/json"> (apn_html_script_json) or escaped HTML
 * (apn_html_escape); report.js puts text into the page with textContent only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <sqlite3.h>

#include "dbint.h"
#include "html_out.h"
#include "report_charts.h"
#include "report_load.h"
#include "report_page.h"
#include "webassets.h"

/* ==== the embedded assets ==== */

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

int apn_report__page_check(rep *r)
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

/* ==== what next ==== */

static json_t *jstr(const char *s) { return json_string(s ? s : ""); }

/* Sets parent[key] = v and returns v, or NULL (v released) when either is
 * missing or no memory: jansson's *_new calls release v on failure. */
static json_t *child(json_t *parent, const char *key, json_t *v)
{
    return json_object_set_new(parent, key, v) ? NULL : v;
}

static json_t *element(json_t *array, json_t *v)
{
    return json_array_append_new(array, v) ? NULL : v;
}

/* A set of json_t values to add, or to drop at the first failure. */
#define TRY(x) do { if ((x) != 0) goto oom; } while (0)

/* The name of a competency by slug: the shown ones from memory, the others
 * (an answer of the plan above the limit) from the database. */
static const char *name_of(rep *r, const char *slug)
{
    long k = apn_report__comp_index(r, slug);
    if (k >= 0)
        return r->comps[k].name;
    sqlite3_stmt *st = NULL;
    const char *name = slug;
    int rc = sqlite3_prepare_v2(apn_db__handle(r->db), "SELECT name FROM competency WHERE slug = ?1", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, slug, -1, SQLITE_STATIC);
        if ((rc = sqlite3_step(st)) == SQLITE_ROW && sqlite3_column_text(st, 0) && *sqlite3_column_text(st, 0))
            name = apn_report__printf(r, "%s", (const char *)sqlite3_column_text(st, 0));
    }
    if (apn_db__rc(rc) == APN_ENOMEM)
        r->oom = 1;
    sqlite3_finalize(st);
    return name;
}

/* One plan answer as a JSON array of row objects: every column of the
 * plan's table, and "names" beside each column of competency slugs. */
static json_t *plan_rows(rep *r, const apn_table *t, size_t max)
{
    json_t *rows = json_array();
    for (size_t i = 0; rows && i < apn_table_nrows(t) && i < max; i++) {
        json_t *row = element(rows, json_object());
        if (!row)
            goto oom;
        for (size_t c = 0; c < apn_table_ncols(t); c++) {
            const char *name = apn_table_colname(t, c);
            json_t *v;
            if (apn_table_is_null(t, i, c))
                v = json_null();
            else switch (apn_table_coltype(t, c)) {
            case APN_COL_TEXT: v = jstr(apn_table_text(t, i, c)); break;
            case APN_COL_BOOL: v = json_boolean(apn_table_int(t, i, c)); break;
            case APN_COL_REAL: v = json_real(apn_table_real(t, i, c)); break;
            default: v = json_integer((json_int_t)apn_table_int(t, i, c)); break;
            }
            TRY(json_object_set_new(row, name, v));
            if (strcmp(name, "competency") && strcmp(name, "competencies") && strcmp(name, "first") &&
                strcmp(name, "second"))
                continue;
            /* the names of the slugs (competencies: ';'-separated) */
            json_t *names = child(row, !strcmp(name, "first") ? "first_names" : !strcmp(name, "second")
                                                ? "second_names" : "names", json_array());
            char *list = apn_strdup(apn_table_text(t, i, c));
            if (!names || !list) {
                apn_free(list);
                goto oom;
            }
            for (char *save = NULL, *s = strtok_r(list, ";", &save); s; s = strtok_r(NULL, ";", &save))
                if (json_array_append_new(names, jstr(name_of(r, s)))) {
                    apn_free(list);
                    goto oom;
                }
            apn_free(list);
        }
    }
    return rows;
oom:
    json_decref(rows);
    return NULL;
}

/* The slugs of an answer's rows (column "competency") that offering o shows:
 * the candidates the planner ranks, so the page re-ranks the same ones. */
static json_t *candidates(rep *r, const apn_table *t, int o)
{
    json_t *list = json_array();
    size_t c = 0;
    while (c < apn_table_ncols(t) && strcmp(apn_table_colname(t, c), "competency"))
        c++;
    for (size_t i = 0; list && c < apn_table_ncols(t) && i < apn_table_nrows(t); i++) {
        long k = apn_table_is_null(t, i, c) ? -1 : apn_report__comp_index(r, apn_table_text(t, i, c));
        if (k >= 0 && r->comps[k].shown[o] && json_array_append_new(list, jstr(r->comps[k].slug))) {
            json_decref(list);
            return NULL;
        }
    }
    return list;
}

/* Runs one plan; the answer's rows (at most max) go to obj[key], or the
 * reason it has none to obj[key + "_error"]; with cand_o >= 0, the shown
 * competencies among its rows to obj["candidates"]. Only running out of
 * memory fails. */
static int plan_one(rep *r, json_t *obj, const char *key, apn_plan_opts *po, size_t max, int cand_o)
{
    apn_plan *p = NULL;
    apn_diags d = APN_DIAGS_INIT;
    int err = apn_plan_run(&p, r->db, po, &d);
    json_t *v = NULL;
    char ekey[64];
    if (err == APN_ENOMEM || err == APN_EDB || err == APN_EIO || d.oom) {
        if (d.oom)
            err = APN_ENOMEM;
        else if (err != APN_ENOMEM)   /* the database failed under the plan: say why */
            err = apn_diags_take(r->d, &d) < 0 ? APN_ENOMEM : err;
        goto cleanup;
    }
    if (err < 0) {
        snprintf(ekey, sizeof ekey, "%s_error", key);
        const char *why = d.nerr ? d.v[d.n - 1].message : apn_strerror(err);
        for (size_t i = 0; i < d.n; i++)
            if (d.v[i].severity == APN_SEV_ERROR) {
                why = d.v[i].message;
                break;
            }
        err = json_object_set_new(obj, ekey, jstr(why)) ? APN_ENOMEM : 0;
        goto cleanup;
    }
    if (!(v = plan_rows(r, apn_plan_table(p), max)) || json_object_set_new(obj, key, v) || r->oom)
        err = APN_ENOMEM;
    else if (cand_o >= 0 && json_object_set_new(obj, "candidates", candidates(r, apn_plan_table(p), cand_o)))
        err = APN_ENOMEM;
cleanup:
    apn_plan_free(p);
    apn_diags_dispose(&d);
    return err;
}

/* what next for offering o: the cheapest next, the best 2 and 3, and the
 * industry x workload pairs, all as `apnmap plan` answers with nothing held */
static int plan_json(rep *r, int o, json_t **out)
{
    json_t *j = json_object();
    int err = 0;
    *out = j;
    if (!j)
        return APN_ENOMEM;
    if (r->npresent[o] > REP_PLAN_MAX)
        return json_object_set_new(j, "skipped", json_integer((json_int_t)REP_PLAN_MAX)) ? APN_ENOMEM : 0;
    apn_plan_opts po;
    memset(&po, 0, sizeof po);
    po.offering = apn_report__offerings[o];
    po.mode = APN_PLAN_NEXT;
    po.n = (long)r->npresent[o];   /* every candidate: the page re-ranks those it shows */
    if ((err = plan_one(r, j, "next", &po, 10, o)) < 0)
        return err;
    po.mode = APN_PLAN_BEST;
    po.time_limit = 2;   /* the page waits for it; an answer not proven optimal says so */
    for (long k = 2; k <= 3; k++) {
        po.n = k;
        if ((err = plan_one(r, j, k == 2 ? "best2" : "best3", &po, 1, -1)) < 0)
            return err;
    }
    if (r->npresent[o] > REP_PAIRS_MAX) {   /* the planner holds every ordered pair */
        const char *why = apn_report__printf(r, "more than %d competencies: run apnmap plan --pairs", REP_PAIRS_MAX);
        return r->oom || json_object_set_new(j, "pairs_error", jstr(why)) ? APN_ENOMEM : 0;
    }
    memset(&po, 0, sizeof po);
    po.offering = apn_report__offerings[o];
    po.mode = APN_PLAN_PAIRS;
    po.first_category = "industry";
    po.second_category = "workload";
    return plan_one(r, j, "pairs", &po, 5, -1);
}

/* ==== the data block ==== */

/* A table of rows as {"cols": [...], "rows": [[...], ...], "total": n}. */
static json_t *table_json(const apn_table *t, size_t total)
{
    json_t *j = json_object(), *cols = child(j, "cols", json_array()), *rows = child(j, "rows", json_array());
    if (!cols || !rows)
        goto oom;
    for (size_t c = 0; c < apn_table_ncols(t); c++)
        if (json_array_append_new(cols, jstr(apn_table_colname(t, c))))
            goto oom;
    for (size_t i = 0; i < apn_table_nrows(t); i++) {
        json_t *row = element(rows, json_array());
        if (!row)
            goto oom;
        for (size_t c = 0; c < apn_table_ncols(t); c++) {
            json_t *v = apn_table_is_null(t, i, c) ? json_null()
                      : apn_table_coltype(t, c) == APN_COL_TEXT ? jstr(apn_table_text(t, i, c))
                      : json_integer((json_int_t)apn_table_int(t, i, c));
            if (json_array_append_new(row, v))
                goto oom;
        }
    }
    if (json_object_set_new(j, "total", json_integer((json_int_t)total)))
        goto oom;
    return j;
oom:
    json_decref(j);
    return NULL;
}

/* the per-offering object of obj for offering o, made when missing */
static json_t *per_off(json_t *obj, int o, int array)
{
    json_t *v = json_object_get(obj, apn_report__offerings[o]);
    return v ? v : child(obj, apn_report__offerings[o], array ? json_array() : json_object());
}

static int comps_json(rep *r, json_t *root)
{
    json_t *comps = child(root, "competencies", json_array()), *cc = child(root, "category_colors", json_object());
    if (!comps || !cc)
        return APN_ENOMEM;
    for (size_t k = 0; k < r->ncomp; k++) {
        const rep_comp *c = &r->comps[k];
        json_t *jc = element(comps, json_object()), *jo = child(jc, "offerings", json_object());
        if (!jc || !jo)
            return APN_ENOMEM;
        TRY(json_object_set_new(jc, "slug", jstr(c->slug)));
        TRY(json_object_set_new(jc, "name", jstr(c->name)));
        TRY(json_object_set_new(jc, "category", jstr(c->category)));
        TRY(json_object_set_new(cc, c->category, jstr(apn_report__category_color(r, c->category))));
        for (int o = 0; o < REP_NOFF; o++) {
            if (!c->shown[o])
                continue;
            json_t *e = json_pack("{s:s, s:b, s:s, s:I, s:I, s:I}", "checklist", c->checklist[o] ? c->checklist[o] : "",
                                  "partial", c->partial[o], "validity", c->validity[o] ? c->validity[o] : "",
                                  "n", (json_int_t)c->total[o], "specific", (json_int_t)c->specific[o],
                                  "evidence", (json_int_t)c->evidence[o]);
            if (!e || json_object_set_new(jo, apn_report__offerings[o], e))
                return APN_ENOMEM;
        }
    }
    return 0;
oom:
    return APN_ENOMEM;
}

/* requirements[off][slug] = [[id, via, customer example 0/1, wording]]: via
 * and wording index the lists "vias" (-1: own) and "wording" (distinct
 * texts); prefix[id] = its prefix; share[off][id] = competencies of the
 * offering carrying it (all of them); references[id] = [[scheme, ref]]. */
static int index_of(apn_map *seen, size_t *n, json_t *list, const char *s, size_t *out)
{
    if (apn_map_get(seen, s, out))
        return 0;
    *out = (*n)++;
    return apn_map_put(seen, s, *out) < 0 || json_array_append_new(list, jstr(s)) ? APN_ENOMEM : 0;
}

static int reqs_json(rep *r, json_t *root)
{
    json_t *reqs = child(root, "requirements", json_object()), *wording = child(root, "wording", json_array()),
           *vias = child(root, "vias", json_array()), *prefix = child(root, "prefix", json_object()),
           *share = child(root, "share", json_object()), *refs = child(root, "references", json_object());
    apn_map seen = APN_MAP_INIT, seenv = APN_MAP_INIT;
    size_t nw = 0, nv = 0;
    int err = APN_ENOMEM;
    if (!reqs || !wording || !vias || !prefix || !share || !refs)
        goto cleanup;
    for (size_t i = 0; i < r->nreqs; i++) {
        const rep_req *q = &r->reqs[i];
        json_t *jo = per_off(reqs, q->off, 0), *js = per_off(share, q->off, 0), *jl;
        if (!jo || !js)
            goto cleanup;
        const char *slug = r->comps[q->comp].slug;
        if (!(jl = json_object_get(jo, slug)) && !(jl = child(jo, slug, json_array())))
            goto cleanup;
        size_t w, v = 0;
        if (index_of(&seen, &nw, wording, q->wording, &w) < 0 || (q->via && index_of(&seenv, &nv, vias, q->via, &v) < 0))
            goto cleanup;
        json_t *e = json_pack("[s, I, i, I]", q->id, q->via ? (json_int_t)v : (json_int_t)-1, q->ce, (json_int_t)w);
        if (!e || json_array_append_new(jl, e))
            goto cleanup;
        if (!json_object_get(prefix, q->id) && json_object_set_new(prefix, q->id, jstr(q->prefix)))
            goto cleanup;
        if (!json_object_get(js, q->id) && json_object_set_new(js, q->id, json_integer((json_int_t)q->share)))
            goto cleanup;
    }
    for (size_t i = 0; i < r->nrefs; i++) {
        json_t *jl = json_object_get(refs, r->refs[i].id);
        if (!jl && !(jl = child(refs, r->refs[i].id, json_array())))
            goto cleanup;
        json_t *e = json_pack("[s, s]", r->refs[i].scheme, r->refs[i].ref);
        if (!e || json_array_append_new(jl, e))
            goto cleanup;
    }
    err = 0;
cleanup:
    apn_map_dispose(&seen);
    apn_map_dispose(&seenv);
    return err;
}

/* prerequisites = [{competency, offering, target, target_competency, label,
 * text (an index into prerequisite_texts)}]; checklists[name] = {programme,
 * variant} for the required checklists that are no competency's */
static int prereq_rows(rep *r, json_t *pre, json_t *ckl, json_t *texts, apn_map *seen)
{
    size_t nt = 0;
    if (!pre || !ckl || !texts)
        return APN_ENOMEM;
    for (size_t i = 0; i < r->npres; i++) {
        const rep_pre *p = &r->pres[i];
        size_t t;
        if (index_of(seen, &nt, texts, p->text, &t) < 0)
            return APN_ENOMEM;
        json_t *e = json_pack("{s:s, s:s, s:s?, s:s?, s:s, s:I}", "competency", r->comps[p->comp].slug, "offering",
                              apn_report__offerings[p->off], "target", p->target,
                              "target_competency", p->target_comp >= 0 ? p->target_slug : NULL, "label", p->label,
                              "text", (json_int_t)t);
        if (!e || json_array_append_new(pre, e))
            return APN_ENOMEM;
        if (p->target && !p->target_slug && !json_object_get(ckl, p->target)) {
            json_t *k = json_pack("{s:s, s:s}", "programme", p->programme, "variant", p->variant);
            if (!k || json_object_set_new(ckl, p->target, k))
                return APN_ENOMEM;
        }
    }
    return 0;
}

static int prereqs_json(rep *r, json_t *root)
{
    json_t *pre = child(root, "prerequisites", json_array()), *ckl = child(root, "checklists", json_object()),
           *texts = child(root, "prerequisite_texts", json_array());
    apn_map seen = APN_MAP_INIT;
    int err = prereq_rows(r, pre, ckl, texts, &seen);
    apn_map_dispose(&seen);
    return err;
}

/* pairs[off] = [[a, b, shared, union, jaccard, specific, partial]] (a, b:
 * indices into competencies); stats[off] = [[comp, prefix, n]]; hardest[off] =
 * [[rank, comp, n, own, via]] */
static int listings_json(rep *r, json_t *root)
{
    json_t *pairs = child(root, "pairs", json_object()), *stats = child(root, "stats", json_object()),
           *hard = child(root, "hardest", json_object());
    if (!pairs || !stats || !hard)
        return APN_ENOMEM;
    for (int o = 0; o < REP_NOFF; o++) {
        if (!r->npresent[o])
            continue;
        json_t *jp = per_off(pairs, o, 1), *js = per_off(stats, o, 1), *jh = per_off(hard, o, 1);
        if (!jp || !js || !jh)
            return APN_ENOMEM;
        for (size_t i = 0; i < r->npairs[o]; i++) {
            const rep_pair *p = &r->pairs[o][i];
            json_t *e = json_pack("[I, I, I, I, f, I, b]", (json_int_t)p->a, (json_int_t)p->b, (json_int_t)p->shared,
                                  (json_int_t)p->union_size, p->jaccard, (json_int_t)p->specific, p->partial);
            if (!e || json_array_append_new(jp, e))
                return APN_ENOMEM;
        }
    }
    for (size_t i = 0; i < apn_table_nrows(r->stats); i++) {
        int o = apn_report__off_index(apn_table_text(r->stats, i, 1));
        long c = apn_report__comp_index(r, apn_table_text(r->stats, i, 0));
        json_t *js = o >= 0 ? per_off(stats, o, 1) : NULL;
        if (o < 0 || c < 0)
            continue;
        json_t *e = json_pack("[I, s, I]", (json_int_t)c, apn_table_text(r->stats, i, 2),
                              (json_int_t)apn_table_int(r->stats, i, 3));
        if (!js || !e || json_array_append_new(js, e))
            return APN_ENOMEM;
    }
    for (size_t i = 0; i < apn_table_nrows(r->hardest); i++) {
        int o = apn_report__off_index(apn_table_text(r->hardest, i, 2));
        long c = apn_report__comp_index(r, apn_table_text(r->hardest, i, 1));
        json_t *jh = o >= 0 ? per_off(hard, o, 1) : NULL;
        if (o < 0 || c < 0)
            continue;
        json_t *e = json_pack("[I, I, I, I, I]", (json_int_t)apn_table_int(r->hardest, i, 0), (json_int_t)c,
                              (json_int_t)apn_table_int(r->hardest, i, 3), (json_int_t)apn_table_int(r->hardest, i, 4),
                              (json_int_t)apn_table_int(r->hardest, i, 5));
        if (!jh || !e || json_array_append_new(jh, e))
            return APN_ENOMEM;
    }
    return 0;
}

static int reach_json(rep *r, json_t *root)
{
    json_t *reach = child(root, "reach", json_array());
    if (!reach ||
        json_object_set_new(root, "reach_total", json_integer((json_int_t)r->nprefix_all)) ||
        json_object_set_new(root, "reach_top", json_integer(REP_REACH_TOP)))
        return APN_ENOMEM;
    for (size_t i = 0; i < r->nreach; i++) {
        const rep_reach *x = &r->reach[i];
        json_t *e = json_pack("[s, [I, I, I], [I, I, I]]", x->prefix, (json_int_t)x->reach[0], (json_int_t)x->reach[1],
                              (json_int_t)x->reach[2], (json_int_t)x->n[0], (json_int_t)x->n[1], (json_int_t)x->n[2]);
        if (!e || json_array_append_new(reach, e))
            return APN_ENOMEM;
    }
    return 0;
}

static int data_json(rep *r, char **out)
{
    json_t *root = json_object(), *offs = child(root, "offerings", json_array()),
           *np = child(root, "npresent", json_object()), *lim = child(root, "limited", json_object()),
           *plan = child(root, "plan", json_object());
    int err = APN_ENOMEM;
    *out = NULL;
    if (!offs || !np || !lim || !plan)
        goto cleanup;
    int best = -1;
    for (int o = 0; o < REP_NOFF; o++) {
        if (!r->npresent[o])
            continue;
        if (json_array_append_new(offs, json_string(apn_report__offerings[o])) ||
            json_object_set_new(np, apn_report__offerings[o], json_integer((json_int_t)r->npresent[o])) ||
            json_object_set_new(lim, apn_report__offerings[o], json_boolean(r->limited[o])))
            goto cleanup;
        if (best < 0 || r->npresent[o] > r->npresent[best])
            best = o;
        json_t *pj = NULL;
        if ((err = plan_json(r, o, &pj)) < 0) {
            json_decref(pj);
            goto cleanup;
        }
        err = APN_ENOMEM;
        if (json_object_set_new(plan, apn_report__offerings[o], pj))
            goto cleanup;
    }
    if (json_object_set_new(root, "default_offering", json_string(best >= 0 ? apn_report__offerings[best] : "")) ||
        json_object_set_new(root, "specific_share", json_real(REP_SPECIFIC_SHARE)) ||
        json_object_set_new(root, "top", json_integer((json_int_t)r->top)) ||
        json_object_set_new(root, "charts", json_boolean(r->charts_drawn)))
        goto cleanup;
    if ((err = comps_json(r, root)) < 0 || (err = reqs_json(r, root)) < 0 || (err = prereqs_json(r, root)) < 0 ||
        (err = listings_json(r, root)) < 0 || (err = reach_json(r, root)) < 0)
        goto cleanup;
    err = APN_ENOMEM;
    if (!child(root, "checklist_table", table_json(r->checklists, r->nchecklists)) ||
        !child(root, "diagnostic_table", table_json(r->diags, r->ndiags)))
        goto cleanup;
    *out = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
    err = *out ? 0 : APN_ENOMEM;
cleanup:
    json_decref(root);
    return err;
}

/* ==== the HTML around it ==== */

static void limit_html(rep *r, apn_buf *b)
{
    if (!r->any_limited)
        return;
    apn_buf_printf(b, "<p class=\"note limit\">%zu competencies: this page, its charts and the files beside it "
                      "show the top %zu of each offering by requirement count (", r->ncomp_all, r->top);
    const char *sep = "";
    for (int o = 0; o < REP_NOFF; o++)
        if (r->npresent[o]) {
            apn_buf_printf(b, "%s%s: top %zu of %zu", sep, apn_report__offerings[o], r->nshown[o], r->npresent[o]);
            sep = ", ";
        }
    apn_buf_puts(b, "); <code>apnmap stats</code>, <code>overlap</code> and <code>hardest</code> list every "
                    "one, and <code>apnmap plan</code> plans over all of them.</p>\n");
}

static void summary_html(rep *r, apn_buf *b)
{
    apn_buf_printf(b, "<p>%zu competencies, %zu checklists (newest releases), %zu requirement IDs in offerings",
                   r->ncomp_all, r->nchecklists, r->nreq_ids);
    if (r->ndiags)
        apn_buf_printf(b, ", %zu build diagnostics", r->ndiags);
    apn_buf_puts(b, ".</p>\n");
    limit_html(r, b);
    if (r->any_partial[0] || r->any_partial[1] || r->any_partial[2])
        apn_buf_puts(b, "<p class=\"note\"><span class=\"partial\">*</span> partial checklist: only some of its "
                        "requirements are known, so its counts are lower bounds. Such competencies carry * "
                        "everywhere (column <code>partial</code> in the CSV and JSON files).</p>\n");
}

static void charts_html(rep *r, apn_buf *b)
{
    if (r->charts_missing) {
        apn_buf_puts(b, "<p class=\"note\" id=\"no-charts\">No charts: ");
        apn_html_escape(b, r->charts_missing);
        apn_buf_puts(b, ". What to pursue next, the graph and the tables do not need gnuplot.</p>\n");
    } else if (!r->charts_drawn) {
        apn_buf_puts(b, "<p class=\"note\" id=\"no-charts\">Charts were not asked for (<code>--no-charts</code>); "
                        "they need gnuplot.</p>\n");
    }
    apn_buf_puts(b, apn_buf_cstr(&r->charts_html));
    if (!r->services_iam && r->npresent[2])
        apn_buf_puts(b, "<p class=\"note\" data-offering=\"services\">No services checklist here carries IAM "
                        "requirements: the common blocks recovered for this data carry ACCT and OPE but no IAM; "
                        "current services checklists may hold IAM items not recovered here.</p>\n");
}

/* ==== the page ==== */

int apn_report__page(rep *r)
{
    const apn__web_asset *tpl = asset("report.html");
    apn_buf b = APN_BUF_INIT;
    char *data = NULL;
    int err = data_json(r, &data);
    if (err < 0)
        goto cleanup;
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
            apn_html_script_json(&b, data);
        else if (IS("version"))
            apn_html_escape(&b, APN_VERSION);
        else if (IS("summary"))
            summary_html(r, &b);
        else if (IS("charts"))
            charts_html(r, &b);
        else
            apn_buf_put(&b, m, (size_t)(e + 2 - m));   /* not ours: keep */
#undef IS
        p = e + 2;
    }
    apn_buf_puts(&b, p);
    if (b.oom || r->oom) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    err = apn_report__write_file(r, "index.html", b.ptr, b.len);
cleanup:
    free(data);   /* from jansson's allocator */
    apn_buf_dispose(&b);
    return err;
}
