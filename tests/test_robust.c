/* SPDX-License-Identifier: MIT */
/* test_robust.c - end-to-end: crashing plugins, Ctrl-C, unwritable and full output, concurrent
 * runs, bad options (docs/robustness.md). */
#include "cb_e2e.h"

#include "cb_cli.h"
#include "cb_error.h"
#include "cb_results.h"
#include "cb_runner.h"
#include "cb_util.h"

#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <sys/resource.h>
#include <time.h>

/* Short runs: these tests check what survives, not the statistics. */
#define FAST                                                                                       \
    "--quick", "--nresamples", "1000", "--warm-up-time", "0.05", "--measurement-time", "0.1"

/* CB_TEST_TIME_FACTOR stretches every time limit (e.g. 30 under valgrind); 1 by default. */
static double time_factor = 1;

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Starts argv with stdout/stderr in tmpdir/<tag>.out and .err; returns the pid. */
static pid_t start(char *const argv[], const char *tag) {
    char o[300], e[300];
    snprintf(o, sizeof o, "%s/%s.out", tmpdir, tag);
    snprintf(e, sizeof e, "%s/%s.err", tmpdir, tag);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, o, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, e, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    /* A test run in the background of a shell inherits SIGINT ignored: give it back. */
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

/* The exit code (128 + signal when killed); fails the test after limit_s seconds. */
static int finish(pid_t pid, double limit_s) {
    int status;
    for (double t0 = now_s(); waitpid(pid, &status, WNOHANG) == 0; usleep(10000))
        if (now_s() - t0 > limit_s * time_factor) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            fail_msg("pid %ld still running after %.1f s", (long)pid, limit_s * time_factor);
        }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static char *slurp(const char *path, char *buf, size_t n) {
    FILE *f = fopen(path, "r");
    size_t k = f ? fread(buf, 1, n - 1, f) : 0;
    buf[k] = '\0';
    if (f) fclose(f);
    return buf;
}

/* Lines of stderr that the runner itself wrote (progress lines start "Benchmarking"). */
static int cbench_lines(const char *text) {
    int n = 0;
    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        n += strncmp(p, "cbench:", 7) == 0;
    return n;
}

/* Keys and types of a JSON value; arrays by their first object element. */
static void shape(json_t *v, char *buf, size_t n) {
    size_t len = strlen(buf);
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        snprintf(buf + len, n - len, "{");
        json_object_foreach(v, k, x) {
            len = strlen(buf);
            snprintf(buf + len, n - len, "%s:", k);
            shape(x, buf, n);
        }
        len = strlen(buf);
        snprintf(buf + len, n - len, "}");
    } else if (json_is_array(v)) {
        snprintf(buf + len, n - len, "[");
        if (json_is_object(json_array_get(v, 0)) || json_is_array(json_array_get(v, 0)))
            shape(json_array_get(v, 0), buf, n);
        len = strlen(buf);
        snprintf(buf + len, n - len, "]");
    } else {
        /* null stands for a number that was not finite */
        snprintf(buf + len, n - len, "%s,",
                 json_is_string(v)    ? "s"
                 : json_is_boolean(v) ? "b"
                                      : "n");
    }
}

static void assert_failure(json_t *run, const char *id, const char *kind, const char *text) {
    json_t *err = json_object_get(bench_by_id(run, id), "error");
    const char *k = json_string_value(json_object_get(err, "kind"));
    const char *m = json_string_value(json_object_get(err, "message"));
    if (!k || strcmp(k, kind) != 0 || !m || !strstr(m, text))
        fail_msg("%s: error %s \"%s\", want %s \"...%s...\"", id, k ? k : "(none)", m ? m : "",
                 kind, text);
}

/* Whether the process in pidfile is gone (or a zombie nobody reaps); waits up to 2 s, then
 * kills it so that a failed check leaves nothing spinning. */
static int process_gone(const char *pidfile) {
    char buf[64] = "", stat_path[64], state[512];
    if (!slurp(pidfile, buf, sizeof buf)[0]) fail_msg("%s: no pid written", pidfile);
    snprintf(stat_path, sizeof stat_path, "/proc/%ld/stat", atol(buf));
    for (double t0 = now_s(); now_s() - t0 < 2 * time_factor; usleep(10000)) {
        slurp(stat_path, state, sizeof state);
        char *rp = strrchr(state, ')');
        if (!state[0] || (rp && (rp[2] == 'Z' || rp[2] == 'X'))) return 1;
    }
    kill((pid_t)atol(buf), SIGKILL);
    return 0;
}

/* Acceptance 1: segfault, abort, hang, exit(3), huge allocations (checked, unchecked, the OOM
 * killer's SIGKILL) each fail only their own benchmark, with the reason in the run file and on
 * stdout; the healthy ones are complete and shaped as in a clean run; exit 1. */
