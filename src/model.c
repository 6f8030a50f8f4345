/* model — normalisation of documents into checklists and offerings. See model.h.
 *
 * Sections: identity (which checklist a document describes) · checklists and
 * requirements · wording · prerequisites · offerings.
 */
#include "model.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bitset.h"
#include "buf.h"
#include "ids.h"

const char *const apn_offering_names[3] = { "saas", "customer-deployed", "services" };

#define CHECK_MEM(x)              \
    do {                          \
        if (!(x)) {               \
            err = APN_ENOMEM;     \
            goto cleanup;         \
        }                         \
    } while (0)

/* Arena copies that remember a failure: helpers below return NULL both for "not
 * found" and for out of memory, and the sticky flag keeps the second from passing
 * for the first. */
static const char *mstrndup(apn_model *m, const char *s, size_t n)
{
    const char *r = apn_arena_strndup(&m->arena, s, n);
    if (!r)
        m->oom = 1;
    return r;
}

static const char *astr(apn_model *m, const char *s) { return mstrndup(m, s, strlen(s)); }

static void note(apn_model *m, apn_severity sev, const char *path, const char *locus,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void note(apn_model *m, apn_severity sev, const char *path, const char *locus,
                 const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    apn_diags_add(&m->diags, sev, path, locus, "%s", msg);
}

/* ==== identity ============================================================ */

typedef struct ident {
    const char *programme, *name, *slug, *variant, *track;
    int release_key;
} ident;

static const char *ci_find(const char *hay, const char *needle)
{
    return hay && needle ? strcasestr(hay, needle) : NULL;
}

/* "February 2026-August 2026" -> 202602; 0 when no month and year are found. */
static int release_key(const char *validity)
{
    static const char *months[] = { "jan", "feb", "mar", "apr", "may", "jun",
                                    "jul", "aug", "sep", "oct", "nov", "dec" };
    if (!validity)
        return 0;
    for (const char *p = validity; *p; p++) {
        if (!isalpha((unsigned char)*p) || (p > validity && isalpha((unsigned char)p[-1])))
            continue;
        for (int mo = 0; mo < 12; mo++) {
            if (strncasecmp(p, months[mo], 3))
                continue;
            const char *q = p;
            while (isalpha((unsigned char)*q) || *q == '.')
                q++;
            while (*q == ' ' || *q == ',')
                q++;
            if (isdigit((unsigned char)q[0]) && isdigit((unsigned char)q[1]) &&
                isdigit((unsigned char)q[2]) && isdigit((unsigned char)q[3]))
                return atoi(q) * 100 + mo + 1;
        }
    }
    return 0;
}

/* Lower-cases name and turns spaces into hyphens: the real site's slug rule. */
static const char *slugify(apn_model *m, const char *name)
{
    apn_buf b = APN_BUF_INIT;
    int dash = 0;
    for (const char *p = name; *p; p++) {
        if (isspace((unsigned char)*p)) {
            dash = b.len > 0;
            continue;
        }
        if (dash)
            apn_buf_putc(&b, '-');
        dash = 0;
        apn_buf_putc(&b, (char)tolower((unsigned char)*p));
    }
    m->oom |= b.oom;
    const char *s = b.oom ? NULL : astr(m, apn_buf_cstr(&b));
    apn_buf_dispose(&b);
    return s;
}

/* The slug after "competency/" in a path or URL path: "competency/widgets/..." */
static const char *path_slug(apn_model *m, const char *path)
{
    if (!path)
        return NULL;
    for (const char *p = path; (p = strstr(p, "competency/")); p++) {
        if (p != path && p[-1] != '/')
            continue;
        const char *s = p + strlen("competency/"), *e = strchr(s, '/');
        if (!e || e == s)
            return NULL;
        return mstrndup(m, s, (size_t)(e - s));
    }
    return NULL;
}

/* The text between "AWS " and " <word>" (e.g. " Competency"), trimmed. */
static const char *name_before(apn_model *m, const char *text, const char *word)
{
    const char *w = ci_find(text, word);
    if (!w)
        return NULL;
    const char *s = text;
    for (const char *p = text; p < w; p++)
        if (!strncmp(p, "AWS ", 4) && (p == text || !isalpha((unsigned char)p[-1])))
            s = p + 4;
    while (s < w && isspace((unsigned char)*s))
        s++;
    const char *e = w;
    while (e > s && isspace((unsigned char)e[-1]))
        e--;
    if (e <= s)
        return NULL;
    return mstrndup(m, s, (size_t)(e - s));
}

static const char *alias_slug(const apn_side *side, const char *name)
{
    for (size_t i = 0; name && i < side->nalias; i++)
        if (!strcasecmp(side->alias[i].a, name))
            return side->alias[i].b;
    return NULL;
}

/* Reads the identity of a document from its title, subtitle, path and URL.
 * Returns 0 when the document names a checklist, APN_ENOTFOUND otherwise. */
static int identify(apn_model *m, const apn_side *side, const m_docinfo *di, ident *id)
{
    const apn_doc *d = di->doc;
    char text[2048];
    snprintf(text, sizeof text, "%s %s", d->title ? d->title : "", d->subtitle ? d->subtitle : "");
    const char *where = d->url ? d->url : di->relpath;
    char both[4096];
    snprintf(both, sizeof both, "%s %s %s", text, di->relpath, d->url ? d->url : "");

    memset(id, 0, sizeof *id);
    id->release_key = release_key(d->validity);
    int ftr = ci_find(text, "Foundational Technical Review") != NULL ||
              ci_find(where, "foundational/") != NULL;
    if (ftr) {
        id->programme = "FTR";
        if (ci_find(both, "alternative"))
            id->variant = "alternative";
        else if (ci_find(both, "customer-deployed") || ci_find(both, "customer deployed"))
            id->variant = "customer-deployed";
        else if (ci_find(both, "partner-hosted") || ci_find(both, "partner hosted"))
            id->variant = "partner-hosted";
        else if (ci_find(text, "service offering"))
            id->variant = "service-offering";
        else
            return APN_ENOTFOUND;
        id->track = !strcmp(id->variant, "service-offering") ? "services" : "software";
        return 0;
    }
    if (ci_find(text, "Managed Service Provider") || ci_find(text, "(MSP)")) {
        id->programme = "MSP";
    } else if (ci_find(text, "Service Delivery")) {
        id->programme = "Service Delivery";
        id->name = name_before(m, text, "Service Delivery");
    } else if (ci_find(text, "Service Ready")) {
        id->programme = "Service Ready";
        id->name = name_before(m, text, "Service Ready");
    } else {
        id->name = name_before(m, text, " Competency");
        id->slug = path_slug(m, di->relpath);
        if (!id->slug)
            id->slug = path_slug(m, d->url);
        if (!id->name && !id->slug)
            return APN_ENOTFOUND;
        id->programme = "Competency";
    }
    if (id->name && !id->slug)
        id->slug = alias_slug(side, id->name);
    if (id->name && !id->slug)
        id->slug = slugify(m, id->name);
    /* the track: the checklist's own name first, the site's folder second */
    if (ci_find(text, "Partner Offering"))
        id->track = "software";
    else if (ci_find(text, "Service Offering"))
        id->track = "services";
    else if (ci_find(where, "/technology/") || !strncmp(where, "technology/", 11))
        id->track = "software";
    else if (ci_find(where, "/consulting/") || !strncmp(where, "consulting/", 11))
        id->track = "services";
    else if (!strcmp(id->programme, "Competency"))
        return APN_ENOTFOUND;
    else
        id->track = "services";
    return 0;
}

/* A path segment naming a language folder: two lower-case letters ("/ko/"). */
static const char *lang_segment(apn_model *m, const char *path)
{
    for (const char *p = path; p && *p; p++) {
        if (p != path && p[-1] != '/')
            continue;
        if (islower((unsigned char)p[0]) && islower((unsigned char)p[1]) && p[2] == '/')
            return mstrndup(m, p, 2);
    }
    return NULL;
}

/* Counts letters by script in s: Hangul, kana, CJK ideographs, and Latin. */
static void count_scripts(const char *s, size_t *hangul, size_t *kana, size_t *cjk, size_t *latin)
{
    const unsigned char *p = (const unsigned char *)s;
    while (p && *p) {
        unsigned cp;
        if (*p < 0x80) {
            *latin += isalpha(*p) != 0;
            p++;
            continue;
        }
        if ((*p & 0xF0) == 0xE0 && p[1] && p[2]) {
            cp = (unsigned)(*p & 0x0F) << 12 | (unsigned)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
            p += 3;
            if ((cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x3130 && cp <= 0x318F))
                (*hangul)++;
            else if (cp >= 0x3040 && cp <= 0x30FF)
                (*kana)++;
            else if (cp >= 0x4E00 && cp <= 0x9FFF)
                (*cjk)++;
            continue;
        }
        p++;
    }
}

/* The document's language: as stated (lang attribute), from a /<lang>/ folder,
 * or — real translated pages say lang="" — guessed from the script of its item
 * titles and sections. NULL means English (or unknown, taken as English). */
static const char *doc_lang(apn_model *m, const m_docinfo *di)
{
    const apn_doc *d = di->doc;
    if (d->lang && *d->lang)
        return strncasecmp(d->lang, "en", 2) ? d->lang : NULL;
    const char *seg = lang_segment(m, di->relpath);
    if (seg)
        return seg;
    size_t hangul = 0, kana = 0, cjk = 0, latin = 0;
    for (size_t i = 0; i < d->nitems; i++) {
        count_scripts(d->items[i].title, &hangul, &kana, &cjk, &latin);
        count_scripts(d->items[i].section, &hangul, &kana, &cjk, &latin);
    }
    size_t other = hangul + kana + cjk;
    if (other * 5 < latin + other || !other)
        return NULL;
    return hangul >= kana && hangul >= cjk ? "ko" : kana ? "ja" : "zh";
}

/* ==== checklists and requirements ========================================= */

static int cmp_docinfo(const void *a, const void *b)
{
    return strcmp(((const m_docinfo *)a)->relpath, ((const m_docinfo *)b)->relpath);
}

static int cmp_str(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : ""); }

