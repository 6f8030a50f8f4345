/* dbcheck — is this SQLite file an apnmap database? The contract check that
 * apn_db_open runs before any query reads the file.
 *
 * A database is a file anyone can hand to apnmap, so it is an untrusted input:
 * apn_db__check compares it with the schema apnmap itself writes (src/schema.sql,
 * loaded into a private in-memory database):
 *  - identity: a plain table meta whose format is 'apnmap' and whose
 *    schema_version, when present, is not newer than the schema's own
 *    (PRAGMA user_version);
 *  - structure: every table of the schema that the file has is a plain table
 *    (not a view, not a virtual table); every column of the schema that it has
 *    is of the same declared type, NOT NULL where the schema says so, and not a
 *    generated column; every view of the schema that it has is the schema's
 *    own, word for word, since a view is code (a recursive one never ends).
 *    The schema only ever adds (docs/schema.md), so a database an older apnmap
 *    wrote lacks some tables and columns and is still read: a query that needs
 *    one of them fails with SQLite's "no such table" or "no such column".
 *    Extra tables, columns and views are the user's and left alone;
 *  - values: in the tables that grow with the number of documents,
 *    competencies, checklists and requirement IDs (not with their products),
 *    every value has its column's type and no NOT NULL column holds a NULL.
 *    The large derived tables (checklist_requirement, offering_requirement,
 *    prefix_count, overlap, ...) are not scanned here, which would cost more
 *    than most commands; their readers treat every value as untrusted.
 * Returns 0, APN_EDB with one APN_SEV_ERROR diagnostic naming path and what is
 * wrong, APN_ELIMIT when the check itself ran out of time, or APN_ENOMEM. The
 * handle is the caller's; nothing is kept.
 */
#ifndef APN_DBCHECK_H
#define APN_DBCHECK_H

#include <sqlite3.h>

#include <apnmap/common.h>

int apn_db__check(sqlite3 *h, const char *path, apn_diags *d);

#endif
