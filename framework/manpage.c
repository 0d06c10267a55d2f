/* SPDX-License-Identifier: MIT */
/* manpage.c - cbench(1) in roff, converted from the --help text so the two never disagree. */
#include "cb_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* --help's "heading:" lines mapped to man(7) section names; others are upper-cased. */
static const char *const cb__sections[][2] = {
    {"options", "OPTIONS"}, {"exit codes", "EXIT STATUS"}, {"environment", "ENVIRONMENT"}};

/* Writes text with roff's specials escaped; code = 1 also turns '-' into a minus sign. */
static void cb__roff(FILE *f, const char *s, size_t n, int code) {
    if (n && (s[0] == '.' || s[0] == '\'')) fputs("\\&", f);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\') fputs("\\e", f);
        else if (s[i] == '-' && code) fputs("\\-", f);
        else fputc(s[i], f);
    }
}

/* Splits "LEFT  RIGHT" at the first run of two spaces; *right is NULL when there is none. */
static size_t cb__split(const char *s, const char **right) {
    const char *gap = strstr(s, "  ");
    *right = NULL;
    if (!gap) return strlen(s);
    const char *r = gap;
    while (*r == ' ') r++;
    *right = *r ? r : NULL;
    return (size_t)(gap - s);
}

static void cb__section(FILE *f, const char *name, size_t n) {
    for (size_t k = 0; k < CB__COUNT(cb__sections); k++)
        if (strlen(cb__sections[k][0]) <= n && strncmp(name, cb__sections[k][0], strlen(cb__sections[k][0])) == 0)
            return (void)fprintf(f, ".SH %s\n", cb__sections[k][1]);
    fputs(".SH ", f);
    for (size_t i = 0; i < n; i++) fputc(toupper((unsigned char)name[i]), f);
    fputc('\n', f);
}

/* "  --name META   help [default]" as a tagged paragraph. */
static void cb__option(FILE *f, const char *line) {
    const char *help, *lhs = line + strspn(line, " ");
    size_t n = cb__split(lhs, &help), name = strcspn(lhs, " ");
    fputs(".TP\n\\fB", f);
    cb__roff(f, lhs, name < n ? name : n, 1);
    fputs("\\fR", f);
    if (name < n) fputs(" \\fI", f), cb__roff(f, lhs + name + 1, n - name - 1, 0), fputs("\\fR", f);
    fputc('\n', f);
    if (!help) return;
    const char *dflt = strrchr(help, '[');
    size_t hl = strlen(help);
    if (dflt && dflt > help && help[hl - 1] == ']') {
        cb__roff(f, help, (size_t)(dflt - help - 1), 0);
        if (strcmp(dflt, "[-]") != 0) { /* "-": no default worth stating */
            fputs(" (default: ", f);
            cb__roff(f, dflt + 1, hl - (size_t)(dflt - help) - 2, 1);
            fputs(")", f);
        }
        fputc('\n', f);
    } else {
        cb__roff(f, help, hl, 0), fputc('\n', f);
    }
}

/* "usage: cbench ARGS  what it does" (or an indented continuation) into SYNOPSIS + DESCRIPTION. */
static void cb__usage(FILE *syn, FILE *desc, const char *line) {
    const char *what, *cmd = line + strspn(line, " ");
    if (strncmp(cmd, "usage:", 6) == 0) cmd += 6 + strspn(cmd + 6, " ");
    size_t n = cb__split(cmd, &what), prog = strcspn(cmd, " ");
    if (prog > n) prog = n;
    fputs(".B ", syn), cb__roff(syn, cmd, prog, 1), fputc('\n', syn);
    if (n > prog) cb__roff(syn, cmd + prog + 1, n - prog - 1, 1), fputc('\n', syn);
    fputs(".br\n", syn);
    fputs(".TP\n\\fB", desc), cb__roff(desc, cmd, n, 1), fputs("\\fR\n", desc);
    if (what) cb__roff(desc, what, strlen(what), 0), fputc('\n', desc);
}

static int cb__convert(FILE *f, char *help, FILE *syn, FILE *desc, FILE *rest) {
    char *save = NULL, *line = strtok_r(help, "\n", &save);
    if (!line) return CB_ERR_INTERNAL;
    const char *tag, *sep = strstr(line, " - ");
    size_t title = cb__split(line, &tag);
    fprintf(f, ".TH CBENCH 1 \"\" \"");
    cb__roff(f, line, sep ? (size_t)(sep - line) : title, 0);
    fprintf(f, "\" \"User Commands\"\n.SH NAME\ncbench \\- %s\n", sep ? sep + 3 : line);
    fprintf(desc, ".SH DESCRIPTION\n");
    if (sep) fprintf(desc, "\\fBcbench\\fR: %s.\n", sep + 3);
    int in_usage = 0;
    while ((line = strtok_r(NULL, "\n", &save))) {
        const char *colon = strchr(line, ':');
        if (strncmp(line, "usage:", 6) == 0 || (in_usage && line[0] == ' ')) {
            in_usage = 1;
            cb__usage(syn, desc, line);
        } else if (line[0] == ' ' && line[strspn(line, " ")] == '-') {
            in_usage = 0;
            cb__option(rest, line);
        } else if (line[0] != ' ' && colon) { /* "heading: text" or "heading:" */
            in_usage = 0;
            cb__section(rest, line, (size_t)(colon - line));
            const char *text = colon + 1 + strspn(colon + 1, " ");
            if (*text) cb__roff(rest, text, strlen(text), 0), fputc('\n', rest);
        } else {
            cb__roff(rest, line, strlen(line), 0), fputc('\n', rest);
        }
    }
    return CB_OK;
}

int cb_man_write(FILE *f) {
    char *help = NULL, *parts[3] = {NULL, NULL, NULL};
    size_t help_n = 0, part_n[3];
    FILE *hf = open_memstream(&help, &help_n), *pf[3];
    int rc = CB_ERR_NOMEM;
    for (int i = 0; i < 3; i++) pf[i] = open_memstream(&parts[i], &part_n[i]);
    if (hf && pf[0] && pf[1] && pf[2]) {
        cb_cli_help(hf);
        fclose(hf), hf = NULL;
        fputs(".SH SYNOPSIS\n", pf[0]);
        rc = cb__convert(f, help, pf[0], pf[1], pf[2]);
    }
    if (hf) fclose(hf);
    for (int i = 0; i < 3; i++) {
        if (pf[i]) fclose(pf[i]);
        if (rc == CB_OK && parts[i]) fputs(parts[i], f);
        free(parts[i]);
    }
    free(help);
    return rc;
}
