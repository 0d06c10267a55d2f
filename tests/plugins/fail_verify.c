/* SPDX-License-Identifier: MIT */
/* fail_verify.c - a suite whose verification fails and one that passes: exit code 1 expected. */
#include <cbench.h>

static int run(cb_state *s, uint64_t iters) {
    for (uint64_t i = 0; i < iters; i++) cb_black_box(&i);
    return 0;
}
static int verify_bad(cb_state *s) {
    const float got[3] = {1, 2, 4};
    const double ref[3] = {1, 2, 3};
    return cb_check_f32(s, got, ref, 3, 1e-6);
}
static int verify_good(cb_state *s) {
    const float got[3] = {1, 2, 3};
    const double ref[3] = {1, 2, 3};
    return cb_check_f32(s, got, ref, 3, 1e-6);
}
static const cb_bench benches[] = {
    {.name = "wrong", .run = run, .verify = verify_bad},
    {.name = "right", .run = run, .verify = verify_good},
};
CB_SUITE(fail_verify, "one bench that fails verification, one that passes", benches);
