/* SPDX-License-Identifier: MIT */
/* analyze.c - the analysis of one bench: bootstrapped estimates, then Tukey outliers. */
#include "cb_boot.h"
#include "cb_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Linear sampling shows as varying counts: only then does a slope of time on iters mean much. */
static int iters_vary(const cb_samples *s) {
    for (size_t i = 1; i < s->n; i++)
        if (s->iters[i] != s->iters[0]) return 1;
    return 0;
}

int cb_analyze(const cb_samples *s, const cb_config *c, const char *id, cb_analysis *out) {
    memset(out, 0, sizeof *out);
    cb_boot_opts o = {.nresamples = c->nresamples,
                      .confidence_level = c->confidence_level,
                      .seed = cb_bench_seed(c->seed, id),
                      .jobs = c->jobs, /* <= 0: every online CPU (cb_boot_run) */
                      .want_slope = iters_vary(s)};
    double *y = NULL;
    int rc = cb_bootstrap_estimates(s, &o, &out->est);
    if (rc) goto out;
    if ((rc = cb_boot_per_iter(s, &y))) goto out;
    cb_stats_outliers(y, s->n, out->est.mean.point, out->est.std_dev.point, &out->outliers);
out:
    free(y);
    return rc;
}

int cb_analysis_trend(const cb_samples *s) {
    double *y = NULL;
    if (s->n < 2 || cb_boot_per_iter(s, &y) != 0) return 0;
    int trend = cb_stats_trend(y, s->n, NULL);
    free(y);
    return trend;
}

int cb_analysis_trend_warning(const cb_analysis *an, size_t n, char *buf, size_t sz) {
    if (!an->est.trend) return 0;
    snprintf(buf, sz,
             "samples trend: lag-1 autocorrelation %.2f in run order leaves %.1f of %zu "
             "samples' worth of information; the intervals are widened but none is honest "
             "(the times drift: a longer warm-up or a quieter machine)",
             an->est.lag1, an->est.n_eff, n);
    return 1;
}
