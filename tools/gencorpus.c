/* gencorpus — write the bundled corpus (data/corpus/) from the plain-text sources.
 *
 * usage: gencorpus DATA_DIR REAL_DIR OUT_DIR
 *   DATA_DIR  data/: the CSV files of sources/, categories.csv, aliases.csv
 *   REAL_DIR  the real partner-hosted FTR page (ko) and workbook, copied byte for byte
 *   OUT_DIR   the corpus folder to (re)write; it must exist and be empty
 *
 * Writes one page per (competency, track) in the AWS checklist template
 * (docs/formats.md §2) under competency/<slug>/{consulting,technology}/<PageId>.html, a
 * self-assessment workbook (docs/formats.md §3b) next to every services page, the
 * customer-deployed FTR page, the two real FTR files, categories.csv, aliases.csv
 * and manifest.csv. Output is deterministic: everything is written in source
 * order, workbooks carry a fixed creation time, and nothing reads the clock.
 * A build tool, not part of the library: it prints and exits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <xlsxwriter.h>

#define VALIDITY_RELEASED "February 26th, 2026"
#define CHANGELOG_URL "https://apn-checklists.s3.amazonaws.com/changelog/Validation_Checklist_Change_Log.pdf"

/* ---- small helpers --------------------------------------------------- */

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gencorpus: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d)
        die("out of memory");
    return d;
}

static char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    char *s = NULL;
    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        die("out of memory");
    va_end(ap);
    return s;
}

/* mkdir -p for the folder part of path */
static void mkparents(const char *path)
{
    char *p = xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = 0;
        if (mkdir(p, 0755) < 0 && errno != EEXIST)
            die("%s: %s", p, strerror(errno));
        *s = '/';
    }
    free(p);
}

static FILE *create(const char *path)
{
    mkparents(path);
    FILE *f = fopen(path, "wb");
    if (!f)
        die("%s: %s", path, strerror(errno));
    return f;
}

static void closef(FILE *f, const char *path)
{
    if (ferror(f) | fclose(f))
        die("%s: write failed", path);
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    if (!in)
        die("%s: %s", from, strerror(errno));
    FILE *out = create(to);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            die("%s: write failed", to);
    if (ferror(in))
        die("%s: read failed", from);
    fclose(in);
    closef(out, to);
}

/* ---- CSV (RFC 4180) ---------------------------------------------------- */

typedef struct table {
    char *path;
    size_t ncols, nrows;  /* rows exclude the header */
    char **head;
    char ***rows;
} table;

static int parse_record(const char **pp, char ***out, size_t *n)
{
    const char *p = *pp;
    if (!*p)
        return 0;
    char **f = NULL;
    size_t nf = 0;
    for (;;) {
        char *cell = NULL;
        size_t len = 0;
        if (*p == '"') {
            p++;
            for (;;) {
                if (!*p)
                    die("unterminated quoted field");
                if (*p == '"' && p[1] == '"') {
                    p += 2;
                    cell = xrealloc(cell, len + 2);
                    cell[len++] = '"';
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    cell = xrealloc(cell, len + 2);
                    cell[len++] = *p++;
                }
            }
        } else {
            while (*p && *p != ',' && *p != '\n' && *p != '\r') {
                cell = xrealloc(cell, len + 2);
                cell[len++] = *p++;
            }
        }
        cell = xrealloc(cell, len + 1);
        cell[len] = 0;
        f = xrealloc(f, (nf + 1) * sizeof *f);
        f[nf++] = cell;
        if (*p == ',') {
            p++;
            continue;
        }
        if (*p == '\r')
            p++;
        if (*p == '\n')
            p++;
        break;
    }
    *pp = p;
    *out = f;
    *n = nf;
    return 1;
}

