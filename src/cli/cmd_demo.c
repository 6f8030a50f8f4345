/* cmd_demo — `apnmap demo [-o DIR]`: build the bundled corpus and write what it shows.
 *
 * Finds the corpus (--corpus, else relative to the executable: build/apnmap ->
 * ../data/corpus, build/san/apnmap -> ../../data/corpus, and where `make install`
 * puts it, PREFIX/bin/apnmap -> ../share/apnmap/corpus), builds it into DIR/apnmap.db with apn_build, writes the
 * stats, overlap and hardest tables and the checklists' coverage as CSV into DIR,
 * then the report (apn_report_write: see write_report), and prints what it made
 * and where to look.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"

/* A folder holding the corpus's manifest.csv. */
static int is_corpus(const char *dir)
{
    char p[PATH_MAX];
    struct stat st;
    if (snprintf(p, sizeof p, "%s/manifest.csv", dir) >= (int)sizeof p)
        return 0;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Locates the corpus relative to the executable (a checkout's build folder, or an
 * installed PREFIX/bin); returns 0 and fills out, or -1 with the places tried in
 * tried. */
static int find_corpus(char *out, size_t n, char *tried, size_t tn)
{
    tried[0] = 0;
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return -1;
    exe[len] = 0;
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = 0;
    static const char *const rel[] = { "../data/corpus", "../../data/corpus", "data/corpus",
                                       "../share/apnmap/corpus" };
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        char cand[PATH_MAX];
        if (snprintf(cand, sizeof cand, "%s/%s", exe, rel[i]) >= (int)sizeof cand)
            continue;
        if (is_corpus(cand)) {
            /* Shown to the user and in every diagnostic: relative to the current
             * folder when the corpus is under it (data/corpus), else absolute. */
            char abs[PATH_MAX], cwd[PATH_MAX];
            size_t cl;
            if (!realpath(cand, abs))
                snprintf(abs, sizeof abs, "%s", cand);
            if (getcwd(cwd, sizeof cwd) && (cl = strlen(cwd)) > 1 && !strncmp(abs, cwd, cl) &&
                abs[cl] == '/')
                snprintf(out, n, "%s", abs + cl + 1);
            else
                snprintf(out, n, "%s", abs);
            return 0;
        }
        size_t used = strlen(tried);
        snprintf(tried + used, tn - used, "%s%s", used ? ", " : "", cand);
    }
    return -1;
}

/* The README beside the corpus folder (data/corpus -> data/README.md; installed,
 * PREFIX/share/apnmap/README.md): it says what in the corpus is reconstructed. */
static void readme_beside(char *out, size_t n, const char *corpus)
{
    size_t len = strlen(corpus);
    while (len > 1 && corpus[len - 1] == '/')
        len--;
    while (len > 0 && corpus[len - 1] != '/')
        len--;
    snprintf(out, n, "%.*sREADME.md", (int)len, corpus);
}

