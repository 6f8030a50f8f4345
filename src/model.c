/* model — normalisation of documents into checklists and offerings. See model.h.
 *
 * Sections: identity (which checklist a document describes) · folding one
 * document in · checklists and requirements · prerequisites · offerings ·
 * the finishing pass.
 */
#include "model.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "read/ident.h"
#include "util/utf8.h"
#include "read/ids.h"

const char *const apn_offering_names[3] = { "saas", "customer-deployed", "services" };

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

/* NULL stays NULL; a failed copy sets m->oom. */
static const char *acopy(apn_model *m, const char *s) { return s ? astr(m, s) : NULL; }

static void note(apn_model *m, apn_severity sev, const char *path, const char *locus,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void note(apn_model *m, apn_severity sev, const char *path, const char *locus,
                 const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    apn_diags_vadd(&m->diags, sev, path, locus, fmt, ap);
    va_end(ap);
}

static int cmp_str(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : ""); }

/* ==== identity ============================================================ */

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

/* An alias name as the alias map keys it: ASCII folded to lower case (what
 * strcasecmp compares), in the arena; NULL when out of memory. */
static const char *alias_key(apn_model *m, const char *name)
{
    char *k = apn_arena_strdup(&m->arena, name);
    for (char *p = k; p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    m->oom |= !k;
    return k;
}

/* The slug of the first aliases.csv row that names name (case aside), or NULL.
 * One hash lookup: no scan of the rows per document. */
static const char *alias_slug(apn_model *m, const char *name)
{
    size_t v;
    const char *k = name && m->side->nalias ? alias_key(m, name) : NULL;
    return k && apn_map_get(&m->aliasmap, k, &v) ? m->side->alias[v].b : NULL;
}

/* Reads the identity of a document (read/ident.h), then turns a competency's
 * name into its slug when the path gave none: aliases.csv first, then the
 * site's rule. Returns 0 when the document names a checklist, APN_ENOTFOUND
 * otherwise (a failed copy sets m->oom). */
static int identify(apn_model *m, const m_docinfo *di, const apn_doc *d, m_ident *id)
{
    int err = apn_ident_read(id, d, di->relpath, di->url, di->validity, &m->arena);
    if (err == APN_ENOMEM)
        m->oom = 1;
    if (err < 0)
        return APN_ENOTFOUND;
    if (id->name && !id->slug)
        id->slug = alias_slug(m, id->name);
    if (id->name && !id->slug)
        id->slug = slugify(m, id->name);
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
        uint32_t cp;
        if (*p < 0x80) {
            *latin += isalpha(*p) != 0;
            p++;
            continue;
        }
        if (apn_utf8_seq(p, 4, &cp) == 3) {
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
static const char *doc_lang(apn_model *m, const m_docinfo *di, const apn_doc *d)
{
    if (d->lang && *d->lang)
        return strncasecmp(d->lang, "en", 2) ? astr(m, d->lang) : NULL;
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

/* ==== folding one document in ============================================ */

int apn_model_init(apn_model *m, const apn_side *side)
{
    memset(m, 0, sizeof *m);
    m->side = side;
    /* manifest rows merged per path: the last url given, and coverage partial
     * when any row says so, else the last one given */
    if (side->nman && !(m->man = apn_calloc(side->nman, sizeof *m->man)))
        return APN_ENOMEM;
    for (size_t k = 0; k < side->nman; k++) {
        const apn_side_row *r = &side->man[k];
        size_t v;
        if (!apn_map_get(&m->manifest, r->a, &v)) {
            if (apn_map_put(&m->manifest, r->a, v = m->nman++) < 0)
                return APN_ENOMEM;
            m->man[v] = (apn_side_row){ r->a, NULL, NULL };
        }
        apn_side_row *f = &m->man[v];
        if (r->b && *r->b)
            f->b = r->b;
        if (r->c && *r->c && cmp_str(f->c, "partial"))
            f->c = r->c;
    }
    /* aliases.csv: each name (case aside) to its first row */
    for (size_t k = 0; k < side->nalias; k++) {
        const char *key = alias_key(m, side->alias[k].a);
        size_t v;
        if (!key || (!apn_map_get(&m->aliasmap, key, &v) && apn_map_put(&m->aliasmap, key, k) < 0))
            return APN_ENOMEM;
    }
    return 0;
}

static uint64_t title_hash(const char *s)
{
    if (!s)
        return 0;
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    return h ? h : 1;
}

static long find_comp(const apn_model *m, const char *slug)
{
    size_t v;
    return slug && apn_map_get(&m->compmap, slug, &v) ? (long)v : -1;
}

static long intern_req(apn_model *m, const apn_id *id)
{
    size_t v;
    if (apn_map_get(&m->reqmap, id->id, &v))
        return (long)v;
    if (apn_grow(&m->reqs, &m->capreqs, m->nreqs + 1, sizeof *m->reqs) < 0)
        return APN_ENOMEM;
    m_req *r = &m->reqs[m->nreqs];
    memset(r, 0, sizeof *r);
    r->wdoc = -1;
    if (!(r->id = astr(m, id->id)) || !(r->prefix = astr(m, id->prefix)) ||
        apn_map_put(&m->reqmap, r->id, m->nreqs) < 0)
        return APN_ENOMEM;
    return (long)m->nreqs++;
}

/* Representative wording: a workbook first, then an English page, never a
 * translation while another document words it; the shortest path breaks ties. */
static void offer_wording(apn_model *m, m_req *r, size_t doc, uint32_t ord)
{
    const m_docinfo *di = &m->docs[doc];
    int rank = di->translation ? 2 : di->format == APN_DOC_XLSX ? 0 : 1;
    if (r->wdoc >= 0) {
        const char *cur = m->docs[r->wdoc].relpath;
        size_t pl = strlen(di->relpath), cl = strlen(cur);
        if (rank > r->wrank)
            return;
        if (rank == r->wrank && (pl > cl || (pl == cl && strcmp(di->relpath, cur) >= 0)))
            return;
    }
    r->wdoc = (long)doc;
    r->word = ord;
    r->wrank = rank;
}

static int copy_prereqs(apn_model *m, m_docinfo *di, const apn_doc *d)
{
    if (!d->nprereqs)
        return 0;
    if (!(di->prereqs = apn_arena_alloc(&m->arena, d->nprereqs * sizeof *di->prereqs)))
        return APN_ENOMEM;
    for (size_t k = 0; k < d->nprereqs; k++) {
        const apn_prereq *p = &d->prereqs[k];
        m_docprereq *q = &di->prereqs[k];
        memset(q, 0, sizeof *q);
        q->title = acopy(m, p->title);
        q->text = acopy(m, p->text);
        q->locus = acopy(m, p->locus);
        if (p->nlinks && !(q->hrefs = apn_arena_alloc(&m->arena, p->nlinks * sizeof *q->hrefs)))
            return APN_ENOMEM;
        for (size_t l = 0; l < p->nlinks; l++)
            q->hrefs[q->nhrefs++] = acopy(m, p->links[l].href);
    }
    di->nprereqs = d->nprereqs;
    return m->oom ? APN_ENOMEM : 0;
}

static int add_comp(apn_model *m, const m_ident *id, int translation)
{
    long c = find_comp(m, id->slug);
    if (c < 0) {
        if (apn_grow(&m->comps, &m->capcomps, m->ncomps + 1, sizeof *m->comps) < 0 ||
            apn_map_put(&m->compmap, id->slug, m->ncomps) < 0)
            return APN_ENOMEM;
        m->comps[m->ncomps] = (m_comp){ id->slug, NULL, NULL };
        c = (long)m->ncomps++;
    }
    /* the name from the first English document's title, else the slug */
    if (id->name && !translation && !m->comps[c].name)
        m->comps[c].name = id->name;
    return 0;
}

/* The document's items: requirement IDs interned, representative wordings
 * offered, and — for a document that names its checklist — the first
 * occurrence of each ID kept (with a warning for repeats) and items without an
 * ID kept as text prerequisites. */
static int fold_items(apn_model *m, m_docinfo *di, size_t doc, const apn_doc *d)
{
    di->item0 = m->nitems;
    di->pseudo0 = m->npseudo;
    for (size_t t = 0; t < d->nitems; t++) {
        const apn_item *it = &d->items[t];
        apn_id id;
        if (d->format == APN_DOC_XLSX && it->answered && it->kind == APN_ITEM_CONTROL)
            m->answers++;
        if (it->kind != APN_ITEM_CONTROL || apn_id_parse(&id, it->raw_id) < 0) {
            if (!di->identified)
                continue;
            if (apn_grow(&m->pseudo, &m->cappseudo, m->npseudo + 1, sizeof *m->pseudo) < 0)
                return APN_ENOMEM;
            const char *label = it->title && *it->title ? it->title : it->raw_id;
            m->pseudo[m->npseudo++] = (m_pseudo){
                astr(m, label), acopy(m, it->description),
                apn_arena_printf(&m->arena, "%s: %s", di->relpath, it->locus ? it->locus : "") };
            if (m->oom || !m->pseudo[m->npseudo - 1].locus)
                return APN_ENOMEM;
            continue;
        }
        long r = intern_req(m, &id);
        if (r < 0)
            return APN_ENOMEM;
        if (!id.question && it->title && *it->title)
            offer_wording(m, &m->reqs[r], doc, (uint32_t)t);
        if (!di->identified)
            continue;
        /* seen[r] is the last document (index + 1) that had requirement r */
        if ((size_t)r >= m->capseen) {
            size_t old = m->capseen;
            if (apn_grow(&m->seen, &m->capseen, (size_t)r + 1, sizeof *m->seen) < 0)
                return APN_ENOMEM;
            memset(m->seen + old, 0, (m->capseen - old) * sizeof *m->seen);
        }
        if (m->seen[r] == (uint32_t)(doc + 1)) {
            if (!id.question)
                note(m, APN_SEV_WARNING, di->path, it->locus, "%s appears more than once in this %s; kept once",
                     id.id, d->format == APN_DOC_XLSX ? "workbook" : "page");
            continue;
        }
        m->seen[r] = (uint32_t)(doc + 1);
        if (m->nitems >= UINT32_MAX || apn_grow(&m->items, &m->capitems, m->nitems + 1, sizeof *m->items) < 0)
            return APN_ENOMEM;
        m->items[m->nitems++] = (m_item){ title_hash(it->title), (uint32_t)r, (uint32_t)t & 0x7fffffffu,
                                          it->customer_example != 0 };
    }
    di->nitems = m->nitems - di->item0;
    di->npseudo = m->npseudo - di->pseudo0;
    return 0;
}

int apn_model_add(long *index, apn_model *m, const apn_doc *d, const char *relpath)
{
    *index = -1;
    if (d->rejected)
        return 0;
    if (apn_grow(&m->docs, &m->capdocs, m->ndocs + 1, sizeof *m->docs) < 0)
        return APN_ENOMEM;
    size_t doc = m->ndocs;
    m_docinfo *di = &m->docs[doc];
    memset(di, 0, sizeof *di);
    di->path = astr(m, d->path);
    di->relpath = astr(m, relpath);
    di->validity = acopy(m, d->validity);
    di->url = acopy(m, d->url);
    di->format = d->format;
    di->checklist = -1;
    if (m->oom)
        return APN_ENOMEM;
    size_t k;
    if (apn_map_get(&m->manifest, relpath, &k)) {
        if (m->man[k].b)
            di->url = m->man[k].b;
        di->coverage = m->man[k].c;
    }
    di->lang = doc_lang(m, di, d);
    di->translation = di->lang != NULL;
    di->rank = di->translation ? 2 : d->format == APN_DOC_XLSX ? 1 : 0;

    size_t ncontrols = 0;
    for (size_t t = 0; t < d->nitems; t++)
        ncontrols += d->items[t].kind == APN_ITEM_CONTROL;
    if (!ncontrols)
        note(m, APN_SEV_WARNING, di->path, NULL, "no requirements found in this %s",
             d->format == APN_DOC_XLSX ? "workbook" : "page");
    if (identify(m, di, d, &di->id) < 0) {
        note(m, APN_SEV_WARNING, di->path, NULL,
             "cannot tell which checklist this document belongs to (its title names no "
             "competency or FTR variant and its path has no /competency/<slug>/): "
             "its requirements are stored without a checklist");
    } else {
        di->identified = 1;
        if (di->id.slug && add_comp(m, &di->id, di->translation) < 0)
            return APN_ENOMEM;
        if (copy_prereqs(m, di, d) < 0)
            return APN_ENOMEM;
    }
    m->ndocs++;
    if (fold_items(m, di, doc, d) < 0 || m->oom)
        return APN_ENOMEM;
    *index = (long)doc;
    return 0;
}

/* ==== checklists and requirements ========================================= */

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

static int cmp_reqp(const void *a, const void *b)
{
    return strcmp((*(m_req *const *)a)->id, (*(m_req *const *)b)->id);
}

static int cmp_strp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "programme\x1fslug\x1fvariant\x1ftrack" (+ "\x1frelease"): the map key of an
 * identity, in the arena. */
static const char *ident_key(apn_model *m, const char *programme, const char *slug,
                             const char *variant, const char *track, int release, int with_release)
{
    const char *k = with_release
        ? apn_arena_printf(&m->arena, "%s\x1f%s\x1f%s\x1f%s\x1f%d", programme, slug ? slug : "",
                           variant ? variant : "", track ? track : "", release)
        : apn_arena_printf(&m->arena, "%s\x1f%s\x1f%s\x1f%s", programme, slug ? slug : "",
                           variant ? variant : "", track ? track : "");
    if (!k)
        m->oom = 1;
    return k;
}

/* The newest checklist of an identity (after apn_model_finish sorted them). */
static long newest_checklist(apn_model *m, const char *programme, const char *slug,
                             const char *variant, const char *track)
{
    char key[1024];
    size_t v;
    snprintf(key, sizeof key, "%s\x1f%s\x1f%s\x1f%s", programme, slug ? slug : "", variant ? variant : "",
             track ? track : "");
    return apn_map_get(&m->newest, key, &v) ? (long)v : -1;
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
static int cmp_doc_priority(const void *a, const void *b, void *ctx)
{
    const apn_model *m = ctx;
    const m_docinfo *x = &m->docs[*(const size_t *)a], *y = &m->docs[*(const size_t *)b];
    if (x->rank != y->rank)
        return x->rank - y->rank;
    size_t lx = strlen(x->relpath), ly = strlen(y->relpath);
    if (lx != ly)
        return lx < ly ? -1 : 1;
    return strcmp(x->relpath, y->relpath);
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

static long new_checklist(apn_model *m, const m_ident *id, int release_key)
{
    if (apn_grow(&m->cls, &m->capcls, m->ncls + 1, sizeof *m->cls) < 0)
        return APN_ENOMEM;
    m_checklist *c = &m->cls[m->ncls];
    memset(c, 0, sizeof *c);
    c->programme = id->programme;
    c->slug = id->slug;
    c->variant = id->variant;
    c->track = id->track;
    c->release_key = release_key;
    c->page = -1;
    return (long)m->ncls++;
}

/* One checklist per identity and release: documents with a release first, then
 * the others join the newest release of their identity. */
static int group_checklists(apn_model *m)
{
    apn_map byrelease = APN_MAP_INIT, newest = APN_MAP_INIT;
    int err = 0;
    for (int pass = 0; pass < 2 && !err; pass++) {
        for (size_t i = 0; i < m->ndocs; i++) {
            m_docinfo *di = &m->docs[i];
            const m_ident *id = &di->id;
            if (!di->identified || (pass == 0) != (id->release_key != 0))
                continue;
            const char *ik = ident_key(m, id->programme, id->slug, id->variant, id->track, 0, 0);
            const char *rk = pass == 0 ? ident_key(m, id->programme, id->slug, id->variant, id->track,
                                                   id->release_key, 1) : ik;
            size_t v;
            long found = -1;
            if (!ik || !rk) {
                err = APN_ENOMEM;
                break;
            }
            if (pass == 1)
                note(m, APN_SEV_WARNING, di->path, NULL,
                     "no validity period found: joined the newest release of its checklist");
            if (apn_map_get(pass == 0 ? &byrelease : &newest, rk, &v))
                found = (long)v;
            if (found < 0) {
                if ((found = new_checklist(m, id, pass == 0 ? id->release_key : 0)) < 0 ||
                    (pass == 0 && apn_map_put(&byrelease, rk, (size_t)found) < 0)) {
                    err = APN_ENOMEM;
                    break;
                }
                if (!apn_map_get(&newest, ik, &v) || m->cls[v].release_key < m->cls[found].release_key)
                    if (apn_map_put(&newest, ik, (size_t)found) < 0) {
                        err = APN_ENOMEM;
                        break;
                    }
            }
            m_checklist *c = &m->cls[found];
            if (!c->validity && di->validity && !di->translation)
                c->validity = di->validity;
            if (apn_grow(&c->docs, &c->capdocs, c->ndocs + 1, sizeof *c->docs) < 0) {
                err = APN_ENOMEM;
                break;
            }
            c->docs[c->ndocs++] = i;
        }
    }
    apn_map_dispose(&byrelease);
    apn_map_dispose(&newest);
    return err;
}

/* Sorted order, names, flags, the page and coverage of every checklist. */
static int settle_checklists(apn_model *m)
{
    for (size_t k = 0; k < m->ncls; k++)
        for (size_t j = 0; j < m->cls[k].ndocs && !m->cls[k].validity; j++)
            m->cls[k].validity = m->docs[m->cls[k].docs[j]].validity;
    apn_sort(m->cls, m->ncls, sizeof *m->cls, cmp_cl);
    for (size_t k = 0; k < m->ncls; k++) {
        m_checklist *c = &m->cls[k];
        apn_sort_r(c->docs, c->ndocs, sizeof *c->docs, cmp_doc_priority, m);
        if (!(c->name = checklist_name(m, c)))
            return APN_ENOMEM;
        c->competency = find_comp(m, c->slug);
        int last = k + 1 == m->ncls || cmp_str(m->cls[k + 1].programme, c->programme) ||
                   cmp_str(m->cls[k + 1].slug, c->slug) || cmp_str(m->cls[k + 1].variant, c->variant) ||
                   cmp_str(m->cls[k + 1].track, c->track);
        c->newest = last;
        if (last) {
            const char *ik = ident_key(m, c->programme, c->slug, c->variant, c->track, 0, 0);
            if (!ik || apn_map_put(&m->newest, ik, k) < 0)
                return APN_ENOMEM;
        }
        for (size_t j = 0; j < c->ndocs; j++) {
            m_docinfo *di = &m->docs[c->docs[j]];
            di->checklist = (long)k;
            if (c->page < 0 && di->format == APN_DOC_HTML && !di->translation)
                c->page = (long)c->docs[j];
            if (di->coverage && (!c->coverage || strcmp(c->coverage, "partial")))
                c->coverage = di->coverage;
        }
        if (c->page < 0)
            for (size_t j = 0; j < c->ndocs && c->page < 0; j++)
                if (m->docs[c->docs[j]].format == APN_DOC_HTML)
                    c->page = (long)c->docs[j];
    }
    return 0;
}

/* Requirements in ID order (items renumbered), prefixes ranked. */
static int sort_requirements(apn_model *m)
{
    m_req **order = NULL, *sorted = NULL;
    uint32_t *newidx = NULL;
    const char **prefixes = NULL;
    int err = APN_ENOMEM;
    size_t n = m->nreqs;
    if (!(order = apn_calloc(n + 1, sizeof *order)) || !(sorted = apn_calloc(n + 1, sizeof *sorted)) ||
        !(newidx = apn_calloc(n + 1, sizeof *newidx)) || !(prefixes = apn_calloc(n + 1, sizeof *prefixes)))
        goto cleanup;
    for (size_t r = 0; r < n; r++)
        order[r] = &m->reqs[r];
    apn_sort(order, n, sizeof *order, cmp_reqp);
    for (size_t r = 0; r < n; r++) {
        sorted[r] = *order[r];
        newidx[order[r] - m->reqs] = (uint32_t)r;
    }
    if (n)
        memcpy(m->reqs, sorted, n * sizeof *m->reqs);
    for (size_t i = 0; i < m->nitems; i++)
        m->items[i].req = newidx[m->items[i].req];
    for (size_t r = 0; r < n; r++)
        if (apn_map_put(&m->reqmap, m->reqs[r].id, r) < 0)
            goto cleanup;
    /* prefix ranks: sort the prefixes, number the distinct ones */
    for (size_t r = 0; r < n; r++)
        prefixes[r] = m->reqs[r].prefix;
    apn_sort(prefixes, n, sizeof *prefixes, cmp_strp);
    apn_map pm = APN_MAP_INIT;
    m->nprefixes = 0;
    for (size_t r = 0; r < n; r++)
        if ((!r || strcmp(prefixes[r - 1], prefixes[r])) && apn_map_put(&pm, prefixes[r], m->nprefixes++) < 0) {
            apn_map_dispose(&pm);
            goto cleanup;
        }
    for (size_t r = 0; r < n; r++) {
        size_t v = 0;
        apn_map_get(&pm, m->reqs[r].prefix, &v);
        m->reqs[r].prefix_rank = (uint32_t)v;
    }
    apn_map_dispose(&pm);
    err = 0;
cleanup:
    apn_free(order);
    apn_free(sorted);
    apn_free(newidx);
    apn_free(prefixes);
    return err;
}

/* "Worded differently" across the newest checklists: the first wording of each
 * requirement, the checklists of the first and of another one, how many. */
typedef struct wstate { uint64_t first; long first_cl, other_cl; size_t n; } wstate;

static void saw_wording(wstate *s, long k, uint64_t hash)
{
    if (!s->n) {
        s->first = hash;
        s->first_cl = k;
        s->other_cl = -1;
        s->n = 1;
    } else if (s->first != hash) {
        if (s->other_cl < 0)
            s->other_cl = k;
        s->n++;
    }
}

/* Wording per checklist: documents in priority order, the first wording of an
 * ID wins; items without an ID become text prerequisites (a translation's only
 * when the checklist has no original document). One ID is one requirement:
 * notes say where newest checklists word it differently. */
static int word_checklists(apn_model *m)
{
    wstate *w = apn_calloc(m->nreqs + 1, sizeof *w);
    int err = APN_ENOMEM;
    if (!w)
        return APN_ENOMEM;
    for (size_t k = 0; k < m->ncls; k++) {
        m_checklist *c = &m->cls[k];
        int has_original = 0;
        for (size_t j = 0; j < c->ndocs; j++)
            has_original |= !m->docs[c->docs[j]].translation;
        for (size_t j = 0; j < c->ndocs; j++) {
            const m_docinfo *di = &m->docs[c->docs[j]];
            for (size_t p = di->pseudo0; p < di->pseudo0 + di->npseudo; p++) {
                const m_pseudo *ps = &m->pseudo[p];
                if ((!di->translation || !has_original) && !has_text_prereq(c, ps->label) &&
                    add_prereq(c, -1, ps->label, ps->description, ps->locus) < 0)
                    goto cleanup;
            }
            for (size_t t = di->item0; t < di->item0 + di->nitems; t++) {
                const m_item *it = &m->items[t];
                if (m->mark[it->req])
                    continue;
                m->mark[it->req] = 1;
                if (apn_grow(&c->reqs, &c->capreqs, c->nreqs + 1, sizeof *c->reqs) < 0)
                    goto cleanup;
                c->reqs[c->nreqs++] = (m_creq){ it->req, (uint32_t)c->docs[j], it->ord, it->customer_example };
                if (c->newest && it->title_hash && !di->translation)
                    saw_wording(&w[it->req], (long)k, it->title_hash);
            }
        }
        for (size_t q = 0; q < c->nreqs; q++)
            m->mark[c->reqs[q].req] = 0;
    }
    for (size_t r = 0; r < m->nreqs; r++)
        if (w[r].n && w[r].other_cl >= 0)
            note(m, APN_SEV_NOTE, "", "",
                 "%s is worded differently by %s and %s%s: one requirement, each checklist "
                 "keeps its wording", m->reqs[r].id, m->cls[w[r].first_cl].name,
                 m->cls[w[r].other_cl].name, w[r].n > 2 ? " (and others)" : "");
    err = 0;
cleanup:
    apn_free(w);
    return err;
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
    char *segs[256], *save = NULL;
    int n = 0;
    for (char *s = strtok_r(buf, "/", &save); s && n < 256; s = strtok_r(NULL, "/", &save)) {
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

static int is_ftr_prereq(const m_docprereq *p, const char **resolved, size_t nres)
{
    if (apn_ident_find(p->title, "Foundational Technical Review"))
        return 1;
    for (size_t i = 0; i < nres; i++)
        if (resolved[i] && (!strncmp(resolved[i], "foundational/", 13) || strstr(resolved[i], "/foundational/")))
            return 1;
    return 0;
}

static int resolve_prereqs(apn_model *m, size_t ci, int *missing_variant)
{
    static const char *const sw_variants[] = { "partner-hosted", "customer-deployed", "alternative" };
    m_checklist *c = &m->cls[ci];
    const m_docinfo *src = NULL;
    int err = 0;
    /* prerequisites come from the first document (by priority) that states any;
     * a translation only when no other document of the checklist does */
    for (size_t k = 0; k < c->ndocs; k++) {
        const m_docinfo *di = &m->docs[c->docs[k]];
        if (di->nprereqs) {
            src = di;
            break;
        }
    }
    if (!src)
        return 0;
    for (size_t k = 0; k < src->nprereqs; k++) {
        const m_docprereq *p = &src->prereqs[k];
        const char *resolved[32] = { 0 };
        size_t nres = p->nhrefs < 32 ? p->nhrefs : 32;
        for (size_t l = 0; l < nres; l++)
            if (p->hrefs[l] && !(resolved[l] = resolve_href(m, src->relpath, p->hrefs[l])))
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
                long t = newest_checklist(m, "FTR", NULL, variant, sw ? "software" : "services");
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
                const char *s = resolved[l] ? apn_ident_path_slug(&m->arena, &m->oom, resolved[l]) : NULL;
                if (s && cmp_str(s, c->slug))
                    slug = s;
            }
            if (!slug && p->title) {
                const char *nm = apn_ident_name_before(&m->arena, &m->oom, p->title, " Competency");
                if (nm) {
                    slug = alias_slug(m, nm);
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
                    note(m, APN_SEV_WARNING, src->path, p->locus,
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
    return (apn_ident_offerings(t->programme, t->variant, t->track) & APN_OFFER_BIT(offering)) != 0;
}

/* Walks the closure of an offering breadth-first from its checklist, calling
 * row() for each requirement the first time it is met (own ones first). Uses
 * and clears the model's scratch arrays. Returns 0 or row()'s error. */
static int walk_offering(apn_model *m, const m_offering *o, int *partial,
                         int (*row)(void *ud, const m_offrow *r), void *ud)
{
    size_t qh = 0, qt = 0;
    int err = 0;
    m->queue[qt] = o->checklist;
    m->hop[qt++] = SIZE_MAX;
    m->visited[o->checklist] = 1;
    *partial = 0;
    while (qh < qt && !err) {
        size_t ci = m->queue[qh], first = m->hop[qh++];
        const m_checklist *c = &m->cls[ci];
        if (c->coverage && !strcmp(c->coverage, "partial"))
            *partial = 1;
        for (size_t r = 0; r < c->nreqs && !err; r++) {
            uint32_t req = c->reqs[r].req;
            if (m->mark[req])
                continue;
            m->mark[req] = 1;
            m_offrow row_ = { o->comp, req, ci, first == SIZE_MAX ? -1 : (long)first,
                              c->reqs[r].customer_example, o->offering };
            err = row(ud, &row_);
        }
        for (size_t e = 0; e < c->nprereqs; e++) {
            long t = c->prereqs[e].requires;
            if (t < 0 || m->visited[t] || !acceptable(&m->cls[t], o->offering))
                continue;
            m->visited[t] = 1;
            m->queue[qt] = (size_t)t;
            m->hop[qt++] = first == SIZE_MAX ? (size_t)t : first;
        }
    }
    for (size_t i = 0; i < qt; i++) {
        const m_checklist *c = &m->cls[m->queue[i]];
        m->visited[m->queue[i]] = 0;
        for (size_t r = 0; r < c->nreqs; r++)
            m->mark[c->reqs[r].req] = 0;
    }
    return err;
}

typedef struct rowbuf { m_offrow **rows; size_t *cap, n; } rowbuf;

static int collect_row(void *ud, const m_offrow *r)
{
    rowbuf *b = ud;
    if (apn_grow(b->rows, b->cap, b->n + 1, sizeof **b->rows) < 0)
        return APN_ENOMEM;
    (*b->rows)[b->n++] = *r;
    return 0;
}

long apn_model_offering_rows(m_offrow **rows, size_t *cap, apn_model *m, size_t o)
{
    rowbuf b = { rows, cap, 0 };
    int partial;
    int err = walk_offering(m, &m->offs[o], &partial, collect_row, &b);
    return err < 0 ? err : (long)b.n;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static int add_offering(apn_model *m, size_t comp, int offering, size_t base)
{
    m_offrow *rows = NULL;
    size_t cap = 0;
    int err = 0;
    if (apn_grow(&m->offs, &m->capoffs, m->noffs + 1, sizeof *m->offs) < 0)
        return APN_ENOMEM;
    m_offering *o = &m->offs[m->noffs];
    *o = (m_offering){ comp, offering, base, 0, NULL, 0 };
    rowbuf b = { &rows, &cap, 0 };
    if ((err = walk_offering(m, o, &o->partial, collect_row, &b)) < 0)
        goto cleanup;
    if (!(o->set = apn_calloc(b.n + 1, sizeof *o->set))) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < b.n; i++)
        o->set[i] = (uint32_t)rows[i].req;
    o->nset = b.n;
    apn_sort(o->set, o->nset, sizeof *o->set, cmp_u32);
    m->noffs++;
cleanup:
    apn_free(rows);
    return err;
}

/* ==== the finishing pass ================================================== */

int apn_model_finish(apn_model *m)
{
    int err = 0;
    int missing_variant[2] = { 0, 0 };

    /* competencies in slug order, with their categories */
    apn_sort(m->comps, m->ncomps, sizeof *m->comps, cmp_comp);
    for (size_t c = 0; c < m->ncomps; c++) {
        if (apn_map_put(&m->compmap, m->comps[c].slug, c) < 0)
            return APN_ENOMEM;
        if (!m->comps[c].name)
            m->comps[c].name = m->comps[c].slug;
        for (size_t k = 0; k < m->side->ncat; k++)
            if (!strcasecmp(m->side->cat[k].a, m->comps[c].slug))
                m->comps[c].category = m->side->cat[k].b;
    }
    if ((err = group_checklists(m)) < 0 || (err = settle_checklists(m)) < 0 ||
        (err = sort_requirements(m)) < 0)
        goto cleanup;
    if (!(m->mark = apn_calloc(m->nreqs + 1, 1)) || !(m->queue = apn_calloc(m->ncls + 1, sizeof *m->queue)) ||
        !(m->hop = apn_calloc(m->ncls + 1, sizeof *m->hop)) || !(m->visited = apn_calloc(m->ncls + 1, 1))) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    if ((err = word_checklists(m)) < 0)
        goto cleanup;
    /* the checklists hold what they need of the items now: the largest array
     * of the model goes before the store's work begins */
    apn_free(m->items);
    m->items = NULL;
    m->nitems = m->capitems = 0;

    /* prerequisites as edges (targets: newest checklists) */
    for (size_t k = 0; k < m->ncls; k++)
        if ((err = resolve_prereqs(m, k, missing_variant)) < 0)
            goto cleanup;

    /* offerings of every competency */
    for (size_t comp = 0; comp < m->ncomps; comp++) {
        long sv = newest_checklist(m, "Competency", m->comps[comp].slug, NULL, "software");
        long se = newest_checklist(m, "Competency", m->comps[comp].slug, NULL, "services");
        if (sv >= 0 && ((err = add_offering(m, comp, 0, (size_t)sv)) < 0 ||
                        (err = add_offering(m, comp, 1, (size_t)sv)) < 0))
            goto cleanup;
        if (se >= 0 && (err = add_offering(m, comp, 2, (size_t)se)) < 0)
            goto cleanup;
    }
    for (int v = 0; v < 2; v++)
        if (missing_variant[v])
            note(m, APN_SEV_WARNING, "", "",
                 "no %s FTR checklist among the inputs: %s offerings carry their own "
                 "requirements only", v ? "customer-deployed" : "partner-hosted",
                 apn_offering_names[v]);

    /* aliases that name a known competency */
    const apn_side *side = m->side;
    if (side->nalias) {
        if (!(m->alias_name = apn_calloc(side->nalias, sizeof *m->alias_name)) ||
            !(m->alias_comp = apn_calloc(side->nalias, sizeof *m->alias_comp))) {
            err = APN_ENOMEM;
            goto cleanup;
        }
        /* each name once (case aside): its first row that names a known
         * competency; a hash of the names kept, not a scan of them */
        apn_map kept = APN_MAP_INIT;
        for (size_t k = 0; k < side->nalias && !err; k++) {
            long c = find_comp(m, side->alias[k].b);
            const char *key = c < 0 ? NULL : alias_key(m, side->alias[k].a);
            size_t v;
            if (c < 0 || !key || apn_map_get(&kept, key, &v))
                continue;
            if (apn_map_put(&kept, key, k) < 0)
                err = APN_ENOMEM;
            m->alias_name[m->nalias] = side->alias[k].a;
            m->alias_comp[m->nalias++] = (size_t)c;
        }
        apn_map_dispose(&kept);
        if (err < 0)
            goto cleanup;
    }
    m->finished = 1;
cleanup:
    if (!err && (m->oom || m->diags.oom))
        err = APN_ENOMEM;
    return err;
}

static int cmp_docp_rel(const void *a, const void *b, void *ctx)
{
    const char *const *rel = ctx;
    return strcmp(rel[*(const size_t *)a], rel[*(const size_t *)b]);
}

int apn_model_build(apn_model *m, apn_doc **docs, const char **relpaths, size_t ndocs,
                    const apn_side *side)
{
    size_t *order = apn_calloc(ndocs + 1, sizeof *order);
    int err = apn_model_init(m, side);
    long idx;
    if (!order)
        err = APN_ENOMEM;
    if (!err) {
        for (size_t i = 0; i < ndocs; i++)
            order[i] = i;
        apn_sort_r(order, ndocs, sizeof *order, cmp_docp_rel, relpaths);
    }
    for (size_t i = 0; i < ndocs && !err; i++)
        err = apn_model_add(&idx, m, docs[order[i]], relpaths[order[i]]);
    if (!err)
        err = apn_model_finish(m);
    apn_free(order);
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
    }
    for (size_t k = 0; k < m->noffs; k++)
        apn_free(m->offs[k].set);
    apn_free(m->offs);
    apn_free(m->cls);
    apn_free(m->comps);
    apn_free(m->reqs);
    apn_free(m->docs);
    apn_free(m->items);
    apn_free(m->pseudo);
    apn_free(m->seen);
    apn_free(m->mark);
    apn_free(m->queue);
    apn_free(m->hop);
    apn_free(m->visited);
    apn_free(m->alias_name);
    apn_free(m->alias_comp);
    apn_free(m->man);
    apn_map_dispose(&m->manifest);
    apn_map_dispose(&m->aliasmap);
    apn_map_dispose(&m->compmap);
    apn_map_dispose(&m->newest);
    apn_map_dispose(&m->reqmap);
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