static table *csv_load(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("%s: %s", path, strerror(errno));
    char *buf = NULL;
    size_t len = 0, n;
    char chunk[65536];
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        buf = xrealloc(buf, len + n + 1);
        memcpy(buf + len, chunk, n);
        len += n;
    }
    fclose(f);
    buf = xrealloc(buf, len + 1);
    buf[len] = 0;
    table *t = calloc(1, sizeof *t);
    if (!t)
        die("out of memory");
    t->path = xstrdup(path);
    const char *p = buf;
    if (!parse_record(&p, &t->head, &t->ncols))
        die("%s: empty", path);
    char **rec;
    size_t nf;
    while (parse_record(&p, &rec, &nf)) {
        if (nf == 1 && !*rec[0]) {
            free(rec[0]);
            free(rec);
            continue;
        }
        if (nf != t->ncols)
            die("%s: record %zu has %zu fields, want %zu", path, t->nrows + 2, nf, t->ncols);
        t->rows = xrealloc(t->rows, (t->nrows + 1) * sizeof *t->rows);
        t->rows[t->nrows++] = rec;
    }
    free(buf);
    return t;
}

static size_t col(const table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (!strcmp(t->head[i], name))
            return i;
    die("%s: no column '%s'", t->path, name);
}

#define FIELD(t, r, name) ((t)->rows[r][col((t), (name))])

/* ---- sources ------------------------------------------------------------ */

typedef struct req {
    const char *id, *section, *sheet, *title, *wording, *source;
} req;

typedef struct reqlist {
    req *v;
    size_t n;
} reqlist;

static void reqlist_add(reqlist *l, req r)
{
    l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = r;
}

static table *T_comp, *T_check, *T_req, *T_common, *T_prereq;

static reqlist own_reqs(const char *checklist)
{
    reqlist l = { 0 };
    for (size_t r = 0; r < T_req->nrows; r++)
        if (!strcmp(FIELD(T_req, r, "checklist"), checklist))
            reqlist_add(&l, (req){ FIELD(T_req, r, "req_id"), FIELD(T_req, r, "section"),
                                   FIELD(T_req, r, "sheet"), FIELD(T_req, r, "title"),
                                   FIELD(T_req, r, "wording"), FIELD(T_req, r, "source") });
    return l;
}

static reqlist common_block(const char *block)
{
    reqlist l = { 0 };
    for (size_t r = 0; r < T_common->nrows; r++)
        if (!strcmp(FIELD(T_common, r, "block"), block))
            reqlist_add(&l, (req){ FIELD(T_common, r, "req_id"), FIELD(T_common, r, "section"), "",
                                   FIELD(T_common, r, "title"), FIELD(T_common, r, "wording"),
                                   FIELD(T_common, r, "source") });
    return l;
}

/* The title a document shows: AWS's words as they are, everything else marked. */
static char *display_title(const req *q)
{
    if (!strcmp(q->wording, "placeholder"))
        return xasprintf("[placeholder] title not known (%s)", q->section);
    if (!strcmp(q->wording, "paraphrase"))
        return xasprintf("[paraphrase] %s", q->title);
    return xstrdup(q->title);
}

static const char *wording_note(const char *wording)
{
    if (!strcmp(wording, "aws"))
        return "Title as AWS worded it (per the source below); the requirement's details are not reproduced.";
    if (!strcmp(wording, "aws-truncated"))
        return "Title as AWS worded it, truncated in the source; the details are not reproduced.";
    if (!strcmp(wording, "paraphrase"))
        return "Title paraphrased by a third party, not AWS's wording; the details are not reproduced.";
    return "Only the ID and section of this requirement are known; the title is a placeholder.";
}

/* ---- HTML pages ----------------------------------------------------------- */

static void esc(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* camelCased category anchor, as the real pages have (#technicalControls-networkSecurity) */
static void anchor(FILE *f, const char *s)
{
    int up = 0, first = 1;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            if (first)
                c = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            else if (up && c >= 'a' && c <= 'z')
                c = (unsigned char)(c - 32);
            fputc(c, f);
            up = 0;
            first = 0;
        } else {
            up = 1;
        }
    }
}

typedef struct page {
    const char *h1, *h2, *validity, *sidebar_title;
    const char *workbook_href;   /* relative link or NULL */
    int nprereq;
    const char **pre_label, **pre_text, **pre_target, **pre_number;
} page;

