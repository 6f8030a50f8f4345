/* Unit tests for model.c: identity, merging, prerequisites and offerings, on
 * document records made by hand (no reader involved). */
#include "test.h"

#include <pthread.h>

#include "model.h"
#include "util/buf.h"

typedef struct fixture {
    apn_doc docs[8];
    apn_doc *ptrs[8];
    const char *rel[8];
    size_t n;
} fixture;

static apn_doc *doc(fixture *f, const char *rel, apn_docformat fmt, const char *title,
                    const char *subtitle, const char *validity)
{
    apn_doc *d = &f->docs[f->n];
    apn_doc_init(d, rel);
    d->format = fmt;
    d->title = apn_doc_str(d, title);
    d->subtitle = apn_doc_str(d, subtitle);
    d->validity = apn_doc_str(d, validity);
    f->ptrs[f->n] = d;
    f->rel[f->n++] = rel;
    return d;
}

static void item(apn_doc *d, const char *id, const char *title, int pseudo)
{
    apn_item *it = apn_doc_add_item(d);
    it->kind = pseudo ? APN_ITEM_PSEUDO : APN_ITEM_CONTROL;
    it->raw_id = apn_doc_str(d, id);
    it->title = apn_doc_str(d, title);
    it->locus = apn_doc_str(d, "#x");
}

static void prereq(apn_doc *d, const char *title, const char *href)
{
    apn_prereq *p = apn_doc_add_prereq(d);
    p->title = apn_doc_str(d, title);
    if (href) {
        apn_link *l = apn_prereq_add_link(p);
        l->href = apn_doc_str(d, href);
    }
}

static void dispose(fixture *f)
{
    for (size_t i = 0; i < f->n; i++)
        apn_doc_dispose(&f->docs[i]);
}

static const m_checklist *find_cl(const apn_model *m, const char *name)
{
    for (size_t i = 0; i < m->ncls; i++)
        if (!strcmp(m->cls[i].name, name))
            return &m->cls[i];
    return NULL;
}

/* "<req> via <name or own>" of one offering row, or NULL */
static const char *row(apn_model *m, const char *comp, int off, const char *req)
{
    static char buf[128];
    const char *found = NULL;
    m_offrow *rows = NULL;
    size_t cap = 0;
    for (size_t o = 0; o < m->noffs && !found; o++) {
        if (m->offs[o].offering != off || strcmp(m->comps[m->offs[o].comp].slug, comp))
            continue;
        long n = apn_model_offering_rows(&rows, &cap, m, o);
        for (long i = 0; i < n && !found; i++) {
            const m_offrow *r = &rows[i];
            if (!strcmp(m->reqs[r->req].id, req)) {
                snprintf(buf, sizeof buf, "%s via %s", req, r->via < 0 ? "own" : m->cls[r->via].name);
                found = buf;
            }
        }
    }
    apn_free(rows);
    return found;
}

/* all rows of all offerings, in order */
static long all_rows(m_offrow **rows, apn_model *m)
{
    m_offrow *one = NULL;
    size_t cap = 0, capall = 0, n = 0;
    *rows = NULL;
    for (size_t o = 0; o < m->noffs; o++) {
        long k = apn_model_offering_rows(&one, &cap, m, o);
        if (k < 0 || apn_grow(rows, &capall, n + (size_t)k + 1, sizeof **rows) < 0)
            return -1;
        memcpy(*rows + n, one, (size_t)k * sizeof *one);
        n += (size_t)k;
    }
    apn_free(one);
    return (long)n;
}