static void broken_plugins_cost_only_themselves(void **st) {
    char *bad = path_in(tmpdir, "broken"), *clean = path_in(tmpdir, "clean"),
         *nofork = path_in(tmpdir, "nofork"), *stray = path_in(tmpdir, "stray.pid");
    setenv("CB_TEST_STRAY_PIDFILE", stray, 1);
    char *argv[] = {path_in(B, "cbench"),
                    "--plugin",
                    path_in(B, "tests/plugins/crash_kinds.so"),
                    "--plugin",
                    path_in(B, "examples/spin.so"),
                    "^crash_kinds/",
                    "^spin/",
                    FAST,
                    "--timeout",
                    "2",
                    "--output-dir",
                    bad,
                    NULL};
    double t0 = now_s();
    CB_ASSERT_INT(finish(start(argv, "broken"), 30), 1);
    unsetenv("CB_TEST_STRAY_PIDFILE");
    if (now_s() - t0 > 15 * time_factor) fail_msg("the broken run took %.1f s", now_s() - t0);
    if (!process_gone(stray)) fail_msg("the process the stray bench started is still running");
    char *argc_[] = {path_in(B, "cbench"),
                     "--plugin",
                     path_in(B, "tests/plugins/crash_kinds.so"),
                     "--plugin",
                     path_in(B, "examples/spin.so"),
                     "^crash_kinds/ok$",
                     "^spin/",
                     FAST,
                     "--output-dir",
                     clean,
                     NULL};
    CB_ASSERT_INT(finish(start(argc_, "clean"), 30), 0);
    char *argn[] = {path_in(B, "cbench"),
                    "--plugin",
                    path_in(B, "tests/plugins/crash_kinds.so"),
                    "--plugin",
                    path_in(B, "examples/spin.so"),
                    "^crash_kinds/ok$",
                    "^spin/",
                    FAST,
                    "--no-fork",
                    "--output-dir",
                    nofork,
                    NULL};
    CB_ASSERT_INT(finish(start(argn, "nofork"), 30), 0);
    json_t *b = load_json(path_in(bad, "latest.json")),
           *c = load_json(path_in(clean, "latest.json")),
           *n = load_json(path_in(nofork, "latest.json"));
    static const char *const failures[][4] = {
        /* id, kind, message, as printed on stdout */
        {"crash_kinds/segv", "signal", "killed by SIGSEGV during warm-up",
         "FAILED (signal): killed by SIGSEGV"},
        {"crash_kinds/abort", "signal", "killed by SIGABRT during warm-up",
         "FAILED (signal): killed by SIGABRT"},
        {"crash_kinds/hang", "timeout", "timed out after 2 s during warm-up",
         "FAILED (timeout): timed out"},
        {"crash_kinds/exit3", "exit", "exit(3) during warm-up", "FAILED (exit): exit(3)"},
        {"crash_kinds/bigalloc", "plugin", "cannot allocate 4 EiB",
         "FAILED (plugin): cannot allocate"},
        {"crash_kinds/bigalloc_unchecked", "signal", "killed by SIGSEGV during setup()",
         "during setup()"},
        {"crash_kinds/oomkill", "signal", "killed by SIGKILL during warm-up (out of memory?",
         "OOM killer"},
    };
    static char out[65536];
    slurp(path_in(tmpdir, "broken.out"), out, sizeof out);
    for (size_t i = 0; i < sizeof failures / sizeof failures[0]; i++) {
        assert_failure(b, failures[i][0], failures[i][1], failures[i][2]);
        if (!strstr(out, failures[i][3])) fail_msg("stdout lacks \"%s\":\n%s", failures[i][3], out);
    }
    CB_ASSERT_INT(json_array_size(json_object_get(b, "benchmarks")), 11);
    /* Healthy: the other suite, the same suite, and the bench whose stray process was killed. */
    static char sb[65536], sc[65536], sn[65536];
    const char *ids[][2] = {{"spin/spin/ns=1000", NULL},
                            {"spin/spin/ns=100000", NULL},
                            {"crash_kinds/ok", NULL},
                            {"crash_kinds/stray", "crash_kinds/ok"}};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        const char *like = ids[i][1] ? ids[i][1] : ids[i][0];
        json_t *x = bench_by_id(b, ids[i][0]);
        assert_null(json_object_get(x, "error"));
        size_t n_samples =
            json_array_size(json_object_get(json_object_get(x, "samples"), "times_ns"));
        if (!(est(x, "mean", "point") > 0) || n_samples < 10)
            fail_msg("%s: mean %g over %zu samples", ids[i][0], est(x, "mean", "point"), n_samples);
        sb[0] = sc[0] = sn[0] = '\0';
        shape(x, sb, sizeof sb);
        shape(bench_by_id(c, like), sc, sizeof sc);
        shape(bench_by_id(n, like), sn, sizeof sn);
        /* a bench's own name is data: compare the keys and types only */
        CB_ASSERT_STR(sb, sc);
        CB_ASSERT_STR(sn, sc);
    }
    json_object_del(b, "benchmarks");
    json_object_del(c, "benchmarks");
    sb[0] = sc[0] = '\0';
    shape(b, sb, sizeof sb);
    shape(c, sc, sizeof sc);
    CB_ASSERT_STR(sb, sc);
    json_decref(b);
    json_decref(c);
    json_decref(n);
}

