/* cli — option parsing, help, messages and shared helpers of the CLI. */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("apnmap: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
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
            if (o->letter)
                snprintf(left, sizeof left, "-%c, --%s%s%s", o->letter, o->name,
                         o->kind == OPT_STR ? " " : "", o->kind == OPT_STR ? o->arg : "");
            else
                snprintf(left, sizeof left, "    --%s%s%s", o->name, o->kind == OPT_STR ? " " : "",
                         o->kind == OPT_STR ? o->arg : "");
            fprintf(f, "  %-24s %s\n", left, o->help);
        }
    }
    fputs("  -h, --help               show this help\n", f);
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

int cli_parse(const cmd_spec *spec, int argc, char **argv)
{
    char **pos = calloc((size_t)argc + 1, sizeof *pos);
    int npos = 0, i;
    if (!pos)
        return -2;
    for (i = 1; i < argc; i++) {
        char *a = argv[i];
        const opt *o = NULL;
        const char *val = NULL;
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
            const char *eq = strchr(a + 2, '=');
            size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
            o = find_long(spec, a + 2, n);
            if (!o) {
                free(pos);
                return cli_usage(spec, "unknown option '%s'", a), -2;
            }
            if (eq) {
                if (o->kind != OPT_STR) {
                    free(pos);
                    return cli_usage(spec, "option '--%s' takes no value", o->name), -2;
                }
                val = eq + 1;
            }
        } else if (a[0] == '-' && a[1]) {
            o = find_short(spec, a[1]);
            if (!o) {
                free(pos);
                return cli_usage(spec, "unknown option '-%c'", a[1]), -2;
            }
            if (a[2]) { /* "-j4": the value attached */
                if (o->kind != OPT_STR) {
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
        } else {
            if (!val) {
                if (i + 1 >= argc) {
                    free(pos);
                    return cli_usage(spec, "option '--%s' needs a value (%s)", o->name, o->arg), -2;
                }
                val = argv[++i];
            }
            *o->str = val;
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
