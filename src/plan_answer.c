/* plan_answer — an answer and its writers. See plan_answer.h. */
#include "plan_answer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/bitset.h"
#include "util/buf.h"

void apn_plan_free(apn_plan *p)
{
    if (!p)
        return;
    apn_plan__data_dispose(&p->d);
    apn_table_free(p->t);
    apn_free(p->seq);
    apn_free(p->off);
    apn_free(p->ctx);
    apn_free(p->left);
    apn_free(p);
}

const apn_table *apn_plan_table(const apn_plan *p) { return p->t; }
int apn_plan_partial(const apn_plan *p) { return p->partial; }
size_t apn_plan_nleft_out(const apn_plan *p) { return p->nleft; }

const char *apn_plan_left_out(const apn_plan *p, size_t i, const char **reason)
{
    if (reason)
        *reason = i < p->nleft ? APN_PLAN_LEFT_PARTIAL : NULL;
    return i < p->nleft ? p->d.slug[p->left[i]] : NULL;
}

int apn_plan__explain(apn_plan *p, const size_t *comps, size_t n, size_t nctx)
{
    if (apn_grow(&p->seq, &p->capseq, p->nseq + n, sizeof *p->seq) < 0)
        return APN_ENOMEM;
    size_t cap = p->caprows;
    if (apn_grow(&p->off, &cap, p->nrows + 2, sizeof *p->off) < 0)
        return APN_ENOMEM;
    cap = p->caprows;
    if (apn_grow(&p->ctx, &cap, p->nrows + 2, sizeof *p->ctx) < 0)
        return APN_ENOMEM;
    p->caprows = cap;
    p->off[p->nrows] = p->nseq;
    p->ctx[p->nrows] = nctx;
    if (n)   /* an empty answer (nothing fits a budget) has no steps */
        memcpy(p->seq + p->nseq, comps, n * sizeof *comps);
    p->nseq += n;
    p->nrows++;
    p->off[p->nrows] = p->nseq;
    return 0;
}

/* ---- writing ---- */

/* "ACCT 1, OPE 2" for the members of x (requirement order is ID order, so
 * equal prefixes are adjacent). */
static void by_prefix(apn_buf *b, const apn_plan_data *d, const uint64_t *x)
{
    const char *cur = NULL;
    size_t n = 0;
    int first = 1;
    for (size_t r = apn_bitset_next(x, d->in.nw, 0);; r = apn_bitset_next(x, d->in.nw, r + 1)) {
        if (r == SIZE_MAX || !cur || strcmp(cur, d->rprefix[r])) {
            if (cur) {
                apn_buf_printf(b, "%s%s %zu", first ? "" : ", ", cur, n);
                first = 0;
            }
            if (r == SIZE_MAX)
                break;
            cur = d->rprefix[r];
            n = 0;
        }
        n++;
    }
}

/* For step k of row r: fills nw-word sets new and reused. */
static void step_sets(const apn_plan *p, size_t r, size_t k, uint64_t *prior, uint64_t *nw_, uint64_t *re)
{
    const apn_plan_data *d = &p->d;
    memcpy(prior, d->in.done, d->in.nw * sizeof *prior);
    for (size_t i = p->off[r]; i < p->off[r] + k; i++)
        apn_bitset_or(prior, apn_plan__set(&d->in, p->seq[i]), d->in.nw);
    const uint64_t *s = apn_plan__set(&d->in, p->seq[p->off[r] + k]);
    for (size_t i = 0; i < d->in.nw; i++) {
        nw_[i] = s[i] & ~prior[i];
        re[i] = s[i] & prior[i];
    }
}

