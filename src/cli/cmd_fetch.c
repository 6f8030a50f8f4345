/* cmd_fetch — `apnmap fetch [-o DIR] [URL...]`: mirror the checklist site. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"

/* A progress bar on stderr, drawn only when stderr is a terminal. */
static void draw(void *ud, const apn_fetch_progress *p)
{
    (void)ud;
    if (p->event != APN_FETCH_START)
        return;
    size_t total = p->total ? p->total : 1, width = 30;
    size_t fill = p->done * width / total;
    char bar[64];
    for (size_t i = 0; i < width; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[width] = 0;
    const char *u = p->url;
    size_t n = strlen(u);
    fprintf(stderr, "\r\033[K[%s] %zu/%zu %s%s", bar, p->done, p->total, n > 60 ? "..." : "",
            n > 60 ? u + n - 57 : u);
    fflush(stderr);
}

/* Seconds (a real option) to whole milliseconds, at least 1. */
static long to_ms(double seconds)
{
    long ms = (long)(seconds * 1000.0 + 0.5);
    return ms < 1 ? 1 : ms;
}

int cmd_fetch(int argc, char **argv)
{
    apn_fetch_opts o = APN_FETCH_OPTS_INIT;
    const char *dir = NULL, *lang = NULL;
    double rate = o.rate, backoff = (double)o.backoff_ms / 1000.0, timeout = (double)o.timeout_ms / 1000.0,
           ctimeout = (double)o.connect_timeout_ms / 1000.0, deadline = o.deadline;
    long long retries = o.retries, max_size = o.max_size, max_files = (long long)o.max_files;
    const opt opts[] = {
        CLI_STR('o', "output", "DIR", dir, "mirror folder (default: mirror)"),
        CLI_STR(0, "lang", "L1,L2", lang, "also follow these translations (cn, tw, ko, ja, pt, es, or all)"),
        CLI_REAL_ABOVE(0, "rate", "N", rate, 0, 1000, "requests per second at most (default 2)"),
        CLI_INT(0, "retries", "N", retries, 0, 20, "retries after a timeout or 5xx (default 3)"),
        CLI_REAL_ABOVE(0, "backoff", "SECONDS", backoff, 0, 86400, "first retry delay, doubled each time (default 1)"),
        CLI_REAL_ABOVE(0, "timeout", "SECONDS", timeout, 0, 86400, "per request, whole transfer (default 120)"),
        CLI_REAL_ABOVE(0, "connect-timeout", "SECONDS", ctimeout, 0, 86400, "per connection (default 10)"),
        CLI_SIZE(0, "max-size", "BYTES", max_size, 1, 1099511627776.0, "largest file accepted, K/M/G suffixes (default 50M)"),
        CLI_INT(0, "max-files", "N", max_files, 1, 1000000, "URLs queued and requested per run at most (default 5000)"),
        CLI_REAL(0, "deadline", "SECONDS", deadline, 0, 1e9, "for the whole run (default 3600; 0: none)"),
        { 0 } };
    const cmd_spec spec = {
        "fetch", "[-o DIR] [--lang L] [options] [URL...]",
        "mirror the checklist site (pages and workbooks) into a folder",
        "Starts from the given pages (default: the known index and checklist pages of\n"
        "https://apn-checklists.s3.amazonaws.com/) and follows links on the same host to\n"
        "other checklist pages (/competency/..., /foundational/...) and workbooks (.xlsx);\n"
        "translations (/<lang>/ folders) only with --lang. Files land at their URL paths\n"
        "under DIR, so `apnmap build DIR` reads the mirror; DIR/manifest.csv records each\n"
        "file's url, etag, last_modified, sha256 and fetched_at. A later run sends\n"
        "conditional requests and rewrites nothing unchanged. Failed URLs (403, 404,\n"
        "timeouts) are reported and the rest goes on; the exit code is then 1, as when\n"
        "the run stops at --deadline. A redirect is followed only on the same origin and,\n"
        "from a link, under the same follow rule; a file named as one of build's side\n"
        "files (categories.csv, aliases.csv, manifest.csv) is never written.\n",
        opts, 0, -1 };
    int first = cli_parse(&spec, argc, argv);
    if (first < 0)
        return first == -1 ? CLI_OK : CLI_USAGE;

    o.dir = dir ? dir : "mirror";
    o.langs = lang;
    o.rate = rate;
    o.retries = (int)retries;
    o.backoff_ms = to_ms(backoff);
    o.timeout_ms = to_ms(timeout);
    o.connect_timeout_ms = to_ms(ctimeout);
    o.max_size = max_size;
    o.max_files = (size_t)max_files;
    o.deadline = deadline;
    o.urls = (const char *const *)(argv + first);
    o.nurls = (size_t)(argc - first);
    int tty = isatty(STDERR_FILENO);
    if (tty)
        o.progress = draw;

    apn_fetch_stats st;
    apn_diags d = APN_DIAGS_INIT;
    int err = apn_fetch(&st, &o, &d);
    if (tty)
        fputs("\r\033[K", stderr);
    cli_print_diags(&d, stderr);
    int rc;
    if (err < 0) {
        if (err == APN_EUSAGE && !d.n)
            rc = cli_usage(&spec, "invalid option value");
        else {
            if (!d.n)
                cli_error("fetch: %s", apn_strerror(err));
            rc = err == APN_EUSAGE ? CLI_USAGE : cli_exit_for(err);
        }
    } else {
        printf("%s: %zu saved, %zu unchanged, %zu failed, %zu links not followed", o.dir,
               st.saved, st.unchanged, st.failed, st.skipped);
        if (st.dropped)
            printf(", %zu not queued (--max-files)", st.dropped);
        if (st.unfetched)
            printf(", %zu not fetched (--deadline)", st.unfetched);
        putchar('\n');
        rc = st.failed || st.unfetched ? CLI_DATA : CLI_OK;
    }
    apn_diags_dispose(&d);
    return rc;
}
