/* SPDX-License-Identifier: MIT */
/* man_roff.c - help texts as man(7): read into usage lines, options and paragraphs, then
 * written in roff with literal words bold and placeholders italic (cbench(1), manpage.c). */
#include "man_roff.h"
#include "cb_error.h"
#include "cb_util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

enum { USAGE_INDENT = 7, OPTION_INDENT = 2, SOURCE_WIDTH = 72 };

/* Appends n bytes of s to *dst, after a space when *dst has text. */
static int append(char **dst, const char *s, size_t n) {
    size_t have = *dst ? strlen(*dst) : 0;
    char *p = realloc(*dst, have + n + 2);
    if (!p) return CB_ERR_NOMEM;
    if (have) p[have++] = ' ';
    memcpy(p + have, s, n);
    p[have + n] = '\0';
    *dst = p;
    return CB_OK;
}

/* "LEFT  RIGHT": the length of LEFT, and RIGHT (NULL when there is no run of two spaces). */
static size_t split(const char *s, size_t n, const char **right) {
    const char *gap = NULL;
    for (size_t i = 0; i + 1 < n && !gap; i++)
        if (s[i] == ' ' && s[i + 1] == ' ') gap = s + i;
    *right = NULL;
    if (!gap) return n;
    const char *r = gap;
    while (r < s + n && *r == ' ') r++;
    if (r < s + n) *right = r;
    return (size_t)(gap - s);
}

static int add_block(cb_man_block **b, size_t *n, size_t *cap, cb_man_kind kind, const char *lhs,
                     size_t ll, const char *text, size_t tl) {
    if (cb_grow(b, cap, *n + 1, sizeof **b)) return CB_ERR_NOMEM;
    cb_man_block *x = &(*b)[(*n)++];
    *x = (cb_man_block){.kind = kind};
    int rc = lhs ? append(&x->lhs, lhs, ll) : CB_OK;
    if (!rc) rc = append(&x->text, text ? text : "", text ? tl : 0);
    return rc;
}

/* One line of a help text: a new block, or more of the last one. */
static int read_line(cb_man_block **b, size_t *n, size_t *cap, const char *line, size_t len,
                     int gap) {
    size_t ind = strspn(line, " ");
    const char *s = line + ind, *right;
    size_t sl = len - ind;
    cb_man_block *last = *n ? &(*b)[*n - 1] : NULL;
    int usage = ind == 0 && strncmp(s, "usage: ", 7) == 0;
    if (usage) s += 7, sl -= 7;
    usage = usage || (ind == USAGE_INDENT && last && last->kind == CB_MAN_USAGE && !gap);
    if (usage) { /* the program's name is the synopsis's own: the arguments follow it */
        size_t word = strcspn(s, " ");
        s += word < sl ? word + 1 : sl, sl -= word < sl ? word + 1 : sl;
    }
    if (usage || ind == OPTION_INDENT) {
        size_t left = split(s, sl, &right);
        return add_block(b, n, cap, usage ? CB_MAN_USAGE : CB_MAN_OPTION, s, left, right,
                         right ? sl - (size_t)(right - s) : 0);
    }
    /* deeper than an option: its continuation (or a usage line's); at the margin: prose's */
    int more = last && !gap &&
               (ind > OPTION_INDENT ? last->kind != CB_MAN_PARA : last->kind == CB_MAN_PARA);
    if (more) return append(&last->text, s, sl);
    return add_block(b, n, cap, CB_MAN_PARA, NULL, 0, s, sl);
}

int cb_man_parse(const char *help, cb_man_block **out, size_t *n) {
    size_t cap = 0;
    int gap = 1, rc = CB_OK;
    *out = NULL, *n = 0;
    for (const char *p = help; *p && !rc;) {
        size_t len = strcspn(p, "\n");
        if (strspn(p, " ") >= len)
            gap = 1;
        else
            rc = read_line(out, n, &cap, p, len, gap), gap = 0;
        p += len + (p[len] == '\n');
    }
    if (rc) cb_man_blocks_free(*out, *n), *out = NULL, *n = 0;
    return rc;
}

void cb_man_blocks_free(cb_man_block *b, size_t n) {
    for (size_t i = 0; i < n; i++) free(b[i].lhs), free(b[i].text);
    free(b);
}

/* One character in roff: a backslash as \e; a minus as \- where it is an option's. */
static void put(FILE *f, char c, int minus) {
    if (c == '\\')
        fputs("\\e", f);
    else if (c == '-' && minus)
        fputs("\\-", f);
    else
        fputc(c, f);
}