static int mkdirs(const char *dir)
{
    char p[PATH_MAX];
    if (snprintf(p, sizeof p, "%s", dir) >= (int)sizeof p)
        return -1;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = 0;
        if (mkdir(p, 0755) < 0 && errno != EEXIST)
            return -1;
        *s = '/';
    }
    return mkdir(p, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

typedef int (*listing_fn)(apn_table **out, apn_db *db, const char *offering, apn_diags *d);

/* Writes t to DIR/NAME.csv; *rows receives its row count. */
static int save_csv(const apn_table *t, const char *dir, const char *name, size_t *rows)
{
    char path[PATH_MAX];
    int rc = CLI_OK;
    snprintf(path, sizeof path, "%s/%s.csv", dir, name);
    FILE *f = fopen(path, "w");
    if (!f || apn_table_write(t, f, APN_FMT_CSV) < 0)
        rc = CLI_IO;
    if (f && fclose(f) != 0)
        rc = CLI_IO;
    if (rc)
        cli_error("%s: %s", path, strerror(errno));
    *rows = apn_table_nrows(t);
    return rc;
}

/* Writes one listing of every offering to DIR/NAME.csv. */
static int write_csv(apn_db *db, const char *dir, const char *name, listing_fn fn, size_t *rows)
{
    apn_table *t = NULL;
    apn_diags d = APN_DIAGS_INIT;
    int err = fn(&t, db, NULL, &d), rc;
    if (err < 0)
        rc = cli_fail(&d, err, name);
    else
        rc = save_csv(t, dir, name, rows);
    apn_diags_dispose(&d);
    apn_table_free(t);
    return rc;
}

/* Writes DIR/checklists.csv: every checklist with its coverage, so that a reader
 * of the tables can tell a partial checklist (few known requirements) from an
 * easy one. */
static int write_checklists(apn_db *db, const char *dir, size_t *rows)
{
    apn_table *t = NULL;
    apn_diags d = APN_DIAGS_INIT;
    int err = apn_db_sql(&t, db,
                         "SELECT k.name AS checklist, k.programme, c.slug AS competency, k.track,"
                         " k.variant, k.validity, k.coverage FROM checklist k"
                         " LEFT JOIN competency c ON c.id = k.competency_id ORDER BY k.name, k.validity",
                         NULL, &d);
    int rc;
    if (err < 0)
        rc = cli_fail(&d, err, "checklists");
    else
        rc = save_csv(t, dir, "checklists", rows);
    apn_diags_dispose(&d);
    apn_table_free(t);
    return rc;
}

/* ISSUE 4 — the single call site of the report engine (apn_report_write,
 * <apnmap/report.h>). It writes DIR/index.html, the charts and every table as
 * CSV and JSON. When it cannot run here (no gnuplot, no embedded cytoscape.js:
 * APN_ENOTFOUND) the demo still stands on the CSV tables written before it, and
 * says why; any other failure is an error. */
static int write_report(const char *dir, apn_db *db, int *made_index)
{
    apn_report_opts ro = APN_REPORT_OPTS_INIT;
    apn_diags d = APN_DIAGS_INIT;
    *made_index = 0;
    int err = apn_report_write(dir, db, &ro, &d);
    if (err == APN_ENOTFOUND) {
        cli_print_diags(&d, stderr);
        cli_error("%s: no report (see above); the CSV tables are written", dir);
        err = 0;
    } else if (err < 0) {
        cli_print_diags(&d, stderr);
    } else {
        *made_index = 1;
    }
    apn_diags_dispose(&d);
    return err;
}

/* Copies the errors and warnings of src into dst (notes are counted, not printed:
 * a whole corpus gives many "worded differently" notes). */
static size_t keep_serious(apn_diags *dst, const apn_diags *src)
{
    size_t notes = 0;
    for (size_t i = 0; i < src->n; i++) {
        const apn_diag *x = &src->v[i];
        if (x->severity == APN_SEV_NOTE)
            notes++;
        else
            apn_diags_add(dst, x->severity, x->path, x->locus, "%s", x->message);
    }
    return notes;
}

static long long count_of(apn_db *db, const char *sql)
{
    apn_table *t = NULL;
    apn_diags d = APN_DIAGS_INIT;
    long long n = -1;
    if (apn_db_sql(&t, db, sql, NULL, &d) == 0 && apn_table_nrows(t) == 1 && !apn_table_is_null(t, 0, 0))
        n = apn_table_int(t, 0, 0);
    apn_diags_dispose(&d);
    apn_table_free(t);
    return n;
}

int cmd_demo(int argc, char **argv)
{
    const char *dir = "out/demo", *corpus_opt = NULL;
    int quiet = 0;
    const opt opts[] = {
        CLI_STR('o', "output", "DIR", dir, "folder for the database and tables (default out/demo)"),
        CLI_STR(0, "corpus", "DIR", corpus_opt, "corpus folder (default: data/corpus beside the executable)"),
        CLI_FLAG('q', "quiet", quiet, "print errors only"),
        { 0 } };
    const cmd_spec spec = {
        "demo", "[-o DIR] [--corpus DIR]",
        "build the bundled corpus and write what it shows (make demo)",
        "Builds the bundled corpus (the whole Competency Program, reconstructed from\n"
        "public data) into DIR/apnmap.db and writes what it shows into DIR:\n"
        "DIR/apnmap.db, DIR/stats.csv, DIR/overlap.csv and DIR/hardest.csv\n"
        "(every offering), DIR/checklists.csv (each checklist's coverage) and the\n"
        "report (DIR/index.html, charts, every table as CSV and JSON). The\n"
        "corpus is found with --corpus, else relative to the executable: in a checkout\n"
        "(build/apnmap -> ../data/corpus) or where make install put it\n"
        "(PREFIX/bin/apnmap -> PREFIX/share/apnmap/corpus). data/README.md (installed\n"
        "as PREFIX/share/apnmap/README.md) says what in the corpus is real,\n"
        "reconstructed or unknown.\n",
        opts, 0, 0 };
    int first = cli_parse(&spec, argc, argv);
    if (first < 0)
        return first == -1 ? CLI_OK : CLI_USAGE;

    char corpus[PATH_MAX], tried[4 * PATH_MAX], db_path[PATH_MAX];
    if (corpus_opt) {
        if (!is_corpus(corpus_opt)) {
            cli_error("%s: not a corpus folder (no manifest.csv)", corpus_opt);
            return CLI_DATA;
        }
        snprintf(corpus, sizeof corpus, "%s", corpus_opt);
    } else if (find_corpus(corpus, sizeof corpus, tried, sizeof tried) < 0) {
        cli_error("the bundled corpus was not found (looked in %s); give --corpus DIR",
                  *tried ? tried : "no place: /proc/self/exe unreadable");
        return CLI_DATA;
    }
    if (snprintf(db_path, sizeof db_path, "%s/apnmap.db", dir) >= (int)sizeof db_path) {
        cli_error("%s: path too long", dir);
        return CLI_USAGE;
    }
    if (mkdirs(dir) < 0) {
        cli_error("%s: %s", dir, strerror(errno));
        return CLI_IO;
    }

    apn_diags diags = APN_DIAGS_INIT, shown = APN_DIAGS_INIT;
    apn_db *db = NULL;
    int rc = CLI_OK, made_index = 0, orc;
    size_t n_stats = 0, n_overlap = 0, n_hardest = 0, n_checklists = 0;
    const char *paths[] = { corpus };
    apn_build_opts bo = { 0 };
    bo.paths = paths;
    bo.npaths = 1;
    bo.out_db = db_path;
    apn_build_summary sum;
    int err = apn_build(&sum, &bo, &diags);
    size_t notes = keep_serious(&shown, &diags);
    if (!quiet || shown.nerr)
        cli_print_diags(&shown, stderr);
    if (err < 0) {
        cli_error("%s: not written: %s", db_path, apn_strerror(err));
        rc = cli_exit_for(err) == CLI_USAGE ? CLI_USAGE : CLI_IO;
        goto cleanup;
    }
    if (diags.nerr)
        rc = CLI_DATA;    /* keep going: the database holds everything that was good */
    if ((orc = cli_open_db(&db, db_path))) {
        rc = orc;
        goto cleanup;
    }
    if ((orc = write_csv(db, dir, "stats", apn_db_stats, &n_stats)) ||
        (orc = write_csv(db, dir, "overlap", apn_db_overlap, &n_overlap)) ||
        (orc = write_csv(db, dir, "hardest", apn_db_hardest, &n_hardest)) ||
        (orc = write_checklists(db, dir, &n_checklists))) {
        rc = orc;
        goto cleanup;
    }
    if ((err = write_report(dir, db, &made_index)) < 0) {
        cli_error("%s: report: %s", dir, apn_strerror(err));
        rc = cli_exit_for(err);
        goto cleanup;
    }
    if (!quiet) {
        long long partial = count_of(db, "SELECT count(*) FROM checklist WHERE coverage = 'partial'");
        printf("apnmap demo: built %s\n"
               "  %zu documents, %zu checklists, %zu competencies, %zu requirements"
               " (%zu errors, %zu warnings, %zu notes)\n\n",
               corpus, sum.documents, sum.checklists, sum.competencies, sum.requirements,
               diags.nerr, diags.nwarn, notes);
        printf("wrote, in %s/:\n"
               "  apnmap.db        the database (any SQLite tool reads it; schema in docs/schema.md)\n"
               "  stats.csv        %5zu rows: requirements per competency, offering and ID prefix\n"
               "  overlap.csv      %5zu rows: shared requirements of every pair, per offering\n"
               "  hardest.csv      %5zu rows: competencies ranked by requirements, prerequisites included\n"
               "  checklists.csv   %5zu rows: every checklist and its coverage (complete or partial)\n",
               dir, n_stats, n_overlap, n_hardest, n_checklists);
        if (made_index)
            printf("  index.html       the report: open it in a browser\n");
        printf("\nlook next:\n"
               "  apnmap hardest --db %s --offering services\n"
               "  apnmap stats --db %s --offering saas\n", db_path, db_path);
        char readme[PATH_MAX + 16];
        readme_beside(readme, sizeof readme, corpus);
        if (partial > 0)
            printf("\nThe corpus is reconstructed from public data: %lld checklists are partial (only\n"
                   "some of their requirements are known: see checklists.csv), so they look\n"
                   "cheaper than they are.\n"
                   "Services checklists show no IAM: the recovered common sections carry none.\n"
                   "See %s.\n", partial, readme);
    }
cleanup:
    apn_db_free(db);
    apn_diags_dispose(&shown);
    apn_diags_dispose(&diags);
    return rc;
}
