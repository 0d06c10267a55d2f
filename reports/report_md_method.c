/* SPDX-License-Identifier: MIT */
/* report_md_method.c - the report's Method section: how the figures were measured and computed,
 * which interval methods the run files record, and what the validation (docs/statistics.md)
 * found about them. */
#include "report_validation.h"
#include "report_write.h"

#include <string.h>

static size_t count_mode(const cb_report *r, const char *mode) {
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++) n += r->b[i].sampling && strcmp(r->b[i].sampling, mode) == 0;
    return n;
}

static int has_timer(const cb_report *r, const char *timer) {
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->b[i].timer, timer) == 0) return 1;
    return 0;
}

static void method_measure(const cb_report *r, const cb_rp_run *c, cb_rp_buf *b) {
    cb_rp_printf(b,
                 "**Measurement.** Each benchmark is warmed up "
                 "for %g s, doubling the iteration count until the time is spent, which also "
                 "gives a first estimate of the time per iteration; then %d samples are taken "
                 "in about %g s. ",
                 c->m.config.warm_up_time, c->m.config.sample_size, c->m.config.measurement_time);
    cb_rp_printf(b,
                 "Sampling is *linear* for %zu benchmarks (sample i runs d·i iterations, so "
                 "the slope of time on iterations can be fitted) and *flat* for %zu (equal "
                 "counts; the auto mode picks it when linear sampling would take more "
                 "than twice the budget). ",
                 count_mode(r, "linear"), count_mode(r, "flat"));
    if (has_timer(r, "cpu")) {
        cb_rp_puts(b, "CPU benchmarks are timed with ");
        cb_rp_md(b, "CLOCK_MONOTONIC");
        cb_rp_puts(b, " around each sample (resolution ");
        cb_rp_time(b, c->m.timer.resolution_ns);
        cb_rp_puts(b, ", one read costs ");
        cb_rp_time(b, c->m.timer.read_cost_ns);
        cb_rp_puts(b, ", both measured at start-up). ");
    }
    if (has_timer(r, "cuda"))
        cb_rp_printf(b,
                     "GPU benchmarks are timed with CUDA events on the benchmark's stream, "
                     "which a spinning kernel holds until the sample's work is queued (so "
                     "launch latency stays out of the start event; runs that record it hold "
                     "every sample, in chunks of at most 512 launches, as the CUDA holds row "
                     "says) while it reads the SM "
                     "clock: samples under 90 %% of the maximum clock are flagged. The L2 "
                     "cache is %s. %s",
                     c->m.config.cold ? "flushed (an L2-sized buffer written) before every call"
                                      : "left warm between calls",
                     c->m.config.cuda_graph
                         ? "Each sample replays CUDA graphs captured from the "
                           "benchmark's calls (--cuda-graph), so no CPU launch cost "
                           "falls between them. "
                         : "");
    cb_rp_puts(b, "\n\n");
}

