/* db — read-only access to an apnmap database and the contract listings.
 * See include/apnmap/db.h.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sqlite3.h>

#include <apnmap/apnmap.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "dbcheck.h"
#include "dbint.h"
#include "table_int.h"

struct apn_db {
    sqlite3 *h;
    char *path;      /* as given to apn_db_open: names the file in diagnostics */
    double limit;    /* seconds of work one statement may take; <= 0: none */
    double t0;       /* this thread's CPU time when the running statement began */
    int stopped;     /* the progress handler stopped the last statement */
};

sqlite3 *apn_db__handle(apn_db *db) { return db->h; }
const char *apn_db_path(const apn_db *db) { return db ? db->path : ""; }

int apn_db__rc(int rc)
{
    switch (rc & 0xff) {   /* the primary code of an extended one */
    case SQLITE_OK: case SQLITE_ROW: case SQLITE_DONE: return 0;
    case SQLITE_NOMEM: return APN_ENOMEM;
    case SQLITE_IOERR: case SQLITE_FULL: case SQLITE_CANTOPEN: return APN_EIO;
    case SQLITE_INTERRUPT: return APN_ELIMIT;
    default: return APN_EDB;
    }
}

int apn_db__fail(apn_db *db, apn_diags *d, int rc)
{
    int err = apn_db__rc(rc);
    if (err == APN_ENOMEM)
        return err;   /* the CLI says "out of memory"; adding a diagnostic would allocate */
    if (err == APN_ELIMIT && db->stopped)
        apn_diags_add(d, APN_SEV_ERROR, db->path, "", "a query ran past its time limit (%g s of "
                      "work) and was stopped", db->limit);
    else
        apn_diags_add(d, APN_SEV_ERROR, db->path, "", "%s", sqlite3_errmsg(db->h));
    return err ? err : APN_EDB;
}

/* ---- limits: every statement is watched -------------------------------- */

/* CPU time, not wall time: a listing paused by a full pipe (a pager) is not
 * working, and a busy machine does not make a query guilty. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* SQLITE_TRACE_STMT: a statement begins to run; its clock starts. */
static int on_statement(unsigned type, void *ud, void *p, void *x)
{
    apn_db *db = ud;
    (void)type; (void)p; (void)x;
    db->t0 = cpu_now();
    db->stopped = 0;
    return 0;
}

/* Every APN_DB_PROGRESS_OPS virtual-machine steps: nonzero stops the statement
 * (SQLITE_INTERRUPT). A recursive view or a huge table ends here. */
#define APN_DB_PROGRESS_OPS 1000
static int on_progress(void *ud)
{
    apn_db *db = ud;
    if (db->limit > 0 && cpu_now() - db->t0 > db->limit)
        db->stopped = 1;
    return db->stopped;
}

double apn_db__time_limit(apn_db *db, double seconds)
{
    double was = db->limit;
    db->limit = seconds;
    return was;
}

/* The settings SQLite advises for database files that may be hostile
 * (its "Defense Against the Dark Arts"): no extensions, no code from the
 * schema with side effects, no writes even to the schema, no memory mapping,
 * and values and statements of bounded size. Not PRAGMA cell_size_check: it
 * only finds some damage sooner (SQLite checks every page it reads anyway) and
 * made `hardest` 60% slower. Then the contract check (dbcheck.h). */
