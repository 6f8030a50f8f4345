/* oom — fault injection over apn_build: every allocation and every file read
 * that can fail is made to fail, one at a time, and the build must fail cleanly.
 *
 * usage: oom [-q] [-v] [-x] [-f FIRST] [-e EVERY] [-s STEP] OUT_DIR INPUT...
 *   -x reads pages and sheets through libxml2's parsers alone (not htmlscan.c
 *   and xlsx.c's fast path, which take the fixture otherwise).
 *   Builds INPUT (one thread) into OUT_DIR/good.db, then copies it to
 *   OUT_DIR/test.db and rebuilds over it with the Nth allocation failing, for
 *   N = FIRST (1), FIRST + 1, ... EVERY and then in steps of N/STEP (a stride),
 *   until a build no longer reaches its Nth allocation. Then the same with the
 *   Nth file read failing (apn_io_fail_after). Each build runs in a child
 *   process (a crash or a hang is observed, not suffered; its stderr goes to
 *   OUT_DIR/child.log). After each build with a failure injected:
 *     - the return value is APN_ENOMEM or APN_EIO, or 0 with the same content
 *       as the good build (absorbed: SQLite may lay it out in other bytes);
 *       a success with other content is "a wrong success" (kept as wrong-N.db);
 *     - OUT_DIR/test.db still holds the good database, no temp file is left;
 *     - no crash, no hang (8 s), and under ASan no leak (checked in the child).
 *   A failed read is a rejected input, not a failed build: the build returns 0,
 *   counts one rejected document and names it in an error diagnostic.
 *   libxml2's allocations are marked: a crash, hang or leak after one of
 *   libxml2's own allocations failed is libxml2 2.9's (its HTML push parser and
 *   context setup are not safe against that): counted and listed, not failed.
 *   Wrong results are failures whoever's allocation it was.
 *   Also checks the good database's references (PRAGMA foreign_key_check): the
 *   store writes without per-row foreign-key checks.
 * Prints a summary; exits 0 when every check passed, 1 otherwise.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlmemory.h>
#include <sqlite3.h>

#include <apnmap/apnmap.h>

#include "util/alloc.h"
#include "read/html.h"
#include "util/io.h"
#include "read/xlsx_int.h"

/* Present when linked with ASan/LSan: a leak check that can run many times. */
extern int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

static int quiet, verbose;
static long failures;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("oom: FAIL: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    failures++;
}

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *buf = NULL;
    size_t cap = 0, len = 0, got;
    do {
        if (len == cap) {
            unsigned char *nb = realloc(buf, cap = cap ? 2 * cap : 65536);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
    } while (got);
    fclose(f);
    *n = len;
    return buf;
}

static int write_file(const char *path, const unsigned char *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = fwrite(p, 1, n, f);
    return (fclose(f) | (w != n)) ? -1 : 0;
}

static int same_file(const char *path, const unsigned char *want, size_t nwant)
{
    size_t n;
    unsigned char *got = slurp(path, &n);
    int same = got && n == nwant && !memcmp(got, want, n);
    free(got);
    return same;
}

static int leftover_temp(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int found = 0;
    while (d && (e = readdir(d)))
        found |= strstr(e->d_name, ".tmp") != NULL;
    if (d)
        closedir(d);
    return found;
}

static int build(apn_build_summary *sum, apn_diags *diags, const char *out_db, char **inputs, int n)
{
    apn_build_opts o = { 0 };
    o.paths = (const char *const *)inputs;
    o.npaths = (size_t)n;
    o.out_db = out_db;
    o.threads = 1;
    return apn_build(sum, &o, diags);
}

/* Every row of every table as text, in key order: the database's content, which
 * SQLite may lay out in different bytes when one of its allocations failed. */
