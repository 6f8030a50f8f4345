/* wb — interpret a self-assessment workbook into an apn_doc. See wb.h.
 *
 * Sections: 1. text helpers, 2. title / validity / version, 3. header
 * detection, 4. rows into items, 5. answers, 6. entry points. The cells and
 * formula evaluation are the book's (book.c).
 *
 * Rules worth knowing (docs/formats.md §3, docs/design.md §3-4):
 *  - A requirement sheet has, within its first 20 rows, a header row naming an
 *    ID column, a description column and a Met? column (or, on customer-example
 *    sheets, "Customer Reference" columns whose Met?/Partner Response pairs are
 *    on the row below). Other sheets only feed the title scan and formulas.
 *  - A sheet is a *view* (FTR Results Summary) when at least half of the Met?
 *    cells with content are formulas that reference another sheet: skipped.
 *  - Rows: a requirement ID that is not a question is a control; ".N" questions
 *    feed their control; IDs numbered 000 (CAA-000, SDAT-000) are gate rows
 *    that feed the controls of their prefix; a named row with a description
 *    ("CIS Benchmark Report") is a pseudo item, one per name; a short name
 *    without a description is a section; a second header row that is not a
 *    requirement header (the FTR's feedback block) ends the requirements.
 */
#include "read/wb_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "read/ids.h"

#define HEADER_SCAN_ROWS 20
#define TITLE_SCAN_ROWS 20
#define MAX_REFS 16          /* customer references per row */
#define SECTION_MAX 100      /* longer ID-column text is a note, not a section */

/* ==== 1. text helpers ===================================================== */

static const char *cell_text(const apn_book *b, size_t sheet, unsigned row, int col)
{
    if (col < 0)
        return "";
    const apn_cell *c = apn_book_cell(b, sheet, row, (unsigned)col);
    return c && c->text ? c->text : "";
}

static int blank(const char *s)
{
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return 0;
    return 1;
}

/* Lower-cased, whitespace-collapsed, trimmed copy of s into buf. */
static void norm(char *buf, size_t len, const char *s)
{
    size_t n = 0;
    int space = 0;
    while (*s && isspace((unsigned char)*s))
        s++;
    for (; *s && n + 1 < len; s++) {
        if (isspace((unsigned char)*s)) {
            space = 1;
            continue;
        }
        if (space && n + 2 < len)
            buf[n++] = ' ';
        space = 0;
        buf[n++] = (char)tolower((unsigned char)*s);
    }
    buf[n] = 0;
}

/* Copies s trimmed of surrounding whitespace into the doc's arena. */
static const char *dup_trim(apn_doc *doc, const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return apn_doc_strn(doc, s, n);
}

static void col_name(char *buf, unsigned col)
{
    char tmp[8];
    int n = 0;
    col++;
    while (col && n < 7) {
        tmp[n++] = (char)('A' + (col - 1) % 26);
        col = (col - 1) / 26;
    }
    int k = 0;
    while (n)
        buf[k++] = tmp[--n];
    buf[k] = 0;
}

/* "Sheet!C7" in the doc's arena (written by hand: one per row read). */
static const char *locus(apn_doc *doc, const char *sheet, unsigned row, int col)
{
    char c[8], num[12];
    size_t nn = 0;
    col_name(c, col < 0 ? 0 : (unsigned)col);
    do
        num[sizeof num - 1 - nn++] = (char)('0' + row % 10);
    while ((row /= 10) != 0);
    size_t ns = strlen(sheet), nc = strlen(c);
    char *d = apn_arena_alloc(&doc->arena, ns + 1 + nc + nn + 1);
    if (!d)
        return NULL;
    memcpy(d, sheet, ns);
    d[ns] = '!';
    memcpy(d + ns + 1, c, nc);
    memcpy(d + ns + 1 + nc, num + sizeof num - nn, nn);
    d[ns + 1 + nc + nn] = 0;
    return d;
}

/* strcasestr for an ASCII needle, without the locale's tolower per byte. */
static const char *ci_find(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    unsigned char f = (unsigned char)tolower((unsigned char)needle[0]);
    unsigned char F = (unsigned char)toupper((unsigned char)needle[0]);
    for (const char *p = hay; *p; p++)
        if (((unsigned char)*p == f || (unsigned char)*p == F) && !strncasecmp(p, needle, n))
            return p;
    return NULL;
}

/* ==== 2. title, validity, version ========================================= */

