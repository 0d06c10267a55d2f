/* SPDX-License-Identifier: MIT */
/* sleep_two.c - two benches that sleep 20 ms per iteration, scaled by $CB_TEST_SCALE_A and
 * $CB_TEST_SCALE_B: a known change with little noise on a loaded machine (a sleeper wakes
 * early in the queue; a spinning loop would share the CPU) for tests/history_test.sh. */
#include <cbench.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>

static int take(const char *var, uint64_t iters) {
    const char *scale = getenv(var);
    long ns = (long)(2e7 * (scale ? atof(scale) : 1.0));
    prctl(PR_SET_TIMERSLACK, 1UL); /* wake on time, not up to 50 us late */
    for (uint64_t i = 0; i < iters; i++) {
        struct timespec t = {ns / 1000000000L, ns % 1000000000L};
        while (nanosleep(&t, &t) != 0) {}
    }
    return 0;
}

static int run_a(cb_state *s, uint64_t iters) { return take("CB_TEST_SCALE_A", iters); }
static int run_b(cb_state *s, uint64_t iters) { return take("CB_TEST_SCALE_B", iters); }

static const cb_bench benches[] = {{.name = "a", .run = run_a}, {.name = "b", .run = run_b}};
CB_SUITE(sleep_two, "20 ms sleeps scaled by $CB_TEST_SCALE_A and $CB_TEST_SCALE_B", benches);
