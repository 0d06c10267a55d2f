/* SPDX-License-Identifier: MIT */
/* test_export.c - the exports of a run model made by hand (docs/exports.md): every value
 * checked against one worked out beforehand (python3's statistics module), failed benchmarks
 * marked or left out, ids that repeat across devices kept apart, hostile ids as valid JSON. */
#include "cb_test.h"

#include "cb_error.h"
#include "cb_export.h"
#include "cb_util.h"

#include <jansson.h>
#include <stdlib.h>

static const char *const HOSTILE = "q\"uote/back\\slash/new\nline/tab\t/\x01/é";

static void samples(cb_result *r, const uint64_t *it, const double *t, size_t n) {
    r->samples.n = n;
    r->samples.iters = malloc(n * sizeof *it);
    r->samples.times_ns = malloc(n * sizeof *t);
    memcpy(r->samples.iters, it, n * sizeof *it);
    memcpy(r->samples.times_ns, t, n * sizeof *t);
}

static cb_result *bench(cb_run *run, const char *id, const char *b, int device) {
    cb_result *r = cb_run_add(run);
    r->id = cb_strdup(id), r->suite = cb_strdup("s"), r->bench = cb_strdup(b);
    r->device = device;
    return r;
}

/* s/a/n=1: per-iteration times 10, 15, 10, 12 ns (mean 11.75, CI [10.5, 13.5] as if the
 * bootstrap had said so), 1000 bytes and 8 items per iteration; s/b failed; s/c on two devices,
 * its interval unknown (NaN); then the hostile id. */
static void make_run(cb_run *run) {
    memset(run, 0, sizeof *run);
    run->run_id = cb_strdup("r1"), run->started_at = cb_strdup("2026-12-03T14:54:58Z");
    run->cbench_version = cb_strdup("9.9.9"), run->host.hostname = cb_strdup("h");
    run->host.cores = 2, run->config.confidence_level = 0.95;
    static const uint64_t it[] = {1, 2, 4, 1};
    static const double t[] = {10, 30, 40, 12};
    cb_result *a = bench(run, "s/a/n=1", "a", -1);
    samples(a, it, t, 4);
    a->analyzed = 1, a->bytes = 1000, a->items = 8;
    a->an.est.mean = (cb_estimate){11.75, 10.5, 13.5, NAN, CB_CI_BCA};
    cb_result *b = bench(run, "s/b/n=1", "b", -1);
    b->fail = CB_FAIL_SIGNAL, b->fail_message = cb_strdup("killed by SIGSEGV");
    for (int d = 0; d < 2; d++) {
        cb_result *c = bench(run, "s/c", "c", d);
        samples(c, it, t, 2);
        c->analyzed = 1, c->an.est.mean = (cb_estimate){20 + d, NAN, NAN, NAN, 0};
    }
    cb_result *h = bench(run, HOSTILE, "h", -1);
    samples(h, it, t, 1);
    h->analyzed = 1, h->an.est.mean = (cb_estimate){10, 9, 11, NAN, 0};
}

/* The export of run in format name, parsed back (it must be JSON); notes into *notes. */
static json_t *exported(const cb_run *run, const char *name, int per_sample, char **notes) {
    size_t len = 0, nlen = 0;
    FILE *nf = open_memstream(notes, &nlen);
    cb_export_opts o = {.per_sample = per_sample, .notes = nf};
    int k = cb_export_find(name);
    assert_true(k >= 0);
    char *text = cb_export_text(run, k, &o, &len);
    fclose(nf);
    assert_non_null(text);
    assert_int_equal(text[len - 1], '\n');
    json_error_t je;
    json_t *doc = json_loadb(text, len, 0, &je);
    if (!doc) fail_msg("%s is not JSON: %s (line %d)", name, je.text, je.line);
    free(text);
    return doc;
}

static double num(json_t *o, const char *key) {
    json_t *v = json_object_get(o, key);
    if (!json_is_number(v)) fail_msg("no number %s", key);
    return json_number_value(v);
}

static const char *str(json_t *o, const char *key) {
    return json_string_value(json_object_get(o, key));
}

static json_t *row(json_t *doc, const char *name) {
    size_t i;
    json_t *b;
    json_array_foreach(json_object_get(doc, "benchmarks"), i,
                       b) if (strcmp(str(b, "name"), name) == 0) return b;
    fail_msg("no row %s", name);
    return NULL;
}