/* Waits until dir/latest.json holds at least one benchmark. */
static void wait_for_first_result(const char *dir, pid_t pid) {
    char *latest = path_in(dir, "latest.json");
    for (double t0 = now_s(); now_s() - t0 < 20 * time_factor; usleep(5000)) {
        json_t *j = json_load_file(latest, 0, NULL);
        size_t n = json_array_size(json_object_get(j, "benchmarks"));
        json_decref(j);
        if (n >= 1) return;
        if (waitpid(pid, NULL, WNOHANG) == pid) fail_msg("the run ended before its first result");
    }
    fail_msg("no result in %s after 20 s", latest);
}

/* latest.json and runs/<run id>.json both hold just the completed spin/spin/ns=1000. */
static void saved_just_the_spin(const char *outd, size_t min_samples) {
    char msg[512];
    cb_run run;
    if (cb_results_read(path_in(outd, "latest.json"), &run, msg, sizeof msg) != CB_OK)
        fail_msg("%s", msg);
    CB_ASSERT_INT(run.n_results, 1);
    CB_ASSERT_STR(run.results[0].id, "spin/spin/ns=1000");
    assert_true(run.results[0].analyzed && run.results[0].samples.n >= min_samples);
    char *byid = malloc(strlen(outd) + strlen(run.run_id) + 16);
    sprintf(byid, "%s/runs/%s.json", outd, run.run_id);
    cb_run again;
    int rc = cb_results_read(byid, &again, msg, sizeof msg);
    free(byid);
    if (rc != CB_OK) fail_msg("%s", msg);
    CB_ASSERT_INT(again.n_results, 1);
    cb_run_free(&again);
    cb_run_free(&run);
}

/* Acceptance 2: Ctrl-C after the first benchmark: exit 130 within a sample's time, and the run
 * file (valid JSON, read back by cbench's own reader) holds exactly the completed benchmark.
 * SIGTERM does the same, and an interrupted run saves no (partial) baseline. */
static void sigint_keeps_the_completed_benchmarks(void **st) {
    static const struct {
        const char *name, *flag;
        int sig;
    } modes[] = {{"fork", NULL, SIGINT},
                 {"no-fork", "--no-fork", SIGINT},
                 {"SIGTERM", "--save-baseline", SIGTERM}};
    for (int m = 0; m < 3; m++) {
        char *outd = path_in(tmpdir, modes[m].name);
        char *argv[] = {path_in(B, "cbench"),
                        "--plugin",
                        path_in(B, "examples/spin.so"),
                        "^spin/",
                        "--nresamples",
                        "1000",
                        "--warm-up-time",
                        "0.05",
                        "--measurement-time",
                        "3",
                        "--output-dir",
                        outd,
                        (char *)modes[m].flag,
                        "b",
                        NULL};
        if (m < 2) argv[13] = NULL; /* only --save-baseline takes the value */
        pid_t pid = start(argv, "int");
        wait_for_first_result(outd, pid);
        kill(pid, modes[m].sig);
        double t0 = now_s();
        CB_ASSERT_INT(finish(pid, 10), 130);
        if (now_s() - t0 > 2 * time_factor)
            fail_msg("%s: exit %.2f s after the signal", modes[m].name, now_s() - t0);
        char err[4096];
        slurp(path_in(tmpdir, "int.err"), err, sizeof err);
        if (!strstr(err, "cbench: interrupted: 1 of 2 benchmarks completed"))
            fail_msg("%s: stderr \"%s\"", modes[m].name, err);
        saved_just_the_spin(outd, 10);
        if (m == 2) {
            assert_non_null(strstr(err, "not saving baseline b: the run was interrupted"));
            CB_ASSERT_INT(access(path_in(outd, "baselines/b.json"), F_OK), -1);
        }
    }
}