static int names_programme(const char *line, size_t n)
{
    static const char *const pats[] = { "Competency", "Foundational Technical Review",
                                        "Service Delivery", "Service Ready",
                                        "Managed Service Provider", "MSP Program",
                                        "Validation Checklist" };
    char tmp[256];
    if (n >= sizeof tmp)
        return 0;
    memcpy(tmp, line, n);
    tmp[n] = 0;
    for (size_t i = 0; i < sizeof pats / sizeof *pats; i++)
        if (strstr(tmp, pats[i]))
            return 1;
    return 0;
}

/* Looks at cell ci of row r for the validity period, the version (a "Version"
 * label with its value on the right) and the title line. */
static int scan_title_cell(apn_doc *doc, const apn_book_row *r, size_t ci)
{
    const char *t = r->cells[ci].text;
    if (!t || r->cells[ci].type != APN_CELL_STRING)
        return 0;
    const char *v = ci_find(t, "Validity Period:");
    if (v && !doc->validity) {
        v += strlen("Validity Period:");
        size_t n = strcspn(v, "\r\n");
        doc->validity = dup_trim(doc, v, n);
        if (!doc->validity)
            return APN_ENOMEM;
    }
    char lab[32];
    norm(lab, sizeof lab, t);
    if (!doc->version && (!strcmp(lab, "version") || !strcmp(lab, "version:"))) {
        for (size_t k = ci + 1; k < r->ncells; k++)
            if (r->cells[k].text && !blank(r->cells[k].text)) {
                doc->version = dup_trim(doc, r->cells[k].text, strlen(r->cells[k].text));
                if (!doc->version)
                    return APN_ENOMEM;
                break;
            }
    } else if (!doc->version && !strncasecmp(t, "Version:", 8) && strlen(t) < 40) {
        doc->version = dup_trim(doc, t + 8, strcspn(t + 8, "\r\n"));
        if (!doc->version)
            return APN_ENOMEM;
    }
    if (!doc->title && r->row <= 5) {
        const char *p = t;
        while (*p && isspace((unsigned char)*p))
            p++;
        size_t n = strcspn(p, "\r\n");
        if (n && n <= 150 && names_programme(p, n)) {   /* a title, not a paragraph */
            doc->title = dup_trim(doc, p, n);
            if (!doc->title)
                return APN_ENOMEM;
            /* the second line, when it names the checklist, is the subtitle */
            const char *q = p + n;
            while (*q == '\r' || *q == '\n' || *q == ' ')
                q++;
            size_t m = strcspn(q, "\r\n");
            if (m && m < 200) {
                char tmp[200];
                memcpy(tmp, q, m);
                tmp[m] = 0;
                if (strstr(tmp, "Checklist") && !strcasestr(tmp, "Validity")) {
                    doc->subtitle = dup_trim(doc, q, m);
                    if (!doc->subtitle)
                        return APN_ENOMEM;
                }
            }
        }
    }
    return 0;
}

static int scan_titles(apn_doc *doc, const apn_book *b)
{
    for (size_t s = 0; s < apn_book_nsheets(b); s++)
        for (size_t i = 0; i < apn_book_nrows(b, s); i++) {
            const apn_book_row *r = apn_book_row_at(b, s, i);
            if (r->row > TITLE_SCAN_ROWS)
                break;
            for (size_t c = 0; c < r->ncells; c++) {
                int rc = scan_title_cell(doc, r, c);
                if (rc < 0)
                    return rc;
            }
        }
    if (!doc->title) {
        const char *base = strrchr(doc->path ? doc->path : "", '/');
        doc->title = apn_doc_str(doc, base ? base + 1 : (doc->path ? doc->path : ""));
        if (!doc->title)
            return APN_ENOMEM;
    }
    return 0;
}

/* ==== 3. header detection ================================================= */

typedef struct hdr {
    unsigned row;
    int id, desc, met, resp, approval;
    int cust;                       /* customer-example layout */
    int nref;
    int rmet[MAX_REFS], rresp[MAX_REFS];
} hdr;

static int is_id_label(const char *n)
{
    char a[32];
    size_t k = 0;
    for (; *n && k + 1 < sizeof a; n++)
        if (isalnum((unsigned char)*n))
            a[k++] = *n;
    a[k] = 0;
    return !strcmp(a, "id") || !strcmp(a, "requirementid") || !strcmp(a, "controlid") ||
           !strcmp(a, "reqid");
}

static int is_met_label(const char *n)
{
    return !strncmp(n, "met", 3) && !isalpha((unsigned char)n[3]);
}

/* Tries row r (and the row below, for customer-reference sub-headers) as a
 * requirement header. Returns 1 and fills h when it is one. */
