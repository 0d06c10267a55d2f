/* SPDX-License-Identifier: MIT */
/* cb_e2e.h - helpers for end-to-end tests: run the runner, read its JSON, snapshot out/. */
#ifndef CB_E2E_H
#define CB_E2E_H

#include "cb_test.h"

#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
static const char *B; /* build directory, from CB_BUILD */
static char tmpdir[256];

/* Runs argv (NULL-terminated), stdout/stderr to files in tmpdir; returns the exit code. */
static inline int run_cmd(char *const argv[], char *err, size_t errsz) {
    char out_path[300], err_path[300];
    snprintf(out_path, sizeof out_path, "%s/stdout", tmpdir);
    snprintf(err_path, sizeof err_path, "%s/stderr", tmpdir);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid;
    int status = -1;
    if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) != 0) fail_msg("spawn %s", argv[0]);
    posix_spawn_file_actions_destroy(&fa);
    waitpid(pid, &status, 0);
    if (err) {
        FILE *f = fopen(err_path, "r");
        size_t n = f ? fread(err, 1, errsz - 1, f) : 0;
        err[n] = '\0';
        if (f) fclose(f);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static inline json_t *load_json(const char *path) {
    json_error_t e;
    json_t *j = json_load_file(path, 0, &e);
    if (!j) fail_msg("%s: %s (line %d)", path, e.text, e.line);
    return j;
}

static inline json_t *bench_by_id(json_t *run, const char *id) {
    size_t i;
    json_t *b;
    json_array_foreach(json_object_get(run, "benchmarks"), i,
                       b) if (strcmp(json_string_value(json_object_get(b, "id")), id) ==
                              0) return b;
    fail_msg("benchmark %s not in the run file", id);
    return NULL;
}

static inline double est(json_t *b, const char *name, const char *field) {
    return json_number_value(
        json_object_get(json_object_get(json_object_get(b, "estimates"), name), field));
}

/* dir/name in a string that lives until the end of the tests (freed in main). */
static char *paths[512];
static size_t n_paths;
static inline char *path_in(const char *dir, const char *name) {
    char *p = malloc(strlen(dir) + strlen(name) + 2);
    if (!p || n_paths == 512) fail_msg("path_in: out of memory");
    sprintf(p, "%s/%s", dir, name);
    return paths[n_paths++] = p;
}

/* A listing of the output dir with sizes and mtimes, to prove nothing changed. */
static inline void snapshot(const char *dir, char *buf, size_t n) {
    buf[0] = '\0';
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        struct stat s;
        char p[600];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (stat(p, &s) == 0)
            snprintf(buf + strlen(buf), n - strlen(buf), "%s:%lld:%ld.%09ld;", e->d_name,
                     (long long)s.st_size, (long)s.st_mtim.tv_sec, s.st_mtim.tv_nsec);
    }
    if (d) closedir(d);
}

/* Tests of timing accuracy need a CPU to themselves: a 100 us busy-wait timed alone must take
 * 100 us within 2 % (best of 5 rounds of 200) and the last minute's load average stay within
 * twice the CPUs. quiet_now() says whether the machine is so now (best: the spin's time). */
static inline int quiet_now(double *best_ns, double *load_avg) {
    double best = 1e30;
    for (int rep = 0; rep < 5; rep++) {
        struct timespec a, b, t0, t;
        clock_gettime(CLOCK_MONOTONIC, &a);
        for (int k = 0; k < 200; k++) {
            clock_gettime(CLOCK_MONOTONIC, &t0);
            do clock_gettime(CLOCK_MONOTONIC, &t);
            while ((t.tv_sec - t0.tv_sec) * 1000000000LL + (t.tv_nsec - t0.tv_nsec) < 100000);
        }
        clock_gettime(CLOCK_MONOTONIC, &b);
        double per = ((double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec)) / 200;
        if (per < best) best = per;
    }
    /* A snapshot may catch a lull: the load of the last minute must show one too. */
    double load = 0;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (getloadavg(&load, 1) != 1) load = 0;
    if (best_ns) *best_ns = best;
    if (load_avg) *load_avg = load;
    return best <= 102000 && load <= 2.0 * (double)(cpus > 0 ? cpus : 1);
}

/* A timing test checks what it timed only when the machine was quiet just before and just
 * after it: the reference is taken around each try, as `cbench ab` interleaves its sides, so a
 * process that starts meanwhile costs a try, not a false failure. Use:
 *     for (int t = 0;; t++) { quiet_begin(t); ...time it...; if (quiet_end()) break; }
 *     ...check it...
 * A machine busy for 3 tries (a shared VM running other builds: a spin there is preempted past
 * its deadline in most calls) cannot show what such a test checks: the test is skipped, saying
 * so, instead of reporting the machine. */
static inline void quiet_begin(int tries) {
    double best = 0, load = 0;
    for (int wait = 0; tries < 3 && wait < 5; wait++) { /* up to 5 s for a quiet moment */
        if (quiet_now(&best, &load)) return;
        sleep(1);
    }
    fprintf(stderr,
            "SKIPPED (machine too busy): a 100 us spin took %.1f us at best, load "
            "average %.1f on %ld CPUs, %s: this test needs a CPU to itself\n",
            best / 1e3, load, sysconf(_SC_NPROCESSORS_ONLN),
            tries < 3 ? "before the first try" : "around 3 tries");
    skip();
}

static inline int quiet_end(void) { return quiet_now(NULL, NULL); }

/* A text file whole (at most 256 KiB), in a buffer the next call reuses. */
static inline char *read_text(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) fail_msg("cannot open %s", path);
    static char buf[1 << 18];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Creates the temp dir and reads the build dir; call first in main. */
static inline int e2e_init(void) {
    B = getenv("CB_BUILD") ? getenv("CB_BUILD") : "build";
    snprintf(tmpdir, sizeof tmpdir, "/tmp/cb_e2e.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static inline void e2e_done(void) {
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
    while (n_paths) free(paths[--n_paths]);
}

#endif
