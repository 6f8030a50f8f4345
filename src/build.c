/* build — the ingest pipeline: walk, read in parallel, fold, normalise, store.
 * See include/apnmap/build.h.
 *
 * Files are collected first (folders walked in sorted order, side files noted
 * per root). A pool of threads then reads them, pulling from one shared index
 * but never more than a window ahead of the calling thread, the one writer: it
 * takes the documents in path order, folds each into the model and the store,
 * reports progress and frees it. Normalisation and the rest of the database
 * follow once every document is in.
 */
#include <apnmap/apnmap.h>

#include <dirent.h>
#include <libxml/parser.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "util/csv.h"
#include "read/doc.h"
#include "read/ingest.h"
#include "read/manifest.h"
#include "model.h"
#include "store.h"

typedef struct input {
    char *path;      /* as opened (root joined with the relative path) */
    char *rel;       /* relative to its root: document.path */
} input;

/* Parsers fill slots; the writer (the calling thread) folds them in index
 * order. Parsers stay at most `window` documents ahead of the writer, so the
 * documents in memory are bounded whatever the number of inputs. */
typedef struct job {
    input *in;
    size_t n, cap;
    apn_doc **docs;     /* slot i: document i once parsed (NULL: out of memory) */
    char *parsed;       /* slot i is filled */
    size_t next, folded, window;
    int stop;           /* the writer gave up: parsers stop taking documents */
    pthread_mutex_t mu;
    pthread_cond_t ready, space;
} job;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_input(const void *a, const void *b)
{
    const input *x = a, *y = b;
    int c = strcmp(x->rel, y->rel);
    return c ? c : strcmp(x->path, y->path);
}

static int add_input(job *j, const char *path, const char *rel)
{
    if (apn_grow(&j->in, &j->cap, j->n + 1, sizeof *j->in) < 0)
        return APN_ENOMEM;
    input *in = &j->in[j->n];
    in->path = apn_strdup(path);
    in->rel = apn_strdup(rel);
    if (!in->path || !in->rel) {
        apn_free(in->path);
        apn_free(in->rel);
        return APN_ENOMEM;
    }
    j->n++;
    return 0;
}

static int walk(job *j, const char *dir, const char *rel, apn_diags *d, int depth)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, alphasort), err = 0;
    if (n < 0) {
        apn_diags_add(d, APN_SEV_ERROR, dir, "", "cannot read folder: %s", strerror(errno));
        return 0;
    }
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (err || name[0] == '.')
            continue;
        char path[4096], r[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, name);
        snprintf(r, sizeof r, "%s%s%s", rel, *rel ? "/" : "", name);
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (depth < 32)
                err = walk(j, path, r, d, depth + 1);
        } else if (S_ISREG(st.st_mode) && apn_ingest_is_input(name)) {
            err = add_input(j, path, r);
        }
    }
    for (int i = 0; i < n; i++)
        free(names[i]); /* scandir allocates with malloc */
    free(names);
    return err;
}

/* ---- side files --------------------------------------------------------- */

typedef struct side_ctx { apn_side *s; const char *display; apn_diags *d; int kind; } side_ctx;

static int side_add(apn_side *s, apn_side_row **v, size_t *n, size_t *cap, const char *a,
                    const char *b, const char *c)
{
    if (apn_grow(v, cap, *n + 1, sizeof **v) < 0)
        return APN_ENOMEM;
    apn_side_row *r = &(*v)[*n];
    r->a = apn_arena_strdup(&s->arena, a);
    r->b = apn_arena_strdup(&s->arena, b);
    r->c = apn_arena_strdup(&s->arena, c ? c : "");
    if (!r->a || !r->b || !r->c)
        return APN_ENOMEM;
    (*n)++;
    return 0;
}

static int side_row(void *ud, const apn_csv_header *h, const char *const *f, size_t n, unsigned line)
{
    side_ctx *c = ud;
    apn_side *s = c->s;
    char locus[32];
    snprintf(locus, sizeof locus, "line %u", line);
    if (c->kind == 0) { /* categories.csv: slug,category */
        const char *slug = apn_csv_field(h, f, n, "slug"), *cat = apn_csv_field(h, f, n, "category");
        if (!slug || !*slug || !cat) {
            apn_diags_add(c->d, APN_SEV_WARNING, c->display, locus, "expected slug,category; row skipped");
            return 0;
        }
        return side_add(s, &s->cat, &s->ncat, &s->capcat, slug, cat, NULL);
    }
    /* aliases.csv: name,slug */
    const char *name = apn_csv_field(h, f, n, "name"), *slug = apn_csv_field(h, f, n, "slug");
    if (!name || !*name || !slug || !*slug) {
        apn_diags_add(c->d, APN_SEV_WARNING, c->display, locus, "expected name,slug; row skipped");
        return 0;
    }
    return side_add(s, &s->alias, &s->nalias, &s->capalias, name, slug, NULL);
}

