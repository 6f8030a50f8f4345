/* chart — static charts (SVG and PNG) drawn by gnuplot, driven through a pipe.
 *
 * The apn_chart_* builders append gnuplot commands for one chart to a script
 * buffer (the caller's apn_buf; its oom flag is checked once by the caller);
 * each chart writes <base>.svg and <base>.png. apn_chart_run feeds the whole
 * script to one gnuplot process, so many charts cost one start-up;
 * apn_chart_run_all runs several scripts at once (one process each). Labels are
 * untrusted text: they go into single-quoted gnuplot strings with enhanced text
 * off, control characters blanked; gnuplot's SVG terminal escapes < and &.
 * Nothing here keeps a caller's pointer after returning.
 */
#ifndef APN_CHART_H
#define APN_CHART_H

#include <stddef.h>

#include <apnmap/apnmap.h>

#include "util/buf.h"

/* The palette: 20 distinct colours for series, then a neutral grey for the
 * "other (n prefixes)" group. Colours are never reused within one chart. */
#define APN_CHART_NCOLORS 20
extern const char *const apn_chart_colors[APN_CHART_NCOLORS];
extern const char apn_chart_other_color[];

/* A bar chart: nrows bars (x labels), each stacked (or clustered) from nseries
 * values, values[row * nseries + series]. colors[series] are "#rrggbb". */
typedef struct apn_chart_bars {
    const char *title;
    const char *ylabel;
    const char *key_title;         /* legend heading, or NULL */
    const char *footnote;          /* small text under the chart, or NULL */
    int clustered;                 /* 0: stacked, 1: side by side */
    size_t nrows, nseries;
    const char *const *row_labels;
    const char *const *series_labels;
    const char *const *colors;
    const double *values;
} apn_chart_bars;

void apn_chart_bars_add(apn_buf *script, const char *base, const apn_chart_bars *c);

/* A heat map of an n x n matrix: colour = color_v[i * n + j] in [0, 1], text in
 * the cell = label_v[i * n + j] (printed when n is small enough to read). */
void apn_chart_heatmap_add(apn_buf *script, const char *base, const char *title,
                           const char *cblabel, const char *footnote, size_t n,
                           const char *const *labels, const double *color_v,
                           const double *label_v);

/* Runs gnuplot (the executable exe, searched in PATH; NULL: "gnuplot") on the
 * script. Returns 0; APN_ENOTFOUND when gnuplot cannot be started (d says how to
 * install it); APN_EIO when it fails (d holds the first lines it printed). */
int apn_chart_run(const char *exe, const apn_buf *script, apn_diags *d);

/* The same for n scripts, each in its own gnuplot, all running side by side
 * (empty scripts are skipped). Same returns; every failure is in d. */
int apn_chart_run_all(const char *exe, const apn_buf *const *scripts, size_t n, apn_diags *d);

#endif
