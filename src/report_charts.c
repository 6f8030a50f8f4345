/* report_charts — the report's gnuplot charts. See report_charts.h.
 *
 * Sections: colours and labels; the heat map's order (clustering); one
 * offering's charts (bars, heat map, hardest); the reach chart; running gnuplot
 * and putting the SVGs, gzip-compressed, into the page's figures.
 *
 * Per offering: bars whose common part (requirements most competencies carry:
 * the common blocks, the FTR) is one muted family by prefix and whose specific
 * part is the competency's category colour, labelled with its biggest specific
 * prefixes, partial checklists hatched; a heat map of the specific
 * requirements two competencies share, clustered, partial pairs grey and
 * hatched; the hardest chart (own checklist against prerequisites). Then the
 * reach of the widest REP_REACH_TOP prefixes, legend on top.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/bitset.h"
#include "chart.h"
#include "html_out.h"
#include "report_charts.h"
#include "report_load.h"

static const char partial_note[] = "* partial checklist: only some of its requirements are known";

/* ==== colours and labels ==== */

static const char *const fixed_cat[3][2] = {
    { "industry", "#d95f02" }, { "workload", "#1b9e77" }, { "other", "#7570b3" } };
static const char *const extra_cat[6] = { "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#1f78b4", "#b15928" };
static const char no_cat[] = "#8a94a6";

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

const char *apn_report__category_color(const rep *r, const char *category)
{
    if (!category || !*category)
        return no_cat;
    for (int i = 0; i < 3; i++)
        if (!strcmp(category, fixed_cat[i][0]))
            return fixed_cat[i][1];
    /* the others in name order (apn_report__load sorted them), through the extra colours */
    size_t rank = 0;
    while (rank < r->ncat_extra && strcmp(r->cat_extra[rank], category))
        rank++;
    return extra_cat[rank % 6];
}

int apn_report__categories(rep *r)
{
    if (!(r->cat_extra = apn_arena_alloc(&r->a, (r->ncomp + 1) * sizeof *r->cat_extra)))
        return APN_ENOMEM;
    for (size_t k = 0; k < r->ncomp; k++) {
        const char *c = r->comps[k].category;
        int fixed = !c || !*c;
        for (int i = 0; i < 3 && !fixed; i++)
            fixed = !strcmp(c, fixed_cat[i][0]);
        size_t j = 0;
        while (!fixed && j < r->ncat_extra && strcmp(r->cat_extra[j], c))
            j++;
        if (!fixed && j == r->ncat_extra)
            r->cat_extra[r->ncat_extra++] = c;
    }
    qsort(r->cat_extra, r->ncat_extra, sizeof *r->cat_extra, cmp_str);
    return 0;
}

/* the name, with " *" for a partial checklist */
static const char *label_of(rep *r, size_t c, int o)
{
    return r->comps[c].partial[o] ? apn_report__printf(r, "%s *", r->comps[c].name) : r->comps[c].name;
}

/* The footnote lines of offering o's charts: partial, the IAM gap, the limit. */
static const char *footnote(rep *r, int o, const char *first)
{
    const char *f = first;
    if (r->any_partial[o])
        f = f ? apn_report__printf(r, "%s\n%s", f, partial_note) : partial_note;
    if (o == 2 && !r->services_iam)
        f = apn_report__printf(r, "%s%sNo services checklist here has IAM requirements: the recovered common blocks carry none.",
                       f ? f : "", f ? "\n" : "");
    if (r->limited[o])
        f = apn_report__printf(r, "%s%stop %zu of %zu competencies by requirement count", f ? f : "", f ? "\n" : "",
                       r->top, r->npresent[o]);
    return f;
}

/* <figure> for a chart; the SVG goes in later (@@SVG:base@@) */
static void figure(rep *r, int o, const char *base, const char *caption)
{
    apn_buf *b = &r->charts_html;
    apn_buf_printf(b, "<figure class=\"chart\" data-offering=\"%s\" data-chart=\"%s\">", o >= 0 ? apn_report__offerings[o] : "",
                   base);
    apn_buf_printf(b, "<div class=\"svg\" data-gz=\"@@SVG:%s@@\"></div><figcaption>", base);
    apn_html_escape(b, caption);
    apn_buf_printf(b, " <a href=\"%s.svg\">SVG</a> <a href=\"%s.png\">PNG</a></figcaption></figure>\n", base, base);
}