/* A manifest row: its path is relative to the manifest's folder, the build root. */
static int manifest_row(void *ud, const char *const f[APN_MF_NCOLS], unsigned line)
{
    apn_side *s = ud;
    (void)line;
    return side_add(s, &s->man, &s->nman, &s->capman, f[APN_MF_PATH], f[APN_MF_URL],
                    f[APN_MF_COVERAGE]);
}

static int read_side(apn_side *s, const char *root, apn_diags *d)
{
    static const char *const files[] = { "categories.csv", "aliases.csv", APN_MANIFEST_FILE };
    for (int k = 0; k < 3; k++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", root, files[k]);
        if (access(path, F_OK) != 0)
            continue;
        side_ctx c = { s, path, d, k };
        int err = k < 2 ? apn_csv_read(path, path, side_row, &c, d)
                        : apn_manifest_scan_file(path, path, APN_MANIFEST_CHECK, manifest_row, s, d);
        if (err == APN_ENOMEM)
            return err;
        if (err < 0 && err != APN_EPARSE && err != APN_ELIMIT)
            apn_diags_add(d, APN_SEV_ERROR, path, "", "cannot read: %s", apn_strerror(err));
    }
    return 0;
}

/* ---- parallel reading, one writer -------------------------------------- */

static apn_doc *parse_one(const input *in)
{
    apn_doc *doc = apn_calloc(1, sizeof *doc);
    if (doc && apn_ingest_file(doc, in->path, in->path) < 0) {
        apn_doc_dispose(doc);
        apn_free(doc);
        doc = NULL;
    }
    return doc;
}

static void *reader(void *arg)
{
    job *j = arg;
    pthread_mutex_lock(&j->mu);
    for (;;) {
        while (!j->stop && j->next < j->n && j->next >= j->folded + j->window)
            pthread_cond_wait(&j->space, &j->mu);
        if (j->stop || j->next >= j->n)
            break;
        size_t i = j->next++;
        pthread_mutex_unlock(&j->mu);
        apn_doc *doc = parse_one(&j->in[i]);
        pthread_mutex_lock(&j->mu);
        j->docs[i] = doc;
        j->parsed[i] = 1;
        pthread_cond_broadcast(&j->ready);
    }
    pthread_mutex_unlock(&j->mu);
    return NULL;
}

/* Document i, parsed here (no threads) or waited for. */
static apn_doc *take(job *j, size_t i, int threaded)
{
    if (!threaded)
        return parse_one(&j->in[i]);
    pthread_mutex_lock(&j->mu);
    while (!j->parsed[i])
        pthread_cond_wait(&j->ready, &j->mu);
    apn_doc *doc = j->docs[i];
    j->docs[i] = NULL;
    pthread_mutex_unlock(&j->mu);
    return doc;
}

static void advance(job *j, size_t folded, int stop)
{
    pthread_mutex_lock(&j->mu);
    j->folded = folded;
    j->stop |= stop;
    pthread_cond_broadcast(&j->space);
    pthread_mutex_unlock(&j->mu);
}

static void free_doc(apn_doc *doc)
{
    if (doc) {
        apn_doc_dispose(doc);
        apn_free(doc);
    }
}

