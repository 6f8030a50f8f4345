/* html — read an APN checklist page into an apn_doc. See html.h.
 *
 * Sections of this file:
 *   1. charset: BOM / <meta> sniffing; util/utf8.c converts the bytes to valid UTF-8
 *   2. text helpers: class tokens, line-wise squeezing, heading split
 *   3. the SAX state: an element stack whose frames own the open "captures"
 *   4. capture ends: what each finished heading, item or prerequisite becomes
 *   5. SAX callbacks and apn_html_read
 *
 * libxml2 2.9.14 silently re-reads a page as ISO-8859-1 as soon as it meets one
 * invalid UTF-8 byte (so "café" elsewhere on the page turns into mojibake), and
 * it follows <meta charset> on its own. We therefore decode the bytes ourselves
 * into valid UTF-8 (invalid bytes become U+FFFD) and run the parser with
 * HTML_PARSE_IGNORE_ENC on UTF-8 input.
 *
 * Known libxml2 2.9.14 limit: when one of its own allocations fails while it
 * parses an attribute value, it stops the parser but keeps looping over the
 * attribute (xmlNextChar no longer advances), so a fault-injection test must not
 * make libxml2's allocations fail during a page parse (our own ones are fine).
 */
#include "read/html.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>

#include "util/buf.h"
#include "util/utf8.h"
#include "read/htmlscan.h"
#include "read/ids.h"

/* ===================================================================== */
/* 1. charset                                                            */
/* ===================================================================== */

typedef enum { CS_UTF8, CS_UTF16LE, CS_UTF16BE, CS_CP1252, CS_ICONV } charset_kind;

static int ci_prefix(const char *s, size_t n, const char *p)
{
    size_t m = strlen(p);
    return n >= m && strncasecmp(s, p, m) == 0;
}

/* Finds "charset" [spaces] "=" [spaces] [quote] LABEL in a <meta> tag (covers
 * both <meta charset=...> and http-equiv content="text/html; charset=..."). */
static int meta_charset(const char *tag, size_t n, char *label, size_t cap)
{
    for (size_t i = 0; i + 7 <= n; i++) {
        if (strncasecmp(tag + i, "charset", 7))
            continue;
        size_t j = i + 7;
        while (j < n && (tag[j] == ' ' || tag[j] == '\t' || tag[j] == '\n' || tag[j] == '\r'))
            j++;
        if (j >= n || tag[j] != '=')
            continue;
        j++;
        while (j < n && (tag[j] == ' ' || tag[j] == '"' || tag[j] == '\'' || tag[j] == '\t'))
            j++;
        size_t k = 0;
        while (j < n && k + 1 < cap &&
               ((tag[j] >= 'a' && tag[j] <= 'z') || (tag[j] >= 'A' && tag[j] <= 'Z') ||
                (tag[j] >= '0' && tag[j] <= '9') || strchr("-_.:", tag[j])))
            label[k++] = tag[j++];
        label[k] = 0;
        if (k)
            return 1;
    }
    return 0;
}

/* The declared charset: the first <meta> with a charset in the first 8 KB. */
static int sniff_meta(const char *s, size_t n, char *label, size_t cap)
{
    if (n > 8192)
        n = 8192;
    for (size_t i = 0; i + 5 < n; i++) {
        if (s[i] != '<' || !ci_prefix(s + i + 1, n - i - 1, "meta"))
            continue;
        const char *end = memchr(s + i, '>', n - i);
        size_t len = end ? (size_t)(end - (s + i)) : n - i;
        if (meta_charset(s + i, len, label, cap))
            return 1;
    }
    return 0;
}

static charset_kind charset_of_label(const char *l)
{
    static const char *const latin[] = {
        "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1", "cp819", "ibm819",
        "iso-ir-100", "csisolatin1", "windows-1252", "cp1252", "x-cp1252", "us-ascii",
        "ascii", "ansi_x3.4-1968", NULL };
    if (!strcasecmp(l, "utf-8") || !strcasecmp(l, "utf8") ||
        !strcasecmp(l, "unicode-1-1-utf-8") || !strncasecmp(l, "utf-16", 6))
        return CS_UTF8;  /* a <meta> that names UTF-16 was itself read as ASCII */
    for (int i = 0; latin[i]; i++)
        if (!strcasecmp(l, latin[i]))
            return CS_CP1252;
    return CS_ICONV;
}

/* ===================================================================== */
/* 2. text helpers                                                       */
/* ===================================================================== */

static int has_class(const char *cls, const char *tok)
{
    if (!cls)
        return 0;
    size_t m = strlen(tok);
    for (const char *p = cls; (p = strstr(p, tok)) != NULL; p += m) {
        int before = p == cls || p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n' || p[-1] == '\r';
        char a = p[m];
        if (before && (a == 0 || a == ' ' || a == '\t' || a == '\n' || a == '\r'))
            return 1;
    }
    return 0;
}

static int is_space_at(const unsigned char *r, int *skip)
{
    *skip = 1;
    if (*r == ' ' || *r == '\t' || *r == '\r' || *r == '\f' || *r == '\v')
        return 1;
    if (r[0] == 0xC2 && r[1] == 0xA0)
        return *skip = 2, 1;
    return 0;
}

/* Squeezes each line of s (whitespace runs to one space, trimmed) and drops
 * empty lines, in place. Example: " a  b \n\n  c\n" -> "a b\nc". */
