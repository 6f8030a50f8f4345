/* cli — shared pieces of the apnmap command line (a client of <apnmap/...> only).
 *
 * Exit codes (docs/design.md §5, docs/cli.md): 0 ok; 1 an input was rejected or a named
 * competency/file does not exist; 2 usage error; 3 I/O or database failure.
 * Each command is `int cmd_<name>(int argc, char **argv)` in cmd_<name>.c with a
 * static option table that drives both parsing and its --help text.
 */
#ifndef APN_CLI_H
#define APN_CLI_H

#include <stdio.h>

#include <apnmap/apnmap.h>

enum { CLI_OK = 0, CLI_DATA = 1, CLI_USAGE = 2, CLI_IO = 3 };

typedef enum { OPT_FLAG, OPT_STR } opt_kind;

typedef struct opt {
    const char *name;     /* long name without dashes: "db" */
    char letter;          /* short name or 0 */
    opt_kind kind;
    const char *arg;      /* placeholder in help: "FILE" */
    const char *help;
    const char **str;     /* OPT_STR: receives the value (borrowed from argv) */
    int *flag;            /* OPT_FLAG: set to 1 */
} opt;

typedef struct cmd_spec {
    const char *name;     /* "stats" */
    const char *usage;    /* "[--offering O]" */
    const char *summary;  /* one line */
    const char *details;  /* more lines for --help, or NULL */
    const opt *opts;      /* terminated by {0} */
    int min_args, max_args;  /* positional arguments (-1: any number) */
} cmd_spec;

/* Parses argv (argv[0] = command name) into the option table. Returns the
 * index of the first positional argument, or -1 after printing --help (caller
 * exits 0), or -2 after printing a usage error (caller exits 2). Positional
 * arguments are moved after the options. */
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

/* Standard option rows. */
#define OPT_DB(var) { "db", 0, OPT_STR, "FILE", "database (default $APNMAP_DB or apnmap.db)", &(var), 0 }
#define OPT_FORMAT(var) { "format", 0, OPT_STR, "FMT", "table, csv or json (default: table on a terminal, else csv)", &(var), 0 }
#define OPT_OFFERING(var) { "offering", 0, OPT_STR, "O", "saas, customer-deployed or services (default: all)", &(var), 0 }

#endif