static void page_head(FILE *f, const page *p)
{
    fputs("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<title>AWS Partner Network -  Checklist</title></head><body>\n", f);
    fputs("<nav class=\"sidebar\"><div class=\"sidebar--title\">", f);
    esc(f, p->sidebar_title);
    fputs("</div><div class=\"sidebar--subtitle\">", f);
    esc(f, p->h2);
    fputs("</div><ul><li><a href=\"#introduction\">Introduction</a></li>"
          "<li><a href=\"#prerequisites\">Prerequisites</a></li>"
          "<li><a href=\"#technicalControls\">Technical Controls</a></li></ul></nav>\n", f);
    fputs("<article class=\"mainContent\">\n<h1>", f);
    esc(f, p->h1);
    fputs("</h1>\n<h2>", f);
    esc(f, p->h2);
    fputs("</h2>\n<h3>Validity Period: ", f);
    esc(f, p->validity);
    fputs("</h3>\n<p class=\"versionExplanation\">Reconstructed by apnmap from public data "
          "(see data/README.md); dated like the AWS release of " VALIDITY_RELEASED ". See the "
          "<a href=\"" CHANGELOG_URL "\">change log</a>.</p>\n", f);
    if (p->workbook_href) {
        fputs("<div class=\"downloadLinks\"><div class=\"downloadLinks--link\"><a href=\"", f);
        esc(f, p->workbook_href);
        fputs("\">Self-Assessment Spreadsheet</a></div></div>\n", f);
    }
    fputs("<section id=\"introduction\"><h2 class=\"section--title\">Introduction</h2>"
          "<div class=\"section--content\"><p>This page belongs to the apnmap bundled corpus. "
          "Requirement IDs and section names come from public sources named on each item; "
          "titles marked [placeholder] or [paraphrase] are not AWS's wording.</p></div></section>\n", f);
    fputs("<section id=\"prerequisites\"><h2 class=\"section--title\">Prerequisites</h2>"
          "<ol class=\"prereqSectionList\">\n", f);
    if (p->nprereq) {
        fputs("<li class=\"prereqSection\" id=\"prereqSection_0\"><div class=\"prereqSection--header\">"
              "<h3><span class=\"prereqSection--number\">1.0</span> Program Requirements</h3></div>"
              "<div class=\"prereqSection--content\"><ol>\n", f);
        for (int i = 0; i < p->nprereq; i++) {
            fprintf(f, "<li class=\"prereqSection--requirement\" id=\"prereq_-%d\">"
                       "<h4 class=\"prereqSection--requirementTitle\"><span class=\"prereqSection--requirementNumber\">",
                    i);
            esc(f, p->pre_number[i]);
            fputs("</span> ", f);
            esc(f, p->pre_label[i]);
            fputs("</h4><div class=\"prereqSection--requirementDetails\"><p>", f);
            if (*p->pre_target[i]) {
                esc(f, p->pre_text[i]);
                fputs(" See the <a href=\"", f);
                esc(f, p->pre_target[i]);
                fputs("\">", f);
                esc(f, p->pre_label[i]);
                fputs("</a> checklist.", f);
            } else {
                esc(f, p->pre_text[i]);
            }
            fputs("</p></div></li>\n", f);
        }
        fputs("</ol></div></li>\n", f);
    }
    fputs("</ol></section>\n<section id=\"technicalControls\"><h2 class=\"section--title\">"
          "Technical Controls</h2>\n", f);
}

static int ncat;

static void category(FILE *f, const char *name, const req *v, size_t n)
{
    if (!n)
        return;
    fputs("<div class=\"controlCategory\" id=\"technicalControls-", f);
    anchor(f, name);
    fprintf(f, "%d\"><div class=\"controlCategory--header\"><h3>", ncat++);
    esc(f, name);
    fputs("</h3></div><div class=\"controlCategory--content\"><ul>\n", f);
    for (size_t i = 0; i < n; i++) {
        char *title = display_title(&v[i]);
        fputs("<li class=\"controlCategory--requirement\" id=\"requirement_", f);
        esc(f, v[i].id);
        fputs("\"><h4 class=\"controlCategory--requirementTitle\">", f);
        esc(f, v[i].id);
        fputs(" - ", f);
        esc(f, title);
        fputs("</h4><div class=\"controlCategory--requirementDetails\"><p>", f);
        esc(f, wording_note(v[i].wording));
        fputs("</p><p>Source: ", f);
        esc(f, v[i].source);
        fputs("</p></div></li>\n", f);
        free(title);
    }
    fputs("</ul></div></div>\n", f);
}