/* Bytes squeeze_lines must look at: NUL, whitespace and 0xC2 (U+00A0). */
static const unsigned char line_special[256] = {
    [0] = 1, [' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, ['\f'] = 1, ['\v'] = 1, [0xC2] = 1,
};

static void squeeze_lines(char *s)
{
    char *w = s;
    const unsigned char *r = (const unsigned char *)s;
    int space = 0, line_has = 0;
    while (*r) {
        int skip;
        if (!line_special[*r]) {   /* a run of plain bytes */
            const unsigned char *r0 = r;
            while (!line_special[*++r])
                ;
            if (space)
                *w++ = ' ';
            space = 0;
            if (w != (const char *)r0)
                memmove(w, r0, (size_t)(r - r0));
            w += r - r0;
            line_has = 1;
            continue;
        }
        if (*r == '\n') {
            if (line_has) {
                *w++ = '\n';
                line_has = 0;
            }
            space = 0;
            r++;
        } else if (is_space_at(r, &skip)) {
            space = line_has;
            r += skip;
        } else {
            if (space)
                *w++ = ' ';
            space = 0;
            *w++ = (char)*r++;
            line_has = 1;
        }
    }
    if (w > s && w[-1] == '\n')
        w--;
    *w = 0;
}

/* Finds the " - " (or en/em dash) separating "<ID> - <Title>", outside
 * parentheses ("ACOM-001 (CIS - 1.2) - Title"). Returns the separator's offset
 * and its length in *seplen, or -1. */
static long find_sep(const char *h, size_t *seplen)
{
    int depth = 0;
    for (size_t i = 0; h[i]; i++) {
        char c = h[i];
        if (c == '(')
            depth++;
        else if (c == ')' && depth > 0)
            depth--;
        else if (c == ' ' && depth == 0) {
            if (h[i + 1] == '-' && h[i + 2] == ' ')
                return *seplen = 3, (long)i;
            if ((unsigned char)h[i + 1] == 0xE2 && (unsigned char)h[i + 2] == 0x80 &&
                ((unsigned char)h[i + 3] == 0x93 || (unsigned char)h[i + 3] == 0x94) &&
                h[i + 4] == ' ')
                return *seplen = 5, (long)i;
        }
    }
    return -1;
}

/* ===================================================================== */
/* 3. SAX state                                                          */
/* ===================================================================== */

typedef enum {
    H_NONE, H_H1, H_H2, H_H3, H_VERSION, H_SIDE_TITLE, H_SIDE_SUB, H_GROUP_H3, H_PRE_H4,
    H_CAT_H3, H_ITEM_H4
} head_kind;

typedef enum { D_ITEM = 1, D_PRE, D_GROUP } det_kind;

typedef struct frame {
    const xmlChar *name;
    unsigned serial;
    unsigned char block;
} frame;

typedef struct state {
    apn_doc *doc;
    struct { const xmlChar *name; unsigned char block; } blocks[64];   /* is_block by name */
    htmlParserCtxtPtr ctxt;     /* NULL while htmlscan.c sends the events */
    long scan_line;             /* htmlscan.c's line of the current start tag */
    frame *stack;
    size_t depth, cap;
    unsigned next_serial;
    int oom;

    /* owners: the serial of the frame a capture belongs to, 0 when closed */
    unsigned head_owner, num_owner, det_owner, link_owner, item_owner, pre_owner,
        group_owner, cat_owner, dl_owner;
    head_kind head;
    det_kind det;
    apn_buf hb, nb, db, lb;     /* heading, number span, details, link text */

    int expect_sub, expect_validity;
    const char *side_title, *side_sub;

    /* the open item */
    const char *item_id, *item_heading, *item_desc, *item_section;
    long item_line;
    /* open prerequisite records (indexes into doc->prereqs), -1 when none */
    long pre_idx, group_idx;
    int group_has_req;
    const char *link_href;
    int link_target;            /* 1 downloads, 2 prerequisite */
    long link_pre;

    const char *cat_name;
    int watch_eof;      /* one-call parse: check for a cut page at the first close at EOF */
} state;

static long cur_line(state *st)
{
    if (!st->ctxt)
        return st->scan_line;
    return st->ctxt->input ? st->ctxt->input->line : 0;
}

/* "#<id>", else "line <n>", in the doc's arena (one per item: no printf). */
static const char *locus_of(state *st, const char *id, long line)
{
    char tmp[32];
    const char *src = tmp;
    size_t n;
    if (id && *id) {
        n = strlen(id);
        src = id;
    } else {
        n = (size_t)snprintf(tmp, sizeof tmp, "line %ld", line);
    }
    char *l = apn_arena_alloc(&st->doc->arena, n + 2);
    if (!l) {
        st->oom = 1;
        return NULL;
    }
    if (src == id) {
        l[0] = '#';
        memcpy(l + 1, id, n + 1);
    } else {
        memcpy(l, tmp, n + 1);
    }
    return l;
}

/* A copy of the buffer's text, squeezed to one line, in the doc's arena; NULL
 * when it is empty. */
static const char *take_line(state *st, apn_buf *b)
{
    if (!b->len)
        return NULL;
    apn_text_squeeze(b->ptr);
    b->len = strlen(b->ptr);
    const char *s = b->len ? apn_doc_strn(st->doc, b->ptr, b->len) : NULL;
    if (b->len && !s)
        st->oom = 1;
    apn_buf_clear(b);
    return s;
}

static const char *arena_dup(state *st, const char *s)
{
    const char *r = apn_doc_str(st->doc, s);
    if (s && !r)
        st->oom = 1;
    return r;
}

/* ===================================================================== */
/* 4. capture ends                                                       */
/* ===================================================================== */

static void add_validity(state *st, const char *h)
{
    const char *colon = strchr(h, ':');
    if (ci_prefix(h, strlen(h), "validity period")) {
        const char *v = colon ? colon + 1 : h + 15;
        while (*v == ' ')
            v++;
        if (*v)
            st->doc->validity = arena_dup(st, v);
        return;
    }
    /* a translated label: "<words>: <Month> 2026-<Month> 2026" right under the title */
    if (st->expect_validity && colon) {
        const char *v = colon + 1;
        int digits = 0;
        for (const char *p = v; *p && digits < 4; p++)
            digits = (*p >= '0' && *p <= '9') ? digits + 1 : 0;
        while (*v == ' ')
            v++;
        if (digits == 4 && *v)
            st->doc->validity = arena_dup(st, v);
    }
}

static void head_end(state *st)
{
    head_kind k = st->head;
    const char *s, *num;
    st->head = H_NONE;
    st->head_owner = 0;
    st->num_owner = 0;
    s = take_line(st, &st->hb);
    switch (k) {
    case H_H1:
        if (!st->doc->title && s) {
            st->doc->title = s;
            st->expect_sub = 1;
            st->expect_validity = 1;
        }
        break;
    case H_H2:
        if (!st->doc->subtitle)
            st->doc->subtitle = s;
        break;
    case H_H3:
        if (!st->doc->validity && s)
            add_validity(st, s);
        break;
    case H_VERSION:
        if (!st->doc->version)
            st->doc->version = s;
        break;
    case H_SIDE_TITLE:
        if (!st->side_title)
            st->side_title = s;
        break;
    case H_SIDE_SUB:
        if (!st->side_sub)
            st->side_sub = s;
        break;
    case H_GROUP_H3:
    case H_PRE_H4: {
        long idx = k == H_GROUP_H3 ? st->group_idx : st->pre_idx;
        num = take_line(st, &st->nb);
        if (idx >= 0 && !st->doc->prereqs[idx].title) {
            st->doc->prereqs[idx].title = s;
            st->doc->prereqs[idx].number = num;
        }
        break;
    }
    case H_CAT_H3:
        if (!st->cat_name)
            st->cat_name = s;
        break;
    case H_ITEM_H4:
        if (!st->item_heading)
            st->item_heading = s;
        break;
    case H_NONE:
        break;
    }
    apn_buf_clear(&st->nb);
}

static void head_begin(state *st, head_kind k, unsigned owner)
{
    if (st->head_owner)
        head_end(st);
    st->head = k;
    st->head_owner = owner;
    apn_buf_clear(&st->hb);
    apn_buf_clear(&st->nb);
}

static void link_end(state *st)
{
    const char *text = take_line(st, &st->lb);
    apn_link *l = NULL;
    st->link_owner = 0;
    if (st->link_target == 1)
        l = apn_doc_add_download(st->doc);
    else if (st->link_target == 2 && st->link_pre >= 0 &&
             (size_t)st->link_pre < st->doc->nprereqs)
        l = apn_prereq_add_link(&st->doc->prereqs[st->link_pre]);
    else
        return;
    if (!l) {
        st->oom = 1;
        return;
    }
    l->href = st->link_href;
    l->text = text ? text : arena_dup(st, "");
}

static void det_end(state *st)
{
    const char *s = NULL;
    det_kind k = st->det;
    if (st->link_owner)
        link_end(st);
    st->det_owner = 0;
    st->det = 0;
    if (st->db.len) {
        squeeze_lines(st->db.ptr);
        st->db.len = strlen(st->db.ptr);
        if (st->db.len && !(s = apn_doc_strn(st->doc, st->db.ptr, st->db.len)))
            st->oom = 1;
    }
    apn_buf_clear(&st->db);
    if (k == D_ITEM && st->item_owner && !st->item_desc)
        st->item_desc = s;
    else if (k == D_PRE && st->pre_idx >= 0 && !st->doc->prereqs[st->pre_idx].text)
        st->doc->prereqs[st->pre_idx].text = s;
    else if (k == D_GROUP && st->group_idx >= 0 && !st->doc->prereqs[st->group_idx].text)
        st->doc->prereqs[st->group_idx].text = s;
}

static void det_begin(state *st, det_kind k, unsigned owner)
{
    if (st->det_owner)
        det_end(st);
    st->det = k;
    st->det_owner = owner;
    apn_buf_clear(&st->db);
}

static void item_end(state *st)
{
    apn_doc *doc = st->doc;
    const char *h = st->item_heading, *locus;
    const char *raw = NULL, *title = NULL;
    apn_id id;

    if (st->det_owner && st->det == D_ITEM)
        det_end(st);
    if (st->head_owner && st->head == H_ITEM_H4)
        head_end(st);
    st->item_owner = 0;
    locus = locus_of(st, st->item_id, st->item_line);

    size_t seplen = 0;
    long sep = h ? find_sep(h, &seplen) : -1;
    if (sep >= 0) {
        raw = apn_doc_strn(doc, h, (size_t)sep);
        title = h[sep + (long)seplen] ? h + sep + (long)seplen : NULL;
    } else if (h) {
        size_t n = strlen(h);
        /* "HOST-001 -" (title missing after the dash) */
        if (n > 2 && h[n - 1] == '-' && h[n - 2] == ' ')
            n -= 2;
        if (apn_id_parsen(&id, h, n) == 0) {
            raw = apn_doc_strn(doc, h, n);
        } else {
            title = h;
        }
    }
    if (!raw) {
        /* no "<ID> - " in the heading: the element id names the item */
        const char *eid = st->item_id;
        if (eid && !strncmp(eid, "requirement_", 12) && eid[12]) {
            raw = arena_dup(st, eid + 12);
            apn_doc_diag(doc, APN_SEV_WARNING, locus,
                         "item heading without an ID (\"%s\"): ID taken from the element id",
                         h ? h : "");
        } else if (h) {
            raw = h;
            apn_doc_diag(doc, APN_SEV_WARNING, locus, "item heading without an ID: \"%s\"", h);
        } else {
            apn_doc_diag(doc, APN_SEV_WARNING, locus, "item without a heading or id, skipped");
            goto done;
        }
    }
    if (!raw) {
        st->oom = 1;
        goto done;
    }
    apn_item *it = apn_doc_add_item(doc);
    if (!it) {
        st->oom = 1;
        goto done;
    }
    it->kind = APN_ITEM_CONTROL;
    if (apn_id_parse(&id, raw) < 0) {
        /* "ACOM-001 (CIS_5.0 ...)": an ID followed by its references */
        size_t t = strcspn(raw, " (");
        if (t && t < strlen(raw) && apn_id_parsen(&id, raw, t) == 0) {
            raw = apn_doc_strn(doc, raw, t);
            if (!raw)
                st->oom = 1;
        } else {
            it->kind = APN_ITEM_PSEUDO;
        }
    }
    it->raw_id = raw ? raw : "";
    if (!title && st->item_desc) {
        size_t n = strcspn(st->item_desc, "\n");
        title = apn_doc_strn(doc, st->item_desc, n);
    }
    if (!title)
        apn_doc_diag(doc, APN_SEV_WARNING, locus, "item %s has no title", it->raw_id);
    it->title = title ? title : "";
    it->description = st->item_desc;
    it->section = st->item_section;
    it->locus = locus;
    it->customer_example = st->item_section && strcasestr(st->item_section, "customer example");
done:
    st->item_id = st->item_heading = st->item_desc = st->item_section = NULL;
}

/* Starts a prerequisite record; returns its index or -1. */
static long pre_new(state *st, const char *id)
{
    apn_prereq *p = apn_doc_add_prereq(st->doc);
    if (!p) {
        st->oom = 1;
        return -1;
    }
    p->locus = locus_of(st, id, cur_line(st));
    return (long)(st->doc->nprereqs - 1);
}

static void pre_end(state *st)
{
    if (st->det_owner && st->det == D_PRE)
        det_end(st);
    if (st->head_owner && st->head == H_PRE_H4)
        head_end(st);
    st->pre_owner = 0;
    st->pre_idx = -1;
}

/* The first requirement of a group replaces the group's own record. */
static void group_drop(state *st)
{
    if (st->det_owner && st->det == D_GROUP)
        det_end(st);
    if (st->head_owner && st->head == H_GROUP_H3)
        head_end(st);
    if (st->group_idx >= 0 && (size_t)st->group_idx == st->doc->nprereqs - 1) {
        apn_free(st->doc->prereqs[st->group_idx].links);
        st->doc->nprereqs--;
    }
    st->group_idx = -1;
}

static void group_end(state *st)
{
    if (st->det_owner && st->det == D_GROUP)
        det_end(st);
    if (st->head_owner && st->head == H_GROUP_H3)
        head_end(st);
    if (st->group_idx >= 0) {
        apn_prereq *p = &st->doc->prereqs[st->group_idx];
        /* an empty group says nothing */
        if (!p->title && !p->text && !p->nlinks && (size_t)st->group_idx == st->doc->nprereqs - 1) {
            apn_free(p->links);
            st->doc->nprereqs--;
        }
    }
    st->group_owner = 0;
    st->group_idx = -1;
    st->group_has_req = 0;
}

/* Ends whatever the frame with this serial owns (it is being popped). */
static void frame_end(state *st, unsigned s)
{
    if (st->link_owner == s)
        link_end(st);
    if (st->head_owner == s)
        head_end(st);
    if (st->num_owner == s)
        st->num_owner = 0;
    if (st->det_owner == s)
        det_end(st);
    if (st->item_owner == s)
        item_end(st);
    if (st->pre_owner == s)
        pre_end(st);
    if (st->group_owner == s)
        group_end(st);
    if (st->cat_owner == s) {
        st->cat_owner = 0;
        st->cat_name = NULL;
    }
    if (st->dl_owner == s)
        st->dl_owner = 0;
}

/* The input ended inside an item or prerequisite: a cut page (libxml2 is
 * about to close it). */
static void warn_truncated(state *st)
{
    st->watch_eof = 0;
    if (st->oom || !(st->item_owner || st->pre_owner))
        return;
    const char *l = st->item_owner ? locus_of(st, st->item_id, st->item_line)
                                   : (st->pre_idx >= 0 ? st->doc->prereqs[st->pre_idx].locus : NULL);
    apn_doc_diag(st->doc, APN_SEV_WARNING, l, "page ends inside this %s: the file looks truncated",
                 st->item_owner ? "item" : "prerequisite");
}

/* In a one-call parse, the element events that come with the whole input
 * consumed are libxml2 closing what is still open at the end. */
static void check_eof(state *st)
{
    if (st->watch_eof && st->ctxt->input && st->ctxt->input->cur >= st->ctxt->input->end)
        warn_truncated(st);
}

/* ===================================================================== */
/* 5. SAX callbacks                                                      */
/* ===================================================================== */

static int is_block(const char *n)
{
    static const char *const blocks[] = {
        "address", "article", "aside", "blockquote", "body", "br", "dd", "details", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
        "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
        "summary", "table", "td", "th", "tr", "ul", NULL };
    for (int i = 0; blocks[i]; i++)
        if (n[0] == blocks[i][0] && !strcmp(n, blocks[i]))
            return 1;
    return 0;
}

static void det_break(state *st)
{
    if (st->db.len && st->db.ptr[st->db.len - 1] != '\n')
        apn_buf_putc(&st->db, '\n');
}

/* Roles given by the template's class names, on whatever element carries them
 * (the AWS pages use li/div/span/p; another producer may not). */
static void on_class(state *st, const char *cls, const char *id, unsigned me)
{
    if (strstr(cls, "controlCategory")) {
        if (has_class(cls, "controlCategory--requirement")) {
            if (st->item_owner)
                item_end(st);
            st->item_owner = me;
            st->item_id = arena_dup(st, id);
            st->item_line = cur_line(st);
            st->item_section = st->cat_name;
            st->item_heading = st->item_desc = NULL;
        } else if (has_class(cls, "controlCategory--requirementTitle")) {
            if (st->item_owner && !st->item_heading && !st->det_owner && st->head != H_ITEM_H4)
                head_begin(st, H_ITEM_H4, me);
        } else if (has_class(cls, "controlCategory--requirementDetails")) {
            if (st->item_owner)
                det_begin(st, D_ITEM, me);
        } else if (has_class(cls, "controlCategory")) {
            if (st->item_owner)
                item_end(st);
            st->cat_owner = me;
            st->cat_name = NULL;
        }
    } else if (strstr(cls, "prereqSection")) {
        if (has_class(cls, "prereqSection--requirement")) {
            if (st->pre_owner)
                pre_end(st);
            if (st->group_owner) {
                if (!st->group_has_req)
                    group_drop(st);
                st->group_has_req = 1;
            }
            st->pre_owner = me;
            st->pre_idx = pre_new(st, id);
        } else if (has_class(cls, "prereqSection--requirementTitle")) {
            if (st->pre_owner && !st->det_owner && st->pre_idx >= 0 &&
                !st->doc->prereqs[st->pre_idx].title && st->head != H_PRE_H4)
                head_begin(st, H_PRE_H4, me);
        } else if (has_class(cls, "prereqSection--requirementDetails")) {
            if (st->pre_owner)
                det_begin(st, D_PRE, me);
        } else if (has_class(cls, "prereqSection--content")) {
            if (st->group_owner && !st->group_has_req && st->group_idx >= 0)
                det_begin(st, D_GROUP, me);
        } else if (has_class(cls, "prereqSection--requirementNumber") ||
                   has_class(cls, "prereqSection--number")) {
            if (st->head == H_PRE_H4 || st->head == H_GROUP_H3)
                st->num_owner = me;
        } else if (has_class(cls, "prereqSection")) {
            if (st->pre_owner)
                pre_end(st);
            if (st->group_owner)
                group_end(st);
            st->group_owner = me;
            st->group_has_req = 0;
            st->group_idx = pre_new(st, id);
        }
    } else if (has_class(cls, "downloadLinks")) {
        st->dl_owner = me;
    } else if (has_class(cls, "versionExplanation")) {
        if (!st->doc->version)
            head_begin(st, H_VERSION, me);
    } else if (has_class(cls, "sidebar--title")) {
        head_begin(st, H_SIDE_TITLE, me);
    } else if (has_class(cls, "sidebar--subtitle")) {
        head_begin(st, H_SIDE_SUB, me);
    }
}

/* A heading start tag <hN>: which capture, if any, it opens. */
static void on_heading(state *st, char lvl, const char *cls, unsigned me)
{
    if (lvl == '1' && !st->doc->title) {
        head_begin(st, H_H1, me);
    } else if (lvl == '2' && st->expect_sub) {
        st->expect_sub = 0;
        if (!has_class(cls, "section--title"))
            head_begin(st, H_H2, me);
    } else if (lvl == '3' && st->group_owner && st->group_idx >= 0 && !st->group_has_req &&
               !st->doc->prereqs[st->group_idx].title) {
        head_begin(st, H_GROUP_H3, me);
    } else if (lvl == '3' && st->cat_owner && !st->item_owner && !st->cat_name) {
        head_begin(st, H_CAT_H3, me);
    } else if (lvl == '3' && !st->doc->validity && !st->cat_owner && !st->group_owner &&
               !st->item_owner && !st->pre_owner) {
        head_begin(st, H_H3, me);
    } else if (lvl == '4' && st->item_owner && !st->item_heading && !st->det_owner) {
        head_begin(st, H_ITEM_H4, me);
    } else if (lvl == '4' && st->pre_owner && !st->det_owner && st->pre_idx >= 0 &&
               !st->doc->prereqs[st->pre_idx].title) {
        head_begin(st, H_PRE_H4, me);
    }
}

/* <a href>: a download link (inside the downloads list) or a prerequisite's
 * link (inside its details) starts capturing its text. */
static void on_link(state *st, const char *href, unsigned me)
{
    int target = 0;
    long pre = -1;
    if (st->dl_owner)
        target = 1;
    else if (st->det_owner && st->det == D_PRE)
        target = 2, pre = st->pre_idx;
    else if (st->det_owner && st->det == D_GROUP)
        target = 2, pre = st->group_idx;
    if (!target)
        return;
    if (st->link_owner)
        link_end(st);
    st->link_owner = me;
    st->link_target = target;
    st->link_pre = pre;
    st->link_href = arena_dup(st, href);
    apn_buf_clear(&st->lb);
}

/* Pushes a frame for element xname. NULL on APN_ENOMEM (the parse stops). */
static frame *push_frame(state *st, const xmlChar *xname)
{
    if (apn_grow(&st->stack, &st->cap, st->depth + 1, sizeof *st->stack) < 0) {
        st->oom = 1;
        if (st->ctxt)
            xmlStopParser(st->ctxt);
        return NULL;
    }
    frame *f = &st->stack[st->depth++];
    f->name = xname;
    f->serial = ++st->next_serial;
    /* names are interned by the parser's dictionary: remember the answer */
    size_t slot = ((uintptr_t)xname >> 4) & 63;
    if (st->blocks[slot].name != xname) {
        st->blocks[slot].name = xname;
        st->blocks[slot].block = (unsigned char)is_block((const char *)xname);
    }
    f->block = st->blocks[slot].block;
    return f;
}

static void on_start(void *ctx, const xmlChar *xname, const xmlChar **attrs)
{
    state *st = ctx;
    const char *name = (const char *)xname;
    const char *cls = NULL, *id = NULL, *href = NULL, *lang = NULL;
    check_eof(st);
    if (st->oom || !name)
        return;
    for (const xmlChar **a = attrs; a && a[0]; a += 2) {
        const char *k = (const char *)a[0], *v = (const char *)a[1];
        switch (k[0]) {
        case 'c': if (!strcmp(k, "class")) cls = v; break;
        case 'i': if (k[1] == 'd' && !k[2]) id = v; break;
        case 'h': if (!strcmp(k, "href")) href = v; break;
        case 'l': if (!strcmp(k, "lang")) lang = v; break;
        }
    }
    frame *f = push_frame(st, xname);
    if (!f)
        return;
    unsigned me = f->serial;
    char c0 = name[0];
    if (f->block && strcmp(name, "br")) {
        /* a block inside a heading-like capture ends it (a missing </h4>, or a
         * <p> that libxml2 keeps open around the following sections) */
        if (st->head_owner)
            head_end(st);
        if (st->expect_sub && strcmp(name, "h2") && strcmp(name, "hr"))
            st->expect_sub = 0;
    }
    if (st->det_owner && f->block)
        det_break(st);
    if (c0 == 'b' && name[1] == 'r' && !name[2]) {
        /* a line break inside a one-line text still separates words */
        if (st->head_owner)
            apn_buf_putc(st->num_owner ? &st->nb : &st->hb, ' ');
        if (st->link_owner)
            apn_buf_putc(&st->lb, ' ');
    }
    if (c0 == 'h' && name[1] >= '1' && name[1] <= '6' && !name[2]) {
        on_heading(st, name[1], cls, me);
        return;   /* a heading's class adds nothing the level did not say */
    }
    if (c0 == 'a' && name[1] == 0 && href) {
        on_link(st, href, me);
    } else if (c0 == 'h' && !strcmp(name, "html") && lang && !st->doc->lang) {
        while (*lang == ' ')
            lang++;
        size_t n = strcspn(lang, " \t\r\n");
        if (n && !(st->doc->lang = apn_doc_strn(st->doc, lang, n)))
            st->oom = 1;
    } else if (c0 == 's' && !strcmp(name, "section")) {
        st->expect_validity = 0;
    }
    if (cls)
        on_class(st, cls, id, me);
}

static void on_end(void *ctx, const xmlChar *xname)
{
    state *st = ctx;
    check_eof(st);
    if (st->oom || !xname)
        return;
    size_t i = st->depth;
    while (i > 0 && st->stack[i - 1].name != xname &&
           strcmp((const char *)st->stack[i - 1].name, (const char *)xname))
        i--;
    if (i == 0)
        return;   /* an end tag with no open element: libxml2 normally drops these */
    while (st->depth >= i) {
        frame *f = &st->stack[--st->depth];
        if (st->det_owner && f->block && f->serial != st->det_owner)
            det_break(st);
        frame_end(st, f->serial);
    }
}

static void on_chars(void *ctx, const xmlChar *s, int n)
{
    state *st = ctx;
    if (st->oom || n <= 0)
        return;
    if (st->num_owner)
        apn_buf_put(&st->nb, (const char *)s, (size_t)n);
    else if (st->head_owner)
        apn_buf_put(&st->hb, (const char *)s, (size_t)n);
    if (st->link_owner)
        apn_buf_put(&st->lb, (const char *)s, (size_t)n);
    if (st->det_owner) {
        size_t from = st->db.len;
        apn_buf_put(&st->db, (const char *)s, (size_t)n);
        /* source line breaks are spaces; only blocks make lines */
        if (!st->db.oom)
            for (char *q = st->db.ptr + from, *e = st->db.ptr + st->db.len;
                 (q = memchr(q, '\n', (size_t)(e - q))) != NULL;)
                *q++ = ' ';
        if (!st->db.oom)
            for (char *q = st->db.ptr + from, *e = st->db.ptr + st->db.len;
                 (q = memchr(q, '\r', (size_t)(e - q))) != NULL;)
                *q++ = ' ';
    }
}

static void on_ignore(void *ctx, const xmlChar *s, int n)
{
    (void)ctx, (void)s, (void)n;   /* script and style bodies */
}

static void on_serror(void *ctx, xmlErrorPtr err)
{
    /* recovery is the point: nothing to report; but after one of its own
     * allocations failed, libxml2 2.9's push parser can drop content silently
     * or loop forever (found by tests/oom): stop it and fail the page */
    state *st = ctx;
    if (err && err->code == XML_ERR_NO_MEMORY && st && st->ctxt) {
        st->oom = 1;
        xmlStopParser(st->ctxt);
    }
}

static void on_generic_error(void *ctx, const char *fmt, ...)
{
    (void)ctx, (void)fmt;          /* libxml2's out-of-memory reports bypass serror */
}

int apn_html__use_libxml2;

/* Not a page at all: no markup, or binary bytes (NULs, control codes) without
 * the start of an HTML document. */
static int not_a_page(const char *s, size_t n)
{
    size_t ctl = 0, probe = n < 4096 ? n : 4096, i;
    int markup = 0, html = 0;
    for (i = 0; i + 1 < n; i++) {
        if (s[i] != '<')
            continue;
        char c = s[i + 1];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '!') {
            markup = 1;
            if (ci_prefix(s + i + 1, n - i - 1, "html") ||
                ci_prefix(s + i + 1, n - i - 1, "!doctype") ||
                ci_prefix(s + i + 1, n - i - 1, "head") || ci_prefix(s + i + 1, n - i - 1, "body"))
                html = 1;
            if (html)
                break;
        }
    }
    if (!markup)
        return 1;
    for (i = 0; i < probe; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f')
            ctl++;
    }
    return !html && ctl * 20 > probe;
}