/* kill -9 of the runner: its child dies with it, and the files hold what was completed. */
static void killed_runner_takes_its_child_and_keeps_the_files(void **st) {
    char *outd = path_in(tmpdir, "kill9"), *pidfile = path_in(tmpdir, "kill9.pid");
    setenv("CB_TEST_PIDFILE", pidfile, 1);
    char *argv[] = {path_in(B, "cbench"),
                    "--plugin",
                    path_in(B, "examples/spin.so"),
                    "--plugin",
                    path_in(B, "tests/plugins/crash_kinds.so"),
                    "^spin/spin/ns=1000$",
                    "^crash_kinds/hang$",
                    FAST,
                    "--timeout",
                    "60",
                    "--output-dir",
                    outd,
                    NULL};
    pid_t pid = start(argv, "kill9");
    char buf[64] = "";
    for (double t0 = now_s(); !slurp(pidfile, buf, sizeof buf)[0]; usleep(5000))
        if (now_s() - t0 > 20 * time_factor) fail_msg("the hang bench never started");
    unsetenv("CB_TEST_PIDFILE");
    kill(pid, SIGKILL);
    CB_ASSERT_INT(finish(pid, 5), 128 + SIGKILL);
    if (!process_gone(pidfile)) fail_msg("the child %s outlived the killed runner", buf);
    saved_just_the_spin(outd, 0);
}

/* A hung child ignores the first Ctrl-C; the second ends the run at once, child included. */
static void second_sigint_stops_a_hung_child_at_once(void **st) {
    char *outd = path_in(tmpdir, "hung"), *pidfile = path_in(tmpdir, "hang.pid");
    setenv("CB_TEST_PIDFILE", pidfile, 1);
    char *argv[] = {path_in(B, "cbench"), "--plugin",  path_in(B, "tests/plugins/crash_kinds.so"),
                    "^crash_kinds/hang$", "--timeout", "60",
                    "--output-dir",       outd,        NULL};
    pid_t pid = start(argv, "hung");
    char buf[64] = "";
    for (double t0 = now_s(); !slurp(pidfile, buf, sizeof buf)[0]; usleep(5000))
        if (now_s() - t0 > 10 * time_factor) fail_msg("the hang bench never started");
    unsetenv("CB_TEST_PIDFILE");
    usleep(200000 * time_factor);
    kill(pid, SIGINT);
    usleep(300000 * time_factor);
    CB_ASSERT_INT(waitpid(pid, NULL, WNOHANG), 0); /* still waiting for the hung child */
    kill(pid, SIGINT);
    double t0 = now_s();
    CB_ASSERT_INT(finish(pid, 5), 130);
    if (now_s() - t0 > 1 * time_factor)
        fail_msg("exit %.2f s after the second SIGINT", now_s() - t0);
    if (!process_gone(pidfile)) fail_msg("the hung child %s is still running", buf);
}

/* As run_cmd, as user and group nobody (65534): root writes into a read-only directory anyway. */
static int run_as_nobody(char *const argv[], char *err, size_t errsz) {
    char ep[300];
    snprintf(ep, sizeof ep, "%s/nobody.err", tmpdir);
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(ep, O_WRONLY | O_CREAT | O_TRUNC, 0644), null = open("/dev/null", O_WRONLY);
        if (fd < 0 || null < 0 || dup2(null, 1) < 0 || dup2(fd, 2) < 0 || setgroups(0, NULL) != 0 ||
            setgid(65534) != 0 || setuid(65534) != 0)
            _exit(125);
        if (access(argv[0], X_OK) != 0) _exit(124); /* a build under a private home: skipped */
        execv(argv[0], argv);
        _exit(126);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    slurp(ep, err, errsz);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* A copy of the build file rel in dir (mode 0755), for a user who may not enter the checkout
 * (a clone under /root); NULL when it cannot be made. */
static char *copy_for_nobody(const char *dir, const char *rel, const char *name) {
    char *src = path_in(B, rel), *dst = path_in(dir, name), buf[65536];
    FILE *in = fopen(src, "rb"), *out = in ? fopen(dst, "wb") : NULL;
    size_t n;
    int ok = in && out;
    while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0) ok = fwrite(buf, 1, n, out) == n;
    ok = ok && !ferror(in);
    if (in) fclose(in);
    if (out && fclose(out) != 0) ok = 0;
    return ok && chmod(dst, 0755) == 0 ? dst : NULL;
}

/* An output directory that cannot be made or written: exit 2, one line, before any benchmark
 * (a benchmark would have added its progress lines to stderr). As root the read-only case
 * runs as nobody, on copies of the runner and plugin in the test's own directory: the
 * checkout may lie where nobody cannot go. */
