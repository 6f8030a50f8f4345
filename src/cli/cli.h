/* cli — shared pieces of the apnmap command line (a client of <apnmap/...> only).
 *
 * Exit codes (docs/design.md §5, docs/cli.md): 0 ok; 1 an input was rejected or a
 * named competency/file does not exist; 2 usage error; 3 I/O or database failure.
 *
 * Each command is `int cmd_<name>(int argc, char **argv)` in cmd_<name>.c with one
 * cmd_spec: its usage, its one-line summary, more help, and a table of typed
 * options. That one table drives parsing (each value converted and checked against
 * its bounds once, in cli_parse), `--help`, the `apnmap help` list, the manual page
 * (`apnmap help --man`) and shell completion (`apnmap __complete`): nothing about a
 * command is written twice. An option writes its variable only when it is given, so
 * the caller presets the default (or a value outside the bounds meaning "not
 * given"). A list option (OPT_LIST) splits its value at commas in place (argv is
 * writable), trims blanks, drops empty items and appends to what earlier
 * occurrences gave; the caller releases it with cli_list_dispose.
 */
#ifndef APN_CLI_H
#define APN_CLI_H

#include <stdio.h>

#include <apnmap/apnmap.h>

enum { CLI_OK = 0, CLI_DATA = 1, CLI_USAGE = 2, CLI_IO = 3 };

typedef enum { OPT_FLAG, OPT_STR, OPT_INT, OPT_REAL, OPT_SIZE, OPT_LIST } opt_kind;

/* What an option's value names, for completion (OPT_VAL_AUTO: guessed from arg). */
typedef enum {
    OPT_VAL_AUTO, OPT_VAL_NONE, OPT_VAL_FILE, OPT_VAL_DIR, OPT_VAL_FORMAT,
    OPT_VAL_OFFERING, OPT_VAL_COMPETENCY, OPT_VAL_CATEGORY
} opt_values;

typedef struct cli_list {
    char **v;             /* items, pointing into argv */
    size_t n;
} cli_list;
void cli_list_dispose(cli_list *l);

typedef struct opt {
    const char *name;     /* long name without dashes: "db" */
    char letter;          /* short name or 0 */
    opt_kind kind;
    const char *arg;      /* placeholder in help: "FILE" */
    const char *help;
    const char **str;     /* OPT_STR: receives the value (borrowed from argv) */
    int *flag;            /* OPT_FLAG: set to 1 */
    long long *num;       /* OPT_INT (whole number), OPT_SIZE (bytes; K, M, G suffixes) */
    double *real;         /* OPT_REAL */
    cli_list *list;       /* OPT_LIST */
    double min, max;      /* bounds of OPT_INT, OPT_SIZE and OPT_REAL, inclusive */
    int above;            /* OPT_REAL: min itself is refused (the value must exceed it) */
    opt_values values;
} opt;

/* Option rows. Bounds are inclusive; REAL_ABOVE refuses lo itself. */
#define CLI_FLAG(l, n, var, h) \
    { .name = (n), .letter = (l), .kind = OPT_FLAG, .help = (h), .flag = &(var) }
#define CLI_STR(l, n, a, var, h) \
    { .name = (n), .letter = (l), .kind = OPT_STR, .arg = (a), .help = (h), .str = &(var) }
#define CLI_INT(l, n, a, var, lo, hi, h) \
    { .name = (n), .letter = (l), .kind = OPT_INT, .arg = (a), .help = (h), .num = &(var), \
      .min = (lo), .max = (hi), .values = OPT_VAL_NONE }
#define CLI_SIZE(l, n, a, var, lo, hi, h) \
    { .name = (n), .letter = (l), .kind = OPT_SIZE, .arg = (a), .help = (h), .num = &(var), \
      .min = (lo), .max = (hi), .values = OPT_VAL_NONE }
