/* SPDX-License-Identifier: MIT */
/* kde.c - Gaussian kernel density estimate of per-iteration times for the density charts. */
#include "report_write.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Silverman's rule of thumb, 0.9 min(sd, IQR/1.34) n^-1/5: robust to the outliers that
 * benchmark samples have, which would widen a bandwidth based on sd alone. */
static double bandwidth(const double *x, size_t n) {
    double *s = malloc(n * sizeof *s);
    if (!s) return NAN;
    memcpy(s, x, n * sizeof *s);
    qsort(s, n, sizeof *s, cb_rp_cmp_double);
    double mean = 0, var = 0;
    for (size_t i = 0; i < n; i++) mean += s[i] / (double)n;
    for (size_t i = 0; i < n; i++) var += (s[i] - mean) * (s[i] - mean) / (double)(n - 1);
    double q1 = s[(n - 1) / 4], q3 = s[(3 * (n - 1)) / 4];
    double spread = sqrt(var), iqr = (q3 - q1) / 1.34;
    if (iqr > 0 && iqr < spread) spread = iqr;
    if (!(spread > fabs(mean) * 1e-9)) spread = fabs(mean) * 1e-3 + 1e-12; /* identical samples */
    free(s);
    return 0.9 * spread * pow((double)n, -0.2);
}

/* The bandwidth is at least 1.5 grid steps: a kernel narrower than the grid (most samples
 * within 0.1 us of 2 ms, a few at 8 ms: Silverman's h is then ~0.02 us on a 30 us grid) would
 * fall between the grid points and leave the chart a density of zero everywhere. */
int cb_kde(const double *x, size_t n, double lo, double hi, size_t m, double *ys, double *bw) {
    if (n < 2 || m < 2 || !(hi > lo)) return CB_ERR_USAGE;
    double h = bandwidth(x, n), step = (hi - lo) / (double)(m - 1);
    if (isnan(h)) return CB_ERR_NOMEM;
    if (!(h >= 1.5 * step)) h = 1.5 * step;
    double norm = 1.0 / ((double)n * h * sqrt(2 * M_PI));
    for (size_t j = 0; j < m; j++) {
        double t = lo + (hi - lo) * (double)j / (double)(m - 1), sum = 0;
        for (size_t i = 0; i < n; i++) {
            double u = (t - x[i]) / h;
            if (fabs(u) < 8) sum += exp(-0.5 * u * u); /* beyond 8 h the term is < 1e-14 */
        }
        ys[j] = sum * norm;
    }
    if (bw) *bw = h;
    return CB_OK;
}
