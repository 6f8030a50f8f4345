/* Unit tests for htmlscan.c: its events against libxml2's own, and html.c's
 * records from both, on every page the project has (AWS's real page, the
 * bundled corpus, the fixtures, the fuzz seeds) and on hand-made constructs;
 * and the pages it must leave to libxml2. */
#include "test.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <libxml/HTMLparser.h>

#include <apnmap/apnmap.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "read/doc.h"
#include "read/html.h"
#include "read/htmlscan.h"

/* ---- an event log both parsers write: one line per event, text joined ---- */

typedef struct rec {
    apn_buf log, text;
    int depth;
    long line;
    htmlParserCtxtPtr ctxt;
} rec;

static void rec_flush(rec *r)
{
    if (r->text.len && r->depth > 0)   /* blank text outside the root is nobody's */
        apn_buf_printf(&r->log, "T[%s]\n", r->text.ptr);
    apn_buf_clear(&r->text);
}

static void rec_start(void *ud, const xmlChar *name, const xmlChar **attrs)
{
    rec *r = ud;
    rec_flush(r);
    long line = r->ctxt ? r->ctxt->input->line : r->line;
    apn_buf_printf(&r->log, "S %s L%ld", (const char *)name, line);
    for (const xmlChar **a = attrs; a && a[0]; a += 2)
        apn_buf_printf(&r->log, " %s=%s", (const char *)a[0], a[1] ? (const char *)a[1] : "(null)");
    apn_buf_putc(&r->log, '\n');
    r->depth++;
}

static void rec_end(void *ud, const xmlChar *name)
{
    rec *r = ud;
    rec_flush(r);
    apn_buf_printf(&r->log, "E %s\n", (const char *)name);
    r->depth--;
}

static void rec_chars(void *ud, const xmlChar *s, int n)
{
    apn_buf_put(&((rec *)ud)->text, (const char *)s, (size_t)n);
}

static void rec_ignore(void *ud, const xmlChar *s, int n)
{
    (void)ud, (void)s, (void)n;
}

static void rec_serror(void *ud, xmlErrorPtr e)
{
    (void)ud, (void)e;
}

/* libxml2's events, with html.c's options, the page in one terminating call. */
static char *libxml_events(const char *s, size_t n)
{
    rec r = { APN_BUF_INIT, APN_BUF_INIT, 0, 0, NULL };
    htmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.startElement = rec_start;
    sax.endElement = rec_end;
    sax.characters = rec_chars;
    sax.ignorableWhitespace = rec_chars;
    sax.cdataBlock = rec_ignore;
    sax.serror = rec_serror;
    sax.initialized = XML_SAX2_MAGIC;
    r.ctxt = htmlCreatePushParserCtxt(&sax, &r, NULL, 0, NULL, XML_CHAR_ENCODING_UTF8);
    htmlCtxtUseOptions(r.ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                                   HTML_PARSE_NOWARNING | HTML_PARSE_NOIMPLIED | HTML_PARSE_IGNORE_ENC);
    htmlParseChunk(r.ctxt, s, (int)n, 1);
    rec_flush(&r);
    htmlFreeParserCtxt(r.ctxt);
    apn_buf_dispose(&r.text);
    apn_buf_putc(&r.log, 0);
    return apn_buf_detach(&r.log);
}

/* The scanner's events, or NULL when it declines the page. */
static char *scan_events(const char *s, size_t n)
{
    rec r = { APN_BUF_INIT, APN_BUF_INIT, 0, 0, NULL };
    apn_htmlscan_sax sax = { rec_start, rec_end, rec_chars };
    const char *why = NULL;
    int rc = apn_htmlscan_page(s, n, &sax, &r, &r.line, &why);
    if (rc == 1 && getenv("HTMLSCAN_WHY"))
        fprintf(stderr, "  declined, line %ld: %s\n", r.line, why ? why : "?");
    rec_flush(&r);
    apn_buf_dispose(&r.text);
    apn_buf_putc(&r.log, 0);
    char *log = apn_buf_detach(&r.log);
    if (rc != 0) {
        CHECK(rc == 1);
        CHECK(!log || !*log);   /* a declined page sends nothing */
        apn_free(log);
        return NULL;
    }
    return log;
}

