/* fetch_links — the links of a page, for fetch's crawl (src/fetch_links.c).
 * Pure: no network. Every string out is owned (apn_free), the array too.
 */
#ifndef APN_FETCH_LINKS_H
#define APN_FETCH_LINKS_H

#include <stddef.h>

/* Resolved absolute URLs of the <a href> links of a page (after <base href>),
 * in document order; links that do not resolve are left out. Read with
 * libxml2's HTML parser (unquoted attributes, missing end tags are fine) as SAX
 * events: no tree is built, so memory is the links kept. At most max links are
 * kept; *more counts the <a href> past them. *out is an owned array of owned
 * strings: free with apn_fetch__links_free. */
int apn_fetch__links(char ***out, size_t *n, size_t *more, const char *html, size_t len,
                     const char *page_url, size_t max);
void apn_fetch__links_free(char **v, size_t n);

#endif