static char *dump(const char *db_path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *tabs = NULL, *st = NULL;
    char *out = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&out, &len);
    if (!m || sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1,
                           &tabs, NULL) != SQLITE_OK)
        fputs("(unreadable)", m ? m : stderr);
    while (tabs && sqlite3_step(tabs) == SQLITE_ROW) {
        char sql[300];
        snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", (const char *)sqlite3_column_text(tabs, 0));
        fprintf(m, "[%s]\n", sql);
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
            continue;
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int i = 0; i < sqlite3_column_count(st); i++)
                fprintf(m, "%s|", sqlite3_column_type(st, i) == SQLITE_NULL ? "NULL"
                                  : (const char *)sqlite3_column_text(st, i));
            fputc('\n', m);
        }
        sqlite3_finalize(st);
    }
    sqlite3_finalize(tabs);
    sqlite3_close(db);
    if (m)
        fclose(m);
    return out;
}

static int same_content(const char *a, const char *b)
{
    char *x = dump(a), *y = dump(b);
    int same = x && y && !strcmp(x, y);
    free(x);
    free(y);
    return same;
}

static int fk_clean(const char *db_path)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int bad = -1;
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "PRAGMA foreign_key_check", -1, &st, NULL) == SQLITE_OK) {
        bad = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            if (!bad)
                fprintf(stderr, "oom: dangling reference in %s (table %s, rowid %lld, to %s)\n", db_path,
                        (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1),
                        (const char *)sqlite3_column_text(st, 2));
            bad++;
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return bad == 0;
}

/* ---- one build in a child process ------------------------------------------ */

/* What a child reports through shared memory (it may die before exiting). */
typedef struct outcome {
    int ok;              /* the child returned from apn_build and exited normally */
    int hang;            /* killed by the watchdog */
    int err, leak;
    long refused;        /* allocations refused during the build */
    int lib_refused;     /* one of them was requested by libxml2 */
    size_t documents, rejected, nerr;
} outcome;

static outcome *shared;
static char logp[4200];

/* libxml2's allocations, marked as such: a refusal inside libxml2 is told apart */
static void *x_malloc(size_t n)
{
    long before = apn_alloc_failures();
    void *p = apn_malloc(n);
    if (!p && apn_alloc_failures() != before)
        shared->lib_refused = 1;
    return p;
}
static void *x_realloc(void *q, size_t n)
{
    long before = apn_alloc_failures();
    void *p = apn_realloc(q, n);
    if (!p && apn_alloc_failures() != before)
        shared->lib_refused = 1;
    return p;
}
static char *x_strdup(const char *s)
{
    long before = apn_alloc_failures();
    char *p = apn_strdup(s);
    if (!p && apn_alloc_failures() != before)
        shared->lib_refused = 1;
    return p;
}

static void remove_temps(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[4400];
    while (d && (e = readdir(d)))
        if (strstr(e->d_name, ".tmp")) {
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
    if (d)
        closedir(d);
}

static void show_log(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[512];
    int n = 0;
    while (f && fgets(line, sizeof line, f) && n++ < 40)
        fputs(line, stderr);
    if (f)
        fclose(f);
}

/* Runs one build with the kind's countdown armed at n, in a child process, so
 * that a crash or a hang is observed rather than suffered; its stderr goes to logp. */
static void run_child(outcome *o, const char *kind, long n, const char *out_db, char **inputs,
                      int ninputs)
{
    memset(shared, 0, sizeof *shared);
    if (verbose)
        fprintf(stderr, "oom: %s %ld\n", kind, n);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(logp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, 2);
            close(fd);
        }
        apn_build_summary sum;
        apn_diags d = APN_DIAGS_INIT;
        int io = !strcmp(kind, "file read");
        if (io)
            apn_io_fail_after(n);
        else
            apn_alloc_fail_after(n);
        alarm(8);
        shared->err = build(&sum, &d, out_db, inputs, ninputs);
        alarm(0);
        shared->refused = apn_alloc_failures();
        apn_alloc_fail_after(0);
        apn_io_fail_after(0);
        shared->documents = sum.documents;
        shared->rejected = sum.rejected;
        shared->nerr = d.nerr;
        apn_diags_dispose(&d);
        if (__lsan_do_recoverable_leak_check && __lsan_do_recoverable_leak_check())
            shared->leak = 1;
        shared->ok = 1;
        _exit(0);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0) {
        fprintf(stderr, "oom: fork/wait failed\n");
        exit(1);
    }
    *o = *shared;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        o->ok = 0;
    o->hang = WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM;
}

