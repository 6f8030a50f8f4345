/* report_load — what the report shows, read from the database within its
 * bounds (the top N competencies of each offering, their requirements and
 * wording, prerequisites, reach) into a rep (report_int.h); everything it makes
 * lives in the rep's arena and tables until the rep is disposed. */
#ifndef APN_REPORT_LOAD_H
#define APN_REPORT_LOAD_H

#include "report_int.h"

int apn_report__load(rep *r);
long apn_report__comp_index(const rep *r, const char *slug);   /* -1 when not shown */
int apn_report__off_index(const char *offering);               /* -1 when not an offering */
const char *apn_report__printf(rep *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* specific: share <= REP_SPECIFIC_SHARE of the offering's competencies */
int apn_report__is_specific(const rep *r, int off, long share);

#endif
