/* csv — read small CSV side files. See csv.h. */
#include "util/csv.h"

#include <string.h>
#include <strings.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/io.h"

int apn_csv_col(const apn_csv_header *hdr, const char *name)
{
    for (size_t i = 0; i < hdr->n; i++)
        if (!strcasecmp(hdr->names[i], name))
            return (int)i;
    return -1;
}

int apn_csv_read(const char *path, const char *display, apn_csv_fn fn, void *ud, apn_diags *d)
{
    char *data = NULL;
    size_t len = 0, nf = 0, capf = 0, nh = 0;
    char **fields = NULL, **hdr = NULL;
    apn_buf cur = APN_BUF_INIT;
    unsigned line = 1, rec_line = 1;
    int err = apn_io_read_file(&data, &len, path, (size_t)1 << 20);
    if (err < 0) {
        if (err == APN_ELIMIT)
            apn_diags_add(d, APN_SEV_ERROR, display, "", "side file larger than 1 MiB, not read");
        return err;
    }
    const char *p = data, *end = data + len;
    if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    while (p <= end) {
        int in_q = 0, eol = 0;
        apn_buf_clear(&cur);
        /* one field */
        if (p < end && *p == '"') {
            in_q = 1;
            p++;
            while (p < end) {
                if (*p == '"' && p + 1 < end && p[1] == '"') {
                    apn_buf_putc(&cur, '"');
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    in_q = 0;
                    break;
                } else {
                    if (*p == '\n')
                        line++;
                    apn_buf_putc(&cur, *p++);
                }
            }
            if (in_q) {
                apn_diags_add(d, APN_SEV_ERROR, display, "", "line %u: quote never closed", rec_line);
                err = APN_EPARSE;
                goto cleanup;
            }
        }
        while (p < end && *p != ',' && *p != '\n' && *p != '\r')
            apn_buf_putc(&cur, *p++);
        if (p < end && *p == '\r')
            p++;
        if (p >= end || *p == '\n')
            eol = 1;
        p++; /* past ',' or '\n' (or past the end) */
        if (cur.oom) {
            err = APN_ENOMEM;
            goto cleanup;
        }
        if (apn_grow(&fields, &capf, nf + 1, sizeof *fields) < 0 ||
            !(fields[nf] = apn_strdup(apn_buf_cstr(&cur)))) {
            err = APN_ENOMEM;
            goto cleanup;
        }
        nf++;
        if (!eol)
            continue;
        int blank = nf == 1 && !fields[0][0];
        if (!blank) {
            if (!hdr) {
                hdr = fields;
                nh = nf;
                fields = NULL;
                capf = 0;
            } else {
                apn_csv_header h = { (const char *const *)hdr, nh };
                err = fn(ud, &h, (const char *const *)fields, nf, rec_line);
            }
        }
        for (size_t i = 0; i < nf && fields; i++)
            apn_free(fields[i]);
        nf = 0;
        if (err)
            goto cleanup;
        line++;
        rec_line = line;
    }
cleanup:
    for (size_t i = 0; i < nf; i++)
        apn_free(fields[i]);
    apn_free(fields);
    for (size_t i = 0; i < nh; i++)
        apn_free(hdr[i]);
    apn_free(hdr);
    apn_buf_dispose(&cur);
    apn_free(data);
    return err;
}
