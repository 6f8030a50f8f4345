/* prowler — Prowler's FTR compliance CSV into answers per requirement. See prowler.h. */
#include "read/prowler.h"

#include <string.h>
#include <strings.h>

#include "read/ids.h"
#include "util/buf.h"
#include "util/csv.h"

#define WARN_ROWS 5        /* skipped rows warned about one by one, then counted */
#define DETAIL_MAX 300     /* bytes of STATUSEXTENDED kept for the response */

int apn_prowler_sniff(const char *data, size_t len)
{
    const char *p = data, *end = data + len;
    if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    size_t n = (size_t)((eol ? eol : end) - p);
    /* the header names, ';'-separated, as whole fields */
    int id = 0, status = 0;
    for (const char *f = p; f < p + n;) {
        const char *e = memchr(f, ';', (size_t)(p + n - f));
        size_t fl = (size_t)((e ? e : p + n) - f);
        while (fl && (f[fl - 1] == '\r' || f[fl - 1] == ' '))
            fl--;
        if (fl >= 2 && f[0] == '"' && f[fl - 1] == '"')
            f++, fl -= 2;
        id |= fl == 15 && !strncasecmp(f, "REQUIREMENTS_ID", 15);
        status |= fl == 6 && !strncasecmp(f, "STATUS", 6);
        if (!e)
            break;
        f = e + 1;
    }
    return id && status && memchr(p, ';', n) != NULL;
}

typedef struct cols { int id, status, muted, check, resource, detail, account, region, date, framework; } cols;

typedef struct rd {
    apn_prowler *p;
    const char *path;
    apn_diags *d;
    cols c;
    int have_cols;
    int err;
} rd;

static const char *field(const char *const *f, size_t n, int col)
{
    return col >= 0 && (size_t)col < n ? f[col] : "";
}

static void skip_row(rd *r, unsigned line, const char *why, const char *what)
{
    if (++r->p->nskipped <= WARN_ROWS) {
        char loc[32];
        snprintf(loc, sizeof loc, "line %u", line);
        apn_diags_add(r->d, APN_SEV_WARNING, r->path, loc, "%s \"%.40s\": row skipped", why, what);
    }
}

/* Copies the deciding line's fields into the arena. */
static int decide(rd *r, apn_prowler_req *q, const char *const *f, size_t n, unsigned line)
{
    apn_arena *a = &r->p->arena;
    const char *det = field(f, n, r->c.detail);
    q->line = line;
    q->check = apn_arena_strdup(a, field(f, n, r->c.check));
    q->resource = apn_arena_strdup(a, field(f, n, r->c.resource));
    q->detail = apn_arena_strndup(a, det, strnlen(det, DETAIL_MAX));
    q->account = apn_arena_strdup(a, field(f, n, r->c.account));
    q->region = apn_arena_strdup(a, field(f, n, r->c.region));
    q->date = apn_arena_strdup(a, field(f, n, r->c.date));
    return q->check && q->resource && q->detail && q->account && q->region && q->date ? 0 : APN_ENOMEM;
}

static int find_cols(rd *r, const apn_csv_header *h)
{
    r->c = (cols){ apn_csv_col(h, "REQUIREMENTS_ID"), apn_csv_col(h, "STATUS"), apn_csv_col(h, "MUTED"),
                   apn_csv_col(h, "CHECKID"), apn_csv_col(h, "RESOURCEID"),
                   apn_csv_col(h, "STATUSEXTENDED"), apn_csv_col(h, "ACCOUNTID"),
                   apn_csv_col(h, "REGION"), apn_csv_col(h, "ASSESSMENTDATE"),
                   apn_csv_col(h, "FRAMEWORK") };
    r->have_cols = 1;
    if (r->c.id < 0 || r->c.status < 0) {
        apn_diags_add(r->d, APN_SEV_ERROR, r->path, "line 1",
                      "not Prowler's compliance CSV: the header names no %s column",
                      r->c.id < 0 ? "REQUIREMENTS_ID" : "STATUS");
        return APN_EPARSE;
    }
    return 0;
}