/* ==== the heat map's order ==== */

uint64_t *apn_report__specific_sets(const rep *r, int o, size_t *nw)
{
    apn_map ids = APN_MAP_INIT;
    size_t nid = 0, v;
    uint64_t *sets = NULL;
    int err = 0;
    for (size_t i = 0; i < r->nreqs && !err; i++) {
        const rep_req *q = &r->reqs[i];
        if (q->off == o && apn_report__is_specific(r, o, q->share) && !apn_map_get(&ids, q->id, &v))
            err = apn_map_put(&ids, q->id, nid++);
    }
    *nw = APN_BITSET_WORDS(nid ? nid : 1);
    if (!err && (sets = apn_calloc(r->ncomp * *nw + 1, sizeof *sets)))
        for (size_t i = 0; i < r->nreqs; i++) {
            const rep_req *q = &r->reqs[i];
            if (q->off == o && apn_map_get(&ids, q->id, &v))
                apn_bitset_set(sets + q->comp * *nw, v);
        }
    apn_map_dispose(&ids);
    return sets;
}

/* by total, descending, then slug (the bars' order) */
typedef struct by_total_ctx { const rep *r; int o; } by_total_ctx;
static int cmp_total(const void *x, const void *y, void *ctx)
{
    const by_total_ctx *c = ctx;
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    long ta = c->r->comps[a].total[c->o], tb = c->r->comps[b].total[c->o];
    if (ta != tb)
        return ta > tb ? -1 : 1;
    return a < b ? -1 : a > b;
}

/* The shown competencies of o with requirements, by total (at most max). */
static size_t by_total(const rep *r, int o, size_t *out, size_t max)
{
    size_t n = 0;
    for (size_t k = 0; k < r->ncomp; k++)
        if (r->comps[k].shown[o] && r->comps[k].total[o] > 0)
            out[n++] = k;
    by_total_ctx c = { r, o };
    apn_sort_r(out, n, sizeof *out, cmp_total, &c);
    return n < max ? n : max;
}

