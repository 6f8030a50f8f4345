/* apnmap — map the AWS Partner Network competency programme (public API umbrella).
 *
 * The library reads checklist pages (HTML) and self-assessment workbooks (.xlsx),
 * normalises them into one SQLite database and answers questions over it. It never
 * prints and never exits: functions return 0 or a negative APN_E* code, and
 * problems found in inputs are appended to an apn_diags list the caller owns.
 *
 * Every sub-header includes <apnmap/common.h> (codes, diagnostics, ownership
 * rules); this umbrella only collects them.
 */
#ifndef APNMAP_H
#define APNMAP_H

#include "common.h"
#include "table.h"
#include "build.h"
#include "db.h"
#include "plan.h"
#include "gap.h"
#include "diff.h"
#include "fetch.h"
#include "report.h"
#include "suggest.h"

#endif
