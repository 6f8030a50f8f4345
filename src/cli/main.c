/* main — apnmap's command table and dispatcher.
 *
 * The table is the single list of commands: `apnmap help` prints it, and each
 * entry's own option table prints `apnmap <cmd> --help`. Adding a command = a
 * cmd_<name>.c with `int cmd_<name>(int, char **)`, a line in cmd.h and a row here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apnmap/apnmap.h>

#include "cli.h"
#include "cmd.h"

static const struct cmd {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} cmds[] = {
    { "build", cmd_build, "ingest checklist pages and workbooks into a new database" },
    { "stats", cmd_stats, "requirements per competency, offering and ID prefix" },
    { "overlap", cmd_overlap, "shared requirements of every pair of competencies" },
    { "hardest", cmd_hardest, "competencies ranked by requirements, prerequisites included" },
    { "sql", cmd_sql, "run a read-only SQL query over the database" },
    { "plan", cmd_plan, "cheapest next competencies, best sets, budgets, orders, pairs" },
    { "report", cmd_report, "write the report: offline index.html, SVG/PNG charts, CSV/JSON tables" },
    { "diff", cmd_diff, "what changed between two releases (two databases)" },
    { "fetch", cmd_fetch, "mirror the checklist site (pages and workbooks) into a folder" },
    { "demo", cmd_demo, "build the bundled corpus and write what it shows (make demo)" },
    { NULL, NULL, NULL }
};

static void usage(FILE *f)
{
    fputs("usage: apnmap <command> [options] [arguments]\n"
          "       apnmap help <command> | apnmap --version\n\n"
          "apnmap maps the AWS Partner Network competency programme: it reads the\n"
          "checklist pages and self-assessment workbooks into one SQLite database\n"
          "and analyses it.\n\ncommands:\n", f);
    for (const struct cmd *c = cmds; c->name; c++)
        fprintf(f, "  %-10s %s\n", c->name, c->summary);
    fputs("  help       show this list, or a command's options\n\n"
          "exit codes: 0 ok, 1 an input was rejected or a name was not found,\n"
          "            2 usage error, 3 I/O or database failure\n", f);
}

static const struct cmd *find(const char *name)
{
    for (const struct cmd *c = cmds; c->name; c++)
        if (!strcmp(c->name, name))
            return c;
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--version") || !strcmp(name, "version")) {
        printf("apnmap %s\n", APN_VERSION);
        return CLI_OK;
    }
    if (!strcmp(name, "-h") || !strcmp(name, "--help")) {
        usage(stdout);
        return CLI_OK;
    }
    if (!strcmp(name, "help")) {
        if (argc < 3) {
            usage(stdout);
            return CLI_OK;
        }
        const struct cmd *c = find(argv[2]);
        if (!c) {
            cli_error("unknown command '%s'; see 'apnmap help'", argv[2]);
            return CLI_USAGE;
        }
        char *args[] = { argv[2], (char *)"--help", NULL };
        return c->fn(2, args);
    }
    const struct cmd *c = find(name);
    if (!c) {
        cli_error("unknown command '%s'; see 'apnmap help'", name);
        return CLI_USAGE;
    }
    return c->fn(argc - 1, argv + 1);
}
