/* apn_report — render a database as a folder a person can open: one offline
 * index.html (charts, sortable tables and a cytoscape.js graph, all inline), the
 * charts as SVG and PNG (drawn by gnuplot through a pipe), and every table as CSV
 * and JSON (docs/design.md §5-§6, docs/report.md).
 *
 * apn_report_write creates dir when missing and overwrites the files it writes;
 * it keeps nothing after it returns. Everything that came from documents is
 * escaped for where it lands (HTML, SVG, JSON inside <script>, CSV formula guard).
 */
#ifndef APNMAP_REPORT_H
#define APNMAP_REPORT_H

#include "common.h"

#include "db.h"

struct apn_diags;

/* Called after each file is written (path as written: dir + "/" + name), so a
 * caller can say what was written; ctx is the caller's. */
typedef void (*apn_report_progress_fn)(void *ud, const char *path);

typedef struct apn_report_opts {
    const char *gnuplot;            /* gnuplot executable; NULL: "gnuplot" from PATH */
    int no_charts;                  /* 1: skip SVG/PNG (and gnuplot) entirely */
    apn_report_progress_fn progress;   /* may be NULL */
    void *progress_ud;
    size_t top;                     /* 0: APN_REPORT_TOP (see below) */
} apn_report_opts;
#define APN_REPORT_OPTS_INIT { 0, 0, 0, 0, 0 }

/* Above this many competencies in an offering, its charts (bars, heat map,
 * hardest), its graph, what next, the page's tables and the stats, overlap and
 * hardest files show only the `top` with the most requirements (ties by slug),
 * and say so (the listing commands print every row). Memory, the page and the
 * folder stay bounded however large the database is (docs/report.md). */
#define APN_REPORT_TOP 40

/* Writes the report of db into dir. opts may be NULL (defaults). Returns 0
 * (without gnuplot too: the page and the tables are written without charts, a
 * warning in d says how to install it); APN_ENOTFOUND when the embedded
 * cytoscape.js is missing (a diagnostic in d says how to get it); APN_EIO when a
 * file cannot be written or gnuplot fails (its message in d); APN_EDB;
 * APN_ENOMEM. */
int apn_report_write(const char *dir, apn_db *db, const apn_report_opts *opts, struct apn_diags *d);

#endif
