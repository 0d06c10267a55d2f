/* SPDX-License-Identifier: MIT */
/* history_db.c - opens the history database: refuses corrupt, foreign and newer files without
 * writing to them, turns on WAL and a busy timeout for concurrent runs, migrates the schema. */
#include "cb_error.h"
#include "cb_hist.h"
#include "cb_hist_sql.h"
#include "cb_util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define BUSY_MS  30000 /* a writer waits this long for another run's transaction */
#define RETRY_MS 20    /* between tries of a setup that met another run's lock */

/* Schema migrations: entry v takes a database from user_version v to v + 1 (docs/history.md). */
static const char *const migrations[CB_HIST_SCHEMA] = {
    /* 0 -> 1: runs, benchmarks and their results */
    "CREATE TABLE runs (run_key INTEGER PRIMARY KEY, run_id TEXT NOT NULL UNIQUE,"
    " started_at TEXT, host TEXT, cpu TEXT, machine TEXT NOT NULL, gpus TEXT, git_commit TEXT,"
    " git_dirty INTEGER, label TEXT, cbench_version TEXT, config TEXT, n_results INTEGER NOT NULL);"
    "CREATE INDEX runs_time ON runs(started_at, run_key);"
    "CREATE TABLE benchmarks (bench_key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, suite TEXT,"
    " bench TEXT, params TEXT);"
    "CREATE TABLE results (run_key INTEGER NOT NULL REFERENCES runs(run_key) ON DELETE CASCADE,"
    " bench_key INTEGER NOT NULL REFERENCES benchmarks(bench_key), device INTEGER NOT NULL,"
    " gpu TEXT, mean REAL, mean_lo REAL, mean_hi REAL, median REAL, median_lo REAL,"
    " median_hi REAL, std_dev REAL, flops_per_s REAL, flops_lo REAL, flops_hi REAL,"
    " bytes_per_s REAL, bytes_lo REAL, bytes_hi REAL, verified INTEGER, samples INTEGER NOT NULL,"
    " error TEXT);"
    "CREATE INDEX results_series ON results(bench_key, device, run_key);",
    /* 1 -> 2: where an imported run came from; one view joining the three tables */
    "ALTER TABLE runs ADD COLUMN source TEXT;"
    "CREATE VIEW results_view AS SELECT r.run_id, r.started_at, r.machine, r.git_commit, r.label,"
    " b.id AS benchmark, b.suite, b.bench, b.params, x.device, x.gpu, x.mean, x.mean_lo,"
    " x.mean_hi, x.median, x.median_lo, x.median_hi, x.std_dev, x.flops_per_s, x.bytes_per_s,"
    " x.verified, x.samples, x.error FROM results x JOIN runs r USING (run_key)"
    " JOIN benchmarks b USING (bench_key);",
    /* 2 -> 3: what each run was; a run recorded before is a plain run (nothing in it tells an
     * ab run apart); the view gains the kind */
    "ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'run'"
    " CHECK (kind IN ('run', 'ab', 'bisect'));"
    "DROP VIEW results_view;"
    "CREATE VIEW results_view AS SELECT r.run_id, r.started_at, r.machine, r.git_commit, r.label,"
    " b.id AS benchmark, b.suite, b.bench, b.params, x.device, x.gpu, x.mean, x.mean_lo,"
    " x.mean_hi, x.median, x.median_lo, x.median_hi, x.std_dev, x.flops_per_s, x.bytes_per_s,"
    " x.verified, x.samples, x.error, r.kind FROM results x JOIN runs r USING (run_key)"
    " JOIN benchmarks b USING (bench_key);",
    /* 3 -> 4: items per second, the memory readings and the user metrics of each result
     * (docs/writing-suites.md, "Metrics"); a result's skipped points are never recorded */
    "ALTER TABLE results ADD COLUMN items_per_s REAL;"
    "ALTER TABLE results ADD COLUMN peak_rss INTEGER;"
    "ALTER TABLE results ADD COLUMN peak_device INTEGER;"
    "CREATE TABLE metrics (run_key INTEGER NOT NULL REFERENCES runs(run_key) ON DELETE CASCADE,"
    " bench_key INTEGER NOT NULL REFERENCES benchmarks(bench_key), device INTEGER NOT NULL,"
    " name TEXT NOT NULL, unit TEXT, higher_is_better INTEGER NOT NULL, mean REAL, mean_lo REAL,"
    " mean_hi REAL, samples INTEGER NOT NULL);"
    "CREATE INDEX metrics_series ON metrics(bench_key, name, device, run_key);",
};

