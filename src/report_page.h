/* report_page — the report's page: its JSON data block (graph, tables, what
 * next through the plan API) and the HTML template, written into the rep's
 * stage. The embedded assets are checked first (APN_ENOTFOUND says how to get
 * cytoscape.js), before anything is written. */
#ifndef APN_REPORT_PAGE_H
#define APN_REPORT_PAGE_H

#include "report_int.h"

int apn_report__page_check(rep *r);
int apn_report__page(rep *r);

#endif
