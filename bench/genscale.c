/* genscale — a deterministic, seeded scale corpus in the AWS checklist template.
 *
 * usage: genscale [-n COMPETENCIES] [-s SEED] OUT_DIR
 *
 * For each of N competencies writes, under OUT_DIR/competency/<slug>/:
 *   consulting/<PageId>.html            services page  ("Service Offering Validation Checklist")
 *   consulting/<PageId>/AWS <Name> Competency Service Offering Self-Assessment.xlsx
 *   technology/<PageId>.html            software page  ("Partner Offering Validation Checklist")
 * plus categories.csv (industry / workload) — 3 documents per competency.
 *
 * Each checklist draws 60-160 own requirements from a pool of a few thousand IDs
 * in a few hundred prefixes (each competency prefers a handful of "home"
 * prefixes, so checklists overlap the way real ones do) and adds the common
 * sections of docs/formats.md §4. Pages follow the template of docs/formats.md §2 with a
 * sidebar, long requirement details and real-page indentation (~44 KB each);
 * workbooks the layout of §3b. The same N and seed give the same bytes: the
 * PRNG is seeded, workbooks carry a fixed creation time, nothing reads the clock.
 * A benchmark tool, not part of the library: it prints and exits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <xlsxwriter.h>

#define NPREFIX 320

static uint64_t rng_state;

/* splitmix64: small, fast, and the same on every platform */
static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static int between(int lo, int hi) { return lo + (int)(rnd() % (uint64_t)(hi - lo + 1)); }

