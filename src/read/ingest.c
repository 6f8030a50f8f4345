/* ingest — read one input file into an apn_doc. See ingest.h. */
#include "read/ingest.h"

#include <string.h>
#include <strings.h>

#include "read/html.h"
#include "read/manifest.h"
#include "util/io.h"
#include "read/wb.h"
#include "read/xlsx.h"

int apn_ingest_name_format(const char *name)
{
    static const struct { const char *suffix; apn_docformat format; } kinds[] = {
        { ".html", APN_DOC_HTML }, { ".htm", APN_DOC_HTML },
        { ".xlsx", APN_DOC_XLSX }, { ".xlsm", APN_DOC_XLSX },
    };
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        size_t m = strlen(kinds[i].suffix);
        if (n > m && !strcasecmp(name + n - m, kinds[i].suffix))
            return kinds[i].format;
    }
    return 0;
}

const char *const apn_ingest_side_files[] = { "categories.csv", "aliases.csv", APN_MANIFEST_FILE, NULL };

int apn_ingest_is_side_file(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    for (size_t i = 0; apn_ingest_side_files[i]; i++)
        if (!strcasecmp(base, apn_ingest_side_files[i]))
            return 1;
    return 0;
}

/* A zip starts with a local file header; pages start with markup (after an
 * optional BOM and whitespace). The name decides only when the bytes don't. */
static apn_docformat detect(const char *data, size_t len, const char *path)
{
    if (len >= 4 && !memcmp(data, "PK\x03\x04", 4))
        return APN_DOC_XLSX;
    if (apn_ingest_name_format(path) == APN_DOC_XLSX)
        return APN_DOC_XLSX;
    return APN_DOC_HTML;
}

int apn_ingest_file(apn_doc *doc, const char *path, const char *display_path)
{
    char *data = NULL;
    size_t len = 0;
    apn_xlsx *x = NULL;
    int err;

    if ((err = apn_doc_init(doc, display_path ? display_path : path)) < 0)
        return err;
    err = apn_io_read_file(&data, &len, path, APN_MAX_INPUT);
    if (err < 0) {
        doc->rejected = 1;
        if (err == APN_ELIMIT)
            apn_doc_diag(doc, APN_SEV_ERROR, NULL, "file larger than %zu MiB, not read",
                         APN_MAX_INPUT >> 20);
        else if (err == APN_ENOMEM)
            goto cleanup;
        else
            apn_doc_diag(doc, APN_SEV_ERROR, NULL, "cannot read: %s", apn_strerror(err));
        err = 0;
        goto cleanup;
    }
    apn_sha256_hex(doc->sha256, data, len);
    doc->format = detect(data, len, path);
    if (doc->format == APN_DOC_XLSX) {
        err = apn_xlsx_open_memory(&x, data, len, doc->path, NULL, &doc->diags);
        if (err == 0)
            err = apn_wb_read(doc, x);
    } else {
        err = apn_html_read(doc, data, len);
    }
    if (err == APN_ENOMEM)
        goto cleanup;
    if (err < 0) {
        /* the reader said why in a diagnostic; make sure one error names the file */
        doc->rejected = 1;
        if (!doc->diags.nerr)
            apn_doc_diag(doc, APN_SEV_ERROR, NULL, "not read: %s", apn_strerror(err));
        err = 0;
    }
cleanup:
    apn_xlsx_free(x);
    apn_free(data);
    return err;
}