static int cmp_cl(const void *a, const void *b)
{
    const m_checklist *x = a, *y = b;
    int c;
    if ((c = cmp_str(x->programme, y->programme)) || (c = cmp_str(x->slug, y->slug)) ||
        (c = cmp_str(x->variant, y->variant)) || (c = cmp_str(x->track, y->track)))
        return c;
    return (x->release_key > y->release_key) - (x->release_key < y->release_key);
}

static int cmp_comp(const void *a, const void *b)
{
    return strcmp(((const m_comp *)a)->slug, ((const m_comp *)b)->slug);
}

static int cmp_req(const void *a, const void *b)
{
    return strcmp(((const m_req *)a)->id, ((const m_req *)b)->id);
}

static long find_comp(const apn_model *m, const char *slug)
{
    if (!slug)
        return -1;
    size_t lo = 0, hi = m->ncomps;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(m->comps[mid].slug, slug);
        if (!c)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Same identity, any release. */
static int same_identity(const m_checklist *a, const ident *id)
{
    return !cmp_str(a->programme, id->programme) && !cmp_str(a->slug, id->slug) &&
           !cmp_str(a->variant, id->variant) && !cmp_str(a->track, id->track);
}

static const char *checklist_name(apn_model *m, const m_checklist *c)
{
    if (!strcmp(c->programme, "FTR"))
        return apn_arena_printf(&m->arena, "FTR %s", c->variant);
    if (!strcmp(c->programme, "Competency"))
        return apn_arena_printf(&m->arena, "%s %s", c->slug, c->track);
    if (c->slug)
        return apn_arena_printf(&m->arena, "%s %s %s", c->programme, c->slug, c->track);
    return apn_arena_printf(&m->arena, "%s %s", c->programme, c->track);
}

/* Document order inside a checklist: English page, workbook, translation; then
 * the shorter path. The first document with an item gives that item's wording. */
static const apn_model *sort_ctx;
static int cmp_doc_priority(const void *a, const void *b)
{
    const m_docinfo *x = &sort_ctx->docs[*(const size_t *)a], *y = &sort_ctx->docs[*(const size_t *)b];
    if (x->rank != y->rank)
        return x->rank - y->rank;
    size_t lx = strlen(x->relpath), ly = strlen(y->relpath);
    if (lx != ly)
        return lx < ly ? -1 : 1;
    return strcmp(x->relpath, y->relpath);
}

static long req_index(const apn_map *reqmap, const char *id)
{
    size_t v;
    return apn_map_get(reqmap, id, &v) ? (long)v : -1;
}

/* Representative wording: a workbook first, then an English page, never a
 * translation while another document words it; the shortest path breaks ties. */
static void offer_title(m_req *r, const m_docinfo *di, const char *title, const char *desc)
{
    if (!title || !*title)
        return;
    int rank = di->translation ? 2 : di->doc->format == APN_DOC_XLSX ? 0 : 1;
    size_t pl = strlen(di->relpath);
    if (r->title) {
        if (rank > r->title_rank)
            return;
        if (rank == r->title_rank &&
            (pl > r->title_pathlen || (pl == r->title_pathlen && strcmp(di->relpath, r->title_path) >= 0)))
            return;
    }
    r->title = title;
    r->description = desc;
    r->title_rank = rank;
    r->title_pathlen = pl;
    r->title_path = di->relpath;
}

static int add_prereq(m_checklist *c, long requires, const char *label, const char *text,
                      const char *locus)
{
    if (apn_grow(&c->prereqs, &c->capprereqs, c->nprereqs + 1, sizeof *c->prereqs) < 0)
        return APN_ENOMEM;
    c->prereqs[c->nprereqs++] = (m_prereq){ requires, label, text, locus };
    return 0;
}

static int has_text_prereq(const m_checklist *c, const char *label)
{
    for (size_t i = 0; i < c->nprereqs; i++)
        if (c->prereqs[i].requires < 0 && !strcmp(c->prereqs[i].label, label))
            return 1;
    return 0;
}

/* ==== prerequisites ======================================================= */

/* Resolves href against the document's folder (or takes the path of an absolute
 * URL) and returns it without "." and ".." segments. */
static const char *resolve_href(apn_model *m, const char *relpath, const char *href)
{
    char buf[2048];
    const char *p = strstr(href, "://");
    if (p) {
        p = strchr(p + 3, '/');
        snprintf(buf, sizeof buf, "%s", p ? p + 1 : "");
    } else if (href[0] == '/') {
        snprintf(buf, sizeof buf, "%s", href + 1);
    } else {
        const char *slash = strrchr(relpath, '/');
        snprintf(buf, sizeof buf, "%.*s%s%s", slash ? (int)(slash - relpath) : 0, relpath,
                 slash ? "/" : "", href);
    }
    /* normalise segments in place */
    char *segs[256];
    int n = 0;
    for (char *s = strtok(buf, "/"); s && n < 256; s = strtok(NULL, "/")) {
        if (!strcmp(s, "."))
            continue;
        if (!strcmp(s, "..")) {
            if (n)
                n--;
            continue;
        }
        segs[n++] = s;
    }
    apn_buf b = APN_BUF_INIT;
    for (int i = 0; i < n; i++) {
        if (i)
            apn_buf_putc(&b, '/');
        apn_buf_puts(&b, segs[i]);
    }
    m->oom |= b.oom;
    const char *r = b.oom ? NULL : astr(m, apn_buf_cstr(&b));
    apn_buf_dispose(&b);
    return r;
}

static long newest_checklist(const apn_model *m, const char *programme, const char *slug,
                             const char *variant, const char *track)
{
    long best = -1;
    for (size_t i = 0; i < m->ncls; i++) {
        const m_checklist *c = &m->cls[i];
        if (!c->newest || cmp_str(c->programme, programme) || (slug && cmp_str(c->slug, slug)) ||
            (variant && cmp_str(c->variant, variant)) || (track && cmp_str(c->track, track)))
            continue;
        best = (long)i;
        break;
    }
    return best;
}

static int is_ftr_prereq(const apn_prereq *p, const char **resolved, size_t nres)
{
    if (ci_find(p->title, "Foundational Technical Review"))
        return 1;
    for (size_t i = 0; i < nres; i++)
        if (resolved[i] && (!strncmp(resolved[i], "foundational/", 13) || strstr(resolved[i], "/foundational/")))
            return 1;
    return 0;
}

static int resolve_prereqs(apn_model *m, const apn_side *side, size_t ci, int *missing_variant)
{
    static const char *const sw_variants[] = { "partner-hosted", "customer-deployed", "alternative" };
    m_checklist *c = &m->cls[ci];
    const m_docinfo *src = NULL;
    int err = 0;
    /* prerequisites come from the first document (by priority) that states any;
     * a translation only when no other document of the checklist does */
    for (size_t k = 0; k < c->ndocs; k++) {
        const m_docinfo *di = &m->docs[c->docs[k]];
        if (di->doc->nprereqs) {
            src = di;
            break;
        }
    }
    if (!src)
        return 0;
    for (size_t k = 0; k < src->doc->nprereqs; k++) {
        const apn_prereq *p = &src->doc->prereqs[k];
        const char *resolved[32] = { 0 };
        size_t nres = p->nlinks < 32 ? p->nlinks : 32;
        for (size_t l = 0; l < nres; l++)
            if (p->links[l].href && !(resolved[l] = resolve_href(m, src->relpath, p->links[l].href)))
                return APN_ENOMEM;
        const char *label = p->title && *p->title ? p->title : p->text ? p->text : "prerequisite";
        const char *locus = apn_arena_printf(&m->arena, "%s: %s", src->relpath, p->locus ? p->locus : "");
        if (!locus)
            return APN_ENOMEM;
        int added = 0;
        if (strcmp(c->programme, "FTR") && is_ftr_prereq(p, resolved, nres)) {
            int sw = !strcmp(c->track, "software");
            for (size_t v = 0; v < (sw ? 3u : 1u); v++) {
                const char *variant = sw ? sw_variants[v] : "service-offering";
                long t = newest_checklist(m, "FTR", NULL, variant, NULL);
                if (t < 0) {
                    if (v < 2)
                        missing_variant[v] = 1;
                    continue;
                }
                if ((err = add_prereq(c, t, label, p->text, locus)) < 0)
                    return err;
                added = 1;
            }
        } else {
            const char *slug = NULL;
            for (size_t l = 0; l < nres && !slug; l++) {
                const char *s = resolved[l] ? path_slug(m, resolved[l]) : NULL;
                if (s && cmp_str(s, c->slug))
                    slug = s;
            }
            if (!slug && p->title) {
                const char *nm = name_before(m, p->title, " Competency");
                if (nm) {
                    slug = alias_slug(side, nm);
                    if (!slug)
                        slug = slugify(m, nm);
                    if (slug && (find_comp(m, slug) < 0 || !cmp_str(slug, c->slug)))
                        slug = NULL;
                }
            }
            if (slug) {
                long t = newest_checklist(m, "Competency", slug, NULL, c->track);
                if (t >= 0) {
                    if ((err = add_prereq(c, t, label, p->text, locus)) < 0)
                        return err;
                    added = 1;
                } else {
                    note(m, APN_SEV_WARNING, src->doc->path, p->locus,
                         "prerequisite '%s' names competency '%s', which has no %s checklist "
                         "among the inputs: its requirements are not included",
                         label, slug, c->track);
                }
            }
        }
        if (!added && (err = add_prereq(c, -1, label, p->text, locus)) < 0)
            return err;
    }
    return 0;
}

/* ==== offerings =========================================================== */

static int acceptable(const m_checklist *t, int offering)
{
    static const char *const ftr_for[3] = { "partner-hosted", "customer-deployed", "service-offering" };
    if (!strcmp(t->programme, "FTR"))
        return !strcmp(t->variant, ftr_for[offering]);
    return !strcmp(t->track, offering == 2 ? "services" : "software");
}

static int build_offering(apn_model *m, size_t comp, int offering, size_t base)
{
    size_t *queue = NULL, *hop = NULL, qh = 0, qt = 0;
    char *visited = NULL;
    uint64_t *set = NULL;
    int err = 0, partial = 0;

    CHECK_MEM(queue = apn_calloc(m->ncls + 1, sizeof *queue));
    CHECK_MEM(hop = apn_calloc(m->ncls + 1, sizeof *hop));
    CHECK_MEM(visited = apn_calloc(m->ncls + 1, 1));
    CHECK_MEM(set = apn_bitset_new(m->nwords));
    queue[qt] = base;
    hop[qt++] = SIZE_MAX;
    visited[base] = 1;
    while (qh < qt) {
        size_t ci = queue[qh], first = hop[qh++];
        const m_checklist *c = &m->cls[ci];
        if (c->coverage && !strcmp(c->coverage, "partial"))
            partial = 1;
        for (size_t r = 0; r < c->nreqs; r++) {
            size_t req = c->reqs[r].req;
            if (apn_bitset_has(set, req))
                continue;
            apn_bitset_set(set, req);
            if (apn_grow(&m->rows, &m->caprows, m->nrows + 1, sizeof *m->rows) < 0) {
                err = APN_ENOMEM;
                goto cleanup;
            }
            m->rows[m->nrows++] = (m_offrow){ comp, req, ci, first == SIZE_MAX ? -1 : (long)first,
                                              c->reqs[r].customer_example, offering };
        }
        for (size_t e = 0; e < c->nprereqs; e++) {
            long t = c->prereqs[e].requires;
            if (t < 0 || visited[t] || !acceptable(&m->cls[t], offering))
                continue;
            visited[t] = 1;
            queue[qt] = (size_t)t;
            hop[qt++] = first == SIZE_MAX ? (size_t)t : first;
        }
    }
    if (apn_grow(&m->offs, &m->capoffs, m->noffs + 1, sizeof *m->offs) < 0) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    m->offs[m->noffs++] = (m_offering){ comp, offering, base, partial, set };
    set = NULL;
cleanup:
    apn_free(queue);
    apn_free(hop);
    apn_free(visited);
    apn_free(set);
    return err;
}

/* ==== the whole pass ====================================================== */

int apn_model_build(apn_model *m, apn_doc **docs, const char **relpaths, size_t ndocs,
                    const apn_side *side)
{
    int err = 0;
    ident *ids = NULL;
    apn_map reqmap = APN_MAP_INIT;
    int missing_variant[2] = { 0, 0 };

    memset(m, 0, sizeof *m);
    /* documents in path order: ids never depend on the order of the inputs */
    CHECK_MEM(m->docs = apn_calloc(ndocs, sizeof *m->docs));
    for (size_t i = 0; i < ndocs; i++) {
        if (docs[i]->rejected)
            continue;
        m_docinfo *di = &m->docs[m->ndocs++];
        di->doc = docs[i];
        di->relpath = relpaths[i];
        di->checklist = -1;
        di->lang = doc_lang(m, di);
        di->translation = di->lang != NULL;
        di->rank = di->translation ? 2 : docs[i]->format == APN_DOC_XLSX ? 1 : 0;
    }
    apn_sort(m->docs, m->ndocs, sizeof *m->docs, cmp_docinfo);
    for (size_t i = 0; i < m->ndocs; i++)
        for (size_t k = 0; k < side->nman; k++)
            if (!strcmp(side->man[k].a, m->docs[i].relpath) && side->man[k].b && *side->man[k].b)
                m->docs[i].doc->url = side->man[k].b;

    /* identities, competencies */
    CHECK_MEM(ids = apn_calloc(m->ndocs + 1, sizeof *ids));
    for (size_t i = 0; i < m->ndocs; i++) {
        m_docinfo *di = &m->docs[i];
        size_t ncontrols = 0;
        for (size_t k = 0; k < di->doc->nitems; k++)
            ncontrols += di->doc->items[k].kind == APN_ITEM_CONTROL;
        if (!ncontrols)
            note(m, APN_SEV_WARNING, di->doc->path, NULL, "no requirements found in this %s",
                 di->doc->format == APN_DOC_XLSX ? "workbook" : "page");
        if (identify(m, side, di, &ids[i]) < 0) {
            ids[i].programme = NULL;
            note(m, APN_SEV_WARNING, di->doc->path, NULL,
                 "cannot tell which checklist this document belongs to (its title names no "
                 "competency or FTR variant and its path has no /competency/<slug>/): "
                 "its requirements are stored without a checklist");
            continue;
        }
        if (ids[i].slug && find_comp(m, ids[i].slug) < 0) {
            if (apn_grow(&m->comps, &m->capcomps, m->ncomps + 1, sizeof *m->comps) < 0) {
                err = APN_ENOMEM;
                goto cleanup;
            }
            m->comps[m->ncomps++] = (m_comp){ ids[i].slug, NULL, NULL };
            apn_sort(m->comps, m->ncomps, sizeof *m->comps, cmp_comp);
        }
        long c = find_comp(m, ids[i].slug);
        /* the name from an English document's title, else the slug */
        if (c >= 0 && ids[i].name && !di->translation && !m->comps[c].name)
            m->comps[c].name = ids[i].name;
    }
    for (size_t c = 0; c < m->ncomps; c++) {
        if (!m->comps[c].name)
            m->comps[c].name = m->comps[c].slug;
        for (size_t k = 0; k < side->ncat; k++)
            if (!strcasecmp(side->cat[k].a, m->comps[c].slug))
                m->comps[c].category = side->cat[k].b;
    }

    /* checklists: one per identity and release */
    for (int pass = 0; pass < 2; pass++) {
        /* pass 0: documents with a release; pass 1: the others join the newest */
        for (size_t i = 0; i < m->ndocs; i++) {
            ident *id = &ids[i];
            m_docinfo *di = &m->docs[i];
            if (!id->programme || (pass == 0) != (id->release_key != 0))
                continue;
            long found = -1, newest = -1;
            for (size_t k = 0; k < m->ncls; k++) {
                if (!same_identity(&m->cls[k], id))
                    continue;
                if (pass == 0 && m->cls[k].release_key == id->release_key)
                    found = (long)k;
                if (pass == 1 && (newest < 0 || m->cls[k].release_key > m->cls[newest].release_key))
                    newest = (long)k;
            }
            if (pass == 1) {
                found = newest;
                note(m, APN_SEV_WARNING, di->doc->path, NULL,
                     "no validity period found: joined the newest release of its checklist");
            }
            if (found < 0) {
                if (apn_grow(&m->cls, &m->capcls, m->ncls + 1, sizeof *m->cls) < 0) {
                    err = APN_ENOMEM;
                    goto cleanup;
                }
                m_checklist *c = &m->cls[m->ncls];
                memset(c, 0, sizeof *c);
                c->programme = id->programme;
                c->slug = id->slug;
                c->variant = id->variant;
                c->track = id->track;
                c->release_key = id->release_key;
                c->page = -1;
                found = (long)m->ncls++;
            }
            m_checklist *c = &m->cls[found];
            if (!c->validity && di->doc->validity && !di->translation)
                c->validity = di->doc->validity;
            if (apn_grow(&c->docs, &c->capdocs, c->ndocs + 1, sizeof *c->docs) < 0) {
                err = APN_ENOMEM;
                goto cleanup;
            }
            c->docs[c->ndocs++] = i;
        }
    }
    for (size_t k = 0; k < m->ncls; k++)
        for (size_t j = 0; j < m->cls[k].ndocs && !m->cls[k].validity; j++)
            m->cls[k].validity = m->docs[m->cls[k].docs[j]].doc->validity;
    apn_sort(m->cls, m->ncls, sizeof *m->cls, cmp_cl);
    sort_ctx = m;
    for (size_t k = 0; k < m->ncls; k++) {
        m_checklist *c = &m->cls[k];
        apn_sort(c->docs, c->ndocs, sizeof *c->docs, cmp_doc_priority);
        CHECK_MEM(c->name = checklist_name(m, c));
        c->competency = find_comp(m, c->slug);
        c->newest = k + 1 == m->ncls || !same_identity(&m->cls[k + 1], &(ident){
            c->programme, NULL, c->slug, c->variant, c->track, 0 });
        for (size_t j = 0; j < c->ndocs; j++) {
            m_docinfo *di = &m->docs[c->docs[j]];
            di->checklist = (long)k;
            if (c->page < 0 && di->doc->format == APN_DOC_HTML && !di->translation)
                c->page = (long)c->docs[j];
            for (size_t s = 0; s < side->nman; s++)
                if (!strcmp(side->man[s].a, di->relpath) && side->man[s].c &&
                    *side->man[s].c && (!c->coverage || strcmp(c->coverage, "partial")))
                    c->coverage = side->man[s].c;
        }
        if (c->page < 0)
            for (size_t j = 0; j < c->ndocs && c->page < 0; j++)
                if (m->docs[c->docs[j]].doc->format == APN_DOC_HTML)
                    c->page = (long)c->docs[j];
    }

    /* requirements: every control ID of every document */
    for (size_t i = 0; i < m->ndocs; i++) {
        const apn_doc *d = m->docs[i].doc;
        for (size_t k = 0; k < d->nitems; k++) {
            apn_id id;
            if (d->items[k].kind != APN_ITEM_CONTROL || apn_id_parse(&id, d->items[k].raw_id) < 0)
                continue;
            if (req_index(&reqmap, id.id) >= 0)
                continue;
            if (apn_grow(&m->reqs, &m->capreqs, m->nreqs + 1, sizeof *m->reqs) < 0) {
                err = APN_ENOMEM;
                goto cleanup;
            }
            m_req *r = &m->reqs[m->nreqs];
            memset(r, 0, sizeof *r);
            CHECK_MEM(r->id = astr(m, id.id));
            CHECK_MEM(r->prefix = astr(m, id.prefix));
            CHECK_MEM(apn_map_put(&reqmap, r->id, m->nreqs) == 0);
            m->nreqs++;
        }
    }
    apn_sort(m->reqs, m->nreqs, sizeof *m->reqs, cmp_req);
    for (size_t r = 0; r < m->nreqs; r++)
        CHECK_MEM(apn_map_put(&reqmap, m->reqs[r].id, r) == 0);
    m->nwords = APN_BITSET_WORDS(m->nreqs);

    /* representative wordings, from every document */
    for (size_t i = 0; i < m->ndocs; i++) {
        const apn_doc *d = m->docs[i].doc;
        for (size_t k = 0; k < d->nitems; k++) {
            apn_id id;
            if (d->items[k].kind != APN_ITEM_CONTROL || apn_id_parse(&id, d->items[k].raw_id) < 0 ||
                id.question)
                continue;
            offer_title(&m->reqs[req_index(&reqmap, id.id)], &m->docs[i], d->items[k].title,
                        d->items[k].description);
        }
    }

    /* wording per checklist: documents in priority order, first wording wins */
    for (size_t k = 0; k < m->ncls; k++) {
        m_checklist *c = &m->cls[k];
        int has_original = 0;
        for (size_t j = 0; j < c->ndocs; j++)
            has_original |= !m->docs[c->docs[j]].translation;
        CHECK_MEM(c->set = apn_bitset_new(m->nwords));
        for (size_t j = 0; j < c->ndocs; j++) {
            const m_docinfo *di = &m->docs[c->docs[j]];
            const apn_doc *d = di->doc;
            uint64_t *seen = apn_bitset_new(m->nwords);
            CHECK_MEM(seen);
            for (size_t t = 0; t < d->nitems; t++) {
                const apn_item *it = &d->items[t];
                apn_id id;
                if (it->kind != APN_ITEM_CONTROL || apn_id_parse(&id, it->raw_id) < 0) {
                    const char *label = it->title && *it->title ? it->title : it->raw_id;
                    if ((!di->translation || !has_original) && !has_text_prereq(c, label)) {
                        const char *loc = apn_arena_printf(&m->arena, "%s: %s", di->relpath,
                                                           it->locus ? it->locus : "");
                        if (!loc || add_prereq(c, -1, label, it->description, loc) < 0) {
                            apn_free(seen);
                            err = APN_ENOMEM;
                            goto cleanup;
                        }
                    }
                    continue;
                }
                size_t req = (size_t)req_index(&reqmap, id.id);
                if (apn_bitset_has(seen, req)) {
                    if (!id.question)
                        note(m, APN_SEV_WARNING, d->path, it->locus,
                             "%s appears more than once in this %s; kept once", id.id,
                             d->format == APN_DOC_XLSX ? "workbook" : "page");
                    continue;
                }
                apn_bitset_set(seen, req);
                if (apn_bitset_has(c->set, req))
                    continue;
                apn_bitset_set(c->set, req);
                if (apn_grow(&c->reqs, &c->capreqs, c->nreqs + 1, sizeof *c->reqs) < 0) {
                    apn_free(seen);
                    err = APN_ENOMEM;
                    goto cleanup;
                }
                const char *loc = apn_arena_printf(&m->arena, "%s: %s", di->relpath,
                                                   it->locus ? it->locus : "");
                if (!loc) {
                    apn_free(seen);
                    err = APN_ENOMEM;
                    goto cleanup;
                }
                c->reqs[c->nreqs++] = (m_creq){ req, it->title, it->description, it->section, loc,
                                                it->customer_example, c->docs[j] };
            }
            apn_free(seen);
        }
    }

    /* one ID is one requirement: say where newest checklists word it differently */
    for (size_t r = 0; r < m->nreqs; r++) {
        const char *first = NULL, *first_cl = NULL, *other_cl = NULL;
        size_t nwordings = 0;
        for (size_t k = 0; k < m->ncls; k++) {
            const m_checklist *c = &m->cls[k];
            if (!c->newest || !apn_bitset_has(c->set, r))
                continue;
            for (size_t q = 0; q < c->nreqs; q++) {
                if (c->reqs[q].req != r || !c->reqs[q].title || m->docs[c->reqs[q].doc].translation)
                    continue;
                if (!first) {
                    first = c->reqs[q].title;
                    first_cl = c->name;
                    nwordings = 1;
                } else if (strcmp(first, c->reqs[q].title)) {
                    if (!other_cl)
                        other_cl = c->name;
                    nwordings++;
                }
                break;
            }
        }
        if (other_cl)
            note(m, APN_SEV_NOTE, "", "",
                 "%s is worded differently by %s and %s%s: one requirement, each checklist "
                 "keeps its wording", m->reqs[r].id, first_cl, other_cl,
                 nwordings > 2 ? " (and others)" : "");
    }

    /* prerequisites as edges (targets: newest checklists) */
    for (size_t k = 0; k < m->ncls; k++)
        if ((err = resolve_prereqs(m, side, k, missing_variant)) < 0)
            goto cleanup;

    /* offerings of every competency */
    for (size_t comp = 0; comp < m->ncomps; comp++) {
        long sv = newest_checklist(m, "Competency", m->comps[comp].slug, NULL, "software");
        long se = newest_checklist(m, "Competency", m->comps[comp].slug, NULL, "services");
        if (sv >= 0) {
            if ((err = build_offering(m, comp, 0, (size_t)sv)) < 0 ||
                (err = build_offering(m, comp, 1, (size_t)sv)) < 0)
                goto cleanup;
        }
        if (se >= 0 && (err = build_offering(m, comp, 2, (size_t)se)) < 0)
            goto cleanup;
    }
    for (int v = 0; v < 2; v++)
        if (missing_variant[v])
            note(m, APN_SEV_WARNING, "", "",
                 "no %s FTR checklist among the inputs: %s offerings carry their own "
                 "requirements only", v ? "customer-deployed" : "partner-hosted",
                 apn_offering_names[v]);

    /* aliases that name a known competency */
    if (side->nalias) {
        CHECK_MEM(m->alias_name = apn_calloc(side->nalias, sizeof *m->alias_name));
        CHECK_MEM(m->alias_comp = apn_calloc(side->nalias, sizeof *m->alias_comp));
        for (size_t k = 0; k < side->nalias; k++) {
            long c = find_comp(m, side->alias[k].b);
            int dup = 0;
            for (size_t j = 0; j < m->nalias; j++)
                dup |= !strcasecmp(m->alias_name[j], side->alias[k].a);
            if (c < 0 || dup)
                continue;
            m->alias_name[m->nalias] = side->alias[k].a;
            m->alias_comp[m->nalias++] = (size_t)c;
        }
    }
cleanup:
    if (!err && (m->oom || m->diags.oom))
        err = APN_ENOMEM;
    apn_free(ids);
    apn_map_dispose(&reqmap);
    return err;
}

void apn_model_dispose(apn_model *m)
{
    if (!m)
        return;
    for (size_t k = 0; k < m->ncls; k++) {
        apn_free(m->cls[k].docs);
        apn_free(m->cls[k].reqs);
        apn_free(m->cls[k].prereqs);
        apn_free(m->cls[k].set);
    }
    for (size_t k = 0; k < m->noffs; k++)
        apn_free(m->offs[k].set);
    apn_free(m->offs);
    apn_free(m->rows);
    apn_free(m->cls);
    apn_free(m->comps);
    apn_free(m->reqs);
    apn_free(m->docs);
    apn_free(m->alias_name);
    apn_free(m->alias_comp);
    apn_diags_dispose(&m->diags);
    apn_arena_dispose(&m->arena);
    memset(m, 0, sizeof *m);
}

void apn_side_dispose(apn_side *s)
{
    if (!s)
        return;
    apn_free(s->cat);
    apn_free(s->alias);
    apn_free(s->man);
    apn_arena_dispose(&s->arena);
    memset(s, 0, sizeof *s);
}