static void software_fixture(fixture *f)
{
    apn_doc *sw = doc(f, "competency/widgets/technology/W1.html", APN_DOC_HTML, "AWS Widgets Competency",
                      "Partner Offering Validation Checklist", "February 2026-August 2026");
    item(sw, "WID-001", "Widget one", 0);
    item(sw, "netsec-1", "Own wording", 0);
    prereq(sw, "Foundational Technical Review",
           "https://apn-checklists.s3.amazonaws.com/foundational/partner-hosted/partner-hosted/F1.html");
    apn_doc *ph = doc(f, "foundational/partner-hosted/partner-hosted/F1.html", APN_DOC_HTML,
                      "Partner Hosted Foundational Technical Review", "Partner Hosted Validation Checklist",
                      "February 2026-August 2026");
    item(ph, "CIS", "Center for Internet Security (CIS) Benchmark Report", 1);
    item(ph, "HOST-001", "Confirm your hosting model.", 0);
    item(ph, "NETSEC-001", "FTR wording", 0);
    apn_doc *ko = doc(f, "foundational/partner-hosted/partner-hosted/ko/F1.html", APN_DOC_HTML,
                      "Partner Hosted Foundational Technical Review", "Partner Hosted Validation Checklist",
                      "February 2026-August 2026");
    ko->lang = apn_doc_str(ko, "ko");
    item(ko, "HOST-001", "translated", 0);
    apn_doc *cd = doc(f, "foundational/customer-deployed/customer-deployed/F2.html", APN_DOC_HTML,
                      "Customer-Deployed Foundational Technical Review", "Customer-Deployed Validation Checklist",
                      "February 2026-August 2026");
    item(cd, "INT-001", "Introductory material", 0);
}

TEST(model__checklists_and_offerings)
{
    fixture f = { 0 };
    apn_side side = { 0 };
    apn_model m;
    software_fixture(&f);
    REQUIRE(apn_model_build(&m, f.ptrs, f.rel, f.n, &side) == 0);
    CHECK_INT(m.ncls, 3); /* the translation joins its checklist */
    CHECK(find_cl(&m, "widgets software") != NULL);
    CHECK(find_cl(&m, "FTR partner-hosted") != NULL);
    CHECK(find_cl(&m, "FTR customer-deployed") != NULL);
    CHECK_STR(row(&m, "widgets", 0, "NETSEC-001"), "NETSEC-001 via own");
    CHECK_STR(row(&m, "widgets", 0, "HOST-001"), "HOST-001 via FTR partner-hosted");
    CHECK_STR(row(&m, "widgets", 0, "INT-001"), NULL);
    CHECK_STR(row(&m, "widgets", 1, "INT-001"), "INT-001 via FTR customer-deployed");
    CHECK_STR(row(&m, "widgets", 1, "HOST-001"), NULL);
    CHECK_STR(row(&m, "widgets", 2, "WID-001"), NULL); /* no services checklist */
    /* the pseudo item is a prerequisite, never a requirement */
    const m_checklist *ph = find_cl(&m, "FTR partner-hosted");
    REQUIRE(ph != NULL);
    CHECK_INT(ph->nreqs, 2);
    CHECK_INT(ph->nprereqs, 1);
    CHECK_STR(ph->prereqs[0].label, "Center for Internet Security (CIS) Benchmark Report");
    /* representative wording: an English page, not the translation */
    for (size_t r = 0; r < m.nreqs; r++)
        if (!strcmp(m.reqs[r].id, "HOST-001")) {
            REQUIRE(m.reqs[r].wdoc >= 0);
            CHECK_STR(m.docs[m.reqs[r].wdoc].relpath, "foundational/partner-hosted/partner-hosted/F1.html");
            CHECK_INT(m.reqs[r].word, 1);
        }
    apn_model_dispose(&m);
    dispose(&f);
}

