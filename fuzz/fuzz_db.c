/* fuzz_db — every reader of a database on a hostile one: apn_db_open's contract
 * check, the listings (tables and streams), names, sql, diff, plan and report.
 *
 * The database is a small real one (src/schema.sql and the rows below, made
 * once in memory) changed by the input, then handed over as bytes
 * (apn_db__open_bytes: sqlite3_deserialize, read-only). The first byte picks
 * how the input changes it:
 *   0  values: records [table][column][row][kind][len][len bytes] set one value
 *      (NULL, an integer, a real, text or a blob of the bytes, the row's key
 *      elsewhere) past the NOT NULL constraints, which are put back into the
 *      schema's text afterwards as a hostile writer would (writable_schema);
 *      kinds past those drop a table, replace a view with an endless one, or
 *      make a NOT NULL column nullable in the schema;
 *   1  bytes: records [offset: 3 bytes][byte] patch the database file itself;
 *   2  the rest of the input is the database file.
 * A crash, a leak or an abort (a sanitizer's) is a finding; every error
 * returned is fine.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include <ftw.h>

#include <apnmap/apnmap.h>
#include "dbint.h"
#include "util/alloc.h"

static const char fixture[] =
    "INSERT INTO meta VALUES ('format', 'apnmap'), ('schema_version', '1');"
    "INSERT INTO document (id, path, sha256, format, title, validity) VALUES"
    " (1, 'w.html', 'ab', 'html', 'Widgets', 'August 2025-February 2026'),"
    " (2, 'ftr.xlsx', 'cd', 'xlsx', 'FTR', NULL);"
    "INSERT INTO competency VALUES (1, 'gadgets', 'Gadgets', 'industry'), (2, 'security', 'Security', 'workload'),"
    " (3, 'widgets', 'Widgets', NULL);"
    "INSERT INTO alias VALUES ('Gizmos', 1), ('Sec', 2);"
    "INSERT INTO checklist (id, name, programme, competency_id, track, variant, validity, coverage,"
    " document_id, release_key, newest) VALUES"
    " (10, 'FTR partner-hosted', 'FTR', NULL, 'software', 'partner-hosted', 'August 2025-February 2026', 'complete', 2, 202508, 1),"
    " (11, 'widgets software', 'Competency', 3, 'software', NULL, 'August 2025-February 2026', 'complete', 1, 202508, 1),"
    " (12, 'gadgets services', 'Competency', 1, 'services', NULL, 'February 2026-August 2026', 'partial', NULL, 202602, 1),"
    " (13, 'security services', 'Competency', 2, 'services', NULL, NULL, NULL, NULL, 0, 1),"
    " (14, 'gadgets services', 'Competency', 1, 'services', NULL, 'August 2025-February 2026', 'complete', NULL, 202508, 0);"
    "INSERT INTO checklist_document VALUES (10, 2), (11, 1);"
    "INSERT INTO requirement (id, prefix, title, description) VALUES ('IAM-001', 'IAM', 'Root user', 'No keys.'),"
    " ('IAM-002', 'IAM', 'MFA', 'Use MFA.'), ('WID-001', 'WID', 'Design', NULL), ('GAD-001', 'GAD', 'Plan', 'A plan.'),"
    " ('SEC-001', 'SEC', 'Threats', 'A model.'), ('ACCT-001', 'ACCT', 'Accounts', NULL);"
    "INSERT INTO checklist_requirement (checklist_id, requirement_id, section, ord, title, description, locus,"
    " customer_example) VALUES"
    " (10, 'IAM-001', 'IAM', 1, 'Root user', 'No keys.', 'ftr.xlsx: Sheet!A3', 0),"
    " (10, 'IAM-002', 'IAM', 2, 'MFA', 'Use MFA.', NULL, 0),"
    " (11, 'WID-001', NULL, 1, 'Design', 'Describe it.', 'w.html: #requirement_WID-001', 0),"
    " (11, 'ACCT-001', NULL, 2, 'Accounts', NULL, NULL, 1),"
    " (12, 'GAD-001', NULL, 1, 'Plan', 'A plan.', NULL, 0), (12, 'ACCT-001', NULL, 2, 'Accounts', NULL, NULL, 1),"
    " (13, 'SEC-001', NULL, 1, 'Threats', 'A model.', NULL, 0), (13, 'ACCT-001', NULL, 2, 'Accounts', NULL, NULL, 1),"
    " (14, 'GAD-001', NULL, 1, 'Plan', 'An old plan.', NULL, 0);"
    "INSERT INTO prerequisite (id, checklist_id, requires_checklist_id, label, text) VALUES"
    " (1, 11, 10, 'FTR', NULL), (2, 12, NULL, 'APN membership', 'Be a partner.');"
    "INSERT INTO assessment_answer VALUES (2, 'IAM-001', 'yes', 'Done.', 'ftr.xlsx: Sheet!C3');"
    "INSERT INTO diagnostic (id, document_id, path, severity, locus, message) VALUES"
    " (1, 1, 'w.html', 'warning', '#x', 'worded differently'), (2, NULL, 'bad.xlsx', 'error', '', 'not a zip');"
    "INSERT INTO offering_checklist VALUES (3, 'saas', 11, 0), (3, 'customer-deployed', 11, 0),"
    " (1, 'services', 12, 1), (2, 'services', 13, 0);"
    "INSERT INTO offering_requirement VALUES"
    " (1, 'services', 'ACCT-001', 12, NULL, 1), (1, 'services', 'GAD-001', 12, NULL, 0),"
    " (2, 'services', 'ACCT-001', 13, NULL, 1), (2, 'services', 'SEC-001', 13, NULL, 0),"
    " (3, 'saas', 'ACCT-001', 11, NULL, 1), (3, 'saas', 'IAM-001', 10, 10, 0), (3, 'saas', 'IAM-002', 10, 10, 0),"
    " (3, 'saas', 'WID-001', 11, NULL, 0), (3, 'customer-deployed', 'WID-001', 11, NULL, 0);"
    "INSERT INTO prefix_count VALUES (1, 'services', 'ACCT', 1), (1, 'services', 'GAD', 1),"
    " (2, 'services', 'ACCT', 1), (2, 'services', 'SEC', 1), (3, 'saas', 'ACCT', 1), (3, 'saas', 'IAM', 2),"
    " (3, 'saas', 'WID', 1), (3, 'customer-deployed', 'WID', 1);"
    "INSERT INTO overlap VALUES ('services', 1, 2, 1, 3, 0.3333);";

static const char *const tables[] = {
    "meta", "document", "competency", "alias", "checklist", "checklist_document", "requirement",
    "checklist_requirement", "prerequisite", "assessment_answer", "diagnostic",
    "offering_checklist", "offering_requirement", "prefix_count", "overlap"
};
#define NTABLES (sizeof tables / sizeof *tables)
static const char *const views[] = { "v_offering_requirement", "v_prefix_counts", "v_overlap" };

static unsigned char *base;      /* the fixture with the schema's constraints relaxed */
static sqlite3_int64 nbase;
static unsigned char *real;      /* the fixture as apnmap writes it */
static sqlite3_int64 nreal;
static apn_db *realdb;
static char tmpdir[64];