static void show_diff(const char *what, const char *a, const char *b)
{
    size_t i = 0, line = 1;
    while (a[i] && a[i] == b[i])
        line += a[i++] == '\n';
    fprintf(stderr, "%s: events differ at event %zu:\n  libxml2: %.120s\n  scanner: %.120s\n", what, line,
            a + i, b + i);
}

/* 1 accepted and equal, 0 declined, -1 accepted but different. */
static int compare(const char *what, const char *s, size_t n)
{
    char *scanned = scan_events(s, n);
    if (!scanned)
        return 0;
    char *ref = libxml_events(s, n);
    int same = !strcmp(ref, scanned);
    if (!same)
        show_diff(what, ref, scanned);
    apn_free(ref);
    apn_free(scanned);
    return same ? 1 : -1;
}

static int compare_str(const char *s)
{
    return compare(s, s, strlen(s));
}

/* ---- pages on disk ------------------------------------------------------- */

typedef struct tally { int files, accepted, different, records_differ; } tally;

/* html.c's record of the page, from the scanner's events or libxml2's. */
static char *record_of(const char *path, const char *s, size_t n, int libxml2_only)
{
    apn_doc doc;
    apn_buf out = APN_BUF_INIT;
    apn_doc_init(&doc, path);
    apn_html__use_libxml2 = libxml2_only;
    CHECK_INT(apn_html_read(&doc, s, n) == APN_ENOMEM, 0);
    apn_html__use_libxml2 = 0;
    apn_doc_describe(&out, &doc);
    apn_doc_dispose(&doc);
    apn_buf_putc(&out, 0);
    return apn_buf_detach(&out);
}

static void compare_file(const char *path, tally *t)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    apn_buf b = APN_BUF_INIT;
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        apn_buf_put(&b, chunk, got);
    fclose(f);
    const char *s = b.ptr ? b.ptr : "";
    char *fast = record_of(path, s, b.len, 0), *slow = record_of(path, s, b.len, 1);
    if (strcmp(fast, slow)) {
        show_diff(path, slow, fast);
        t->records_differ++;
    }
    apn_free(fast);
    apn_free(slow);
    size_t off = b.len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3) ? 3 : 0;   /* html.c strips a BOM */
    if (test_utf8_valid(s + off, b.len - off)) {
        int r = compare(path, s + off, b.len - off);
        t->files++;
        t->accepted += r != 0;
        t->different += r < 0;
    }
    apn_buf_dispose(&b);
}

static void compare_tree(const char *dir, const char *suffix, tally *t)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    if (!d)
        return;
    while ((de = readdir(d)) != NULL) {
        char path[4096];
        struct stat st;
        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (stat(path, &st) < 0)
            continue;
        size_t n = strlen(de->d_name), k = strlen(suffix);
        if (S_ISDIR(st.st_mode))
            compare_tree(path, suffix, t);
        else if (n >= k && !strcmp(de->d_name + n - k, suffix))
            compare_file(path, t);
    }
    closedir(d);
}

TEST(htmlscan__bundled_corpus_same_events_and_all_taken)
{
    char dir[4096];
    tally t = { 0, 0, 0, 0 };
    snprintf(dir, sizeof dir, "%s/data/corpus", test_root());
    compare_tree(dir, ".html", &t);
    CHECK(t.files >= 60);
    CHECK_INT(t.different, 0);
    CHECK_INT(t.records_differ, 0);
    CHECK_INT(t.accepted, t.files);   /* the AWS template is well-formed: all fast */
}

TEST(htmlscan__real_aws_page_same_events)
{
    char path[4096];
    tally t = { 0, 0, 0, 0 };
    snprintf(path, sizeof path, "%s/tests/resources/real/FTR_Checklist_KO.html", test_root());
    compare_file(path, &t);
    CHECK_INT(t.files, 1);
    CHECK_INT(t.different, 0);
    CHECK_INT(t.records_differ, 0);
    CHECK_INT(t.accepted, 1);
}

