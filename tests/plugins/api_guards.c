/* SPDX-License-Identifier: MIT */
/* api_guards.c - benches that misuse the API (an unknown axis in each callback, an empty run)
 * and one whose verify() checks exactly and returns 0. */
#include <cbench.h>

static int spin(cb_state *s, uint64_t iters) {
    for (uint64_t i = 0; i < iters; i++) cb_black_box(&i);
    return 0;
}
/* "size" is not an axis of these benches (theirs is "n"); each callback returns 0 anyway. */
static int setup_wrong_axis(cb_state *s) { return (int)(cb_param(s, "size") * 0); }
static int verify_wrong_axis(cb_state *s) { return (int)(cb_param(s, "size") * 0); }
static int run_wrong_axis(cb_state *s, uint64_t iters) {
    for (uint64_t i = 0; i < iters; i++) {
        int64_t n = cb_param(s, "size");
        cb_black_box(&n);
    }
    return 0;
}
static int verify_exact(cb_state *s) {
    const int64_t got[3] = {1, 2, 3}, want[3] = {1, 2, 3};
    for (int i = 0; i < 3; i++)
        if (got[i] != want[i]) return cb_fail(s, "element %d differs", i);
    return 0;
}
static int verify_checked(cb_state *s) {
    const float got[2] = {1, 2};
    const double ref[2] = {1, 2};
    return cb_check_f32(s, got, ref, 2, 1e-6);
}
static int run_nothing(cb_state *s, uint64_t iters) { return 0; }

static const int64_t n_values[] = {8};
static const cb_axis axes[] = {{.name = "n", .values = n_values, .count = CB_COUNT(n_values)}};
static const cb_bench benches[] = {
    {.name = "setup_axis", .run = spin, .axes = axes, .n_axes = 1, .setup = setup_wrong_axis},
    {.name = "verify_axis", .run = spin, .axes = axes, .n_axes = 1, .verify = verify_wrong_axis},
    {.name = "run_axis", .run = run_wrong_axis, .axes = axes, .n_axes = 1},
    {.name = "exact", .run = spin, .verify = verify_exact},
    {.name = "checked", .run = spin, .verify = verify_checked},
    {.name = "empty", .run = run_nothing},
};
CB_SUITE(api_guards, "misuses of the API, and an exact verify", benches);