static int detect_header(const apn_book_row *r, const apn_book_row *below, hdr *h)
{
    char n[64];
    memset(h, 0, sizeof *h);
    h->id = h->desc = h->met = h->resp = h->approval = -1;
    h->row = r->row;
    int refs = 0;
    for (size_t i = 0; i < r->ncells; i++) {
        if (r->cells[i].type != APN_CELL_STRING || !r->cells[i].text)
            continue;
        norm(n, sizeof n, r->cells[i].text);
        int col = (int)r->cells[i].col;
        if (h->id < 0 && is_id_label(n))
            h->id = col;
        else if (h->desc < 0 && (!strncmp(n, "requirement", 11) || strstr(n, "description")))
            h->desc = col;
        else if (h->met < 0 && is_met_label(n))
            h->met = col;
        else if (h->resp < 0 && !strncmp(n, "partner response", 16))
            h->resp = col;
        else if (h->approval < 0 && !strncmp(n, "approval", 8))
            h->approval = col;
        else if (strstr(n, "customer reference"))
            refs++;
    }
    if (h->id < 0 || h->desc < 0)
        return 0;
    if (refs && below && below->row == r->row + 1) {
        /* Met? / Partner Response pairs on the sub-header row */
        for (size_t i = 0; i < below->ncells && h->nref < MAX_REFS; i++) {
            if (below->cells[i].type != APN_CELL_STRING || !below->cells[i].text)
                continue;
            norm(n, sizeof n, below->cells[i].text);
            if (is_met_label(n)) {
                h->rmet[h->nref] = (int)below->cells[i].col;
                h->rresp[h->nref] = -1;
                h->nref++;
            } else if (!strncmp(n, "partner response", 16) && h->nref &&
                       h->rresp[h->nref - 1] < 0) {
                h->rresp[h->nref - 1] = (int)below->cells[i].col;
            }
        }
        if (h->nref) {
            h->cust = 1;
            return 1;
        }
    }
    return h->met >= 0;
}

/* ==== 4. rows into items ================================================== */

typedef enum { CTL_PRACTICE, CTL_PSEUDO } ctlkind;

typedef struct ctl {
    size_t item;
    char id[APN_ID_MAX];      /* canonical, "" for pseudo items */
    size_t sheet;
    unsigned row;
    hdr h;                    /* the columns in force for this row */
    ctlkind kind;
    int nq;                   /* question rows */
    long gate;                /* index into gates, -1 none */
} ctl;

typedef struct qrow { size_t ctl; size_t sheet; unsigned row; int metcol; } qrow;
typedef struct gate { size_t sheet; unsigned row; int metcol; char prefix[APN_ID_MAX]; } gate;

typedef struct reader {
    apn_doc *doc;
    apn_book *b;
    ctl *ctls;
    size_t nctls, capctls;
    qrow *qs;
    size_t nqs, capqs;
    gate *gates;
    size_t ngates, capgates;
    size_t *ids;              /* open addressing over the controls' ids: index + 1, 0 free */
    size_t capids, nids;
} reader;

static size_t id_hash(const char *id)
{
    size_t h = 14695981039346656037u;
    for (; *id; id++)
        h = (h ^ (unsigned char)*id) * 1099511628211u;
    return h;
}

/* The control with this (canonical, non-empty) id, or -1. Ids of controls are
 * unique: a second row with one is a question or a duplicate, never added. */
static long find_ctl(const reader *rd, const char *id)
{
    if (!rd->capids)
        return -1;
    for (size_t i = id_hash(id) & (rd->capids - 1);; i = (i + 1) & (rd->capids - 1)) {
        size_t k = rd->ids[i];
        if (!k)
            return -1;
        if (!strcmp(rd->ctls[k - 1].id, id))
            return (long)(k - 1);
    }
}

/* Indexes control c by its id. Returns 0 or APN_ENOMEM. */
static int index_ctl(reader *rd, size_t c)
{
    if ((rd->nids + 1) * 2 > rd->capids) {
        size_t cap = rd->capids ? rd->capids * 2 : 64;
        size_t *t = apn_calloc(cap, sizeof *t);
        if (!t)
            return APN_ENOMEM;
        for (size_t i = 0; i < rd->capids; i++) {
            size_t k = rd->ids[i];
            if (!k)
                continue;
            size_t j = id_hash(rd->ctls[k - 1].id) & (cap - 1);
            while (t[j])
                j = (j + 1) & (cap - 1);
            t[j] = k;
        }
        apn_free(rd->ids);
        rd->ids = t;
        rd->capids = cap;
    }
    size_t j = id_hash(rd->ctls[c].id) & (rd->capids - 1);
    while (rd->ids[j])
        j = (j + 1) & (rd->capids - 1);
    rd->ids[j] = c + 1;
    rd->nids++;
    return 0;
}

