/* cmd_diff — `apnmap diff OLD.db NEW.db`: what changed between two releases. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"

static int open_one(apn_db **out, const char *path)
{
    if (access(path, F_OK) != 0) {
        cli_error("%s: no such database", path);
        return CLI_DATA;
    }
    return cli_open_db(out, path);
}

/* Table output: one aligned table per competency under a heading. */
static int write_grouped(const apn_table *t)
{
    static const char *names[] = { "change", "checklist", "requirement_id", "detail" };
    static const apn_coltype types[] = { APN_COL_TEXT, APN_COL_TEXT, APN_COL_TEXT, APN_COL_TEXT };
    size_t n = apn_table_nrows(t), r = 0;
    int first = 1;
    if (!n) {
        fputs("no changes\n", stdout);
        return CLI_OK;
    }
    while (r < n) {
        const char *group = apn_table_text(t, r, 4);
        apn_table *g = NULL;
        if (apn_table_new(&g, 4, names, types) < 0)
            return CLI_IO;
        for (; r < n && !strcmp(apn_table_text(t, r, 4), group); r++) {
            if (apn_table_add_row(g) < 0) {
                apn_table_free(g);
                return CLI_IO;
            }
            for (size_t c = 0; c < 4; c++)
                apn_table_set_text(g, c, apn_table_text(t, r, c));
        }
        printf("%s%s\n", first ? "" : "\n", group);
        first = 0;
        int rc = cli_write_table(g, APN_FMT_TABLE);
        apn_table_free(g);
        if (rc)
            return rc;
    }
    return CLI_OK;
}

int cmd_diff(int argc, char **argv)
{
    const char *format = NULL;
    cli_list have = { 0 };
    const opt opts[] = {
        CLI_LIST(0, "have", "C1,C2", have, "only changes touching these competencies (slug or name) "
                 "and what they require"),
        OPT_FORMAT(format), { 0 } };
    const cmd_spec spec = {
        "diff", "OLD.db NEW.db [--have C1,C2] [--format FMT]",
        "what changed between two releases (two databases)",
        "Lists the requirements and checklists added, removed or changed.\n"
        "For every checklist (programme, competency or FTR variant, track) the newest\n"
        "release in OLD.db is compared with the newest in NEW.db. Columns:\n"
        "change,checklist,requirement_id,detail,competency with change one of added,\n"
        "removed, changed; checklist-level rows (a checklist added or removed, a new\n"
        "validity period) have an empty requirement_id. A requirement is changed when\n"
        "its title or description (as that checklist words it) differs beyond\n"
        "whitespace. Table output is grouped by competency. Exit 0 also when nothing\n"
        "changed.\n",
        opts, 2, 2 };
    int first, rc;
    apn_format fmt;
    apn_db *odb = NULL, *ndb = NULL;
    apn_table *t = NULL;
    apn_diags d = APN_DIAGS_INIT;
    if ((rc = cli_begin(&first, &fmt, &spec, argc, argv, &format)) != CLI_CONTINUE)
        goto out;
    if (have.v && !have.n) {
        rc = cli_usage(&spec, "--have needs at least one competency");
        goto out;
    }
    if ((rc = open_one(&odb, argv[first])) || (rc = open_one(&ndb, argv[first + 1])))
        goto out;
    int err = apn_diff(&t, odb, ndb, (const char *const *)have.v, have.n, &d);
    if (err < 0) {
        rc = cli_fail(&d, err, "diff");
        goto out;
    }
    rc = fmt == APN_FMT_TABLE ? write_grouped(t) : cli_write_table(t, fmt);
out:
    apn_table_free(t);
    apn_db_free(odb);
    apn_db_free(ndb);
    apn_diags_dispose(&d);
    cli_list_dispose(&have);
    return rc;
}