static int db_setup(apn_db *db, apn_diags *d)
{
    sqlite3 *h = db->h;
    sqlite3_busy_timeout(h, 5000);
    sqlite3_db_config(h, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
    sqlite3_db_config(h, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_limit(h, SQLITE_LIMIT_LENGTH, 32 << 20);      /* one value: 32 MiB */
    sqlite3_limit(h, SQLITE_LIMIT_SQL_LENGTH, 1 << 20);   /* one statement: 1 MiB */
    sqlite3_limit(h, SQLITE_LIMIT_ATTACHED, 0);
    int rc = sqlite3_exec(h, "PRAGMA mmap_size = 0; PRAGMA query_only = ON", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return apn_db__fail(db, d, rc);
    db->limit = APN_DB_TIME_LIMIT;
    sqlite3_trace_v2(h, SQLITE_TRACE_STMT, on_statement, db);
    sqlite3_progress_handler(h, APN_DB_PROGRESS_OPS, on_progress, db);
    db->t0 = cpu_now();   /* the check's statements are timed from here on */
    int err = apn_db__check(h, db->path, d);
    if (err == APN_ELIMIT && !d->nerr)
        apn_db__fail(db, d, SQLITE_INTERRUPT);
    return err;
}

static int db_new(apn_db **out, const char *path)
{
    apn_db *db = apn_calloc(1, sizeof *db);
    *out = NULL;
    if (!db || !(db->path = apn_strdup(path))) {
        apn_free(db);
        return APN_ENOMEM;
    }
    *out = db;
    return 0;
}

int apn_db_open(apn_db **out, const char *path, apn_diags *d)
{
    int err, rc;
    apn_db *db = NULL;
    *out = NULL;
    if ((err = db_new(&db, path)) < 0)
        return err;
    /* NOMUTEX: a handle serves one thread at a time (db.h), so SQLite's
     * per-connection mutex, taken by every sqlite3_column_* call, is pure cost */
    if ((rc = sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL)) !=
        SQLITE_OK) {
        err = db->h ? apn_db__fail(db, d, rc) : APN_ENOMEM;
        goto cleanup;
    }
    if ((err = db_setup(db, d)) < 0)
        goto cleanup;
    *out = db;
    db = NULL;
cleanup:
    apn_db_free(db);
    return err;
}

int apn_db__open_bytes(apn_db **out, const void *bytes, size_t n, const char *name, apn_diags *d)
{
    int err, rc;
    apn_db *db = NULL;
    unsigned char *copy = NULL;
    *out = NULL;
    if ((err = db_new(&db, name)) < 0)
        return err;
    if ((rc = sqlite3_open_v2(":memory:", &db->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                              NULL)) != SQLITE_OK) {
        err = db->h ? apn_db__fail(db, d, rc) : APN_ENOMEM;
        goto cleanup;
    }
    if (!(copy = sqlite3_malloc64(n ? n : 1))) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    if (n)
        memcpy(copy, bytes, n);
    /* the image is SQLite's from here on (FREEONCLOSE), even when refused */
    rc = sqlite3_deserialize(db->h, "main", copy, (sqlite3_int64)n, (sqlite3_int64)n,
                             SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
    if (rc != SQLITE_OK) {
        err = apn_db__fail(db, d, rc);
        goto cleanup;
    }
    if ((err = db_setup(db, d)) < 0)
        goto cleanup;
    *out = db;
    db = NULL;
cleanup:
    apn_db_free(db);
    return err;
}

void apn_db_free(apn_db *db)
{
    if (!db)
        return;
    sqlite3_close(db->h);
    apn_free(db->path);
    apn_free(db);
}

int apn_db_offering_check(const char *o)
{
    if (!o || !strcmp(o, "saas") || !strcmp(o, "customer-deployed") || !strcmp(o, "services"))
        return 0;
    return APN_EUSAGE;
}

/* ---- generic: run a statement into a table ------------------------------ */

typedef struct sqlcell {
    int type;           /* SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_NULL */
    long long i;
    double r;
    char *s;
} sqlcell;

/* Steps st to its end into an owned table (types NULL: inferred). *src is
 * SQLite's last code; nonzero max_rows: APN_ELIMIT (no diagnostic, no table)
 * when a row beyond max_rows comes. No diagnostics: the callers word them. */
static int collect(apn_table **out, int *src, sqlite3_stmt *st, const apn_coltype *types,
                   size_t max_rows)
{
    int err = 0, rc;
    size_t ncols = (size_t)sqlite3_column_count(st), n = 0, cap = 0;
    sqlcell *cells = NULL;
    const char **names = NULL;
    apn_coltype *ct = NULL;
    apn_table *t = NULL;

    *out = NULL;
    *src = SQLITE_OK;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (max_rows && ncols && n / ncols == max_rows) {
            err = APN_ELIMIT;
            goto cleanup;
        }
        if (apn_grow(&cells, &cap, n + ncols, sizeof *cells) < 0) {
            err = APN_ENOMEM;
            goto cleanup;
        }
        for (size_t c = 0; c < ncols; c++) {
            sqlcell *x = &cells[n++];
            memset(x, 0, sizeof *x);
            x->type = sqlite3_column_type(st, (int)c);
            if (x->type == SQLITE_INTEGER)
                x->i = sqlite3_column_int64(st, (int)c);
            else if (x->type == SQLITE_FLOAT)
                x->r = sqlite3_column_double(st, (int)c);
            else if (x->type != SQLITE_NULL) {
                const char *s = (const char *)sqlite3_column_text(st, (int)c);
                x->type = SQLITE_TEXT;
                if (!s || !(x->s = apn_strdup(s))) {   /* not NULL: no memory for its text */
                    err = APN_ENOMEM;
                    goto cleanup;
                }
            }
        }
    }
    *src = rc;
    if (rc != SQLITE_DONE) {
        err = apn_db__rc(rc);
        goto cleanup;
    }
    names = apn_calloc(ncols, sizeof *names);
    ct = apn_calloc(ncols, sizeof *ct);
    if (!names || !ct) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    size_t nrows = ncols ? n / ncols : 0;
    for (size_t c = 0; c < ncols; c++) {
        names[c] = sqlite3_column_name(st, (int)c);
        if (types) {
            ct[c] = types[c];
            continue;
        }
        /* a column is an integer or real column when every value in it is */
        int ints = 1, nums = 1;
        for (size_t r = 0; r < nrows; r++) {
            int ty = cells[r * ncols + c].type;
            ints &= ty == SQLITE_INTEGER || ty == SQLITE_NULL;
            nums &= ty == SQLITE_INTEGER || ty == SQLITE_FLOAT || ty == SQLITE_NULL;
        }
        ct[c] = !nrows ? APN_COL_TEXT : ints ? APN_COL_INT : nums ? APN_COL_REAL : APN_COL_TEXT;
    }
    if ((err = apn_table_new(&t, ncols, names, ct)) < 0)
        goto cleanup;
    for (size_t r = 0; r < nrows; r++) {
        if ((err = apn_table_add_row(t)) < 0)
            goto cleanup;
        for (size_t c = 0; c < ncols; c++) {
            sqlcell *x = &cells[r * ncols + c];
            char num[64];
            if (x->type == SQLITE_NULL)
                continue;
            if (ct[c] == APN_COL_INT || ct[c] == APN_COL_BOOL)
                err = apn_table_set_int(t, c, x->type == SQLITE_FLOAT ? (long long)x->r : x->i);
            else if (ct[c] == APN_COL_REAL)
                err = apn_table_set_real(t, c, x->type == SQLITE_INTEGER ? (double)x->i : x->r);
            else if (x->type == SQLITE_INTEGER) {
                snprintf(num, sizeof num, "%lld", x->i);
                err = apn_table_set_text(t, c, num);
            } else if (x->type == SQLITE_FLOAT) {
                snprintf(num, sizeof num, "%.15g", x->r);
                err = apn_table_set_text(t, c, num);
            } else
                err = apn_table_set_text(t, c, x->s);
            if (err < 0)
                goto cleanup;
        }
    }
    *out = t;
    t = NULL;
cleanup:
    for (size_t i = 0; i < n; i++)
        apn_free(cells[i].s);
    apn_free(cells);
    apn_free(names);
    apn_free(ct);
    apn_table_free(t);
    return err;
}

int apn_db__table(apn_table **out, apn_db *db, sqlite3_stmt *st, const apn_coltype *types,
                  apn_diags *d)
{
    int rc = SQLITE_OK, err = collect(out, &rc, st, types, 0);
    return err < 0 && apn_db__rc(rc) < 0 ? apn_db__fail(db, d, rc) : err;   /* SQLite's, or ours */
}

int apn_db__query(apn_table **out, apn_db *db, const char *sql, const apn_coltype *types,
                  const char *bind1, apn_diags *d)
{
    sqlite3_stmt *st = NULL;
    int err, rc;
    *out = NULL;
    if ((rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL)) != SQLITE_OK)
        return apn_db__fail(db, d, rc);
    if (bind1)
        sqlite3_bind_text(st, 1, bind1, -1, SQLITE_STATIC);
    err = apn_db__table(out, db, st, types, d);
    sqlite3_finalize(st);
    return err;
}

/* ---- sql: one read-only statement --------------------------------------- */

/* PRAGMAs that only report, never set: those whose argument names a table or
 * an index, and those read without an argument (PRAGMA user_version, and the
 * table-valued pragma_user_version). */
static const char *const pragma_named[] = {
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
    "foreign_key_list", NULL
};
static const char *const pragma_bare[] = {
    "collation_list", "function_list", "module_list", "pragma_list", "database_list",
    "compile_options", "user_version", "application_id", "schema_version", "page_count",
    "page_size", "freelist_count", "encoding", "data_version", NULL
};

static int in_list(const char *const *l, const char *s)
{
    for (; s && *l; l++)
        if (!strcasecmp(*l, s))
            return 1;
    return 0;
}

/* Reading, and nothing else: no write, ATTACH, transaction or setting. Two
 * more, both for table-valued functions (pragma_table_info(...), json_each):
 * the reporting PRAGMAs above, and an UPDATE of sqlite_schema's columns that
 * SQLite checks when it first makes such a table; it never runs (the
 * statement is read-only, the connection read-only and defensive). */
static int authorize(void *ud, int action, const char *a, const char *b, const char *c,
                     const char *d)
{
    (void)ud; (void)c; (void)d;
    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE:
        return SQLITE_OK;
    case SQLITE_PRAGMA:
        return in_list(pragma_named, a) || (in_list(pragma_bare, a) && !b) ? SQLITE_OK : SQLITE_DENY;
    case SQLITE_UPDATE:
        return a && (!strcmp(a, "sqlite_master") || !strcmp(a, "sqlite_schema")) ? SQLITE_OK
                                                                                 : SQLITE_DENY;
    default:
        return SQLITE_DENY;
    }
}

