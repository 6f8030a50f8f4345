/* reqref — the CIS Benchmark and Security Hub references a requirement's words carry.
 *
 * The FTR's checklist pages name, in parentheses after a control's title or in
 * its details, the automated checks that cover it:
 *   "(CIS_5.0 1.3/Security Control IAM.4 or CIS_3.0 1.4/Security Control IAM.4)"
 *   "([CIS_5.0 1.7/Security Control IAM.15 and CIS_5.0 1.8/...] or [...])"
 *   "(CIS_5.0 or CIS_3.0 1.2/Security Control Account.1)"
 * (the joining words are translated on translated pages: "또는", "과").
 * apn_reqref_scan finds every reference in a text: a CIS benchmark version
 * ("CIS_5.0") with the section number that follows it, and a Security Hub
 * control ("Security Control IAM.4"). A CIS version with no number of its own
 * ("CIS_5.0 or CIS_3.0 1.2") shares the next CIS number of the same text. build
 * stores what it finds in the table requirement_reference (docs/schema.md).
 * Pure: nothing allocated, the text is only read, one pass over it.
 */
#ifndef APN_REQREF_H
#define APN_REQREF_H

#include <stddef.h>

/* Schemes as stored: "CIS_5.0", "CIS_3.0" (the version as written), "Security Hub". */
#define APN_REQREF_SECURITY_HUB "Security Hub"

/* Called once per reference found, in text order (a reference repeated in the
 * text is passed again). Strings are borrowed for the call. Returns 0 to go on;
 * any other value stops the scan and is returned by apn_reqref_scan. */
typedef int (*apn_reqref_fn)(void *ud, const char *scheme, const char *ref);

/* Scans text (NULL: nothing). Returns 0 or fn's non-zero value.
 * Example: "(CIS_5.0 1.3/Security Control IAM.4 or CIS_3.0 1.4/Security Control IAM.4)"
 * -> CIS_5.0 1.3, Security Hub IAM.4, CIS_3.0 1.4, Security Hub IAM.4. */
int apn_reqref_scan(const char *text, apn_reqref_fn fn, void *ud);

#endif