static int row(void *ud, const apn_csv_header *h, const char *const *f, size_t n, unsigned line)
{
    rd *r = ud;
    apn_prowler *p = r->p;
    int err;
    if (!r->have_cols && (err = find_cols(r, h)) < 0)
        return err;
    p->nrows++;
    if (r->c.framework >= 0 && !p->framework) {
        const char *fw = field(f, n, r->c.framework);
        if (!(p->framework = apn_arena_strdup(&p->arena, fw)))
            return APN_ENOMEM;
        if (strcasecmp(fw, APN_PROWLER_FTR)) {
            apn_diags_add(r->d, APN_SEV_ERROR, r->path, "line 2",
                          "Prowler output for the framework \"%.60s\", not the FTR (%s): run prowler "
                          "with --compliance aws_foundational_technical_review_aws", fw,
                          APN_PROWLER_FTR);
            return APN_EPARSE;
        }
    }
    const char *raw = field(f, n, r->c.id), *st = field(f, n, r->c.status);
    apn_id id;
    if (apn_id_parse(&id, raw) < 0 || id.question) {
        skip_row(r, line, "not a requirement ID", raw);
        return 0;
    }
    int pass = !strcasecmp(st, "PASS"), fail = !strcasecmp(st, "FAIL"), manual = !strcasecmp(st, "MANUAL");
    if (!pass && !fail && !manual) {
        skip_row(r, line, "unknown STATUS (PASS, FAIL or MANUAL)", st);
        return 0;
    }
    const char *mu = field(f, n, r->c.muted);
    int muted = !strcasecmp(mu, "true") || !strcmp(mu, "1");
    size_t k;
    apn_prowler_req *q;
    if (apn_map_get(&p->index, id.id, &k)) {
        q = &p->reqs[k];
    } else {
        if (apn_grow(&p->reqs, &p->capreqs, p->nreqs + 1, sizeof *p->reqs) < 0)
            return APN_ENOMEM;
        q = &p->reqs[p->nreqs];
        memset(q, 0, sizeof *q);
        if (!(q->id = apn_arena_strdup(&p->arena, id.id)) || apn_map_put(&p->index, q->id, p->nreqs) < 0)
            return APN_ENOMEM;
        p->nreqs++;
        if ((err = decide(r, q, f, n, line)) < 0)   /* the first row, until a better one */
            return err;
    }
    if (muted) {
        q->nmuted++;
        return 0;
    }
    q->npass += pass;
    q->nfail += fail;
    q->nmanual += manual;
    if (fail && q->met != APN_MET_NO) {
        q->met = APN_MET_NO;
        return decide(r, q, f, n, line);
    }
    if (pass && q->met == APN_MET_NONE) {
        q->met = APN_MET_YES;
        return decide(r, q, f, n, line);
    }
    return 0;
}

int apn_prowler_parse(apn_prowler *p, const char *data, size_t len, const char *path, apn_diags *d)
{
    memset(p, 0, sizeof *p);
    rd r = { p, path, d, { 0 }, 0, 0 };
    int err = apn_csv_parse_sep(data, len, ';', path, row, &r, d);
    if (err == 0 && !r.have_cols) {
        apn_diags_add(d, APN_SEV_ERROR, path, "", "no rows: Prowler's compliance CSV has a header and "
                      "one row per finding");
        err = APN_EPARSE;
    }
    if (err == 0 && p->nskipped > WARN_ROWS)
        apn_diags_add(d, APN_SEV_WARNING, path, "", "%zu rows skipped in all (the first %d named above)",
                      p->nskipped, WARN_ROWS);
    return err;
}

void apn_prowler_dispose(apn_prowler *p)
{
    if (!p)
        return;
    apn_free(p->reqs);
    apn_map_dispose(&p->index);
    apn_arena_dispose(&p->arena);
    memset(p, 0, sizeof *p);
}

const char *apn_prowler_response(apn_prowler *p, const apn_prowler_req *r)
{
    apn_buf b = APN_BUF_INIT;
    apn_buf_puts(&b, "Prowler");
    if (*r->date) {
        /* "2025-01-01 00:00:00.123": the day is enough */
        apn_buf_puts(&b, " (");
        apn_buf_put(&b, r->date, strnlen(r->date, 10));
        apn_buf_putc(&b, ')');
    }
    apn_buf_printf(&b, ": %u PASS, %u FAIL", r->npass, r->nfail);
    if (r->nmanual)
        apn_buf_printf(&b, ", %u MANUAL", r->nmanual);
    if (r->nmuted)
        apn_buf_printf(&b, ", %u muted", r->nmuted);
    if (r->met != APN_MET_NONE && *r->check) {
        apn_buf_printf(&b, "; %s %s", r->met == APN_MET_NO ? "FAIL" : "PASS", r->check);
        if (*r->resource)
            apn_buf_printf(&b, " on %s", r->resource);
        if (*r->account || *r->region)
            apn_buf_printf(&b, " (%s%s%s)", r->account, *r->account && *r->region ? " " : "", r->region);
        if (*r->detail)
            apn_buf_printf(&b, ": %s", r->detail);
    }
    const char *s = b.oom ? NULL : apn_arena_strdup(&p->arena, apn_buf_cstr(&b));
    apn_buf_dispose(&b);
    return s;
}

int apn_prowler_met(apn_met_set *s, const char *path, const char *data, size_t len, apn_diags *d)
{
    static const apn_ident ftr = { "FTR", NULL, NULL, "partner-hosted", "software", 0 };
    apn_prowler p;
    size_t src, nverdicts = 0;
    int err = apn_prowler_parse(&p, data, len, path, d);
    if (err < 0)
        goto cleanup;
    for (size_t i = 0; i < p.nreqs; i++)
        nverdicts += p.reqs[i].met != APN_MET_NONE;
    if (!nverdicts) {
        apn_diags_add(d, APN_SEV_ERROR, path, "", "no requirement passes or fails here (its rows are "
                      "MANUAL or muted): nothing to count as answered");
        err = APN_EPARSE;
        goto cleanup;
    }
    if ((err = apn_met_add_source(&src, s, path, &ftr)) < 0)
        goto cleanup;
    for (size_t i = 0; i < p.nreqs && !err; i++) {
        const apn_prowler_req *q = &p.reqs[i];
        char loc[32];
        if (q->met == APN_MET_NONE)
            continue;
        const char *resp = apn_prowler_response(&p, q);
        snprintf(loc, sizeof loc, "line %u", q->line);
        err = resp ? apn_met_add_answer(s, src, q->id, q->met, resp, loc) : APN_ENOMEM;
    }
cleanup:
    apn_prowler_dispose(&p);
    return err;
}
