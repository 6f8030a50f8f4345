/* html — read an APN checklist page (HTML) into an apn_doc.
 *
 * Covers the AWS checklist template of docs/formats.md §2 (h1 programme, h2 checklist
 * name, "Validity Period:" h3, p.versionExplanation, div.downloadLinks, the
 * prerequisites section, control categories with one li.controlCategory--
 * requirement per item whose h4 reads "<ID> - <Title>"), from SAX events (no
 * tree): htmlscan.c's for well-formed pages, libxml2's HTML push parser's for
 * the rest (the same events where both apply), tolerant of unquoted attributes, unclean ids,
 * non-ASCII anchors and missing end tags. Charset from a BOM, then <meta>
 * (charset= or http-equiv content), else UTF-8; invalid bytes never reach the
 * record (only valid UTF-8 is stored). No network, no external entities.
 */
#ifndef APN_HTML_H
#define APN_HTML_H

#include <stddef.h>

#include "read/doc.h"

/* Fills doc (already apn_doc_init'ed) from the page bytes. Items, prerequisites,
 * titles and links are added; problems become diagnostics on doc. Returns 0,
 * APN_EPARSE when the bytes are not a page at all, or APN_ENOMEM. A page without
 * any requirement is not an error here (the normaliser warns). */
int apn_html_read(apn_doc *doc, const char *data, size_t len);

/* Tests and fuzzing: nonzero sends every page through libxml2's parser, even
 * those htmlscan.c would take. Not for concurrent use. */
extern int apn_html__use_libxml2;

#endif