static void method_stats(const cb_report *r, const cb_rp_run *c, cb_rp_buf *b) {
    double conf = c->m.config.confidence_level * 100;
    cb_rp_printf(b,
                 "**Estimates.** The time per iteration of sample i is t_i / iters_i. Its "
                 "mean, median, standard deviation (n − 1) and MAD (× 1.4826) each carry a "
                 "%g %% bootstrap confidence interval from %d resamples (seed %llu), made as "
                 "*Intervals* says; with linear sampling so does the least-squares slope of "
                 "time on iterations through the origin, reported with its R². Intervals are "
                 "written as point [low, high].\n\n",
                 conf, c->m.config.nresamples, (unsigned long long)c->m.config.seed);
    cb_rp_puts(b, "**Outliers.** Tukey fences at 1.5 IQR (mild) and 3 IQR (severe) beyond the "
                  "quartiles (linear interpolation between order statistics). Outliers are "
                  "counted and shown, never dropped; their effect on the variance is classed "
                  "as unaffected, slight, moderate or severe by the share of the variance they "
                  "explain (below 1 %, 10 %, 50 %, above).\n\n");
    cb_rp_puts(b, "**Throughput and peak.** Throughput is the work per iteration (FLOP or "
                  "bytes, as the benchmark declares) over the mean time; its interval comes "
                  "from the mean's. % of peak divides it by the bench's own ceiling where its "
                  "run names one (a peak bench's measurement of the same precision on the same "
                  "device: FP32 FMA, FP16 tensor cores, DRAM, ...), else by the best throughput "
                  "of the same unit measured in these runs on the same CUDA device; either is a "
                  "measured roof, not a datasheet figure, taken as a constant. CPU benchmarks "
                  "without a ceiling get none: the best throughput a CPU run happens to contain "
                  "(a sort's bytes, say) is no ceiling of the machine. A group is judged in FLOP/s "
                  "unless its kernels do under 1 FLOP per byte moved (memory-bound below the "
                  "ridge point of any current CPU or GPU) or declare bytes only; then in B/s. "
                  "The density charts are "
                  "Gaussian kernel density estimates with Silverman's bandwidth, "
                  "0.9 · min(sd, IQR / 1.34) · n^(−1/5).\n\n");
    cb_rp_printf(b,
                 "**Speedups and selection.** The speedup of kernel K over the base B at a "
                 "size is mean(B) / mean(K); its %g %% interval comes from bootstrapping "
                 "both benchmarks' raw samples independently (%d resamples, seed %llu), as a "
                 "change's does. The "
                 "base is the group's reference row unless `--base` names one, else its "
                 "first kernel. A speedup is a **win** only when its whole interval lies "
                 "above 1, a loss when it lies below 1, and ~ (within noise) otherwise. At "
                 "each size the fastest kernel is selected only when its mean's interval "
                 "lies wholly below every other kernel's; otherwise there is no clear "
                 "winner, and the generated function keeps the base if it is among the "
                 "overlapping kernels, else the fastest point estimate. Benchmarks that failed "
                 "or failed verification take no part.\n\n",
                 conf, c->m.config.nresamples, (unsigned long long)c->m.config.seed);
    cb_rp_printf(b,
                 "**Changes.** Against a saved baseline, the ratios new / old of the means "
                 "and of the medians carry bootstrap intervals; a two-tailed p-value comes "
                 "from Welch's t statistic under a bootstrapped pooled null (each side's "
                 "variance inflated for autocorrelation where *+ess* applies). The verdict is "
                 "*improved* or *regressed* when p < %g and the whole interval of the "
                 "change lies beyond the ±%g %% noise threshold, *within noise* when "
                 "significant but inside it, *no change* otherwise.\n\n",
                 c->m.config.significance_level, c->m.config.noise_threshold * 100);
}

/* ---- intervals: the methods the run files record ---- */
#define MAX_METHODS 16

/* "the mean's by bca+expanded (12), bca+expanded+ess (2)"; 0 where no file names a method. */
static int methods_of(const cb_report *r, const char *what, int which, cb_rp_buf *b) {
    const char *name[MAX_METHODS];
    int count[MAX_METHODS], n = 0;
    for (size_t i = 0; i < r->n; i++) {
        const char *m = cb_rp_usable(&r->b[i]) ? r->b[i].method[which] : NULL;
        if (!m) continue;
        int k = 0;
        while (k < n && strcmp(name[k], m) != 0) k++;
        if (k == n && n == MAX_METHODS) continue; /* more kinds than any cbench writes */
        if (k == n) name[n] = m, count[n++] = 0;
        count[k]++;
    }
    for (int k = 0; k < n; k++) {
        cb_rp_printf(b, k ? ", *" : "%s by *", what);
        cb_rp_md(b, name[k]);
        cb_rp_printf(b, "* (%d)", count[k]);
    }
    return n;
}