/* The page ends with "</html>" followed by whitespace. */
static int ends_complete(const char *s, size_t n)
{
    size_t k = n;
    while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\n' || s[k - 1] == '\r' || s[k - 1] == '\t'))
        k--;
    return k < n && k >= 7 && !strncasecmp(s + k - 7, "</html>", 7);
}

/* Phase 1: the page's bytes as valid UTF-8: *text and *tlen point at data
 * itself when it already is, else into conv. csname names the charset read
 * (for the warning about replaced bytes), *bad counts those. */
static void page_text(apn_doc *doc, const char *data, size_t len, apn_buf *conv,
                      const char **text, size_t *tlen, char *label, size_t labcap,
                      const char **csname, size_t *bad)
{
    const unsigned char *u = (const unsigned char *)data;
    *text = data;
    *tlen = len;
    *csname = "UTF-8";
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        *text += 3, *tlen -= 3;
        if (apn_utf8_valid_prefix(u + 3, *tlen) != *tlen) {
            apn_utf8_repair(conv, u + 3, *tlen, bad);
            *text = NULL;
        }
    } else if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        *csname = u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
        apn_utf8_from_utf16(conv, u + 2, len - 2, u[0] == 0xFE, bad);
        *text = NULL;
    } else {
        charset_kind k = CS_UTF8;
        if (sniff_meta(data, len, label, labcap)) {
            k = charset_of_label(label);
            *csname = label;
        }
        if (k == CS_CP1252) {
            apn_utf8_from_cp1252(conv, u, len);
            *text = NULL;
        } else if (k == CS_ICONV) {
            if (apn_utf8_from_iconv(conv, label, data, len, bad) < 0) {
                apn_doc_diag(doc, APN_SEV_WARNING, NULL,
                             "unknown charset \"%s\": page read as UTF-8", label);
                *csname = "UTF-8";
                k = CS_UTF8;
            } else {
                *text = NULL;
            }
        }
        if (k == CS_UTF8 && apn_utf8_valid_prefix(u, len) != len) {
            apn_utf8_repair(conv, u, len, bad);
            *text = NULL;
        }
    }
    if (!*text) {
        *text = apn_buf_cstr(conv);
        *tlen = conv->len;
    }
}

