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

static int parse_seconds(long *out, const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v > 0) || v > 86400)
        return -1;
    *out = (long)(v * 1000.0 + 0.5);
    if (*out < 1)
        *out = 1;
    return 0;
}

static int parse_size(long long *out, const char *s)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    long long mul = 1;
    if (*end == 'k' || *end == 'K')
        mul = 1LL << 10, end++;
    else if (*end == 'm' || *end == 'M')
        mul = 1LL << 20, end++;
    else if (*end == 'g' || *end == 'G')
        mul = 1LL << 30, end++;
    if (errno || end == s || *end || v <= 0 || v > (1LL << 40) / mul)
        return -1;
    *out = v * mul;
    return 0;
}

static int parse_count(long *out, const char *s, long min, long max)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

int cmd_fetch(int argc, char **argv)
{
    const char *dir = NULL, *lang = NULL, *rate = NULL, *retries = NULL, *backoff = NULL,
               *timeout = NULL, *ctimeout = NULL, *max_size = NULL, *max_files = NULL;
    const opt opts[] = {
        { "output", 'o', OPT_STR, "DIR", "mirror folder (default: mirror)", &dir, 0 },
        { "lang", 0, OPT_STR, "L1,L2", "also follow these translations (cn, tw, ko, ja, pt, es, "
          "or all)", &lang, 0 },
        { "rate", 0, OPT_STR, "N", "requests per second at most (default 2)", &rate, 0 },
        { "retries", 0, OPT_STR, "N", "retries after a timeout or 5xx (default 3)", &retries, 0 },
        { "backoff", 0, OPT_STR, "SECONDS", "first retry delay, doubled each time (default 1)",
          &backoff, 0 },
        { "timeout", 0, OPT_STR, "SECONDS", "per request, whole transfer (default 120)", &timeout, 0 },
        { "connect-timeout", 0, OPT_STR, "SECONDS", "per connection (default 10)", &ctimeout, 0 },
        { "max-size", 0, OPT_STR, "BYTES", "largest file accepted, K/M/G suffixes (default 50M)",
          &max_size, 0 },
        { "max-files", 0, OPT_STR, "N", "requests per run at most (default 5000)", &max_files, 0 },
        { 0 } };
    const cmd_spec spec = {
        "fetch", "[-o DIR] [--lang L] [options] [URL...]",
        "Mirror checklist pages and their self-assessment workbooks into DIR.",
        "Starts from the given pages (default: the known index and checklist pages of\n"
        "https://apn-checklists.s3.amazonaws.com/) and follows links on the same host to\n"
        "other checklist pages (/competency/..., /foundational/...) and workbooks (.xlsx);\n"
        "translations (/<lang>/ folders) only with --lang. Files land at their URL paths\n"
        "under DIR, so `apnmap build DIR` reads the mirror; DIR/manifest.csv records each\n"
        "file's url, etag, last_modified, sha256 and fetched_at. A later run sends\n"
        "conditional requests and rewrites nothing unchanged. Failed URLs (403, 404,\n"
        "timeouts) are reported and the rest goes on; the exit code is then 1.\n",
        opts, 0, -1 };
    int first = cli_parse(&spec, argc, argv);
    if (first < 0)
        return first == -1 ? CLI_OK : CLI_USAGE;

    apn_fetch_opts o = APN_FETCH_OPTS_INIT;
    long v;
    o.dir = dir ? dir : "mirror";
    o.langs = lang;
    if (rate) {
        char *end;
        o.rate = strtod(rate, &end);
        if (end == rate || *end || !(o.rate > 0) || o.rate > 1000)
            return cli_usage(&spec, "--rate needs a number of requests per second (0 < N <= 1000)");
    }
    if (retries) {
        if (parse_count(&v, retries, 0, 20) < 0)
            return cli_usage(&spec, "--retries needs a count from 0 to 20");
        o.retries = (int)v;
    }
    if (backoff && parse_seconds(&o.backoff_ms, backoff) < 0)
        return cli_usage(&spec, "--backoff needs a positive number of seconds");
    if (timeout && parse_seconds(&o.timeout_ms, timeout) < 0)
        return cli_usage(&spec, "--timeout needs a positive number of seconds");
    if (ctimeout && parse_seconds(&o.connect_timeout_ms, ctimeout) < 0)
        return cli_usage(&spec, "--connect-timeout needs a positive number of seconds");
    if (max_size && parse_size(&o.max_size, max_size) < 0)
        return cli_usage(&spec, "--max-size needs a positive size in bytes (K, M, G suffixes)");
    if (max_files) {
        if (parse_count(&v, max_files, 1, 1000000) < 0)
            return cli_usage(&spec, "--max-files needs a count from 1 to 1000000");
        o.max_files = (size_t)v;
    }
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
        printf("%s: %zu saved, %zu unchanged, %zu failed, %zu links not followed\n", o.dir,
               st.saved, st.unchanged, st.failed, st.skipped);
        rc = st.failed ? CLI_DATA : CLI_OK;
    }
    apn_diags_dispose(&d);
    return rc;
}