static void gbench_summary_carries_the_mean_its_interval_and_the_rates(void **st) {
    cb_run run;
    char *notes = NULL;
    make_run(&run);
    json_t *doc = exported(&run, "gbench", 0, &notes), *ctx = json_object_get(doc, "context");
    CB_ASSERT_STR(str(ctx, "date"), "2026-12-03T14:54:58Z");
    CB_ASSERT_STR(str(ctx, "library_version"), "cbench 9.9.9");
    CB_ASSERT_INT(num(ctx, "num_cpus"), 2);
    CB_ASSERT_INT(num(ctx, "json_schema_version"), 1);
    assert_true(json_is_array(json_object_get(ctx, "caches"))); /* Bencher's adapter needs it */
    json_t *a = row(doc, "s/a/n=1");
    CB_ASSERT_STR(str(a, "run_type"), "iteration");
    CB_ASSERT_STR(str(a, "time_unit"), "ns");
    CB_ASSERT_INT(num(a, "iterations"), 8);
    CB_ASSERT_INT(num(a, "samples"), 4);
    CB_ASSERT_NEAR(num(a, "real_time"), 11.75, 0);
    CB_ASSERT_NEAR(num(a, "cpu_time"), 11.75, 0);
    CB_ASSERT_NEAR(num(a, "real_time_ci_lower"), 10.5, 0);
    CB_ASSERT_NEAR(num(a, "real_time_ci_upper"), 13.5, 0);
    CB_ASSERT_REL(num(a, "bytes_per_second"), 85106382978.7234, 1e-15);
    CB_ASSERT_REL(num(a, "bytes_per_second_ci_lower"), 74074074074.07408, 1e-15);
    CB_ASSERT_REL(num(a, "bytes_per_second_ci_upper"), 95238095238.09525, 1e-15);
    CB_ASSERT_REL(num(a, "items_per_second"), 680851063.8297873, 1e-15);
    assert_null(json_object_get(a, "flops_per_second")); /* no FLOP declared */
    json_t *b = row(doc, "s/b/n=1");
    assert_true(json_is_true(json_object_get(b, "error_occurred")));
    CB_ASSERT_STR(str(b, "error_message"), "killed by SIGSEGV");
    CB_ASSERT_NEAR(num(b, "real_time"), 0, 0); /* present: compare.py reads every row's time */
    CB_ASSERT_INT(num(row(doc, "s/c [device 1]"), "family_index"), 2);
    CB_ASSERT_INT(num(row(doc, "s/c [device 1]"), "per_family_instance_index"), 1);
    assert_null(json_object_get(row(doc, "s/c [device 0]"), "real_time_ci_lower"));
    CB_ASSERT_STR(str(row(doc, HOSTILE), "run_name"), HOSTILE);
    json_decref(doc);
    free(notes);
    cb_run_free(&run);
}

/* Values from python3: statistics.mean, median, stdev (n - 1) of 10, 15, 10, 12 and of
 * 1000 / t * 1e9 for each. */
static void gbench_per_sample_has_a_row_per_sample_and_the_aggregates(void **st) {
    cb_run run;
    char *notes = NULL;
    make_run(&run);
    json_t *doc = exported(&run, "gbench", 1, &notes);
    static const double t[] = {10, 15, 10, 12};
    static const int it[] = {1, 2, 4, 1};
    size_t i, rows = 0;
    json_t *b;
    json_array_foreach(json_object_get(doc, "benchmarks"), i, b) {
        if (strcmp(str(b, "name"), "s/a/n=1") != 0) continue;
        CB_ASSERT_INT(num(b, "repetition_index"), rows);
        CB_ASSERT_INT(num(b, "repetitions"), 4);
        CB_ASSERT_INT(num(b, "iterations"), it[rows]);
        CB_ASSERT_NEAR(num(b, "real_time"), t[rows], 1e-12);
        CB_ASSERT_REL(num(b, "bytes_per_second"), 1000 / t[rows] * 1e9, 1e-15);
        rows++;
    }
    CB_ASSERT_INT(rows, 4);
    static const struct {
        const char *name, *unit;
        double time, bytes;
    } agg[] = {{"mean", "time", 11.75, 87500000000.0},
               {"median", "time", 11.0, 91666666666.66666},
               {"stddev", "time", 2.3629078131263044, 15957118462.605633},
               {"cv", "percentage", 0.20109853728734506, 0.18236706814406436}};
    for (size_t k = 0; k < 4; k++) {
        char name[64];
        snprintf(name, sizeof name, "s/a/n=1_%s", agg[k].name);
        json_t *r = row(doc, name);
        CB_ASSERT_STR(str(r, "run_type"), "aggregate");
        CB_ASSERT_STR(str(r, "run_name"), "s/a/n=1");
        CB_ASSERT_STR(str(r, "aggregate_name"), agg[k].name);
        CB_ASSERT_STR(str(r, "aggregate_unit"), agg[k].unit);
        CB_ASSERT_INT(num(r, "iterations"), 4);
        CB_ASSERT_REL(num(r, "real_time"), agg[k].time, 1e-13);
        CB_ASSERT_REL(num(r, "bytes_per_second"), agg[k].bytes, 1e-13);
    }
    /* one sample: its row and no aggregate, as Google Benchmark does for one repetition */
    json_array_foreach(json_object_get(doc, "benchmarks"), i,
                       b) if (strcmp(str(b, "run_name"), HOSTILE) == 0)
        CB_ASSERT_STR(str(b, "run_type"), "iteration");
    json_decref(doc);
    free(notes);
    cb_run_free(&run);
}

