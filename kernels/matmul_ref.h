/* SPDX-License-Identifier: MIT */
/* matmul_ref.h - float64 CPU reference of C = A·B on a sample of whole rows and whole columns. */
#ifndef MM_MATMUL_REF_H
#define MM_MATMUL_REF_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Multiply-adds the reference may spend: about 0.3 s of one core, so verify stays cheap at n=8192. */
#define MM_REF_BUDGET (1u << 28)

static inline uint64_t mm_ref_rand(uint64_t *x) { /* splitmix64: small, seedable, good enough */
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Picks which rows and columns to check: all rows when n³ fits the budget, else k of each with the
 * last one always in (edge tiles are where indexing goes wrong). Returns k; idx holds k entries. */
static inline int mm_ref_pick(int n, uint64_t seed, int *idx, int max) {
    double nn = (double)n;
    int k;
    if (nn * nn * nn <= MM_REF_BUDGET) {
        k = n < max ? n : max;
        for (int i = 0; i < k; i++) idx[i] = i;
        return k;
    }
    k = (int)(MM_REF_BUDGET / (2.0 * nn * nn));
    k = k < 2 ? 2 : (k > max ? max : k);
    idx[0] = n - 1;
    for (int i = 1; i < k; i++) idx[i] = (int)(mm_ref_rand(&seed) % (uint64_t)n);
    return k;
}

/* out[r*n + j] = sum_k A[rows[r]][k] * B[k][j] in double (float products are exact in double). */
static inline void mm_ref_rows(const float *A, const float *B, int n, const int *rows, int nr,
                               double *out) {
    for (int r = 0; r < nr; r++) {
        double *o = out + (size_t)r * n;
        const float *a = A + (size_t)rows[r] * n;
        memset(o, 0, sizeof(double) * (size_t)n);
        for (int k = 0; k < n; k++) {
            const double ak = a[k];
            const float *b = B + (size_t)k * n;
            for (int j = 0; j < n; j++) o[j] += ak * (double)b[j];
        }
    }
}

/* out[c*n + i] = sum_k A[i][k] * B[k][cols[c]]; the column is gathered once so A is read in rows.
 * Returns -1 when out of memory. */
static inline int mm_ref_cols(const float *A, const float *B, int n, const int *cols, int nc,
                              double *out) {
    double *bc = (double *)malloc(sizeof(double) * (size_t)n);
    if (!bc) return -1;
    for (int c = 0; c < nc; c++) {
        for (int k = 0; k < n; k++) bc[k] = B[(size_t)k * n + cols[c]];
        for (int i = 0; i < n; i++) {
            const float *a = A + (size_t)i * n;
            double acc = 0.0;
            for (int k = 0; k < n; k++) acc += (double)a[k] * bc[k];
            out[(size_t)c * n + i] = acc;
        }
    }
    free(bc);
    return 0;
}

#endif
