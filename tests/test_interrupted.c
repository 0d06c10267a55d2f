/* SPDX-License-Identifier: MIT */
/* test_interrupted.c - Ctrl-C and the run files: "interrupted": true, latest.json replaced only
 * by a run that completed a benchmark, and the report saying so (docs/robustness.md). */
#include "cb_e2e.h"

#include <signal.h>
#include <time.h>

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static pid_t start_bg(char *const argv[]) {
    char *err = path_in(tmpdir, "bg.err"), *out = path_in(tmpdir, "bg.out");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    /* A Ctrl-C must reach it even when these tests run in a script's background job, which
     * ignores SIGINT (and cbench keeps an ignored signal ignored, as nohup wants). */
    posix_spawnattr_t at;
    sigset_t def;
    sigemptyset(&def);
    sigaddset(&def, SIGINT);
    sigaddset(&def, SIGTERM);
    posix_spawnattr_init(&at);
    posix_spawnattr_setsigdefault(&at, &def);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGDEF);
    pid_t pid;
    if (posix_spawn(&pid, argv[0], &fa, &at, argv, environ) != 0) fail_msg("spawn %s", argv[0]);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    return pid;
}

static int wait_exit(pid_t pid, double limit_s) {
    int status = 0;
    for (double t0 = now_s(); waitpid(pid, &status, WNOHANG) == 0; usleep(10000))
        if (now_s() - t0 > limit_s) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            fail_msg("the run did not end within %.0f s of the signal", limit_s);
        }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* The one file in dir/runs whose name is not `except`; NULL if none. */
static char *other_run(const char *dir, const char *except) {
    DIR *d = opendir(path_in(dir, "runs"));
    struct dirent *e;
    char *found = NULL;
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.' && (!except || strncmp(e->d_name, except, strlen(except)) != 0))
            found = path_in(path_in(dir, "runs"), e->d_name);
    if (d) closedir(d);
    return found;
}

static char *outd;

/* A run of the 1 us spin completes; then a run stopped during its first warm-up (3 s) leaves
 * latest.json byte for byte, and records itself in runs/ with "interrupted": true. */
static void ctrl_c_before_the_first_result_keeps_latest_json(void **st) {
    char *quick[] = {path_in(B, "cbench"),
                     "--plugin",
                     path_in(B, "examples/spin.so"),
                     "^spin/spin/ns=1000$",
                     "--quick",
                     "--nresamples",
                     "1000",
                     "--no-plots",
                     "--output-dir",
                     outd,
                     NULL};
    CB_ASSERT_INT(run_cmd(quick, NULL, 0), 0);
    json_t *first = load_json(path_in(outd, "latest.json"));
    const char *first_id = json_string_value(json_object_get(first, "run_id"));
    char *before = strdup(slurp(path_in(outd, "latest.json")));
    char *prev_before = strdup(slurp(path_in(outd, "previous.json")));
    char *slow[] = {path_in(B, "cbench"),
                    "--plugin",
                    path_in(B, "examples/spin.so"),
                    "^spin/",
                    "--warm-up-time",
                    "3",
                    "--nresamples",
                    "1000",
                    "--no-plots",
                    "--output-dir",
                    outd,
                    NULL};
    pid_t pid = start_bg(slow);
    char *bg_err = path_in(tmpdir, "bg.err");
    for (double t0 = now_s(); !strstr(slurp(bg_err) ? slurp(bg_err) : "", "warming up");
         usleep(20000))
        if (now_s() - t0 > 60) {
            kill(pid, SIGKILL);
            fail_msg("the first warm-up never began");
        }
    kill(pid, SIGINT);
    CB_ASSERT_INT(wait_exit(pid, 10), 130);
    const char *after = slurp(path_in(outd, "latest.json"));
    if (!after || strcmp(after, before) != 0)
        fail_msg("latest.json changed: an empty run replaced it");
    CB_ASSERT_STR(slurp(path_in(outd, "previous.json")), prev_before);
    char *err = strdup(slurp(path_in(tmpdir, "bg.err")));
    if (!strstr(err, "interrupted: 0 of 2 benchmarks completed") ||
        !strstr(err, "latest.json left as it was"))
        fail_msg("stderr \"%s\" does not say latest.json was kept", err);
    char *runf = other_run(outd, first_id);
    if (!runf) fail_msg("no run file for the interrupted run in %s/runs", outd);
    json_t *run = load_json(runf);
    assert_true(json_is_true(json_object_get(run, "interrupted")));
    CB_ASSERT_INT(json_array_size(json_object_get(run, "benchmarks")), 0);
    assert_null(json_object_get(first, "interrupted")); /* a complete run has no such field */
    json_decref(run);
    json_decref(first);
    free(before), free(prev_before), free(err);
}

/* Stopped after its first result: latest.json is that run, "interrupted": true, and the
 * report says so. */
static void ctrl_c_after_a_result_is_recorded_and_reported(void **st) {
    char *out2 = path_in(tmpdir, "after");
    char *argv[] = {path_in(B, "cbench"),
                    "--plugin",
                    path_in(B, "examples/spin.so"),
                    "^spin/",
                    "--warm-up-time",
                    "0.05",
                    "--measurement-time",
                    "3",
                    "--nresamples",
                    "1000",
                    "--no-plots",
                    "--output-dir",
                    out2,
                    NULL};
    pid_t pid = start_bg(argv);
    char *latest = path_in(out2, "latest.json");
    for (double t0 = now_s(); access(latest, F_OK) != 0; usleep(20000))
        if (now_s() - t0 > 60) {
            kill(pid, SIGKILL);
            fail_msg("no first result within 60 s");
        }
    kill(pid, SIGINT);
    CB_ASSERT_INT(wait_exit(pid, 10), 130);
    json_t *run = load_json(latest);
    assert_true(json_is_true(json_object_get(run, "interrupted")));
    CB_ASSERT_INT(json_array_size(json_object_get(run, "benchmarks")), 1);
    json_decref(run);
    char *rep = path_in(tmpdir, "rep");
    char *report[] = {path_in(B, "cbench"), "report", latest, "--no-plots", "-o", rep, NULL};
    CB_ASSERT_INT(run_cmd(report, NULL, 0), 0);
    const char *md = slurp(path_in(rep, "REPORT.md"));
    if (!md || !strstr(md, "**Interrupted:** run file latest.json was stopped by a signal"))
        fail_msg("REPORT.md does not say the run was interrupted");
}

int main(void) {
    if (e2e_init() != 0) return 1;
    outd = path_in(tmpdir, "out");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ctrl_c_before_the_first_result_keeps_latest_json),
        cmocka_unit_test(ctrl_c_after_a_result_is_recorded_and_reported),
    };
    int rc = cmocka_run_group_tests_name("interrupted", tests, NULL, NULL);
    e2e_done();
    return rc;
}
