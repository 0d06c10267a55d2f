/* SPDX-License-Identifier: MIT */
/* test_multi.c - several devices on a machine without GPUs (docs/devices.md): the workers run the
 * CPU probe plugin with --cpu-per-device, so spawning, merging, a dead worker, per-device
 * baselines and the per-GPU report section are all exercised; `cbench merge` on fixed runs. */
#include "cb_e2e.h"

#include <sys/stat.h>

/* Short enough for CI on two shared cores. */
#define TINY                                                                                       \
    "--warm-up-time", "0.05", "--measurement-time", "0.2", "--sample-size", "20", "--nresamples",  \
        "2000"

/* Every run names it with the filter ^device_probe/: the build's own suites load too. */
static char *probe(void) { return path_in(B, "tests/plugins/device_probe.so"); }

static json_t *bench_on(json_t *run, const char *id, int device) {
    size_t i;
    json_t *b;
    json_array_foreach(json_object_get(run, "benchmarks"), i,
                       b) if (strcmp(json_string_value(json_object_get(b, "id")), id) == 0 &&
                              json_integer_value(json_object_get(b, "device")) == device &&
                              json_object_get(b, "device")) return b;
    fail_msg("%s on device %d is not in the run file", id, device);
    return NULL;
}

static void setenv_all(const char *die, const char *slow_dev, const char *slow) {
    const char *names[] = {"CB_TEST_DIE_DEVICE", "CB_TEST_SLOW_DEVICE", "CB_TEST_SLOW"};
    const char *vals[] = {die, slow_dev, slow};
    for (int i = 0; i < 3; i++) vals[i] ? setenv(names[i], vals[i], 1) : unsetenv(names[i]);
}

/* Two workers, one merged file: one run id, each benchmark once per device, nothing left. */
static void two_workers_merge_into_one_run_with_the_device_on_every_benchmark(void **st) {
    char *outd = path_in(tmpdir, "two");
    setenv_all(NULL, NULL, NULL);
    char *argv[] = {path_in(B, "cbench"),
                    "--plugin",
                    probe(),
                    "^device_probe/",
                    "--device",
                    "0,1",
                    "--cpu-per-device",
                    TINY,
                    "--output-dir",
                    outd,
                    NULL};
    char err[8192];
    int rc = run_cmd(argv, err, sizeof err);
    if (rc != 0) fail_msg("exit %d, want 0; stderr: %s", rc, err);
    json_t *run = load_json(path_in(outd, "latest.json"));
    const char *id = json_string_value(json_object_get(run, "run_id"));
    char rel[200];
    snprintf(rel, sizeof rel, "runs/%s.json", id);
    json_t *same = load_json(path_in(outd, rel));
    assert_true(json_equal(run, same));
    CB_ASSERT_INT(json_array_size(json_object_get(run, "benchmarks")), 4);
    for (int d = 0; d < 2; d++) {
        assert_true(est(bench_on(run, "device_probe/spin/ns=20000", d), "mean", "point") > 0);
        assert_true(est(bench_on(run, "device_probe/spin/ns=50000", d), "mean", "point") > 0);
    }
    json_t *w = json_object_get(run, "workers");
    CB_ASSERT_INT(json_array_size(w), 2);
    CB_ASSERT_INT(json_integer_value(json_object_get(json_array_get(w, 1), "exit_code")), 0);
    assert_null(json_object_get(run, "hosts")); /* one host: a plain run file */
    struct stat s;
    assert_true(stat(path_in(outd, "workers"), &s) != 0); /* the workers' dirs are gone */
    assert_non_null(
        strstr(read_text(path_in(tmpdir, "stdout")), "[device 1] device_probe/spin/ns=20000"));
    json_decref(same);
    json_decref(run);
}

/* A worker that dies (--no-fork: the bench kills its own process) fails only its benchmarks,
 * with the reason; the other device's results are kept; exit 1. */
