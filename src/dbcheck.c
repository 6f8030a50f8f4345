/* dbcheck — the contract check of a database apnmap is asked to read. See dbcheck.h. */
#include "dbcheck.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dbint.h"
#include "util/alloc.h"
#include "util/buf.h"

/* The tables whose every value is checked: they grow with the inputs (documents,
 * competencies, checklists, requirement IDs, prerequisite edges), not with
 * products of them as offering_requirement, prefix_count and overlap do. */
static const char *const checked_tables[] = {
    "meta", "document", "competency", "alias", "checklist", "requirement", "prerequisite",
    "offering_checklist", NULL
};

typedef struct col {
    char *name, *type;
    int notnull, hidden;
} col;

typedef struct cols {
    col *v;
    size_t n, cap;
} cols;

static void cols_dispose(cols *c)
{
    for (size_t i = 0; i < c->n; i++) {
        apn_free(c->v[i].name);
        apn_free(c->v[i].type);
    }
    apn_free(c->v);
    memset(c, 0, sizeof *c);
}

typedef struct check {
    sqlite3 *h, *ref;      /* the file; the schema apnmap writes, in memory */
    const char *path;
    apn_diags *d;
} check;

/* "broken apnmap database: ..." (or the words given), once, as the error. */
static int say(check *k, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int say(check *k, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    apn_diags_add(k->d, APN_SEV_ERROR, k->path, "", "%s", msg);
    return APN_EDB;
}

/* SQLite refused a statement of the check: the file is not SQLite, is
 * damaged, or the check ran past its limit. */
static int sqlite_fail(check *k, sqlite3 *h, int rc)
{
    int err = apn_db__rc(rc);
    if (err == APN_ENOMEM)
        return err;
    if (err == APN_ELIMIT) {
        say(k, "checking the database ran past its time limit and was stopped");
        return err;
    }
    if (h == k->ref)   /* the embedded schema itself: never a fault of the file */
        return say(k, "apnmap's own schema does not load: %s", sqlite3_errmsg(h));
    say(k, "not an apnmap database (%s)", sqlite3_errmsg(h));
    return APN_EDB;
}

static int load_cols(cols *out, check *k, sqlite3 *h, const char *table)
{
    sqlite3_stmt *st = NULL;
    int rc, err = 0;
    memset(out, 0, sizeof *out);
    if ((rc = sqlite3_prepare_v2(h, "SELECT name, type, \"notnull\", hidden FROM pragma_table_xinfo(?1)",
                                 -1, &st, NULL)) != SQLITE_OK)
        return sqlite_fail(k, h, rc);
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *type = (const char *)sqlite3_column_text(st, 1);
        if (apn_grow(&out->v, &out->cap, out->n + 1, sizeof *out->v) < 0) {
            err = APN_ENOMEM;
            break;
        }
        col *c = &out->v[out->n];
        c->name = apn_strdup(name ? name : "");
        c->type = apn_strdup(type ? type : "");
        c->notnull = sqlite3_column_int(st, 2) != 0;
        c->hidden = sqlite3_column_int(st, 3);
        if (!c->name || !c->type) {
            apn_free(c->name);
            apn_free(c->type);
            err = APN_ENOMEM;
            break;
        }
        out->n++;
    }
    if (!err && rc != SQLITE_DONE)
        err = sqlite_fail(k, h, rc);
    sqlite3_finalize(st);
    if (err < 0)
        cols_dispose(out);
    return err;
}

static const col *find_col(const cols *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcasecmp(c->v[i].name, name))
            return &c->v[i];
    return NULL;
}

/* The file's object named name: its type ("table", "view", or "" when none)
 * and its CREATE statement, both owned. */
static int object_of(char **type, char **sql, check *k, sqlite3 *h, const char *name)
{
    sqlite3_stmt *st = NULL;
    int rc, err = 0;
    *type = *sql = NULL;
    if ((rc = sqlite3_prepare_v2(h, "SELECT type, sql FROM main.sqlite_schema WHERE type IN "
                                    "('table', 'view') AND name = ?1 COLLATE NOCASE",
                                 -1, &st, NULL)) != SQLITE_OK)
        return sqlite_fail(k, h, rc);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        const char *s = (const char *)sqlite3_column_text(st, 1);
        *type = apn_strdup(t ? t : "");
        *sql = apn_strdup(s ? s : "");
        if (!*type || !*sql)
            err = APN_ENOMEM;
    } else if (rc == SQLITE_DONE) {
        if (!(*type = apn_strdup("")) || !(*sql = apn_strdup("")))
            err = APN_ENOMEM;
    } else {
        err = sqlite_fail(k, h, rc);
    }
    sqlite3_finalize(st);
    if (err < 0) {
        apn_free(*type);
        apn_free(*sql);
        *type = *sql = NULL;
    }
    return err;
}