int main(int argc, char **argv)
{
    long every = 2000, step = 100, first = 1;
    int c;
    while ((c = getopt(argc, argv, "qvxf:e:s:")) != -1) {
        if (c == 'q') quiet = 1;
        else if (c == 'x') apn_html__use_libxml2 = apn_xlsx__no_fast = 1;
        else if (c == 'v') verbose = 1;
        else if (c == 'e') every = atol(optarg);
        else if (c == 'f') first = atol(optarg);
        else if (c == 's') step = atol(optarg);
        else return 2;
    }
    if (argc - optind < 2 || every < 1 || step < 1) {
        fprintf(stderr, "usage: oom [-q] [-v] [-x] [-f FIRST] [-e EVERY] [-s STEP] OUT_DIR INPUT...\n");
        return 2;
    }
    /* before any libxml2 or SQLite use; then libxml2's allocations again,
     * through the same hooks but marked (x_malloc) */
    shared = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED || apn_alloc_install_libs() < 0 ||
        xmlMemSetup(apn_free, x_malloc, x_realloc, x_strdup) != 0) {
        fprintf(stderr, "oom: cannot install the allocator hooks\n");
        return 1;
    }
    const char *dir = argv[optind];
    char **inputs = argv + optind + 1;
    int ninputs = argc - optind - 1;
    char good[4096], test[4096], libpts[512] = "";
    long nlib = 0, relaid = 0;
    snprintf(good, sizeof good, "%s/good.db", dir);
    snprintf(logp, sizeof logp, "%s/child.log", dir);
    snprintf(test, sizeof test, "%s/test.db", dir);

    apn_build_summary sum;
    apn_diags diags = APN_DIAGS_INIT;
    int err = build(&sum, &diags, good, inputs, ninputs);
    if (err < 0 || sum.documents == 0 || diags.nerr) {
        fprintf(stderr, "oom: the good build failed (%s, %zu documents, %zu errors)\n", apn_strerror(err),
                sum.documents, diags.nerr);
        return 1;
    }
    size_t ndocs = sum.documents;
    apn_diags_dispose(&diags);
    size_t ngood;
    unsigned char *gbytes = slurp(good, &ngood);
    if (!gbytes || !fk_clean(good)) {
        fprintf(stderr, "oom: %s unreadable or inconsistent\n", good);
        return 1;
    }
    if (__lsan_do_recoverable_leak_check && __lsan_do_recoverable_leak_check())
        fail("leak in the good build");

    /* ---- allocations ---- */
    long n = first > 0 ? first : 1, runs = 0, absorbed = 0, last = 0;
    for (;; n = n < every ? n + 1 : n + (n / step > 1 ? n / step : 1)) {
        if (write_file(test, gbytes, ngood) < 0) {
            fprintf(stderr, "oom: cannot write %s\n", test);
            return 1;
        }
        outcome o;
        run_child(&o, "allocation", n, test, inputs, ninputs);
        runs++;
        if (o.ok && !o.refused) { /* the build made fewer than n allocations: done */
            if (o.err < 0)
                fail("allocation %ld: nothing refused, yet the build failed: %s", n, apn_strerror(o.err));
            else if (!same_file(test, gbytes, ngood))
                fail("allocation %ld: an undisturbed build differs from the good one", n);
            last = n;
            break;
        }
        if (!o.ok || o.leak) {
            /* a crash, hang or leak: ours, unless the refused allocation was
             * libxml2's own (2.9's parsers are not safe against that) */
            const char *what = !o.ok ? (o.hang ? "the build hangs" : "the build crashed") : "leak";
            if (o.lib_refused) {
                nlib++;
                if (nlib <= 12)
                    snprintf(libpts + strlen(libpts), sizeof libpts - strlen(libpts), "%s%ld (%s)",
                             nlib > 1 ? ", " : "", n, !o.ok ? (o.hang ? "hang" : "crash") : "leak");
            } else {
                fail("allocation %ld refused: %s (log: %s)", n, what, logp);
                show_log(logp);
            }
            if (!o.ok) { /* it may have died between writing and renaming */
                remove_temps(dir);
                continue;
            }
        }
        if (o.err == 0) {
            /* absorbed: acceptable only when nothing was lost */
            if (same_file(test, gbytes, ngood))
                absorbed++;
            else if (same_content(test, good))
                absorbed++, relaid++;
            else {
                char keep[4200];
                snprintf(keep, sizeof keep, "%s/wrong-%ld.db", dir, n);
                rename(test, keep);
                fail("allocation %ld refused: the build succeeded with a different database "
                     "(%zu documents, %zu rejected, %zu errors; kept as %s)", n, o.documents, o.rejected,
                     o.nerr, keep);
            }
        } else {
            if (o.err != APN_ENOMEM && o.err != APN_EIO)
                fail("allocation %ld refused: build returned %d (%s), not APN_ENOMEM", n, o.err,
                     apn_strerror(o.err));
            if (!same_file(test, gbytes, ngood))
                fail("allocation %ld refused: the previous database was changed", n);
        }
        if (leftover_temp(dir)) {
            fail("allocation %ld refused: a temporary file was left beside the database", n);
            remove_temps(dir);
        }
        if (!quiet && runs % 500 == 0)
            fprintf(stderr, "oom: ... allocation %ld\n", n);
        if (failures > 20)
            break;
    }

    /* ---- file reads: each one fails once ---- */
    long reads = 0;
    for (long k = 1; failures <= 20; k++) {
        if (write_file(test, gbytes, ngood) < 0)
            return 1;
        outcome o;
        run_child(&o, "file read", k, test, inputs, ninputs);
        if (!o.ok || o.leak) {
            fail("read %ld failed: %s (log: %s)", k, !o.ok ? "the build crashed or hangs" : "leak", logp);
            show_log(logp);
            remove_temps(dir);
            continue;
        }
        if (o.err == 0 && o.rejected == 0) { /* no k-th read: done */
            if (!same_file(test, gbytes, ngood))
                fail("read %ld: an undisturbed build differs from the good one", k);
            break;
        }
        reads++;
        if (o.err < 0) {
            if (o.err != APN_EIO)
                fail("read %ld failed: build returned %s, not APN_EIO", k, apn_strerror(o.err));
            if (!same_file(test, gbytes, ngood))
                fail("read %ld failed: the previous database was changed", k);
        } else if (o.rejected != 1 || o.documents != ndocs - 1 || o.nerr == 0) {
            fail("read %ld failed: %zu rejected, %zu read, %zu errors (want 1, %zu, an error)", k,
                 o.rejected, o.documents, o.nerr, ndocs - 1);
        }
    }
    unlink(test);
    free(gbytes);
    printf("oom: %ld builds with one allocation refused (every one from %ld up to %ld, then a stride "
           "of 1/%ld; %ld absorbed with the same database, %ld of them laid out differently by SQLite; "
           "a full build makes fewer than %ld); "
           "%ld builds with one file read failing; %s%ld failure(s)\n",
           runs - 1, first, every, step, absorbed, relaid, last, reads,
           __lsan_do_recoverable_leak_check ? "leak-checked; " : "", failures);
    if (nlib)
        printf("oom: libxml2 %s itself crashed, hung or leaked after %ld of its own allocations was refused "
               "(not counted as failures; first: %s)\n", xmlParserVersion, nlib, libpts);
    return failures ? 1 : 0;
}