/* 1 when s holds nothing SQLite would run: spaces, semicolons, comments. */
static int blank_sql(const char *s)
{
    while (*s) {
        if (isspace((unsigned char)*s) || *s == ';')
            s++;
        else if (s[0] == '-' && s[1] == '-')
            s += strcspn(s, "\n");
        else if (s[0] == '/' && s[1] == '*') {
            const char *e = strstr(s + 2, "*/");
            s = e ? e + 2 : s + strlen(s);   /* unterminated: a comment to the end, as SQLite */
        } else
            return 0;
    }
    return 1;
}

static const char sql_readonly[] = "only read-only queries are allowed (SELECT, WITH, EXPLAIN, "
                                   "reporting PRAGMAs)";

/* Prepares the one statement of sql under the authorizer (set by the caller). */
static int sql_prepare(sqlite3_stmt **out, apn_db *db, const char *sql, apn_diags *d)
{
    const char *tail = NULL;
    int rc;
    *out = NULL;
    if ((rc = sqlite3_prepare_v2(db->h, sql, -1, out, &tail)) != SQLITE_OK) {
        const char *m = sqlite3_errmsg(db->h);
        if (rc == SQLITE_NOMEM)
            return APN_ENOMEM;
        apn_diags_add(d, APN_SEV_ERROR, "", "", "%s", rc == SQLITE_AUTH ? sql_readonly : m);
        return APN_EUSAGE;
    }
    if (!*out) {
        apn_diags_add(d, APN_SEV_ERROR, "", "", "empty query");
        return APN_EUSAGE;
    }
    if (tail && !blank_sql(tail)) {
        apn_diags_add(d, APN_SEV_ERROR, "", "", "one statement at a time (found more after the first)");
        return APN_EUSAGE;
    }
    if (!sqlite3_stmt_readonly(*out)) {
        apn_diags_add(d, APN_SEV_ERROR, "", "", sql_readonly);
        return APN_EUSAGE;
    }
    return 0;
}

