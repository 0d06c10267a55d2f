/* SPDX-License-Identifier: MIT */
/* history_table.h - a table of text cells that `cbench history` prints in any of the output
 * formats (history_table.c). */
#ifndef CB_HISTORY_TABLE_H
#define CB_HISTORY_TABLE_H

#include "cb_config.h"

#include <stdio.h>

typedef struct cb_htab {
    size_t ncol;
    const char *const *head; /* column names (JSON keys) */
    const int *num;          /* per column: a number in JSON; NULL: all text */
    char **cell;             /* [row * ncol + col], owned */
    size_t n, cap;           /* rows; cells allocated */
} cb_htab;
/* Appends a row of ncol strings (NULL: empty), copied. */
int cb_htab_row(cb_htab *t, ...);
void cb_htab_print(FILE *f, const cb_htab *t, cb_format fmt);
void cb_htab_free(cb_htab *t);
/* s as a JSON string, quotes included (also for the documents around a table). */
void cb_htab_json_str(FILE *f, const char *s);

#endif /* CB_HISTORY_TABLE_H */