static long find_pseudo(const reader *rd, const char *name)
{
    for (size_t i = 0; i < rd->nctls; i++)
        if (rd->ctls[i].kind == CTL_PSEUDO &&
            !strcasecmp(rd->doc->items[rd->ctls[i].item].raw_id, name))
            return (long)i;
    return -1;
}

static int add_question(reader *rd, size_t c, size_t sheet, unsigned row, int metcol)
{
    if (apn_grow(&rd->qs, &rd->capqs, rd->nqs + 1, sizeof *rd->qs) < 0)
        return APN_ENOMEM;
    rd->qs[rd->nqs++] = (qrow){ c, sheet, row, metcol };
    rd->ctls[c].nq++;
    return 0;
}

/* A view: at least half of the Met? cells with content are formulas into another sheet. */
static int sheet_is_view(const apn_book *b, size_t s, const hdr *h)
{
    size_t n = 0, refs = 0;
    for (size_t i = 0; i < apn_book_nrows(b, s); i++) {
        const apn_book_row *r = apn_book_row_at(b, s, i);
        if (r->row <= h->row)
            continue;
        int cols[MAX_REFS + 1], nc = 0;
        if (h->met >= 0)
            cols[nc++] = h->met;
        for (int k = 0; k < h->nref; k++)
            cols[nc++] = h->rmet[k];
        for (int k = 0; k < nc; k++) {
            const apn_cell *c = apn_book_cell(b, s, r->row, (unsigned)cols[k]);
            if (!c || (!c->formula && blank(c->text ? c->text : "")))
                continue;
            n++;
            refs += c->formula && strchr(c->formula, '!');
        }
    }
    return n && refs * 2 >= n;
}

/* The title of a control: the description's first non-empty line, without a
 * leading copy of the ID ("WIDP-001: ...", "WIDP-001 - ..."). */
static const char *control_title(apn_doc *doc, const char *raw_id, const char *desc)
{
    const char *p = desc;
    while (isspace((unsigned char)*p))   /* blank leading lines too */
        p++;
    size_t n = strcspn(p, "\r\n");
    char id[APN_ID_MAX];
    size_t k = 0;
    while (raw_id[k] && k + 1 < sizeof id) {
        id[k] = raw_id[k];
        k++;
    }
    id[k] = 0;
    while (k && isspace((unsigned char)id[k - 1]))
        id[--k] = 0;
    if (k && n > k && !strncasecmp(p, id, k) && !isalnum((unsigned char)p[k])) {
        const char *q = p + k;
        const char *end = p + n;
        while (q < end && isspace((unsigned char)*q))
            q++;
        /* a separator: ':' '-' '.' or a Unicode dash (en/em: E2 80 93/94) */
        if (q < end && (*q == ':' || *q == '-' || *q == '.'))
            q++;
        else if (end - q >= 3 && (unsigned char)q[0] == 0xE2 && (unsigned char)q[1] == 0x80 &&
                 ((unsigned char)q[2] == 0x93 || (unsigned char)q[2] == 0x94))
            q += 3;
        while (q < end && isspace((unsigned char)*q))
            q++;
        if (q < end) {
            n -= (size_t)(q - p);
            p = q;
        }
    }
    char *t = (char *)dup_trim(doc, p, n);
    if (t)
        apn_text_squeeze(t);
    return t;
}

static int looks_like_code_word(const char *s)
{
    /* "USE-CASE": one word of capitals, digits and hyphens */
    int letters = 0;
    for (; *s; s++) {
        if (isupper((unsigned char)*s))
            letters++;
        else if (!isdigit((unsigned char)*s) && *s != '-' && *s != '_')
            return 0;
    }
    return letters > 0;
}

static int has_letter(const char *s)
{
    for (; *s; s++)
        if (isalpha((unsigned char)*s))
            return 1;
    return 0;
}

/* "Widgets Cust Example Reqs", "Common Customer Example Requirements" */
static int is_customer_sheet(const char *name)
{
    return ci_find(name, "cust") && ci_find(name, "example");
}

/* One requirement block being read: the columns in force and what the rows
 * so far have opened. */
typedef struct block {
    size_t s;
    const char *sname;
    hdr h;
    int cust_sheet;           /* the sheet's name says customer examples */
    const char *section;      /* the section row last seen */
    long cur;                 /* the control the next question rows belong to, -1 none */
    int active;               /* 0 after a header that is not a requirement header */
} block;

/* The row at hand: its ID and description cells, and its locus. */
typedef struct rowin {
    const apn_book_row *r;
    const char *idt, *desc, *loc;
} rowin;

static int is_customer_item(const block *k)
{
    return k->cust_sheet || k->h.cust || (k->section && is_customer_sheet(k->section));
}

