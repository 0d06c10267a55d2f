/* SPDX-License-Identifier: MIT */
/* dists.h - the validation harness's generator and the timing-like distributions it draws. */
#ifndef VD_DISTS_H
#define VD_DISTS_H

#include <stddef.h>
#include <stdint.h>

/* xoshiro256**: small, fast, and the same stream on every machine for a given seed. */
typedef struct vd_rng {
    uint64_t s[4];
} vd_rng;
void vd_rng_seed(vd_rng *r, uint64_t a, uint64_t b, uint64_t c, uint64_t d);
uint64_t vd_mix(uint64_t z); /* splitmix64's output function */

/* What a distribution stands for in the targets of docs/statistics.md. */
typedef enum { VD_NORMAL, VD_LOGNORMAL, VD_MIXTURE, VD_BIMODAL, VD_HEAVY, VD_AR1 } vd_kind;

typedef struct vd_dist {
    const char *name;  /* row label */
    const char *about; /* one line for the doc */
    void (*draw)(const struct vd_dist *d, vd_rng *r, double *y, size_t n);
    void (*init)(struct vd_dist *d); /* sets p[] and the truths; NULL: symmetric about 1000 */
    double p[3];          /* parameters, as each draw reads them */
    vd_kind kind;
    double mean, median;  /* the truths, set by vd_dists_init */
    double skew;          /* of the marginal, for the doc (NaN: undefined) */
} vd_dist;

extern vd_dist vd_dists[];
extern const size_t vd_ndists;
/* Computes every distribution's true mean and median (analytically, or by bisection on an
 * analytic CDF); 0 on success. */
int vd_dists_init(void);

#endif
