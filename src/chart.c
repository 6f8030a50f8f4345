/* chart — gnuplot scripts for the report's charts, and running gnuplot. See chart.h.
 *
 * Sections: palette and quoting; bar charts; heat map; running gnuplot.
 */
#include "chart.h"

#include "util/alloc.h"
#include "util/utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* ==== palette and quoting ==== */

/* Twenty colours chosen to stay distinguishable next to each other. */
const char *const apn_chart_colors[APN_CHART_NCOLORS] = {
    "#1f5fbf", "#f28e2b", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#0b2e6f",
    "#ffd92f", "#66c2a5", "#a6761d", "#fb9a99", "#6a3d9a",
    "#b2df8a", "#a6cee3", "#800000", "#ff00ff", "#333333",
};
const char apn_chart_other_color[] = "#b0b0b0";
const char *const apn_chart_muted[APN_CHART_NMUTED] = {
    "#c9d2de", "#b3bfce", "#9eacbf", "#8a9ab0", "#7788a1", "#667791", "#566781", "#475771",
};

#define LABEL_MAX 80   /* bytes; longer (hostile) labels end in an ellipsis */

/* Appends s as a single-quoted gnuplot string: no escapes are interpreted in
 * single quotes except '' for a quote; control characters become spaces. */
static void put_quoted_max(apn_buf *b, const char *s, size_t max)
{
    size_t n = 0;
    apn_buf_putc(b, '\'');
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++, n++) {
        if (n >= max && (*p & 0xC0) != 0x80) {   /* cut on a character boundary */
            apn_buf_puts(b, "\xE2\x80\xA6");
            break;
        }
        if (*p == '\'')
            apn_buf_puts(b, "''");
        else if (*p < 0x20 || *p == 0x7f)
            apn_buf_putc(b, ' ');
        else
            apn_buf_putc(b, (char)*p);
    }
    apn_buf_putc(b, '\'');
}

static void put_quoted(apn_buf *b, const char *s) { put_quoted_max(b, s, LABEL_MAX); }

static size_t max_label_chars(size_t n, const char *const *labels)
{
    size_t best = 0;
    for (size_t i = 0; i < n; i++) {
        size_t c = apn_utf8_chars(labels[i] ? labels[i] : "");
        if (c > LABEL_MAX)
            c = LABEL_MAX + 1;
        if (c > best)
            best = c;
    }
    return best;
}

/* Lines of text under the x axis: names rotated by 50 degrees (about 7 px a
 * character, 16 px a line), the axis, and a footnote line. */
static unsigned bottom_margin(size_t label_chars, int footnote)
{
    return (unsigned)(label_chars * 7 * 0.77 / 16 + 2.5) + (footnote ? 2u : 0u);
}

/* set xtics / ytics with explicit labels at 0..n-1 */
static void put_tics(apn_buf *b, const char *axis, size_t n, const char *const *labels)
{
    apn_buf_printf(b, "set %s (", axis);
    for (size_t i = 0; i < n; i++) {
        if (i)
            apn_buf_puts(b, ", ");
        put_quoted(b, labels[i]);
        apn_buf_printf(b, " %zu", i);
    }
    apn_buf_puts(b, ")\n");
}

static void put_common(apn_buf *b, const char *title, const char *footnote)
{
    apn_buf_puts(b, "reset\nset encoding utf8\nset title ");
    put_quoted(b, title);
    apn_buf_puts(b, " font ',13'\n");
    /* footnote lines (split at \n) from the bottom of the canvas up */
    size_t lines = 0;
    for (const char *p = footnote; p && *p; p++)
        lines += *p == '\n';
    for (const char *p = footnote; p && *p; lines--) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char *line = apn_strndup(p, n);
        if (!line) {
            b->oom = 1;
            return;
        }
        apn_buf_printf(b, "set label %zu ", lines + 1);
        put_quoted_max(b, line, 400);
        apn_buf_printf(b, " at screen 0.01, screen 0.01 offset 0, %zu left front font ',9'\n", lines + 0);
        apn_free(line);
        p = e ? e + 1 : p + n;
        if (!e)
            break;
    }
}