long apn_report__heat_order(rep *r, int o, size_t *out)
{
    size_t *all = apn_calloc(r->ncomp + 1, sizeof *all), nw = 0;
    size_t n = all ? by_total(r, o, all, REP_HEAT_MAX) : 0, nc = 0, np = 0;
    uint64_t *sets = all ? apn_report__specific_sets(r, o, &nw) : NULL;
    size_t *comp = apn_calloc(n + 1, sizeof *comp), *part = apn_calloc(n + 1, sizeof *part);
    double *dist = apn_calloc(n * n + 1, sizeof *dist);
    size_t *first = apn_calloc(n + 1, sizeof *first), *next = apn_calloc(n + 1, sizeof *next);
    size_t *last = apn_calloc(n + 1, sizeof *last), *size = apn_calloc(n + 1, sizeof *size);
    long ret = -1;
    if (!all || !sets || !comp || !part || !dist || !first || !next || !last || !size)
        goto cleanup;
    for (size_t i = 0; i < n; i++)
        if (r->comps[all[i]].partial[o])
            part[np++] = all[i];
        else
            comp[nc++] = all[i];
    /* average linkage over 1 - Jaccard of the specific sets; clusters are
     * chains of leaves (first, next, last) merged end to end, so the leaf order
     * at the end keeps every cluster together. n <= REP_HEAT_MAX: n^3 is small. */
    for (size_t i = 0; i < nc; i++)
        for (size_t j = 0; j < nc; j++) {
            const uint64_t *a = sets + comp[i] * nw, *b = sets + comp[j] * nw;
            size_t in = apn_bitset_and_count(a, b, nw);
            size_t un = apn_bitset_count(a, nw) + apn_bitset_count(b, nw) - in;
            dist[i * nc + j] = un ? 1.0 - (double)in / (double)un : 1.0;
        }
    for (size_t i = 0; i < nc; i++) {
        first[i] = last[i] = i;
        next[i] = SIZE_MAX;
        size[i] = 1;
    }
    int *alive = apn_calloc(nc + 1, sizeof *alive);
    if (!alive)
        goto cleanup;
    for (size_t i = 0; i < nc; i++)
        alive[i] = 1;
    for (size_t round = 1; round < nc; round++) {
        size_t bi = 0, bj = 0;
        double best = INFINITY;
        for (size_t i = 0; i < nc; i++)
            for (size_t j = i + 1; alive[i] && j < nc; j++)
                if (alive[j] && dist[i * nc + j] < best - 1e-12) {
                    best = dist[i * nc + j];
                    bi = i;
                    bj = j;
                }
        /* j's chain after i's; distances to the merged cluster: size-weighted mean */
        next[last[bi]] = first[bj];
        last[bi] = last[bj];
        for (size_t k = 0; k < nc; k++)
            if (alive[k] && k != bi && k != bj) {
                double d = (dist[bi * nc + k] * (double)size[bi] + dist[bj * nc + k] * (double)size[bj]) /
                           (double)(size[bi] + size[bj]);
                dist[bi * nc + k] = dist[k * nc + bi] = d;
            }
        size[bi] += size[bj];
        alive[bj] = 0;
    }
    size_t m = 0;
    for (size_t i = 0; i < nc; i++)   /* one cluster is left (or none) */
        if (alive[i])
            for (size_t x = first[i]; x != SIZE_MAX; x = next[x])
                out[m++] = comp[x];
    for (size_t i = 0; i < np; i++)
        out[m++] = part[i];
    apn_free(alive);
    ret = (long)m;
cleanup:
    apn_free(all);
    apn_free(sets);
    apn_free(comp);
    apn_free(part);
    apn_free(dist);
    apn_free(first);
    apn_free(next);
    apn_free(last);
    apn_free(size);
    return ret;
}

/* ==== one offering's charts ==== */

typedef struct pcount {
    const char *prefix;
    long n;
} pcount;

static int cmp_pcount(const void *a, const void *b)
{
    const pcount *x = a, *y = b;
    if (x->n != y->n)
        return x->n > y->n ? -1 : 1;
    return strcmp(x->prefix, y->prefix);
}

/* Adds n to prefix's count in v (np entries, at most cap). */
static void count_prefix(pcount *v, size_t *np, const char *prefix, long n)
{
    size_t k = 0;
    while (k < *np && strcmp(v[k].prefix, prefix))
        k++;
    if (k == *np)
        v[(*np)++] = (pcount){ prefix, 0 };
    v[k].n += n;
}

/* The categories of the bars' specific series: those of the shown, in name
 * order ("" last, as "no category"). */
static size_t categories(const rep *r, int o, const char **out)
{
    size_t n = 0;
    for (size_t k = 0; k < r->ncomp; k++) {
        if (!r->comps[k].shown[o])
            continue;
        const char *c = r->comps[k].category;
        size_t j = 0;
        while (j < n && strcmp(out[j], c))
            j++;
        if (j == n)
            out[n++] = c;
    }
    qsort(out, n, sizeof *out, cmp_str);
    if (n && !*out[0]) {   /* "" first after sorting: move it to the end */
        memmove(out, out + 1, (n - 1) * sizeof *out);
        out[n - 1] = "";
    }
    return n;
}

