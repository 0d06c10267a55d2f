/* SPDX-License-Identifier: MIT */
/* cb_suggest.h - "did you mean ...?" for a mistyped command or option (suggest.c). */
#ifndef CB_SUGGEST_H
#define CB_SUGGEST_H

#include <stddef.h>

/* The name of names[0..n) that word most likely meant: the nearest by edit distance
 * (a swap of two neighbours counts one), if near enough for its length, or the one name it
 * begins; NULL when none is. len: the characters of word to compare. */
const char *cb_suggest(const char *word, size_t len, const char *const *names, size_t n);

/* A bare word, no regex character: what a mistyped command looks like as a filter. */
int cb_suggest_is_word(const char *s);

#endif /* CB_SUGGEST_H */
