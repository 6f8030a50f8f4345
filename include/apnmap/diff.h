/* apn_diff — what changed between two releases of the checklists.
 *
 * Compares, for every checklist identity (programme, competency slug or FTR
 * variant, track), the newest release in one database (checklist.newest = 1)
 * with the newest in another: checklists added and removed, validity changes,
 * and requirements added, removed or changed (title or description as that
 * checklist words them, whitespace runs ignored). The result is an owned
 * apn_table; both databases stay the caller's.
 */
#ifndef APNMAP_DIFF_H
#define APNMAP_DIFF_H

#include <stddef.h>

#include "common.h"

#include "db.h"
#include "table.h"

/* Computes the diff of old_db -> new_db into an owned table with the columns
 * change,checklist,requirement_id,detail (docs/design.md §5) followed by competency
 * (the slug, or the programme for checklists without one: "FTR"), sorted by
 * competency, checklist, then checklist-level rows (empty requirement_id)
 * before requirement rows by requirement_id. change is added, removed or
 * changed. have (NULL or nhave = 0: no filter) keeps only the checklists of
 * the named competencies (slug or name, case-insensitive, resolved in either
 * database) and the checklists they require (prerequisite edges, e.g. the
 * FTR). Returns 0, APN_ENOTFOUND for an unknown name in have (a diagnostic
 * suggests the nearest names of new_db), APN_EDB (a diagnostic names the
 * database) or APN_ENOMEM. No changes: an empty table. */
int apn_diff(apn_table **out, apn_db *old_db, apn_db *new_db, const char *const *have,
             size_t nhave, apn_diags *d);

#endif