static int bars_for(rep *r, apn_buf *script, int o, const size_t *rows, size_t nrow)
{
    size_t cap = r->nreqs + 1, np = 0;
    pcount *common = apn_calloc(cap, sizeof *common);
    const char **cats = apn_calloc(r->ncomp + 1, sizeof *cats);
    if (!common || !cats) {
        apn_free(common);
        apn_free(cats);
        return APN_ENOMEM;
    }
    size_t *rowpos = apn_calloc(r->ncomp + 1, sizeof *rowpos);
    for (size_t k = 0; rowpos && k <= r->ncomp; k++)
        rowpos[k] = SIZE_MAX;
    for (size_t i = 0; rowpos && i < nrow; i++)
        rowpos[rows[i]] = i;
    /* the common prefixes, by their requirements over the shown */
    for (size_t i = 0; i < r->nreqs; i++) {
        const rep_req *q = &r->reqs[i];
        if (q->off == o && rowpos && rowpos[q->comp] != SIZE_MAX && !apn_report__is_specific(r, o, q->share))
            count_prefix(common, &np, q->prefix, 1);
    }
    qsort(common, np, sizeof *common, cmp_pcount);
    size_t nmuted = np <= APN_CHART_NMUTED ? np : APN_CHART_NMUTED - 1;   /* the last shade: the rest */
    size_t ncat = categories(r, o, cats);
    size_t ns = nmuted + (np > nmuted) + ncat;
    const char **sl = apn_arena_alloc(&r->a, (ns + 1) * sizeof *sl), **col = apn_arena_alloc(&r->a, (ns + 1) * sizeof *col);
    const char **rl = apn_arena_alloc(&r->a, (nrow + 1) * sizeof *rl), **tl = apn_arena_alloc(&r->a, (nrow + 1) * sizeof *tl);
    double *v = apn_arena_alloc(&r->a, (nrow * ns + 1) * sizeof *v);
    int *hatched = apn_arena_alloc(&r->a, (nrow + 1) * sizeof *hatched);
    pcount *spec = apn_calloc(cap, sizeof *spec);
    int err = 0;
    if (!rowpos || !sl || !col || !rl || !tl || !v || !hatched || !spec) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    memset(v, 0, (nrow * ns + 1) * sizeof *v);
    for (size_t s = 0; s < nmuted; s++) {
        sl[s] = common[s].prefix;
        col[s] = apn_chart_muted[s];
    }
    if (np > nmuted) {
        sl[nmuted] = apn_report__printf(r, "other common (%zu prefixes)", np - nmuted);
        col[nmuted] = apn_chart_muted[APN_CHART_NMUTED - 1];
    }
    size_t c0 = nmuted + (np > nmuted);
    for (size_t c = 0; c < ncat; c++) {
        sl[c0 + c] = *cats[c] ? apn_report__printf(r, "specific: %s", cats[c]) : "specific: no category";
        col[c0 + c] = apn_report__category_color(r, cats[c]);
    }
    for (size_t i = 0; i < nrow; i++) {
        size_t k = rows[i], nsp = 0;
        rl[i] = label_of(r, k, o);
        hatched[i] = r->comps[k].partial[o];
        size_t cat = 0;
        while (cat < ncat && strcmp(cats[cat], r->comps[k].category))
            cat++;
        for (size_t q = r->req_at[k * REP_NOFF + (size_t)o]; q < r->req_at[k * REP_NOFF + (size_t)o + 1]; q++) {
            const rep_req *x = &r->reqs[q];
            if (apn_report__is_specific(r, o, x->share)) {
                v[i * ns + c0 + cat] += 1;
                count_prefix(spec, &nsp, x->prefix, 1);
                continue;
            }
            size_t s = 0;
            while (s < nmuted && strcmp(sl[s], x->prefix))
                s++;
            v[i * ns + (s < nmuted ? s : nmuted)] += 1;
        }
        /* above the bar: its biggest specific prefix, and how many more */
        qsort(spec, nsp, sizeof *spec, cmp_pcount);
        tl[i] = !nsp ? NULL
              : nsp == 1 ? apn_report__printf(r, "%s %ld", spec[0].prefix, spec[0].n)
              : apn_report__printf(r, "%s %ld +%zu", spec[0].prefix, spec[0].n, nsp - 1);
    }
    char base[64];
    snprintf(base, sizeof base, "bars-%s", apn_report__offerings[o]);
    const char *foot = footnote(r, o, apn_report__printf(r, "common = carried by more than %.0f%% of the %zu competencies; "
                                                    "above each bar: its biggest specific prefix (+ how many more)",
                                                 REP_SPECIFIC_SHARE * 100, r->npresent[o]));
    apn_chart_bars bars = {
        apn_report__printf(r, "Requirements per competency: common blocks and what is specific (%s)", apn_report__offerings[o]),
        "requirements", NULL, foot, 0, nrow, ns, rl, sl, col, v,
        r->any_partial[o] ? hatched : NULL, "partial checklist (a lower bound)", tl, 1 };
    apn_chart_bars_add(script, apn_report__chart_base(r, base), &bars);
    figure(r, o, base, apn_report__printf(r, "%s: each competency's requirements, the common blocks in grey-blue by prefix, "
                                     "what is specific to it in its category's colour; sorted by total.",
                                  apn_report__offerings[o]));
cleanup:
    apn_free(common);
    apn_free(cats);
    apn_free(rowpos);
    apn_free(spec);
    return err;
}