/* Groups a list by section, in order of first appearance, one category each. */
static void categories_by_section(FILE *f, const reqlist *l)
{
    int *done = calloc(l->n + 1, sizeof *done);
    req *grp = xrealloc(NULL, (l->n + 1) * sizeof *grp);
    for (size_t i = 0; i < l->n; i++) {
        if (done[i])
            continue;
        size_t g = 0;
        for (size_t j = i; j < l->n; j++)
            if (!done[j] && !strcmp(l->v[j].section, l->v[i].section)) {
                grp[g++] = l->v[j];
                done[j] = 1;
            }
        category(f, l->v[i].section, grp, g);
    }
    free(grp);
    free(done);
}

static void page_tail(FILE *f)
{
    fputs("</section></article></body></html>\n", f);
}

/* ---- workbooks ------------------------------------------------------------- */

static const time_t FIXED_TIME = 1772064000;   /* 2026-02-26T00:00:00Z, the release day */

/* Sheet names are limited to 31 characters: long names use their abbreviation. */
static char *short_name(const char *name, const char *suffix)
{
    if (strlen(name) + 1 + strlen(suffix) <= 31)
        return xasprintf("%s %s", name, suffix);
    const char *paren = strchr(name, '(');
    char ab[32] = "";
    size_t n = 0;
    if (paren) {
        for (const char *s = paren + 1; *s && *s != ')' && n < 8; s++)
            ab[n++] = *s;
    } else {
        for (const char *s = name; *s && n < 8; s++)
            if ((s == name || s[-1] == ' ') && *s >= 'A' && *s <= 'Z')
                ab[n++] = *s;
    }
    ab[n] = 0;
    return xasprintf("%s %s", ab, suffix);
}

static void wb_check(lxw_error e, const char *what)
{
    if (e != LXW_NO_ERROR)
        die("%s: %s", what, lxw_strerror(e));
}

typedef struct wbfmt {
    lxw_format *bold, *wrap;
} wbfmt;

static void met_validation(lxw_worksheet *ws, lxw_row_t row, lxw_col_t c)
{
    static char yes[] = "Yes", no[] = "No", na[] = "NA";
    static char *yes_no_na[] = { yes, no, na, NULL };
    lxw_data_validation dv = { 0 };
    dv.validate = LXW_VALIDATION_TYPE_LIST;
    dv.value_list = yes_no_na;
    wb_check(worksheet_data_validation_cell(ws, row, c, &dv), "data validation");
}

/* A practice sheet: banner, header on row 2, section rows, data from row 5. */
static void practice_sheet(lxw_workbook *wb, const wbfmt *fm, const char *sheet, const char *banner,
                           const reqlist *l, const char *kind)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, sheet);
    if (!ws)
        die("cannot add sheet '%s'", sheet);
    worksheet_set_column(ws, 0, 0, 14, NULL);
    worksheet_set_column(ws, 1, 1, 70, fm->wrap);
    worksheet_set_column(ws, 2, 2, 12, NULL);
    worksheet_set_column(ws, 3, 3, 50, fm->wrap);
    worksheet_write_string(ws, 0, 0, banner, fm->bold);
    const char *hdr[] = { "ID", "Requirement Description", "Met?", "Partner Response" };
    for (lxw_col_t c = 0; c < 4; c++)
        worksheet_write_string(ws, 1, c, hdr[c], fm->bold);
    lxw_row_t row = 4;
    const char *cur = NULL;
    for (size_t i = 0; i < l->n; i++) {
        const req *q = &l->v[i];
        if (kind && strcmp(q->sheet, kind))
            continue;
        if (!cur || strcmp(cur, q->section)) {
            worksheet_write_string(ws, row++, 0, q->section, fm->bold);
            cur = q->section;
        }
        char *title = display_title(q);
        worksheet_write_string(ws, row, 0, q->id, NULL);
        worksheet_write_string(ws, row, 1, title, fm->wrap);
        worksheet_write_string(ws, row, 2, "Select", NULL);
        met_validation(ws, row, 2);
        free(title);
        row++;
    }
}

