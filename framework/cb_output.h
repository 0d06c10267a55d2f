/* SPDX-License-Identifier: MIT */
/* cb_output.h - what the runner prints for each result and at the end, in each
 * --format (output.c). */
#ifndef CB_OUTPUT_H
#define CB_OUTPUT_H

#include "cb_run.h"

#include <stdio.h>

int cb_output_result(FILE *f, const cb_result *res, cb_format fmt, int color);
int cb_output_begin(FILE *f, cb_format fmt);
int cb_output_end(FILE *f, const cb_run *r, cb_format fmt);
void cb_output_change(FILE *f, const cb_result *r, int color);
/* Each metric's change (the median ratio where paired, as time's verdict is) and each memory
 * reading's, one line each, by the metric's direction. */
void cb_output_other_changes(FILE *f, const cb_result *r, int color);
/* "changes: 2 regressed, 0 improved, ..." from the count of each verdict (cb_verdict); nothing
 * when nothing was compared. */
void cb_output_verdict_counts(FILE *f, const size_t count[4]);
void cb_output_change_summary(FILE *f, const cb_result *res, size_t n);
void cb_output_md_escape(FILE *f, const char *s);
/* Text from a plugin or a file on one terminal line: control characters become '?'. */
void cb_output_plain(FILE *f, const char *s);

#endif /* CB_OUTPUT_H */
