/* apn_build — ingest files and folders into a new apnmap database.
 *
 * Walks the given paths (folders recursively, in sorted order), reads every
 * .html/.htm page and .xlsx workbook (on several threads; one thread writes),
 * normalises them by the rules of docs/design.md §3 and writes the database of docs/design.md §4
 * to a temporary file in the destination's folder, then renames it over the old
 * one: readers see the old database or the new one, never a mix. Side files
 * categories.csv, aliases.csv and manifest.csv in a given folder are read too.
 *
 * Inputs that are rejected are reported as APN_SEV_ERROR diagnostics and
 * skipped; everything good is still stored. A database is replaced only by one
 * that holds what was asked for: when a given path does not exist or no
 * document could be read, nothing is written (APN_ENOTFOUND) unless
 * opts->force. An output that is one of the inputs (a file read, a folder or
 * side file given) is refused (APN_EUSAGE), force or not. The walk never
 * follows symbolic links (a given path may be one) and reads folders at most
 * 32 levels below a root; what it leaves out is named in a warning. The return
 * value is 0 unless the database was not written (APN_ENOTFOUND, APN_EUSAGE,
 * APN_EIO, APN_EDB, APN_ENOMEM): then the old database is untouched.
 */
#ifndef APNMAP_BUILD_H
#define APNMAP_BUILD_H

#include <stddef.h>

#include "common.h"

struct apn_diags;

/* Called from the writer thread after each document. */
typedef void (*apn_build_progress_fn)(void *ud, size_t done, size_t total, const char *path);

typedef struct apn_build_opts {
    const char *const *paths;   /* files and folders to read */
    size_t npaths;
    const char *out_db;         /* destination database path */
    int threads;                /* parser threads; 0 = one per core (at most 8) */
    apn_build_progress_fn progress;   /* may be NULL */
    void *progress_ud;
    int force;                  /* write even when a path is missing or nothing was read */
} apn_build_opts;

typedef struct apn_build_summary {
    size_t documents;      /* inputs read successfully */
    size_t rejected;       /* inputs skipped because they could not be read */
    size_t checklists, competencies, requirements, answers;
    /* seconds spent per stage (wall clock), for progress and benchmarks */
    double t_read, t_parse, t_normalise, t_store;
} apn_build_summary;

int apn_build(apn_build_summary *out, const apn_build_opts *opts, struct apn_diags *diags);

#endif
