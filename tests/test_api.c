/* SPDX-License-Identifier: MIT */
/* test_api.c - the helpers of cbench.h a suite calls: CB_COUNT, the integer fill, the guards. */
#include "cb_e2e.h"
#include "cb_internal.h"

static cb_point keys_point = {.id = "t/keys/n=8", .n_params = 1, .param_names = {"n"},
                              .param_values = {8}};

/* Golden values from an independent splitmix64 + FNV-1a written in Python (seed 42). */
static void fill_i64_matches_an_independent_generator(void **st) {
    cb_state s;
    cb_state_init(&s, &keys_point, 42);
    int64_t got[6];
    cb_fill_uniform_i64(&s, got, 6, -1000, 1000);
    const int64_t want[6] = {-714, 263, 386, -511, -329, -591};
    for (int i = 0; i < 6; i++) CB_ASSERT_INT(got[i], want[i]);
    CB_ASSERT_STR(s.error, "");
}

/* A range of 3 * 2^62 drops the draws below 2^64 mod range: the 10th draw is one of them. */
static void fill_i64_rejects_the_biased_draws(void **st) {
    cb_state s;
    cb_state_init(&s, &keys_point, 42);
    int64_t got[10];
    cb_fill_uniform_i64(&s, got, 10, INT64_MIN, INT64_C(1) << 62);
    const int64_t want[10] = {-2998458981750027522LL, -6836270253188758257LL,
                              -7017936179485216134LL, 2650048780091974681LL,
                              -1079229212014051137LL, 536114205464992601LL,
                              -4099770752922279546LL, 2881376396821121007LL,
                              -2865993904453549591LL, 1535712583068973245LL};
    for (int i = 0; i < 10; i++) CB_ASSERT_INT(got[i], want[i]);
}

/* [INT64_MIN, INT64_MAX): the widest range does not overflow. */
static void fill_i64_takes_the_whole_range(void **st) {
    cb_state s;
    cb_state_init(&s, &keys_point, 42);
    int64_t got[3];
    cb_fill_uniform_i64(&s, got, 3, INT64_MIN, INT64_MAX);
    const int64_t want[3] = {-2998458981750027522LL, 6998787802093405455LL, 6817121875796947578LL};
    for (int i = 0; i < 3; i++) CB_ASSERT_INT(got[i], want[i]);
}

/* 70000 draws of [3, 10): every value within 4 sigma of 10000 (binomial sd = 92.6). */
static void fill_i64_small_range_is_uniform(void **st) {
    cb_state s;
    cb_state_init(&s, &keys_point, 7);
    enum { N = 70000 };
    static int64_t x[N];
    cb_fill_uniform_i64(&s, x, N, 3, 10);
    int count[7] = {0};
    for (int i = 0; i < N; i++) {
        if (x[i] < 3 || x[i] >= 10) fail_msg("x[%d] = %lld, outside [3, 10)", i, (long long)x[i]);
        count[x[i] - 3]++;
    }
    for (int v = 0; v < 7; v++) CB_ASSERT_NEAR(count[v], 10000, 4 * 92.6);
}

static void fill_i64_empty_range_fails_the_bench(void **st) {
    cb_state s;
    cb_state_init(&s, &keys_point, 42);
    int64_t got[2] = {1, 1};
    cb_fill_uniform_i64(&s, got, 2, 5, 5);
    if (!strstr(s.error, "empty range [5, 5)")) fail_msg("error \"%s\", want the empty range", s.error);
    CB_ASSERT_INT(got[0], 5);
}

static const int64_t three[] = {1, 2, 3};

/* CB_COUNT counts an array, in a static initializer too; a pointer does not compile. */
static void count_macro_counts_arrays_and_rejects_pointers(void **st) {
    static const cb_axis axis = {.name = "n", .values = three, .count = CB_COUNT(three)};
    CB_ASSERT_INT(axis.count, 3);
    const char *cases[][2] = {
        {"#include <cbench.h>\nstatic const int64_t v[] = {1, 2};\n"
         "static const cb_axis a = {.name = \"n\", .values = v, .count = CB_COUNT(v)};\n"
         "const cb_axis *f(void) { return &a; }\n", "0"},
        {"#include <cbench.h>\nstatic const int64_t v[] = {1, 2};\nstatic const int64_t *p = v;\n"
         "size_t f(void) { return CB_COUNT(p); }\n", "1"},
    };
    for (size_t i = 0; i < 2; i++) {
        char *src = path_in(tmpdir, i ? "ptr.c" : "arr.c"), err[4096];
        FILE *f = fopen(src, "w");
        assert_non_null(f);
        fputs(cases[i][0], f);
        fclose(f);
        char *argv[] = {"/bin/sh", "-c", NULL, NULL};
        char cmd[1024];
        snprintf(cmd, sizeof cmd, "cc -std=c11 -Wall -Wextra -Werror -pedantic -Iinclude -c %s -o %s.o",
                 src, src);
        argv[2] = cmd;
        int rc = run_cmd(argv, err, sizeof err);
        if ((rc != 0) != (cases[i][1][0] == '1'))
            fail_msg("%s: cc exit %d, want %s; stderr: %s", i ? "CB_COUNT(pointer)" : "CB_COUNT(array)",
                     rc, i ? "an error" : "0", err);
        if (i && !strstr(err, "cb_count_needs_an_array_not_a_pointer"))
            fail_msg("CB_COUNT(pointer): the error does not say why: %s", err);
    }
}

int main(void) {
    if (e2e_init() != 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fill_i64_matches_an_independent_generator),
        cmocka_unit_test(fill_i64_rejects_the_biased_draws),
        cmocka_unit_test(fill_i64_takes_the_whole_range),
        cmocka_unit_test(fill_i64_small_range_is_uniform),
        cmocka_unit_test(fill_i64_empty_range_fails_the_bench),
        cmocka_unit_test(count_macro_counts_arrays_and_rejects_pointers),
    };
    int rc = cmocka_run_group_tests_name("api", tests, NULL, NULL);
    e2e_done();
    return rc;
}