static int heat_for(rep *r, apn_buf *script, int o)
{
    size_t *ord = apn_calloc(REP_HEAT_MAX + 1, sizeof *ord), nw = 0;
    uint64_t *sets = apn_report__specific_sets(r, o, &nw);
    long n = ord && sets ? apn_report__heat_order(r, o, ord) : -1;
    int err = 0;
    if (n < 0) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    if (n < 2)
        goto cleanup;
    size_t m = (size_t)n;
    double *cv = apn_arena_alloc(&r->a, (m * m + 1) * sizeof *cv), *lv = apn_arena_alloc(&r->a, (m * m + 1) * sizeof *lv);
    unsigned char *kind = apn_arena_alloc(&r->a, m * m + 1);
    const char **labels = apn_arena_alloc(&r->a, (m + 1) * sizeof *labels);
    if (!cv || !lv || !kind || !labels) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    double top = 1;
    for (size_t i = 0; i < m; i++) {
        labels[i] = label_of(r, ord[i], o);
        for (size_t j = 0; j < m; j++) {
            size_t k = i * m + j;
            const rep_comp *a = &r->comps[ord[i]], *b = &r->comps[ord[j]];
            lv[k] = (double)apn_bitset_and_count(sets + ord[i] * nw, sets + ord[j] * nw, nw);
            cv[k] = 0;
            kind[k] = i == j ? APN_HEAT_DIAG : a->partial[o] || b->partial[o] ? APN_HEAT_NONE : APN_HEAT_VALUE;
            if (kind[k] == APN_HEAT_VALUE && lv[k] > top)
                top = lv[k];
        }
    }
    for (size_t k = 0; k < m * m; k++)
        if (kind[k] == APN_HEAT_VALUE) {
            cv[k] = lv[k] / top;
            if (lv[k] == 0)
                lv[k] = -1;   /* nothing shared: an empty cell reads better than a 0 */
        }
    char base[64];
    snprintf(base, sizeof base, "overlap-%s", apn_report__offerings[o]);
    const char *excl = apn_report__printf(r, "specific = carried by at most %.0f%% of the %zu competencies (the common blocks "
                                     "left out); grey, hatched: a partial checklist, not known; diagonal: its own "
                                     "specific requirements; order: clusters of what they share",
                                  REP_SPECIFIC_SHARE * 100, r->npresent[o]);
    if ((size_t)n < r->nshown[o])
        excl = apn_report__printf(r, "%s\nthe %ld largest of the %zu shown", excl, n, r->nshown[o]);
    apn_chart_heat hm = { apn_report__printf(r, "Specific requirements two competencies share: %s", apn_report__offerings[o]),
                          "specific requirements shared", footnote(r, o, excl), m, labels, cv, lv, kind, top };
    apn_chart_heat_add(script, apn_report__chart_base(r, base), &hm);
    figure(r, o, base, apn_report__printf(r, "%s: how many specific requirements (held by at most %.0f%% of the "
                                     "competencies) each pair shares; clustered so that groups show.",
                                  apn_report__offerings[o], REP_SPECIFIC_SHARE * 100));
cleanup:
    apn_free(ord);
    apn_free(sets);
    return err;
}

