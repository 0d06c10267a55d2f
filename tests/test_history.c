/* SPDX-License-Identifier: MIT */
/* test_history.c - the run history: e-divisive change points against hand and numpy values,
 * the changes of a series, the database refusing corrupt, foreign and newer files and
 * migrating old ones, and ab runs marked and left out of the series. */
#include "cb_error.h"
#include "cb_hist.h"
#include "cb_results.h"
#include "cb_util.h"
#include "cb_test.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* A step of +1.1 at index 15 in noise: numpy's brute force gives the best Q-hat 9.026785714285715
 * at tau = 15 (segments of at least 3). */
static const double step24[] = {10.2, 9.9,  10.1, 10.4, 9.8,  10.0, 10.3, 9.7,
                                10.1, 10.2, 9.9,  10.0, 10.6, 9.8,  10.1, 11.3,
                                11.0, 11.4, 10.9, 11.2, 11.1, 11.5, 10.8, 11.2};

static void qhat_matches_the_hand_value(void **state) {
    /* between 81, within 4 and 4: (9/6) * (2*81/9 - 4/3 - 4/3) = 23 */
    const double y[] = {1, 2, 3, 10, 11, 12};
    CB_ASSERT_NEAR(cb_ed_qhat(y, 6, 3), 23.0, 1e-12);
    CB_ASSERT_NEAR(cb_ed_qhat(step24, 24, 15), 9.026785714285715, 1e-12);
    CB_ASSERT_NEAR(cb_ed_qhat(step24, 24, 5), 1.1319444444444453, 1e-12);
    CB_ASSERT_NEAR(cb_ed_qhat(step24, 24, 1), 0.33333333333333365, 1e-12); /* one side of one */
}

static void fast_scan_finds_the_numpy_maximum(void **state) {
    size_t tau = 0;
    CB_ASSERT_NEAR(cb_ed_best(step24, 24, 3, &tau), 9.026785714285715, 1e-9);
    CB_ASSERT_INT(tau, 15);
}

/* The Fenwick-tree scan against the O(n^2) definition on series with ties, many lengths. */
static void fast_scan_equals_the_definition_everywhere(void **state) {
    uint64_t s = 42;
    for (size_t n = 6; n < 60; n += 3) {
        double x[64];
        for (size_t i = 0; i < n; i++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            x[i] = (double)((s >> 40) % 7) + (i > n / 2 ? 2 : 0); /* few values: many ties */
        }
        size_t tau = 0, want_tau = 0;
        double want = -1;
        for (size_t t = 2; t + 2 <= n; t++)
            if (cb_ed_qhat(x, n, t) > want + 1e-9) want = cb_ed_qhat(x, n, t), want_tau = t;
        double got = cb_ed_best(x, n, 2, &tau);
        CB_ASSERT_NEAR(got, want, 1e-9 * (1 + want));
        CB_ASSERT_NEAR(cb_ed_qhat(x, n, tau), want, 1e-9 * (1 + want));
        (void)want_tau;
    }
}

static const cb_ed_opts opts = {
    .min_size = 3, .permutations = 199, .significance = 0.05, .seed = 7};

static void detect_finds_the_step_with_a_permutation_p(void **state) {
    size_t cp[8], n = 0;
    double p[8];
    assert_int_equal(cb_ed_detect(step24, 24, &opts, cp, p, 8, &n), CB_OK);
    CB_ASSERT_INT(n, 1);
    CB_ASSERT_INT(cp[0], 15);
    if (!(p[0] >= 1.0 / 200 && p[0] <= 0.05)) fail_msg("p = %g, want in [1/200, 0.05]", p[0]);
}

static void detect_finds_nothing_in_noise(void **state) {
    double x[40];
    uint64_t s = 99;
    for (int i = 0; i < 40; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        x[i] = 100 + (double)(s >> 11) / 0x1p53;
    }
    size_t cp[8], n = 9;
    double p[8];
    assert_int_equal(cb_ed_detect(x, 40, &opts, cp, p, 8, &n), CB_OK);
    CB_ASSERT_INT(n, 0);
}

static cb_hist_cp_opts cp_opts(void) {
    cb_hist_cp_opts o;
    cb_hist_cp_defaults(&o);
    return o;
}