/* Phase 2: whether there is a page at all. 0 to read it, 1 when it is empty
 * (warned), or APN_EPARSE / APN_ELIMIT (reported). */
static int page_check(apn_doc *doc, const char *text, size_t tlen, const char *csname,
                      size_t bad)
{
    size_t k = 0;
    while (k < tlen && (text[k] == ' ' || text[k] == '\n' || text[k] == '\r' || text[k] == '\t'))
        k++;
    if (k == tlen) {
        apn_doc_diag(doc, APN_SEV_WARNING, NULL, "empty page");
        return 1;
    }
    if (not_a_page(text, tlen)) {
        apn_doc_diag(doc, APN_SEV_ERROR, NULL, "not an HTML page");
        return APN_EPARSE;
    }
    if (bad)
        apn_doc_diag(doc, APN_SEV_WARNING, NULL,
                     "%zu byte%s not valid %s, replaced by U+FFFD", bad, bad == 1 ? "" : "s",
                     csname);
    if (tlen > INT32_MAX) {
        apn_doc_diag(doc, APN_SEV_ERROR, NULL, "page too large");
        return APN_ELIMIT;
    }
    return 0;
}

/* Phase 3b: the events from libxml2's HTML push parser (st->ctxt is left for
 * the caller to free). Returns 0 or APN_ENOMEM. */
