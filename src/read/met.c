/* met — answers from filled self-assessments, by file and cell. See met.h. */
#include "read/met.h"

#include <stdint.h>
#include <string.h>

#include "read/ids.h"
#include "read/ingest.h"
#include "read/prowler.h"
#include "util/io.h"

void apn_met_init(apn_met_set *s)
{
    memset(s, 0, sizeof *s);
}

void apn_met_dispose(apn_met_set *s)
{
    if (!s)
        return;
    apn_free(s->sources);
    apn_free(s->answers);
    apn_map_dispose(&s->first);
    apn_arena_dispose(&s->arena);
    memset(s, 0, sizeof *s);
}

int apn_met_done(const apn_met_answer *a)
{
    return a && (a->met == APN_MET_YES || a->met == APN_MET_NA);
}

int apn_met_add_source(size_t *out, apn_met_set *s, const char *path, const apn_ident *ident)
{
    if (apn_grow(&s->sources, &s->capsources, s->nsources + 1, sizeof *s->sources) < 0)
        return APN_ENOMEM;
    apn_met_source *so = &s->sources[s->nsources];
    memset(so, 0, sizeof *so);
    if (!(so->path = apn_arena_strdup(&s->arena, path)))
        return APN_ENOMEM;
    if (ident) {
        so->identified = 1;
        so->ident = *ident;
        so->offerings = apn_ident_offerings(ident->programme, ident->variant, ident->track);
    }
    so->answer0 = s->nanswers;
    *out = s->nsources++;
    return 0;
}

int apn_met_add_answer(apn_met_set *s, size_t src, const char *id, apn_met met, const char *response,
                       const char *locus)
{
    apn_met_source *so = &s->sources[src];
    if (met == APN_MET_NONE)
        return 0;
    if (apn_grow(&s->answers, &s->capanswers, s->nanswers + 1, sizeof *s->answers) < 0)
        return APN_ENOMEM;
    apn_met_answer *a = &s->answers[s->nanswers];
    a->id = apn_arena_strdup(&s->arena, id);
    a->met = met;
    a->response = response ? apn_arena_strdup(&s->arena, response) : NULL;
    a->locus = apn_arena_strdup(&s->arena, locus ? locus : "");
    a->source = src;
    a->next = SIZE_MAX;
    if (!a->id || !a->locus || (response && !a->response))
        return APN_ENOMEM;
    size_t k;
    if (apn_map_get(&s->first, a->id, &k) && k != SIZE_MAX) {
        while (s->answers[k].next != SIZE_MAX)
            k = s->answers[k].next;
        s->answers[k].next = s->nanswers;
    } else if (apn_map_put(&s->first, a->id, s->nanswers) < 0) {
        return APN_ENOMEM;
    }
    so->nanswered++;
    so->nmet += apn_met_done(a);
    s->nanswers++;
    so->nanswers++;
    return 0;
}

/* Adds the answers of a workbook's control rows (not its question rows). */
static int add_doc(apn_met_set *s, size_t src, const apn_doc *doc)
{
    int err = 0;
    for (size_t i = 0; i < doc->nitems && !err; i++) {
        const apn_item *it = &doc->items[i];
        apn_id id;
        if (it->kind != APN_ITEM_CONTROL || it->met == APN_MET_NONE || apn_id_parse(&id, it->raw_id) < 0 ||
            id.question)
            continue;
        err = apn_met_add_answer(s, src, id.id, it->met, it->response, it->locus);
    }
    return err;
}

/* Takes the answers added since n0 and the sources since ns0 out again (a
 * file refused after reading). */
static void drop_since(apn_met_set *s, size_t n0, size_t ns0)
{
    s->nsources = ns0;
    for (size_t i = 0; i < n0; i++)
        if (s->answers[i].next >= n0)
            s->answers[i].next = SIZE_MAX;
    for (size_t i = n0; i < s->nanswers; i++) {
        size_t k;
        if (apn_map_get(&s->first, s->answers[i].id, &k) && k >= n0)
            apn_map_put(&s->first, s->answers[i].id, SIZE_MAX);   /* replaces: no allocation */
    }
    s->nanswers = n0;
}

/* A file that is neither a workbook nor a page by its name may be Prowler's
 * compliance CSV: 1 when it was (read into s, or refused: *err says), 0 not. */
