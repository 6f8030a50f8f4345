/* apn_suggest — "did you mean": whether a known name is close enough to a mistyped
 * one to be offered instead. Used for commands, options and competency names.
 *
 * Distance: the optimal string alignment distance, case-insensitive (an insertion,
 * a deletion, a substitution or a swap of two neighbours counts 1), of names up to
 * 64 bytes (longer ones are never close). Close: a distance of at most 1 for words
 * of up to 4 letters, 2 up to 8, 3 beyond, and less than half the word; or the word
 * is the start of the name and at least half of it ("stat" -> "stats").
 */
#ifndef APNMAP_SUGGEST_H
#define APNMAP_SUGGEST_H

#include <stddef.h>

#include "common.h"

size_t apn_suggest_distance(const char *a, const char *b);
int apn_suggest_close(const char *word, const char *name);

#endif
