/* cli — option parsing, help, the manual page and completion from one option
 * table per command, messages and shared helpers of the CLI. See cli.h.
 *
 * Sections: 1. messages, 2. suggestions, 3. values (numbers, sizes, lists),
 * 4. help and the manual page, 5. completion, 6. the parser, 7. helpers.
 */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* ==== 1. messages ========================================================= */

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("apnmap: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_usage(const cmd_spec *spec, const char *fmt, ...)
{
    va_list ap;
    fputs("apnmap: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: apnmap %s %s\nsee 'apnmap help %s'\n", spec->name, spec->usage,
            spec->name);
    return CLI_USAGE;
}

/* ==== 2. suggestions ====================================================== */

const char *cli_suggest(const char *word, const char *const *cands, size_t n)
{
    const char *best = NULL;
    size_t bd = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        if (!cands[i] || !apn_suggest_close(word, cands[i]))
            continue;
        size_t d = apn_suggest_distance(word, cands[i]);
        if (d < bd)
            bd = d, best = cands[i];
    }
    return best;
}

/* ==== 3. values ============================================================ */

void cli_list_dispose(cli_list *l)
{
    if (!l)
        return;
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* Splits s at commas in place and appends the trimmed, non-empty items. */
static int list_add(cli_list *l, char *s)
{
    size_t more = 1;
    for (const char *p = s; *p; p++)
        more += *p == ',';
    char **v = realloc(l->v, (l->n + more) * sizeof *v);
    if (!v)
        return -1;
    l->v = v;
    for (char *save = NULL, *tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ' || *tok == '\t')
            tok++;
        char *e = tok + strlen(tok);
        while (e > tok && (e[-1] == ' ' || e[-1] == '\t'))
            *--e = 0;
        if (*tok)
            l->v[l->n++] = tok;
    }
    return 0;
}

/* "a whole number from 1 to 64", "a number greater than 0", ... */
static void describe(char *buf, size_t n, const opt *o)
{
    const char *what = o->kind == OPT_INT ? "a whole number" : o->kind == OPT_SIZE ? "a size in bytes (K, M, G suffixes)" : "a number";
    char lo[32], hi[32];
    snprintf(lo, sizeof lo, "%.15g", o->min);
    snprintf(hi, sizeof hi, "%.15g", o->max);
    if (o->above)
        snprintf(buf, n, "%s greater than %s%s%s", what, lo, o->max > o->min ? " and at most " : "",
                 o->max > o->min ? hi : "");
    else if (o->max > o->min)
        snprintf(buf, n, "%s from %s to %s", what, lo, hi);
    else
        snprintf(buf, n, "%s of at least %s", what, lo);
}

/* Converts and checks one value; 0, or -1 after printing the usage error. */
static int take_value(const cmd_spec *spec, const opt *o, char *val)
{
    char *end = NULL, want[160];
    errno = 0;
    switch (o->kind) {
    case OPT_STR:
        *o->str = val;
        return 0;
    case OPT_LIST:
        if (list_add(o->list, val) < 0) {
            cli_error("out of memory");
            return -1;
        }
        return 0;
    case OPT_INT: {
        long long v = strtoll(val, &end, 10);
        if (errno || end == val || *end || (double)v < o->min || (o->max > o->min && (double)v > o->max))
            break;
        *o->num = v;
        return 0;
    }
    case OPT_SIZE: {
        long long v = strtoll(val, &end, 10), mul = 1;
        if (end != val && (*end == 'k' || *end == 'K'))
            mul = 1LL << 10, end++;
        else if (end != val && (*end == 'm' || *end == 'M'))
            mul = 1LL << 20, end++;
        else if (end != val && (*end == 'g' || *end == 'G'))
            mul = 1LL << 30, end++;
        if (errno || end == val || *end || v < 0 || v > (1LL << 50) / mul)
            break;
        v *= mul;
        if ((double)v < o->min || (o->max > o->min && (double)v > o->max))
            break;
        *o->num = v;
        return 0;
    }
    case OPT_REAL: {
        double v = strtod(val, &end);
        if (errno || end == val || *end || !isfinite(v) || v < o->min || (o->above && v <= o->min) ||
            (o->max > o->min && v > o->max))
            break;
        *o->real = v;
        return 0;
    }
    case OPT_FLAG:
        break;
    }
    describe(want, sizeof want, o);
    cli_usage(spec, "--%s needs %s, not '%s'", o->name, want, val);
    return -1;
}

/* ==== 4. help and the manual page ========================================== */

static int takes_value(const opt *o) { return o->kind != OPT_FLAG; }

static void opt_left(char *buf, size_t n, const opt *o)
{
    if (o->letter)
        snprintf(buf, n, "-%c, --%s%s%s", o->letter, o->name, takes_value(o) ? " " : "",
                 takes_value(o) ? o->arg : "");
    else
        snprintf(buf, n, "    --%s%s%s", o->name, takes_value(o) ? " " : "", takes_value(o) ? o->arg : "");
}

void cli_help(const cmd_spec *spec, FILE *f)
{
    fprintf(f, "usage: apnmap %s %s\n\n%s\n", spec->name, spec->usage, spec->summary);
    if (spec->details)
        fprintf(f, "\n%s", spec->details);
    if (spec->opts && spec->opts[0].name) {
        fputs("\noptions:\n", f);
        for (const opt *o = spec->opts; o->name; o++) {
            char left[64];
            opt_left(left, sizeof left, o);
            fprintf(f, "  %-24s %s\n", left, o->help);
        }
    }
    fputs("  -h, --help               show this help\n", f);
}

/* Text for roff: backslashes escaped, hyphens as \- (ASCII in a terminal), double
 * quotes as \(dq (safe inside a quoted macro argument), a leading dot or quote
 * neutralised. */
static void roff_text(FILE *f, const char *s, size_t n)
{
    int bol = 1;
    for (size_t i = 0; i < n && s[i]; i++) {
        char c = s[i];
        if (bol && (c == '.' || c == '\''))
            fputs("\\&", f);
        bol = c == '\n';
        if (c == '\\')
            fputs("\\e", f);
        else if (c == '-')
            fputs("\\-", f);
        else if (c == '"')
            fputs("\\(dq", f);
        else
            fputc(c, f);
    }
}

static void roff_line(FILE *f, const char *s)
{
    roff_text(f, s, strlen(s));
    fputc('\n', f);
}

/* The command's section of apnmap(1): what `--help` says, in roff. */
static void man_section(const cmd_spec *spec, FILE *f)
{
    fputs(".SS \"", f);
    roff_text(f, "apnmap ", 7);
    roff_text(f, spec->name, strlen(spec->name));
    fputc(' ', f);
    roff_text(f, spec->usage, strlen(spec->usage));
    fputs("\"\n", f);
    roff_line(f, spec->summary);
    if (spec->details) {
        fputs(".PP\n.nf\n", f);
        roff_text(f, spec->details, strlen(spec->details));
        fputs(".fi\n", f);
    }
    for (const opt *o = spec->opts; o && o->name; o++) {
        fputs(".TP\n", f);
        if (o->letter)
            fprintf(f, "\\fB\\-%c\\fR, ", o->letter);
        fputs("\\fB\\-\\-", f);
        roff_text(f, o->name, strlen(o->name));
        fputs("\\fR", f);
        if (takes_value(o)) {
            fputs(" \\fI", f);
            roff_text(f, o->arg, strlen(o->arg));
            fputs("\\fR", f);
        }
        fputc('\n', f);
        roff_line(f, o->help);
    }
}

/* ==== 5. completion ======================================================== */

static opt_values values_of(const opt *o)
{
    if (o->values != OPT_VAL_AUTO)
        return o->values;
    const char *a = o->arg ? o->arg : "";
    if (o->kind == OPT_FLAG)
        return OPT_VAL_NONE;
    if (!strcmp(a, "FILE") || !strcmp(a, "DB"))
        return OPT_VAL_FILE;
    if (!strcmp(a, "DIR"))
        return OPT_VAL_DIR;
    if (!strcmp(a, "FMT"))
        return OPT_VAL_FORMAT;
    if (!strcmp(a, "O"))
        return OPT_VAL_OFFERING;
    if (!strncmp(a, "C1", 2))
        return OPT_VAL_COMPETENCY;
    if (!strcmp(a, "C"))
        return OPT_VAL_CATEGORY;
    return OPT_VAL_NONE;
}

static const opt *find_long(const cmd_spec *spec, const char *name, size_t n)
{
    for (const opt *o = spec->opts; o && o->name; o++)
        if (strlen(o->name) == n && !strncmp(o->name, name, n))
            return o;
    return NULL;
}

static const opt *find_short(const cmd_spec *spec, char c)
{
    for (const opt *o = spec->opts; o && o->name; o++)
        if (o->letter == c)
            return o;
    return NULL;
}

static const opt *find_word(const cmd_spec *spec, const char *w)
{
    if (w[0] == '-' && w[1] == '-')
        return find_long(spec, w + 2, strlen(w + 2));
    if (w[0] == '-' && w[1] && !w[2])
        return find_short(spec, w[1]);
    return NULL;
}

/* Prints the rows of one query over the database named by the words (--db) or
 * the environment that start with prefix; silent when there is none. */
static void complete_sql(char **words, int n, const char *sql, const char *lead, const char *prefix)
{
    const char *db_opt = NULL;
    for (int i = 0; i + 1 < n; i++)
        if (!strcmp(words[i], "--db"))
            db_opt = words[i + 1][0] == '=' && !words[i + 1][1] && i + 2 < n ? words[i + 2] : words[i + 1];
    const char *path = cli_db_path(db_opt);
    apn_db *db = NULL;
    apn_table *t = NULL;
    apn_diags d = APN_DIAGS_INIT;
    int bad = access(path, R_OK) != 0 || apn_db_open(&db, path, &d) < 0 || apn_db_sql(&t, db, sql, NULL, &d) < 0;
    apn_diags_dispose(&d);
    if (bad) {
        apn_db_free(db);
        return;
    }
    for (size_t r = 0; r < apn_table_nrows(t); r++) {
        const char *v = apn_table_text(t, r, 0);
        if (v && !strncmp(v, prefix, strlen(prefix)) && !strpbrk(v, "\n\r"))
            printf("%s%s\n", lead, v);
    }
    apn_table_free(t);
    apn_db_free(db);
}

/* words: what is typed after the command name, the last being the word under
 * the cursor (maybe empty). Bash splits "--db=x" into "--db", "=", "x". */
static void complete(const cmd_spec *spec, char **words, int n)
{
    const char *cur = n > 0 ? words[n - 1] : "";
    const char *prev = n > 1 ? words[n - 2] : "";
    if (!strcmp(cur, "=")) {
        prev = n > 1 ? words[n - 2] : "", cur = "";
    } else if (!strcmp(prev, "=")) {
        prev = n > 2 ? words[n - 3] : "";
    }
    const opt *o = find_word(spec, prev);
    if (o && takes_value(o)) {
        switch (values_of(o)) {
        case OPT_VAL_FILE: puts("__files__"); break;
        case OPT_VAL_DIR: puts("__dirs__"); break;
        case OPT_VAL_FORMAT:
            for (const char *const *f = (const char *const[]){ "table", "csv", "json", NULL }; *f; f++)
                if (!strncmp(*f, cur, strlen(cur)))
                    puts(*f);
            break;
        case OPT_VAL_OFFERING:
            complete_sql(words, n, "SELECT DISTINCT offering FROM offering_checklist ORDER BY 1", "", cur);
            break;
        case OPT_VAL_CATEGORY:
            complete_sql(words, n, "SELECT DISTINCT category FROM competency WHERE category IS NOT NULL "
                         "ORDER BY 1", "", cur);
            break;
        case OPT_VAL_COMPETENCY: {
            /* a list: complete the item after the last comma */
            const char *comma = strrchr(cur, ',');
            char lead[512];
            size_t ln = comma ? (size_t)(comma - cur + 1) : 0;
            if (ln >= sizeof lead)
                break;
            memcpy(lead, cur, ln);
            lead[ln] = 0;
            complete_sql(words, n, "SELECT slug FROM competency ORDER BY 1", lead, cur + ln);
            break;
        }
        default: break;
        }
        return;
    }
    if (cur[0] == '-') {   /* "-" or "--pre": the long names */
        const char *pre = cur[1] == '-' ? cur + 2 : cur + 1;
        if (cur[1] && cur[1] != '-')
            return;
        for (const opt *p = spec->opts; p && p->name; p++)
            if (!strncmp(p->name, pre, strlen(pre)))
                printf("--%s\n", p->name);
        if (!strncmp("help", pre, strlen(pre)))
            puts("--help");
        return;
    }
    if (spec->max_args != 0)
        puts("__files__");
}

/* ==== 6. the parser ======================================================== */

static const opt *unknown_option(const cmd_spec *spec, const char *a)
{
    const char *names[128];
    size_t n = 0;
    const char *word = a[1] == '-' ? a + 2 : a + 1;
    char base[64];
    snprintf(base, sizeof base, "%.*s", (int)strcspn(word, "="), word);
    for (const opt *o = spec->opts; o && o->name && n < 127; o++)
        names[n++] = o->name;
    names[n++] = "help";
    const char *s = a[1] == '-' ? cli_suggest(base, names, n) : NULL;
    if (s)
        cli_usage(spec, "unknown option '%s'; did you mean '--%s'?", a, s);
    else
        cli_usage(spec, "unknown option '%s'", a);
    return NULL;
}

int cli_parse(const cmd_spec *spec, int argc, char **argv)
{
    if (argc >= 2 && !strncmp(argv[1], "--help=", 7)) {
        const char *what = argv[1] + 7;
        if (!strcmp(what, "summary"))
            printf("%s\n", spec->summary);
        else if (!strcmp(what, "man"))
            man_section(spec, stdout);
        else if (!strcmp(what, "complete"))
            complete(spec, argv + 2, argc - 2);
        else
            return cli_usage(spec, "unknown help format '%s' (summary, man or complete)", what), -2;
        return -1;
    }
    char **pos = calloc((size_t)argc + 1, sizeof *pos);
    int npos = 0, i;
    if (!pos)
        return -2;
    for (i = 1; i < argc; i++) {
        char *a = argv[i];
        const opt *o = NULL;
        char *val = NULL;
        if (!strcmp(a, "--")) {
            for (i++; i < argc; i++)
                pos[npos++] = argv[i];
            break;
        }
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            cli_help(spec, stdout);
            free(pos);
            return -1;
        }
        if (a[0] == '-' && a[1] == '-') {
            char *eq = strchr(a + 2, '=');
            size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
            o = find_long(spec, a + 2, n);
            if (!o) {
                free(pos);
                return unknown_option(spec, a), -2;
            }
            if (eq) {
                if (!takes_value(o)) {
                    free(pos);
                    return cli_usage(spec, "option '--%s' takes no value", o->name), -2;
                }
                val = eq + 1;
            }
        } else if (a[0] == '-' && a[1]) {
            o = find_short(spec, a[1]);
            if (!o) {
                free(pos);
                return unknown_option(spec, a), -2;
            }
            if (a[2]) { /* "-j4": the value attached */
                if (!takes_value(o)) {
                    free(pos);
                    return cli_usage(spec, "option '-%c' takes no value", a[1]), -2;
                }
                val = a + 2;
            }
        } else {
            pos[npos++] = a;
            continue;
        }
        if (o->kind == OPT_FLAG) {
            *o->flag = 1;
            continue;
        }
        if (!val) {
            if (i + 1 >= argc) {
                free(pos);
                return cli_usage(spec, "option '--%s' needs a value (%s)", o->name, o->arg), -2;
            }
            val = argv[++i];
        }
        if (take_value(spec, o, val) < 0) {
            free(pos);
            return -2;
        }
    }
    if (npos < spec->min_args || (spec->max_args >= 0 && npos > spec->max_args)) {
        free(pos);
        if (npos < spec->min_args)
            return cli_usage(spec, "missing argument"), -2;
        return cli_usage(spec, "unexpected argument '%s'", argv[argc - 1]), -2;
    }
    int first = argc - npos;
    for (int k = 0; k < npos; k++)
        argv[first + k] = pos[k];
    free(pos);
    return first;
}