static void a_dead_worker_fails_only_its_benchmarks_with_the_reason(void **st) {
    char *outd = path_in(tmpdir, "dead");
    setenv_all("1", NULL, NULL);
    char *argv[] = {path_in(B, "cbench"), "--plugin",  probe(), "^device_probe/", "--device", "0,1",
                    "--cpu-per-device",   "--no-fork", TINY,    "--output-dir",   outd,       NULL};
    char err[8192];
    int rc = run_cmd(argv, err, sizeof err);
    setenv_all(NULL, NULL, NULL);
    if (rc != 1) fail_msg("exit %d, want 1; stderr: %s", rc, err);
    json_t *run = load_json(path_in(outd, "latest.json"));
    for (int k = 0; k < 2; k++) {
        const char *id = k ? "device_probe/spin/ns=50000" : "device_probe/spin/ns=20000";
        json_t *ok = bench_on(run, id, 0), *dead = bench_on(run, id, 1),
               *e = json_object_get(dead, "error");
        assert_null(json_object_get(ok, "error"));
        assert_true(est(ok, "mean", "point") > 0);
        CB_ASSERT_STR(json_string_value(json_object_get(e, "kind")), "signal");
        const char *m = json_string_value(json_object_get(e, "message"));
        if (!strstr(m, "device 1") || !strstr(m, "signal 9")) fail_msg("message: %s", m);
    }
    json_t *w1 = json_array_get(json_object_get(run, "workers"), 1);
    CB_ASSERT_INT(json_integer_value(json_object_get(w1, "signal")), 9);
    json_decref(run);
}

/* Without --cpu-per-device, CPU benches run once, in a worker of their own, untagged. */
static void cpu_benches_run_once_without_a_device(void **st) {
    char *outd = path_in(tmpdir, "once");
    char *argv[] = {
        path_in(B, "cbench"), "--plugin", probe(), "^device_probe/", "--device", "0,1", TINY,
        "--output-dir",       outd,       NULL};
    CB_ASSERT_INT(run_cmd(argv, NULL, 0), 0);
    json_t *run = load_json(path_in(outd, "latest.json"));
    size_t i;
    json_t *b;
    CB_ASSERT_INT(json_array_size(json_object_get(run, "benchmarks")), 2);
    json_array_foreach(json_object_get(run, "benchmarks"), i, b)
        assert_null(json_object_get(b, "device"));
    json_t *w = json_object_get(run, "workers");
    CB_ASSERT_INT(json_array_size(w), 1);
    assert_true(json_is_null(json_object_get(json_array_get(w, 0), "device")));
    CB_ASSERT_STR(json_string_value(json_object_get(json_array_get(w, 0), "timer")), "cpu");
    json_decref(run);
}

/* The fleet check end to end: device 1 is 9x slower (far beyond the noise of a loaded CI
 * machine, where a spin's mean can double); the report flags it and only it. A second run
 * compares each device with its own previous results, not with device 0's (which would read
 * 9x or 1/9). */
static void a_slow_device_is_flagged_and_compared_with_its_own_past(void **st) {
    char *outd = path_in(tmpdir, "slow"), *rep = path_in(tmpdir, "slow-report");
    char *argv[] = {path_in(B, "cbench"),
                    "--plugin",
                    probe(),
                    "^device_probe/",
                    "--device",
                    "0,1",
                    "--cpu-per-device",
                    TINY,
                    "--output-dir",
                    outd,
                    NULL};
    char err[8192];
    int rc = 0;
    for (int t = 0;; t++) { /* its ratios and verdicts are times of a spin (fixed data: below) */
        quiet_begin(t);
        char *prev = path_in(outd, "previous.json");
        unlink(prev); /* each try compares its own two runs */
        setenv_all(NULL, "1", "8");
        CB_ASSERT_INT(run_cmd(argv, err, sizeof err), 0);
        rc = run_cmd(argv, err, sizeof err); /* again: compared with previous.json */
        setenv_all(NULL, NULL, NULL);
        if (quiet_end()) break;
    }
    if (rc != 0) fail_msg("second run: exit %d; stderr: %s", rc, err);
    json_t *run = load_json(path_in(outd, "latest.json"));
    for (int d = 0; d < 2; d++) {
        /* the median: a stall on this shared machine can triple a mean */
        json_t *m = json_object_get(
            json_object_get(bench_on(run, "device_probe/spin/ns=50000", d), "change"),
            "median_ratio");
        double ratio = json_number_value(json_object_get(m, "point"));
        if (!(ratio > 1 / 3.0 && ratio < 3))
            fail_msg("device %d: change ratio %g, want about 1", d, ratio);
    }
    json_decref(run);
    char *rargv[] = {path_in(B, "cbench"),
                     "report",
                     path_in(outd, "latest.json"),
                     "--no-plots",
                     "-o",
                     rep,
                     NULL};
    CB_ASSERT_INT(run_cmd(rargv, NULL, 0), 0);
    const char *md = read_text(path_in(rep, "REPORT.md"));
    assert_non_null(strstr(md, "## Per-GPU comparison"));
    /* device 0 is the reference, never slower; device 1 is flagged (a CI that a stall on this
     * shared machine widens past the noise threshold may spare one benchmark: the verdicts
     * themselves are checked on fixed data below) */
    const char *row1 = "| device 1 | — | 2 | ", *d1 = strstr(md, row1);
    if (!strstr(md, "| device 0 | — | 2 | 0 | 0 | 0 | ok |") || !d1 || d1[strlen(row1)] == '0')
        fail_msg("per-device verdicts wrong:\n%s", strstr(md, "## Per-GPU comparison"));
}

