/* htmlscan — libxml2's HTML SAX events for well-formed pages, without libxml2's parser.
 *
 * libxml2 2.9's HTML parser reads a character at a time and is a third of the
 * build's CPU. Pages from the AWS template (and from most generators) are
 * well-formed: every element closed in order, known entities, nothing libxml2
 * would have to repair. For such a page this scanner sends exactly the events
 * libxml2 would send with html.c's options (start tag with attributes, end tag,
 * text), and the line libxml2 would report at each start tag.
 *
 * A page is taken whole or not at all: apn_htmlscan_page first checks the whole
 * page and sends nothing when any construct falls outside what it reproduces
 * exactly (an end tag closing more than one element, a misplaced <html>, an
 * odd reference, a processing instruction, control characters, ...); the
 * caller then gives the page to libxml2. The tables that decide HTML's quirks (entities, empty
 * elements, which start tag closes which element) are libxml2's own.
 * Element names are interned for the duration of one call: the same name is
 * the same pointer, as with libxml2's dictionary. No allocation outlives the call.
 */
#ifndef APN_HTMLSCAN_H
#define APN_HTMLSCAN_H

#include <stddef.h>

#include <libxml/parser.h>

typedef struct apn_htmlscan_sax {
    startElementSAXFunc start;   /* attrs: name/value pairs, NULL-terminated; NULL when none */
    endElementSAXFunc end;
    charactersSAXFunc chars;     /* text with entities resolved, in pieces */
} apn_htmlscan_sax;

/* Scans the UTF-8 text (valid UTF-8: html.c converts first). Returns 0 when the
 * page was accepted and every event sent, 1 when it was declined (no event
 * sent), or APN_ENOMEM. Before each start event, *line (when line is not
 * NULL) is set to the line libxml2 reports there: the line of the tag's '>'.
 * When declined, *why (when not NULL) names the construct (a static string)
 * and *line is its line. */
int apn_htmlscan_page(const char *text, size_t len, const apn_htmlscan_sax *sax, void *ud, long *line,
                      const char **why);

#endif