/* A customer-example sheet: reference pairs (Met?, Partner Response) x 4; the
 * common sheet inserts an Example Response column in C. */
static void example_sheet(lxw_workbook *wb, const wbfmt *fm, const char *sheet, const char *banner,
                          const reqlist *l, const char *kind, int common)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, sheet);
    if (!ws)
        die("cannot add sheet '%s'", sheet);
    worksheet_set_column(ws, 0, 0, 14, NULL);
    worksheet_set_column(ws, 1, 1, 70, fm->wrap);
    worksheet_write_string(ws, 0, 0, banner, fm->bold);
    worksheet_write_string(ws, 1, 0, "ID", fm->bold);
    worksheet_write_string(ws, 1, 1, "Requirement Description", fm->bold);
    lxw_col_t first = 2;
    if (common) {
        worksheet_write_string(ws, 1, 2, "Example Response", fm->bold);
        first = 3;
    }
    for (int k = 0; k < 4; k++) {
        char label[32];
        snprintf(label, sizeof label, "Customer Reference #%d", k + 1);
        worksheet_write_string(ws, 1, (lxw_col_t)(first + 2 * k), label, fm->bold);
        worksheet_write_string(ws, 2, (lxw_col_t)(first + 2 * k), "Met?", fm->bold);
        worksheet_write_string(ws, 2, (lxw_col_t)(first + 2 * k + 1), "Partner Response", fm->bold);
    }
    lxw_row_t row = 4;
    if (common)
        worksheet_write_string(ws, row++, 0, "Use Case Relevance", fm->bold);
    const char *cur = NULL;
    for (size_t i = 0; i < l->n; i++) {
        const req *q = &l->v[i];
        if (kind && strcmp(q->sheet, kind))
            continue;
        if (!cur || strcmp(cur, q->section)) {
            worksheet_write_string(ws, row++, 0, q->section, fm->bold);
            cur = q->section;
        }
        char *title = display_title(q);
        worksheet_write_string(ws, row, 0, q->id, NULL);
        worksheet_write_string(ws, row, 1, title, fm->wrap);
        for (int k = 0; k < 4; k++) {
            worksheet_write_string(ws, row, (lxw_col_t)(first + 2 * k), "Select", NULL);
            met_validation(ws, row, (lxw_col_t)(first + 2 * k));
        }
        free(title);
        row++;
    }
}

static void services_workbook(const char *path, const char *name, const char *validity,
                              const reqlist *own, const reqlist *cpr, const reqlist *cce)
{
    lxw_workbook_options wo = { .constant_memory = LXW_FALSE, .tmpdir = NULL };
    mkparents(path);
    lxw_workbook *wb = workbook_new_opt(path, &wo);
    if (!wb)
        die("%s: cannot create workbook", path);
    char *title = xasprintf("AWS %s Competency Service Offering Validation Checklist", name);
    lxw_doc_properties props = { 0 };
    props.title = title;
    static char author[] = "apnmap tools/gencorpus.c";
    static char comments[] = "Reconstructed from public data; see data/README.md";
    props.author = author;
    props.comments = comments;
    props.created = FIXED_TIME;
    wb_check(workbook_set_properties(wb, &props), path);
    wbfmt fm;
    fm.bold = workbook_add_format(wb);
    format_set_bold(fm.bold);
    fm.wrap = workbook_add_format(wb);
    format_set_text_wrap(fm.wrap);

    lxw_worksheet *intro = workbook_add_worksheet(wb, "Introduction");
    worksheet_set_column(intro, 0, 0, 100, fm.wrap);
    worksheet_write_string(intro, 0, 0, title, fm.bold);
    char *val = xasprintf("Validity Period: %s", validity);
    worksheet_write_string(intro, 2, 0, val, NULL);
    worksheet_write_string(intro, 4, 0,
                           "Reconstructed by apnmap from public data: requirement IDs and section names "
                           "come from the sources named in data/sources/; titles marked [placeholder] or "
                           "[paraphrase] are not AWS's wording. A blank self-assessment: every Met? cell "
                           "says Select.", fm.wrap);

    char *s1 = short_name(name, "Practice Reqs"), *s2 = short_name(name, "Cust Example Reqs");
    char *b1 = xasprintf("%s Practice Requirements", name);
    char *b2 = xasprintf("%s Customer Example Requirements", name);
    practice_sheet(wb, &fm, s1, b1, own, "practice");
    practice_sheet(wb, &fm, "Common Practice Requirements", "Common Practice Requirements", cpr, NULL);
    example_sheet(wb, &fm, s2, b2, own, "customer-example", 0);
    example_sheet(wb, &fm, "Common Cust Example Reqs", "Common Customer Example Requirements", cce, NULL, 1);
    wb_check(workbook_close(wb), path);
    free(title);
    free(val);
    free(s1);
    free(s2);
    free(b1);
    free(b2);
}

