/* report_charts — the report's gnuplot charts (bars, heat map, hardest,
 * reach), written into the rep's stage, and the heat map's clustered order.
 * What it returns is owned as each declaration says. */
#ifndef APN_REPORT_CHARTS_H
#define APN_REPORT_CHARTS_H

#include "report_int.h"

/* the heat map order, then every chart into the stage */
int apn_report__charts(rep *r);
/* The specific requirement sets of offering o's shown competencies: ncomp
 * bitsets of *nw words each, owned (apn_free); NULL when out of memory. */
uint64_t *apn_report__specific_sets(const rep *r, int o, size_t *nw);
/* The colour of a category, the same in the charts and the graph;
 * apn_report__categories (called by apn_report__load) orders the categories it needs. */
const char *apn_report__category_color(const rep *r, const char *category);
int apn_report__categories(rep *r);
/* The order of the heat map of offering o: complete competencies clustered by
 * what they share specifically (average linkage), then the partial ones by
 * size. out gets up to REP_HEAT_MAX comp indices; returns how many, or -1. */
long apn_report__heat_order(rep *r, int o, size_t *out);

#endif
