/* met — what a partner has already answered: filled self-assessments read into
 * requirement IDs with their answer, where each answer was given, and which
 * offerings each file answers.
 *
 * An apn_met_set collects the answers of any number of files (`--met` given
 * several times): apn_met_read reads one file through read/ingest (a workbook's
 * Met? cells, customer references, the FTR's Pass/Fail by the rules of docs/design.md
 * §4) and adds one source and its answers. Each source carries the identity of
 * the checklist its file fills in (read/ident.h) and so the offerings its
 * answers count in (the track rule: a partner-hosted FTR workbook answers saas,
 * a customer-deployed one customer-deployed, a services competency workbook
 * services, a software one saas and customer-deployed). IDs are canonical
 * (read/ids.h); question rows (IAM-002.1) are not answers of their own.
 *
 * Conflicts: two answers to one ID conflict when their sources answer a common
 * offering and one says no while the other says yes or na. The answer that
 * counts (apn_met_lookup) is then the first "no" in the order the files were
 * read and, within a file, in row order: a requirement is done only when every
 * answer to it on that track says yes or na. Agreeing answers (and yes against
 * na) are not conflicts; the first one counts.
 *
 * The set owns everything it holds (strings in its arena, arrays apn_malloc'd);
 * apn_met_dispose frees it. Sources and answers keep their indices once added.
 */
#ifndef APN_MET_H
#define APN_MET_H

#include <stddef.h>

#include <apnmap/common.h>

#include "read/doc.h"
#include "read/ident.h"
#include "util/alloc.h"
#include "util/map.h"

typedef struct apn_met_source {
    const char *path;        /* the file as given */
    int identified;          /* ident names the checklist the file fills in */
    apn_ident ident;         /* programme, name, variant, track (when identified) */
    unsigned offerings;      /* APN_OFFER_* bits its answers count in (0: none known) */
    size_t nanswered;        /* answered control rows (yes, no or na) */
    size_t nmet;             /* of them yes or na */
    size_t answer0, nanswers;   /* its answers: set->answers[answer0 .. answer0 + nanswers) */
} apn_met_source;

typedef struct apn_met_answer {
    const char *id;          /* canonical requirement ID: "IAM-002" */
    apn_met met;             /* APN_MET_YES, APN_MET_NO or APN_MET_NA */
    const char *response;    /* the partner response text, or NULL */
    const char *locus;       /* where in the file: "Sheet!C7" */
    size_t source;           /* index into set->sources */
    size_t next;             /* the next answer to the same ID, or SIZE_MAX */
} apn_met_answer;

typedef struct apn_met_set {
    apn_arena arena;
    apn_met_source *sources;
    size_t nsources, capsources;
    apn_met_answer *answers;   /* by source, then row order */
    size_t nanswers, capanswers;
    apn_map first;             /* ID -> its first answer */
} apn_met_set;

void apn_met_init(apn_met_set *s);
void apn_met_dispose(apn_met_set *s);

/* Reads the filled self-assessment at path and adds it to s; a file whose
 * name is not a workbook's or a page's and whose bytes are Prowler's FTR
 * compliance CSV is read by read/prowler.h instead (its answers count in saas).
 * Returns 0, or
 * APN_EPARSE with an error in diags and nothing added when the file cannot be
 * read, is not a workbook, or answers no requirement (a blank self-assessment);
 * APN_ENOMEM. A workbook whose checklist cannot be told is added with
 * offerings 0 and a warning. */
int apn_met_read(apn_met_set *s, const char *path, apn_diags *diags);

/* For readers of other answer files (a Prowler CSV, tests): adds a source
 * (ident NULL: its checklist is unknown, its answers count nowhere) and sets
 * *out to its index; then adds an answer of that source (id canonical; an
 * APN_MET_NONE answer is ignored). A source's answers must be added before the
 * next source. Return 0 or APN_ENOMEM. */
int apn_met_add_source(size_t *out, apn_met_set *s, const char *path, const apn_ident *ident);
int apn_met_add_answer(apn_met_set *s, size_t source, const char *id, apn_met met,
                       const char *response, const char *locus);

/* The answer that counts for id in the offerings of mask (APN_OFFER_* bits;
 * an answer counts when its source answers one of them), by the conflict rule
 * above; NULL when none. */
const apn_met_answer *apn_met_lookup(const apn_met_set *s, const char *id, unsigned mask);
/* 1 when a is yes or na. */
int apn_met_done(const apn_met_answer *a);

/* Reports each conflict among the answers counting in mask, once per ID, as a
 * warning at the losing answer's file and cell naming the winning one's.
 * Returns how many IDs conflict. */
size_t apn_met_conflicts(const apn_met_set *s, unsigned mask, apn_diags *diags);

#endif
