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
 * "other (n prefixes)" group. Colours are never reused within one chart.
 * apn_chart_muted: one family of blue-greys, light to dark, for what many
 * series have in common (the common blocks), so that strong colours stand out. */
#define APN_CHART_NCOLORS 20
extern const char *const apn_chart_colors[APN_CHART_NCOLORS];
extern const char apn_chart_other_color[];
#define APN_CHART_NMUTED 8
extern const char *const apn_chart_muted[APN_CHART_NMUTED];

/* A bar chart: nrows bars (x labels), each stacked (or clustered) from nseries
 * values, values[row * nseries + series]. colors[series] are "#rrggbb". The
 * fields after values may be left 0: hatched[row] 1 draws a hatched box over
 * the whole bar (and a legend entry hatch_label); top_labels[row] is a short
 * text written upwards above the bar; key_top puts the legend above the plot
 * in rows instead of at the right (so a wide chart shows it without scrolling). */
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
    const int *hatched;            /* NULL: none */
    const char *hatch_label;
    const char *const *top_labels; /* NULL: none; an entry may be NULL */
    int key_top;
} apn_chart_bars;

void apn_chart_bars_add(apn_buf *script, const char *base, const apn_chart_bars *c);

/* A heat map of an n x n matrix. kind[i * n + j]: APN_HEAT_VALUE draws
 * colour[i * n + j] (in [0, 1]) on the palette; APN_HEAT_NONE grey and
 * hatched (a value that is not known: partial data); APN_HEAT_DIAG light grey
 * (the diagonal). label[i * n + j] >= 0 is printed in the cell (when n is
 * small enough to read); cbmax is the count the palette's top stands for. */
enum { APN_HEAT_VALUE = 0, APN_HEAT_NONE = 1, APN_HEAT_DIAG = 2 };
typedef struct apn_chart_heat {
    const char *title;
    const char *cblabel;
    const char *footnote;          /* or NULL */
    size_t n;
    const char *const *labels;
    const double *color;
    const double *label;
    const unsigned char *kind;
    double cbmax;
} apn_chart_heat;

void apn_chart_heat_add(apn_buf *script, const char *base, const apn_chart_heat *h);

/* Runs gnuplot (the executable exe, searched in PATH; NULL: "gnuplot") on the
 * script. Returns 0; APN_ENOTFOUND when gnuplot cannot be started (d says how to
 * install it); APN_EIO when it fails (d holds the first lines it printed). */
int apn_chart_run(const char *exe, const apn_buf *script, apn_diags *d);

/* The same for n scripts, each in its own gnuplot, all running side by side
 * (empty scripts are skipped). Same returns; every failure is in d. */
int apn_chart_run_all(const char *exe, const apn_buf *const *scripts, size_t n, apn_diags *d);

#endif