/* ==== 7. helpers =========================================================== */

void cli_print_diags(const apn_diags *d, FILE *f)
{
    for (size_t i = 0; i < d->n; i++) {
        const apn_diag *x = &d->v[i];
        const char *sev = x->severity == APN_SEV_ERROR ? "error: "
                        : x->severity == APN_SEV_WARNING ? "warning: " : "note: ";
        if (*x->path && *x->locus)
            fprintf(f, "%s: %s: %s%s\n", x->path, x->locus, sev, x->message);
        else if (*x->path)
            fprintf(f, "%s: %s%s\n", x->path, sev, x->message);
        else
            fprintf(f, "apnmap: %s%s\n", sev, x->message);
    }
}

const char *cli_db_path(const char *opt_db)
{
    if (opt_db)
        return opt_db;
    const char *env = getenv("APNMAP_DB");
    return env && *env ? env : "apnmap.db";
}

int cli_exit_for(int err)
{
    switch (err) {
    case 0: return CLI_OK;
    case APN_ENOTFOUND: return CLI_DATA;
    case APN_EPARSE: return CLI_DATA;
    case APN_EUSAGE: return CLI_USAGE;
    default: return CLI_IO;
    }
}

int cli_fail(const apn_diags *d, int err, const char *what)
{
    const char *sep = what && *what ? ": " : "";
    int said = 0;
    for (size_t i = 0; d && i < d->n; i++) {
        const apn_diag *x = &d->v[i];
        if (x->severity != APN_SEV_ERROR)
            continue;
        cli_error("%s%s%s%s%s", what ? what : "", sep, x->path, *x->path ? ": " : "", x->message);
        said = 1;
    }
    if (!said)
        cli_error("%s%s%s", what ? what : "", sep, apn_strerror(err));
    return cli_exit_for(err);
}

