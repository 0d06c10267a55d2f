/* SPDX-License-Identifier: MIT */
/* suggest.c - the name a mistyped word most likely meant: edit distance over a table of names. */
#include "cb_suggest.h"

#include <string.h>

enum { MAX_LEN = 64 }; /* longer words are no typo of a command or option */

static size_t min3(size_t a, size_t b, size_t c) {
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

/* Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
 * neighbours ("reprot" is one swap from "report") each cost one. */
static size_t distance(const char *a, size_t la, const char *b, size_t lb) {
    size_t d[MAX_LEN + 1][MAX_LEN + 1];
    for (size_t i = 0; i <= la; i++) d[i][0] = i;
    for (size_t j = 0; j <= lb; j++) d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1, sub);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < d[i][j])
                d[i][j] = d[i - 2][j - 2] + 1;
        }
    return d[la][lb];
}

const char *cb_suggest(const char *word, size_t len, const char *const *names, size_t n) {
    const char *best = NULL, *prefix_of = NULL;
    size_t best_d = (size_t)-1, prefixes = 0;
    if (len == 0 || len > MAX_LEN) return NULL;
    for (size_t i = 0; i < n; i++) {
        size_t ln = strlen(names[i]);
        if (ln > MAX_LEN) continue;
        if (len >= 3 && len < ln && strncmp(word, names[i], len) == 0)
            prefix_of = names[i], prefixes++;
        size_t d = distance(word, len, names[i], ln);
        if (d < best_d) best_d = d, best = names[i];
    }
    /* Near enough: at most 2 edits, and at most a third of the longer word changed. */
    size_t longer = best && strlen(best) > len ? strlen(best) : len;
    if (best && best_d <= 2 && 3 * best_d <= longer) return best;
    return prefixes == 1 ? prefix_of : NULL;
}

int cb_suggest_is_word(const char *s) {
    if (!*s) return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_'))
            return 0;
    return 1;
}