/* Appends an item and its control record. NULL on APN_ENOMEM. */
static apn_item *new_item(reader *rd, const block *k, unsigned row, ctlkind kind)
{
    apn_item *it = apn_doc_add_item(rd->doc);
    if (!it || apn_grow(&rd->ctls, &rd->capctls, rd->nctls + 1, sizeof *rd->ctls) < 0)
        return NULL;
    rd->ctls[rd->nctls] = (ctl){ rd->doc->nitems - 1, "", k->s, row, k->h, kind, 0, -1 };
    return it;
}

/* A row whose ID cell is not a requirement ID: a section, a note, or a named
 * item ("CIS Benchmark Report": one pseudo item per name). */
static int row_unnumbered(reader *rd, block *k, const rowin *in)
{
    apn_doc *doc = rd->doc;
    const char *idt = in->idt, *desc = in->desc;
    size_t len = strlen(idt);
    if (blank(desc) || looks_like_code_word(idt)) {
        /* a section row (or a long note, which changes nothing) */
        if (len <= SECTION_MAX && !strchr(idt, '\n')) {
            const char *name = blank(desc) ? idt : desc;
            if (!(k->section = dup_trim(doc, name, strcspn(name, "\r\n"))))
                return APN_ENOMEM;
        }
        k->cur = -1;
        return 0;
    }
    if (len > SECTION_MAX || strchr(idt, '\n') || !strchr(idt, ' ') || !has_letter(idt)) {
        apn_doc_diag(doc, APN_SEV_WARNING, in->loc,
                     "\"%.40s\" is not a requirement ID: row skipped", idt);
        return 0;
    }
    const char *name = dup_trim(doc, idt, len);
    if (!name)
        return APN_ENOMEM;
    k->cur = -1;
    if (find_pseudo(rd, name) >= 0)
        return 0;
    apn_item *it = new_item(rd, k, in->r->row, CTL_PSEUDO);
    if (!it)
        return APN_ENOMEM;
    it->kind = APN_ITEM_PSEUDO;
    it->raw_id = name;
    it->title = name;
    it->description = dup_trim(doc, desc, strlen(desc));
    it->section = k->section;
    it->locus = in->loc;
    it->customer_example = is_customer_item(k);
    rd->nctls++;
    return 0;
}

/* IAM-002.1: a question of the control row above it. */
static int row_question(reader *rd, const block *k, const rowin *in, const apn_id *id)
{
    long c = find_ctl(rd, id->id);
    if (blank(in->desc)) {
        apn_doc_diag(rd->doc, APN_SEV_WARNING, in->loc,
                     "question row %.40s has no description: skipped", in->idt);
        return 0;
    }
    if (c < 0) {
        apn_doc_diag(rd->doc, APN_SEV_WARNING, in->loc,
                     "question %s.%s has no control row above it: skipped", id->id,
                     id->question_no);
        return 0;
    }
    return add_question(rd, (size_t)c, k->s, in->r->row, k->h.met);
}

/* CAA-000: a gate row, answering whether the controls of its prefix apply. */
static int row_gate(reader *rd, block *k, const rowin *in, const apn_id *id)
{
    if (apn_grow(&rd->gates, &rd->capgates, rd->ngates + 1, sizeof *rd->gates) < 0)
        return APN_ENOMEM;
    gate *g = &rd->gates[rd->ngates++];
    g->sheet = k->s;
    g->row = in->r->row;
    g->metcol = k->h.met;
    snprintf(g->prefix, sizeof g->prefix, "%s", id->prefix);
    k->cur = -1;
    return 0;
}

/* A numbered row: a control, a repeat of one, or (without a description) a
 * section. */
static int row_control(reader *rd, block *k, const rowin *in, const apn_id *id)
{
    apn_doc *doc = rd->doc;
    long dup = find_ctl(rd, id->id);
    if (dup >= 0) {
        if (dup != k->cur) {
            apn_doc_diag(doc, APN_SEV_WARNING, in->loc, "duplicate of %s (first at %s): skipped",
                         id->id, doc->items[rd->ctls[dup].item].locus);
            return 0;
        }
        apn_doc_diag(doc, APN_SEV_WARNING, in->loc,
                     "%s repeated under its own control row: read as its question", id->id);
        return add_question(rd, (size_t)dup, k->s, in->r->row, k->h.met);
    }
    if (blank(in->desc)) {
        /* a numbered row without a description marks a section */
        if (!(k->section = dup_trim(doc, in->idt, strlen(in->idt))))
            return APN_ENOMEM;
        k->cur = -1;
        return 0;
    }
    apn_item *it = new_item(rd, k, in->r->row, CTL_PRACTICE);
    if (!it)
        return APN_ENOMEM;
    it->kind = APN_ITEM_CONTROL;
    it->raw_id = dup_trim(doc, in->idt, strlen(in->idt));
    it->description = dup_trim(doc, in->desc, strlen(in->desc));
    it->title = it->raw_id && it->description ? control_title(doc, it->raw_id, in->desc) : NULL;
    it->section = k->section;
    it->locus = in->loc;
    it->customer_example = is_customer_item(k);
    if (!it->raw_id || !it->description || !it->title)
        return APN_ENOMEM;
    ctl *c = &rd->ctls[rd->nctls];
    snprintf(c->id, sizeof c->id, "%s", id->id);
    for (size_t g = rd->ngates; g-- > 0;)
        if (rd->gates[g].sheet == k->s && !strcmp(rd->gates[g].prefix, id->prefix)) {
            c->gate = (long)g;
            break;
        }
    if (index_ctl(rd, rd->nctls) < 0)
        return APN_ENOMEM;
    k->cur = (long)rd->nctls++;
    return 0;
}