TEST(htmlscan__fixtures_and_fuzz_seeds_same_events)
{
    char dir[4096];
    tally t = { 0, 0, 0, 0 };
    snprintf(dir, sizeof dir, "%s/tests/resources", test_root());
    compare_tree(dir, ".html", &t);
    snprintf(dir, sizeof dir, "%s/fuzz/corpus/html", test_root());
    compare_tree(dir, "", &t);
    snprintf(dir, sizeof dir, "%s/fuzz/corpus/htmlscan", test_root());
    compare_tree(dir, "", &t);
    CHECK(t.files >= 20);
    CHECK_INT(t.different, 0);
    CHECK_INT(t.records_differ, 0);
}

/* ---- constructs ---------------------------------------------------------- */

#define PAGE(body) "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>t</title></head>\n" \
                   "<body>" body "</body>\n</html>\n"

TEST(htmlscan__accepted_constructs_match_libxml2)
{
    static const char *const pages[] = {
        PAGE("<p>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &nbsp;&eacute;&euro;</p>"),
        PAGE("<p>&amp &ampx &foo; &a.b; &Amp; &1 &; AT&T & done</p>"),
        PAGE("<p>&#65;&#x42;&#X43;&#128;&#x20AC;&#13;&#x1F600;</p>"),
        PAGE("<div class=\"a\r\nb\tc\" id='q' data-x=1 hidden title=\"&amp;&#65;&foo;\">x</div>"),
        PAGE("<DIV CLASS=\"Up\"><Span>mixed case</SPAN></div>"),
        PAGE("<p>line\r\nbreaks\rand\nmore</p>\r\n<p\r\nclass=x\n>y</p>"),
        PAGE("<br><br/><img src=a.png alt=\"\"><hr /><input type=checkbox checked>"),
        PAGE("<div/><span/>text<a href=x/>link</a>"),
        PAGE("<!-- a comment --><p>x<!----></p><!-- a --->"),
        PAGE("<script>if (a < b && c) { x = \"</div>\"; }</script><style>p>a{}</style><p>after</p>"),
        PAGE("<SCRIPT type=\"text/javascript\">var s = '</scr' + 'ipt>';</SCRIPT >"),
        PAGE("<div><div><span><span>s</span></span></div></div><ul><ul><li>x</li></ul></ul>"),
        PAGE("<section><section><article><article>a</article></article></section></section>"),
        PAGE("<nav><nav><header><header><footer><footer><main><main>m</main></main></footer></footer></header></header></nav></nav>"),
        PAGE("<aside><aside><ol><ol><dl><dl><blockquote><blockquote>q</blockquote></blockquote></dl></dl></ol></ol></aside></aside>"),
        PAGE("<strong><strong><em><em><b><b><i><i><small><small><code><code>c</code></code></small></small></i></i></b></b></em></em></strong></strong>"),
        PAGE("<custom-el data-a=\"1\"><x-y>unknown tags</x-y></custom-el>"),
        PAGE("<table><tr><td>1</td><td>2</td></tr></table><p>after table</p>"),
        PAGE("<li class=\"controlCategory--requirement\"\n   id=\"requirement_A-1\"><h4>A-1 - T</h4></li>"),
        PAGE("<a href=\"x?a=1&b=2&amp;c=3\">q</a><a href=x?a=1&b=2>u</a>"),
        PAGE("<p>caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xC2\x80</p>"),
        "<html><body><p>no doctype, no head</p></body></html>",
        "\n\n  <!-- lead -->\n<!doctype HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\" \"http://www.w3.org/TR/html4/strict.dtd\">\n"
        "<html><head>\n  <title>x</title>\n</head>\n<body>\n<p>4.01</p>\n</body></html>\n<!-- tail -->\n",
        "<html><head></head><body>x</body></html>",
        PAGE("<p>para<div>block closes p</div></p>"),
        PAGE("<p class=\"controlCategory--description\"><p>nested p, as on AWS's pages</p>\n</p>"),
        PAGE("<ul><li>a</li><li>b<li>c</li></ul>"),
        PAGE("</p>stray end</br></span>"),
        "<html><head><title>t</title><div>a block closes head</div></body></html>",
        PAGE("<ul><li>a<li>b</ul>after"),
        PAGE("<div><span>misnested</div></span>after"),
        PAGE("<ol><li><dl><dt>x</dt><dd>y</dd></ol>as on AWS's page"),
        PAGE("<div><p><span>x</div>y"),
        PAGE("<div><table><tr><td>cell</div>still in the cell</td></tr></table></div>"),
        PAGE("<table><tr><td><span>x</table>after"),
        PAGE("<div><div><em>x</div></div>"),
        PAGE("<form><table><tr><td>x</form>y</td></tr></table>"),
        PAGE("<section><div>x</section>y</div>"),
        PAGE("<div>closed by </body>"),
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        int r = compare_str(pages[i]);
        if (r != 1)
            fprintf(stderr, "  page %zu: %s\n", i, r ? "different" : "declined");
        CHECK_INT(r, 1);
    }
}