static void intervals(const cb_report *r, const cb_rp_run *c, cb_rp_buf *b) {
    double a = 50 * (1 - c->m.config.confidence_level);
    cb_rp_puts(b, "**Intervals.** ");
    if (methods_of(r, "The run files record the mean's intervals as made", 0, b)) {
        methods_of(r, "; the median's", 1, b);
        if (methods_of(r, "; the changes' mean ratios", 2, b))
            methods_of(r, ", their median ratios", 3, b);
        cb_rp_puts(b, " (numbers of benchmarks in parentheses); standard deviation, MAD and "
                      "slope by *percentile*. ");
    } else {
        cb_rp_puts(b, "The run files do not say how the intervals were made. ");
    }
    cb_rp_printf(b,
                 "*percentile* takes the %g and %g %% points of the bootstrap distribution; "
                 "*expanded* (Hesterberg's expanded percentile interval) first widens those "
                 "levels as a t interval with n − 1 degrees of freedom would, times "
                 "√(n / (n − 1)), so a small sample claims no more than it holds; *bca* "
                 "(Efron's bias-corrected and accelerated interval, acceleration from the "
                 "jackknife) moves them with the skew of the estimate's distribution; *+ess* "
                 "widens the interval about its point by √(n / n_eff) when the lag-1 "
                 "autocorrelation of the samples in run order is significant (one-sided 5 %%), "
                 "n_eff being the effective sample size of an AR(1) series with that "
                 "autocorrelation. Speedups use cbench's method for a ratio of two means, *",
                 a, 100 - a);
    cb_rp_md(b, cb_ci_method_name(cb_ci_default(1, 0)));
    cb_rp_puts(b, "*.\n\n");
}

/* ---- validation, and the rule that names the median the estimate to trust ---- */
static int heavy_tail(const cb_rp_bench *x) {
    return cb_rp_usable(x) && x->has_outliers && cb_stats_heavy_tail(x->counts[3], x->samples.n);
}

int cb_rp_md_trust_median(const cb_report *r, cb_rp_buf *b) {
    int n = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (!heavy_tail(&r->b[i])) continue;
        cb_rp_puts(b, n++ ? ", " : "The median is the estimate to trust for ");
        cb_rp_md_id(b, &r->b[i]);
    }
    if (!n) return 0;
    cb_rp_puts(b, n == 1 ? ": 2 to 10 % of its samples are"
                         : ": in each, 2 to 10 % of the samples are");
    cb_rp_puts(b, " high severe outliers, a slow tail under which the mean's interval may miss "
                  "while the median's holds (*Method*, *Validation*).\n\n");
    return n;
}

static void validation(const cb_report *r, cb_rp_buf *b) {
    int n = 0;
    for (size_t i = 0; i < r->n; i++) n += heavy_tail(&r->b[i]);
    cb_rp_puts(b, CB_RP_VALIDATION);
    cb_rp_puts(b, " The report names the median the estimate to trust when at least 2, and "
                  "2 to 10 %, of a benchmark's samples are high severe outliers (beyond "
                  "Q3 + 3 IQR): a slow tail, under which the mean's interval may miss while "
                  "the median's holds; more than 10 % is a second mode, not a tail. ");
    if (n)
        cb_rp_printf(b, "Here that is %d benchmark%s, named under *Outliers*.\n\n", n,
                     n == 1 ? "" : "s");
    else
        cb_rp_puts(b, "No benchmark here has such a tail.\n\n");
}

void cb_rp_md_method(const cb_report *r, cb_rp_buf *b) {
    const cb_rp_run *c = &r->runs[0];
    if (r->n_runs > 1)
        cb_rp_puts(b, "Figures below are those of the first run file; the others' are in the "
                      "environment table.\n\n");
    method_measure(r, c, b);
    method_stats(r, c, b);
    intervals(r, c, b);
    validation(r, b);
    cb_rp_md_docs(r, b);
}