/* --format json prints the merged run; csv gets a device column and one header. */
static void machine_formats_carry_the_device(void **st) {
    char *outd = path_in(tmpdir, "fmt");
    char *argv[] = {path_in(B, "cbench"),
                    "--plugin",
                    probe(),
                    "^device_probe/",
                    "--device",
                    "0,1",
                    "--cpu-per-device",
                    TINY,
                    "--output-dir",
                    outd,
                    "--format",
                    "json",
                    NULL};
    CB_ASSERT_INT(run_cmd(argv, NULL, 0), 0);
    json_t *printed = load_json(path_in(tmpdir, "stdout")),
           *run = load_json(path_in(outd, "latest.json"));
    assert_true(json_equal(printed, run));
    json_decref(printed);
    json_decref(run);
    argv[sizeof argv / sizeof *argv - 2] = "csv";
    CB_ASSERT_INT(run_cmd(argv, NULL, 0), 0);
    const char *csv = read_text(path_in(tmpdir, "stdout"));
    assert_true(strncmp(csv, "device,id,samples,", 18) == 0);
    assert_null(strstr(csv + 1, "device,id"));
    assert_non_null(strstr(csv, "\n0,\"device_probe/spin/ns=20000\","));
    assert_non_null(strstr(csv, "\n1,\"device_probe/spin/ns=50000\","));
}

/* --device takes N, a list of distinct devices, or all; all without CUDA skips CUDA only. */
static void device_lists_and_all(void **st) {
    const char *bad[] = {"0,0", "1,x", "-1", "64", "0,", ",1", "all,1"};
    char err[4096];
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *argv[] = {path_in(B, "cbench"), "--plugin",     probe(), "^device_probe/",
                        "--device",           (char *)bad[i], NULL};
        int brc = run_cmd(argv, err, sizeof err);
        if (brc != 2 || !strstr(err, "--device"))
            fail_msg("--device %s: exit %d; %s", bad[i], brc, err);
    }
    char *outd = path_in(tmpdir, "all");
    char *argv[] = {path_in(B, "cbench"),
                    "--plugin",
                    probe(),
                    "^device_probe/spin/ns=20000$",
                    "--device",
                    "all",
                    TINY,
                    "--output-dir",
                    outd,
                    NULL};
    CB_ASSERT_INT(run_cmd(argv, err, sizeof err), 0);
    json_t *run = load_json(path_in(outd, "latest.json"));
    CB_ASSERT_INT(json_array_size(json_object_get(run, "benchmarks")), 1);
    json_decref(run);
    char *cuda[] = {
        path_in(B, "cbench"), "--plugin", probe(), "^device_probe/", "--timer", "cuda", NULL};
    int rc = run_cmd(cuda, err, sizeof err); /* --timer cuda leaves nothing of a CPU plugin */
    if (rc != 2 || !strstr(err, "no benchmark matches"))
        fail_msg("--timer cuda: exit %d; %s", rc, err);
}

/* ---- cbench merge on the fixed runs of tests/data (make_devices.py) ---- */

static json_t *merge(const char *a, const char *b, int want) {
    char *out = path_in(tmpdir, "merged.json"), err[4096];
    char *argv[] = {path_in(B, "cbench"), "merge", (char *)a, (char *)b, "-o", out, NULL};
    int rc = run_cmd(argv, err, sizeof err);
    if (rc != want) fail_msg("merge %s %s: exit %d, want %d; %s", a, b, rc, want, err);
    return want ? NULL : load_json(out);
}