/* A statement that failed while it ran: the file's fault (damage, I/O,
 * memory) names the file; the statement's own (too big, a bad argument, a
 * limit) is the request's and has no path. */
static int sql_fail(apn_db *db, apn_diags *d, int rc, int err, const apn_db_sql_opts *o)
{
    switch (rc & 0xff) {
    case SQLITE_CORRUPT: case SQLITE_NOTADB: case SQLITE_IOERR: case SQLITE_CANTOPEN:
    case SQLITE_NOMEM: case SQLITE_FULL: case SQLITE_BUSY: case SQLITE_LOCKED:
        return apn_db__fail(db, d, rc);
    }
    if (err == APN_ELIMIT && rc == SQLITE_INTERRUPT && db->stopped)
        apn_diags_add(d, APN_SEV_ERROR, "", "", "stopped: the query ran past its time limit "
                      "(%g s of work)", o->seconds);
    else if (err == APN_ELIMIT)
        apn_diags_add(d, APN_SEV_ERROR, "", "", "stopped after %zu rows: the query has more "
                      "than its row limit", o->max_rows);
    else if (err == APN_ENOMEM)
        return err;
    else
        apn_diags_add(d, APN_SEV_ERROR, "", "", "%s", sqlite3_errmsg(db->h));
    return err == APN_ELIMIT ? err : APN_EUSAGE;
}

static const apn_db_sql_opts sql_defaults = APN_DB_SQL_OPTS_INIT;

int apn_db_sql(apn_table **out, apn_db *db, const char *sql, const apn_db_sql_opts *o,
               apn_diags *d)
{
    sqlite3_stmt *st = NULL;
    int rc = SQLITE_OK;
    if (!o)
        o = &sql_defaults;
    *out = NULL;
    double was = apn_db__time_limit(db, o->seconds);
    sqlite3_set_authorizer(db->h, authorize, NULL);
    int err = sql_prepare(&st, db, sql, d);
    if (!err && (err = collect(out, &rc, st, NULL, o->max_rows)) < 0)
        err = sql_fail(db, d, rc, err, o);
    sqlite3_finalize(st);
    sqlite3_set_authorizer(db->h, NULL, NULL);
    apn_db__time_limit(db, was);
    return err;
}

