/* SPDX-License-Identifier: MIT */
/* validate.h - what the validation harness's simulation (validate.c) hands its report. */
#ifndef VD_VALIDATE_H
#define VD_VALIDATE_H

#include "cb_boot.h"

#include <stdio.h>

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
    uint8_t psig[VD_K];    /* A/A: the p-value was under the significance level */
    uint8_t rules;         /* bit r: candidate rule r for "trust the median" fired */
    uint8_t detected;      /* the lag-1 test found autocorrelation (CIs widened by +ess) */
    float width[VD_K][2];  /* CI widths of mean and median, relative to the truth */
} vd_rec;

/* One run of another seed, default methods only, A/A only: the bits of VD_FIG_*. */
enum { VD_FIG_MEAN, VD_FIG_MEDIAN, VD_FIG_FP, VD_FIG_PSIG, VD_NFIG };
typedef struct vd_srec {
    uint8_t bits; /* bit f: figure f held in this run */
} vd_srec;
#define VD_SEEDS 20 /* seeds the headline figures are given over by default */
/* The further seeds run the first VD_SPREAD_NSIZE sizes (n = 10, 30): at n = 100 a run costs
 * as much as at 10 and 30 together, twice over, and a rate's binomial spread does not grow
 * with n, so the small sizes show it at a third of the cost. */
#define VD_SPREAD_NSIZE 2

/* A CI method choice: of one sample's estimates, and of a comparison's ratios. */
typedef struct vd_method {
    const char *name;
    cb_boot_ci_choice est, cmp;
} vd_method;

typedef struct vd_opts {
    uint64_t seed;
    int runs, nresamples, cmp_nresamples, jobs;
    int seeds; /* the seed and seeds - 1 more (seed + 1, ...) for the spread of the headlines */
    const char *doc, *data, *header, *only;
    size_t dist[VD_MAXD], ndist; /* indices into vd_dists */
    vd_method method[VD_K];
    cb_boot_ci_choice est[VD_K], cmp[VD_K]; /* method[m].est and .cmp, as the engine takes them */
    int nmethods;
} vd_opts;

/* Tallies rec (ndist x VD_NSIZE x runs, in that order) and srec (seeds - 1 of those blocks)
 * to stdout, o->doc, o->data and o->header (report.c). */
int vd_report(const vd_opts *o, const vd_rec *rec, const vd_srec *srec);

/* ---- the tallies of one cell (a distribution at a sample size), and their Markdown ---- */
#define VD_NRULES 7 /* rule 0 is the report's (cb_stats_heavy_tail); the others, candidates */
extern const char *const vd_rule_names[VD_NRULES];

typedef struct vd_tally {
    size_t runs, detected;          /* detected: autocorrelation found */
    size_t cov[VD_K][2];            /* CIs of mean and median covering the truth */
    size_t rcov[VD_K][2];           /* A/A: ratio CIs of mean and median covering 1 */
    size_t fp[VD_K];                /* A/A: regressed + improved */
    size_t psig[VD_K];              /* A/A: p under the significance level (the test's size) */
    int nseeds;                     /* over which the spread below was taken */
    double slo[VD_NFIG], shi[VD_NFIG]; /* smallest and largest % of each figure over seeds */
    size_t reg[VD_NSHIFT][VD_K];    /* regressed, per shift */
    double width[VD_K][2];          /* summed relative widths of the mean's and median's CIs */
    size_t fired[VD_NRULES];        /* rule fired (on the default method's estimates) */
    size_t cov_fired[VD_NRULES][2]; /* ... and the mean / median CI covered */
    size_t cov_quiet[VD_NRULES][2]; /* rule quiet, and the mean / median CI covered */
} vd_tally;

/* Cell c is distribution o->dist[c / VD_NSIZE] at vd_sizes[c % VD_NSIZE]. */
double vd_pct(size_t k, size_t n); /* 100 k / n, NaN for n = 0 */
void vd_md(const vd_opts *o, const vd_tally *t, FILE *f);      /* report_md.c: the tables */
void vd_md_targets(const vd_opts *o, const vd_tally *t, FILE *f); /* ... the targets' one */
void vd_summary(const vd_opts *o, const vd_tally *t, FILE *f); /* report_md.c: the report's */
void vd_md_seeds(const vd_opts *o, const vd_tally *t, FILE *f); /* report_seeds.c */
/* " (20 seeds: 0.3-1.9 %)" of figure fig of cell x, or "" with one seed, into buf. */
const char *vd_spread(const vd_tally *x, int fig, char *buf, size_t sz);
/* The spread of the cells over the seeds (report_seeds.c). */
void vd_tally_seeds(const vd_opts *o, const vd_rec *rec, const vd_srec *srec, size_t cell,
                    vd_tally *t);

#endif