/* Two hosts: "hosts" lists both, the second host's benchmarks and GPU point at it. */
static void merge_of_two_hosts_keeps_each_benchmarks_host(void **st) {
    json_t *m = merge("tests/data/report_devices.json", "tests/data/report_node.json", 0);
    json_t *hosts = json_object_get(m, "hosts");
    CB_ASSERT_INT(json_array_size(hosts), 2);
    CB_ASSERT_STR(json_string_value(json_object_get(json_array_get(hosts, 1), "hostname")),
                  "bench-02");
    CB_ASSERT_INT(json_array_size(json_object_get(m, "benchmarks")), 25 + 6);
    CB_ASSERT_INT(json_array_size(json_object_get(m, "gpus")), 5);
    json_t *g = json_array_get(json_object_get(m, "gpus"), 4);
    CB_ASSERT_INT(json_integer_value(json_object_get(g, "host")), 1);
    CB_ASSERT_INT(json_integer_value(json_object_get(g, "device")), 0);
    json_t *last = json_array_get(json_object_get(m, "benchmarks"), 30);
    CB_ASSERT_INT(json_integer_value(json_object_get(last, "host")), 1);
    CB_ASSERT_STR(json_string_value(json_object_get(m, "started_at")), "2026-11-26T14:00:00Z");
    CB_ASSERT_INT(json_array_size(json_object_get(m, "merged_from")), 2);
    assert_true(strcmp(json_string_value(json_object_get(m, "run_id")),
                       "20261126T140000Z-7000-000000001") != 0);
    json_decref(m);
    char *rep = path_in(tmpdir, "hosts-report");
    char *argv[] = {path_in(B, "cbench"),
                    "report",
                    path_in(tmpdir, "merged.json"),
                    "--no-plots",
                    "-o",
                    rep,
                    NULL};
    CB_ASSERT_INT(run_cmd(argv, NULL, 0), 0);
    const char *md = read_text(path_in(rep, "REPORT.md"));
    assert_non_null(strstr(md, "| bench-02 device 0 | NVIDIA H100 80GB HBM3 | 6 |"));
    assert_non_null(strstr(md, "| bench-01 device 2 | NVIDIA H100 80GB HBM3 | 6 | 6 |"));
    /* a merge of a merge: hosts mapped again, the node's benchmarks not doubled, no stale facts */
    char *again = path_in(tmpdir, "merged2.json");
    char *re[] = {path_in(B, "cbench"),
                  "merge",
                  path_in(tmpdir, "merged.json"),
                  "tests/data/report_node.json",
                  "-o",
                  again,
                  NULL};
    CB_ASSERT_INT(run_cmd(re, NULL, 0), 0);
    m = load_json(again);
    CB_ASSERT_INT(json_array_size(json_object_get(m, "hosts")), 2);
    CB_ASSERT_INT(json_array_size(json_object_get(m, "benchmarks")), 25 + 6);
    CB_ASSERT_INT(json_array_size(json_object_get(m, "merged_from")), 2);
    json_decref(m);
}

/* One host: no host indices; the same file twice keeps each benchmark once. */
static void merge_of_one_host_reads_as_a_plain_run(void **st) {
    json_t *m = merge("tests/data/report_cpu.json", "tests/data/report_gpu.json", 0);
    assert_null(json_object_get(m, "hosts"));
    size_t i;
    json_t *b;
    json_array_foreach(json_object_get(m, "benchmarks"), i, b)
        assert_null(json_object_get(b, "host"));
    CB_ASSERT_INT(json_integer_value(
                      json_object_get(json_array_get(json_object_get(m, "gpus"), 0), "device")),
                  0);
    json_decref(m);
    m = merge("tests/data/report_gpu.json", "tests/data/report_gpu.json", 0);
    json_t *g = load_json("tests/data/report_gpu.json");
    CB_ASSERT_INT(json_array_size(json_object_get(m, "benchmarks")),
                  json_array_size(json_object_get(g, "benchmarks")));
    json_decref(g);
    json_decref(m);
}

/* A bad input file is exit 2 naming it; nothing is written. */
static void merge_refuses_bad_files(void **st) {
    char *bad = path_in(tmpdir, "bad.json"), err[4096];
    FILE *f = fopen(bad, "w");
    fputs("{\"schema\": \"cbench-run/1\", \"benchmarks\": [{\"id\": \"x\", \"device\": \"one\"}]}",
          f);
    fclose(f);
    unlink(path_in(tmpdir, "merged.json"));
    merge("tests/data/report_cpu.json", "/nonexistent/run.json", 2);
    merge("tests/data/report_cpu.json", bad, 2);
    char *none[] = {path_in(B, "cbench"), "merge", NULL};
    CB_ASSERT_INT(run_cmd(none, err, sizeof err), 2);
    struct stat s;
    assert_true(stat(path_in(tmpdir, "merged.json"), &s) != 0);
}