static int parse_libxml2(state *st, const char *text, size_t tlen)
{
    htmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    sax.startElement = on_start;
    sax.endElement = on_end;
    sax.characters = on_chars;
    sax.ignorableWhitespace = on_chars;
    sax.cdataBlock = on_ignore;
    sax.serror = on_serror;
    sax.initialized = XML_SAX2_MAGIC;   /* so libxml2 routes errors to serror */
    /* the library never prints: silence libxml2's generic channel (per thread)
     * for the duration of the parse */
    xmlGenericErrorFunc old_generic = xmlGenericError;
    void *old_generic_ctx = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, on_generic_error);
    st->ctxt = htmlCreatePushParserCtxt(&sax, st, NULL, 0, NULL, XML_CHAR_ENCODING_UTF8);
    if (!st->ctxt) {
        xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
        return APN_ENOMEM;
    }
    htmlCtxtUseOptions(st->ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                                     HTML_PARSE_NOWARNING | HTML_PARSE_NOIMPLIED |
                                     HTML_PARSE_IGNORE_ENC);
    if (ends_complete(text, tlen)) {
        /* One call with terminate set: libxml2 then skips its look-ahead for
         * the end of every construct (a tenth of the parse). The explicit
         * </html> ends before the trailing whitespace, so what libxml2 closes
         * with the whole input consumed is what was open at the end. */
        st->watch_eof = 1;
        htmlParseChunk(st->ctxt, text, (int)tlen, 1);
        if (st->watch_eof)
            warn_truncated(st);
    } else {
        htmlParseChunk(st->ctxt, text, (int)tlen, 0);
        warn_truncated(st);
        htmlParseChunk(st->ctxt, NULL, 0, 1);
    }
    xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
    return 0;
}