/* As runs.kind holds them: the CHECK of migration 2 -> 3 admits exactly these. */
static const char *const kind_names[] = {"run", "ab", "bisect"};

const char *cb_hist_kind_name(cb_hist_kind k) {
    return (size_t)k < sizeof kind_names / sizeof kind_names[0] ? kind_names[k] : "unknown";
}

const char *cb_hist_path(const cb_hist *h) { return h->path; }

int cb_hist_fail(cb_hist *h, const char *what, char *msg, size_t msgsz) {
    int e = sqlite3_errcode(h->db);
    const char *hint = e == SQLITE_NOTADB || e == SQLITE_CORRUPT
                           ? " (damaged or not a history: move it away and a new one starts)"
                           : "";
    snprintf(msg, msgsz, "history %s: %s: %s%s", h->path, what, sqlite3_errmsg(h->db), hint);
    return e == SQLITE_NOMEM ? CB_ERR_NOMEM : CB_ERR_IO;
}

void cb_hist_close(cb_hist *h) {
    if (!h) return;
    sqlite3_close_v2(h->db);
    free(h->path);
    free(h);
}

char *cb_hist_default_path(const cb_config *c) {
    if (c->no_history) return NULL;
    return c->history ? cb_strdup(c->history) : cb_asprintf("%s/history.sqlite", c->output_dir);
}