int apn_db_sql_write(apn_db *db, const char *sql, const apn_db_sql_opts *o, FILE *f,
                     apn_format fmt, apn_diags *d)
{
    sqlite3_stmt *st = NULL;
    const char **names = NULL;
    apn_coltype *types = NULL;
    apn_tcell *cells = NULL;
    apn_rowout w;
    int begun = 0, rc = SQLITE_OK;
    size_t nrows = 0;
    if (fmt == APN_FMT_TABLE)
        return APN_EUSAGE;
    if (!o)
        o = &sql_defaults;
    double was = apn_db__time_limit(db, o->seconds);
    sqlite3_set_authorizer(db->h, authorize, NULL);
    int err = sql_prepare(&st, db, sql, d);
    if (err < 0)
        goto cleanup;
    size_t ncols = (size_t)sqlite3_column_count(st);
    names = apn_calloc(ncols + 1, sizeof *names);
    types = apn_calloc(ncols + 1, sizeof *types);
    cells = apn_calloc(ncols + 1, sizeof *cells);
    if (!names || !types || !cells) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    for (size_t c = 0; c < ncols; c++)
        names[c] = sqlite3_column_name(st, (int)c);
    /* each value is written as what it is: the writer reads types[] at
     * every row (table_int.h), and a column of SQL may mix them */
    apn_rowout_begin(&w, f, fmt, ncols, names, types);
    begun = 1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (o->max_rows && nrows == o->max_rows) {
            err = APN_ELIMIT;
            break;
        }
        size_t c;
        for (c = 0; c < ncols; c++) {
            sqlite3_value *v = sqlite3_column_value(st, (int)c);
            apn_tcell *x = &cells[c];
            memset(x, 0, sizeof *x);
            switch (sqlite3_value_type(v)) {
            case SQLITE_NULL: x->null = 1; types[c] = APN_COL_TEXT; break;
            case SQLITE_INTEGER: x->i = sqlite3_value_int64(v); types[c] = APN_COL_INT; break;
            case SQLITE_FLOAT: x->r = sqlite3_value_double(v); types[c] = APN_COL_REAL; break;
            default: x->s = (const char *)sqlite3_value_text(v); types[c] = APN_COL_TEXT; break;
            }
            if (!x->null && types[c] == APN_COL_TEXT && !x->s)
                break;   /* not NULL, so no memory for its text */
        }
        if (c < ncols) {
            err = APN_ENOMEM;
            break;
        }
        apn_rowout_row(&w, cells);
        nrows++;
        if (w.err)
            break;   /* the output cannot be written: nothing more to run for */
    }
    if (!err && rc != SQLITE_DONE)
        err = apn_db__rc(rc);
    if (err < 0 && err != APN_ENOMEM)
        err = sql_fail(db, d, rc, err, o);
cleanup:
    if (begun) {
        int e = apn_rowout_end(&w);
        if (e < 0 && (!err || err == APN_ELIMIT))
            err = e;   /* a failed write (APN_EIO: errno says why) outranks the rest */
    }
    sqlite3_finalize(st);
    sqlite3_set_authorizer(db->h, NULL, NULL);
    apn_db__time_limit(db, was);
    apn_free(names);
    apn_free(types);
    apn_free(cells);
    return err;
}

/* ---- competency names --------------------------------------------------- */

int apn_db_competency(char **out, apn_db *db, const char *name, apn_diags *d)
{
    static const char *sql =
        "SELECT slug FROM competency WHERE slug = ?1 COLLATE NOCASE OR name = ?1 COLLATE NOCASE "
        "UNION SELECT c.slug FROM alias a JOIN competency c ON c.id = a.competency_id "
        "WHERE a.name = ?1 COLLATE NOCASE LIMIT 1";
    sqlite3_stmt *st = NULL;
    int err = 0, rc;
    *out = NULL;
    if ((rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL)) != SQLITE_OK)
        return apn_db__fail(db, d, rc);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *out = apn_strdup((const char *)sqlite3_column_text(st, 0));
        err = *out ? 0 : APN_ENOMEM;
        sqlite3_finalize(st);
        return err;
    }
    sqlite3_finalize(st);
    /* not found: suggest at most three slugs whose slug or name is close
     * (apn_suggest_close), nearest first; a name far from all suggests none */
    struct { size_t d; char s[128]; } best[3] = { { 99, "" }, { 99, "" }, { 99, "" } };
    size_t ncomp = 0;
    if (sqlite3_prepare_v2(db->h, "SELECT slug, name FROM competency ORDER BY slug", -1, &st,
                           NULL) == SQLITE_OK) {
        while (sqlite3_step(st) == SQLITE_ROW) {
            const char *slug = (const char *)sqlite3_column_text(st, 0);
            const char *nm = (const char *)sqlite3_column_text(st, 1);
            ncomp++;
            if (!slug)
                continue;
            size_t dist = 99;
            if (apn_suggest_close(name, slug))
                dist = apn_suggest_distance(name, slug);
            if (nm && apn_suggest_close(name, nm) && apn_suggest_distance(name, nm) < dist)
                dist = apn_suggest_distance(name, nm);
            if (dist == 99 && strlen(name) >= 4 && (strcasestr(slug, name) || (nm && strcasestr(nm, name))))
                dist = 50;   /* a part of the slug or name: after the typos */
            for (int k = 0; k < 3; k++)
                if (dist < best[k].d) {
                    memmove(&best[k + 1], &best[k], (size_t)(2 - k) * sizeof best[0]);
                    best[k].d = dist;
                    snprintf(best[k].s, sizeof best[k].s, "%s", slug);
                    break;
                }
        }
        sqlite3_finalize(st);
    }
    if (best[0].d < 99)
        apn_diags_add(d, APN_SEV_ERROR, "", "", "no competency named '%s'; did you mean %s%s%s%s%s?", name,
                      best[0].s, best[1].d < 99 ? ", " : "", best[1].d < 99 ? best[1].s : "",
                      best[2].d < 99 ? ", " : "", best[2].d < 99 ? best[2].s : "");
    else if (ncomp)
        apn_diags_add(d, APN_SEV_ERROR, "", "", "no competency named '%s' (apnmap sql \"SELECT slug, "
                      "name FROM competency\" lists them)", name);
    else
        apn_diags_add(d, APN_SEV_ERROR, "", "", "no competency named '%s' (the database has none)", name);
    return APN_ENOTFOUND;
}

