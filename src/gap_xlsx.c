/* gap_xlsx — the worklist as a workbook (libxlsxwriter). See gap_xlsx.h. */
#include "gap_xlsx.h"

#include <errno.h>
#include <string.h>

#include <xlsxwriter.h>

#include "util/alloc.h"
#include "util/io.h"

#define SHEET_NAME_MAX 31      /* Excel's limit */
#define CELL_TEXT_MAX 32767    /* characters a cell holds; longer text is cut */

/* The worklist's columns (apn_gap_table) and where each goes on a sheet. */
enum { C_COMP, C_OFFER, C_ID, C_SECTION, C_TITLE, C_STATUS, C_MET, C_SOURCE, C_RESPONSE };
static const struct { const char *head; int col; double width; } SHEET_COLS[] = {
    { "ID", C_ID, 13 },
    { "Requirement Description", C_TITLE, 60 },
    { "Met?", C_MET, 7 },
    { "Partner Response", C_RESPONSE, 60 },
    { "Status", C_STATUS, 10 },
    { "Source", C_SOURCE, 40 },
    { "Section", C_SECTION, 30 },
};
#define NSHEET_COLS (sizeof SHEET_COLS / sizeof *SHEET_COLS)

static const struct { const char *status; unsigned rgb; } FILLS[] = {
    { "met", 0xC6EFCE }, { "reused", 0xDDEBF7 }, { "new", 0xFFEB9C }, { "evidence", 0xE4DFEC },
};
#define NFILLS (sizeof FILLS / sizeof *FILLS)

typedef struct wr {
    lxw_workbook *wb;
    lxw_format *head, *wrap, *fill[NFILLS];
    lxw_error err;
} wr;

static void put(wr *w, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f)
{
    char cut[CELL_TEXT_MAX + 1];
    if (!s || w->err)
        return;
    if (strlen(s) > CELL_TEXT_MAX) {
        size_t n = CELL_TEXT_MAX;
        while (n && ((unsigned char)s[n] & 0xC0) == 0x80)   /* not inside a UTF-8 sequence */
            n--;
        memcpy(cut, s, n);
        cut[n] = 0;
        s = cut;
    }
    lxw_error e = worksheet_write_string(ws, r, c, s, f);
    if (e != LXW_NO_ERROR)
        w->err = e;
}

static void num(wr *w, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v)
{
    lxw_error e = w->err ? LXW_NO_ERROR : worksheet_write_number(ws, r, c, v, NULL);
    if (e != LXW_NO_ERROR)
        w->err = e;
}

/* A sheet name from a slug: no []:*?/\, at most 31 characters, unique. */
static lxw_worksheet *add_sheet(wr *w, const char *slug)
{
    char name[SHEET_NAME_MAX + 1];
    size_t n = 0;
    for (const char *p = slug; *p && n < SHEET_NAME_MAX; p++)
        name[n++] = strchr("[]:*?/\\'", *p) ? '_' : *p;
    name[n] = 0;
    /* taken (libxlsxwriter checks every sheet so far, Summary included): ~2, ~3, ... */
    for (unsigned k = 2; workbook_validate_sheet_name(w->wb, name) != LXW_NO_ERROR && k < 100000; k++) {
        char tail[8];
        int tl = snprintf(tail, sizeof tail, "~%u", k);
        size_t keep = n + (size_t)tl > SHEET_NAME_MAX ? SHEET_NAME_MAX - (size_t)tl : n;
        memcpy(name + keep, tail, (size_t)tl + 1);
    }
    lxw_worksheet *ws = workbook_add_worksheet(w->wb, name);
    if (!ws)
        w->err = LXW_ERROR_MEMORY_MALLOC_FAILED;
    return ws;
}

static void header(wr *w, lxw_worksheet *ws, const char *const *heads, const double *widths, size_t n,
                   lxw_row_t last)
{
    for (size_t i = 0; i < n; i++) {
        put(w, ws, 0, (lxw_col_t)i, heads[i], w->head);
        if (!w->err)
            worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, widths[i], i == 1 || i == 3 ? w->wrap : NULL);
    }
    worksheet_freeze_panes(ws, 1, 0);
    if (!w->err)
        w->err = worksheet_autofilter(ws, 0, 0, last, (lxw_col_t)(n - 1));
}

