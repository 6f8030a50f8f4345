/* xlsx_part — one part (zip member) of a workbook package, read as XML, bounded.
 *
 * The workbook's state every reader of it shares (struct apn_xlsx: the zip,
 * the limits, the diagnostics, the sheet list and the shared strings, owned by
 * xlsx.c) and the one mechanism that turns a part into XML events: a member
 * is inflated straight into libxml2 through a read callback that stops at the
 * member and total caps (apn_xlsx_part), read either by an xmlTextReader
 * (apn_xlsx__part_open, _next) or by the SAX2 push parser with the caller's
 * handlers (apn_xlsx__sax_open, _drive). Both run with XML_PARSE_NONET and
 * without NOENT, DTDLOAD, DTDVALID or HUGE: no DTD is fetched, no entity
 * expanded, and libxml2's own limits apply. A part's failure is reported here,
 * once, with the member (and line) as locus: the callers only pass codes on.
 * libxml2's generic error channel is silenced while a part is open (the
 * library never prints) and restored at close.
 *
 * An apn_xlsx_part lives on the caller's stack between an open and
 * apn_xlsx__part_finish (or _close); it owns the zip file handle and the parser
 * it opened. Attribute values copied out by apn_xlsx__attr are the caller's.
 */
#ifndef APN_XLSX_PART_H
#define APN_XLSX_PART_H

#include <stddef.h>

#include <libxml/xmlreader.h>
#include <zip.h>

#include "util/alloc.h"
#include "util/buf.h"
#include "read/xlsx.h"

/* One sheet of the workbook, in tab order. */
typedef struct apn_xlsx_sheet {
    const char *name;          /* arena */
    const char *member;        /* arena; NULL when the workbook names no part */
    const char *mem;           /* in-memory XML (tests, fuzzing) instead of a member */
    size_t memlen;
    int hidden;
    unsigned char *hidden_cols;   /* owned bitset over lim.max_cols; NULL when none */
    apn_range *merges;            /* owned */
    size_t nmerges, capmerges;
} apn_xlsx_sheet;

struct apn_xlsx {
    char *path;
    apn_xlsx_limits lim;
    apn_diags *d;
    zip_t *za;
    apn_arena arena;           /* names, members, relationship strings */
    apn_xlsx_sheet *sheets;
    size_t nsheets, capsheets;
    apn_buf sst_pool;          /* every shared string, NUL-terminated, back to back */
    size_t *sst_off;
    size_t nsst, capsst;
    size_t total;              /* inflated bytes read so far (lim.max_total) */
};

/* One part being read, with what its failure needs to say. */
typedef struct apn_xlsx_part {
    apn_xlsx *x;
    const char *member;        /* diagnostics locus */
    xmlTextReaderPtr r;        /* the reader, or */
    xmlParserCtxtPtr ctxt;     /* the SAX2 parser */
    void *sax;                 /* the SAX2 handlers' state: starts with an apn_xlsx_saxbase */
    zip_file_t *zf;
    size_t cap, got;
    long long decl;            /* the member's declared inflated size, -1 unknown */
    int cap_is_total;          /* the cap in force is what remains of max_total */
    int over, zerr, oom;
    char zmsg[160];
    int haveerr, havefatal, eline;
    char emsg[200];
    int prolog_done;           /* the root element was reached */
    xmlGenericErrorFunc old_gen;   /* libxml2's handler before this reader */
    void *old_gen_ctx;
    int saved_gen;
    struct apn_xlsx_part *old_part;   /* the part open before this one on the thread */
    int d_oom0;                /* the diagnostics' sticky oom flag at open */
} apn_xlsx_part;

/* Element names of the parser's dictionary, compared by pointer. */
typedef struct apn_xlsx_names {
    const xmlChar *c, *v, *f, *is, *t, *rPh, *phoneticPr, *row, *col, *mergeCell, *si;
} apn_xlsx_names;

/* The attributes of the element at hand: the reader's current element, or a
 * SAX2 start tag's namespace declarations and attributes. */
typedef struct apn_xlsx_attrs {
    apn_xlsx_part *p;               /* the reader, or NULL */
    const xmlChar **ns;             /* nns (prefix, URI) pairs */
    int nns;
    const xmlChar **at;             /* na (localname, prefix, URI, value, end) */
    int na;
} apn_xlsx_attrs;

/* The first member of every SAX2 handlers' state. */
typedef struct apn_xlsx_saxbase {
    int err;               /* a handler's non-zero result: the parse stops */
    int dtd;               /* a DOCTYPE was met: read again with the reader */
} apn_xlsx_saxbase;