/* Both terminals: the SVG first, then the same plot replotted as PNG. */
static void put_outputs(apn_buf *b, const char *base, unsigned w, unsigned h, const char *plot)
{
    apn_buf_printf(b, "set term svg size %u,%u font 'sans,11' noenhanced background rgb 'white'\n"
                      "set output ", w, h);
    apn_buf_putc(b, '\'');
    for (const char *p = base; *p; p++)
        *p == '\'' ? apn_buf_puts(b, "''") : apn_buf_putc(b, *p);
    apn_buf_puts(b, ".svg'\n");
    apn_buf_puts(b, plot);
    apn_buf_printf(b, "set term pngcairo size %u,%u font 'sans,10' noenhanced background rgb 'white'\n"
                      "set output ", w, h);
    apn_buf_putc(b, '\'');
    for (const char *p = base; *p; p++)
        *p == '\'' ? apn_buf_puts(b, "''") : apn_buf_putc(b, *p);
    apn_buf_puts(b, ".png'\nreplot\nunset output\n");
}

/* ==== bar charts ==== */

static double row_sum(const apn_chart_bars *c, size_t r)
{
    double sum = 0;
    for (size_t s = 0; s < c->nseries; s++) {
        double v = c->values[r * c->nseries + s];
        sum = c->clustered ? (v > sum ? v : sum) : sum + v;
    }
    return sum;
}

/* A string in a datablock: double-quoted, with no quote, backslash or control
 * character left in it (gnuplot reads datablock strings without escapes). */
static void put_data_string(apn_buf *b, const char *s)
{
    size_t n = 0;
    apn_buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p && (n < LABEL_MAX || (*p & 0xC0) == 0x80); p++, n++)
        apn_buf_putc(b, *p == '"' || *p == '\\' || *p < 0x20 || *p == 0x7f ? '\'' : (char)*p);
    apn_buf_putc(b, '"');
}

