/* main — apnmap's command table, dispatcher, `apnmap help`, the manual page and
 * the completion entry point.
 *
 * The table is the single list of commands. Everything else about a command
 * (usage, summary, options) is in its own cmd_spec, which this file reads by
 * asking the command itself: `cmd --help=summary` for the list, `--help=man` for
 * its section of apnmap(1), `--help=complete` for completion (cli_parse answers
 * them). Adding a command = a cmd_<name>.c with `int cmd_<name>(int, char **)`, a
 * line in cmd.h and a row here.
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
} cmds[] = {
    { "build", cmd_build },
    { "stats", cmd_stats },
    { "overlap", cmd_overlap },
    { "hardest", cmd_hardest },
    { "sql", cmd_sql },
    { "plan", cmd_plan },
    { "gap", cmd_gap },
    { "report", cmd_report },
    { "diff", cmd_diff },
    { "fetch", cmd_fetch },
    { "demo", cmd_demo },
    { NULL, NULL }
};

static const char intro[] =
    "apnmap maps the AWS Partner Network competency programme: it reads the\n"
    "checklist pages and self-assessment workbooks into one SQLite database\n"
    "and analyses it.\n";
static const char exit_codes[] =
    "exit codes: 0 ok, 1 an input was rejected or a name was not found,\n"
    "            2 usage error, 3 I/O or database failure\n";
static const char help_summary[] = "show the commands, or a command's options";

/* Asks a command for one of its help forms (cli_parse answers "--help=..."). */
static int ask(const struct cmd *c, const char *what, int nextra, char **extra)
{
    char *args[64];
    int n = 0;
    args[n++] = (char *)c->name;
    args[n++] = (char *)what;
    for (int i = 0; i < nextra && n < 63; i++)
        args[n++] = extra[i];
    args[n] = NULL;
    return c->fn(n, args);
}

static const char synopsis[] =
    "usage: apnmap <command> [options] [arguments]\n"
    "       apnmap help <command> | apnmap --version\n";

static void usage(void)
{
    printf("%s\n%s\ncommands:\n", synopsis, intro);
    for (const struct cmd *c = cmds; c->name; c++) {
        printf("  %-10s ", c->name);
        fflush(stdout);
        ask(c, "--help=summary", 0, NULL);
    }
    printf("  %-10s %s\n\n%s", "help", help_summary, exit_codes);
}

static void help_help(void)
{
    printf("usage: apnmap help [<command> | --man]\n\n"
           "Show the commands (no argument), a command's usage and options (the same\n"
           "as `apnmap <command> --help`), or the whole manual page in roff (--man; `man\n"
           "apnmap` shows it once installed).\n");
}

/* apnmap(1): the intro, every command's section, exit codes and environment. */
static void man_page(void)
{
    /* .nh .ad l: no hyphenation or justification, so the text reads as --help does */
    printf(".TH APNMAP 1 \"\" \"apnmap %s\" \"User Commands\"\n.nh\n.ad l\n"
           ".SH NAME\napnmap \\- map the AWS Partner Network competency programme\n"
           ".SH SYNOPSIS\n.B apnmap\n\\fIcommand\\fR [\\fIoptions\\fR] [\\fIarguments\\fR]\n.br\n"
           ".B apnmap help\n[\\fIcommand\\fR]\n.br\n.B apnmap \\-\\-version\n"
           ".SH DESCRIPTION\n", APN_VERSION);
    fputs(intro, stdout);
    puts(".PP\nEvery command takes \\fB\\-h\\fR, \\fB\\-\\-help\\fR (its usage and options, as below).\n"
         "Listings write a table on a terminal and CSV otherwise (\\fB\\-\\-format\\fR).\n"
         ".SH COMMANDS");
    for (const struct cmd *c = cmds; c->name; c++) {
        fflush(stdout);
        ask(c, "--help=man", 0, NULL);
    }
    printf(".SS \"apnmap help [command]\"\n%s.\n"
           ".SH EXIT STATUS\n"
           ".TP\n0\nsuccess, also an empty result, a diff without changes, or warnings only\n"
           ".TP\n1\nan input was rejected, or a named competency or file does not exist\n"
           ".TP\n2\nusage error: unknown option or command, a missing argument, an invalid value\n"
           ".TP\n3\nI/O or database failure: nothing half\\-written is left behind\n"
           ".SH ENVIRONMENT\n"
           ".TP\n.B APNMAP_DB\nthe database when \\fB\\-\\-db\\fR is not given (default \\fIapnmap.db\\fR)\n"
           ".TP\n.B APNMAP_GNUPLOT\nthe gnuplot executable of \\fBreport\\fR\n"
           ".SH FILES\n"
           ".TP\n.I PREFIX/share/apnmap/corpus\nthe bundled corpus that \\fBdemo\\fR builds, found relative to the "
           "program (PREFIX/bin/apnmap); in a checkout, \\fIdata/corpus\\fR\n"
           ".TP\n.I PREFIX/share/bash\\-completion/completions/apnmap\nbash completion: it asks "
           "\\fBapnmap __complete\\fR \\fIwords\\fR for the candidates (commands, options, and the "
           "offerings and competency slugs of the current database)\n"
           ".SH SEE ALSO\n\\fBsqlite3\\fR(1); the project's docs/cli.md, docs/schema.md and docs/design.md\n",
           help_summary);
}