TEST(model__input_order_does_not_matter)
{
    fixture f = { 0 }, g = { 0 };
    apn_side side = { 0 };
    apn_model a, b;
    software_fixture(&f);
    software_fixture(&g);
    /* reverse g's order */
    for (size_t i = 0; i < g.n / 2; i++) {
        apn_doc *t = g.ptrs[i];
        const char *r = g.rel[i];
        g.ptrs[i] = g.ptrs[g.n - 1 - i], g.rel[i] = g.rel[g.n - 1 - i];
        g.ptrs[g.n - 1 - i] = t, g.rel[g.n - 1 - i] = r;
    }
    REQUIRE(apn_model_build(&a, f.ptrs, f.rel, f.n, &side) == 0);
    REQUIRE(apn_model_build(&b, g.ptrs, g.rel, g.n, &side) == 0);
    m_offrow *ra, *rb;
    long na = all_rows(&ra, &a), nb = all_rows(&rb, &b);
    REQUIRE(na > 0 && na == nb);
    for (long i = 0; i < na; i++) {
        CHECK_STR(a.reqs[ra[i].req].id, b.reqs[rb[i].req].id);
        CHECK_INT(ra[i].via, rb[i].via);
    }
    apn_free(ra);
    apn_free(rb);
    for (size_t k = 0; k < a.ncls; k++)
        CHECK_STR(a.cls[k].name, b.cls[k].name);
    apn_model_dispose(&a);
    apn_model_dispose(&b);
    dispose(&f);
    dispose(&g);
}

TEST(model__competency_prerequisite_same_track)
{
    fixture f = { 0 };
    apn_side side = { 0 };
    apn_model m;
    apn_doc *w = doc(&f, "competency/widgets/consulting/W2.html", APN_DOC_HTML, "AWS Widgets Competency",
                     "Service Offering Validation Checklist", "February 2026-August 2026");
    item(w, "WIDP-001", "w", 0);
    item(w, "ACCT-001", "a", 0);
    apn_doc *g = doc(&f, "competency/gadgets/consulting/G3.html", APN_DOC_HTML, "AWS Gadgets Competency",
                     "Service Offering Validation Checklist", "February 2026-August 2026");
    item(g, "GADP-001", "g", 0);
    item(g, "ACCT-001", "a", 0);
    prereq(g, "AWS Widgets Competency", "../../widgets/consulting/W2.html");
    REQUIRE(apn_model_build(&m, f.ptrs, f.rel, f.n, &side) == 0);
    CHECK_STR(row(&m, "gadgets", 2, "WIDP-001"), "WIDP-001 via widgets services");
    CHECK_STR(row(&m, "gadgets", 2, "ACCT-001"), "ACCT-001 via own");
    CHECK_STR(row(&m, "widgets", 2, "GADP-001"), NULL);
    apn_model_dispose(&m);
    dispose(&f);
}

TEST(model__releases_and_names)
{
    fixture f = { 0 };
    apn_side side = { 0 };
    apn_model m;
    apn_doc *old = doc(&f, "a/old.html", APN_DOC_HTML, "AWS Small and Medium Business (SMB) Competency",
                       "Service Offering Validation Checklist", "August 2025-February 2026");
    item(old, "SMB-001", "x", 0);
    apn_doc *cur = doc(&f, "b/new.html", APN_DOC_HTML, "AWS Small and Medium Business (SMB) Competency",
                       "Service Offering Validation Checklist", "February 2026-August 2026");
    item(cur, "SMB-002", "y", 0);
    apn_doc *wb = doc(&f, "b/wb.xlsx", APN_DOC_XLSX,
                      "AWS Small and Medium Business (SMB) Competency Service Offering Validation Checklist",
                      NULL, NULL); /* no validity: joins the newest release */
    item(wb, "SMB-003", "z", 0);
    REQUIRE(apn_model_build(&m, f.ptrs, f.rel, f.n, &side) == 0);
    REQUIRE(m.ncls == 2);
    CHECK_STR(m.comps[0].slug, "small-and-medium-business-(smb)");
    CHECK_STR(m.comps[0].name, "Small and Medium Business (SMB)");
    CHECK_INT(m.cls[0].release_key, 202508);
    CHECK_INT(m.cls[0].newest, 0);
    CHECK_INT(m.cls[1].release_key, 202602);
    CHECK_INT(m.cls[1].newest, 1);
    CHECK_INT(m.cls[1].nreqs, 2); /* SMB-002 and the workbook's SMB-003 */
    CHECK(m.diags.nwarn >= 1);
    apn_model_dispose(&m);
    dispose(&f);
}