void apn_chart_bars_add(apn_buf *b, const char *base, const apn_chart_bars *c)
{
    size_t lab = max_label_chars(c->nrows, c->row_labels);
    size_t keylab = max_label_chars(c->nseries, c->series_labels);
    unsigned per_bar = c->clustered ? (unsigned)(10 * c->nseries + 8) : 26;   /* reach: 30 prefixes fit 1,400 px */
    unsigned bm = bottom_margin(lab, c->footnote != NULL);
    unsigned w = (unsigned)(140 + c->nrows * per_bar + keylab * 8 + 80);
    unsigned area = (unsigned)(c->nseries * 17 + 60);   /* the legend, one line a series */
    if (area < 360)
        area = 360;
    unsigned h = 90 + area + bm * 16;
    if (c->key_top) {   /* the legend above: the plot keeps its height, the width loses the key */
        w -= (unsigned)(keylab * 8 + 80);
        h = 90 + 300 + bm * 16 + (unsigned)((c->nseries + 5) / 5) * 18;
    }
    if (w < 720)
        w = 720;

    put_common(b, c->title, c->footnote);
    apn_buf_printf(b, "set style data histograms\nset style histogram %s\n",
                   c->clustered ? "clustered gap 1" : "rowstacked");
    apn_buf_puts(b, "set style fill solid 1.0 border rgb '#ffffff'\nset boxwidth 0.8 relative\n"
                    "set border 3\nset ytics nomirror\nset grid ytics lc rgb '#e0e0e0'\n"
                    "set yrange [0:*]\nset xtics nomirror rotate by 50 right font ',10'\n");
    apn_buf_printf(b, "set xrange [-0.6:%zu.4]\n", c->nrows ? c->nrows - 1 : 0);
    double top = 0;   /* counts: integer tics, about eight of them */
    for (size_t r = 0; r < c->nrows; r++) {
        double sum = 0;
        for (size_t s = 0; s < c->nseries; s++) {
            double v = c->values[r * c->nseries + s];
            sum = c->clustered ? (v > sum ? v : sum) : sum + v;
        }
        top = sum > top ? sum : top;
    }
    static const long mant[3] = { 1, 2, 5 };   /* steps 1, 2, 5, 10, 20, 50, ... */
    long decade = 1;
    int m = 0;
    while ((double)(mant[m] * decade * 8) < top)
        if (++m == 3) {
            m = 0;
            decade *= 10;
        }
    apn_buf_printf(b, "set ytics %ld\n", mant[m] * decade);
    if (c->top_labels)   /* headroom for the texts above the bars */
        apn_buf_printf(b, "set yrange [0:%g]\n", top * 1.3 + 1);
    if (c->ylabel) {
        apn_buf_puts(b, "set ylabel ");
        put_quoted(b, c->ylabel);
        apn_buf_putc(b, '\n');
    }
    /* room under the axis for the rotated names, and for the footnote */
    apn_buf_printf(b, "set bmargin %u\n", bm);
    /* the first names, rotated, reach left of the axis: leave them room */
    double lm = 10;
    for (size_t r = 0; r < c->nrows && r < 12; r++) {
        double need = (double)max_label_chars(1, &c->row_labels[r]) * 7 * 0.643 / 7 - (double)r * per_bar / 7 + 2;
        lm = need > lm ? need : lm;
    }
    apn_buf_printf(b, "set lmargin %u\n", (unsigned)lm);
    w += (unsigned)(lm - 10) * 7;
    size_t entries = c->nseries + (c->hatched != NULL), krows = entries ? (entries + 4) / 5 : 1;
    if (c->key_top)   /* rows of at most five entries above the plot */
        apn_buf_printf(b, "set key outside top left horizontal Left reverse noautotitle samplen 1.5 maxrows %zu",
                       krows);
    else
        apn_buf_puts(b, "set key outside right top vertical Left reverse noautotitle samplen 1.5");
    if (c->key_title) {
        apn_buf_puts(b, " title ");
        put_quoted(b, c->key_title);
    }
    apn_buf_putc(b, '\n');
    put_tics(b, "xtics", c->nrows, c->row_labels);

    apn_buf_puts(b, "$d << EOD\n");
    for (size_t r = 0; r < c->nrows; r++) {
        apn_buf_printf(b, "%zu", r);
        for (size_t s = 0; s < c->nseries; s++)
            apn_buf_printf(b, " %g", c->values[r * c->nseries + s]);
        apn_buf_putc(b, '\n');
    }
    apn_buf_puts(b, "EOD\n");
    /* the hatched rows and the texts above the bars, at each bar's total */
    if (c->hatched || c->top_labels) {
        apn_buf_puts(b, "$hatch << EOD\n");
        for (size_t r = 0; c->hatched && r < c->nrows; r++)
            if (c->hatched[r])
                apn_buf_printf(b, "%zu %g\n", r, row_sum(c, r));
        apn_buf_puts(b, "EOD\n$top << EOD\n");
        for (size_t r = 0; c->top_labels && r < c->nrows; r++)
            if (c->top_labels[r] && *c->top_labels[r]) {
                apn_buf_printf(b, "%zu %g ", r, row_sum(c, r));
                put_data_string(b, c->top_labels[r]);
                apn_buf_putc(b, '\n');
            }
        apn_buf_puts(b, "EOD\n");
    }

    apn_buf plot = APN_BUF_INIT;
    apn_buf_puts(&plot, "plot ");
    for (size_t s = 0; s < c->nseries; s++) {
        apn_buf_printf(&plot, "%s$d using %zu title ", s ? ", " : "", s + 2);
        put_quoted(&plot, c->series_labels[s]);
        apn_buf_printf(&plot, " lc rgb '%s'", c->colors[s]);
    }
    if (!c->nseries)
        apn_buf_puts(&plot, "$d using 1 notitle");
    if (c->hatched) {   /* the whole bar of each hatched row, over its segments */
        apn_buf_puts(&plot, ", $hatch using 1:2:(0.8) with boxes fs transparent pattern 5 border rgb '#333333' "
                            "lc rgb '#333333' title ");
        put_quoted(&plot, c->hatch_label ? c->hatch_label : "");
    }
    if (c->top_labels)
        apn_buf_puts(&plot, ", $top using 1:2:3 with labels rotate by 90 left offset 0,0.4 font ',9' notitle");
    apn_buf_putc(&plot, '\n');
    if (plot.oom)
        b->oom = 1;
    put_outputs(b, base, w, h, apn_buf_cstr(&plot));
    apn_buf_dispose(&plot);
}