/* ---- the contract listings ---------------------------------------------- */

static const struct listing {
    const char *sql;     /* ?1 = offering or NULL */
    apn_coltype types[6];
} listings[] = {
    [APN_LIST_STATS] = {
        "SELECT competency, offering, prefix, n FROM v_prefix_counts "
        "WHERE ?1 IS NULL OR offering = ?1 ORDER BY competency, offering, prefix",
        { APN_COL_TEXT, APN_COL_TEXT, APN_COL_TEXT, APN_COL_INT } },
    [APN_LIST_OVERLAP] = {
        "SELECT offering, a, b, shared, union_size, jaccard FROM v_overlap "
        "WHERE ?1 IS NULL OR offering = ?1 ORDER BY offering, a, b",
        { APN_COL_TEXT, APN_COL_TEXT, APN_COL_TEXT, APN_COL_INT, APN_COL_INT, APN_COL_REAL } },
    /* rank: competition ranking within the offering (equal n share a rank) */
    [APN_LIST_HARDEST] = {
        "WITH c AS (SELECT competency, offering, count(*) AS n, "
        "  sum(via = 'own') AS own FROM v_offering_requirement "
        "  WHERE ?1 IS NULL OR offering = ?1 GROUP BY competency, offering) "
        "SELECT rank() OVER (PARTITION BY offering ORDER BY n DESC) AS rank, "
        "  competency, offering, n, own, n - own AS via_prerequisites FROM c "
        "ORDER BY offering, n DESC, competency",
        { APN_COL_INT, APN_COL_TEXT, APN_COL_TEXT, APN_COL_INT, APN_COL_INT, APN_COL_INT } },
};

/* v_overlap's rows in the same order without sorting them: when competency
 * ids ascend with their slugs (build assigns them so), the overlap table's key
 * order (offering, a_id, b_id) is the listing's (offering, a, b), and SQLite
 * walks it instead of sorting every row in a temporary b-tree. */
static const char overlap_by_key_sql[] =
    "SELECT o.offering AS offering, a.slug AS a, b.slug AS b, o.shared AS shared, "
    "o.union_size AS union_size, o.jaccard AS jaccard FROM overlap o "
    "JOIN competency a ON a.id = o.a_id JOIN competency b ON b.id = o.b_id "
    "WHERE ?1 IS NULL OR o.offering = ?1 ORDER BY o.offering, o.a_id, o.b_id";

