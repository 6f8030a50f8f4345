/* xmlscan — libxml2's SAX2 events for the XML subset machine-written parts use,
 * without libxml2's parser.
 *
 * libxml2's push parser costs most of reading a large part; the parts programs
 * write (spreadsheet sheets, say) use a small subset of XML. For a document in
 * that subset, apn_xmlscan sends the events libxml2 2.9's push parser would send
 * to SAX2 handlers (options: no entity substitution, no DTD), with the same
 * arguments; anything outside it is declined before the first event, and the
 * caller gives the document to libxml2, whose errors and recovery then apply.
 * It knows XML only: nothing of what the elements mean.
 *
 * The subset (all of it checked before anything is sent):
 *   - UTF-8, an optional BOM, an optional declaration <?xml version="1.0"
 *     [encoding="UTF-8"] [standalone="yes"|"no"]?> and nothing else before the
 *     root; one root element; blanks only outside it;
 *   - elements and attributes with ASCII names (NCName, one optional prefix, at
 *     most 128 bytes), the prefixes declared in scope (never xml: or xmlns: on an
 *     element, never a redeclaration of those), no attribute twice, at most 32
 *     attributes a tag, 32 namespace declarations in scope, nesting 64 deep and
 *     4 KiB of decoded attribute values and names a tag;
 *   - text, attribute values and comments of XML Chars; the five predefined
 *     entities and character references; CDATA sections without CR; comments;
 *   - no DTD, no processing instruction, no "]]>" in text, no non-ASCII name.
 *
 * What the handlers get, as from libxml2: start(ud, localname, NULL, NULL,
 * nb_namespaces, namespaces as (prefix or NULL, URI) pairs, nb_attributes, 0,
 * attributes as (localname, NULL, URI, value, end) quintuples), where an
 * attribute's URI is not resolved: NULL without a prefix, "" with one. Values
 * are normalised as libxml2 does (tab, CR, LF and CR LF become one space) and
 * a '&' in a value stays "&#38;"; text comes with CR LF as LF, references
 * resolved, CDATA raw, in pieces. Element names in sax->names come as those
 * very pointers (compare them as libxml2's interned names); any other name as
 * a copy valid for the call. Every pointer is borrowed for the call.
 * Nothing is allocated but the scanner's state (about 10 KiB), freed on return.
 */
#ifndef APN_XMLSCAN_H
#define APN_XMLSCAN_H

#include <stddef.h>

#include <libxml/parser.h>

typedef struct apn_xmlscan_sax {
    startElementNsSAX2Func start;   /* any of the three may be NULL */
    endElementNsSAX2Func end;
    charactersSAXFunc chars;
    const char *const *names;       /* NULL-terminated, at most 32; may be NULL */
    const int *stop;                /* when not NULL: the scan ends after an event
                                       that left *stop non-zero */
} apn_xmlscan_sax;

#define APN_XMLSCAN_DECLINED 1      /* outside the subset: no event was sent */
#define APN_XMLSCAN_STOPPED 2       /* a handler set *sax->stop */

/* Scans the len bytes at xml. Returns 0 when accepted and every event sent,
 * APN_XMLSCAN_DECLINED, APN_XMLSCAN_STOPPED, APN_ENOMEM (nothing sent), or
 * APN_EUSAGE for a names list over the limits. */
int apn_xmlscan(const char *xml, size_t len, const apn_xmlscan_sax *sax, void *ud);

#endif