static void unwritable_output_dir_exits_2_before_running(void **st) {
    char *file = path_in(tmpdir, "a_file");
    FILE *f = fopen(file, "w");
    fclose(f);
    char *ro = path_in(tmpdir, "readonly");
    mkdir(ro, 0555);
    chmod(ro, 0555);
    struct {
        char *dir;
        const char *want;
    } cases[] = {
        {path_in(file, "out"), "cannot create output directory"},
        {"/dev/full", "Not a directory"},
        {ro, "is not writable: Permission denied"}, /* as nobody when root: root writes anyway */
    };
    char err[4096], *bin = path_in(tmpdir, "bin"), *runner = NULL, *plugin = NULL;
    if (geteuid() == 0) {
        chmod(tmpdir, 0755); /* nobody reaches the directory, not its files */
        mkdir(bin, 0755);
        runner = copy_for_nobody(bin, "cbench", "cbench");
        plugin = copy_for_nobody(bin, "examples/spin.so", "spin.so");
    }
    for (size_t i = 0; i < 3; i++) {
        int nobody = i == 2 && geteuid() == 0;
        if (nobody && !(runner && plugin)) {
            fprintf(stderr, "note: %s not checked: no copy of the runner for nobody\n",
                    cases[i].dir);
            continue;
        }
        char *argv[] = {nobody ? runner : path_in(B, "cbench"),
                        "--plugin",
                        nobody ? plugin : path_in(B, "examples/spin.so"),
                        "^spin/",
                        FAST,
                        "--output-dir",
                        cases[i].dir,
                        NULL};
        int rc = nobody ? run_as_nobody(argv, err, sizeof err) : run_cmd(argv, err, sizeof err);
        if (rc == 124) {
            fprintf(stderr, "note: %s not checked: user nobody cannot run %s\n", cases[i].dir,
                    argv[0]);
            continue;
        }
        if (rc != 2 || !strstr(err, cases[i].want) || strchr(err, '\n') != err + strlen(err) - 1)
            fail_msg("%s: exit %d, stderr \"%s\" (want 2 and one line with \"%s\")", cases[i].dir,
                     rc, err, cases[i].want);
    }
    if (geteuid() == 0) chmod(tmpdir, 0700);
    chmod(ro, 0755);
}

static char *no_tmp_files(const char *dir) {
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strstr(e->d_name, ".tmp.") || strstr(e->d_name, ".cbench-probe")) {
            closedir(d);
            return path_in(dir, e->d_name);
        }
    if (d) closedir(d);
    return NULL;
}

/* A full disk (latest.json -> /dev/full; a file size limit): exit 1, one clear line, and the
 * files already there unchanged, no temp file left. */
static void full_disk_leaves_existing_files_intact(void **st) {
    char *outd = path_in(tmpdir, "full"), *latest = path_in(outd, "latest.json"),
         *prev = path_in(outd, "previous.json");
    char *argv[] = {path_in(B, "cbench"),
                    "--plugin",
                    path_in(B, "examples/spin.so"),
                    "^spin/spin/ns=1000$",
                    FAST,
                    "--output-dir",
                    outd,
                    NULL};
    CB_ASSERT_INT(run_cmd(argv, NULL, 0), 0);
    static char prev_before[1 << 20], prev_after[1 << 20], latest_before[1 << 20],
        latest_after[1 << 20], err[8192];
    slurp(prev, prev_before, sizeof prev_before);
    slurp(latest, latest_before, sizeof latest_before);
    rename(latest, path_in(outd, "latest.saved"));
    CB_ASSERT_INT(symlink("/dev/full", latest), 0);
    CB_ASSERT_INT(run_cmd(argv, err, sizeof err), 1);
    if (cbench_lines(err) != 1 || !strstr(err, "latest.json: No space left on device"))
        fail_msg("latest.json -> /dev/full: stderr \"%s\"", err);
    CB_ASSERT_STR(slurp(prev, prev_after, sizeof prev_after), prev_before);
    char target[64] = "";
    CB_ASSERT_INT(readlink(latest, target, sizeof target - 1) > 0, 1);
    CB_ASSERT_STR(target, "/dev/full");
    unlink(latest);
    rename(path_in(outd, "latest.saved"), latest);
    /* 2 KiB per file: the run file (~10 KiB) cannot be written; SIGXFSZ ignored, so EFBIG. */
    struct rlimit old, lim;
    getrlimit(RLIMIT_FSIZE, &old);
    lim = old;
    lim.rlim_cur = 2048;
    signal(SIGXFSZ, SIG_IGN);
    setrlimit(RLIMIT_FSIZE, &lim);
    int rc = run_cmd(argv, err, sizeof err);
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, SIG_DFL);
    if (rc != 1 || cbench_lines(err) != 1 || !strstr(err, "File too large"))
        fail_msg("file size limit: exit %d, stderr \"%s\"", rc, err);
    CB_ASSERT_STR(slurp(latest, latest_after, sizeof latest_after), latest_before);
    CB_ASSERT_STR(slurp(prev, prev_after, sizeof prev_after), prev_before);
    char *left = no_tmp_files(outd);
    if (!left) left = no_tmp_files(path_in(outd, "runs"));
    if (left) fail_msg("temp file left behind: %s", left);
}