#define CLI_REAL(l, n, a, var, lo, hi, h) \
    { .name = (n), .letter = (l), .kind = OPT_REAL, .arg = (a), .help = (h), .real = &(var), \
      .min = (lo), .max = (hi), .values = OPT_VAL_NONE }
#define CLI_REAL_ABOVE(l, n, a, var, lo, hi, h) \
    { .name = (n), .letter = (l), .kind = OPT_REAL, .arg = (a), .help = (h), .real = &(var), \
      .min = (lo), .max = (hi), .above = 1, .values = OPT_VAL_NONE }
#define CLI_LIST(l, n, a, var, h) \
    { .name = (n), .letter = (l), .kind = OPT_LIST, .arg = (a), .help = (h), .list = &(var) }

/* Standard option rows. */
#define OPT_DB(var) CLI_STR(0, "db", "FILE", var, "database (default $APNMAP_DB or apnmap.db)")
#define OPT_FORMAT(var) CLI_STR(0, "format", "FMT", var, "table, csv or json (default: table on a terminal, else csv)")
#define OPT_OFFERING(var) CLI_STR(0, "offering", "O", var, "saas, customer-deployed or services (default: all)")

typedef struct cmd_spec {
    const char *name;     /* "stats" */
    const char *usage;    /* "[--offering O]" */
    const char *summary;  /* one line: `apnmap help`, the first line of --help, the man page */
    const char *details;  /* more lines for --help, or NULL */
    const opt *opts;      /* terminated by {0} */
    int min_args, max_args;  /* positional arguments (-1: any number) */
} cmd_spec;

/* Parses argv (argv[0] = command name) into the option table. Returns the
 * index of the first positional argument, or -1 after printing --help (caller
 * exits 0), or -2 after printing a usage error (caller exits 2). Positional
 * arguments are moved after the options. argv[1] may also ask for the spec
 * itself, for main.c: "--help=summary" (the summary line), "--help=man" (the
 * command's section of the manual page, roff) or "--help=complete" followed by
 * the words typed so far (completion candidates, one a line); then -1. */
int cli_parse(const cmd_spec *spec, int argc, char **argv);
void cli_help(const cmd_spec *spec, FILE *f);

/* Prints "apnmap: msg" (or "apnmap: path: locus: msg") to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints a usage error and the "see 'apnmap help CMD'" hint; returns CLI_USAGE. */
int cli_usage(const cmd_spec *spec, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_print_diags(const apn_diags *d, FILE *f);

/* The database path: --db value, else $APNMAP_DB, else "apnmap.db". */
const char *cli_db_path(const char *opt_db);
/* Opens the database read-only; prints the error and returns CLI_IO or CLI_DATA
 * (missing file) on failure, 0 on success. */
int cli_open_db(apn_db **out, const char *opt_db);
/* --format value, else table on a terminal and csv otherwise. Returns 0 or
 * prints the error and returns CLI_USAGE. */
int cli_format(apn_format *out, const cmd_spec *spec, const char *opt_format);
/* cli_parse then cli_format, for listing commands: returns CLI_CONTINUE when the
 * command should go on (first and fmt set), else the exit code to return now
 * (CLI_OK after --help, CLI_USAGE after a usage error). */
#define CLI_CONTINUE (-1)
int cli_begin(int *first, apn_format *fmt, const cmd_spec *spec, int argc, char **argv,
              const char *const *format);
/* Writes a table to stdout; returns CLI_OK or CLI_IO. */
int cli_write_table(const apn_table *t, apn_format fmt);
/* Maps an APN_E* code to an exit code. */
int cli_exit_for(int err);
/* Prints the errors of d, each as "apnmap: [what: ][path: ]message", or
 * "apnmap: [what: ]<apn_strerror(err)>" when d holds none; returns cli_exit_for(err). */
int cli_fail(const apn_diags *d, int err, const char *what);

/* The candidate closest to word when it is close enough to be what was meant
 * (a typo, a missing or extra letter), else NULL. */
const char *cli_suggest(const char *word, const char *const *cands, size_t n);

#endif