/* A table of the schema: a plain table with every column of the schema's. */
static int check_table(check *k, const char *name)
{
    char *type = NULL, *sql = NULL;
    cols want = { 0 }, have = { 0 };
    int err;
    if ((err = object_of(&type, &sql, k, k->h, name)) < 0)
        goto cleanup;
    if (!*type) {   /* an older database: the query that needs it will say so */
        if (!strcmp(name, "meta"))
            err = say(k, "not an apnmap database (it has no meta table)");
        goto cleanup;
    }
    if (strcmp(type, "table") || strncasecmp(sql, "CREATE TABLE", 12)) {
        err = say(k, "broken apnmap database: %s is a %s, not a plain table", name,
                  strcmp(type, "table") ? "view" : "virtual table");
        goto cleanup;
    }
    if ((err = load_cols(&want, k, k->ref, name)) < 0 || (err = load_cols(&have, k, k->h, name)) < 0)
        goto cleanup;
    for (size_t i = 0; i < want.n; i++) {
        const col *w = &want.v[i], *c = find_col(&have, w->name);
        if (!c)
            continue;   /* added since: the query that needs it will say so */
        if (c->hidden)
            err = say(k, "broken apnmap database: %s.%s is a generated column", name, w->name);
        else if (strcasecmp(c->type, w->type))
            err = say(k, "broken apnmap database: %s.%s is declared %s, not %s", name, w->name,
                      *c->type ? c->type : "without a type", w->type);
        else if (w->notnull && !c->notnull)
            err = say(k, "broken apnmap database: %s.%s may be NULL (the schema says NOT NULL)",
                      name, w->name);
        if (err < 0)
            break;
    }
cleanup:
    cols_dispose(&want);
    cols_dispose(&have);
    apn_free(type);
    apn_free(sql);
    return err;
}

/* A view of the schema: the schema's own, word for word. */
static int check_view(check *k, const char *name, const char *want_sql)
{
    char *type = NULL, *sql = NULL;
    int err;
    if ((err = object_of(&type, &sql, k, k->h, name)) < 0)
        return err;
    if (*type && (strcmp(type, "view") || strcmp(sql, want_sql)))
        err = say(k, "broken apnmap database: %s is not apnmap's own view (a view is code "
                  "that runs on every read; apnmap runs only its own)", name);
    apn_free(type);
    apn_free(sql);
    return err;
}

/* meta.format is 'apnmap'; meta.schema_version, when there, the schema's. */
static int check_identity(check *k)
{
    sqlite3_stmt *st = NULL;
    int rc, err = 0, version = 0;
    if ((rc = sqlite3_prepare_v2(k->ref, "PRAGMA user_version", -1, &st, NULL)) != SQLITE_OK)
        return sqlite_fail(k, k->ref, rc);
    if ((rc = sqlite3_step(st)) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if (rc != SQLITE_ROW)
        return sqlite_fail(k, k->ref, rc);
    if ((rc = sqlite3_prepare_v2(k->h, "SELECT (SELECT typeof(value) || ':' || "
                                       "CASE WHEN typeof(value) = 'text' THEN value ELSE '' END "
                                       "FROM meta WHERE key = 'format' LIMIT 1), "
                                       "(SELECT CAST(value AS INTEGER) > ?1 FROM meta "
                                       "WHERE key = 'schema_version' LIMIT 1)", -1, &st, NULL)) !=
        SQLITE_OK)
        return sqlite_fail(k, k->h, rc);
    sqlite3_bind_int(st, 1, version);
    if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
        err = sqlite_fail(k, k->h, rc);
        goto cleanup;
    }
    const char *f = (const char *)sqlite3_column_text(st, 0);
    if (!f && sqlite3_errcode(k->h) == SQLITE_NOMEM)
        err = APN_ENOMEM;
    else if (!f)
        err = say(k, "not an apnmap database (meta has no format)");
    else if (strncmp(f, "text:", 5))
        err = say(k, "not an apnmap database (meta.format is %s, not 'apnmap')",
                  !strncmp(f, "null:", 5) ? "NULL" : "not text");
    else if (strcmp(f + 5, "apnmap"))
        err = say(k, "not an apnmap database (meta.format is not 'apnmap')");
    else if (sqlite3_column_int(st, 1))
        err = say(k, "a newer apnmap wrote this database (meta.schema_version is over %d, "
                  "the version this one reads)", version);
cleanup:
    sqlite3_finalize(st);
    return err;
}

/* Every value of a checked table has its column's declared type, and a NOT
 * NULL column holds no NULL: one scan, stopping at the first bad row. */
