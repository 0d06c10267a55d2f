/* SPDX-License-Identifier: MIT */
/* validate.h - what the validation harness's simulation (validate.c) hands its report (report.c). */
#ifndef VD_VALIDATE_H
#define VD_VALIDATE_H

#include "cb_boot.h"

#define VD_K 8      /* CI method choices run side by side on the same samples */
#define VD_NSHIFT 5 /* true changes: 0 (A/A), 1, 2, 5, 10% */
#define VD_NSIZE 3  /* samples per run: 10, 30, 100 */
#define VD_MAXD 32
#define VD_ITERS 64 /* iterations per sample (flat), as for a ~1 us bench */
#define VD_SIGNIFICANCE 0.05 /* cbench's defaults */
#define VD_NOISE 0.01

extern const double vd_shifts[VD_NSHIFT];
extern const size_t vd_sizes[VD_NSIZE];

/* One simulated run, per method: coverage bits (1 mean, 2 median) of the CIs of one sample,
 * and per shift the verdict and the coverage bits of the ratio CIs against the true ratio. */
typedef struct vd_rec {
    uint8_t cov[VD_K];
    uint8_t verdict[VD_NSHIFT][VD_K];
    uint8_t rcov[VD_NSHIFT][VD_K];
    uint8_t rules;         /* bit r: candidate rule r for "trust the median" fired */
    float width[VD_K][2];  /* CI widths of mean and median, relative to the truth */
} vd_rec;

typedef struct vd_method {
    const char *name;
    cb__ci_choice choice;
} vd_method;

typedef struct vd_opts {
    uint64_t seed;
    int runs, nresamples, cmp_nresamples, jobs, explore;
    const char *doc, *data, *only;
    size_t dist[VD_MAXD], ndist; /* indices into vd_dists */
    vd_method method[VD_K];
    cb__ci_choice choice[VD_K];
    int nmethods;
} vd_opts;

/* Tallies rec (ndist x VD_NSIZE x runs, in that order) to stdout, o->doc and o->data. */
int vd_report(const vd_opts *o, const vd_rec *rec);

#endif
