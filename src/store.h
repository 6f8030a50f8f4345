/* store — write the apnmap database while documents are read, atomically.
 *
 * The database (schema.sql, docs/design.md §4) is written into a temporary file in the
 * destination's folder inside one transaction, synced, and renamed over the
 * destination: a reader sees the old database or the new one, never a mix, and
 * a failed write leaves the old file untouched (the temporary file is removed).
 *
 * apn_store_open first removes the temporary files a killed build of the same
 * output left (util/io.h: apn_io_remove_stale), then starts the file (locked
 * while in use); apn_store_add writes one document as soon as it is folded into
 * the model (its row, its answers and references, and its items' words appended
 * to a spill file, util/spill.h: an unlinked temporary file, so the caller can
 * free the document); apn_store_finish writes what normalisation made
 * (checklists, with the chosen wordings read back from the spill, offerings,
 * prefix counts, overlaps, diagnostics) and renames.
 * Rows are fed to SQLite through a virtual table (one statement per table, not
 * one per row). The model, documents and diagnostics are borrowed. The store is
 * freed by apn_store_finish or apn_store_abort, whatever they return.
 */
#ifndef APN_STORE_H
#define APN_STORE_H

#include "model.h"

typedef struct apn_store apn_store;

/* Creates the temporary file beside out_db. Returns 0, APN_EIO (with a
 * diagnostic on err_out), APN_EDB or APN_ENOMEM. */
int apn_store_open(apn_store **out, const char *out_db, apn_diags *err_out);

/* Writes document `index` of m (as apn_model_add just numbered it), read from
 * doc. Returns 0 or an error as apn_store_open (the store stays to be aborted). */
int apn_store_add(apn_store *st, const apn_model *m, size_t index, const apn_doc *doc,
                  apn_diags *err_out);

/* Writes the rest from the finished model and docdiags (every diagnostic to
 * record, sorted), commits, syncs and renames. parallel: offering_requirement and
 * overlap are written on a second thread (through a side file beside the
 * destination, removed again); else all on this one. Frees st. */
int apn_store_finish(apn_store *st, apn_model *m, const apn_diags *docdiags, int parallel,
                     apn_diags *err_out);

/* Drops the temporary file; the destination is untouched. Frees st (NULL: nothing). */
void apn_store_abort(apn_store *st);

#endif