TEST(model__track_from_checklist_name_not_competency_name)
{
    fixture f = { 0 };
    apn_side side = { 0 };
    apn_model m;
    apn_doc *d = doc(&f, "x/page.html", APN_DOC_HTML, "AWS Industrial Software Competency",
                     "Service Offering Validation Checklist", "February 2026-August 2026");
    item(d, "ISW-001", "x", 0);
    REQUIRE(apn_model_build(&m, f.ptrs, f.rel, f.n, &side) == 0);
    REQUIRE(m.ncls == 1);
    CHECK_STR(m.cls[0].name, "industrial-software services");
    apn_model_dispose(&m);
    dispose(&f);
}

/* ---- no process-wide state ------------------------------------------------ */

/* Each checklist's name and its documents in priority order, as text. */
static char *signature(const apn_model *m)
{
    apn_buf b = APN_BUF_INIT;
    for (size_t k = 0; k < m->ncls; k++) {
        apn_buf_printf(&b, "%s:", m->cls[k].name);
        for (size_t j = 0; j < m->cls[k].ndocs; j++)
            apn_buf_printf(&b, " %s", m->docs[m->cls[k].docs[j]].relpath);
        apn_buf_putc(&b, '\n');
    }
    return apn_buf_detach(&b);
}

typedef struct model_run { int small, rounds, bad; char *first; } model_run;

static void *build_models(void *arg)
{
    model_run *r = arg;
    for (int i = 0; i < r->rounds; i++) {
        fixture f = { 0 };
        apn_side side = { 0 };
        apn_model m;
        software_fixture(&f);
        /* the small run keeps two documents: were the sort's context shared, one
         * run's indices would look into the other's smaller arrays */
        size_t n = r->small ? 2 : f.n;
        if (apn_model_build(&m, f.ptrs + (r->small ? 1 : 0), f.rel + (r->small ? 1 : 0), n, &side) == 0) {
            char *s = signature(&m);
            if (!r->first)
                r->first = s;
            else
                r->bad += strcmp(s, r->first) != 0, apn_free(s);
        } else {
            r->bad++;
        }
        apn_model_dispose(&m);
        dispose(&f);
    }
    return NULL;
}

/* Two models built at once on two threads: each comes out as it does alone
 * (the sorts take their context as an argument; run under ThreadSanitizer to
 * see that nothing is shared). */
TEST(model__two_models_on_two_threads)
{
    model_run alone[2] = { { 0, 1, 0, NULL }, { 1, 1, 0, NULL } };
    model_run both[2] = { { 0, 300, 0, NULL }, { 1, 300, 0, NULL } };
    build_models(&alone[0]);
    build_models(&alone[1]);
    REQUIRE(alone[0].first && alone[1].first);
    CHECK(strstr(alone[0].first, "FTR partner-hosted: foundational/partner-hosted/partner-hosted/F1.html "
                                 "foundational/partner-hosted/partner-hosted/ko/F1.html\n") != NULL);
    pthread_t t[2];
    int started[2];
    for (int i = 0; i < 2; i++)
        started[i] = pthread_create(&t[i], NULL, build_models, &both[i]) == 0;
    for (int i = 0; i < 2; i++)
        if (started[i])
            pthread_join(t[i], NULL);
    REQUIRE(started[0] && started[1]);
    for (int i = 0; i < 2; i++) {
        CHECK_INT(both[i].bad, 0);
        CHECK_STR(both[i].first, alone[i].first);
        apn_free(both[i].first);
        apn_free(alone[i].first);
    }
}
