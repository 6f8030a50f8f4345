/* ids — requirement IDs: recognition and canonical form (docs/design.md §3).
 *
 * An ID is groups of letters and digits joined by hyphens (ASCII or any Unicode
 * dash), the first group holding a letter and the last group a number. The
 * canonical form is upper case with ASCII hyphens and the number written with at
 * least three digits; a question suffix ".N" names the control it belongs to;
 * a trailing track suffix (-SOFTWARE, -SERVICE, -SERVICES) is dropped. Words
 * without a number group ("USE-CASE", "CIS") are not IDs.
 * Pure functions over caller buffers; nothing allocated.
 */
#ifndef APN_IDS_H
#define APN_IDS_H

#include <stddef.h>

#define APN_ID_MAX 64

typedef struct apn_id {
    char id[APN_ID_MAX];      /* canonical control ID: "IAM-010" */
    char prefix[APN_ID_MAX];  /* everything before the last hyphen: "IAM", "WAFR-FTR" */
    int question;             /* the input named a question of the control ("IAM-002.1") */
    char question_no[16];     /* "1" for IAM-002.1, "" otherwise */
} apn_id;

/* Parses text (surrounding whitespace ignored). Returns 0 and fills out, or
 * APN_ENOTFOUND when text is not a requirement ID.
 * Examples: "iam-0010" -> "IAM-010"; "IAM–010" (en dash) -> "IAM-010";
 * "IAM-002.1" -> "IAM-002" question 1; "DOC-001-SOFTWARE" -> "DOC-001";
 * "WAFR-FTR-1" -> "WAFR-FTR-001" prefix "WAFR-FTR"; "S3-001" -> prefix "S3";
 * "USE-CASE", "CIS Benchmark Report", "2026-08" -> APN_ENOTFOUND. */
int apn_id_parse(apn_id *out, const char *text);

/* Like apn_id_parse over the first n bytes of text. */
int apn_id_parsen(apn_id *out, const char *text, size_t n);

#endif
