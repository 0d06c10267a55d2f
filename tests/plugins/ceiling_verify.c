/* SPDX-License-Identifier: MIT */
/* ceiling_verify.c - ABI 2 on the CPU: a bench that measures the ceiling "toy" and one held against
 * it doing half the declared work in the same time; verification of every element, again after the
 * last sample; a check whose rel-L2 passes and whose one wrong element fails the max-abs bound. */
#include <cbench.h>

#define N 1000

static int run(cb_state *s, uint64_t iters) {
    for (uint64_t i = 0; i < iters; i++)
        for (volatile int k = 0; k < 200; k++) cb_black_box(&i);
    return 0;
}
static double flops_full(const cb_state *s) { return 2000.0; }
static double flops_half(const cb_state *s) { return 1000.0; }
static double flops_huge(const cb_state *s) { return 2e6; }

/* N outputs equal to their reference but for one: off by 1 against a scale of 100, so the
 * relative L2 error is 1e-3 / √N-ish and the max-abs error 1e-2 of the scale. */
static int check(cb_state *s, int wrong) {
    float got[N];
    double ref[N];
    for (int i = 0; i < N; i++) ref[i] = 100.0 * ((i % 7) - 3) / 3.0, got[i] = (float)ref[i];
    if (wrong) got[N / 2] += 1.0f;
    cb_record_elements_total(s, N);
    return cb_check_f32_scaled(s, got, ref, N, 1e-3, 1e-3);
}
static int verify_ok(cb_state *s) { return check(s, 0); }
static int verify_tile(cb_state *s) { return check(s, 1); }
/* Passes before timing, fails after the last sample: what a race under back-to-back runs looks like. */
static int verify_late(cb_state *s) { return check(s, cb_verify_after(s)); }

static const cb_bench benches[] = {
    /* held against the ceiling before the bench that measures it has run: the run file must
     * still give it the ceiling's rate */
    {.name = "half", .run = run, .verify = verify_ok, .flops = flops_half, .ceiling = "toy"},
    {.name = "peak", .run = run, .verify = verify_ok, .flops = flops_full, .ceiling = "toy", .measures_ceiling = 1},
    /* the best throughput on the CPU, with no ceiling: "half" must not be judged against it */
    {.name = "huge", .run = run, .flops = flops_huge},
    {.name = "one_wrong", .run = run, .verify = verify_tile},
    {.name = "late_race", .run = run, .verify = verify_late},
};
CB_SUITE(ceiling_verify, "ceilings by name; full verification, again after the last sample", benches);