/* own checklist against what the prerequisites add, in hardest's order */
static int hardest_for(rep *r, apn_buf *script, int o, size_t nrow)
{
    const char **hl = apn_arena_alloc(&r->a, (nrow + 1) * sizeof *hl);
    double *hv = apn_arena_alloc(&r->a, (2 * nrow + 2) * sizeof *hv);
    size_t nh = 0;
    if (!hl || !hv)
        return APN_ENOMEM;
    for (size_t i = 0; i < apn_table_nrows(r->hardest) && nh < nrow; i++) {
        if (apn_report__off_index(apn_table_text(r->hardest, i, 2)) != o)
            continue;
        long c = apn_report__comp_index(r, apn_table_text(r->hardest, i, 1));
        if (c < 0)
            continue;
        hl[nh] = label_of(r, (size_t)c, o);
        hv[2 * nh] = (double)apn_table_int(r->hardest, i, 4);
        hv[2 * nh + 1] = (double)apn_table_int(r->hardest, i, 5);
        nh++;
    }
    static const char *const hs[2] = { "own checklist", "via prerequisites" };
    static const char *const hc[2] = { "#1f5fbf", "#f28e2b" };
    char base[64];
    snprintf(base, sizeof base, "hardest-%s", apn_report__offerings[o]);
    apn_chart_bars hard = { apn_report__printf(r, "Hardest competencies: %s", apn_report__offerings[o]), "requirements", NULL,
                            footnote(r, o, NULL), 0, nh, 2, hl, hs, hc, hv, NULL, NULL, NULL, 0 };
    apn_chart_bars_add(script, apn_report__chart_base(r, base), &hard);
    figure(r, o, base, apn_report__printf(r, "%s: requirements of the competency's own checklist and those its "
                                     "prerequisites (FTR, other competencies) add.", apn_report__offerings[o]));
    return 0;
}

static int charts_for(rep *r, apn_buf *script, int o)
{
    size_t *rows = apn_calloc(r->ncomp + 1, sizeof *rows);
    int err = 0;
    if (!rows)
        return APN_ENOMEM;
    size_t nrow = by_total(r, o, rows, r->ncomp);
    if (nrow && (err = bars_for(r, script, o, rows, nrow)) == 0 && (err = heat_for(r, script, o)) == 0)
        err = hardest_for(r, script, o, nrow);
    apn_free(rows);
    return err;
}

/* ==== reach ==== */

static int reach_chart(rep *r, apn_buf *script)
{
    int oo[REP_NOFF], no = 0;
    for (int o = 0; o < REP_NOFF; o++)
        if (r->npresent[o])
            oo[no++] = o;
    size_t n = r->nreach < REP_REACH_TOP ? r->nreach : REP_REACH_TOP;
    if (!n || !no)
        return 0;
    const char **pl = apn_arena_alloc(&r->a, (n + 1) * sizeof *pl);
    double *v = apn_arena_alloc(&r->a, (n * (size_t)no + 1) * sizeof *v);
    const char *sl[REP_NOFF], *col[REP_NOFF];
    if (!pl || !v)
        return APN_ENOMEM;
    for (size_t k = 0; k < n; k++) {
        pl[k] = r->reach[k].prefix;
        for (int s = 0; s < no; s++)
            v[k * (size_t)no + (size_t)s] = (double)r->reach[k].reach[oo[s]];
    }
    for (int s = 0; s < no; s++) {
        sl[s] = apn_report__offerings[oo[s]];
        col[s] = apn_chart_colors[s];
    }
    int anyp = r->any_partial[0] || r->any_partial[1] || r->any_partial[2];
    const char *foot = apn_report__printf(r, "the %zu prefixes with the widest reach of %zu; the table below lists more%s", n,
                                  r->nprefix_all, anyp ? "\n* the counts include partial checklists" : "");
    apn_chart_bars ch = { "Prefix reach: competencies drawing from each ID prefix", "competencies", NULL, foot, 1, n,
                          (size_t)no, pl, sl, col, v, NULL, NULL, NULL, 1 };
    apn_chart_bars_add(script, apn_report__chart_base(r, "reach"), &ch);
    figure(r, -1, "reach", apn_report__printf(r, "For the %zu widest ID prefixes, how many competencies have at least one "
                                         "requirement with it, per offering.", n));
    return 0;
}