static void die(const char *what)
{
    fprintf(stderr, "genscale: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void mkdirs(const char *path)
{
    char p[4096];
    snprintf(p, sizeof p, "%s", path);
    for (char *s = p + 1; *s; s++)
        if (*s == '/') {
            *s = 0;
            if (mkdir(p, 0755) < 0 && errno != EEXIST)
                die(p);
            *s = '/';
        }
    if (mkdir(p, 0755) < 0 && errno != EEXIST)
        die(p);
}

/* ---- vocabulary ------------------------------------------------------------ */

static const char *const syll[] = { "ka", "lo", "mi", "ra", "ten", "vo", "zu", "an", "bel", "cor",
                                    "dra", "el", "fin", "gal", "hex", "is", "jor", "kel", "lum", "mor",
                                    "nex", "or", "pra", "quo", "ris", "sol", "tra", "ul", "ven", "wyn" };
static const char *const words[] = {
    "partner", "customer", "workload", "architecture", "account", "identity", "access", "logging",
    "monitoring", "encryption", "network", "resilience", "backup", "recovery", "deployment",
    "pipeline", "governance", "compliance", "cost", "performance", "incident", "response",
    "automation", "data", "migration", "operations", "security", "evidence", "documentation",
    "review", "practice", "process", "control", "tooling", "scaling", "availability" };
static const char *const areas[] = { "Analytics", "Security", "Migration", "Networking", "Storage",
                                     "Media", "Retail", "Energy", "Healthcare", "Telecom",
                                     "Automotive", "Education", "Gaming", "Finance", "DevOps",
                                     "Containers", "IoT", "Serverless", "Databases", "Observability" };

static char prefixes[NPREFIX][8];
static int prefix_size[NPREFIX];   /* IDs per prefix: 4..20 */

static void make_prefixes(void)
{
    for (int i = 0; i < NPREFIX; i++) {
        for (;;) {
            int len = between(2, 5);
            for (int k = 0; k < len; k++)
                prefixes[i][k] = (char)('A' + between(0, 25));
            prefixes[i][len] = 0;
            int dup = 0;
            for (int j = 0; j < i && !dup; j++)
                dup = !strcmp(prefixes[i], prefixes[j]);
            /* keep clear of the common sections' prefixes */
            static const char *const common[] = { "POV", "PRJ", "CSN", "DOC", "ACCT", "OPE", "NETSEC",
                                                  "REL", "COST", "OSSEC", "SECOPS", "TI", "AWSAPI", "PRF" };
            for (size_t c = 0; c < sizeof common / sizeof *common && !dup; c++)
                dup = !strcmp(prefixes[i], common[c]);
            if (!dup)
                break;
        }
        prefix_size[i] = between(4, 20);
    }
}

static void sentence(char *out, size_t cap, int nwords)
{
    size_t n = 0;
    for (int i = 0; i < nwords && n + 16 < cap; i++) {
        const char *w = words[rnd() % (sizeof words / sizeof *words)];
        n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? " " : "", w);
    }
    if (n)
        out[0] = (char)(out[0] - 'a' + 'A');
}

/* The wording of an ID is the same in every checklist (as AWS reuses IDs): it
 * comes from the ID's own hash, not from the draw order. */
static uint64_t corpus_seed;
static void wording(char *out, size_t cap, const char *id, int salt, int lo, int hi)
{
    uint64_t saved = rng_state, h = 1469598103934665603ull ^ corpus_seed ^ (uint64_t)salt;
    for (const char *p = id; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    rng_state = h;
    sentence(out, cap, between(lo, hi));
    rng_state = saved;
}

/* ---- requirements of one checklist ------------------------------------------ */

typedef struct req { char id[16]; char title[96]; const char *section; } req;

static const char *const cpr_ids[] = { "POV-001", "POV-002", "POV-003", "POV-004", "POV-005", "PRJ-001",
                                       "PRJ-002", "PRJ-003", "PRJ-004", "PRJ-005", "CSN-001", "CSN-002" };
static const char *const cce_ids[] = { "DOC-001", "ACCT-001", "ACCT-002", "OPE-001", "OPE-002", "OPE-003",
                                       "NETSEC-001", "NETSEC-002", "REL-001", "REL-002", "COST-001" };
static const char *const sw_ids[] = { "DOC-001", "DOC-002", "NETSEC-001", "NETSEC-002", "OSSEC-001",
                                      "SECOPS-001", "TI-001", "AWSAPI-001", "REL-001", "REL-002",
                                      "PRF-001", "OPE-001", "OPE-002" };

static int req_cmp(const void *a, const void *b)
{
    const req *x = a, *y = b;
    int s = strcmp(x->section, y->section);
    return s ? s : strcmp(x->id, y->id);
}

/* n own requirements from the competency's home prefixes (mostly) and the pool */
static size_t own_reqs(req *out, int n, const int *home, int nhome, const char *const *secnames)
{
    size_t k = 0;
    int guard = 0;
    while ((int)k < n && guard++ < 100000) {
        int p = rnd() % 4 ? home[rnd() % (uint64_t)nhome] : (int)(rnd() % NPREFIX);
        int num = between(1, prefix_size[p]);
        char id[16];
        snprintf(id, sizeof id, "%s-%03d", prefixes[p], num);
        int dup = 0;
        for (size_t i = 0; i < k && !dup; i++)
            dup = !strcmp(out[i].id, id);
        if (dup)
            continue;
        snprintf(out[k].id, sizeof out[k].id, "%s", id);
        wording(out[k].title, sizeof out[k].title, id, 0, 4, 9);
        out[k].section = secnames[p % 4];
        k++;
    }
    qsort(out, k, sizeof *out, req_cmp);
    return k;
}

static size_t common_reqs(req *out, const char *const *ids, size_t n, const char *section)
{
    for (size_t i = 0; i < n; i++) {
        snprintf(out[i].id, sizeof out[i].id, "%s", ids[i]);
        snprintf(out[i].title, sizeof out[i].title, "%s requirement %s", section, ids[i]);
        out[i].section = section;
    }
    return n;
}

/* ---- pages -------------------------------------------------------------- */

static void anchor(FILE *f, const char *s)
{
    int up = 0, first = 1;
    for (; *s; s++) {
        if (*s == ' ') { up = 1; continue; }
        char c = *s;
        if (first && c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        else if (up && c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        fputc(c, f);
        up = first = 0;
    }
}

static void page(const char *path, const char *name, const char *subtitle, const char *href_wb,
                 const char *prereq_html, const req *r, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        die(path);
    fprintf(f, "<!doctype html>\n<html class=\"no-js\" lang=\"en\">\n\n<head>\n  <meta charset=\"utf-8\">\n"
               "  <title>AWS Partner Network -  Checklist</title>\n  <meta name=\"robots\" content=\"noindex\" />\n"
               "  <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
               "  <link href=\"../../../css/checklist.css\" rel=\"stylesheet\">\n</head>\n\n<body>\n"
               "  <div id=\"layout\">\n    <header class=\"header\">\n      <div>\n        <a href=\"https://aws.amazon.com\">"
               "<img class=\"header--logo\" src=\"../../../img/logo.png\" alt=\"Amazon Web Services\" /></a>\n"
               "      </div>\n    </header>\n    <nav class=\"sidebar\">\n      <div class=\"sidebar--heading\">\n"
               "        <div class=\"sidebar--title\">AWS %s Competency</div>\n"
               "        <div class=\"sidebar--subtitle\">%s</div>\n      </div>\n      <ul class=\"sidebar--navsection\">\n",
            name, subtitle);
    const char *last = NULL;
    for (size_t i = 0; i < n; i++)
        if (!last || strcmp(last, r[i].section)) {
            last = r[i].section;
            fprintf(f, "        <li class=\"sidebar--navitem\">\n          <a class=\"sidebar--link\" "
                       "href=\"#technicalControls-");
            anchor(f, last);
            fprintf(f, "\">%s</a>\n        </li>\n", last);
        }
    fprintf(f, "      </ul>\n    </nav>\n    <article class=\"mainContent\">\n      <h1>AWS %s Competency</h1>\n"
               "      <h2>%s</h2>\n      <h3>Validity Period: February 2026-August 2026</h3>\n"
               "      <p class=\"versionExplanation\">This version of the checklist was released on February 26th, "
               "2026 and expires on August 31st, 2026. See the <a href=\"/changelog/Validation_Checklist_Change_Log.pdf\">"
               "change log</a>.</p>\n",
            name, subtitle);
    if (href_wb)
        fprintf(f, "      <div class=\"downloadLinks\"><div class=\"downloadLinks--link\"><a href=\"%s\">"
                   "Self-Assessment Spreadsheet</a></div></div>\n", href_wb);
    fprintf(f, "      <section id=\"introduction\">\n        <h2 class=\"section--title\">Introduction</h2>\n"
               "        <div class=\"section--content\"><p>Partners &amp; reviewers use this checklist to validate "
               "the offering. Complete the Self-Assessment Spreadsheet before the review.</p></div>\n      </section>\n"
               "      <section id=\"prerequisites\">\n        <h2 class=\"section--title\">Prerequisites</h2>\n"
               "        <ol class=\"prereqSectionList\">\n%s        </ol>\n      </section>\n"
               "      <section id=\"technicalControls\">\n        <h2 class=\"section--title\">Technical Controls</h2>\n",
            prereq_html);
    last = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!last || strcmp(last, r[i].section)) {
            if (last)
                fputs("            </ul>\n          </div>\n        </div>\n", f);
            last = r[i].section;
            fputs("        <div class=\"controlCategory\" id=\"technicalControls-", f);
            anchor(f, last);
            fprintf(f, "\">\n          <div class=\"controlCategory--header\"><h3>%s</h3></div>\n"
                       "          <div class=\"controlCategory--content\">\n            <ul>\n", last);
        }
        char d1[160];
        wording(d1, sizeof d1, r[i].id, 1, 5, 9);
        fprintf(f, "<li class=\"controlCategory--requirement\" id=\"requirement_%s\">"
                   "<h4 class=\"controlCategory--requirementTitle\">%s - %s</h4>"
                   "<div class=\"controlCategory--requirementDetails\"><p>%s.</p></div></li>\n",
                r[i].id, r[i].id, r[i].title, d1);
    }
    if (last)
        fputs("            </ul>\n          </div>\n        </div>\n", f);
    fputs("      </section>\n    </article>\n  </div>\n</body>\n\n</html>\n", f);
    if (ferror(f) | fclose(f))
        die(path);
}

/* ---- workbooks ------------------------------------------------------------- */

static void sheet(lxw_workbook *wb, lxw_format *bold, const char *name, const char *banner,
                  const req *r, size_t n, int example)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    if (!ws) {
        fprintf(stderr, "genscale: cannot add sheet %s\n", name);
        exit(1);
    }
    worksheet_write_string(ws, 0, 0, banner, bold);
    worksheet_write_string(ws, 1, 0, "ID", bold);
    worksheet_write_string(ws, 1, 1, "Requirement Description", bold);
    if (example) {
        for (int k = 0; k < 2; k++) {
            char label[32];
            snprintf(label, sizeof label, "Customer Reference #%d", k + 1);
            worksheet_write_string(ws, 1, (lxw_col_t)(2 + 2 * k), label, bold);
            worksheet_write_string(ws, 2, (lxw_col_t)(2 + 2 * k), "Met?", bold);
            worksheet_write_string(ws, 2, (lxw_col_t)(3 + 2 * k), "Partner Response", bold);
        }
    } else {
        worksheet_write_string(ws, 1, 2, "Met?", bold);
        worksheet_write_string(ws, 1, 3, "Partner Response", bold);
    }
    lxw_row_t row = 4;
    const char *last = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!last || strcmp(last, r[i].section)) {
            last = r[i].section;
            worksheet_write_string(ws, row++, 0, last, bold);
        }
        char desc[400];
        char d1[200];
        wording(d1, sizeof d1, r[i].id, 2, 12, 22);
        snprintf(desc, sizeof desc, "%s.\n \n%s.", r[i].title, d1);
        worksheet_write_string(ws, row, 0, r[i].id, NULL);
        worksheet_write_string(ws, row, 1, desc, NULL);
        worksheet_write_string(ws, row, 2, "Select", NULL);
        if (example)
            worksheet_write_string(ws, row, 4, "Select", NULL);
        row++;
    }
}