static json_t *id_list(const apn_plan_data *d, const uint64_t *x)
{
    json_t *a = json_array();
    for (size_t r = apn_bitset_next(x, d->in.nw, 0); a && r != SIZE_MAX; r = apn_bitset_next(x, d->in.nw, r + 1))
        if (json_array_append_new(a, json_string(d->rid[r])) < 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

/* [{"competency": slug, "reason": why}] of the candidates left out. */
static json_t *left_list(const apn_plan *p)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < p->nleft; i++) {
        json_t *o = json_pack("{s:s, s:s}", "competency", p->d.slug[p->left[i]], "reason", APN_PLAN_LEFT_PARTIAL);
        if (!o || json_array_append_new(a, o) < 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static int write_json(const apn_plan *p, FILE *f, uint64_t *prior, uint64_t *nb, uint64_t *rb, uint64_t *eb)
{
    const apn_plan_data *d = &p->d;
    char *mem = NULL;
    size_t len = 0;
    json_t *arr = NULL;
    int err = 0;
    FILE *m = open_memstream(&mem, &len);
    if (!m)
        return APN_ENOMEM;
    err = apn_table_write(p->t, m, APN_FMT_JSON);
    if (fclose(m) != 0 && !err)
        err = APN_ENOMEM;
    if (err < 0)
        goto cleanup;
    json_error_t je;
    if (!(arr = json_loadb(mem, len, 0, &je)) || json_array_size(arr) != p->nrows) {
        err = APN_ERROR;
        goto cleanup;
    }
    for (size_t r = 0; r < p->nrows; r++) {
        json_t *steps = json_array(), *left = left_list(p);
        if (!steps || json_object_set_new(json_array_get(arr, r), "steps", steps) < 0 || !left ||
            json_object_set_new(json_array_get(arr, r), "left_out", left) < 0) {
            err = APN_ENOMEM;
            goto cleanup;
        }
        for (size_t k = p->ctx[r]; k < p->off[r + 1] - p->off[r]; k++) {
            size_t c = p->seq[p->off[r] + k];
            step_sets(p, r, k, prior, nb, rb);
            const uint64_t *ce = d->ce + c * d->in.nw;
            for (size_t i = 0; i < d->in.nw; i++)
                eb[i] = ce[i] & ~d->met[i];
            double cost = apn_plan__weigh(&d->in, nb);
            json_t *o = json_pack("{s:s, s:o, s:o, s:o, s:o}", "competency", d->slug[c], "new", id_list(d, nb),
                                  "cost", d->integral ? json_integer(llround(cost)) : json_real(round(cost * 1e4) / 1e4),
                                  "reused", id_list(d, rb), "evidence", id_list(d, eb));
            if (!o || json_array_append_new(steps, o) < 0) {
                err = APN_ENOMEM;
                goto cleanup;
            }
        }
    }
    if (json_dumpf(arr, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15) | JSON_ESCAPE_SLASH) != 0)
        err = APN_EIO;
    else
        fputc('\n', f);
cleanup:
    json_decref(arr);
    free(mem);   /* open_memstream's buffer comes from the C library */
    return err;
}

/* An amount as the table prints it: whole, or with four decimals. */
static void put_amount(apn_buf *b, const apn_plan_data *d, const char *before, double v)
{
    if (d->integral)
        apn_buf_printf(b, "%s%lld", before, llround(v));
    else
        apn_buf_printf(b, "%s%.4f", before, v);
}

static int write_text(const apn_plan *p, FILE *f, uint64_t *prior, uint64_t *nb, uint64_t *rb)
{
    const apn_plan_data *d = &p->d;
    apn_buf b = APN_BUF_INIT;
    int err = apn_table_write(p->t, f, APN_FMT_TABLE);
    if (err < 0 || !p->nrows)
        return err;
    fputc('\n', f);
    for (size_t r = 0; r < p->nrows; r++) {
        size_t n = p->off[r + 1] - p->off[r];
        for (size_t k = p->ctx[r]; k < n; k++) {
            size_t c = p->seq[p->off[r] + k];
            step_sets(p, r, k, prior, nb, rb);
            apn_buf_clear(&b);
            if (p->mode == APN_PLAN_PAIRS)
                apn_buf_printf(&b, "%s after %s", d->slug[c], d->slug[p->seq[p->off[r]]]);
            else if (p->mode == APN_PLAN_ORDER)
                apn_buf_printf(&b, "step %zu, %s", r + 1, d->slug[c]);
            else
                apn_buf_printf(&b, "%s", d->slug[c]);
            size_t nn = apn_bitset_count(nb, d->in.nw), nr = apn_bitset_count(rb, d->in.nw);
            apn_buf_printf(&b, ": %zu new", nn);
            if (nn) {
                apn_buf_puts(&b, " (");
                by_prefix(&b, d, nb);
                apn_buf_putc(&b, ')');
            }
            if (!d->unit)   /* the row's amounts are weights: say what this step adds to them */
                put_amount(&b, d, " costing ", apn_plan__weigh(&d->in, nb));
            apn_buf_printf(&b, ", reuses %zu", nr);
            if (nr) {
                apn_buf_puts(&b, " (");
                by_prefix(&b, d, rb);
                apn_buf_putc(&b, ')');
            }
            if (b.oom) {
                err = APN_ENOMEM;
                goto cleanup;
            }
            fprintf(f, "%s\n", apn_buf_cstr(&b));
        }
    }
    if (ferror(f))
        err = APN_EIO;
cleanup:
    apn_buf_dispose(&b);
    return err;
}

int apn_plan_write(const apn_plan *p, FILE *f, apn_format fmt)
{
    if (fmt == APN_FMT_CSV)
        return apn_table_write(p->t, f, fmt);
    size_t nw = p->d.in.nw;
    uint64_t *buf = apn_calloc(4 * nw, sizeof *buf);
    int err;
    if (!buf)
        return APN_ENOMEM;
    if (fmt == APN_FMT_JSON)
        err = write_json(p, f, buf, buf + nw, buf + 2 * nw, buf + 3 * nw);
    else
        err = write_text(p, f, buf, buf + nw, buf + 2 * nw);
    apn_free(buf);
    return err;
}
