/* xlsx — a workbook package: the zip, its relationships, the workbook part and
 * the shared strings. See xlsx.h.
 *
 * Sections:
 *   shared strings       xl/sharedStrings.xml into one pool (read by xmlTextReader)
 *   container            _rels/.rels, workbook.xml and its relationships
 *   public API           open, free, getters
 * Every part is read through xlsx_part.c (bounds, errors); sheets by sheet.c.
 */
#include "read/xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "read/xlsx_int.h"
#include "read/xlsx_part.h"

/* ====================================================================
 * shared strings
 * ==================================================================== */

static void sst_reset(apn_xlsx *x)
{
    apn_buf_clear(&x->sst_pool);
    x->sst_pool.oom = 0;
    x->nsst = 0;
}

static int sst_parse(apn_xlsx_part *p)
{
    apn_xlsx *x = p->x;
    apn_xlsx_names n;
    int err = apn_xlsx__intern(&n, p);
    if (err < 0)
        return err;
    sst_reset(x);
    int rc;
    while ((rc = apn_xlsx__part_next(p)) == 1) {
        if (xmlTextReaderNodeType(p->r) != XML_READER_TYPE_ELEMENT ||
            xmlTextReaderConstLocalName(p->r) != n.si)
            continue;
        if (apn_grow(&x->sst_off, &x->capsst, x->nsst + 1, sizeof *x->sst_off) < 0)
            return APN_ENOMEM;
        x->sst_off[x->nsst++] = x->sst_pool.len;
        if (!xmlTextReaderIsEmptyElement(p->r) &&
            (err = apn_xlsx__part_collect(p, &n, &x->sst_pool, 1)) < 0)
            return err;
        apn_buf_put(&x->sst_pool, "", 0);
        apn_buf_putc(&x->sst_pool, 0);
        if (x->sst_pool.oom)
            return APN_ENOMEM;
    }
    return rc < 0 ? rc : 0;
}

size_t apn_xlsx__nstrings(const apn_xlsx *x) { return x->nsst; }

const char *apn_xlsx__string(const apn_xlsx *x, size_t i)
{
    return i < x->nsst ? x->sst_pool.ptr + x->sst_off[i] : NULL;
}

/* ====================================================================
 * container
 * ==================================================================== */

typedef struct rel { const char *id, *type, *target; } rel;
typedef struct rels { rel *v; size_t n, cap; } rels;

static int xdigit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Resolves a relationship target against the folder of its source part
 * ("xl/"): relative or absolute ("/xl/..."), with . and .. and %XX decoded. */
static char *resolve(apn_arena *a, const char *dir, const char *target)
{
    size_t n = strlen(dir) + strlen(target) + 2;
    char *in = apn_arena_alloc(a, n), *out = apn_arena_alloc(a, n);
    if (!in || !out)
        return NULL;
    snprintf(in, n, "%s%s", target[0] == '/' ? "" : dir, target);
    size_t k = 0;
    for (const char *s = in; *s;) {
        while (*s == '/' || *s == '\\')
            s++;
        if (!*s)
            break;
        const char *e = s;
        while (*e && *e != '/' && *e != '\\')
            e++;
        size_t len = (size_t)(e - s);
        if (len == 1 && s[0] == '.') {
            /* nothing */
        } else if (len == 2 && s[0] == '.' && s[1] == '.') {
            while (k > 0 && out[k - 1] != '/')
                k--;
            if (k > 0)
                k--;
            while (k > 0 && out[k - 1] != '/')
                k--;
        } else {
            for (const char *q = s; q < e; q++) {
                int h1, h2;
                if (q[0] == '%' && e - q > 2 && (h1 = xdigit(q[1])) >= 0 &&
                    (h2 = xdigit(q[2])) >= 0 && (h1 | h2)) {
                    out[k++] = (char)(h1 * 16 + h2);
                    q += 2;
                } else {
                    out[k++] = *q;
                }
            }
            out[k++] = '/';
        }
        s = e;
    }
    if (k > 0)
        k--;   /* the trailing slash */
    out[k] = 0;
    return out;
}

/* A start tag of a small part: its local name and attributes. Returns 0 to
 * go on, else the read stops with that value. */
typedef int (*elem_fn)(void *ud, const char *name, const apn_xlsx_attrs *a);

typedef struct px {
    apn_xlsx_saxbase b;
    elem_fn fn;
    void *ud;
} px;

static void px_start(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **ns, int na, int ndef, const xmlChar **at)
{
    apn_xlsx_part *p = ctx;
    px *x = p->sax;
    (void)prefix, (void)uri, (void)ndef;
    if (x->b.err || !name)
        return;
    apn_xlsx_attrs a = { NULL, ns, nns, at, na };
    apn_xlsx__sax_stop(p, &x->b, x->fn(x->ud, (const char *)name, &a));
}