/* Two runs into one directory at once: both keep their own run file, nothing half-written. */
static void concurrent_runs_keep_both_results(void **st) {
    char *outd = path_in(tmpdir, "conc");
    char *argv[] = {path_in(B, "cbench"),
                    "--plugin",
                    path_in(B, "examples/spin.so"),
                    "^spin/",
                    FAST,
                    "--output-dir",
                    outd,
                    NULL};
    pid_t a = start(argv, "conc_a"), b = start(argv, "conc_b");
    CB_ASSERT_INT(finish(a, 30), 0);
    CB_ASSERT_INT(finish(b, 30), 0);
    char *runs = path_in(outd, "runs"), msg[512];
    DIR *d = opendir(runs);
    struct dirent *e;
    int n = 0;
    char ids[2][128] = {"", ""};
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        cb_run run;
        if (cb_results_read(path_in(runs, e->d_name), &run, msg, sizeof msg) != CB_OK)
            fail_msg("%s", msg);
        CB_ASSERT_INT(run.n_results, 2);
        if (n < 2) snprintf(ids[n], sizeof ids[n], "%s", run.run_id);
        n++;
        cb_run_free(&run);
    }
    closedir(d);
    CB_ASSERT_INT(n, 2);
    assert_true(strcmp(ids[0], ids[1]) != 0);
    json_decref(load_json(path_in(outd, "latest.json")));
    json_decref(load_json(path_in(outd, "previous.json")));
    char *left = no_tmp_files(outd);
    if (!left) left = no_tmp_files(runs);
    if (left) fail_msg("temp file left behind: %s", left);
}

/* Every bad option value or combination: exit 2 and one line naming it; nothing runs. */
static void bad_options_exit_2_with_one_line(void **st) {
    const char *cases[][4] = {
        {"--timeout", "0", NULL, "--timeout"},
        {"--timeout", "abc", NULL, "--timeout"},
        {"--timeout", "1e99", NULL, "--timeout"},
        {"--timeout", NULL, NULL, "--timeout needs a value"},
        {"--baseline", "a", "--baseline-lenient=b", "exclude each other"},
        {"--cold", "--hot", NULL, "exclude each other"},
        {"--seed", "-1", NULL, "--seed"},
        {"--seed", " 7", NULL, "--seed"},
        {"--seed", "99999999999999999999", NULL, "--seed"},
        {"--plugin", "", NULL, "--plugin"},
        {"--warm-up-time", "-1", NULL, "--warm-up-time"},
        {"--measurement-time", "inf", NULL, "--measurement-time"},
        {"--sample-size", "1e3", NULL, "--sample-size"},
        {"--nresamples", "99", NULL, "--nresamples"},
        {"--sampling-mode", "fast", NULL, "--sampling-mode"},
        {"--format", "xml", NULL, "--format"},
        {"--jobs", "-1", NULL, "--jobs"},
        {"--device", "64", NULL, "--device"},
        {"--no-fork=1", NULL, NULL, "--no-fork"},
        {"--output-dir", "", NULL, "--output-dir"},
    };
    char err[4096];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *argv[8] = {path_in(B, "cbench"), "--plugin", path_in(B, "examples/spin.so")};
        int k = 3;
        for (int j = 0; j < 3 && cases[i][j]; j++) argv[k++] = (char *)cases[i][j];
        argv[k] = NULL;
        int rc = run_cmd(argv, err, sizeof err);
        if (rc != 2 || !strstr(err, cases[i][3]) || strchr(err, '\n') != err + strlen(err) - 1)
            fail_msg("case %zu (%s %s): exit %d, stderr \"%s\" (want 2, one line with \"%s\")", i,
                     cases[i][0], cases[i][1] ? cases[i][1] : "", rc, err, cases[i][3]);
    }
    /* Accepted, with a warning for a pointless or risky combination (or none: "" ). */
    const char *warns[][4] = {
        {"--no-fork", "--timeout", "5",
         "cbench: warning: --timeout has no effect with --no-fork\n"},
        {"--sampling-mode", "linear", "--quick",
         "cbench: warning: --sampling-mode linear is ignored: --target-precision (of --quick) "
         "samples flat\n"},
        {"--timeout", "1", "--quick",
         "cbench: warning: --timeout 1 s is under the 4.5 s that warm-up "
         "and sampling may take: benchmarks may time out\n"},
        {"--quick", "--target-precision", "0.05", ""},
    };
    for (size_t i = 0; i < sizeof warns / sizeof warns[0]; i++) {
        char *argv[] = {path_in(B, "cbench"),
                        "--plugin",
                        path_in(B, "examples/spin.so"),
                        "--list",
                        "^spin/", /* none of the CUDA suites: no "cannot run here" line */
                        (char *)warns[i][0],
                        (char *)warns[i][1],
                        (char *)warns[i][2],
                        NULL};
        int rc = run_cmd(argv, err, sizeof err);
        if (rc != 0 || strcmp(err, warns[i][3]) != 0)
            fail_msg("%s %s %s: exit %d, stderr \"%s\" (want 0 and \"%s\")", warns[i][0],
                     warns[i][1], warns[i][2], rc, err, warns[i][3]);
    }
}