int apn_build(apn_build_summary *out, const apn_build_opts *opts, apn_diags *diags)
{
    job j = { 0 };
    apn_side side = { 0 };
    apn_model model;
    apn_store *store = NULL;
    apn_diags all = APN_DIAGS_INIT;
    pthread_t th[8];
    int nth = 0, err = 0, have_model = 0, have_mutex = 0, have_conds = 0;
    double t0 = now();

    memset(out, 0, sizeof *out);
    memset(&model, 0, sizeof model);
    for (size_t p = 0; p < opts->npaths; p++) {
        const char *path = opts->paths[p];
        struct stat st;
        if (stat(path, &st) != 0) {
            apn_diags_add(diags, APN_SEV_ERROR, path, "", "no such file or folder");
            out->rejected++;
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            if ((err = read_side(&side, path, diags)) < 0 || (err = walk(&j, path, "", diags, 0)) < 0)
                goto cleanup;
        } else {
            const char *base = strrchr(path, '/');
            if ((err = add_input(&j, path, base ? base + 1 : path)) < 0)
                goto cleanup;
        }
    }
    if (!j.n && opts->npaths)
        apn_diags_add(diags, APN_SEV_ERROR, "", "",
                      "no pages (.html, .htm) or workbooks (.xlsx) found in the given paths");
    /* a file reached twice is read once; the same relative path under two roots
     * keeps them apart by the full path */
    apn_sort(j.in, j.n, sizeof *j.in, cmp_input);
    size_t kept = 0;
    for (size_t a = 0; a < j.n; a++) {
        if (kept && !strcmp(j.in[kept - 1].path, j.in[a].path)) {
            apn_free(j.in[a].path);
            apn_free(j.in[a].rel);
            continue;
        }
        if (kept && !strcmp(j.in[kept - 1].rel, j.in[a].rel)) {
            char *r = apn_strdup(j.in[a].path);
            if (r) {
                apn_free(j.in[a].rel);
                j.in[a].rel = r;
            } else {
                err = APN_ENOMEM;
            }
        }
        j.in[kept++] = j.in[a];
    }
    j.n = kept;
    if (err < 0)
        goto cleanup;
    /* documents are numbered in the order of their relative paths */
    apn_sort(j.in, j.n, sizeof *j.in, cmp_input);
    if (!(j.docs = apn_calloc(j.n + 1, sizeof *j.docs)) || !(j.parsed = apn_calloc(j.n + 1, 1))) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    have_model = 1; /* a half-made model is disposed too */
    if ((err = apn_model_init(&model, &side)) < 0)
        goto cleanup;
    if ((err = apn_store_open(&store, opts->out_db, diags)) < 0)
        goto cleanup;
    out->t_read = now() - t0;

    /* read on helper threads; this thread folds each document into the model and
     * the database in path order, then frees it */
    t0 = now();
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int want = opts->threads > 0 ? opts->threads : (int)(cores > 0 ? cores : 1);
    if (want > 8)
        want = 8;
    j.window = 4 * (size_t)want;
    xmlInitParser(); /* libxml2's global state, once, before parsing threads start */
    if (want > 1 && j.n > 1) {
        have_mutex = pthread_mutex_init(&j.mu, NULL) == 0;
        have_conds = have_mutex && pthread_cond_init(&j.ready, NULL) == 0;
        if (have_conds && pthread_cond_init(&j.space, NULL) != 0) {
            pthread_cond_destroy(&j.ready);
            have_conds = 0;
        }
        for (int t = 0; have_conds && t < want; t++)
            if (pthread_create(&th[nth], NULL, reader, &j) == 0)
                nth++;
        /* no thread could start: this one reads alone */
    }
    for (size_t i = 0; i < j.n; i++) {
        apn_doc *doc = take(&j, i, nth > 0);
        long index = -1;
        if (!doc) {
            err = APN_ENOMEM;
        } else {
            if (doc->rejected)
                out->rejected++;
            else
                out->documents++;
            if ((err = apn_model_add(&index, &model, doc, j.in[i].rel)) == 0 && index >= 0)
                err = apn_store_add(store, &model, (size_t)index, doc, diags);
            if (!err)
                err = apn_diags_take(&all, &doc->diags);
        }
        free_doc(doc);
        if (nth)
            advance(&j, i + 1, err < 0);
        if (err < 0)
            goto cleanup;
        if (opts->progress)
            opts->progress(opts->progress_ud, i + 1, j.n, j.in[i].path);
    }
    out->t_parse = now() - t0;

    /* normalise */
    t0 = now();
    if ((err = apn_model_finish(&model)) < 0)
        goto cleanup;
    out->t_normalise = now() - t0;

    /* every diagnostic: the walk's, each document's, normalisation's, by path */
    if ((err = apn_diags_take(&all, diags)) < 0 || (err = apn_diags_take(&all, &model.diags)) < 0)
        goto cleanup;
    apn_diags_sort(&all);

    t0 = now();
    err = apn_store_finish(store, &model, &all, want > 1, &all);
    store = NULL;
    out->t_store = now() - t0;
    out->checklists = model.ncls;
    out->competencies = model.ncomps;
    out->requirements = model.nreqs;
    out->answers = model.answers;
cleanup:
    if (nth)
        advance(&j, j.folded, 1);
    for (int t = 0; t < nth; t++)
        pthread_join(th[t], NULL);
    if (have_conds) {
        pthread_cond_destroy(&j.ready);
        pthread_cond_destroy(&j.space);
    }
    if (have_mutex)
        pthread_mutex_destroy(&j.mu);
    apn_store_abort(store);
    apn_diags_take(diags, &all);
    if (have_model)
        apn_model_dispose(&model);
    apn_side_dispose(&side);
    for (size_t i = 0; i < j.n; i++) {
        if (j.docs)
            free_doc(j.docs[i]);
        apn_free(j.in[i].path);
        apn_free(j.in[i].rel);
    }
    apn_free(j.docs);
    apn_free(j.parsed);
    apn_free(j.in);
    return err;
}