static int read_prowler(int *err, apn_met_set *s, const char *path, apn_diags *dg)
{
    char *data = NULL;
    size_t len = 0;
    *err = 0;
    if (apn_ingest_name_format(path) != 0 || apn_io_read_file(&data, &len, path, APN_MAX_INPUT) < 0)
        return 0;   /* unreadable: ingest says why */
    int is = apn_prowler_sniff(data, len);
    if (is)
        *err = apn_prowler_met(s, path, data, len, dg);
    apn_free(data);
    return is;
}

int apn_met_read(apn_met_set *s, const char *path, apn_diags *dg)
{
    apn_doc doc;
    size_t n0 = s->nanswers, ns0 = s->nsources;
    int err;
    if (read_prowler(&err, s, path, dg)) {
        if (err < 0)
            drop_since(s, n0, ns0);
        return err;
    }
    if ((err = apn_ingest_file(&doc, path, NULL)) < 0)
        goto cleanup;
    if (doc.format == APN_DOC_HTML) {   /* read as a page: the reader's words would mislead */
        apn_diags_add(dg, APN_SEV_ERROR, path, "", "not a self-assessment workbook (.xlsx)");
        err = APN_EPARSE;
        goto cleanup;
    }
    for (size_t i = 0; i < doc.diags.n; i++)
        if (doc.diags.v[i].severity == APN_SEV_ERROR)
            apn_diags_add(dg, APN_SEV_ERROR, doc.diags.v[i].path, doc.diags.v[i].locus, "%s",
                          doc.diags.v[i].message);
    if (doc.rejected) {
        err = APN_EPARSE;
        goto cleanup;
    }
    apn_ident ident;
    size_t src;
    err = apn_ident_read(&ident, &doc, path, NULL, doc.validity, &s->arena);
    if (err == APN_ENOMEM)
        goto cleanup;
    if ((err = apn_met_add_source(&src, s, path, err == 0 ? &ident : NULL)) < 0 ||
        (err = add_doc(s, src, &doc)) < 0)
        goto cleanup;
    const apn_met_source *so = &s->sources[src];
    if (!so->nanswered) {
        apn_diags_add(dg, APN_SEV_ERROR, path, "",
                      "no answered requirement (every Met? cell is empty or 'Select'): "
                      "fill in the self-assessment, or plan without --met");
        err = APN_EPARSE;
        goto cleanup;
    }
    if (!so->identified)
        apn_diags_add(dg, APN_SEV_WARNING, path, "",
                      "cannot tell which checklist this workbook fills in (its title names no "
                      "competency or FTR variant): its answers count in no offering");
    else if (!so->offerings)
        apn_diags_add(dg, APN_SEV_WARNING, path, "",
                      "the FTR %s checklist this workbook fills in is part of no offering: its answers "
                      "count in none", so->ident.variant);
cleanup:
    if (err < 0)
        drop_since(s, n0, ns0);
    apn_doc_dispose(&doc);
    return err;
}

/* Does answer a count in mask? */
static int counts(const apn_met_set *s, const apn_met_answer *a, unsigned mask)
{
    return (s->sources[a->source].offerings & mask) != 0;
}

const apn_met_answer *apn_met_lookup(const apn_met_set *s, const char *id, unsigned mask)
{
    size_t k;
    const apn_met_answer *win = NULL;
    if (!apn_map_get(&s->first, id, &k))
        return NULL;
    for (; k != SIZE_MAX; k = s->answers[k].next) {
        const apn_met_answer *a = &s->answers[k];
        if (!counts(s, a, mask))
            continue;
        if (a->met == APN_MET_NO)
            return a;
        if (!win)
            win = a;
    }
    return win;
}

size_t apn_met_conflicts(const apn_met_set *s, unsigned mask, apn_diags *dg)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nanswers; i++) {
        const apn_met_answer *a = &s->answers[i];
        size_t k;
        if (!apn_map_get(&s->first, a->id, &k) || k != i)
            continue;   /* each ID once, from its first answer */
        const apn_met_answer *win = apn_met_lookup(s, a->id, mask);
        if (!win || win->met != APN_MET_NO)
            continue;
        int found = 0;
        for (; k != SIZE_MAX; k = s->answers[k].next) {
            const apn_met_answer *b = &s->answers[k];
            if (!counts(s, b, mask) || !apn_met_done(b))
                continue;
            found = 1;
            apn_diags_add(dg, APN_SEV_WARNING, s->sources[b->source].path, b->locus,
                          "%s answered %s here but no in %s: %s; the no counts (a requirement is "
                          "done only when every answer to it says yes or na)",
                          b->id, apn_met_name(b->met), s->sources[win->source].path, win->locus);
        }
        n += found;
    }
    return n;
}