/* ==== heat map ==== */

void apn_chart_heat_add(apn_buf *b, const char *base, const apn_chart_heat *hm)
{
    size_t n = hm->n;
    size_t lab = max_label_chars(n, hm->labels);
    unsigned cell = n > 40 ? 16 : 26;
    unsigned bm = bottom_margin(lab, hm->footnote != NULL);
    unsigned side = (unsigned)(n * cell) < 220 ? 220 : (unsigned)(n * cell);
    unsigned w = (unsigned)(lab * 7 + 60 + side + 180);
    unsigned h = 90 + side + bm * 16;
    double cbmax = hm->cbmax > 0 ? hm->cbmax : 1;

    put_common(b, hm->title, hm->footnote);
    apn_buf_printf(b, "set xrange [-0.5:%zu.5]\nset yrange [%zu.5:-0.5]\n", n ? n - 1 : 0, n ? n - 1 : 0);
    apn_buf_puts(b, "set xtics nomirror rotate by 50 right font ',10'\nset ytics nomirror font ',10'\n"
                    "set border 0\nset tics scale 0\nset cbrange [0:1]\nset size ratio -1\n"
                    "set palette defined (0 '#ffffff', 0.15 '#deebf7', 0.5 '#6baed6', 1 '#08306b')\n");
    apn_buf_printf(b, "set cbtics ('0' 0, '%g' 1)\n", cbmax);
    apn_buf_printf(b, "set bmargin %u\n", bm);
    if (hm->cblabel) {
        apn_buf_puts(b, "set cblabel ");
        put_quoted(b, hm->cblabel);
        apn_buf_putc(b, '\n');
    }
    put_tics(b, "xtics", n, hm->labels);
    put_tics(b, "ytics", n, hm->labels);
    /* $h: every cell (x y colour label); $none, $diag: the cells drawn over it */
    apn_buf_puts(b, "$h << EOD\n");
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            size_t k = i * n + j;
            int v = hm->kind[k] == APN_HEAT_VALUE;
            apn_buf_printf(b, "%zu %zu %.4f %g\n", j, i, v ? hm->color[k] : 0.0,
                           v || hm->kind[k] == APN_HEAT_DIAG ? hm->label[k] : -1.0);
        }
        apn_buf_putc(b, '\n');
    }
    apn_buf_puts(b, "EOD\n");
    /* only the blocks that have cells: gnuplot warns about an empty one */
    static const char *const blocks[2] = { "none", "diag" };
    size_t count[2] = { 0, 0 };
    for (int kind = 0; kind < 2; kind++) {
        apn_buf_printf(b, "$%s << EOD\n", blocks[kind]);
        for (size_t k = 0; k < n * n; k++)
            if (hm->kind[k] == (kind ? APN_HEAT_DIAG : APN_HEAT_NONE)) {
                apn_buf_printf(b, "%zu %zu\n", k % n, k / n);
                count[kind]++;
            }
        apn_buf_puts(b, "EOD\n");
    }
    apn_buf plot = APN_BUF_INIT;
    apn_buf_puts(&plot, "plot $h using 1:2:3 with image notitle");
    if (count[0])   /* partial pairs: light grey, hatched */
        apn_buf_puts(&plot, ", $none using 1:2:(0.5):(0.5) with boxxyerror fs solid 1.0 noborder lc rgb '#e4e4e4' notitle, "
                            "$none using 1:2:(0.5):(0.5) with boxxyerror fs transparent pattern 4 noborder "
                            "lc rgb '#9a9a9a' notitle");
    if (count[1])
        apn_buf_puts(&plot, ", $diag using 1:2:(0.5):(0.5) with boxxyerror fs solid 1.0 noborder lc rgb '#f2f2f2' notitle");
    if (n <= 40)   /* numbers: dark on light cells, white on dark ones; the diagonal in grey */
        apn_buf_puts(&plot, ", $h using 1:2:($4 >= 0 ? sprintf('%g', $4) : ''):($1 == $2 ? 0x808080 : "
                            "$3 > 0.55 ? 0xffffff : 0x202020) with labels font ',8' tc rgb variable notitle");
    apn_buf_putc(&plot, '\n');
    if (plot.oom)
        b->oom = 1;
    put_outputs(b, base, w, h, apn_buf_cstr(&plot));
    apn_buf_dispose(&plot);
}