static int check_values(check *k, const char *table)
{
    cols want = { 0 }, have = { 0 };
    apn_buf q = APN_BUF_INIT;
    sqlite3_stmt *st = NULL;
    int err, rc, nchecked = 0;
    if ((err = load_cols(&want, k, k->ref, table)) < 0 || (err = load_cols(&have, k, k->h, table)) < 0)
        goto cleanup;
    /* only what the file has (an older database lacks what was added since) */
    size_t n = 0;
    for (size_t i = 0; i < want.n; i++) {
        if (find_col(&have, want.v[i].name)) {
            col c = want.v[n];
            want.v[n++] = want.v[i];
            want.v[i] = c;
        }
    }
    for (size_t i = n; i < want.n; i++) {
        apn_free(want.v[i].name);
        apn_free(want.v[i].type);
    }
    want.n = n;
    if (!n)
        goto cleanup;
    apn_buf_puts(&q, "SELECT ");
    for (size_t i = 0; i < want.n; i++)
        apn_buf_printf(&q, "%stypeof(\"%s\")", i ? ", " : "", want.v[i].name);
    apn_buf_printf(&q, " FROM main.\"%s\" WHERE 0", table);
    for (size_t i = 0; i < want.n; i++) {
        const col *c = &want.v[i];
        const char *ok = !strcasecmp(c->type, "TEXT") ? "'text'"
                       : !strcasecmp(c->type, "INTEGER") ? "'integer'"
                       : !strcasecmp(c->type, "REAL") ? "'real', 'integer'" : NULL;
        if (!ok)
            continue;
        apn_buf_printf(&q, " OR typeof(\"%s\") NOT IN (%s%s)", c->name, ok, c->notnull ? "" : ", 'null'");
        nchecked++;
    }
    apn_buf_puts(&q, " LIMIT 1");
    if (q.oom) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    if (!nchecked)
        goto cleanup;
    if ((rc = sqlite3_prepare_v2(k->h, apn_buf_cstr(&q), -1, &st, NULL)) != SQLITE_OK) {
        err = sqlite_fail(k, k->h, rc);
        goto cleanup;
    }
    if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (size_t i = 0; i < want.n; i++) {
            const col *c = &want.v[i];
            const char *t = (const char *)sqlite3_column_text(st, (int)i);
            if (!t) {
                err = APN_ENOMEM;
                break;
            }
            int is_null = !strcmp(t, "null");
            int fits = !strcasecmp(c->type, "TEXT") ? !strcmp(t, "text")
                     : !strcasecmp(c->type, "INTEGER") ? !strcmp(t, "integer")
                     : !strcasecmp(c->type, "REAL") ? !strcmp(t, "real") || !strcmp(t, "integer") : 1;
            if (is_null && c->notnull) {
                err = say(k, "broken apnmap database: %s.%s holds a NULL (the schema says %s NOT NULL)",
                          table, c->name, c->type);
                break;
            }
            if (!is_null && !fits) {
                err = say(k, "broken apnmap database: %s.%s holds %s %s value (the schema says %s)",
                          table, c->name, !strcmp(t, "integer") ? "an" : "a", t, c->type);
                break;
            }
        }
    } else if (rc != SQLITE_DONE) {
        err = sqlite_fail(k, k->h, rc);
    }
cleanup:
    sqlite3_finalize(st);
    apn_buf_dispose(&q);
    cols_dispose(&want);
    cols_dispose(&have);
    return err;
}

/* The schema's tables and views, in the order the schema creates them. */
static int check_objects(check *k)
{
    sqlite3_stmt *st = NULL;
    int rc, err = 0;
    if ((rc = sqlite3_prepare_v2(k->ref, "SELECT type, name, sql FROM sqlite_schema WHERE type IN "
                                         "('table', 'view') AND name <> 'meta' ORDER BY rowid",
                                 -1, &st, NULL)) != SQLITE_OK)
        return sqlite_fail(k, k->ref, rc);
    while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(st, 0);
        const char *name = (const char *)sqlite3_column_text(st, 1);
        const char *sql = (const char *)sqlite3_column_text(st, 2);
        if (!type || !name || !sql)
            err = APN_ENOMEM;
        else
            err = !strcmp(type, "view") ? check_view(k, name, sql) : check_table(k, name);
    }
    if (!err && rc != SQLITE_DONE)
        err = sqlite_fail(k, k->ref, rc);
    sqlite3_finalize(st);
    return err;
}

int apn_db__check(sqlite3 *h, const char *path, apn_diags *d)
{
    check k = { h, NULL, path, d };
    int err, rc;
    if ((rc = sqlite3_open_v2(":memory:", &k.ref, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                              NULL)) != SQLITE_OK) {
        err = k.ref ? sqlite_fail(&k, k.ref, rc) : APN_ENOMEM;
        goto cleanup;
    }
    if ((rc = sqlite3_exec(k.ref, apn__schema_sql, NULL, NULL, NULL)) != SQLITE_OK) {
        err = sqlite_fail(&k, k.ref, rc);
        goto cleanup;
    }
    /* who it is first (a stranger's database is "not an apnmap database"),
     * then its shape, then the values the shape promises */
    if ((err = check_table(&k, "meta")) < 0 || (err = check_identity(&k)) < 0 ||
        (err = check_objects(&k)) < 0)
        goto cleanup;
    for (const char *const *t = checked_tables; *t && !err; t++)
        err = check_values(&k, *t);
cleanup:
    sqlite3_close(k.ref);
    return err;
}