/* Six runs at 10 then six at v: medians 10 and v by hand, every resample the same. */
static void change_of(double v, cb_hist_change *c, size_t *n) {
    double x[12];
    for (int i = 0; i < 12; i++) x[i] = i < 6 ? 10 : v;
    cb_hist_cp_opts o = cp_opts();
    int short_ = 1;
    assert_int_equal(cb_hist_changes(x, 12, &o, 1, c, 4, n, &short_), CB_OK);
    CB_ASSERT_INT(short_, 0);
}

static void changes_give_medians_ratio_ci_and_direction(void **state) {
    cb_hist_change c[4];
    size_t n = 0;
    change_of(11, c, &n);
    CB_ASSERT_INT(n, 1);
    CB_ASSERT_INT(c[0].at, 6);
    CB_ASSERT_NEAR(c[0].before, 10, 0);
    CB_ASSERT_NEAR(c[0].after, 11, 0);
    CB_ASSERT_NEAR(c[0].ratio, 1.1, 1e-12);
    CB_ASSERT_NEAR(c[0].lo, 1.1, 1e-12);
    CB_ASSERT_NEAR(c[0].hi, 1.1, 1e-12);
    CB_ASSERT_INT(c[0].direction, 1);
    change_of(9, c, &n); /* faster: an improvement */
    CB_ASSERT_INT(n, 1);
    CB_ASSERT_NEAR(c[0].ratio, 0.9, 1e-12);
    CB_ASSERT_INT(c[0].direction, -1);
    change_of(10.05, c, &n); /* +0.5 %: significant, yet within the 1 % noise threshold */
    CB_ASSERT_INT(n, 1);
    CB_ASSERT_INT(c[0].direction, 0);
}

static void a_series_under_six_runs_is_too_short(void **state) {
    double x[6] = {1, 1, 1, 2, 2, 2};
    cb_hist_change c[4];
    size_t n = 9;
    int short_ = 0;
    cb_hist_cp_opts o = cp_opts();
    assert_int_equal(cb_hist_changes(x, 5, &o, 1, c, 4, &n, &short_), CB_OK);
    CB_ASSERT_INT(short_, 1);
    CB_ASSERT_INT(n, 0);
    assert_int_equal(cb_hist_changes(x, 6, &o, 1, c, 4, &n, &short_), CB_OK);
    CB_ASSERT_INT(short_, 0);
}

/* Twelve runs near 100, then 120: the newest run makes the regression appear at one length
 * only, and not later than three runs after the step (a segment's least length). */
static void newest_regression_fires_once(void **state) {
    double x[24];
    for (int i = 0; i < 24; i++) x[i] = i < 12 ? 100 + 0.1 * (i % 3) : 120 + 0.1 * (i % 2);
    cb_hist_cp_opts o = cp_opts();
    int fired = 0, at = 0;
    for (size_t n = 6; n <= 24; n++) {
        int yes = 0;
        assert_int_equal(cb_hist_newest_regression(x, n, &o, 3, &yes), CB_OK);
        if (yes) fired++, at = (int)n;
    }
    CB_ASSERT_INT(fired, 1);
    if (at > 15) fail_msg("fired with %d runs, want by 15", at);
}

/* ---- the database ---- */
static char dir[256];

static int setup_dir(void **state) {
    snprintf(dir, sizeof dir, "/tmp/cb_test_history_XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown_dir(void **state) {
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd);
}

static void make_run(cb_run *r, const char *id) {
    memset(r, 0, sizeof *r);
    r->run_id = cb_strdup(id);
    r->started_at = cb_strdup("2026-12-01T00:00:00Z");
    r->cbench_version = cb_strdup("test"); /* the writer wants one */
    r->host.hostname = cb_strdup("h");
    r->host.cpu = cb_strdup("c");
    for (int i = 0; i < 2; i++) {
        cb_result *x = cb_run_add(r);
        x->id = cb_asprintf("s/b%d", i);
        x->suite = cb_strdup("s");
        x->bench = cb_asprintf("b%d", i);
        x->analyzed = 1;
        x->an.est.mean = (cb_estimate){100.0 * (i + 1), 99, 101, 1, 0};
        x->an.est.median = (cb_estimate){100.0 * (i + 1), 99, 101, 1, 0};
    }
}