TEST(htmlscan__constructs_left_to_libxml2)
{
    static const char *const pages[] = {
        PAGE("<p>&#0; &#xD800;</p>"),
        PAGE("<p>&#65</p>"),
        PAGE("<p>&caf\xC3\xA9;</p>"),
        PAGE("<p a=1 a=2>dup</p>"),
        PAGE("<p>bell\x07</p>"),
        PAGE("<p>form\x0C" "feed</p>"),
        PAGE("<p>x</p><?php echo 1; ?>"),
        PAGE("<![CDATA[x]]>"),
        PAGE("<p>a < b</p>"),
        PAGE("<!-- a -- b -->"),
        PAGE("<!-->"),
        PAGE("<html>nested html</html>"),
        PAGE("<body>second body</body>"),
        PAGE("<head>late head</head>"),
        PAGE("<script>never closed"),
        "<html><head>text in head</head><body></body></html>",
        "<html>text in html<body></body></html>",
        "stray text<html><body></body></html>",
        "<html><body></body></html><p>after the root</p>",
        "<html><body><div></html>",
        "<html><body></body>",
        "<?xml version=\"1.0\"?><html><body></body></html>",
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        int r = compare_str(pages[i]);
        if (r != 0)
            fprintf(stderr, "  page %zu: %s\n", i, r > 0 ? "accepted" : "different");
        CHECK_INT(r, 0);
    }
}

TEST(htmlscan__deep_pages_are_declined_not_overflowed)
{
    apn_buf b = APN_BUF_INIT;
    apn_buf_puts(&b, "<html><body>");
    for (int i = 0; i < 300; i++)
        apn_buf_puts(&b, "<div>");
    for (int i = 0; i < 300; i++)
        apn_buf_puts(&b, "</div>");
    apn_buf_puts(&b, "</body></html>");
    CHECK_INT(compare("deep", b.ptr, b.len), 0);
    apn_buf_dispose(&b);
}

/* Nesting an element in itself: libxml2 closes some (p, li, td, ...) and nests
 * the rest; the scanner's list must agree for every HTML 4 element. */
TEST(htmlscan__same_name_nesting_matches_libxml2)
{
    static const char *const names[] = {
        "a", "abbr", "acronym", "address", "applet", "b", "bdo", "big", "blockquote", "button",
        "caption", "center", "cite", "code", "colgroup", "dd", "del", "dfn", "dir", "div", "dl",
        "dt", "em", "fieldset", "font", "form", "h1", "h2", "h3", "h4", "h5", "h6", "i", "iframe",
        "ins", "kbd", "label", "legend", "li", "map", "menu", "noframes", "noscript", "object",
        "ol", "optgroup", "option", "p", "pre", "q", "s", "samp", "select", "small", "span",
        "strike", "strong", "sub", "sup", "table", "tbody", "td", "textarea", "tfoot", "th",
        "thead", "tr", "tt", "u", "ul", "var", "section", "article", "nav", "main", NULL };
    for (int i = 0; names[i]; i++) {
        char page[256];
        snprintf(page, sizeof page, "<html><body><div><%s><%s>t</%s>u</%s>v</div></body></html>",
                 names[i], names[i], names[i], names[i]);
        int r = compare_str(page);
        if (r != 1)
            fprintf(stderr, "  <%s>: %s\n", names[i], r ? "different" : "declined");
        CHECK_INT(r, 1);
    }
}
