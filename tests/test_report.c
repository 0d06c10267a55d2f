/* SPDX-License-Identifier: MIT */
/* test_report.c - unit tests of the report: escaping, number formats, the KDE, selection. */
#include "cb_test.h"
#include "report_write.h"

#include <stdlib.h>
#include <unistd.h>

static char *fmt(void (*fn)(cb_rp_buf *, const char *), const char *in) {
    cb_rp_buf b = {0};
    fn(&b, in);
    return b.s;
}

static void gp40(cb_rp_buf *b, const char *s) { cb_rp_gp_str(b, s, 40); }

static void markdown_escapes_every_inline_special_character(void **state) {
    char *got = fmt(cb_rp_md, "a|b`c*d_e\n<x>[y](z) $m$ @u \\ ~s~ &amp; !#");
    CB_ASSERT_STR(got,
                  "a\\|b\\`c\\*d\\_e \\<x\\>\\[y\\](z) \\$m\\$ \\@u \\\\ \\~s\\~ \\&amp; \\!\\#");
    free(got);
}

static void gnuplot_strings_are_single_quoted_without_quotes_or_newlines(void **state) {
    char *got = fmt(gp40, "it's `x` @y\nsystem(\"z\")");
    CB_ASSERT_STR(got, "'it’s `x` @y system(\"z\")'");
    free(got);
    got = fmt(gp40, "'''; !touch x; '");
    CB_ASSERT_STR(got, "'’’’; !touch x; ’'");
    free(got);
}

static void gnuplot_strings_are_cut_at_whole_characters(void **state) {
    cb_rp_buf b = {0};
    cb_rp_gp_str(&b, "µµµµµ", 3);
    CB_ASSERT_STR(b.s, "'µµµ…'");
    cb_rp_buf_free(&b);
}

static void c_literals_escape_everything_but_plain_characters(void **state) {
    char *got = fmt(cb_rp_c_str, "a\"b`\n*/1");
    CB_ASSERT_STR(got, "\"a\\042b\\140\\012\\052\\0571\"");
    free(got);
}

