/* SPDX-License-Identifier: MIT */
/* cb_ab.h - `cbench ab`: two builds measured in interleaved rounds (ab*.c, docs/statistics.md). */
#ifndef CB_AB_H
#define CB_AB_H

#include "cb_paired.h"
#include "cb_plugin.h"

#include <stdio.h>

/* What `cbench ab` prints per bench and at the end, in each --format (ab_output.c). */
void cb_ab_output_begin(FILE *f, cb_format fmt);
void cb_ab_output(FILE *f, const cb_result *r, cb_format fmt, int color);
void cb_ab_output_end(FILE *f, const cb_run *run, cb_format fmt);

#endif /* CB_AB_H */