#define APN_XLSX_SAX_READER 1   /* apn_xlsx__sax_drive: a DTD; read with the reader */

/* The index of member name (OPC part names are case-insensitive), or -1. */
zip_int64_t apn_xlsx__find_member(const apn_xlsx *x, const char *name);

/* Opens a reader over zip member `member`, or over len bytes at mem for the
 * _memory form (tests, fuzzing; label names it). Returns 0, APN_ENOTFOUND (no
 * such member, nothing reported), or APN_ELIMIT / APN_EPARSE / APN_ENOMEM
 * reported. */
int apn_xlsx__part_open(apn_xlsx_part *p, apn_xlsx *x, const char *member);
int apn_xlsx__part_open_memory(apn_xlsx_part *p, apn_xlsx *x, const char *label,
                               const char *mem, size_t len);
/* Advances the reader: 1 on a node, 0 at the end of the document, or a
 * reported error. Warns once about a DTD. */
int apn_xlsx__part_next(apn_xlsx_part *p);
/* Reports why the part stopped (caps, a corrupt entry, broken XML with its
 * line) and returns the code. */
int apn_xlsx__part_fail(apn_xlsx_part *p);
/* Closes the part; err 0 becomes APN_ENOMEM when libxml2 or the diagnostics
 * ran out of memory meanwhile. Returns err. */
int apn_xlsx__part_finish(apn_xlsx_part *p, int err);
/* Closes the part, counting what it inflated against the workbook's total. */
void apn_xlsx__part_close(apn_xlsx_part *p);
/* Reads up to len inflated bytes of the member into buf (the caps enforced):
 * the count, 0 at the end, or -1 (p->over or p->zerr says why). */
int apn_xlsx__part_read(void *p, char *buf, int len);

/* The names of the reader's or parser's dictionary. 0 or APN_ENOMEM. */
int apn_xlsx__intern(apn_xlsx_names *n, apn_xlsx_part *p);
/* On the reader's start tag of a non-empty element: appends its text to b and
 * leaves the reader on the matching end tag. rich (<si>, <is>): only text
 * inside <t>, none under phonetic runs. 0 or a reported error. */
int apn_xlsx__part_collect(apn_xlsx_part *p, const apn_xlsx_names *n, apn_buf *b, int rich);

/* Copies attribute `name` (local name; namespaced when ns) of the element at
 * hand into buf (len bytes, truncated). Returns 1 when found. The SAX2 form
 * shows what the reader would: namespace declarations too, and "&#38;" as '&'. */
int apn_xlsx__attr_ns(const apn_xlsx_attrs *a, const char *name, int ns, char *buf, size_t len);
int apn_xlsx__attr(const apn_xlsx_attrs *a, const char *name, char *buf, size_t len);

/* SAX2: opens p over mem (not NULL: tests, fuzzing) or the zip member for
 * apn_xlsx__sax_drive. Returns 0, APN_ENOTFOUND (nothing reported) or a
 * reported error. */
int apn_xlsx__sax_open(apn_xlsx_part *p, apn_xlsx *x, const char *member, const char *mem,
                       size_t memlen);
/* Parses the part with handlers h (their state p->sax, starting with an
 * apn_xlsx_saxbase; h->serror should be apn_xlsx__part_error and
 * h->internalSubset apn_xlsx__sax_dtd); ready, when not NULL, runs once the
 * parser context exists. Returns APN_XLSX_SAX_READER when a DOCTYPE stopped
 * the parse (p closed, nothing counted against the total), else closes p and
 * returns 0 or the first error: a handler's, or a reported one. */
int apn_xlsx__sax_drive(apn_xlsx_part *p, const char *mem, size_t memlen, xmlSAXHandler *h,
                        int (*ready)(apn_xlsx_part *p, void *ud), void *rud);
/* Records a handler's non-zero result and stops the parser. */
void apn_xlsx__sax_stop(apn_xlsx_part *p, apn_xlsx_saxbase *b, int err);
/* Handlers for h: a DOCTYPE, and libxml2's structured errors. */
void apn_xlsx__sax_dtd(void *ctx, const xmlChar *name, const xmlChar *eid, const xmlChar *sid);
#if LIBXML_VERSION >= 21200
void apn_xlsx__part_error(void *arg, const xmlError *e);
#else
void apn_xlsx__part_error(void *arg, xmlErrorPtr e);
#endif

#endif