static void workbook(const char *path, const char *name, const req *own, size_t nown,
                     const req *cpr, size_t ncpr, const req *cce, size_t ncce)
{
    lxw_workbook_options wo = { .constant_memory = LXW_TRUE, .tmpdir = NULL };
    lxw_workbook *wb = workbook_new_opt(path, &wo);
    if (!wb)
        die(path);
    lxw_doc_properties props = { 0 };
    props.created = 1772064000; /* fixed: 2026-02-26 */
    workbook_set_properties(wb, &props);
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    char title[256], banner[256];
    snprintf(title, sizeof title, "AWS %s Competency Service Offering Validation Checklist", name);
    lxw_worksheet *intro = workbook_add_worksheet(wb, "Introduction");
    worksheet_write_string(intro, 0, 0, title, bold);
    worksheet_write_string(intro, 2, 0, "Validity Period: February 2026-August 2026", NULL);
    /* own requirements: practice sheet gets the first half, customer examples the rest */
    size_t half = nown / 2;
    snprintf(banner, sizeof banner, "%s Practice Requirements", name);
    sheet(wb, bold, "Practice Reqs", banner, own, half, 0);
    sheet(wb, bold, "Common Practice Requirements", "Common Practice Requirements", cpr, ncpr, 0);
    snprintf(banner, sizeof banner, "%s Customer Example Requirements", name);
    sheet(wb, bold, "Cust Example Reqs", banner, own + half, nown - half, 1);
    sheet(wb, bold, "Common Cust Example Reqs", "Common Customer Example Requirements", cce, ncce, 1);
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR) {
        fprintf(stderr, "genscale: %s: %s\n", path, lxw_strerror(e));
        exit(1);
    }
}

