/* apn_gap — the worklist for target competencies: every requirement each one
 * needs on an offering, and what is already done about it (docs/gap.md).
 *
 * apn_gap_run reads, for each target in the order given, the requirements of
 * its offering (its own checklist and the ones it inherits, such as the FTR),
 * each worded as the checklist the row comes from words it, and gives each a
 * status:
 *   met       a --met file on the offering's track answers it yes or na (the
 *             track rule and the conflict rule of read/met.h, as for plan);
 *             source is that file and cell, response its partner response;
 *   reused    not a customer example, and a held competency (--have) or an
 *             earlier target carries it: the work is done once; source names
 *             that competency;
 *   evidence  a customer-example requirement (each competency needs its own
 *             customer references), not met;
 *   new       anything else.
 * A requirement a --met file answers "no" keeps its status (new or evidence)
 * and carries that answer's source and response: what is to be fixed.
 * Without an offering, the one every --met file answers is taken (with a
 * note), else services.
 *
 * apn_gap_run gives an owned apn_gap (apn_gap_free); its tables are borrowed
 * from it. apn_gap_write_file writes one of them to a file atomically (CSV,
 * JSON, an aligned table), or the whole worklist as an .xlsx workbook: one
 * sheet per target (ID, Requirement Description, Met?, Partner Response,
 * Status, Source, Section; header frozen, filters on, status coloured) and a
 * Summary sheet first.
 */
#ifndef APNMAP_GAP_H
#define APNMAP_GAP_H

#include <stddef.h>
#include <stdio.h>

#include "common.h"

#include "db.h"
#include "table.h"

struct apn_diags;

typedef struct apn_gap_opts {
    const char *offering;          /* saas, customer-deployed, services; NULL: see above */
    const char *const *targets;    /* competency names (slug, name or alias) */
    size_t ntargets;
    const char *const *have;       /* held competencies */
    size_t nhave;
    const char *const *mets;       /* answer files: filled workbooks, Prowler CSVs */
    size_t nmets;
} apn_gap_opts;

typedef struct apn_gap apn_gap;

/* Returns 0 with *out owned, or APN_EUSAGE (no target, unknown offering),
 * APN_ENOTFOUND (a competency does not exist, or has no checklist on the
 * offering: diags says which), APN_EPARSE (an answer file refused), APN_EDB,
 * APN_ENOMEM. */
int apn_gap_run(apn_gap **out, apn_db *db, const apn_gap_opts *opts, struct apn_diags *diags);
void apn_gap_free(apn_gap *g);

/* The worklist: competency, offering, requirement_id, section, title, status,
 * source, response; targets in the order given, each in its checklists' order. */
const apn_table *apn_gap_table(const apn_gap *g);
/* Per target: competency, offering, total, met, reused, new, evidence. */
const apn_table *apn_gap_summary(const apn_gap *g);

typedef enum { APN_GAP_CSV, APN_GAP_JSON, APN_GAP_TABLE, APN_GAP_XLSX } apn_gap_format;

/* Writes the worklist to path, atomically (a failure leaves path as it was).
 * Returns 0, APN_EIO (diags says why) or APN_ENOMEM. */
int apn_gap_write_file(const apn_gap *g, const char *path, apn_gap_format fmt, struct apn_diags *diags);

#endif