static void slugs_are_file_name_safe_and_distinct(void **state) {
    char *a = cb_rp_slug("", "../evil/`x`"), *b = cb_rp_slug("", "../evil/_x_");
    for (const char *p = a; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-", *p))
            fail_msg("slug %s has '%c'", a, *p);
    if (strstr(a, "..") || a[0] == '.') fail_msg("slug %s could leave the directory", a);
    if (strcmp(a, b) == 0) fail_msg("slugs of different names collide: %s", a);
    free(a);
    free(b);
}

static void times_take_a_unit_and_four_digits(void **state) {
    static const struct {
        cb_rp_ci c;
        const char *want;
    } cases[] = {
        {{83.3943296, 82.997569, 83.8389089, 1}, "83.39 ns [83.00, 83.84]"},
        {{1460.59624, 1453.70727, 1466.68594, 1}, "1.461 µs [1.454, 1.467]"},
        {{999.97, 999.9, 1000.1, 1}, "1.000 µs [1.000, 1.000]"},
        {{36622473.5, NAN, NAN, 1}, "36.62 ms"},
        {{2.5e9, 2.4e9, 2.6e9, 1}, "2.500 s [2.400, 2.600]"},
        {{1, 0, 2, 0}, "—"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cb_rp_buf b = {0};
        cb_rp_time_ci(&b, &cases[i].c);
        CB_ASSERT_STR(b.s, cases[i].want);
        cb_rp_buf_free(&b);
    }
}

static void rates_ratios_and_changes_read_naturally(void **state) {
    cb_rp_buf b = {0};
    cb_rp_rate_ci(&b, &(cb_rp_ci){4.751e10, 4.722e10, 4.773e10, 1}, CB_RP_FLOPS);
    cb_rp_puts(&b, " | ");
    cb_rp_rate(&b, 9.0e9, CB_RP_BYTES);
    cb_rp_puts(&b, " | ");
    cb_rp_ratio_ci(&b, &(cb_rp_ci){17.5, 17.4, 17.6, 1});
    cb_rp_puts(&b, " | ");
    cb_rp_change_ci(&b, &(cb_rp_ci){1.043, 1.031, 1.056, 1});
    cb_rp_puts(&b, " | ");
    cb_rp_pct_ci(&b, &(cb_rp_ci){1.0, 0.994, 1.004, 1});
    CB_ASSERT_STR(b.s, "47.51 GFLOP/s [47.22, 47.73] | 9.000 GB/s | 17.50× [17.40, 17.60] | "
                       "+4.3 % [+3.1, +5.6] | 100.0 % [99.4, 100.4]");
    cb_rp_buf_free(&b);
}

static void kde_is_a_density(void **state) {
    double x[200], ys[401], bw;
    for (int i = 0; i < 200; i++) x[i] = 100 + 10 * sin(i * 1.7) + (i % 7);
    CB_ASSERT_INT(cb_kde(x, 200, 0, 200, 401, ys, &bw), CB_OK);
    double area = 0;
    for (int j = 0; j < 400; j++) area += (ys[j] + ys[j + 1]) / 2 * 0.5; /* trapezoids, step 0.5 */
    CB_ASSERT_NEAR(area, 1.0, 1e-3);
    if (!(bw > 0 && bw < 10)) fail_msg("bandwidth %g outside (0, 10)", bw);
}

/* A group of kernels A and B (B the reference row) at n = 1, 2, 3: A separates at 1, the CIs
 * overlap at 2, B separates at 3. Means only, no samples: ratios have no CI. */
static const char sel_json[] =
    "{\"schema\":\"cbench-run/1\",\"run_id\":\"t\",\"config\":{\"confidence_level\":0.95},"
    "\"benchmarks\":["
    "{\"id\":\"s/A/"
    "n=1\",\"suite\":\"s\",\"timer\":\"cuda\",\"bench\":\"A\",\"group\":\"g-1\",\"params\":{\"n\":"
    "1},"
    " \"estimates\":{\"mean\":{\"point\":10,\"lo\":9,\"hi\":11}},"
    " \"throughput\":{\"flops\":100,\"flops_per_s\":{\"point\":1e10,\"lo\":9e9,\"hi\":1.1e10}}},"
    "{\"id\":\"s/B/"
    "n=1\",\"suite\":\"s\",\"timer\":\"cuda\",\"bench\":\"B\",\"group\":\"g-1\",\"reference\":true,"
    " \"params\":{\"n\":1},\"estimates\":{\"mean\":{\"point\":20,\"lo\":19,\"hi\":21}},"
    " \"throughput\":{\"flops\":100,\"flops_per_s\":{\"point\":5e9,\"lo\":4.7e9,\"hi\":5.3e9}}},"
    "{\"id\":\"s/A/"
    "n=2\",\"suite\":\"s\",\"timer\":\"cuda\",\"bench\":\"A\",\"group\":\"g-1\",\"params\":{\"n\":"
    "2},"
    " \"estimates\":{\"mean\":{\"point\":15,\"lo\":14,\"hi\":16}}},"
    "{\"id\":\"s/B/"
    "n=2\",\"suite\":\"s\",\"timer\":\"cuda\",\"bench\":\"B\",\"group\":\"g-1\",\"reference\":true,"
    " \"params\":{\"n\":2},\"estimates\":{\"mean\":{\"point\":15.5,\"lo\":15,\"hi\":16}}},"
    "{\"id\":\"s/A/"
    "n=3\",\"suite\":\"s\",\"timer\":\"cuda\",\"bench\":\"A\",\"group\":\"g-1\",\"params\":{\"n\":"
    "3},"
    " \"estimates\":{\"mean\":{\"point\":30,\"lo\":29,\"hi\":31}}},"
    "{\"id\":\"s/B/"
    "n=3\",\"suite\":\"s\",\"timer\":\"cuda\",\"bench\":\"B\",\"group\":\"g-1\",\"reference\":true,"
    " \"params\":{\"n\":3},\"estimates\":{\"mean\":{\"point\":20,\"lo\":19,\"hi\":21}}}]}";

static int load_string(cb_report *r, const char *json) {
    char path[] = "/tmp/cb_test_report_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, json, strlen(json)) != (ssize_t)strlen(json)) return -1;
    close(fd);
    char msg[512] = "";
    int rc = cb_rp_load(r, path, msg, sizeof msg);
    unlink(path);
    if (rc) fail_msg("load: %s", msg);
    return rc;
}

/* Loads json and derives what a report does from it: groups, peaks, speedups, selection. */
static void model(cb_report *r, const char *json) {
    CB_ASSERT_INT(load_string(r, json), CB_OK);
    CB_ASSERT_INT(cb_rp_build_groups(r), CB_OK);
    CB_ASSERT_INT(cb_rp_peaks(r), CB_OK);
    CB_ASSERT_INT(cb_rp_speedups(r), CB_OK);
    CB_ASSERT_INT(cb_rp_select(r), CB_OK);
}

static void selection_only_where_the_cis_separate(void **state) {
    cb_report r = {.jobs = 1};
    model(&r, sel_json);
    CB_ASSERT_INT(r.ng, 1);
    const cb_rp_group *g = &r.g[0];
    CB_ASSERT_STR(g->axis, "n");
    CB_ASSERT_STR(g->kernels[g->base], "B");
    CB_ASSERT_INT(g->clear[0], 0); /* A */
    CB_ASSERT_INT(g->clear[1], -1);
    CB_ASSERT_INT(g->clear[2], 1); /* B */
    CB_ASSERT_INT(g->n_ranges, 3);
    CB_ASSERT_INT(g->n_cross, 1);
    CB_ASSERT_INT(g->cross[0].s0, 1);
    CB_ASSERT_INT(g->cross[0].clear, 0);
    CB_ASSERT_NEAR(g->speedup[0 * 3 + 0].point, 2.0, 1e-12); /* A over B at n=1: 20/10 */
    CB_ASSERT_NEAR(r.b[1].pct_peak.point, 0.5, 1e-12);       /* 5e9 of the 1e10 CUDA peak */
    cb_rp_buf c = {0};
    cb_rp_select_c(&c, &r, g);
    if (!strstr(c.s, "const char *cb_select_g_1(int64_t n) {\n"
                     "    if (n <= 1) return \"A\"; /* 1: fastest */\n"
                     "    return \"B\"; /* 2: no clear winner, the base; 3: fastest */\n}\n"))
        fail_msg("generated function:\n%s", c.s);
    cb_rp_buf_free(&c);
    cb_rp_free(&r);
}

/* Benches of one group that do different work (a peak suite: FMA, tensor cores, a copy) are
 * no comparison: no speedup, no selection; same FLOPs, different bytes still compare. */
static const char work_json[] =
    "{\"schema\":\"cbench-run/1\",\"run_id\":\"w\",\"config\":{\"confidence_level\":0.95},"
    "\"benchmarks\":["
    "{\"id\":\"p/fma\",\"suite\":\"p\",\"bench\":\"fma\",\"group\":\"peak\","
    " \"estimates\":{\"mean\":{\"point\":10,\"lo\":9,\"hi\":11}},\"throughput\":{\"flops\":100}},"
    "{\"id\":\"p/mma\",\"suite\":\"p\",\"bench\":\"mma\",\"group\":\"peak\",\"reference\":true,"
    " \"estimates\":{\"mean\":{\"point\":20,\"lo\":19,\"hi\":21}},\"throughput\":{\"flops\":900}},"
    "{\"id\":\"p/copy\",\"suite\":\"p\",\"bench\":\"copy\",\"group\":\"peak\","
    " \"estimates\":{\"mean\":{\"point\":5,\"lo\":4,\"hi\":6}},\"throughput\":{\"bytes\":64}},"
    "{\"id\":\"a/fused\",\"suite\":\"a\",\"bench\":\"fused\",\"group\":\"attn\","
    " \"estimates\":{\"mean\":{\"point\":10,\"lo\":9,\"hi\":11}},"
    " \"throughput\":{\"flops\":100,\"bytes\":10}},"
    "{\"id\":\"a/unfused\",\"suite\":\"a\",\"bench\":\"unfused\",\"group\":\"attn\","
    " \"estimates\":{\"mean\":{\"point\":30,\"lo\":29,\"hi\":31}},"
    " \"throughput\":{\"flops\":100,\"bytes\":90}}]}";

static void different_work_is_no_speedup(void **state) {
    cb_report r = {.jobs = 1};
    model(&r, work_json);
    CB_ASSERT_INT(r.ng, 2);
    const cb_rp_group *peak = strcmp(r.g[0].name, "peak") == 0 ? &r.g[0] : &r.g[1];
    const cb_rp_group *attn = peak == &r.g[0] ? &r.g[1] : &r.g[0];
    CB_ASSERT_INT(cb_rp_compares(&r, peak), 0);
    CB_ASSERT_INT(peak->n_ranges, 0);
    for (int k = 0; k < peak->n_kernels; k++) CB_ASSERT_INT(peak->speedup[k].ok, 0);
    CB_ASSERT_INT(cb_rp_compares(&r, attn), 1);
    CB_ASSERT_STR(attn->kernels[attn->base], "fused"); /* the first kernel, no reference row */
    CB_ASSERT_NEAR(attn->speedup[1 - attn->base].point, 10.0 / 30.0, 1e-12); /* fused 10 / 30 */
    cb_rp_free(&r);
}

/* A member of an interleaved group carries its speedup over the base measured in the same rounds
 * (the run file's "paired" block): the report takes it as it is, instead of a ratio of the means
 * (20 / 10 = 2 here), and only when it is over the bench's own library row. */
static const char paired_json[] =
    "{\"schema\":\"cbench-run/1\",\"run_id\":\"p\",\"config\":{\"confidence_level\":0.95},"
    "\"benchmarks\":["
    "{\"id\":\"s/lib\",\"suite\":\"s\",\"bench\":\"lib\",\"group\":\"g\",\"reference\":true,"
    " \"estimates\":{\"mean\":{\"point\":20,\"lo\":19,\"hi\":21}}},"
    "{\"id\":\"s/own\",\"suite\":\"s\",\"bench\":\"own\",\"group\":\"g\","
    " \"estimates\":{\"mean\":{\"point\":10,\"lo\":9,\"hi\":11}},"
    " \"paired\":{\"base\":\"s/lib\",\"rounds\":40,\"speedup\":{\"point\":1.9,\"lo\":1.85,"
    "\"hi\":1.95},\"p\":0.001}},"
    "{\"id\":\"s/other\",\"suite\":\"s\",\"bench\":\"other\",\"group\":\"g\","
    " \"estimates\":{\"mean\":{\"point\":10,\"lo\":9,\"hi\":11}},"
    " \"paired\":{\"base\":\"s/elsewhere\",\"rounds\":40,\"speedup\":{\"point\":3,\"lo\":2.9,"
    "\"hi\":3.1},\"p\":0.001}}]}";

static void paired_speedups_are_taken_as_measured(void **state) {
    cb_report r = {.jobs = 1};
    model(&r, paired_json);
    const cb_rp_group *g = &r.g[0];
    CB_ASSERT_INT(g->kbase[1], 0); /* own and other against lib, the reference row */
    CB_ASSERT_NEAR(g->speedup[1].point, 1.9, 1e-12);
    CB_ASSERT_NEAR(g->speedup[1].lo, 1.85, 1e-12);
    CB_ASSERT_INT(g->paired[1], 1);
    CB_ASSERT_NEAR(g->speedup[2].point, 2.0, 1e-12); /* paired over another bench: not used */
    CB_ASSERT_INT(g->paired[2], 0);
    cb_rp_free(&r);
}

static void bad_input_exits_2_and_writes_nothing(void **state) {
    char *argv[] = {"/nonexistent/run.json", "-o", "/tmp/cb_test_report_never", "--no-plots"};
    CB_ASSERT_INT(cb_report_cmd(4, argv), CB_EXIT_USAGE);
    if (access("/tmp/cb_test_report_never", F_OK) == 0) fail_msg("output dir was created");
    char *bad[] = {"--jobs", "-1"}; /* 0 is every CPU, as the runner's --jobs 0 */
    CB_ASSERT_INT(cb_report_cmd(2, bad), CB_EXIT_USAGE);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(markdown_escapes_every_inline_special_character),
        cmocka_unit_test(gnuplot_strings_are_single_quoted_without_quotes_or_newlines),
        cmocka_unit_test(gnuplot_strings_are_cut_at_whole_characters),
        cmocka_unit_test(c_literals_escape_everything_but_plain_characters),
        cmocka_unit_test(slugs_are_file_name_safe_and_distinct),
        cmocka_unit_test(times_take_a_unit_and_four_digits),
        cmocka_unit_test(rates_ratios_and_changes_read_naturally),
        cmocka_unit_test(kde_is_a_density),
        cmocka_unit_test(selection_only_where_the_cis_separate),
        cmocka_unit_test(different_work_is_no_speedup),
        cmocka_unit_test(paired_speedups_are_taken_as_measured),
        cmocka_unit_test(bad_input_exits_2_and_writes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