/* A plugin that crashes or exits while it loads (constructor, cb_suite_entry): the runner names
 * it; nothing was measured yet and no output directory is made. */
static void plugin_crashing_at_load_is_named(void **st) {
    char *outd = path_in(tmpdir, "load"), *so = path_in(B, "tests/plugins/crash_load.so");
    static const struct {
        const char *mode;
        int rc;
        const char *line;
    } cases[] = {
        {"segv", 2, "crashed while loading (SIGSEGV)"},
        {"badptr", 2, "crashed while loading (SIGSEGV)"},
        {"exit", 4, "called exit() while loading"},
    };
    char err[4096], want[512];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        setenv("CB_TEST_LOAD", cases[i].mode, 1);
        char *argv[] = {path_in(B, "cbench"), "--plugin", so, FAST, "--output-dir", outd, NULL};
        int rc = run_cmd(argv, err, sizeof err);
        unsetenv("CB_TEST_LOAD");
        snprintf(want, sizeof want, "cbench: plugin %s %s\n", so, cases[i].line);
        if (rc != cases[i].rc || strcmp(err, want) != 0)
            fail_msg("%s: exit %d, stderr \"%s\" (want %d, \"%s\")", cases[i].mode, rc, err,
                     cases[i].rc, want);
        CB_ASSERT_INT(access(outd, F_OK), -1);
    }
    char *list[] = {path_in(B, "cbench"), "--plugin", so, "--list", NULL};
    CB_ASSERT_INT(run_cmd(list, err, sizeof err), 0); /* the same plugin, left alone, loads */
}

/* A name table asked for a value past its end (a damaged child record, a newer enum) answers
 * "unknown" instead of reading beyond the table. */
static void enum_names_out_of_range_are_unknown(void **st) {
    CB_ASSERT_STR(cb_fail_kind_name(CB_FAIL_PLUGIN), "plugin");
    CB_ASSERT_STR(cb_fail_kind_name((cb_fail_kind)(CB_FAIL_PLUGIN + 1)), "unknown");
    CB_ASSERT_STR(cb_fail_kind_name((cb_fail_kind)-1), "unknown");
    CB_ASSERT_STR(cb_sampling_name(CB_SAMPLING_FLAT), "flat");
    CB_ASSERT_STR(cb_sampling_name((cb_sampling_mode)(CB_SAMPLING_FLAT + 1)), "unknown");
}

/* The reader bounds the memory a file takes, not only its size: empty objects cost ~80 bytes
 * of memory per byte of file. */
static void reader_memory_is_bounded(void **st) {
    size_t n = 200000, k = 0;
    char *buf = malloc(3 * n + 128), msg[512];
    k += (size_t)sprintf(buf, "{\"schema\":\"cbench-run/1\",\"benchmarks\":[],\"pad\":[");
    for (size_t i = 0; i < n; i++) k += (size_t)sprintf(buf + k, "{},");
    k += (size_t)sprintf(buf + k, "{}]}");
    static const char small[] = "{\"schema\":\"cbench-run/1\",\"benchmarks\":[{\"id\":\"a\","
                                "\"samples\":{\"iters\":[1,2],\"times_ns\":[1,2]}}]}";
    cb_run run;
    cb_results_set_memory_limit(4 << 20);
    int rc = cb_results_read_buffer(buf, k, "pad.json", &run, msg, sizeof msg);
    if (rc != CB_ERR_FORMAT || !strstr(msg, "pad.json: needs more than 4 MiB of memory to read"))
        fail_msg("padded file under 4 MiB: rc %d, \"%s\"", rc, rc ? msg : "");
    rc = cb_results_read_buffer(small, sizeof small - 1, "small.json", &run, msg, sizeof msg);
    if (rc != CB_OK) fail_msg("small file under 4 MiB: \"%s\"", msg);
    CB_ASSERT_INT(run.results[0].samples.n, 2);
    cb_run_free(&run);
    cb_results_set_memory_limit(0); /* the default (2 GiB) takes it */
    rc = cb_results_read_buffer(buf, k, "pad.json", &run, msg, sizeof msg);
    if (rc != CB_OK) fail_msg("padded file under the default limit: \"%s\"", msg);
    cb_run_free(&run);
    free(buf);
}

