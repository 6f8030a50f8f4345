/* apn_fetch — mirror the APN checklist site (pages and self-assessment workbooks).
 *
 * Starts from given URLs (or the built-in list of known pages), follows links on
 * the same host to checklist pages (/competency/..., /foundational/...) and to
 * workbooks, and writes each file under DIR at its URL path. DIR/manifest.csv
 * (docs/design.md §3) records every file's URL, ETag, Last-Modified, sha256 and fetch
 * time: a later run sends conditional requests and rewrites nothing unchanged.
 * Polite and bounded: rate limit, retries with exponential backoff, timeouts,
 * size limit, a deadline for the whole run, a queue of at most max_files URLs,
 * links read per page bounded, redirects kept on the host and under the follow
 * rule, http/https only; a URL whose file would be one of build's side files
 * (categories.csv, aliases.csv, manifest.csv) is never written. Failures (403, 404,
 * timeouts, ...) become APN_SEV_ERROR diagnostics and the crawl goes on. The
 * caller owns opts, stats and diags; nothing is kept after return.
 */
#ifndef APNMAP_FETCH_H
#define APNMAP_FETCH_H

#include <stddef.h>

#include "common.h"

typedef enum {
    APN_FETCH_START,      /* a request is about to be sent */
    APN_FETCH_SAVED,      /* new or changed content written */
    APN_FETCH_UNCHANGED,  /* 304, or the same bytes as before: nothing rewritten */
    APN_FETCH_FAILED      /* given up (a diagnostic says why) */
} apn_fetch_event;

/* What the progress callback sees; strings are borrowed for the call. */
typedef struct apn_fetch_progress {
    apn_fetch_event event;
    const char *url;
    const char *path;     /* mirror path relative to DIR ("" when unknown) */
    size_t done;          /* URLs finished so far */
    size_t total;         /* URLs known so far (done + queued) */
    long long bytes;      /* SAVED: size of the file */
} apn_fetch_progress;

typedef void (*apn_fetch_progress_fn)(void *ud, const apn_fetch_progress *p);

typedef struct apn_fetch_opts {
    const char *dir;                 /* mirror folder, created when missing */
    const char *const *urls;         /* start pages; NULL or nurls 0: the built-in list */
    size_t nurls;
    const char *langs;               /* translations to follow: NULL none, "all", or "ko,ja" */
    double rate;                     /* requests per second (> 0) */
    int retries;                     /* extra attempts after a timeout, network error or 5xx */
    long backoff_ms;                 /* first retry delay; doubles on each retry */
    long connect_timeout_ms;
    long timeout_ms;                 /* whole transfer */
    long long max_size;              /* bytes per file */
    int max_redirects;
    size_t max_files;                /* URLs queued (and requested) at most in one run */
    double deadline;                 /* seconds for the whole run (<= 0: none) */
    apn_fetch_progress_fn progress;  /* may be NULL */
    void *progress_ud;
} apn_fetch_opts;

/* 2 requests/s, 3 retries from 1 s, 10 s connect, 120 s total, 50 MiB, 5 redirects,
 * 5000 files, an hour for the run. */
#define APN_FETCH_OPTS_INIT { NULL, NULL, 0, NULL, 2.0, 3, 1000, 10000, 120000, \
                              50LL << 20, 5, 5000, 3600.0, NULL, NULL }

typedef struct apn_fetch_stats {
    size_t saved, unchanged, failed;
    size_t skipped;     /* links not followed (each time one is found) */
    size_t dropped;     /* links to follow not queued: the queue held max_files URLs */
    size_t unfetched;   /* queued URLs not fetched: the deadline passed (an error says so) */
} apn_fetch_stats;

/* Mirrors into opts->dir. Returns 0 when the crawl ran (check stats->failed,
 * stats->unfetched and diags for failed URLs), APN_EUSAGE for a bad option or start URL, APN_EIO when
 * DIR or the manifest cannot be written, APN_ENOMEM, or APN_ERROR when libcurl
 * cannot be loaded (a diagnostic names libcurl.so.4) or cannot start. */
int apn_fetch(apn_fetch_stats *stats, const apn_fetch_opts *opts, apn_diags *diags);

/* The built-in start list (borrowed, NULL-terminated): the index and checklist
 * pages known publicly (docs/formats.md §1, docs/fetch.md). */
const char *const *apn_fetch_default_urls(void);

#endif
