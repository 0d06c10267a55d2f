/* SPDX-License-Identifier: MIT */
/* fmt.c - numbers for people: durations, rates and p-values, as the runner and the reports
 * print them. */
#include "cb_util.h"

#include <math.h>
#include <stdio.h>

const char *cb_fmt_time(double ns, char *buf, size_t n) {
    static const struct {
        double scale;
        const char *unit;
    } units[] = {{1e9, "s"}, {1e6, "ms"}, {1e3, "µs"}, {1, "ns"}, {1e-3, "ps"}};
    if (!isfinite(ns)) return snprintf(buf, n, "n/a"), buf;
    size_t i = 0;
    while (i + 1 < sizeof units / sizeof units[0] && fabs(ns) < units[i].scale) i++;
    snprintf(buf, n, "%.4g %s", ns / units[i].scale, units[i].unit);
    return buf;
}

const char *cb_fmt_p(double p, char *buf, size_t n) {
    if (p < 1e-4)
        snprintf(buf, n, "< 0.0001");
    else
        snprintf(buf, n, "%.3g", p);
    return buf;
}

const char *cb_fmt_bytes(double bytes, char *buf, size_t n) {
    static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    if (!isfinite(bytes)) return snprintf(buf, n, "n/a"), buf;
    int u = 0;
    while (u < 4 && fabs(bytes) >= 1024) bytes /= 1024, u++;
    snprintf(buf, n, u ? "%.1f %s" : "%.0f %s", bytes, unit[u]);
    return buf;
}

const char *cb_fmt_rate(double per_s, const char *unit, char *buf, size_t n) {
    static const char *const prefix[] = {"", "K", "M", "G", "T", "P"};
    if (!isfinite(per_s)) return snprintf(buf, n, "n/a"), buf;
    int p = 0;
    while (p < 5 && fabs(per_s) >= 1000) per_s /= 1000, p++;
    snprintf(buf, n, "%.4g %s%s/s", per_s, prefix[p], unit);
    return buf;
}