/* A run saved after every benchmark splices each benchmark's cached text into the file, and the
 * saver appends only the new ones in place: both must give the bytes jansson writes for the
 * whole document at once, at every size, also when the header moves (a GPU appears). */
static void run_text_from_cached_benchmarks_is_a_whole_dump(void **st) {
    cb_config c;
    cb_config_defaults(&c);
    cb_run r;
    cb_results_cache k = {0};
    cb_results_saver sv;
    char *files[2] = {path_in(tmpdir, "saved_run.json"), path_in(tmpdir, "saved_latest.json")};
    char msg[256];
    cb_results_saver_open(&sv, files[0], files[1]);
    CB_ASSERT_INT(cb_run_init(&r, &c), CB_OK);
    for (int i = 0; i <= 5; i++) {
        if (i == 4) r.gpus[r.n_gpus++] = (cb_gpu_info){.name = "GPU \"x\"", .sm_count = 1};
        if (i) {
            cb_result *res = cb_run_add(&r);
            res->id = cb_asprintf("s/b \"%d\"\n", i); /* escapes stay on one line */
            res->suite = cb_strdup("s");
            res->bench = cb_strdup("b");
            res->n_params = 1;
            res->param_names[0] = cb_strdup("n");
            res->param_values[0] = i;
            res->samples.n = (size_t)i;
            res->samples.iters = calloc((size_t)i, sizeof *res->samples.iters);
            res->samples.times_ns = calloc((size_t)i, sizeof *res->samples.times_ns);
            for (int j = 0; j < i; j++)
                res->samples.iters[j] = 1, res->samples.times_ns[j] = 0.1 * j;
            res->analyzed = i > 1;
            res->an.est.mean = (cb_estimate){1.0 / 3, 0.25, NAN, 0.01, CB_CI_BCA};
            res->warnings[res->n_warnings++] = cb_strdup("w");
        }
        size_t len;
        char *t = cb_results_text(&r, &k, &len);
        assert_non_null(t);
        json_error_t je;
        json_t *d = json_loadb(t, len, 0, &je);
        char *whole = d ? json_dumps(d, JSON_INDENT(1) | JSON_REAL_PRECISION(17)) : NULL;
        if (!whole || strlen(whole) != len || memcmp(whole, t, len) != 0)
            fail_msg("%d results: spliced text\n%s\nis not jansson's\n%s", i, t,
                     whole ? whole : je.text);
        if (i) CB_ASSERT_INT(cb_results_save(&sv, &r, msg, sizeof msg), CB_OK);
        for (int f = 0; i && f < 2; f++) {
            const char *saved = read_text(files[f]);
            if (strlen(saved) != len || memcmp(saved, t, len) != 0)
                fail_msg("%d results: the saver's %s\n%s\nis not the whole text\n%s", i, files[f],
                         saved, t);
        }
        free(whole);
        json_decref(d);
        free(t);
    }
    cb_results_saver_close(&sv);
    cb_results_cache_free(&k);
    cb_run_free(&r);
}

int main(void) {
    if (e2e_init() != 0) return 1;
    if (getenv("CB_TEST_TIME_FACTOR")) time_factor = fmax(1, atof(getenv("CB_TEST_TIME_FACTOR")));
    /* Sanitizer builds: the crash plugins' signals must reach the parent as signals, and a
     * failed huge malloc return NULL, as without sanitizers. */
    setenv("ASAN_OPTIONS",
           "handle_segv=0:handle_sigbus=0:handle_abort=0:allocator_may_return_null=1", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(broken_plugins_cost_only_themselves),
        cmocka_unit_test(sigint_keeps_the_completed_benchmarks),
        cmocka_unit_test(second_sigint_stops_a_hung_child_at_once),
        cmocka_unit_test(killed_runner_takes_its_child_and_keeps_the_files),
        cmocka_unit_test(unwritable_output_dir_exits_2_before_running),
        cmocka_unit_test(full_disk_leaves_existing_files_intact),
        cmocka_unit_test(concurrent_runs_keep_both_results),
        cmocka_unit_test(bad_options_exit_2_with_one_line),
        cmocka_unit_test(plugin_crashing_at_load_is_named),
        cmocka_unit_test(reader_memory_is_bounded),
        cmocka_unit_test(enum_names_out_of_range_are_unknown),
        cmocka_unit_test(run_text_from_cached_benchmarks_is_a_whole_dump),
    };
    int rc = cmocka_run_group_tests_name("robustness", tests, NULL, NULL);
    e2e_done();
    return rc;
}