/* 1 when slugs ascend with ids (BINARY order, as ORDER BY compares them). */
static int slugs_follow_ids(apn_db *db)
{
    sqlite3_stmt *st = NULL;
    int yes = 0;
    if (sqlite3_prepare_v2(db->h,
                           "SELECT count(*) FROM (SELECT slug, lag(slug) OVER (ORDER BY id) AS prev "
                           "FROM competency) WHERE prev >= slug",
                           -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        yes = sqlite3_column_int64(st, 0) == 0;
    sqlite3_finalize(st);
    return yes;
}

static const char *listing_sql(apn_db *db, apn_db_listing which)
{
    if (which == APN_LIST_OVERLAP && slugs_follow_ids(db))
        return overlap_by_key_sql;
    return listings[which].sql;
}

int apn_db_stats(apn_table **out, apn_db *db, const char *offering, apn_diags *d)
{
    return apn_db__query(out, db, listings[APN_LIST_STATS].sql, listings[APN_LIST_STATS].types,
                         offering, d);
}

int apn_db_overlap(apn_table **out, apn_db *db, const char *offering, apn_diags *d)
{
    return apn_db__query(out, db, listing_sql(db, APN_LIST_OVERLAP),
                         listings[APN_LIST_OVERLAP].types, offering, d);
}

int apn_db_hardest(apn_table **out, apn_db *db, const char *offering, apn_diags *d)
{
    return apn_db__query(out, db, listings[APN_LIST_HARDEST].sql, listings[APN_LIST_HARDEST].types,
                         offering, d);
}

/* The stats and overlap listings as their tables store them: competency ids,
 * not slugs. With the slugs in memory (slugmap) a row costs no competency
 * lookup, which was a third of overlap's time. Used when slugs follow ids: the
 * tables' key order is then the listing's order (as overlap_by_key_sql). */
static const struct by_ids {
    const char *sql;               /* NULL: the listing has no such form */
    const char *names[6];          /* the listing's column names */
    apn_coltype read[6];           /* the accessor of each SQL column */
    unsigned ids;                  /* bit c: column c is an id, shown as its slug */
} by_ids[] = {
    [APN_LIST_STATS] = {
        "SELECT competency_id, offering, prefix, n FROM prefix_count "
        "WHERE ?1 IS NULL OR offering = ?1 ORDER BY competency_id, offering, prefix",
        { "competency", "offering", "prefix", "n" },
        { APN_COL_INT, APN_COL_TEXT, APN_COL_TEXT, APN_COL_INT }, 1u },
    [APN_LIST_OVERLAP] = {
        "SELECT offering, a_id, b_id, shared, union_size, jaccard FROM overlap "
        "WHERE ?1 IS NULL OR offering = ?1 ORDER BY offering, a_id, b_id",
        { "offering", "a", "b", "shared", "union_size", "jaccard" },
        { APN_COL_TEXT, APN_COL_INT, APN_COL_INT, APN_COL_INT, APN_COL_INT, APN_COL_REAL }, 6u },
    [APN_LIST_HARDEST] = { NULL, { NULL }, { APN_COL_TEXT }, 0 },
};

/* Every competency's id and slug, ids ascending (owned: slugmap_dispose). */
typedef struct slugmap {
    long long *id;
    char **slug;
    size_t n;
    int ascending;    /* slugs ascend with ids, BINARY order (as slugs_follow_ids) */
} slugmap;

static void slugmap_dispose(slugmap *m)
{
    for (size_t i = 0; i < m->n; i++)
        apn_free(m->slug[i]);
    apn_free(m->id);
    apn_free(m->slug);
    memset(m, 0, sizeof *m);
}

static int slugmap_load(slugmap *m, apn_db *db, apn_diags *d)
{
    sqlite3_stmt *st = NULL;
    size_t cap = 0, cap2 = 0;
    int rc, err = 0;
    memset(m, 0, sizeof *m);
    m->ascending = 1;
    if ((rc = sqlite3_prepare_v2(db->h, "SELECT id, slug FROM competency ORDER BY id", -1, &st,
                                 NULL)) != SQLITE_OK)
        return apn_db__fail(db, d, rc);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *slug = (const char *)sqlite3_column_text(st, 1);
        size_t len = (size_t)sqlite3_column_bytes(st, 1);
        if (!slug && sqlite3_column_type(st, 1) == SQLITE_NULL) {
            /* slug is NOT NULL in apnmap's schema: a database that says otherwise is not one */
            apn_diags_add(d, APN_SEV_ERROR, db->path, "", "competency %lld has no slug (not a database apnmap wrote)",
                          (long long)sqlite3_column_int64(st, 0));
            err = APN_EDB;
            goto cleanup;
        }
        if (!slug || apn_grow(&m->id, &cap, m->n + 1, sizeof *m->id) < 0 ||
            apn_grow(&m->slug, &cap2, m->n + 1, sizeof *m->slug) < 0 ||
            !(m->slug[m->n] = apn_strndup(slug, len))) {
            err = APN_ENOMEM;   /* not NULL, so no memory for its text */
            goto cleanup;
        }
        m->id[m->n] = sqlite3_column_int64(st, 0);
        if (m->n) {
            /* SQLite's BINARY collation: memcmp, then the shorter first */
            const char *prev = m->slug[m->n - 1];
            size_t pl = strlen(prev), ml = pl < len ? pl : len;
            int c = memcmp(prev, slug, ml);
            if (c > 0 || (c == 0 && pl >= len))
                m->ascending = 0;
        }
        m->n++;
    }
    if (rc != SQLITE_DONE)
        err = apn_db__fail(db, d, rc);
cleanup:
    sqlite3_finalize(st);
    if (err < 0)
        slugmap_dispose(m);
    return err;
}

/* The slug of competency id (borrowed), or NULL when there is none. *hint is
 * where the previous lookup of the column found its id: rows come by (a_id,
 * b_id), so a repeats and b moves one entry on, and both are tried first. */
static const char *slugmap_find(const slugmap *m, long long id, size_t *hint)
{
    size_t h = *hint;
    if (h < m->n && m->id[h] == id)
        return m->slug[h];
    if (h + 1 < m->n && m->id[h + 1] == id) {
        *hint = h + 1;
        return m->slug[h + 1];
    }
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->id[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < m->n && m->id[lo] == id) {
        *hint = lo;
        return m->slug[lo];
    }
    return NULL;
}

/* A listing row by row: the statement, and what turns its columns into the
 * listing's cells (ids into slugs when the by-ids form is used). */
struct apn_db_cursor {
    apn_db *db;
    apn_diags *d;
    sqlite3_stmt *st;
    slugmap sm;
    size_t hint[6];
    size_t ncols;
    const char *names[6];
    const apn_coltype *types;   /* the listing's */
    const apn_coltype *read;    /* the accessor of each SQL column */
    unsigned ids;               /* bit c: column c is an id, shown as its slug */
    apn_tcell cells[6];
};

int apn_db__listing_open(apn_db_cursor **out, apn_db *db, apn_db_listing which, const char *offering,
                         apn_diags *d)
{
    apn_db_cursor *c;
    int err, rc;
    *out = NULL;
    if ((unsigned)which >= sizeof listings / sizeof *listings)
        return APN_EUSAGE;
    if (!(c = apn_calloc(1, sizeof *c)))
        return APN_ENOMEM;
    const struct listing *l = &listings[which];
    const struct by_ids *bi = &by_ids[which];
    const char *sql = l->sql;
    c->db = db;
    c->d = d;
    c->types = l->types;
    c->read = l->types;
    if (bi->sql) {
        if ((err = slugmap_load(&c->sm, db, d)) < 0) {
            apn_free(c);
            return err;
        }
        if (c->sm.ascending) {
            sql = bi->sql;
            c->read = bi->read;
            c->ids = bi->ids;
        }
    }
    if ((rc = sqlite3_prepare_v2(db->h, sql, -1, &c->st, NULL)) != SQLITE_OK) {
        apn_db__cursor_free(c);
        return apn_db__fail(db, d, rc);
    }
    if (offering)
        sqlite3_bind_text(c->st, 1, offering, -1, SQLITE_STATIC);
    c->ncols = (size_t)sqlite3_column_count(c->st);
    for (size_t k = 0; k < c->ncols; k++)
        c->names[k] = c->ids ? bi->names[k] : sqlite3_column_name(c->st, (int)k);
    *out = c;
    return 0;
}

size_t apn_db__cursor_ncols(const apn_db_cursor *c) { return c->ncols; }
const char *const *apn_db__cursor_names(const apn_db_cursor *c) { return c->names; }
const apn_coltype *apn_db__cursor_types(const apn_db_cursor *c) { return c->types; }

int apn_db__cursor_next(apn_db_cursor *c, const apn_tcell **row)
{
    int rc;
    *row = NULL;
    while ((rc = sqlite3_step(c->st)) == SQLITE_ROW) {
        /* only the accessor the column's type reads: sqlite3_column_text on a
         * number formats it (%!.15g), which was most of a listing's time.
         * One sqlite3_column_value per cell, not a type call and then an
         * accessor: the handle has no mutex (apn_db_open), so its values may
         * be read as they are (SQLite's "unprotected" values). */
        size_t k;
        for (k = 0; k < c->ncols; k++) {
            apn_tcell *x = &c->cells[k];
            sqlite3_value *v = sqlite3_column_value(c->st, (int)k);
            memset(x, 0, sizeof *x);
            if ((x->null = sqlite3_value_type(v) == SQLITE_NULL))
                continue;
            if (c->read[k] == APN_COL_INT || c->read[k] == APN_COL_BOOL)
                x->i = sqlite3_value_int64(v);
            else if (c->read[k] == APN_COL_REAL)
                x->r = sqlite3_value_double(v);
            else if (!(x->s = (const char *)sqlite3_value_text(v)))
                break;   /* not NULL, so no memory for its text */
        }
        if (k < c->ncols) {
            rc = SQLITE_NOMEM;
            break;
        }
        /* ids into slugs; a row whose competency does not exist is not in
         * the views (inner joins) */
        for (k = 0; c->ids && k < c->ncols; k++)
            if ((c->ids >> k & 1u) &&
                (c->cells[k].null || !(c->cells[k].s = slugmap_find(&c->sm, c->cells[k].i, &c->hint[k]))))
                break;
        if (c->ids && k < c->ncols)
            continue;
        *row = c->cells;
        return 1;
    }
    return rc == SQLITE_DONE ? 0 : apn_db__fail(c->db, c->d, rc);
}

void apn_db__cursor_free(apn_db_cursor *c)
{
    if (!c)
        return;
    sqlite3_finalize(c->st);
    slugmap_dispose(&c->sm);
    apn_free(c);
}

int apn_db_listing_write(apn_db *db, apn_db_listing which, const char *offering, FILE *f,
                         apn_format fmt, apn_diags *d)
{
    apn_db_cursor *c = NULL;
    const apn_tcell *row;
    apn_rowout w;
    int err, more;
    if ((unsigned)which >= sizeof listings / sizeof *listings || fmt == APN_FMT_TABLE)
        return APN_EUSAGE;
    if ((err = apn_db__listing_open(&c, db, which, offering, d)) < 0)
        return err;
    apn_rowout_begin(&w, f, fmt, c->ncols, c->names, c->types);
    while ((more = apn_db__cursor_next(c, &row)) > 0)
        apn_rowout_row(&w, row);
    err = apn_rowout_end(&w);
    if (more < 0)
        err = more;
    apn_db__cursor_free(c);
    return err;
}

int apn_db_partial(apn_table **out, apn_db *db, const char *offering, apn_diags *d)
{
    static const apn_coltype t[] = { APN_COL_TEXT, APN_COL_TEXT };
    return apn_db__query(out, db,
                         "SELECT c.slug AS competency, o.offering FROM offering_checklist o "
                         "JOIN competency c ON c.id = o.competency_id "
                         "WHERE o.partial AND (?1 IS NULL OR o.offering = ?1) ORDER BY 1, 2",
                         t, offering, d);
}
