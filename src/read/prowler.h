/* prowler — Prowler's compliance output for the AWS Foundational Technical Review,
 * read into one answer per requirement: automated evidence for `--met`.
 *
 * The file is the CSV Prowler writes for a compliance framework
 * (prowler/lib/outputs/compliance/generic): `;`-separated, CRLF, quoted where
 * needed, an upper-case header naming PROVIDER, DESCRIPTION, ACCOUNTID, REGION,
 * ASSESSMENTDATE, REQUIREMENTS_ID, REQUIREMENTS_DESCRIPTION,
 * REQUIREMENTS_ATTRIBUTES_* , STATUS, STATUSEXTENDED, RESOURCEID, CHECKID, MUTED,
 * RESOURCENAME, FRAMEWORK, NAME (columns found by name, in any order; only
 * REQUIREMENTS_ID and STATUS are required). One row per finding of a check a
 * requirement maps to, and one MANUAL row for each requirement without checks.
 *
 * Per requirement (IDs canonical, read/ids.h: Prowler writes IAM-0010 for
 * IAM-010): `no` when any unmuted row FAILs, `yes` when it has PASS rows and no
 * unmuted FAIL, unanswered when its rows are only MANUAL or muted (a muted
 * finding is an accepted exception: it neither passes nor fails the
 * requirement). The deciding line (the first unmuted FAIL, else the first
 * PASS, else the first row) is each answer's source. Rows without a
 * requirement ID or with another STATUS are skipped and counted (a warning for
 * the first few, then one with the count). A file whose header lacks
 * REQUIREMENTS_ID or STATUS, or whose FRAMEWORK names another framework than
 * the FTR, is refused (an error, APN_EPARSE).
 *
 * apn_prowler_met adds such a file to a set of answers (read/met.h: `--met`
 * takes Prowler's CSV as it takes a filled workbook): one source, the FTR's
 * partner-hosted checklist (Prowler scans the partner's own AWS account, so its
 * answers count in the saas offering), one answer per requirement with a
 * verdict, its locus the deciding line ("line 7") and its response
 * apn_prowler_response's text.
 *
 * An apn_prowler owns its strings (arena) and arrays; apn_prowler_dispose frees
 * them. The bytes given to apn_prowler_parse are only read.
 */
#ifndef APN_PROWLER_H
#define APN_PROWLER_H

#include <stddef.h>

#include <apnmap/common.h>

#include "read/doc.h"
#include "read/met.h"
#include "util/alloc.h"
#include "util/map.h"

/* The FRAMEWORK value of Prowler's FTR (compliance/aws/aws_foundational_technical_review_aws.json). */
#define APN_PROWLER_FTR "AWS-Foundational-Technical-Review"

typedef struct apn_prowler_req {
    const char *id;           /* canonical requirement ID: "IAM-010" */
    apn_met met;              /* APN_MET_YES, APN_MET_NO, or APN_MET_NONE (manual / muted only) */
    unsigned line;            /* the deciding line (1-based, where its record starts) */
    unsigned npass, nfail, nmanual, nmuted;   /* rows by status; muted rows only in nmuted */
    /* of the deciding line ("" when the column is missing or empty) */
    const char *check, *resource, *detail, *account, *region, *date;
} apn_prowler_req;

typedef struct apn_prowler {
    apn_arena arena;
    apn_prowler_req *reqs;    /* in order of first appearance */
    size_t nreqs, capreqs;
    apn_map index;            /* id -> index into reqs */
    const char *framework;    /* FRAMEWORK of the first row, or NULL (no such column) */
    size_t nrows;             /* records read (after the header) */
    size_t nskipped;          /* of them skipped: no ID, unknown status */
} apn_prowler;

/* 1 when data starts like Prowler's compliance CSV (after an optional BOM, a
 * first line with ';'-separated names including REQUIREMENTS_ID and STATUS). */
int apn_prowler_sniff(const char *data, size_t len);

/* Reads the CSV in data into p (initialised here). path names the file in
 * diagnostics (loci "line N"). Returns 0, APN_EPARSE (refused: error on d) or
 * APN_ENOMEM; p is to be disposed either way. */
int apn_prowler_parse(apn_prowler *p, const char *data, size_t len, const char *path, apn_diags *d);
void apn_prowler_dispose(apn_prowler *p);

/* The partner response text for r's answer, in p's arena: "Prowler (2025-01-01):
 * 3 PASS, 1 FAIL, 1 muted; FAIL iam_user_mfa_enabled_console_access on
 * arn:aws:iam::1:user/bob (123456789012 us-east-1): User bob has no MFA."
 * NULL on APN_ENOMEM. */
const char *apn_prowler_response(apn_prowler *p, const apn_prowler_req *r);

/* Parses the CSV in data (the file path) and adds its answers to s as one
 * source. Returns 0, APN_EPARSE (refused, or no requirement with a verdict:
 * an error on d, nothing added) or APN_ENOMEM. */
int apn_prowler_met(apn_met_set *s, const char *path, const char *data, size_t len, apn_diags *d);

#endif
