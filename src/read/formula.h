/* formula — evaluate the spreadsheet formulas that self-assessment workbooks use.
 *
 * Covers the subset AWS's workbooks use to decide Pass/Fail and Met?: literals
 * (strings, numbers, TRUE/FALSE), cell references (A1, $A$1, 'Other Sheet'!C2,
 * Sheet1!C2), comparisons = <> < > <= >= (text compared case-insensitively, as
 * Excel does), & concatenation, + - * /, parentheses, IF (without an else: FALSE),
 * AND, OR, NOT, ISBLANK, TRIM, UPPER, LOWER, LEN, CHAR, CONCATENATE, IFERROR, SUM,
 * COUNTA, COUNTIF over a range (D:D, A1:B9, 3:5). Anything
 * else is APN_EPARSE with a message naming it, so callers can fall back.
 *
 * Cell values come from a caller's lookup callback (which may evaluate formulas
 * of referenced cells in turn; the callback guards against cycles). Result
 * strings are allocated in the caller's arena.
 */
#ifndef APN_FORMULA_H
#define APN_FORMULA_H

#include <stddef.h>

#include "util/alloc.h"

typedef enum { APN_V_EMPTY = 0, APN_V_BOOL, APN_V_NUM, APN_V_STR, APN_V_ERR } apn_vtype;

typedef struct apn_value {
    apn_vtype type;
    int b;              /* APN_V_BOOL */
    double num;         /* APN_V_NUM */
    const char *str;    /* APN_V_STR and APN_V_ERR ("#DIV/0!"): borrowed/arena */
} apn_value;

/* Looks up one cell. sheet is NULL for the formula's own sheet, else the sheet
 * name as written (quotes removed). row 1-based, col 0-based. Fills out (an
 * absent cell is APN_V_EMPTY) and returns 0, or a negative code to abort.
 * row 0 asks for the extent of whole-column ranges (D:D): fill APN_V_NUM with
 * the sheet's last used row, or leave it empty (then 65536 rows are scanned). */
typedef int (*apn_formula_lookup)(void *ud, const char *sheet, unsigned row, unsigned col,
                                  apn_value *out);

/* Evaluates formula (without leading '='). err (may be NULL) receives a message
 * on failure. Returns 0, APN_EPARSE (syntax or unsupported function), or the
 * lookup's error. */
int apn_formula_eval(apn_value *out, const char *formula, apn_formula_lookup lookup, void *ud,
                     apn_arena *arena, char *err, size_t errlen);

/* Shifts the relative references of formula by (drow, dcol), as Excel does when
 * a shared formula is filled from its anchor cell: "IF(C7=\"x\",$D$2,E7)" shifted
 * by (1,0) is "IF(C8=\"x\",$D$2,E8)". Text in quotes is untouched. Returns an
 * arena string, or NULL on APN_ENOMEM or a reference pushed out of the sheet. */
const char *apn_formula_shift(apn_arena *arena, const char *formula, int drow, int dcol);

/* Excel's truthiness and text of a value: Yes-like tests in workbooks compare
 * the text; booleans print TRUE/FALSE; numbers as %.15g. */
const char *apn_value_text(apn_arena *arena, const apn_value *v);

#endif