/* Row i of sheet s, with the row below it (for customer sub-headers). */
static const apn_book_row *row_below(const apn_book *b, size_t s, size_t i)
{
    return i + 1 < apn_book_nrows(b, s) ? apn_book_row_at(b, s, i + 1) : NULL;
}

/* Finds the requirement header in the first rows of sheet s: the index of its
 * row, or -1 when there is none. */
static long find_header(const apn_book *b, size_t s, hdr *h)
{
    for (size_t i = 0; i < apn_book_nrows(b, s); i++) {
        const apn_book_row *r = apn_book_row_at(b, s, i);
        if (r->row > HEADER_SCAN_ROWS)
            break;
        if (detect_header(r, row_below(b, s, i), h))
            return (long)i;
    }
    return -1;
}

/* One row of the block, by kind. */
static int read_row(reader *rd, block *k, size_t i)
{
    apn_book *b = rd->b;
    rowin in = { apn_book_row_at(b, k->s, i), NULL, NULL, NULL };
    char n[64];
    in.idt = cell_text(b, k->s, in.r->row, k->h.id);
    in.desc = cell_text(b, k->s, in.r->row, k->h.desc);
    if (blank(in.idt))
        return 0;
    norm(n, sizeof n, in.idt);
    if (is_id_label(n)) {
        /* another header: a requirement header re-maps, any other ends the block */
        hdr h2;
        k->active = detect_header(in.r, row_below(b, k->s, i), &h2);
        if (k->active)
            k->h = h2;
        k->cur = -1;
        return 0;
    }
    if (!k->active || (in.r->row == k->h.row + 1 && k->h.cust))
        return 0;   /* after a foreign header; or the customer sub-header row */
    if (!(in.loc = locus(rd->doc, k->sname, in.r->row, k->h.id)))
        return APN_ENOMEM;
    apn_id id;
    if (apn_id_parse(&id, in.idt) < 0)
        return row_unnumbered(rd, k, &in);
    if (id.question)
        return row_question(rd, k, &in, &id);
    size_t idl = strlen(id.id);
    if (idl >= 4 && !strcmp(id.id + idl - 4, "-000"))
        return row_gate(rd, k, &in, &id);
    return row_control(rd, k, &in, &id);
}

static int read_sheet_rows(reader *rd, size_t s)
{
    block k = { s, apn_book_sheet_at(rd->b, s)->name, { 0 }, 0, NULL, -1, 1 };
    long first = find_header(rd->b, s, &k.h);
    if (first < 0 || sheet_is_view(rd->b, s, &k.h))
        return 0;
    k.cust_sheet = is_customer_sheet(k.sname);
    int rc = 0;
    for (size_t i = (size_t)first + 1; rc == 0 && i < apn_book_nrows(rd->b, s); i++)
        rc = read_row(rd, &k, i);
    return rc;
}

/* ==== 5. answers =========================================================== */

/* The value of a cell as text, evaluating a formula without a cached value.
 * *text is "" for an empty cell. Returns 0, APN_ENOMEM, or 1 when
 * the formula could not be evaluated (unsupported, or too large: diagnostic
 * added; the caller falls back). */
static int value_text(reader *rd, size_t s, unsigned row, int col, const char **text)
{
    char err[200];
    apn_value v;
    *text = "";
    if (col < 0)
        return 0;
    const apn_cell *c = apn_book_cell(rd->b, s, row, (unsigned)col);
    if (!c)
        return 0;
    int rc = apn_book_eval(&v, rd->b, s, row, (unsigned)col, 0, err, sizeof err);
    if (rc == APN_EPARSE || rc == APN_ELIMIT) {
        const char *loc = locus(rd->doc, apn_book_sheet_at(rd->b, s)->name, row, col);
        apn_doc_diag(rd->doc, APN_SEV_WARNING, loc ? loc : "", "formula not evaluated: %s", err);
        return 1;
    }
    if (rc < 0)
        return rc;
    *text = apn_book_value_text(rd->b, &v);
    return *text ? 0 : APN_ENOMEM;
}