/* Calls fn for every start tag of zip member `member`, through the SAX2
 * parser (the reader when the part has a DTD). Returns 0, APN_ENOTFOUND (no
 * such member, nothing reported), fn's value, or a reported error. */
static int part_elements(apn_xlsx *x, const char *member, elem_fn fn, void *ud)
{
    apn_xlsx_part p;
    int err, rc;
    if (!apn_xlsx__use_reader) {
        px st = { { 0, 0 }, fn, ud };
        xmlSAXHandler h;
        if ((err = apn_xlsx__sax_open(&p, x, member, NULL, 0)) < 0)
            return err;
        memset(&h, 0, sizeof h);
        h.initialized = XML_SAX2_MAGIC;
        h.startElementNs = px_start;
        h.internalSubset = apn_xlsx__sax_dtd;
        h.serror = apn_xlsx__part_error;
        p.sax = &st;
        err = apn_xlsx__sax_drive(&p, NULL, 0, &h, NULL, NULL);
        if (!st.b.dtd)   /* else APN_XLSX_SAX_READER: fn's value may be 1 too */
            return err;
    }
    if ((err = apn_xlsx__part_open(&p, x, member)) < 0)
        return err;
    apn_xlsx_attrs a = { &p, NULL, 0, NULL, 0 };
    while ((rc = apn_xlsx__part_next(&p)) == 1) {
        const xmlChar *nm = xmlTextReaderConstLocalName(p.r);
        if (xmlTextReaderNodeType(p.r) != XML_READER_TYPE_ELEMENT || !nm)
            continue;
        if ((err = fn(ud, (const char *)nm, &a)) != 0)
            break;
    }
    if (err == 0 && rc < 0)
        err = rc;
    return apn_xlsx__part_finish(&p, err);
}

typedef struct rels_ctx { rels *out; apn_xlsx *x; const char *dir; } rels_ctx;

static int rels_elem(void *ud, const char *name, const apn_xlsx_attrs *a)
{
    rels_ctx *c = ud;
    rels *out = c->out;
    char id[256], type[512], target[1024], mode[32];
    if (strcmp(name, "Relationship"))
        return 0;
    if (!apn_xlsx__attr(a, "Id", id, sizeof id) ||
        !apn_xlsx__attr(a, "Target", target, sizeof target))
        return 0;
    if (apn_xlsx__attr(a, "TargetMode", mode, sizeof mode) && !strcmp(mode, "External"))
        return 0;
    if (!apn_xlsx__attr(a, "Type", type, sizeof type))
        type[0] = 0;
    if (apn_grow(&out->v, &out->cap, out->n + 1, sizeof *out->v) < 0)
        return APN_ENOMEM;
    rel *r = &out->v[out->n];
    r->id = apn_arena_strdup(&c->x->arena, id);
    r->type = apn_arena_strdup(&c->x->arena, type);
    r->target = resolve(&c->x->arena, c->dir, target);
    if (!r->id || !r->type || !r->target)
        return APN_ENOMEM;
    out->n++;
    return 0;
}

/* Reads a .rels part: every Relationship with an internal target, resolved
 * against dir. Returns 0, APN_ENOTFOUND (no such part) or a reported error. */