static long long count(const char *path, const char *sql) {
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    long long v = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static void a_run_is_recorded_once(void **state) {
    char path[300], msg[1024] = "";
    snprintf(path, sizeof path, "%s/h.sqlite", dir);
    cb_hist *h = NULL;
    cb_run r;
    make_run(&r, "run-1");
    cb_hist_meta m = {.label = "first"};
    int added = 0;
    assert_int_equal(cb_hist_open(path, CB_HIST_WRITE, &h, msg, sizeof msg), CB_OK);
    assert_int_equal(cb_hist_add_run(h, &r, &m, &added, msg, sizeof msg), CB_OK);
    CB_ASSERT_INT(added, 1);
    assert_int_equal(cb_hist_add_run(h, &r, &m, &added, msg, sizeof msg), CB_OK);
    CB_ASSERT_INT(added, 0);
    cb_hist_close(h);
    cb_run_free(&r);
    CB_ASSERT_INT(count(path, "SELECT count(*) FROM runs"), 1);
    CB_ASSERT_INT(count(path, "SELECT count(*) FROM results"), 2);
    CB_ASSERT_INT(count(path, "PRAGMA user_version"), CB_HIST_SCHEMA);
    CB_ASSERT_INT(
        count(path, "SELECT count(*) FROM results_view WHERE label = 'first' AND mean = 200"), 1);
}

/* A text column of the one row that sql selects; "" when there is none (owned by a static). */
static const char *text(const char *path, const char *sql) {
    static char buf[4096];
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    buf[0] = '\0';
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_text(st, 0))
        snprintf(buf, sizeof buf, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return buf;
}

/* The run written to file and read back, as an import sees it. */
static void through_file(const cb_run *run, const char *file, cb_run *read) {
    char msg[1024] = "";
    if (cb_results_write(run, file, msg, sizeof msg) != CB_OK) fail_msg("write %s: %s", file, msg);
    if (cb_results_read(file, read, msg, sizeof msg) != CB_OK) fail_msg("read %s: %s", file, msg);
}

/* A run recorded as it ran and the same run read back from its file (an import) store the same
 * configuration, GPU and dirty tree: the reader's model carries them, one function writes them. */
static void a_run_and_its_file_record_the_same_facts(void **state) {
    char path[300], file[300], msg[1024] = "";
    snprintf(path, sizeof path, "%s/h.sqlite", dir);
    snprintf(file, sizeof file, "%s/run.json", dir);
    cb_run live, read;
    make_run(&live, "live");
    live.config = (cb_config){.warm_up_time = 0.1,
                              .measurement_time = 0.3,
                              .sample_size = 20,
                              .nresamples = 1000,
                              .confidence_level = 0.95,
                              .significance_level = 0.05,
                              .noise_threshold = 0.01,
                              .sampling_mode = CB_SAMPLING_FLAT,
                              .seed = 9,
                              .cuda_graph = 1};
    live.host.git_commit = cb_strdup("abc");
    live.host.git_dirty = 1;
    live.n_gpus = 1;
    snprintf(live.gpus[0].name, sizeof live.gpus[0].name, "NVIDIA H200");
    live.gpus[0].sm_major = 9, live.gpus[0].driver = 12040, live.gpus[0].clock_mhz = 1980;
    live.results[1].timer = CB_TIMER_CUDA;
    through_file(&live, file, &read);
    CB_ASSERT_INT(read.host.git_dirty, 1);
    CB_ASSERT_INT(read.n_gpus, 1);
    CB_ASSERT_STR(read.gpus[0].name, "NVIDIA H200");
    CB_ASSERT_INT(read.gpus[0].sm_major, 9);
    CB_ASSERT_INT(read.gpus[0].driver, 12040);
    CB_ASSERT_NEAR(read.gpus[0].clock_mhz, 1980, 0);
    CB_ASSERT_INT(read.config.seed, 9);
    CB_ASSERT_INT(read.config.sampling_mode, CB_SAMPLING_FLAT);
    CB_ASSERT_NEAR(read.config.measurement_time, 0.3, 0);
    free(read.run_id);
    read.run_id = cb_strdup("imported");
    cb_hist *h = NULL;
    cb_hist_meta m = {0}, mi = {.source = file};
    int added = 0;
    assert_int_equal(cb_hist_open(path, CB_HIST_WRITE, &h, msg, sizeof msg), CB_OK);
    assert_int_equal(cb_hist_add_run(h, &live, &m, &added, msg, sizeof msg), CB_OK);
    assert_int_equal(cb_hist_add_run(h, &read, &mi, &added, msg, sizeof msg), CB_OK);
    cb_hist_close(h);
    cb_run_free(&live);
    cb_run_free(&read);
    static const char *const cols[] = {"config", "gpus", "git_dirty"};
    for (size_t i = 0; i < 3; i++) {
        char q[200], live_v[4096];
        snprintf(q, sizeof q, "SELECT %s FROM runs WHERE run_id = 'live'", cols[i]);
        snprintf(live_v, sizeof live_v, "%s", text(path, q));
        snprintf(q, sizeof q, "SELECT %s FROM runs WHERE run_id = 'imported'", cols[i]);
        if (!live_v[0] || strcmp(live_v, text(path, q)) != 0)
            fail_msg("%s: recorded as it ran \"%s\", imported \"%s\"", cols[i], live_v,
                     text(path, q));
    }
    CB_ASSERT_STR(text(path, "SELECT gpus FROM runs WHERE run_id = 'imported'"), "NVIDIA H200");
    CB_ASSERT_INT(count(path, "SELECT count(*) FROM results WHERE gpu = 'NVIDIA H200'"), 2);
    if (!strstr(text(path, "SELECT config FROM runs WHERE run_id = 'imported'"),
                "\"sampling_mode\":\"flat\""))
        fail_msg("config \"%s\" lost the sampling mode",
                 text(path, "SELECT config FROM runs LIMIT 1"));
}

/* Writes the bytes of path into buf; their count. */
static size_t slurp(const char *path, char *buf, size_t cap) {
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(buf, 1, cap, f) : 0;
    if (f) fclose(f);
    return n;
}

static void sql_file(const char *path, const char *sql) {
    sqlite3 *db = NULL;
    unlink(path);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

/* Opening path to write fails with a message naming it and holding want; the file is as it was. */
static void refused_unchanged(const char *path, const char *want) {
    static char before[1 << 16], after[1 << 16];
    size_t n0 = slurp(path, before, sizeof before), n1;
    char msg[1024] = "";
    cb_hist *h = NULL;
    int rc = cb_hist_open(path, CB_HIST_WRITE, &h, msg, sizeof msg);
    if (rc == CB_OK) fail_msg("%s was opened, want refused", path);
    if (!strstr(msg, path) || !strstr(msg, want) || strchr(msg, '\n'))
        fail_msg("message \"%s\", want one line naming %s with \"%s\"", msg, path, want);
    n1 = slurp(path, after, sizeof after);
    if (n0 != n1 || memcmp(before, after, n0) != 0)
        fail_msg("%s changed (%zu -> %zu bytes)", path, n0, n1);
}

static void bad_files_are_refused_and_left_as_they_were(void **state) {
    char path[300];
    snprintf(path, sizeof path, "%s/foreign.sqlite", dir);
    sql_file(path, "CREATE TABLE t (x); INSERT INTO t VALUES (1);");
    refused_unchanged(path, "not a cbench history");
    snprintf(path, sizeof path, "%s/newer.sqlite", dir);
    sql_file(
        path,
        "PRAGMA application_id = 1667393585; PRAGMA user_version = 99; CREATE TABLE runs (x);");
    refused_unchanged(path, "newer");
    snprintf(path, sizeof path, "%s/corrupt.sqlite", dir);
    FILE *f = fopen(path, "wb");
    for (int i = 0; i < 4096; i++) fputc((i * 7919) & 0xff, f);
    fclose(f);
    refused_unchanged(path, "not a database");
}

static int count_points(const cb_hist_series *s, void *ctx) {
    *(size_t *)ctx += s->n;
    return CB_OK;
}

/* Opens path (mode), reads its runs into rs; the points of all its series. */
static size_t read_back(const char *path, int mode, cb_hist_runs *rs) {
    char msg[1024] = "";
    cb_hist *h = NULL;
    size_t points = 0;
    if (cb_hist_open(path, mode, &h, msg, sizeof msg) != CB_OK ||
        cb_hist_load_runs(h, rs, msg, sizeof msg) != CB_OK ||
        cb_hist_each_series(h, rs, NULL, count_points, &points, msg, sizeof msg) != CB_OK)
        fail_msg("%s: %s", path, msg);
    cb_hist_close(h);
    return points;
}

/* Schema 1 as the first migration made it, with one run. */
static const char schema_1[] =
    "CREATE TABLE runs (run_key INTEGER PRIMARY KEY, run_id TEXT NOT NULL UNIQUE,"
    " started_at TEXT, host TEXT, cpu TEXT, machine TEXT NOT NULL, gpus TEXT,"
    " git_commit TEXT, git_dirty INTEGER, label TEXT, cbench_version TEXT, config TEXT,"
    " n_results INTEGER NOT NULL);"
    "CREATE TABLE benchmarks (bench_key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    " suite TEXT, bench TEXT, params TEXT);"
    "CREATE TABLE results (run_key INTEGER NOT NULL, bench_key INTEGER NOT NULL,"
    " device INTEGER NOT NULL, gpu TEXT, mean REAL, mean_lo REAL, mean_hi REAL,"
    " median REAL, median_lo REAL, median_hi REAL, std_dev REAL, flops_per_s REAL,"
    " flops_lo REAL, flops_hi REAL, bytes_per_s REAL, bytes_lo REAL, bytes_hi REAL,"
    " verified INTEGER, samples INTEGER NOT NULL, error TEXT);"
    "INSERT INTO runs (run_id, machine, n_results) VALUES ('old', 'm', 1);"
    "INSERT INTO benchmarks (id) VALUES ('s/b');"
    "INSERT INTO results (run_key, bench_key, device, mean, samples) VALUES (1, 1, -1, 5, 10);"
    "PRAGMA application_id = 1667393585; PRAGMA user_version = 1;";

/* Schema 2: schema 1 and the second migration as it was written. */
static const char schema_2[] =
    "ALTER TABLE runs ADD COLUMN source TEXT;"
    "CREATE VIEW results_view AS SELECT r.run_id, r.started_at, r.machine, r.git_commit, r.label,"
    " b.id AS benchmark, b.suite, b.bench, b.params, x.device, x.gpu, x.mean, x.mean_lo,"
    " x.mean_hi, x.median, x.median_lo, x.median_hi, x.std_dev, x.flops_per_s, x.bytes_per_s,"
    " x.verified, x.samples, x.error FROM results x JOIN runs r USING (run_key)"
    " JOIN benchmarks b USING (bench_key);"
    "PRAGMA user_version = 2;";

/* Opening an old history to write brings it to this build's schema with its run kept: a plain
 * run (kind 'run'), in its series, in the view. */
static void old_histories_are_migrated_with_their_runs(void **state) {
    for (int v = 1; v <= 2; v++) {
        char path[300], *sql = cb_asprintf("%s%s", schema_1, v == 2 ? schema_2 : "");
        snprintf(path, sizeof path, "%s/v%d.sqlite", dir, v);
        sql_file(path, sql);
        free(sql);
        cb_hist_runs rs = {0};
        CB_ASSERT_INT(read_back(path, CB_HIST_WRITE, &rs), 1);
        CB_ASSERT_INT(rs.n, 1);
        CB_ASSERT_INT(rs.r[0].kind, CB_HIST_RUN);
        cb_hist_runs_free(&rs);
        CB_ASSERT_INT(count(path, "PRAGMA user_version"), CB_HIST_SCHEMA);
        CB_ASSERT_INT(count(path,
                            "SELECT count(*) FROM runs WHERE run_id = 'old' AND source IS NULL"
                            " AND kind = 'run'"),
                      1);
        CB_ASSERT_INT(count(path, "SELECT count(*) FROM results_view WHERE run_id = 'old'"
                                  " AND kind = 'run' AND mean = 5"),
                      1);
    }
}

/* A history one schema newer than this build is refused to write and to read, and left as is. */
static void a_history_of_the_next_schema_is_refused(void **state) {
    char path[300], sql[256], msg[1024] = "";
    snprintf(path, sizeof path, "%s/next.sqlite", dir);
    snprintf(sql, sizeof sql,
             "PRAGMA application_id = 1667393585; PRAGMA user_version = %d;"
             " CREATE TABLE runs (x);",
             CB_HIST_SCHEMA + 1);
    sql_file(path, sql);
    refused_unchanged(path, "newer");
    cb_hist *h = NULL;
    assert_int_equal(cb_hist_open(path, CB_HIST_READ, &h, msg, sizeof msg), CB_ERR_FORMAT);
    if (!strstr(msg, "newer")) fail_msg("message \"%s\", want \"newer\"", msg);
}

/* The kinds this build knows are the ones the schema admits; the series hold plain runs only. */
static void every_kind_is_stored_and_only_plain_runs_make_a_series(void **state) {
    char path[300], msg[1024] = "";
    snprintf(path, sizeof path, "%s/kinds.sqlite", dir);
    cb_hist *h = NULL;
    cb_hist_meta m = {0};
    int added = 0;
    assert_int_equal(cb_hist_open(path, CB_HIST_WRITE, &h, msg, sizeof msg), CB_OK);
    for (int k = CB_HIST_RUN; k <= CB_HIST_BISECT; k++) {
        cb_run r;
        char id[16];
        snprintf(id, sizeof id, "run-%d", k);
        make_run(&r, id);
        assert_int_equal(cb_hist_add_run(h, &r, &m, &added, msg, sizeof msg), CB_OK);
        cb_run_free(&r);
    }
    cb_hist_close(h);
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    for (int k = CB_HIST_RUN; k <= CB_HIST_BISECT; k++) {
        char *sql = cb_asprintf("UPDATE runs SET kind = '%s' WHERE run_id = 'run-%d'",
                                cb_hist_kind_name((cb_hist_kind)k), k);
        if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
            fail_msg("kind '%s' refused: %s", cb_hist_kind_name((cb_hist_kind)k),
                     sqlite3_errmsg(db));
        free(sql);
    }
    if (sqlite3_exec(db, "UPDATE runs SET kind = 'other'", NULL, NULL, NULL) == SQLITE_OK)
        fail_msg("kind 'other' was stored, want refused by the schema");
    sqlite3_close(db);
    cb_hist_runs rs = {0};
    /* run-0's two benchmarks; the ab and bisect runs' are in no series */
    CB_ASSERT_INT(read_back(path, CB_HIST_READ, &rs), 2);
    CB_ASSERT_INT(rs.n, 3);
    for (size_t i = 0; i < rs.n; i++) CB_ASSERT_INT(rs.r[i].kind, (int)i);
    cb_hist_runs_free(&rs);
}

/* A newcomer's history: 10 runs of one benchmark, 10 % faster from run 6, with run 7 an ab run
 * (134.6 ns, another build measured side by side) among them. */
static const double newcomer[] = {131, 134, 130, 137, 132, 119, 134.6, 117, 121, 118};
enum { NEWCOMER_RUNS = 10, NEWCOMER_AB = 6, NEWCOMER_STEP = 5 };

typedef struct {
    double x[NEWCOMER_RUNS];
    size_t n;
} series_means;

static int keep_means(const cb_hist_series *s, void *ctx) {
    series_means *m = ctx;
    if (strcmp(s->id, "s/b0") != 0) return CB_OK;
    for (size_t i = 0; i < s->n && m->n < NEWCOMER_RUNS; i++) m->x[m->n++] = s->pt[i].mean;
    return CB_OK;
}

static void an_ab_run_no_longer_hides_a_step(void **state) {
    cb_hist_cp_opts o = cp_opts();
    cb_hist_change ch[8];
    size_t k = 0;
    int short_ = 0;
    /* the symptom: with the ab run's mean in the series, the step at run 6 is not found */
    assert_int_equal(cb_hist_changes(newcomer, NEWCOMER_RUNS, &o, 1, ch, 8, &k, &short_), CB_OK);
    for (size_t i = 0; i < k; i++)
        if (ch[i].at == NEWCOMER_STEP) fail_msg("the step was found with the ab run in the series");
    char path[300], msg[1024] = "";
    snprintf(path, sizeof path, "%s/newcomer.sqlite", dir);
    cb_hist *h = NULL;
    cb_hist_meta m = {0};
    int added = 0;
    assert_int_equal(cb_hist_open(path, CB_HIST_WRITE, &h, msg, sizeof msg), CB_OK);
    for (int i = 0; i < NEWCOMER_RUNS; i++) {
        cb_run r;
        char id[16];
        snprintf(id, sizeof id, "run-%02d", i + 1);
        make_run(&r, id);
        free(r.started_at);
        r.started_at = cb_asprintf("2026-12-%02dT00:00:00Z", i + 1);
        r.results[0].an.est.mean =
            (cb_estimate){newcomer[i], newcomer[i] - 1, newcomer[i] + 1, 0.5, 0};
        if (i == NEWCOMER_AB)
            r.ab_old = cb_strdup("old/plugin.so"), r.ab_new = cb_strdup("new/plugin.so");
        assert_int_equal(cb_hist_add_run(h, &r, &m, &added, msg, sizeof msg), CB_OK);
        cb_run_free(&r);
    }
    cb_hist_runs rs = {0};
    series_means got = {{0}, 0};
    assert_int_equal(cb_hist_load_runs(h, &rs, msg, sizeof msg), CB_OK);
    assert_int_equal(cb_hist_each_series(h, &rs, NULL, keep_means, &got, msg, sizeof msg), CB_OK);
    CB_ASSERT_INT(rs.n, NEWCOMER_RUNS); /* the list holds every run, the ab run marked */
    for (size_t i = 0; i < rs.n; i++)
        CB_ASSERT_INT(rs.r[i].kind, i == NEWCOMER_AB ? CB_HIST_AB : CB_HIST_RUN);
    cb_hist_runs_free(&rs);
    cb_hist_close(h);
    /* the series leaves the ab run out, and the step is found at run 6: 10 % faster */
    CB_ASSERT_INT(got.n, NEWCOMER_RUNS - 1);
    assert_int_equal(cb_hist_changes(got.x, got.n, &o, 1, ch, 8, &k, &short_), CB_OK);
    CB_ASSERT_INT(k, 1);
    CB_ASSERT_INT(ch[0].at, NEWCOMER_STEP);
    CB_ASSERT_INT(ch[0].direction, -1);
    CB_ASSERT_NEAR(ch[0].ratio, 118.5 / 132, 1e-12); /* medians after / before */
}

/* The run file of `cbench ab`, imported, is an ab run too: the reader keeps its sides. */
static void an_imported_ab_run_file_is_an_ab_run(void **state) {
    char path[300], file[300], msg[1024] = "";
    snprintf(path, sizeof path, "%s/h.sqlite", dir);
    snprintf(file, sizeof file, "%s/ab.json", dir);
    cb_run ab, read;
    make_run(&ab, "ab-run");
    ab.ab_old = cb_strdup("old/plugin.so"), ab.ab_new = cb_strdup("new/plugin.so");
    through_file(&ab, file, &read);
    cb_run_free(&ab);
    CB_ASSERT_STR(read.ab_old, "old/plugin.so");
    CB_ASSERT_STR(read.ab_new, "new/plugin.so");
    cb_hist *h = NULL;
    cb_hist_meta m = {.source = file};
    int added = 0;
    assert_int_equal(cb_hist_open(path, CB_HIST_WRITE, &h, msg, sizeof msg), CB_OK);
    assert_int_equal(cb_hist_add_run(h, &read, &m, &added, msg, sizeof msg), CB_OK);
    cb_hist_close(h);
    cb_run_free(&read);
    CB_ASSERT_STR(text(path, "SELECT kind FROM runs WHERE run_id = 'ab-run'"), "ab");
}

static void reading_a_missing_history_names_it(void **state) {
    char path[300], msg[1024] = "";
    snprintf(path, sizeof path, "%s/none.sqlite", dir);
    cb_hist *h = NULL;
    assert_int_equal(cb_hist_open(path, CB_HIST_READ, &h, msg, sizeof msg), CB_ERR_USAGE);
    if (!strstr(msg, path)) fail_msg("message \"%s\" does not name %s", msg, path);
    if (access(path, F_OK) == 0) fail_msg("%s was created by a read", path);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(qhat_matches_the_hand_value),
        cmocka_unit_test(fast_scan_finds_the_numpy_maximum),
        cmocka_unit_test(fast_scan_equals_the_definition_everywhere),
        cmocka_unit_test(detect_finds_the_step_with_a_permutation_p),
        cmocka_unit_test(detect_finds_nothing_in_noise),
        cmocka_unit_test(changes_give_medians_ratio_ci_and_direction),
        cmocka_unit_test(a_series_under_six_runs_is_too_short),
        cmocka_unit_test(newest_regression_fires_once),
        cmocka_unit_test_setup_teardown(a_run_is_recorded_once, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(a_run_and_its_file_record_the_same_facts, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(bad_files_are_refused_and_left_as_they_were, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(old_histories_are_migrated_with_their_runs, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(a_history_of_the_next_schema_is_refused, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(every_kind_is_stored_and_only_plain_runs_make_a_series,
                                        setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(an_ab_run_no_longer_hides_a_step, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(an_imported_ab_run_file_is_an_ab_run, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(reading_a_missing_history_names_it, setup_dir,
                                        teardown_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