/* A partner's own words: the cell's text when it is typed, not computed. */
static const char *response_text(reader *rd, size_t s, unsigned row, int col)
{
    if (col < 0)
        return NULL;
    const apn_cell *c = apn_book_cell(rd->b, s, row, (unsigned)col);
    if (!c || c->formula || !c->text || blank(c->text))
        return NULL;
    return c->text;
}

/* An input cell (question, practice Met?): its raw text, parsed. */
static apn_met input_met(reader *rd, size_t s, unsigned row, int col, int *answered,
                         int warn)
{
    const char *t = cell_text(rd->b, s, row, col);
    int unknown = 0;
    apn_met m = apn_met_parse(t, &unknown);
    if (answered)
        *answered = m != APN_MET_NONE || unknown;
    if (unknown && warn) {
        const char *loc = locus(rd->doc, apn_book_sheet_at(rd->b, s)->name, row, col);
        apn_doc_diag(rd->doc, APN_SEV_WARNING, loc ? loc : "",
                     "unrecognised answer \"%.40s\": read as unanswered", t);
    }
    return m;
}

/* The Pass/Fail cell of a control row: the "Approval ..." column when the row
 * has one there, else any cell of the row whose formula yields "Pass"/"Fail". */
static int passfail_col(reader *rd, const ctl *c)
{
    const apn_cell *cell;
    if (c->h.approval >= 0 &&
        (cell = apn_book_cell(rd->b, c->sheet, c->row, (unsigned)c->h.approval)) &&
        (cell->formula || !blank(cell->text)))
        return c->h.approval;
    const apn_book_row *r = apn_book_find_row(rd->b, c->sheet, c->row);
    for (size_t k = 0; r && k < r->ncells; k++) {
        const apn_cell *ce = &r->cells[k];
        if ((int)ce->col == c->h.met || (int)ce->col == c->h.id)
            continue;
        if (ce->formula && strcasestr(ce->formula, "\"Pass\"") &&
            strcasestr(ce->formula, "\"Fail\""))
            return (int)ce->col;
    }
    return -1;
}

/* A customer-example row: Met? of every reference (any No fails), their
 * responses joined by lines. */
static int answer_customer(reader *rd, const ctl *c, apn_met *met, const char **resp)
{
    int yes = 0, no = 0, na = 0;
    apn_buf all = APN_BUF_INIT;
    for (int k = 0; k < c->h.nref; k++) {
        apn_met m = input_met(rd, c->sheet, c->row, c->h.rmet[k], NULL, 1);
        yes += m == APN_MET_YES;
        no += m == APN_MET_NO;
        na += m == APN_MET_NA;
        const char *r = response_text(rd, c->sheet, c->row, c->h.rresp[k]);
        if (r) {
            if (all.len)
                apn_buf_putc(&all, '\n');
            apn_buf_puts(&all, r);
        }
    }
    *met = no ? APN_MET_NO : yes ? APN_MET_YES : na ? APN_MET_NA : APN_MET_NONE;
    if (all.len)
        *resp = apn_doc_str(rd->doc, apn_buf_cstr(&all));
    int oom = all.oom || (all.len && !*resp);
    apn_buf_dispose(&all);
    return oom ? APN_ENOMEM : 0;
}

/* A practice row (or pseudo item): its own Met? cell, typed or computed. */
static int answer_practice(reader *rd, const ctl *c, apn_met *met, const char **resp)
{
    int rc;
    const apn_cell *cell = c->h.met >= 0
        ? apn_book_cell(rd->b, c->sheet, c->row, (unsigned)c->h.met) : NULL;
    if (cell && cell->formula) {
        const char *t;
        if ((rc = value_text(rd, c->sheet, c->row, c->h.met, &t)) < 0)
            return rc;
        *met = rc == 0 ? apn_met_parse(t, NULL) : APN_MET_NONE;
        return 0;
    }
    *met = input_met(rd, c->sheet, c->row, c->h.met, NULL, c->kind == CTL_PRACTICE);
    if (c->kind == CTL_PSEUDO && *met == APN_MET_NONE) {
        /* "CIS v5.0": an answer that is not yes/no is kept as the response */
        int unknown = 0;
        const char *t = cell_text(rd->b, c->sheet, c->row, c->h.met);
        apn_met_parse(t, &unknown);
        if (unknown && !(*resp = apn_doc_str(rd->doc, t)))
            return APN_ENOMEM;
    }
    return 0;
}