int cli_open_db(apn_db **out, const char *opt_db)
{
    const char *path = cli_db_path(opt_db);
    *out = NULL;
    if (access(path, F_OK) != 0) {
        cli_error("%s: no such database (run 'apnmap build' first, or give --db)", path);
        return CLI_DATA;
    }
    apn_diags d = APN_DIAGS_INIT;
    int err = apn_db_open(out, path, &d);
    if (err < 0) {
        if (!d.nerr)
            cli_error("%s: %s", path, apn_strerror(err));
        else
            cli_fail(&d, err, NULL);
    }
    apn_diags_dispose(&d);
    return err < 0 ? CLI_IO : 0;
}

int cli_format(apn_format *out, const cmd_spec *spec, const char *opt_format)
{
    if (!opt_format) {
        *out = isatty(STDOUT_FILENO) ? APN_FMT_TABLE : APN_FMT_CSV;
        return 0;
    }
    if (apn_table_format_parse(out, opt_format) < 0)
        return cli_usage(spec, "unknown format '%s' (table, csv or json)", opt_format);
    return 0;
}

int cli_begin(int *first, apn_format *fmt, const cmd_spec *spec, int argc, char **argv,
              const char *const *format)
{
    *first = cli_parse(spec, argc, argv);
    if (*first < 0)
        return *first == -1 ? CLI_OK : CLI_USAGE;
    int rc = cli_format(fmt, spec, *format);
    return rc ? rc : CLI_CONTINUE;
}

int cli_write_table(const apn_table *t, apn_format fmt)
{
    if (apn_table_write(t, stdout, fmt) < 0 || fflush(stdout) != 0) {
        cli_error("writing output: %s", strerror(errno));
        return CLI_IO;
    }
    return CLI_OK;
}