/* Phase 4: what is still open at the end of the page, and the title the
 * side bar gave when the page has none. Returns 0 or APN_ENOMEM. */
static int page_finish(state *st)
{
    apn_doc *doc = st->doc;
    while (!st->oom && st->depth > 0)
        frame_end(st, st->stack[--st->depth].serial);
    if (!st->oom && st->item_owner)
        item_end(st);
    if (!doc->title && st->side_title)
        doc->title = st->side_title;
    if (!doc->subtitle && st->side_sub)
        doc->subtitle = st->side_sub;
    /* libxml2 stops quietly when its own allocations fail (they go through
     * apn_malloc once apn_alloc_install_libs ran) */
    if (st->oom || st->hb.oom || st->nb.oom || st->db.oom || st->lb.oom ||
        (st->ctxt && st->ctxt->errNo == XML_ERR_NO_MEMORY))
        return APN_ENOMEM;
    return 0;
}

int apn_html_read(apn_doc *doc, const char *data, size_t len)
{
    apn_buf conv = APN_BUF_INIT;
    state st;
    const char *text, *csname;
    size_t tlen, bad = 0;
    char label[64] = "";
    int err = 0;

    memset(&st, 0, sizeof st);
    st.doc = doc;
    st.pre_idx = st.group_idx = st.link_pre = -1;
    doc->format = APN_DOC_HTML;
    if (!data)
        len = 0;

    /* 1. bytes -> valid UTF-8; 2. empty, or not a page */
    page_text(doc, data, len, &conv, &text, &tlen, label, sizeof label, &csname, &bad);
    if (conv.oom) {
        err = APN_ENOMEM;
        goto cleanup;
    }
    if ((err = page_check(doc, text, tlen, csname, bad)) != 0) {
        err = err > 0 ? 0 : err;
        goto cleanup;
    }
    /* 3. parse: htmlscan.c when it takes the page (the same events, a tenth of
     * the time), else libxml2 */
    int scanned = 0;
    if (!apn_html__use_libxml2) {
        apn_htmlscan_sax scan = { on_start, on_end, on_chars };
        int rc = apn_htmlscan_page(text, tlen, &scan, &st, &st.scan_line, NULL);
        if (rc < 0) {
            err = rc;
            goto cleanup;
        }
        scanned = rc == 0;
    }
    if (!scanned && (err = parse_libxml2(&st, text, tlen)) < 0)
        goto cleanup;
    /* 4. what remains open */
    err = page_finish(&st);

cleanup:
    if (st.ctxt)
        htmlFreeParserCtxt(st.ctxt);
    apn_free(st.stack);
    apn_buf_dispose(&st.hb);
    apn_buf_dispose(&st.nb);
    apn_buf_dispose(&st.db);
    apn_buf_dispose(&st.lb);
    apn_buf_dispose(&conv);
    return err;
}