static void bmf_has_latency_and_rates_and_leaves_failures_out(void **st) {
    cb_run run;
    char *notes = NULL;
    make_run(&run);
    json_t *doc = exported(&run, "bmf", 0, &notes);
    json_t *a = json_object_get(doc, "s/a/n=1"), *lat = json_object_get(a, "latency");
    CB_ASSERT_NEAR(num(lat, "value"), 11.75, 0);
    CB_ASSERT_NEAR(num(lat, "lower_value"), 10.5, 0);
    CB_ASSERT_NEAR(num(lat, "upper_value"), 13.5, 0);
    json_t *by = json_object_get(a, "bytes-per-second");
    CB_ASSERT_REL(num(by, "value"), 85106382978.7234, 1e-15);
    CB_ASSERT_REL(num(by, "lower_value"), 74074074074.07408, 1e-15);
    CB_ASSERT_REL(num(json_object_get(a, "items-per-second"), "value"), 680851063.8297873, 1e-15);
    assert_null(json_object_get(doc, "s/b/n=1"));
    assert_non_null(strstr(notes, "left out s/b/n=1: failed (signal): killed by SIGSEGV"));
    json_t *c = json_object_get(json_object_get(doc, "s/c [device 0]"), "latency");
    CB_ASSERT_NEAR(num(c, "value"), 20, 0);
    assert_null(json_object_get(c, "lower_value")); /* no interval: none written */
    assert_non_null(json_object_get(doc, HOSTILE));
    json_decref(doc);
    free(notes);
    cb_run_free(&run);
}

static void github_action_lists_times_and_rates_apart(void **st) {
    cb_run run;
    char *notes = NULL;
    make_run(&run);
    json_t *small = exported(&run, "github-action", 0, &notes);
    free(notes);
    json_t *big = exported(&run, "github-action-bigger", 0, &notes);
    CB_ASSERT_INT(json_array_size(small), 4); /* s/a, s/c twice, the hostile id */
    json_t *a = json_array_get(small, 0);
    CB_ASSERT_STR(str(a, "name"), "s/a/n=1");
    CB_ASSERT_STR(str(a, "unit"), "ns/iter");
    CB_ASSERT_NEAR(num(a, "value"), 11.75, 0);
    CB_ASSERT_STR(str(a, "range"), "± 1.75"); /* the larger side: 13.5 - 11.75 */
    CB_ASSERT_STR(str(a, "extra"), "mean of 4 samples; 95% CI [10.5, 13.5] ns (bootstrap, bca)");
    assert_null(json_object_get(json_array_get(small, 1), "range"));
    CB_ASSERT_STR(str(json_array_get(small, 1), "name"), "s/c [device 0]");
    CB_ASSERT_INT(json_array_size(big), 2);
    CB_ASSERT_STR(str(json_array_get(big, 0), "name"), "s/a/n=1 (bytes/s)");
    CB_ASSERT_STR(str(json_array_get(big, 0), "unit"), "B/s");
    CB_ASSERT_STR(str(json_array_get(big, 0), "extra"), /* 1000 B / [13.5, 10.5] ns */
                  "from the mean time of 4 samples; 95% CI [7.40741e+10, 9.52381e+10] B/s "
                  "(bootstrap, bca)");
    CB_ASSERT_STR(str(json_array_get(big, 1), "name"), "s/a/n=1 (items/s)");
    assert_non_null(strstr(notes, "left out s/b/n=1"));
    json_decref(small);
    json_decref(big);
    free(notes);
    cb_run_free(&run);
}

static void formats_are_found_by_name(void **st) {
    for (size_t k = 0; cb_export_format(k, NULL); k++)
        CB_ASSERT_INT(cb_export_find(cb_export_format(k, NULL)), k);
    CB_ASSERT_INT(cb_export_find("json"), -1);
    cb_run run = {0};
    size_t len;
    assert_null(cb_export_text(&run, 99, &(cb_export_opts){0}, &len));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gbench_summary_carries_the_mean_its_interval_and_the_rates),
        cmocka_unit_test(gbench_per_sample_has_a_row_per_sample_and_the_aggregates),
        cmocka_unit_test(bmf_has_latency_and_rates_and_leaves_failures_out),
        cmocka_unit_test(github_action_lists_times_and_rates_apart),
        cmocka_unit_test(formats_are_found_by_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
