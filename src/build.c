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
#include <limits.h>
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
    dev_t dev;       /* the file, to refuse an output that is one of the inputs */
    ino_t ino;
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
    pthread_t th[8];
    int nth, have_mutex, have_conds;
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

static int add_input(job *j, const char *path, const char *rel, const struct stat *st)
{
    if (apn_grow(&j->in, &j->cap, j->n + 1, sizeof *j->in) < 0)
        return APN_ENOMEM;
    input *in = &j->in[j->n];
    in->path = apn_strdup(path);
    in->rel = apn_strdup(rel);
    in->dev = st->st_dev;
    in->ino = st->st_ino;
    if (!in->path || !in->rel) {
        apn_free(in->path);
        apn_free(in->rel);
        return APN_ENOMEM;
    }
    j->n++;
    return 0;
}

/* ---- the folder walk --------------------------------------------------- */

#define WALK_DEPTH 32   /* folders below a root that are read */

/* Joins a/b into out[PATH_MAX]; 0, or -1 when it does not fit. */
static int join(char out[PATH_MAX], const char *a, const char *b)
{
    int n = snprintf(out, PATH_MAX, "%s%s%s", a, *a ? "/" : "", b);
    return n < 0 || n >= PATH_MAX ? -1 : 0;
}

/* Walks dir in sorted order. Names starting with '.' are skipped; symbolic
 * links are never followed (two links to "." would loop, a link out of the
 * tree would read what the user did not give), and one that points to a
 * folder or has an input's name is said so; folders deeper than WALK_DEPTH
 * and paths longer than PATH_MAX are named and not read. */
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
        char path[PATH_MAX], r[PATH_MAX];
        struct stat st, target;
        if (join(path, dir, name) < 0 || join(r, rel, name) < 0) {
            err = apn_diags_add(d, APN_SEV_WARNING, dir, "", "path of '%s' longer than %d bytes; not read",
                                name, PATH_MAX - 1);
            continue;
        }
        if (lstat(path, &st) != 0)
            continue;
        if (S_ISLNK(st.st_mode)) {
            if (apn_ingest_is_input(name) || (stat(path, &target) == 0 && S_ISDIR(target.st_mode)))
                err = apn_diags_add(d, APN_SEV_WARNING, path, "",
                                    "symbolic link not followed (give its target to read it)");
        } else if (S_ISDIR(st.st_mode)) {
            if (depth < WALK_DEPTH)
                err = walk(j, path, r, d, depth + 1);
            else
                err = apn_diags_add(d, APN_SEV_WARNING, path, "",
                                    "folder nested deeper than %d levels; not read", WALK_DEPTH);
        } else if (S_ISREG(st.st_mode) && apn_ingest_is_input(name)) {
            err = add_input(j, path, r, &st);
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
    const char *const *files = apn_ingest_side_files;   /* categories, aliases, manifest */
    for (int k = 0; files[k]; k++) {
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

/* Starts up to want reader threads (none when one would do); j->nth says how
 * many started: with none, the calling thread reads alone. */
static void pool_start(job *j, int want)
{
    j->window = 4 * (size_t)want;
    xmlInitParser(); /* libxml2's global state, once, before parsing threads start */
    if (want <= 1 || j->n <= 1)
        return;
    j->have_mutex = pthread_mutex_init(&j->mu, NULL) == 0;
    j->have_conds = j->have_mutex && pthread_cond_init(&j->ready, NULL) == 0;
    if (j->have_conds && pthread_cond_init(&j->space, NULL) != 0) {
        pthread_cond_destroy(&j->ready);
        j->have_conds = 0;
    }
    for (int t = 0; j->have_conds && t < want; t++)
        if (pthread_create(&j->th[j->nth], NULL, reader, j) == 0)
            j->nth++;
}

static void pool_stop(job *j)
{
    if (j->nth)
        advance(j, j->folded, 1);
    for (int t = 0; t < j->nth; t++)
        pthread_join(j->th[t], NULL);
    j->nth = 0;
    if (j->have_conds) {
        pthread_cond_destroy(&j->ready);
        pthread_cond_destroy(&j->space);
    }
    if (j->have_mutex)
        pthread_mutex_destroy(&j->mu);
    j->have_conds = j->have_mutex = 0;
}

static void free_doc(apn_doc *doc)
{
    if (doc) {
        apn_doc_dispose(doc);
        apn_free(doc);
    }
}

/* ---- the build: collect, check, pool and fold, finish ------------------- */

/* Every input of the given paths, each once, numbered in the order of their
 * relative paths; side files of each folder into side. *missing counts the
 * given paths that do not exist. */
static int collect(job *j, apn_side *side, size_t *missing, const apn_build_opts *opts,
                   apn_diags *d)
{
    int err = 0;
    *missing = 0;
    for (size_t p = 0; p < opts->npaths; p++) {
        const char *path = opts->paths[p];
        struct stat st;
        if (stat(path, &st) != 0) {
            apn_diags_add(d, APN_SEV_ERROR, path, "", "no such file or folder");
            (*missing)++;
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            if ((err = read_side(side, path, d)) < 0 || (err = walk(j, path, "", d, 0)) < 0)
                return err;
        } else {
            const char *base = strrchr(path, '/');
            if ((err = add_input(j, path, base ? base + 1 : path, &st)) < 0)
                return err;
        }
    }
    if (!j->n && opts->npaths)
        apn_diags_add(d, APN_SEV_ERROR, "", "",
                      "no pages (.html, .htm) or workbooks (.xlsx) found in the given paths");
    /* a file reached twice is read once; the same relative path under two roots
     * keeps them apart by the full path */
    apn_sort(j->in, j->n, sizeof *j->in, cmp_input);
    size_t kept = 0;
    for (size_t a = 0; a < j->n; a++) {
        if (kept && !strcmp(j->in[kept - 1].path, j->in[a].path)) {
            apn_free(j->in[a].path);
            apn_free(j->in[a].rel);
            continue;
        }
        if (kept && !strcmp(j->in[kept - 1].rel, j->in[a].rel)) {
            char *r = apn_strdup(j->in[a].path);
            if (r) {
                apn_free(j->in[a].rel);
                j->in[a].rel = r;
            } else {
                err = APN_ENOMEM;
            }
        }
        j->in[kept++] = j->in[a];
    }
    j->n = kept;
    /* documents are numbered in the order of their relative paths */
    apn_sort(j->in, j->n, sizeof *j->in, cmp_input);
    return err;
}

static int same_file(const struct stat *a, dev_t dev, ino_t ino)
{
    return a->st_dev == dev && a->st_ino == ino;
}

/* Refuses (APN_EUSAGE) an output that is one of the inputs: a page, a
 * workbook, a folder or a side file the build reads. */
static int check_output(const job *j, const apn_build_opts *opts, apn_diags *d)
{
    static const char *const sides[] = { "categories.csv", "aliases.csv", APN_MANIFEST_FILE };
    struct stat out, st;
    if (stat(opts->out_db, &out) != 0)
        return 0; /* a new file is no input */
    int is_input = 0;
    for (size_t i = 0; !is_input && i < j->n; i++)
        is_input = same_file(&out, j->in[i].dev, j->in[i].ino);
    for (size_t p = 0; !is_input && p < opts->npaths; p++) {
        if (stat(opts->paths[p], &st) != 0)
            continue;
        is_input = same_file(&out, st.st_dev, st.st_ino);
        for (int k = 0; !is_input && S_ISDIR(st.st_mode) && k < 3; k++) {
            char path[PATH_MAX];
            struct stat side;
            is_input = join(path, opts->paths[p], sides[k]) == 0 && stat(path, &side) == 0 &&
                    same_file(&out, side.st_dev, side.st_ino);
        }
    }
    if (!is_input)
        return 0;
    apn_diags_add(d, APN_SEV_ERROR, opts->out_db, "", "is one of the inputs; choose another output (-o)");
    return APN_EUSAGE;
}

/* Reads every input (on the pool, or here) and folds each, in path order, into
 * the model and the store, then frees it. */
static int fold(job *j, apn_model *model, apn_store *store, apn_diags *all,
                apn_build_summary *out, const apn_build_opts *opts, apn_diags *d)
{
    for (size_t i = 0; i < j->n; i++) {
        apn_doc *doc = take(j, i, j->nth > 0);
        long index = -1;
        int err;
        if (!doc) {
            err = APN_ENOMEM;
        } else {
            if (doc->rejected)
                out->rejected++;
            else
                out->documents++;
            if ((err = apn_model_add(&index, model, doc, j->in[i].rel)) == 0 && index >= 0)
                err = apn_store_add(store, model, (size_t)index, doc, d);
            if (!err)
                err = apn_diags_take(all, &doc->diags);
        }
        free_doc(doc);
        if (j->nth)
            advance(j, i + 1, err < 0);
        if (err < 0)
            return err;
        if (opts->progress)
            opts->progress(opts->progress_ud, i + 1, j->n, j->in[i].path);
    }
    return 0;
}

/* The database is replaced only by one that holds what the user asked for:
 * refused (APN_ENOTFOUND, the old file kept) when a given path does not exist
 * or no document was read, unless opts->force. */
static int check_complete(size_t missing, size_t documents, const apn_build_opts *opts, apn_diags *d)
{
    if (opts->force)
        return 0;
    if (missing)
        apn_diags_add(d, APN_SEV_ERROR, opts->out_db, "",
                      "not written: %zu given path%s not exist (--force builds from the others)",
                      missing, missing == 1 ? " does" : "s do");
    else if (!documents)
        apn_diags_add(d, APN_SEV_ERROR, opts->out_db, "",
                      "not written: no document was read (--force writes an empty database)");
    return missing || !documents ? APN_ENOTFOUND : 0;
}

int apn_build(apn_build_summary *out, const apn_build_opts *opts, apn_diags *diags)
{
    job j = { 0 };
    apn_side side = { 0 };
    apn_model model;
    apn_store *store = NULL;
    apn_diags all = APN_DIAGS_INIT;
    size_t missing = 0;
    int err = 0, have_model = 0;
    double t0 = now();

    memset(out, 0, sizeof *out);
    memset(&model, 0, sizeof model);
    if ((err = collect(&j, &side, &missing, opts, diags)) < 0 ||
        (err = check_output(&j, opts, diags)) < 0)
        goto cleanup;
    out->rejected = missing;
    if ((missing || !j.n) && (err = check_complete(missing, j.n, opts, diags)) < 0)
        goto cleanup;
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
    pool_start(&j, want > 8 ? 8 : want);
    if ((err = fold(&j, &model, store, &all, out, opts, diags)) < 0 ||
        (err = check_complete(0, out->documents, opts, diags)) < 0)
        goto cleanup;
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
    pool_stop(&j);
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