/* ==== running gnuplot ==== */

/* Reads up to cap-1 bytes of what gnuplot printed, as one line. */
static void read_log(int fd, char *out, size_t cap)
{
    ssize_t n = 0;
    out[0] = 0;
    if (lseek(fd, 0, SEEK_SET) == 0 && (n = read(fd, out, cap - 1)) > 0)
        out[n] = 0;
    apn_text_squeeze(out);   /* one line for a diagnostic */
    if (strlen(out) > 400)
        strcpy(out + 397, "...");
}

typedef struct child {
    pid_t pid;
    int in, log;      /* our end of its stdin; its stdout+stderr (a deleted temp file) */
    int started;
    int short_write;  /* it stopped reading before the end of its script */
} child;

/* Starts one gnuplot with stdin on a pipe and its output into a temp file. */
static int start(child *c, const char *prog, char **env, apn_diags *d)
{
    int pfd[2] = { -1, -1 }, err = 0, fa_init = 0;
    char logpath[] = "/tmp/apnmap-gnuplot-XXXXXX";
    char *argv[] = { (char *)prog, NULL };
    posix_spawn_file_actions_t fa;
    if ((c->log = mkstemp(logpath)) < 0) {
        apn_diags_add(d, APN_SEV_ERROR, "", "", "cannot create a temporary file for gnuplot: %s", strerror(errno));
        return APN_EIO;
    }
    unlink(logpath);   /* only the descriptor is needed */
    if (pipe2(pfd, O_CLOEXEC) < 0 || posix_spawn_file_actions_init(&fa)) {
        apn_diags_add(d, APN_SEV_ERROR, "", "", "cannot start gnuplot: %s", strerror(errno));
        err = APN_EIO;
        goto cleanup;
    }
    fa_init = 1;
    posix_spawn_file_actions_adddup2(&fa, pfd[0], 0);
    posix_spawn_file_actions_adddup2(&fa, c->log, 1);
    posix_spawn_file_actions_adddup2(&fa, c->log, 2);
    int rc = posix_spawnp(&c->pid, prog, &fa, NULL, argv, env);
    if (rc) {
        apn_diags_add(d, APN_SEV_ERROR, "", "",
                      "cannot run %s (%s): the charts need gnuplot; install it with "
                      "'apt-get install gnuplot-nox' (tools/deps.sh does)", prog, strerror(rc));
        err = rc == ENOENT || rc == EACCES ? APN_ENOTFOUND : APN_EIO;
        goto cleanup;
    }
    c->started = 1;
    c->in = pfd[1];
    pfd[1] = -1;
cleanup:
    if (fa_init)
        posix_spawn_file_actions_destroy(&fa);
    if (pfd[0] >= 0)
        close(pfd[0]);
    if (pfd[1] >= 0)
        close(pfd[1]);
    return err;
}

