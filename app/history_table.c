/* SPDX-License-Identifier: MIT */
/* history_table.c - the tables `cbench history` prints: cells as text, written as aligned
 * columns, CSV, Markdown or JSON (numeric columns as JSON numbers, empty cells as null). */
#include "cb_error.h"
#include "cb_output.h"
#include "cb_util.h"
#include "history_table.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int cb_htab_row(cb_htab *t, ...) {
    if (cb_grow(&t->cell, &t->cap, (t->n + 1) * t->ncol, sizeof *t->cell)) return CB_ERR_NOMEM;
    va_list ap;
    va_start(ap, t);
    int rc = CB_OK;
    for (size_t i = 0; i < t->ncol; i++) {
        const char *s = va_arg(ap, const char *);
        if (!(t->cell[t->n * t->ncol + i] = cb_strdup(s ? s : ""))) rc = CB_ERR_NOMEM;
    }
    va_end(ap);
    t->n++;
    return rc;
}

void cb_htab_free(cb_htab *t) {
    for (size_t i = 0; i < t->n * t->ncol; i++) free(t->cell[i]);
    free(t->cell);
    t->cell = NULL, t->n = t->cap = 0;
}

void cb_htab_json_str(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void print_aligned(FILE *f, const cb_htab *t) {
    size_t w[32] = {0};
    for (size_t c = 0; c < t->ncol && c < 32; c++) {
        w[c] = strlen(t->head[c]);
        for (size_t r = 0; r < t->n; r++) {
            size_t l = strlen(t->cell[r * t->ncol + c]);
            w[c] = l > w[c] ? l : w[c];
        }
    }
    for (size_t r = 0; r <= t->n; r++) {
        for (size_t c = 0; c < t->ncol && c < 32; c++) {
            const char *s = r ? t->cell[(r - 1) * t->ncol + c] : t->head[c];
            int last = c + 1 == t->ncol;
            fprintf(f, "%-*s%s", last ? 0 : (int)w[c], s, last ? "\n" : "  ");
        }
    }
}

void cb_htab_print(FILE *f, const cb_htab *t, cb_format fmt) {
    if (fmt == CB_FORMAT_HUMAN) {
        print_aligned(f, t);
        return;
    }
    if (fmt == CB_FORMAT_JSON) fputs("[", f);
    for (size_t r = 0; r <= t->n; r++) {
        if (fmt == CB_FORMAT_JSON && !r) continue;
        if (fmt == CB_FORMAT_JSON) fputs(r > 1 ? ",\n {" : "\n {", f);
        if (fmt == CB_FORMAT_MARKDOWN) fputs("|", f);
        for (size_t c = 0; c < t->ncol; c++) {
            const char *s = r ? t->cell[(r - 1) * t->ncol + c] : t->head[c];
            if (fmt == CB_FORMAT_CSV) fputs(c ? "," : "", f), cb_csv_field(f, s, 0);
            if (fmt == CB_FORMAT_MARKDOWN) fputs(" ", f), cb_output_md_escape(f, s), fputs(" |", f);
            if (fmt != CB_FORMAT_JSON) continue;
            fputs(c ? ", " : "", f);
            cb_htab_json_str(f, t->head[c]);
            fputs(": ", f);
            if (!*s)
                fputs("null", f);
            else if (t->num && t->num[c])
                fputs(s, f);
            else
                cb_htab_json_str(f, s);
        }
        if (fmt == CB_FORMAT_JSON)
            fputs("}", f);
        else
            fputs("\n", f);
        if (fmt == CB_FORMAT_MARKDOWN && !r) {
            fputs("|", f);
            for (size_t c = 0; c < t->ncol; c++)
                fputs(t->num && t->num[c] ? " ---: |" : " --- |", f);
            fputs("\n", f);
        }
    }
    if (fmt == CB_FORMAT_JSON) fputs(t->n ? "\n]\n" : "]\n", f);
}
