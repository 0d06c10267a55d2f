/* SPDX-License-Identifier: MIT */
/* man_roff.h - help texts as man(7) (man_roff.c): a help text read as usage lines, options and
 * paragraphs, and each written in roff for cbench(1) (manpage.c). */
#ifndef MAN_ROFF_H
#define MAN_ROFF_H

#include <stddef.h>
#include <stdio.h>

/* What a help text is made of: "usage: cbench CMD ARGS" and the lines under it ("       cbench
 * CMD ARGS"), options ("  --name META   what it does [default]", continued on deeper-indented
 * lines) and paragraphs (lines at the margin, up to a blank line or another kind of line). */
typedef enum { CB_MAN_USAGE, CB_MAN_OPTION, CB_MAN_PARA } cb_man_kind;
typedef struct cb_man_block {
    cb_man_kind kind;
    char *lhs;  /* usage: the arguments after "cbench "; option: "--name META"; para: NULL */
    char *text; /* what the usage or option does ("" when nothing), or the paragraph, joined */
} cb_man_block;

/* Splits help into blocks (*out, *n; free with cb_man_blocks_free); CB_OK or CB_ERR_NOMEM. */
int cb_man_parse(const char *help, cb_man_block **out, size_t *n);
void cb_man_blocks_free(cb_man_block *b, size_t n);

/* Syntax ("history [REGEX...] --bench ID"): literal words bold, placeholders (capitalised)
 * italic, brackets and bars plain. */
void cb_man_syntax(FILE *f, const char *s);
/* Prose, in source lines under 80 bytes: --options and `code` bold, specials escaped. */
void cb_man_prose(FILE *f, const char *s);
/* An option block as a tagged paragraph, its trailing "[default]" as "(default: ...)". */
void cb_man_option(FILE *f, const cb_man_block *b);
/* A usage block as a synopsis (.SY), what it does (with_text) indented under it. */
void cb_man_usage(FILE *f, const cb_man_block *b, int with_text);
/* Text as it is typed (a command, a file name): escaped, minus signs, on one source line. */
void cb_man_code(FILE *f, const char *s, size_t n);

#endif /* MAN_ROFF_H */