/* Writes made roff in source lines under 80 bytes, broken at spaces; a line that would begin
 * with a control character is guarded. */
static void lines(FILE *f, const char *s) {
    while (*s) {
        size_t n = strlen(s), len = n;
        if (n > SOURCE_WIDTH) {
            len = SOURCE_WIDTH;
            while (len > 0 && s[len] != ' ') len--;
            if (len == 0) len = strcspn(s, " ");
        }
        if (*s == '.' || *s == '\'') fputs("\\&", f);
        fwrite(s, 1, len, f), fputc('\n', f);
        s += len;
        while (*s == ' ') s++;
    }
}

/* Runs fill(m, s) into memory, then writes the result as lines(). */
static void made(FILE *f, const char *s, void (*fill)(FILE *, const char *)) {
    char *text = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&text, &n);
    if (!m) return;
    fill(m, s);
    fclose(m);
    lines(f, text ? text : "");
    free(text);
}

/* strchr finds the terminator too: hence c && */
static int is_word(char c) { return c && (isalnum((unsigned char)c) || strchr("_-./<>=:,+*", c)); }

static void syntax_into(FILE *m, const char *s) {
    while (*s) {
        size_t n = 0;
        while (is_word(s[n]) && strncmp(s + n, "...", 3) != 0) n++;
        if (n == 0) { /* brackets, bars, spaces, an ellipsis: plain */
            put(m, *s++, 0);
            continue;
        }
        int italic = isupper((unsigned char)s[0]);
        fputs(italic ? "\\fI" : "\\fB", m);
        for (size_t i = 0; i < n; i++) put(m, s[i], !italic);
        fputs("\\fR", m);
        s += n;
    }
}

/* An option's name (--warm-up-time) where a word starts: bold, no hyphenation. */
static size_t option_word(const char *s, const char *start) {
    if (!(s[0] == '-' && s[1] == '-' && islower((unsigned char)s[2]))) return 0;
    if (s > start && (isalnum((unsigned char)s[-1]) || s[-1] == '-')) return 0;
    size_t n = 2;
    while (islower((unsigned char)s[n]) || isdigit((unsigned char)s[n]) || s[n] == '-') n++;
    return n;
}

static void prose_into(FILE *m, const char *s) {
    for (const char *p = s; *p;) {
        size_t n = option_word(p, s);
        const char *tick = *p == '`' ? strchr(p + 1, '`') : NULL;
        if (n || tick) {
            const char *from = tick ? p + 1 : p, *to = tick ? tick : p + n;
            fputs("\\fB", m);
            for (; from < to; from++) put(m, *from, 1);
            fputs("\\fR", m);
            p = tick ? tick + 1 : p + n;
        } else {
            put(m, *p++, 0);
        }
    }
}

void cb_man_syntax(FILE *f, const char *s) { made(f, s, syntax_into); }

void cb_man_code(FILE *f, const char *s, size_t n) {
    if (n && (*s == '.' || *s == '\'')) fputs("\\&", f);
    for (size_t i = 0; i < n; i++) put(f, s[i], 1);
}
void cb_man_prose(FILE *f, const char *s) { made(f, s, prose_into); }

void cb_man_option(FILE *f, const cb_man_block *b) {
    fputs(".TP\n", f);
    syntax_into(f, b->lhs);
    fputc('\n', f);
    char *text = cb_strdup(b->text);
    if (!text) return;
    size_t n = strlen(text);
    char *dflt = n && text[n - 1] == ']' ? strrchr(text, '[') : NULL;
    if (dflt && dflt > text) { /* "... [default]"; "[-]": none worth stating */
        dflt[-1] = '\0', text[n - 1] = '\0';
        if (strcmp(dflt + 1, "-") != 0) {
            char *with = cb_asprintf("%s (default: %s)", text, dflt + 1);
            if (with) free(text), text = with;
        }
    }
    cb_man_prose(f, text);
    free(text);
}

void cb_man_usage(FILE *f, const cb_man_block *b, int with_text) {
    fputs(".SY cbench\n", f);
    cb_man_syntax(f, b->lhs);
    fputs(".YS\n", f);
    if (!with_text || !*b->text) return;
    fputs(".RS\n", f);
    cb_man_prose(f, b->text);
    fputs(".RE\n", f);
}
