/* spill — records of a few strings, written to a temporary file and read back by number.
 *
 * The build keeps every item's words until the checklists are formed, which
 * needs every document; holding them in memory would grow with the corpus, and
 * a staging table costs SQLite's per-row work twice. A spill appends each record
 * to an unlinked temporary file beside a given path (nothing is left behind,
 * whatever happens) and keeps 4 bytes per record and 16 per block in memory.
 * Records are numbered from 0 in the order they are added; a block (one
 * document's items) is the unit read back when its records are wanted together.
 * The spill owns its file and buffers; strings it returns stay valid until the
 * next apn_spill_get or apn_spill_free.
 */
#ifndef APN_SPILL_H
#define APN_SPILL_H

#include <stddef.h>

typedef struct apn_spill apn_spill;

/* A spill whose records hold nfields strings (at most 8), in a file created
 * beside near_path. Returns 0, APN_EIO (errno kept) or APN_ENOMEM. */
int apn_spill_open(apn_spill **out, const char *near_path, size_t nfields);

/* Starts the next block; the records added from now on belong to it. Returns 0
 * or APN_ENOMEM. */
int apn_spill_block(apn_spill *s);

/* Appends a record (fields[i] may be NULL, and stays NULL). Returns 0, APN_EIO
 * or APN_ENOMEM. */
int apn_spill_add(apn_spill *s, const char *const *fields);

/* The record numbered rec into fields. near: its block's other records are
 * wanted soon (the block is read whole and kept among the last few); else only
 * the record is read. Returns 0, APN_EIO, APN_ENOMEM or APN_EUSAGE (no such record). */
int apn_spill_get(apn_spill *s, size_t rec, int near, const char **fields);

/* Records added so far. */
size_t apn_spill_count(const apn_spill *s);

/* Closes (and so deletes) the file. NULL: nothing. */
void apn_spill_free(apn_spill *s);

#endif
