/* SPDX-License-Identifier: MIT */
/* timer_cpu.c - CLOCK_MONOTONIC reads and their calibration (resolution, cost of a read). */
#include "cb_measure.h"

#include <time.h>

int64_t cb_timer_now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

void cb_timer_calibrate(cb_timer_info *t) {
    struct timespec r;
    double res = clock_getres(CLOCK_MONOTONIC, &r) == 0 ? (double)r.tv_sec * 1e9 + r.tv_nsec : 1;
    /* The declared resolution can be finer than what reads show: take the smallest step seen. */
    int64_t min_step = INT64_MAX;
    for (int i = 0; i < 1000; i++) {
        int64_t a = cb_timer_now_ns(), b;
        while ((b = cb_timer_now_ns()) == a) {}
        if (b - a < min_step) min_step = b - a;
    }
    t->resolution_ns = (double)min_step > res ? (double)min_step : res;
    /* Read cost: best of several batches, so a preemption does not inflate it. */
    double best = 1e30;
    for (int rep = 0; rep < 20; rep++) {
        enum { N = 2000 };
        int64_t t0 = cb_timer_now_ns();
        for (int i = 0; i < N; i++) (void)cb_timer_now_ns();
        double per = (double)(cb_timer_now_ns() - t0) / N;
        if (per < best) best = per;
    }
    t->read_cost_ns = best;
}
