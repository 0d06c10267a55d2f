/* SPDX-License-Identifier: MIT */
/* report_validation.h - written by `make validate` (tests/stats/report.c):
 * the method section's summary of docs/statistics.md. */
#define CB_RP_VALIDATION                                                                           \
    "**Validation.** These intervals and verdicts were checked by simulation (`make validate`; "   \
    "tables and power curves in docs/statistics.md, which the report links where it finds it): "   \
    "2000 runs for each of 14 timing-like distributions at 10, 30 and 100 samples. At 100 "        \
    "samples the 95 % interval of the mean covered the true mean in 92.9-94.9 % of runs on "       \
    "normal and log-normal data; with slow outliers (outliers 2%: 82.5 %, outliers 5%: 94.8 %, "   \
    "outliers 10%: 96.0 %) it misses when a sample holds none of them, as 13 % of samples of 100 " \
    "do at 2 %; on AR(1) series, whose autocorrelation was detected in 99.9-100.0 % of runs and "  \
    "corrected for, 92.5-94.3 %. A/A comparisons were called regressed or improved in at most "    \
    "6.5 % of runs at 30 and 100 samples, but in up to 27.1 % at 10 samples (AR(1) phi=0.95: 10 "  \
    "samples cannot show autocorrelation reliably); a true 5 % slowdown was called a regression "  \
    "in 98.8-100.0 % of runs at 100 samples on normal and log-normal data. Under a Pareto tail "   \
    "the mean's interval covered only 79.5-89.5 % at 100 samples while the median's covered "      \
    "95.7-96.1 %."