/* A one-row integer query (PRAGMA or count); CB_OK and *v. */
static int int_query(cb_hist *h, const char *sql, long long *v) {
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(h->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    *v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? CB_OK : CB_ERR_IO;
}

/* A statement without parameters or rows (pragmas, transactions, the schema). */
static int run_sql(cb_hist *h, const char *sql) {
    return sqlite3_exec(h->db, sql, NULL, NULL, NULL) == SQLITE_OK ? CB_OK : CB_ERR_IO;
}

typedef struct {
    long long app, version, objects;
} ident;

/* The three reads come from one snapshot (a read transaction unless the caller holds one):
 * read one by one, a first run migrating in between looks like another program's file. */
static int identify(cb_hist *h, ident *id, char *msg, size_t msgsz) {
    const int own = sqlite3_get_autocommit(h->db);
    int bad = own && run_sql(h, "BEGIN");
    bad = bad || int_query(h, "PRAGMA application_id", &id->app) ||
          int_query(h, "PRAGMA user_version", &id->version) ||
          int_query(h, "SELECT count(*) FROM sqlite_master", &id->objects);
    if (bad) {
        int rc = cb_hist_fail(h, "cannot be read", msg, msgsz);
        if (own && !sqlite3_get_autocommit(h->db)) run_sql(h, "ROLLBACK");
        return rc;
    }
    if (own && run_sql(h, "COMMIT")) return cb_hist_fail(h, "cannot be read", msg, msgsz);
    int fresh = id->app == 0 && id->version == 0 && id->objects == 0;
    if (!fresh && id->app != CB_HIST_APP_ID)
        return snprintf(msg, msgsz,
                        "history %s: an SQLite database of another program "
                        "(application_id %lld), not a cbench history: left as it is",
                        h->path, id->app),
               CB_ERR_FORMAT;
    if (id->version > CB_HIST_SCHEMA)
        return snprintf(msg, msgsz,
                        "history %s: schema version %lld is newer than this cbench's %d: "
                        "refused and left as it is (use a newer cbench)",
                        h->path, id->version, CB_HIST_SCHEMA),
               CB_ERR_FORMAT;
    return CB_OK;
}

/* Brings the schema to CB_HIST_SCHEMA in one transaction; a concurrent first run waits. */
static int migrate(cb_hist *h, char *msg, size_t msgsz) {
    ident id;
    if (run_sql(h, "BEGIN IMMEDIATE")) return cb_hist_fail(h, "cannot lock", msg, msgsz);
    int rc = identify(h, &id, msg, msgsz); /* again: another run may have migrated it */
    if (!rc && id.version < CB_HIST_SCHEMA) {
        char pragma[64];
        for (long long v = id.version; !rc && v < CB_HIST_SCHEMA; v++)
            if (run_sql(h, migrations[v])) rc = cb_hist_fail(h, "cannot migrate", msg, msgsz);
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", CB_HIST_SCHEMA);
        if (!rc && run_sql(h, pragma)) rc = cb_hist_fail(h, "cannot migrate", msg, msgsz);
        snprintf(pragma, sizeof pragma, "PRAGMA application_id = %d", CB_HIST_APP_ID);
        if (!rc && run_sql(h, pragma)) rc = cb_hist_fail(h, "cannot migrate", msg, msgsz);
    }
    if (!rc && run_sql(h, "COMMIT")) rc = cb_hist_fail(h, "cannot commit", msg, msgsz);
    if (rc) run_sql(h, "ROLLBACK");
    return rc;
}

/* Identifies, turns on WAL and migrates. Two first runs racing on a fresh file can get
 * SQLITE_BUSY here without the busy handler being asked (the journal-mode switch and the
 * first read of a file another connection is turning into WAL), so the caller retries. */
static int setup(cb_hist *h, int mode, char *msg, size_t msgsz) {
    ident id;
    int rc = identify(h, &id, msg, msgsz); /* before anything writes to the file */
    if (!rc && mode == CB_HIST_READ && id.version < CB_HIST_SCHEMA)
        rc = (snprintf(msg, msgsz,
                       "history %s: schema version %lld: record a run or import into "
                       "it to upgrade it",
                       h->path, id.version),
              CB_ERR_FORMAT);
    if (!rc && mode == CB_HIST_WRITE &&
        (run_sql(h, "PRAGMA journal_mode = WAL") || run_sql(h, "PRAGMA synchronous = NORMAL")))
        rc = cb_hist_fail(h, "cannot set up", msg, msgsz);
    if (!rc && mode == CB_HIST_WRITE) rc = migrate(h, msg, msgsz);
    if (!rc && run_sql(h, "PRAGMA foreign_keys = ON"))
        rc = cb_hist_fail(h, "cannot set up", msg, msgsz);
    return rc;
}

static int is_busy(cb_hist *h) {
    int e = sqlite3_errcode(h->db);
    return e == SQLITE_BUSY || e == SQLITE_LOCKED;
}

int cb_hist_open(const char *path, int mode, cb_hist **out, char *msg, size_t msgsz) {
    struct stat st;
    *out = NULL;
    if (mode == CB_HIST_READ && stat(path, &st) != 0)
        return snprintf(msg, msgsz, "history %s: %s (runs record one; see --output-dir, --history)",
                        path, strerror(errno)),
               CB_ERR_USAGE;
    cb_hist *h = calloc(1, sizeof *h);
    if (!h || !(h->path = cb_strdup(path)))
        return free(h), snprintf(msg, msgsz, "out of memory"), CB_ERR_NOMEM;
    int flags =
        mode == CB_HIST_WRITE ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
    int rc = CB_OK;
    if (sqlite3_open_v2(path, &h->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
        rc = cb_hist_fail(h, "cannot open", msg, msgsz);
    if (!rc) sqlite3_busy_timeout(h->db, BUSY_MS);
    if (!rc) rc = setup(h, mode, msg, msgsz);
    for (int waited = 0; rc && is_busy(h) && waited < BUSY_MS; waited += RETRY_MS) {
        const struct timespec pause = {0, RETRY_MS * 1000000L};
        nanosleep(&pause, NULL);
        rc = setup(h, mode, msg, msgsz);
    }
    if (rc) return cb_hist_close(h), rc;
    *out = h;
    return CB_OK;
}
