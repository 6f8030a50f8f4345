/* store — write a normalised model into a new apnmap database, atomically.
 *
 * The database (schema.sql, DESIGN §4) is written into a temporary file in the
 * destination's folder inside one transaction, synced, and renamed over the
 * destination: a reader sees the old database or the new one, never a mix, and
 * a failed write leaves the old file untouched (the temporary file is removed).
 * Prefix counts and pairwise overlaps are computed here from the model's
 * bitsets. The model and diagnostics are borrowed.
 */
#ifndef APN_STORE_H
#define APN_STORE_H

#include "model.h"

/* docdiags: every diagnostic to record (reading + normalisation), sorted.
 * Returns 0, APN_EIO (with a diagnostic on err_out), APN_EDB or APN_ENOMEM. */
int apn_store_write(const char *out_db, const apn_model *m, const apn_diags *docdiags,
                    apn_diags *err_out);

extern const char apn__schema_sql[];

#endif
