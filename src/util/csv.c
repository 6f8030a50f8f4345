/* csv — the one CSV reader and cell writer. See csv.h. */
#include "util/csv.h"

#include <string.h>
#include <strings.h>

#include "util/alloc.h"
#include "util/io.h"

#define CSV_MAX_FILE ((size_t)1 << 20)

int apn_csv_col(const apn_csv_header *hdr, const char *name)
{
    for (size_t i = 0; i < hdr->n; i++)
        if (!strcasecmp(hdr->names[i], name))
            return (int)i;
    return -1;
}

const char *apn_csv_field(const apn_csv_header *hdr, const char *const *fields, size_t n,
                          const char *name)
{
    int i = apn_csv_col(hdr, name);
    return i >= 0 && (size_t)i < n ? fields[i] : NULL;
}

/* The length of the line break at p (LF, CRLF or a lone CR), or 0. */
static size_t line_break(const char *p, const char *end)
{
    if (p >= end)
        return 0;
    if (*p == '\n')
        return 1;
    if (*p == '\r')
        return p + 1 < end && p[1] == '\n' ? 2 : 1;
    return 0;
}

/* Reads one field at *pp into cur; *line counts breaks inside quotes. Returns
 * 0, or APN_EPARSE for a quote left open. */
static int read_field(apn_buf *cur, const char **pp, const char *end, unsigned *line, char sep)
{
    const char *p = *pp;
    apn_buf_clear(cur);
    if (p < end && *p == '"') {
        for (p++;; ) {
            if (p >= end)
                return APN_EPARSE;
            if (*p == '"') {
                if (p + 1 < end && p[1] == '"') {
                    apn_buf_putc(cur, '"');
                    p += 2;
                    continue;
                }
                p++;
                break;
            }
            size_t br = line_break(p, end);
            if (br) {
                (*line)++;
                apn_buf_put(cur, p, br);
                p += br;
            } else {
                apn_buf_putc(cur, *p++);
            }
        }
    }
    const char *s = p;
    while (p < end && *p != sep && *p != '\n' && *p != '\r')
        p++;
    apn_buf_put(cur, s, (size_t)(p - s));
    *pp = p;
    return 0;
}

static void free_fields(char **f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        apn_free(f[i]);
}

int apn_csv_parse(const char *data, size_t len, const char *display, apn_csv_fn fn, void *ud,
                  apn_diags *d)
{
    return apn_csv_parse_sep(data, len, ',', display, fn, ud, d);
}

int apn_csv_parse_sep(const char *data, size_t len, char sep, const char *display, apn_csv_fn fn,
                      void *ud, apn_diags *d)
{
    size_t nf = 0, capf = 0, nh = 0;
    char **fields = NULL, **hdr = NULL;
    apn_buf cur = APN_BUF_INIT;
    unsigned line = 1, rec_line = 1;
    int err = 0;
    const char *p = data ? data : "", *end = p + len;
    if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    while (p < end) {
        if ((err = read_field(&cur, &p, end, &line, sep)) < 0) {
            if (d)
                apn_diags_add(d, APN_SEV_ERROR, display, "", "line %u: quote never closed", rec_line);
            goto cleanup;
        }
        if (cur.oom || apn_grow(&fields, &capf, nf + 1, sizeof *fields) < 0 ||
            !(fields[nf] = apn_strdup(apn_buf_cstr(&cur)))) {
            err = APN_ENOMEM;
            goto cleanup;
        }
        nf++;
        if (p < end && *p == sep) {
            p++;
            if (p < end)
                continue;
            /* a comma at the very end: one more, empty field */
            if (apn_grow(&fields, &capf, nf + 1, sizeof *fields) < 0 || !(fields[nf] = apn_strdup(""))) {
                err = APN_ENOMEM;
                goto cleanup;
            }
            nf++;
        }
        size_t br = line_break(p, end);
        p += br;
        if (!(nf == 1 && !fields[0][0])) {   /* an empty line is no record */
            if (!hdr) {
                hdr = fields;
                nh = nf;
                fields = NULL;
                nf = capf = 0;
            } else {
                apn_csv_header h = { (const char *const *)hdr, nh };
                err = fn(ud, &h, (const char *const *)fields, nf, rec_line);
            }
        }
        free_fields(fields, nf);
        nf = 0;
        if (err)
            goto cleanup;
        line += br > 0;
        rec_line = line;
    }
cleanup:
    free_fields(fields, nf);
    apn_free(fields);
    free_fields(hdr, nh);
    apn_free(hdr);
    apn_buf_dispose(&cur);
    return err;
}

int apn_csv_read(const char *path, const char *display, apn_csv_fn fn, void *ud, apn_diags *d)
{
    char *data = NULL;
    size_t len = 0;
    int err = apn_io_read_file(&data, &len, path, CSV_MAX_FILE);
    if (err < 0) {
        if (err == APN_ELIMIT)
            apn_diags_add(d, APN_SEV_ERROR, display, "", "side file larger than 1 MiB, not read");
        return err;
    }
    err = apn_csv_parse(data, len, display, fn, ud, d);
    apn_free(data);
    return err;
}

void apn_csv_put_cell(apn_buf *b, const char *s, int flags)
{
    int guard = (flags & APN_CSV_GUARD) && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@');
    int quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        apn_buf_putc(b, '"');
    if (guard)
        apn_buf_putc(b, '\'');
    if (!quote) {
        apn_buf_puts(b, s);
        return;
    }
    for (const char *p = s; *p;) {
        const char *q = strchr(p, '"');
        size_t n = q ? (size_t)(q - p) + 1 : strlen(p);
        apn_buf_put(b, p, n);   /* through the quote, which is then doubled */
        if (q)
            apn_buf_putc(b, '"');
        p += n;
    }
    apn_buf_putc(b, '"');
}