static int exec(sqlite3 *h, const char *sql)
{
    return sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* The schema with every NOT NULL spelled as spaces: the same text otherwise. */
static char *relaxed_schema(void)
{
    char *s = strdup(apn__schema_sql), *p = s;
    while (s && (p = strstr(p, "NOT NULL")))
        memcpy(p, "        ", 8);
    return s;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    return remove(path) < 0 ? -1 : 0;
}

static void cleanup(void)
{
    apn_db_free(realdb);
    sqlite3_free(base);
    sqlite3_free(real);
    if (*tmpdir)
        nftw(tmpdir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
}

static void setup(void)
{
    sqlite3 *h = NULL;
    char *schema = relaxed_schema();
    apn_diags d = APN_DIAGS_INIT;
    if (!schema || sqlite3_open(":memory:", &h) != SQLITE_OK || exec(h, schema) || exec(h, fixture) ||
        !(base = sqlite3_serialize(h, "main", &nbase, 0)))
        abort();
    sqlite3_close(h);
    free(schema);
    h = NULL;
    if (sqlite3_open(":memory:", &h) != SQLITE_OK || exec(h, apn__schema_sql) || exec(h, fixture) ||
        !(real = sqlite3_serialize(h, "main", &nreal, 0)))
        abort();
    sqlite3_close(h);
    if (apn_db__open_bytes(&realdb, real, (size_t)nreal, "real.db", &d) < 0)
        abort();   /* the fixture itself must pass the contract check */
    apn_diags_dispose(&d);
    snprintf(tmpdir, sizeof tmpdir, "/tmp/apn-fuzz-db-XXXXXX");
    if (!mkdtemp(tmpdir))
        abort();
    atexit(cleanup);
}

/* A database to change: the relaxed fixture, writable. */
static sqlite3 *writable(const unsigned char *img, sqlite3_int64 n)
{
    sqlite3 *h = NULL;
    unsigned char *copy = sqlite3_malloc64((sqlite3_uint64)n);
    if (!copy || sqlite3_open(":memory:", &h) != SQLITE_OK)
        abort();
    memcpy(copy, img, (size_t)n);
    if (sqlite3_deserialize(h, "main", copy, n, n,
                            SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE) != SQLITE_OK)
        abort();
    return h;
}

static void set_value(sqlite3 *h, const uint8_t *r, size_t len)
{
    const char *t = tables[r[0] % NTABLES];
    char sql[512];
    sqlite3_stmt *st = NULL;
    int ncols = 0;
    snprintf(sql, sizeof sql, "SELECT count(*) FROM pragma_table_info('%s')", t);
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        ncols = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if (ncols <= 0)
        return;
    snprintf(sql, sizeof sql, "SELECT name FROM pragma_table_info('%s') WHERE cid = %d", t, r[1] % ncols);
    char col[64] = "";
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        snprintf(col, sizeof col, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    st = NULL;
    /* WITHOUT ROWID tables have no rowid: pick the row by its place */
    snprintf(sql, sizeof sql, "UPDATE \"%s\" SET \"%s\" = ?1 WHERE \"%s\" IN (SELECT \"%s\" FROM \"%s\" "
             "LIMIT 1 OFFSET %d)", t, col, col, col, t, r[2] % 8);
    if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
        return;
    const uint8_t *p = r + 5;
    long long i = 0;
    for (size_t k = 0; k < len && k < 8; k++)
        i = (long long)((unsigned long long)i << 8 | p[k]);
    switch (r[3] % 6) {
    case 0: sqlite3_bind_null(st, 1); break;
    case 1: sqlite3_bind_int64(st, 1, i); break;
    case 2: sqlite3_bind_double(st, 1, (double)i / 7.0); break;
    case 3: sqlite3_bind_text(st, 1, (const char *)p, (int)len, SQLITE_STATIC); break;
    case 4: sqlite3_bind_blob(st, 1, p, (int)len, SQLITE_STATIC); break;
    default: sqlite3_bind_int64(st, 1, (long long)(r[4] % 20) - 2); break;   /* a near key */
    }
    sqlite3_step(st);
    sqlite3_finalize(st);
}

static void change_schema(sqlite3 *h, const uint8_t *r)
{
    char sql[512];
    switch (r[3] % 3) {
    case 0:
        snprintf(sql, sizeof sql, "DROP TABLE IF EXISTS \"%s\"", tables[r[0] % NTABLES]);
        break;
    case 1:
        snprintf(sql, sizeof sql, "DROP VIEW \"%s\"; CREATE VIEW \"%s\" AS WITH RECURSIVE r(x) AS "
                 "(SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT 'a' AS competency, 'saas' AS "
                 "offering, 'A' AS a, 'B' AS b, 'P' AS prefix, x AS n, 'R' AS requirement_id, 1 AS "
                 "shared, 1 AS union_size, 0.5 AS jaccard, 'own' AS via FROM r", views[r[1] % 3],
                 views[r[1] % 3]);
        break;
    default:   /* the relaxed schema stays: NOT NULL columns that say they may be NULL */
        return;
    }
    exec(h, sql);
}

/* Puts the schema's own text back over every table the fixture relaxed. */
static void restore_schema(sqlite3 *h, int keep_relaxed)
{
    if (keep_relaxed)
        return;
    sqlite3 *ref = NULL;
    sqlite3_stmt *st = NULL, *up = NULL;
    if (sqlite3_open(":memory:", &ref) != SQLITE_OK || exec(ref, apn__schema_sql) ||
        exec(h, "PRAGMA writable_schema = ON") ||
        sqlite3_prepare_v2(ref, "SELECT name, sql FROM sqlite_schema WHERE type = 'table'", -1, &st, NULL) ||
        sqlite3_prepare_v2(h, "UPDATE sqlite_schema SET sql = ?2 WHERE type = 'table' AND name = ?1", -1,
                           &up, NULL))
        abort();
    while (sqlite3_step(st) == SQLITE_ROW) {
        sqlite3_bind_text(up, 1, (const char *)sqlite3_column_text(st, 0), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(up, 2, (const char *)sqlite3_column_text(st, 1), -1, SQLITE_TRANSIENT);
        sqlite3_step(up);
        sqlite3_reset(up);
    }
    sqlite3_finalize(st);
    sqlite3_finalize(up);
    sqlite3_close(ref);
    exec(h, "PRAGMA writable_schema = OFF");
}

static void discard(apn_table *t, apn_diags *d)
{
    apn_table_free(t);
    apn_diags_dispose(d);
    *d = (apn_diags)APN_DIAGS_INIT;
}

static void readers(apn_db *db)
{
    apn_diags d = APN_DIAGS_INIT;
    apn_table *t = NULL;
    FILE *null = fopen("/dev/null", "w");
    int (*listing[])(apn_table **, apn_db *, const char *, apn_diags *) = {
        apn_db_stats, apn_db_overlap, apn_db_hardest, apn_db_partial };
    const char *offering[] = { NULL, "services", "saas" };
    for (int l = 0; l < 4; l++)
        for (int o = 0; o < 3; o++) {
            if (listing[l](&t, db, offering[o], &d) == 0 && null)
                apn_table_write(t, null, APN_FMT_JSON);
            discard(t, &d);
            t = NULL;
        }
    for (int l = APN_LIST_STATS; null && l <= APN_LIST_HARDEST; l++)
        for (int f = APN_FMT_CSV; f <= APN_FMT_JSON; f++) {
            apn_db_listing_write(db, (apn_db_listing)l, NULL, null, (apn_format)f, &d);
            discard(NULL, &d);
        }
    char *slug = NULL;
    const char *names[] = { "security", "Gizmos", "widgetz" };
    for (int i = 0; i < 3; i++) {
        apn_db_competency(&slug, db, names[i], &d);
        apn_free(slug);
        slug = NULL;
        discard(NULL, &d);
    }
    apn_db_sql_opts so = { 1.0, 100 };
    if (apn_db_sql(&t, db, "SELECT * FROM checklist", &so, &d) == 0 && null)
        apn_table_write(t, null, APN_FMT_TABLE);
    discard(t, &d);
    t = NULL;
    if (null)
        apn_db_sql_write(db, "SELECT * FROM competency JOIN alias", &so, null, APN_FMT_JSON, &d);
    discard(NULL, &d);
    const char *have[] = { "widgets" };
    apn_diff(&t, realdb, db, NULL, 0, &d);
    discard(t, &d);
    t = NULL;
    apn_diff(&t, db, db, have, 1, &d);
    discard(t, &d);
    t = NULL;
    apn_plan *plan = NULL;
    apn_plan_opts po;
    memset(&po, 0, sizeof po);
    po.mode = APN_PLAN_NEXT;
    po.n = 2;
    po.have = have;
    po.nhave = 1;
    if (apn_plan_run(&plan, db, &po, &d) == 0 && null)
        apn_plan_write(plan, null, APN_FMT_CSV);
    apn_plan_free(plan);
    discard(NULL, &d);
    po.mode = APN_PLAN_PAIRS;
    po.offering = "services";
    plan = NULL;
    apn_plan_run(&plan, db, &po, &d);
    apn_plan_free(plan);
    discard(NULL, &d);
    /* "true" for gnuplot: the charts' data is made, no gnuplot runs */
    apn_report_opts ro = APN_REPORT_OPTS_INIT;
    ro.gnuplot = "true";
    apn_report_write(tmpdir, db, &ro, &d);
    discard(NULL, &d);
    if (null)
        fclose(null);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!base)
        setup();
    if (!size || size > 1 << 16)
        return 0;
    unsigned char *img = NULL;
    sqlite3_int64 nimg = 0;
    int mode = data[0] % 3, relaxed = 0;
    if (mode == 0) {
        sqlite3 *h = writable(base, nbase);
        for (size_t i = 1; i + 5 <= size;) {
            const uint8_t *r = data + i;
            size_t len = r[4] % 32;
            if (i + 5 + len > size)
                len = size - i - 5;
            if (r[3] >= 240) {
                change_schema(h, r);
                relaxed |= r[3] % 3 == 2;
            } else {
                set_value(h, r, len);
            }
            i += 5 + len;
        }
        restore_schema(h, relaxed);
        img = sqlite3_serialize(h, "main", &nimg, 0);
        sqlite3_close(h);
    } else if (mode == 1) {
        if (!(img = sqlite3_malloc64((sqlite3_uint64)nreal)))
            abort();
        memcpy(img, real, (size_t)nreal);
        nimg = nreal;
        for (size_t i = 1; i + 4 <= size; i += 4)
            img[((size_t)data[i] << 16 | (size_t)data[i + 1] << 8 | data[i + 2]) % (size_t)nimg] = data[i + 3];
    } else {
        if (!(img = sqlite3_malloc64(size - 1 ? size - 1 : 1)))
            abort();
        memcpy(img, data + 1, size - 1);
        nimg = (sqlite3_int64)(size - 1);
    }
    if (img) {
        apn_db *db = NULL;
        apn_diags d = APN_DIAGS_INIT;
        int err = apn_db__open_bytes(&db, img, (size_t)nimg, "fuzz.db", &d);
        if (getenv("FUZZ_DB_VERBOSE"))   /* what a seed reaches: opened, or why not */
            fprintf(stderr, "open: %d %s\n", err, d.n ? d.v[0].message : "");
        if (err == 0)
            readers(db);
        apn_db_free(db);
        apn_diags_dispose(&d);
        sqlite3_free(img);
    }
    return 0;
}