static void summary_sheet(wr *w, const apn_table *s)
{
    static const char *const heads[] = { "Competency", "Offering", "Total", "Met", "Reused", "New",
                                         "Evidence" };
    static const double widths[] = { 32, 18, 8, 8, 8, 8, 10 };
    lxw_worksheet *ws = workbook_add_worksheet(w->wb, "Summary");
    size_t n = apn_table_nrows(s);
    if (!ws) {
        w->err = LXW_ERROR_MEMORY_MALLOC_FAILED;
        return;
    }
    header(w, ws, heads, widths, 7, (lxw_row_t)n);
    for (size_t r = 0; r < n; r++) {
        put(w, ws, (lxw_row_t)(r + 1), 0, apn_table_text(s, r, 0), NULL);
        put(w, ws, (lxw_row_t)(r + 1), 1, apn_table_text(s, r, 1), NULL);
        for (size_t c = 2; c < 7; c++)
            num(w, ws, (lxw_row_t)(r + 1), (lxw_col_t)c, (double)apn_table_int(s, r, c));
    }
}

/* The rows [r0, r1) of one competency. */
static void competency_sheet(wr *w, const apn_table *t, size_t r0, size_t r1)
{
    const char *heads[NSHEET_COLS];
    double widths[NSHEET_COLS];
    lxw_worksheet *ws = add_sheet(w, apn_table_text(t, r0, C_COMP));
    if (!ws)
        return;
    for (size_t i = 0; i < NSHEET_COLS; i++)
        heads[i] = SHEET_COLS[i].head, widths[i] = SHEET_COLS[i].width;
    header(w, ws, heads, widths, NSHEET_COLS, (lxw_row_t)(r1 - r0));
    for (size_t r = r0; r < r1 && !w->err; r++) {
        lxw_row_t row = (lxw_row_t)(r - r0 + 1);
        for (size_t i = 0; i < NSHEET_COLS; i++) {
            const char *v = apn_table_text(t, r, (size_t)SHEET_COLS[i].col);
            lxw_format *f = SHEET_COLS[i].col == C_TITLE || SHEET_COLS[i].col == C_RESPONSE ? w->wrap : NULL;
            if (SHEET_COLS[i].col == C_MET && v)   /* as AWS's lists spell it */
                v = !strcmp(v, "yes") ? "Yes" : !strcmp(v, "no") ? "No" : "NA";
            if (SHEET_COLS[i].col == C_STATUS)
                for (size_t k = 0; k < NFILLS; k++)
                    if (v && !strcmp(v, FILLS[k].status))
                        f = w->fill[k];
            put(w, ws, row, (lxw_col_t)i, v, f);
        }
    }
}

int apn_gap__xlsx(const apn_table *t, const apn_table *s, const char *path, apn_diags *d)
{
    const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
    char *dir = slash ? apn_strndup(path, (size_t)(slash - path + (slash == path))) : apn_strdup(".");
    apn_io_stage *st = NULL;
    wr w = { 0 };
    int err = 0;
    if (!dir)
        return APN_ENOMEM;
    const char *tmp;
    if ((err = apn_io_stage_open(&st, dir)) < 0 || !(tmp = apn_io_stage_path(st, base))) {
        err = err < 0 ? err : APN_EUSAGE;
        apn_diags_add(d, APN_SEV_ERROR, path, "", "cannot write here: %s",
                      err == APN_EIO ? strerror(errno) : "not a file name");
        goto cleanup;
    }
    if (!(w.wb = workbook_new(tmp))) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    w.head = workbook_add_format(w.wb);
    w.wrap = workbook_add_format(w.wb);
    for (size_t k = 0; k < NFILLS; k++)
        w.fill[k] = workbook_add_format(w.wb);
    format_set_bold(w.head);
    format_set_bg_color(w.head, 0xD9D9D9);
    format_set_text_wrap(w.wrap);
    format_set_align(w.wrap, LXW_ALIGN_VERTICAL_TOP);
    for (size_t k = 0; k < NFILLS; k++)
        format_set_bg_color(w.fill[k], FILLS[k].rgb);
    summary_sheet(&w, s);
    for (size_t r0 = 0, n = apn_table_nrows(t); r0 < n && !w.err;) {
        size_t r1 = r0 + 1;
        while (r1 < n && !strcmp(apn_table_text(t, r1, C_COMP), apn_table_text(t, r0, C_COMP)))
            r1++;
        competency_sheet(&w, t, r0, r1);
        r0 = r1;
    }
    lxw_error e = workbook_close(w.wb);   /* frees the workbook, written or not */
    if (!w.err)
        w.err = e;
    if (w.err != LXW_NO_ERROR) {
        err = w.err == LXW_ERROR_MEMORY_MALLOC_FAILED ? APN_ENOMEM : APN_EIO;
        apn_diags_add(d, APN_SEV_ERROR, path, "", "not written: %s", lxw_strerror(w.err));
        goto cleanup;
    }
    if ((err = apn_io_stage_commit(st)) < 0)
        apn_diags_add(d, APN_SEV_ERROR, path, "", "not written: %s", strerror(errno));
cleanup:
    apn_io_stage_free(st);
    apn_free(dir);
    return err;
}