/* A control with questions or a gate (the FTR): the workbook's own Pass/Fail
 * decides once anything is answered; else its Met?, else the answers. */
static int answer_questions(reader *rd, const ctl *c, apn_met *met)
{
    int rc, any = 0, all_yes = 1, any_no = 0;
    for (size_t q = 0; q < rd->nqs; q++) {
        if (rd->qs[q].ctl != (size_t)(c - rd->ctls))
            continue;
        int answered;
        apn_met m = input_met(rd, rd->qs[q].sheet, rd->qs[q].row, rd->qs[q].metcol,
                              &answered, 0);
        any |= answered;
        all_yes &= m == APN_MET_YES || m == APN_MET_NA;
        any_no |= m == APN_MET_NO;
    }
    int gate_no = 0;
    if (c->gate >= 0) {
        const gate *g = &rd->gates[c->gate];
        int answered;
        apn_met m = input_met(rd, g->sheet, g->row, g->metcol, &answered, 0);
        /* "No" says the controls do not apply (they pass); "Yes" leaves the
         * answer to the control's own questions */
        gate_no = m == APN_MET_NO;
        any |= gate_no;
    }
    if (!any)
        return 0;
    int col = passfail_col(rd, c);
    const char *t = "";
    if (col >= 0 && (rc = value_text(rd, c->sheet, c->row, col, &t)) < 0)
        return rc;
    char n[16];
    norm(n, sizeof n, t);
    if (!strcmp(n, "pass")) {
        *met = APN_MET_YES;
    } else if (!strcmp(n, "fail")) {
        *met = APN_MET_NO;
    } else {
        const char *own = "";
        if ((rc = value_text(rd, c->sheet, c->row, c->h.met, &own)) < 0)
            return rc;
        *met = apn_met_parse(own, NULL);
        if (*met == APN_MET_NONE)
            *met = gate_no ? APN_MET_YES : any_no ? APN_MET_NO
                 : all_yes && c->nq ? APN_MET_YES : APN_MET_NONE;
    }
    return 0;
}

static int answer_ctl(reader *rd, ctl *c)
{
    apn_item *it = &rd->doc->items[c->item];
    const char *resp = NULL;
    apn_met met = APN_MET_NONE;
    int rc;
    if (c->h.cust && c->kind == CTL_PRACTICE)
        rc = answer_customer(rd, c, &met, &resp);
    else if (c->nq == 0 && c->gate < 0)
        rc = answer_practice(rd, c, &met, &resp);
    else
        rc = answer_questions(rd, c, &met);
    if (rc < 0)
        return rc;
    if (!resp) {
        const char *r = response_text(rd, c->sheet, c->row, c->h.resp);
        if (r && !(resp = dup_trim(rd->doc, r, strlen(r))))
            return APN_ENOMEM;
    }
    it->met = met;
    it->response = resp;
    it->answered = met != APN_MET_NONE || (resp && *resp);
    return 0;
}

/* ==== 6. entry points ====================================================== */

static int read_book(apn_doc *doc, apn_book *b)
{
    reader rd = { doc, b, NULL, 0, 0, NULL, 0, 0, NULL, 0, 0, NULL, 0, 0 };
    int rc = scan_titles(doc, b);
    for (size_t s = 0; rc >= 0 && s < apn_book_nsheets(b); s++)
        rc = read_sheet_rows(&rd, s);
    if (rc >= 0 && rd.nctls == 0)
        apn_doc_diag(doc, APN_SEV_WARNING, "",
                     "no requirement sheet: no header row naming ID, Requirement Description "
                     "and Met? in the first %d rows of any sheet", HEADER_SCAN_ROWS);
    for (size_t i = 0; rc >= 0 && i < rd.nctls; i++)
        rc = answer_ctl(&rd, &rd.ctls[i]);
    apn_free(rd.ctls);
    apn_free(rd.qs);
    apn_free(rd.gates);
    apn_free(rd.ids);
    return rc < 0 ? rc : 0;
}

int apn_wb__read_sheets(apn_doc *doc, const apn_book_sheet *sheets, size_t nsheets)
{
    apn_book *b = NULL;
    int rc = apn_book_new(&b, sheets, nsheets);
    if (rc == 0)
        rc = read_book(doc, b);
    apn_book_free(b);
    return rc;
}

int apn_wb_read(apn_doc *doc, apn_xlsx *x)
{
    apn_book *b = NULL;
    int rc = apn_book_load(&b, x);
    if (rc == 0)
        rc = read_book(doc, b);
    apn_book_free(b);
    return rc;
}