/* cbench compare pairs each device with the same device: a run against itself is 1.0 on
 * every benchmark (against device 0, device 2 would read 1.08). */
static void compare_pairs_devices(void **st) {
    char *argv[] = {path_in(B, "cbench"),
                    "compare",
                    "tests/data/report_devices.json",
                    "tests/data/report_devices.json",
                    "--format",
                    "json",
                    "--nresamples",
                    "200",
                    NULL};
    CB_ASSERT_INT(run_cmd(argv, NULL, 0), 0);
    json_t *out = load_json(path_in(tmpdir, "stdout")), *b;
    size_t i;
    CB_ASSERT_INT(json_array_size(json_object_get(out, "benchmarks")), 24); /* 25, one failed */
    json_array_foreach(json_object_get(out, "benchmarks"), i, b)
        CB_ASSERT_NEAR(json_number_value(json_object_get(
                           json_object_get(json_object_get(b, "change"), "mean_ratio"), "point")),
                       1, 1e-12);
    json_decref(out);
}

/* The fixed 4-GPU run: device 2 (8% slower) is flagged on every benchmark, device 1 (0.3%)
 * never, device 3's failed benchmark is counted; single-device reports have no section. */
static void per_gpu_section_flags_the_slow_device_only(void **st) {
    char *rep = path_in(tmpdir, "dev-report");
    char *argv[] = {path_in(B, "cbench"),
                    "report",
                    "tests/data/report_devices.json",
                    "--no-plots",
                    "-o",
                    rep,
                    NULL};
    CB_ASSERT_INT(run_cmd(argv, NULL, 0), 0);
    const char *md = read_text(path_in(rep, "REPORT.md"));
    const char *rows[] = {
        "| device 0 | NVIDIA H100 80GB HBM3 | 6 | 0 | 0 | 0 | ok |",
        "| device 1 | NVIDIA H100 80GB HBM3 | 6 | 0 | 0 | 0 | ok |",
        "| device 2 | NVIDIA H100 80GB HBM3 | 6 | 6 | 0 | 0 | **slower on 6 of 6** |",
        "| device 3 | NVIDIA H100 80GB HBM3 | 6 | 0 | 0 | 1 | **1 of 6 failed** |"};
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        if (!strstr(md, rows[i]))
            fail_msg("no row \"%s\" in:\n%s", rows[i], strstr(md, "## Per-GPU"));
    int flagged = 0;
    for (const char *p = md; (p = strstr(p, "| **slower** |")); p++) flagged++;
    CB_ASSERT_INT(flagged, 6);
    assert_non_null(strstr(md, "matmul\\_fp32/simt/n=256 (device 2)")); /* every table says where */
    char *single[] = {path_in(B, "cbench"),
                      "report",
                      "tests/data/report_gpu.json",
                      "--no-plots",
                      "-o",
                      rep,
                      NULL};
    CB_ASSERT_INT(run_cmd(single, NULL, 0), 0);
    assert_null(strstr(read_text(path_in(rep, "REPORT.md")), "Per-GPU"));
}

int main(void) {
    if (e2e_init() != 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_workers_merge_into_one_run_with_the_device_on_every_benchmark),
        cmocka_unit_test(a_dead_worker_fails_only_its_benchmarks_with_the_reason),
        cmocka_unit_test(cpu_benches_run_once_without_a_device),
        cmocka_unit_test(a_slow_device_is_flagged_and_compared_with_its_own_past),
        cmocka_unit_test(machine_formats_carry_the_device),
        cmocka_unit_test(device_lists_and_all),
        cmocka_unit_test(merge_of_two_hosts_keeps_each_benchmarks_host),
        cmocka_unit_test(merge_of_one_host_reads_as_a_plain_run),
        cmocka_unit_test(merge_refuses_bad_files),
        cmocka_unit_test(compare_pairs_devices),
        cmocka_unit_test(per_gpu_section_flags_the_slow_device_only),
    };
    int rc = cmocka_run_group_tests_name("multi", tests, NULL, NULL);
    e2e_done();
    return rc;
}