static const struct cmd *find(const char *name)
{
    for (const struct cmd *c = cmds; c->name; c++)
        if (!strcmp(c->name, name))
            return c;
    return NULL;
}

static int unknown(const char *name)
{
    const char *names[32];
    size_t n = 0;
    for (const struct cmd *c = cmds; c->name; c++)
        names[n++] = c->name;
    names[n++] = "help";
    const char *s = cli_suggest(name, names, n);
    if (s)
        cli_error("unknown command '%s'; did you mean '%s'? (see 'apnmap help')", name, s);
    else
        cli_error("unknown command '%s'; see 'apnmap help'", name);
    return CLI_USAGE;
}

/* `apnmap __complete WORD...`: the words after "apnmap", the last under the cursor. */
static int complete(int n, char **w)
{
    if (n <= 1) {
        const char *cur = n ? w[0] : "";
        for (const struct cmd *c = cmds; c->name; c++)
            if (!strncmp(c->name, cur, strlen(cur)))
                puts(c->name);
        if (!strncmp("help", cur, strlen(cur)))
            puts("help");
        if (cur[0] == '-' && !strncmp("--version", cur, strlen(cur)))
            puts("--version");
        return CLI_OK;
    }
    if (!strcmp(w[0], "help")) {
        if (n == 2)
            for (const struct cmd *c = cmds; c->name; c++)
                if (!strncmp(c->name, w[1], strlen(w[1])))
                    puts(c->name);
        return CLI_OK;
    }
    const struct cmd *c = find(w[0]);
    return c ? ask(c, "--help=complete", n - 1, w + 1) : CLI_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "%s\nsee 'apnmap help' for the commands\n", synopsis);
        return CLI_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--version") || !strcmp(name, "version")) {
        printf("apnmap %s\n", APN_VERSION);
        return CLI_OK;
    }
    if (!strcmp(name, "-h") || !strcmp(name, "--help")) {
        usage();
        return CLI_OK;
    }
    if (!strcmp(name, "__complete"))
        return complete(argc - 2, argv + 2);
    if (!strcmp(name, "help")) {
        if (argc < 3) {
            usage();
            return CLI_OK;
        }
        if (!strcmp(argv[2], "help") || !strcmp(argv[2], "-h") || !strcmp(argv[2], "--help")) {
            help_help();
            return CLI_OK;
        }
        if (!strcmp(argv[2], "--man")) {
            man_page();
            return CLI_OK;
        }
        const struct cmd *c = find(argv[2]);
        if (!c)
            return unknown(argv[2]);
        return ask(c, "--help", 0, NULL);
    }
    const struct cmd *c = find(name);
    if (!c)
        return unknown(name);
    return c->fn(argc - 1, argv + 1);
}