/* ---- manifest -------------------------------------------------------------- */

typedef struct mrow {
    char *path, *url, *coverage, *note;
} mrow;

static mrow *manifest;
static size_t nmanifest;

static void manifest_add(const char *path, const char *url, const char *coverage, const char *note)
{
    manifest = xrealloc(manifest, (nmanifest + 1) * sizeof *manifest);
    manifest[nmanifest++] = (mrow){ xstrdup(path), xstrdup(url), xstrdup(coverage), xstrdup(note) };
}

static int mrow_cmp(const void *a, const void *b)
{
    return strcmp(((const mrow *)a)->path, ((const mrow *)b)->path);
}

static void csv_cell(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void sha256_of(char out[65], const char *path)
{
    char *cmd = xasprintf("sha256sum -- '%s'", path);
    if (strchr(path, '\''))
        die("%s: a quote in a corpus path", path);
    FILE *p = popen(cmd, "r");
    if (!p || fscanf(p, "%64s", out) != 1 || strlen(out) != 64)
        die("sha256sum failed on %s", path);
    if (pclose(p) != 0)
        die("sha256sum failed on %s", path);
    free(cmd);
}

static void write_manifest(const char *outdir)
{
    qsort(manifest, nmanifest, sizeof *manifest, mrow_cmp);
    char *mp = xasprintf("%s/manifest.csv", outdir);
    FILE *f = create(mp);
    fputs("path,url,etag,last_modified,sha256,fetched_at,coverage,note\n", f);
    for (size_t i = 0; i < nmanifest; i++) {
        char *full = xasprintf("%s/%s", outdir, manifest[i].path);
        char sha[65];
        sha256_of(sha, full);
        csv_cell(f, manifest[i].path);
        fputc(',', f);
        csv_cell(f, manifest[i].url);
        fprintf(f, ",,,%s,,", sha);
        csv_cell(f, manifest[i].coverage);
        fputc(',', f);
        csv_cell(f, manifest[i].note);
        fputc('\n', f);
        free(full);
    }
    closef(f, mp);
    free(mp);
}

/* ---- main -------------------------------------------------------------------- */

static const char *comp_name(const char *slug)
{
    for (size_t r = 0; r < T_comp->nrows; r++)
        if (!strcmp(FIELD(T_comp, r, "slug"), slug))
            return FIELD(T_comp, r, "name");
    die("checklists.csv: unknown competency '%s'", slug);
}

static void prereqs_for(page *p, const char *track)
{
    p->nprereq = 0;
    size_t n = T_prereq->nrows;
    p->pre_label = xrealloc(NULL, n * sizeof(char *));
    p->pre_text = xrealloc(NULL, n * sizeof(char *));
    p->pre_target = xrealloc(NULL, n * sizeof(char *));
    p->pre_number = xrealloc(NULL, n * sizeof(char *));
    for (size_t r = 0; r < n; r++) {
        if (strcmp(FIELD(T_prereq, r, "applies_to"), track))
            continue;
        p->pre_label[p->nprereq] = FIELD(T_prereq, r, "label");
        p->pre_text[p->nprereq] = FIELD(T_prereq, r, "text");
        p->pre_target[p->nprereq] = FIELD(T_prereq, r, "target");
        p->pre_number[p->nprereq] = FIELD(T_prereq, r, "number");
        p->nprereq++;
    }
}

static void free_prereqs(page *p)
{
    free(p->pre_label);
    free(p->pre_text);
    free(p->pre_target);
    free(p->pre_number);
}

static void competency_checklist(const char *outdir, size_t r, const reqlist *cpr, const reqlist *cce,
                                 const reqlist *csw)
{
    const char *key = FIELD(T_check, r, "checklist"), *slug = FIELD(T_check, r, "slug");
    const char *track = FIELD(T_check, r, "track"), *pid = FIELD(T_check, r, "page_id");
    const char *url = FIELD(T_check, r, "url"), *validity = FIELD(T_check, r, "validity");
    const char *coverage = FIELD(T_check, r, "coverage"), *cnote = FIELD(T_check, r, "coverage_note");
    const char *name = comp_name(slug);
    int services = !strcmp(track, "services");
    const char *folder = services ? "consulting" : "technology";
    reqlist own = own_reqs(key);

    char *rel = xasprintf("competency/%s/%s/%s.html", slug, folder, pid);
    char *wbfile = xasprintf("AWS %s Competency Service Offering Self-Assessment.xlsx", name);
    char *wbrel = xasprintf("competency/%s/%s/%s/%s", slug, folder, pid, wbfile);
    char *wbhref = xasprintf("%s/%s", pid, wbfile);
    char *h1 = xasprintf("AWS %s Competency", name);
    page p = { h1, services ? "Service Offering Validation Checklist" : "Partner Offering Validation Checklist",
               validity, h1, services ? wbhref : NULL, 0, NULL, NULL, NULL, NULL };
    prereqs_for(&p, track);

    char *full = xasprintf("%s/%s", outdir, rel);
    FILE *f = create(full);
    ncat = 0;
    page_head(f, &p);
    categories_by_section(f, &own);
    if (services) {
        category(f, "Common Practice Requirements", cpr->v, cpr->n);
        category(f, "Common Customer Example Requirements", cce->v, cce->n);
    } else {
        category(f, "Common Software Requirements", csw->v, csw->n);
    }
    page_tail(f);
    closef(f, full);
    char *note = xasprintf("reconstructed page (tools/gencorpus.c from data/sources); %s%s", cnote,
                           *url ? "" : "; page id synthetic");
    manifest_add(rel, url, coverage, note);

    if (services) {
        char *wfull = xasprintf("%s/%s", outdir, wbrel);
        services_workbook(wfull, name, validity, &own, cpr, cce);
        char *wnote = xasprintf("reconstructed blank self-assessment (tools/gencorpus.c); %s", cnote);
        manifest_add(wbrel, "", coverage, wnote);
        free(wfull);
        free(wnote);
    }
    free_prereqs(&p);
    free(own.v);
    free(rel);
    free(wbfile);
    free(wbrel);
    free(wbhref);
    free(h1);
    free(full);
    free(note);
}

static void ftr_customer_deployed(const char *outdir, size_t r)
{
    const char *pid = FIELD(T_check, r, "page_id"), *url = FIELD(T_check, r, "url");
    reqlist own = own_reqs("ftr/customer-deployed");
    if (!own.n)
        die("requirements.csv: no ftr/customer-deployed rows");
    char *rel = xasprintf("foundational/customer-deployed/customer-deployed/%s.html", pid);
    char *full = xasprintf("%s/%s", outdir, rel);
    page p = { "Customer-Deployed Foundational Technical Review", "Customer-Deployed Validation Checklist",
               FIELD(T_check, r, "validity"), "Customer-Deployed Foundational Technical Review", NULL, 0,
               NULL, NULL, NULL, NULL };
    FILE *f = create(full);
    ncat = 0;
    page_head(f, &p);
    categories_by_section(f, &own);
    page_tail(f);
    closef(f, full);
    char *note = xasprintf("reconstructed page (tools/gencorpus.c from data/sources); %s",
                           FIELD(T_check, r, "coverage_note"));
    manifest_add(rel, url, FIELD(T_check, r, "coverage"), note);
    free(own.v);
    free(rel);
    free(full);
    free(note);
}

static void ftr_partner_hosted(const char *outdir, const char *realdir, size_t r)
{
    const char *pid = FIELD(T_check, r, "page_id"), *url = FIELD(T_check, r, "url");
    const char *cov = FIELD(T_check, r, "coverage");
    char *from = xasprintf("%s/FTR_Checklist_KO.html", realdir);
    char *rel = xasprintf("foundational/partner-hosted/partner-hosted/ko/%s.html", pid);
    char *to = xasprintf("%s/%s", outdir, rel);
    copy_file(from, to);
    char *kourl = xasprintf("https://apn-checklists.s3.amazonaws.com/foundational/partner-hosted/partner-hosted/ko/%s.html", pid);
    manifest_add(rel, kourl, cov, "real AWS page (Korean translation), byte-exact copy; origin in "
                                  "tests/resources/real/PROVENANCE.md");
    free(from);
    free(rel);
    free(to);
    free(kourl);

    const char *wbname = "Partner Hosted Foundational Technical Review Self-Assessment.xlsx";
    from = xasprintf("%s/FTR_Self_Assessment.xlsx", realdir);
    rel = xasprintf("foundational/partner-hosted/partner-hosted/%s/%s", pid, wbname);
    to = xasprintf("%s/%s", outdir, rel);
    copy_file(from, to);
    char *prefix = xstrdup(url);
    char *dot = strrchr(prefix, '.');
    if (dot)
        *dot = 0;
    char *wurl = xasprintf("%s/%s", prefix, wbname);
    manifest_add(rel, wurl, cov, "real AWS self-assessment workbook v2026.1, byte-exact copy; origin in "
                                 "tests/resources/real/PROVENANCE.md");
    free(from);
    free(rel);
    free(to);
    free(prefix);
    free(wurl);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fputs("usage: gencorpus DATA_DIR REAL_DIR OUT_DIR\n", stderr);
        return 2;
    }
    const char *data = argv[1], *real = argv[2], *out = argv[3];
    char *p;
#define LOAD(var, rel) (p = xasprintf("%s/%s", data, rel), var = csv_load(p), free(p))
    LOAD(T_comp, "sources/competencies.csv");
    LOAD(T_check, "sources/checklists.csv");
    LOAD(T_req, "sources/requirements.csv");
    LOAD(T_common, "sources/common.csv");
    LOAD(T_prereq, "sources/prerequisites.csv");
#undef LOAD
    reqlist cpr = common_block("services-practice"), cce = common_block("services-customer-example");
    reqlist csw = common_block("software");
    if (!cpr.n || !cce.n || !csw.n)
        die("common.csv: a common block is empty");

    size_t ncomp = 0, nftr = 0;
    for (size_t r = 0; r < T_check->nrows; r++) {
        const char *key = FIELD(T_check, r, "checklist");
        if (!strcmp(key, "ftr/partner-hosted")) {
            ftr_partner_hosted(out, real, r);
            nftr++;
        } else if (!strcmp(key, "ftr/customer-deployed")) {
            ftr_customer_deployed(out, r);
            nftr++;
        } else {
            competency_checklist(out, r, &cpr, &cce, &csw);
            ncomp++;
        }
    }
    for (int i = 0; i < 2; i++) {
        const char *side = i ? "aliases.csv" : "categories.csv";
        char *from = xasprintf("%s/%s", data, side), *to = xasprintf("%s/%s", out, side);
        copy_file(from, to);
        free(from);
        free(to);
    }
    write_manifest(out);
    printf("gencorpus: %zu competency checklists, %zu FTR checklists, %zu documents in %s\n", ncomp, nftr,
           nmanifest, out);
    return 0;
}
