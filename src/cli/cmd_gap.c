/* cmd_gap — apnmap gap: the worklist for target competencies (docs/gap.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"

int cmd_gap(int argc, char **argv)
{
    const char *db_path = NULL, *format = NULL, *offering = NULL, *out = NULL;
    cli_list have = { 0 }, met = { 0 }, targets = { 0 };
    const opt opts[] = {
        OPT_DB(db_path),
        CLI_STR(0, "format", "FMT", format, "table, csv, json or xlsx (default: table on a terminal, else csv; xlsx needs -o)"),
        CLI_STR('o', "output", "FILE", out, "write the worklist to FILE (atomically) instead of stdout"),
        CLI_STR(0, "offering", "O", offering, "saas, customer-deployed or services (default: the one the --met files answer, else services)"),
        CLI_LIST(0, "have", "C1,C2", have, "competencies held: what they carry is reused"),
        CLI_LIST(0, "met", "FILE", met, "a filled self-assessment (.xlsx) or Prowler's FTR CSV; may be given several times"),
        { 0 } };
    const cmd_spec spec = {
        "gap", "[--offering O] [--have C1,..] [--met FILE].. [--format FMT] [-o FILE] C1[,C2..]",
        "the worklist for target competencies: each requirement, and what is done about it",
        "One row per requirement of each target, in its checklists' order and wording:\n"
        "competency,offering,requirement_id,section,title,status,met,source,response.\n"
        "status: met (a --met file on the offering's track answers yes or na; source is\n"
        "its file and cell), reused (a --have competency or an earlier target carries\n"
        "it; source names it), evidence (a customer example, not met), new. A 'no'\n"
        "answer keeps the row new or evidence and names its source and response.\n"
        "--format xlsx -o FILE writes a workbook: a Summary sheet and one sheet per\n"
        "competency (ID, Requirement Description, Met?, Partner Response, Status,\n"
        "Source, Section). See docs/gap.md.\n",
        opts, 1, -1 };
    int first = cli_parse(&spec, argc, argv), rc = CLI_OK;
    if (first < 0)
        return first == -1 ? CLI_OK : CLI_USAGE;
    apn_gap_format fmt;
    if (!format)
        fmt = !out && isatty(STDOUT_FILENO) ? APN_GAP_TABLE : APN_GAP_CSV;
    else if (!strcmp(format, "csv"))
        fmt = APN_GAP_CSV;
    else if (!strcmp(format, "json"))
        fmt = APN_GAP_JSON;
    else if (!strcmp(format, "table"))
        fmt = APN_GAP_TABLE;
    else if (!strcmp(format, "xlsx"))
        fmt = APN_GAP_XLSX;
    else
        return cli_usage(&spec, "unknown format '%s' (table, csv, json or xlsx)", format);
    if (fmt == APN_GAP_XLSX && !out)
        return cli_usage(&spec, "--format xlsx writes a file: give -o FILE.xlsx");
    if (offering && apn_db_offering_check(offering) < 0)
        return cli_usage(&spec, "unknown offering '%s' (saas, customer-deployed or services)", offering);
    /* targets: every argument, each split at commas */
    for (int i = first; i < argc; i++) {
        for (char *s = argv[i], *e; s; s = e) {
            if ((e = strchr(s, ',')))
                *e++ = 0;
            char **v = *s ? realloc(targets.v, (targets.n + 1) * sizeof *v) : NULL;
            if (v) {
                targets.v = v;
                targets.v[targets.n++] = s;
            } else if (*s) {
                cli_error("gap: %s", apn_strerror(APN_ENOMEM));
                cli_list_dispose(&targets);
                return CLI_IO;
            }
        }
    }
    apn_db *db = NULL;
    apn_gap *g = NULL;
    apn_diags d = APN_DIAGS_INIT;
    if ((rc = cli_open_db(&db, db_path)))
        goto cleanup;
    apn_gap_opts go = { offering, (const char *const *)targets.v, targets.n,
                        (const char *const *)have.v, have.n, (const char *const *)met.v, met.n };
    int err = apn_gap_run(&g, db, &go, &d);
    if (err == 0 && out)
        err = apn_gap_write_file(g, out, fmt, &d);
    cli_print_diags(&d, stderr);
    if (err < 0) {
        if (!d.nerr)
            cli_error("gap: %s", apn_strerror(err));
        rc = cli_exit_for(err);
    } else if (!out) {
        rc = cli_write_table(apn_gap_table(g), fmt == APN_GAP_JSON ? APN_FMT_JSON
                                                : fmt == APN_GAP_TABLE ? APN_FMT_TABLE : APN_FMT_CSV);
    }
cleanup:
    apn_gap_free(g);
    apn_diags_dispose(&d);
    apn_db_free(db);
    cli_list_dispose(&have);
    cli_list_dispose(&met);
    cli_list_dispose(&targets);
    return rc;
}