static int rels_read(rels *out, apn_xlsx *x, const char *member, const char *dir)
{
    rels_ctx c = { out, x, dir };
    return part_elements(x, member, rels_elem, &c);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

static const rel *rel_by_type(const rels *r, const char *suffix)
{
    for (size_t i = 0; i < r->n; i++)
        if (ends_with(r->v[i].type, suffix))
            return &r->v[i];
    return NULL;
}

static int add_sheet(apn_xlsx *x, const char *name, const char *member, int hidden)
{
    if (apn_grow(&x->sheets, &x->capsheets, x->nsheets + 1, sizeof *x->sheets) < 0)
        return APN_ENOMEM;
    apn_xlsx_sheet *sh = &x->sheets[x->nsheets];
    memset(sh, 0, sizeof *sh);
    sh->name = apn_arena_strdup(&x->arena, name);
    sh->member = member ? apn_arena_strdup(&x->arena, member) : NULL;
    sh->hidden = hidden;
    if (!sh->name || (member && !sh->member))
        return APN_ENOMEM;
    x->nsheets++;
    return 0;
}

/* Reads workbook.xml: sheet names, states and relationship ids in tab order.
 * Sheets keep their r:id in `member` until resolve_sheets replaces it. */
typedef struct wb_ctx { apn_xlsx *x; const char *member; } wb_ctx;

static int workbook_elem(void *ud, const char *tag, const apn_xlsx_attrs *a)
{
    wb_ctx *c = ud;
    apn_xlsx *x = c->x;
    char name[512], state[32], rid[256];
    if (strcmp(tag, "sheet"))
        return 0;
    if (!apn_xlsx__attr(a, "name", name, sizeof name)) {
        apn_diags_add(x->d, APN_SEV_WARNING, x->path, c->member, "a sheet without a name; "
                      "ignored");
        return 0;
    }
    int hidden = apn_xlsx__attr(a, "state", state, sizeof state) &&
                 (!strcmp(state, "hidden") || !strcmp(state, "veryHidden"));
    if (!apn_xlsx__attr_ns(a, "id", 1, rid, sizeof rid))
        rid[0] = 0;
    int err = add_sheet(x, name, rid, hidden);
    return err < 0 ? err : 0;
}

static int workbook_read(apn_xlsx *x, const char *member)
{
    wb_ctx c = { x, member };
    return part_elements(x, member, workbook_elem, &c);
}

static int load_sst(apn_xlsx *x, const char *member)
{
    apn_xlsx_part p;
    int err = apn_xlsx__part_open(&p, x, member);
    if (err == APN_ENOTFOUND)
        return 0;
    if (err < 0)
        return err;
    err = sst_parse(&p);
    return apn_xlsx__part_finish(&p, err);
}

static int open_parts(apn_xlsx *x)
{
    rels root = { 0, 0, 0 }, wbr = { 0, 0, 0 };
    const char *wb = "xl/workbook.xml";
    int err = rels_read(&root, x, "_rels/.rels", "");
    if (err < 0 && err != APN_ENOTFOUND)
        goto cleanup;
    const rel *od = rel_by_type(&root, "/officeDocument");
    if (od && apn_xlsx__find_member(x, od->target) >= 0)
        wb = od->target;
    if (apn_xlsx__find_member(x, wb) < 0) {
        apn_diags_add(x->d, APN_SEV_ERROR, x->path, "", "no workbook part (%s) in the zip: "
                      "not a spreadsheet", wb);
        err = APN_EPARSE;
        goto cleanup;
    }
    /* xl/workbook.xml -> folder "xl/", relationships "xl/_rels/workbook.xml.rels" */
    const char *slash = strrchr(wb, '/');
    size_t dlen = slash ? (size_t)(slash - wb + 1) : 0;
    char *dir = apn_arena_strndup(&x->arena, wb, dlen);
    char *relsname = apn_arena_printf(&x->arena, "%s_rels/%s.rels", dir ? dir : "", wb + dlen);
    if (!dir || !relsname) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    err = rels_read(&wbr, x, relsname, dir);
    if (err < 0 && err != APN_ENOTFOUND)
        goto cleanup;
    int norels = err == APN_ENOTFOUND;
    if ((err = workbook_read(x, wb)) < 0)
        goto cleanup;
    if (norels && x->nsheets)
        apn_diags_add(x->d, APN_SEV_WARNING, x->path, relsname, "missing: sheets assumed to "
                      "be %sworksheets/sheet1.xml, sheet2.xml ... in tab order", dir);
    for (size_t i = 0; i < x->nsheets; i++) {
        apn_xlsx_sheet *sh = &x->sheets[i];
        const char *rid = sh->member;
        sh->member = NULL;
        for (size_t k = 0; k < wbr.n && !sh->member; k++)
            if (!strcmp(wbr.v[k].id, rid))
                sh->member = wbr.v[k].target;
        if (norels && !(sh->member = apn_arena_printf(&x->arena, "%sworksheets/sheet%zu.xml",
                                                      dir, i + 1))) {
            err = APN_ENOMEM;
            goto cleanup;
        }
        if (!sh->member)
            apn_diags_add(x->d, APN_SEV_WARNING, x->path, sh->name, "%s names no relationship "
                          "\"%s\" for this sheet; it cannot be read", relsname, rid);
        else if (apn_xlsx__find_member(x, sh->member) < 0)
            apn_diags_add(x->d, APN_SEV_WARNING, x->path, sh->name, "the sheet's part %s is not "
                          "in the zip; it cannot be read", sh->member);
    }
    const rel *ss = rel_by_type(&wbr, "/sharedStrings");
    const char *sstname = ss ? ss->target : apn_arena_printf(&x->arena, "%ssharedStrings.xml", dir);
    if (!sstname) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    err = load_sst(x, sstname);
cleanup:
    apn_free(root.v);
    apn_free(wbr.v);
    return err;
}

/* ====================================================================
 * public API
 * ==================================================================== */

int apn_xlsx__new_empty(apn_xlsx **out, const char *path, const apn_xlsx_limits *lim,
                        apn_diags *d)
{
    *out = NULL;
    apn_xlsx *x = apn_calloc(1, sizeof *x);
    if (!x)
        return APN_ENOMEM;
    x->arena = (apn_arena)APN_ARENA_INIT;
    x->sst_pool = (apn_buf)APN_BUF_INIT;
    x->d = d;
    x->path = apn_strdup(path ? path : "");
    if (!x->path) {
        apn_free(x);
        return APN_ENOMEM;
    }
    x->lim.max_member = (size_t)64 << 20;
    x->lim.max_total = (size_t)256 << 20;
    x->lim.max_cols = 16384;
    x->lim.max_rows = 1048576;
    if (lim) {
        if (lim->max_member) x->lim.max_member = lim->max_member;
        if (lim->max_total) x->lim.max_total = lim->max_total;
        if (lim->max_cols && lim->max_cols < 16384) x->lim.max_cols = lim->max_cols;
        if (lim->max_rows && lim->max_rows < 1048576) x->lim.max_rows = lim->max_rows;
    }
    *out = x;
    return 0;
}

int apn_xlsx_open_memory(apn_xlsx **out, const void *data, size_t len, const char *path,
                         const apn_xlsx_limits *lim, apn_diags *d)
{
    apn_xlsx *x = NULL;
    zip_source_t *src = NULL;
    zip_error_t ze;
    zip_error_init(&ze);
    *out = NULL;
    int oom0 = d->oom;
    int err = apn_xlsx__new_empty(&x, path, lim, d);
    if (err < 0)
        goto cleanup;
    if (!(src = zip_source_buffer_create(data, len, 0, &ze))) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    if (!(x->za = zip_open_from_source(src, ZIP_RDONLY, &ze))) {
        apn_diags_add(d, APN_SEV_ERROR, x->path, "", "not a readable workbook: %s (not a zip "
                      "archive, or truncated)", zip_error_strerror(&ze));
        err = zip_error_code_zip(&ze) == ZIP_ER_MEMORY ? APN_ENOMEM : APN_EPARSE;
        goto cleanup;
    }
    src = NULL;   /* the archive owns it now */
    if ((err = open_parts(x)) < 0)
        goto cleanup;
    if (d->oom && !oom0) {   /* a warning was lost */
        err = APN_ENOMEM;
        goto cleanup;
    }
    *out = x;
    x = NULL;
cleanup:
    if (src)
        zip_source_free(src);
    zip_error_fini(&ze);
    apn_xlsx_free(x);
    return err;
}

void apn_xlsx_free(apn_xlsx *x)
{
    if (!x)
        return;
    if (x->za)
        zip_discard(x->za);
    for (size_t i = 0; i < x->nsheets; i++) {
        apn_free(x->sheets[i].hidden_cols);
        apn_free(x->sheets[i].merges);
    }
    apn_free(x->sheets);
    apn_buf_dispose(&x->sst_pool);
    apn_free(x->sst_off);
    apn_arena_dispose(&x->arena);
    apn_free(x->path);
    apn_free(x);
}

size_t apn_xlsx_nsheets(const apn_xlsx *x) { return x ? x->nsheets : 0; }

const char *apn_xlsx_sheet_name(const apn_xlsx *x, size_t i)
{
    return x && i < x->nsheets ? x->sheets[i].name : NULL;
}

int apn_xlsx_sheet_hidden(const apn_xlsx *x, size_t i)
{
    return x && i < x->nsheets ? x->sheets[i].hidden : 0;
}

const char *apn_xlsx__sheet_member(const apn_xlsx *x, size_t i)
{
    return x && i < x->nsheets ? x->sheets[i].member : NULL;
}

int apn_xlsx__load_sst_memory(apn_xlsx *x, const void *xml, size_t len)
{
    apn_xlsx_part p;
    int err = apn_xlsx__part_open_memory(&p, x, "xl/sharedStrings.xml", xml, len);
    if (err < 0)
        return err;
    err = sst_parse(&p);
    return apn_xlsx__part_finish(&p, err);
}

int apn_xlsx__add_sheet_memory(size_t *index, apn_xlsx *x, const char *name, const void *xml,
                               size_t len)
{
    int err = add_sheet(x, name, NULL, 0);
    if (err < 0)
        return err;
    *index = x->nsheets - 1;
    x->sheets[*index].mem = xml;
    x->sheets[*index].memlen = len;
    return 0;
}