/* ==== running gnuplot, and the page's figures ==== */

/* Replaces each @@SVG:base@@ of the figures by base.svg (as gnuplot wrote it
 * into the stage), gzip-compressed and base64-encoded: report.js inflates it
 * into the page as SVG markup. */
static int fill_figures(rep *r)
{
    apn_buf out = APN_BUF_INIT;
    const char *p = apn_buf_cstr(&r->charts_html), *m;
    int err = 0;
    while (!err && (m = strstr(p, "@@SVG:"))) {
        const char *e = strstr(m + 6, "@@");
        if (!e)
            break;
        apn_buf_put(&out, p, (size_t)(m - p));
        char name[80];
        snprintf(name, sizeof name, "%.*s.svg", (int)(e - m - 6), m + 6);
        char *data = NULL;
        size_t len = 0;
        const char *path = apn_io_stage_path(r->stage, name);
        if (!path) {
            err = APN_ENOMEM;
            break;
        }
        if ((err = apn_io_read_file(&data, &len, path, 64u << 20)) < 0) {
            if (err != APN_ENOMEM) {
                apn_diags_add(r->d, APN_SEV_ERROR, apn_report__path(r, name), "", "gnuplot did not write this chart");
                err = APN_EIO;
            }
            break;
        }
        err = apn_html_gzip_base64(&out, data, len);
        apn_free(data);
        p = e + 2;
    }
    apn_buf_puts(&out, p);
    if (!err && out.oom)
        err = APN_ENOMEM;
    apn_buf_dispose(&r->charts_html);
    r->charts_html = out;
    return err;
}

int apn_report__charts(rep *r)
{
    /* two scripts for two gnuplots on two cores: saas and customer-deployed in
     * one, services and the reach chart in the other (about equal work) */
    apn_buf script = APN_BUF_INIT, script2 = APN_BUF_INIT;
    int err = 0;
    for (int o = 0; o < REP_NOFF && !err; o++)
        err = charts_for(r, o < 2 ? &script : &script2, o);
    if (!err)
        err = reach_chart(r, &script2);
    if (!err && (script.oom || script2.oom || r->charts_html.oom || r->oom || r->path.oom))
        err = APN_ENOMEM;
    if (!err) {
        const apn_buf *const both[2] = { &script, &script2 };
        apn_diags found = APN_DIAGS_INIT;
        err = apn_chart_run_all(r->o ? r->o->gnuplot : NULL, both, 2, &found);
        if (found.oom)
            err = APN_ENOMEM;
        if (err == APN_ENOTFOUND) {
            /* no gnuplot: the page is still written, and says why it has no charts */
            r->charts_missing = found.n ? apn_report__printf(r, "%s", found.v[0].message) : "gnuplot was not found";
            if (apn_diags_add(r->d, APN_SEV_WARNING, "", "", "report: no charts: %s", r->charts_missing) < 0)
                r->oom = 1;
            apn_buf_clear(&r->charts_html);
            for (size_t i = apn_io_stage_count(r->stage); i-- > 0;) {   /* the charts were never written */
                const char *name = apn_io_stage_name(r->stage, i);
                size_t len = strlen(name);
                if (len > 4 && (!strcmp(name + len - 4, ".svg") || !strcmp(name + len - 4, ".png")))
                    apn_io_stage_forget(r->stage, name);
            }
            err = r->oom ? APN_ENOMEM : 0;
        } else {
            if (apn_diags_take(r->d, &found) < 0 && !err)
                err = APN_ENOMEM;
            if (!err) {
                r->charts_drawn = 1;
                err = fill_figures(r);
            }
        }
        apn_diags_dispose(&found);
    }
    apn_buf_dispose(&script);
    apn_buf_dispose(&script2);
    return err;
}