/* ---- main ------------------------------------------------------------------ */

int main(int argc, char **argv)
{
    long ncomp = 200;
    uint64_t seed = 20260226;
    int c;
    while ((c = getopt(argc, argv, "n:s:")) != -1) {
        if (c == 'n') ncomp = strtol(optarg, NULL, 10);
        else if (c == 's') seed = strtoull(optarg, NULL, 10);
        else return 2;
    }
    if (optind != argc - 1 || ncomp < 1 || ncomp > 100000) {
        fprintf(stderr, "usage: genscale [-n COMPETENCIES] [-s SEED] OUT_DIR\n");
        return 2;
    }
    const char *out = argv[optind];
    rng_state = corpus_seed = seed;
    make_prefixes();
    mkdirs(out);

    char path[4096];
    snprintf(path, sizeof path, "%s/categories.csv", out);
    FILE *cat = fopen(path, "wb");
    if (!cat)
        die(path);
    fputs("slug,category\n", cat);

    static req own[256], common1[32], common2[32], all[320];
    static const char *const svc_sections[] = { "Practice Overview", "Delivery Excellence",
                                                "Technical Capability", "Customer Success" };
    static const char *const sw_sections[] = { "Architecture", "Integration", "Operations",
                                               "Data Protection" };
    size_t ndocs = 0;
    for (long i = 0; i < ncomp; i++) {
        char name[96], slug[96];
        int ns = between(2, 3);
        size_t k = 0;
        for (int s = 0; s < ns; s++)
            k += (size_t)snprintf(name + k, sizeof name - k, "%s", syll[rnd() % (sizeof syll / sizeof *syll)]);
        name[0] = (char)(name[0] - 'a' + 'A');
        snprintf(name + k, sizeof name - k, " %s %ld", areas[rnd() % (sizeof areas / sizeof *areas)], i + 1);
        for (k = 0; name[k]; k++)
            slug[k] = name[k] == ' ' ? '-' : (name[k] >= 'A' && name[k] <= 'Z') ? (char)(name[k] + 32) : name[k];
        slug[k] = 0;
        fprintf(cat, "%s,%s\n", slug, i % 3 ? "workload" : "industry");

        int home[8], nhome = between(3, 8);
        for (int h = 0; h < nhome; h++)
            home[h] = (int)(rnd() % NPREFIX);
        char pid_s[16], pid_t[16];
        snprintf(pid_s, sizeof pid_s, "C%06lxS", (unsigned long)(rnd() & 0xffffff));
        snprintf(pid_t, sizeof pid_t, "C%06lxT", (unsigned long)(rnd() & 0xffffff));

        /* services: own + Common Practice + Common Customer Example */
        size_t nown = own_reqs(own, between(60, 160), home, nhome, svc_sections);
        size_t n1 = common_reqs(common1, cpr_ids, sizeof cpr_ids / sizeof *cpr_ids, "Common Practice Requirements");
        size_t n2 = common_reqs(common2, cce_ids, sizeof cce_ids / sizeof *cce_ids,
                                "Common Customer Example Requirements");
        size_t n = 0;
        memcpy(all + n, own, nown * sizeof *own); n += nown;
        memcpy(all + n, common1, n1 * sizeof *own); n += n1;
        memcpy(all + n, common2, n2 * sizeof *own); n += n2;
        char dir[4000], href[512];
        snprintf(dir, sizeof dir, "%s/competency/%s/consulting/%s", out, slug, pid_s);
        mkdirs(dir);
        snprintf(href, sizeof href, "%s/AWS %s Competency Service Offering Self-Assessment.xlsx", pid_s, name);
        snprintf(path, sizeof path, "%s/competency/%s/consulting/%s.html", out, slug, pid_s);
        page(path, name, "Service Offering Validation Checklist", href,
             "          <li class=\"prereqSection\" id=\"prereqSection_0\"><div class=\"prereqSection--header\">"
             "<h3><span class=\"prereqSection--number\">1.0</span> Customer References</h3></div>"
             "<div class=\"prereqSection--content\"><ol><li class=\"prereqSection--requirement\" id=\"prereq_-0\">"
             "<h4 class=\"prereqSection--requirementTitle\"><span class=\"prereqSection--requirementNumber\">1.1"
             "</span> Customer References</h4><div class=\"prereqSection--requirementDetails\"><p>Four customer "
             "references.</p></div></li></ol></div></li>\n",
             all, n);
        snprintf(path, sizeof path, "%s/competency/%s/consulting/%s", out, slug, href);
        workbook(path, name, own, nown, common1, n1, common2, n2);

        /* software: own (other draws) + the software common block */
        nown = own_reqs(own, between(60, 160), home, nhome, sw_sections);
        n1 = common_reqs(common1, sw_ids, sizeof sw_ids / sizeof *sw_ids, "Common Requirements");
        n = 0;
        memcpy(all + n, own, nown * sizeof *own); n += nown;
        memcpy(all + n, common1, n1 * sizeof *own); n += n1;
        snprintf(dir, sizeof dir, "%s/competency/%s/technology", out, slug);
        mkdirs(dir);
        snprintf(path, sizeof path, "%s/%s.html", dir, pid_t);
        page(path, name, "Partner Offering Validation Checklist", NULL,
             "          <li class=\"prereqSection\" id=\"prereqSection_0\"><div class=\"prereqSection--header\">"
             "<h3><span class=\"prereqSection--number\">1.0</span> Foundational Technical Review</h3></div>"
             "<div class=\"prereqSection--content\"><ol><li class=\"prereqSection--requirement\" id=\"prereq_-0\">"
             "<h4 class=\"prereqSection--requirementTitle\"><span class=\"prereqSection--requirementNumber\">1.1"
             "</span> Foundational Technical Review</h4><div class=\"prereqSection--requirementDetails\"><p>An "
             "approved <a href=\"https://apn-checklists.s3.amazonaws.com/foundational/partner-hosted/partner-hosted/"
             "CVLHEC5X7.html\">Foundational Technical Review</a> for the offering.</p></div></li></ol></div></li>\n",
             all, n);
        ndocs += 3;
    }
    if (ferror(cat) | fclose(cat))
        die("categories.csv");
    printf("genscale: %ld competencies, %zu documents in %s\n", ncomp, ndocs, out);
    return 0;
}
