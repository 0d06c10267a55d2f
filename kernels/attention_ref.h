/* SPDX-License-Identifier: MIT */
/* attention_ref.h - float64 CPU reference of attention output rows, and the sample of rows to check. */
#ifndef ATTN_ATTENTION_REF_H
#define ATTN_ATTENTION_REF_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

static inline uint64_t attn_ref_rand(uint64_t *x) { /* splitmix64: small, seedable, good enough */
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* out[0..d) = softmax(q·Kᵀ/√d)·V for the query row `row` of one head (K, V: [s][d], float copies of
 * the halves the GPU reads). Causal: keys past `row` get no weight. `w` is scratch of s doubles. */
static inline void attn_ref_row(const float *q, const float *K, const float *V, int s, int d, int row,
                                int causal, double *w, double *out) {
    const int nk = causal ? row + 1 : s;
    const double scale = 1.0 / sqrt((double)d);
    double mx = -INFINITY, sum = 0.0;
    for (int j = 0; j < nk; j++) {
        const float *k = K + (size_t)j * d;
        double acc = 0.0;
        for (int c = 0; c < d; c++) acc += (double)q[c] * (double)k[c];
        w[j] = acc * scale;
        mx = w[j] > mx ? w[j] : mx;
    }
    for (int c = 0; c < d; c++) out[c] = 0.0;
    for (int j = 0; j < nk; j++) {
        const double p = exp(w[j] - mx);
        const float *v = V + (size_t)j * d;
        sum += p;
        for (int c = 0; c < d; c++) out[c] += p * (double)v[c];
    }
    for (int c = 0; c < d; c++) out[c] /= sum;
}

/* Rows to check in one head: the first rows (row 0 sees only key 0 when causal), both sides of
 * every tile size's boundary the kernels use (16, 32, 64, 128), the middle, the last row, then
 * random rows; rows ≥ s are dropped. Returns how many of `max` were written to idx. */
#define ATTN_REF_FIXED 12
static inline int attn_ref_pick_rows(int s, uint64_t *seed, int *idx, int max) {
    const int fixed[ATTN_REF_FIXED] = {0, 1, 15, 16, 31, 32, 63, 64, 127, 128, s / 2 - 1, s - 1};
    int k = 0;
    for (int i = 0; i < ATTN_REF_FIXED && k < max; i++)
        if (fixed[i] >= 0 && fixed[i] < s) idx[k++] = fixed[i];
    while (k < max) idx[k++] = (int)(attn_ref_rand(seed) % (uint64_t)s);
    return k;
}

#endif