/* Writes the whole script (a gnuplot that went away stops the writing: its
 * status and messages say why). Returns the bytes left unwritten. */
static size_t feed(int fd, const apn_buf *script)
{
    const char *p = apn_buf_cstr(script);
    size_t left = script->len;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        p += w;
        left -= (size_t)w;
    }
    return left;
}

int apn_chart_run_all(const char *exe, const apn_buf *const *scripts, size_t n, apn_diags *d)
{
    int err = 0, masked = 0;
    const char *prog = exe ? exe : "gnuplot";
    char **env = NULL;
    child *kids = NULL;
    sigset_t pipeset, oldset;
    char log[512];

    for (size_t i = 0; i < n; i++)
        if (scripts[i]->oom)
            return APN_ENOMEM;
    /* gnuplot converts its labels with iconv: give it a UTF-8 locale whatever ours is */
    size_t ne = 0;
    while (environ[ne])
        ne++;
    env = apn_calloc(ne + 2, sizeof *env);
    kids = apn_calloc(n + 1, sizeof *kids);
    if (!env || !kids) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    size_t k = 0;
    for (size_t i = 0; i < ne; i++)
        if (strncmp(environ[i], "LC_ALL=", 7) && strncmp(environ[i], "LC_CTYPE=", 9))
            env[k++] = environ[i];
    env[k++] = (char *)"LC_ALL=C.UTF-8";
    env[k] = NULL;
    for (size_t i = 0; i < n; i++)
        kids[i].in = kids[i].log = -1;

    /* the processes run side by side (charts are CPU-bound: two cores, two halves) */
    for (size_t i = 0; i < n && !err; i++)
        if (scripts[i]->len)
            err = start(&kids[i], prog, env, d);
    if (err)
        goto cleanup;

    /* A gnuplot that dies early must not kill us with SIGPIPE: block it in this
     * thread while writing, and swallow a pending one afterwards. */
    sigemptyset(&pipeset);
    sigaddset(&pipeset, SIGPIPE);
    masked = pthread_sigmask(SIG_BLOCK, &pipeset, &oldset) == 0;
    for (size_t i = 0; i < n; i++) {
        if (!kids[i].started)
            continue;
        kids[i].short_write = feed(kids[i].in, scripts[i]) > 0;
        close(kids[i].in);
        kids[i].in = -1;
    }
    if (masked) {
        struct timespec zero = { 0, 0 };
        while (sigtimedwait(&pipeset, NULL, &zero) > 0)
            ;
        pthread_sigmask(SIG_SETMASK, &oldset, NULL);
        masked = 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (!kids[i].started)
            continue;
        int status = 0;
        while (waitpid(kids[i].pid, &status, 0) < 0 && errno == EINTR)
            ;
        kids[i].started = 0;
        read_log(kids[i].log, log, sizeof log);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || kids[i].short_write) {
            apn_diags_add(d, APN_SEV_ERROR, "", "", "gnuplot failed%s%s", *log ? ": " : "", log);
            err = APN_EIO;
        } else if (*log) {
            /* warnings only (layout); a chart it could not write is noticed by the caller */
            apn_diags_add(d, APN_SEV_WARNING, "", "", "gnuplot: %s", log);
        }
    }

cleanup:
    for (size_t i = 0; kids && i < n; i++) {
        if (kids[i].in >= 0)
            close(kids[i].in);   /* before waiting: gnuplot ends at end of input */
        if (kids[i].started) {
            int st;
            while (waitpid(kids[i].pid, &st, 0) < 0 && errno == EINTR)
                ;
        }
        if (kids[i].log >= 0)
            close(kids[i].log);
    }
    apn_free(kids);
    apn_free(env);
    return err;
}

int apn_chart_run(const char *exe, const apn_buf *script, apn_diags *d)
{
    return apn_chart_run_all(exe, &script, 1, d);
}
