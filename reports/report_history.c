/* SPDX-License-Identifier: MIT */
/* report_history.c - the report's History section: each benchmark's series in the run history
 * beside the run files (docs/history.md), its change points, and the table of its changes. */
#include "report_write.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MIN_RUNS 3 /* a trend needs this many runs */

/* history.sqlite in the output directory of the first run file: the parent of runs/, or the
 * directory of latest.json. */
static char *history_path(const cb_report *r) {
    if (r->history) return cb_strdup(r->history);
    if (!r->input) return NULL;
    char *dir = cb_strdup(r->input);
    if (!dir) return NULL;
    char *slash = strrchr(dir, '/');
    if (!slash)
        strcpy(dir, ".");
    else
        *slash = '\0';
    char *last = strrchr(dir, '/');
    const char *base = last ? last + 1 : dir;
    if (strcmp(base, "runs") == 0) {
        if (last)
            *last = '\0';
        else
            strcpy(dir, ".");
    }
    char *p = cb_asprintf("%s/history.sqlite", dir[0] ? dir : "/");
    free(dir);
    return p;
}

typedef struct {
    const cb_report *r;
    const cb_rp_bench *x;
    const cb_hist_runs *rs;
    int score;       /* of the series kept: 2 holds this run, 1 same machine and device */
    cb_rp_hist *out; /* filled from the best series */
    uint64_t key;
} series_pick;

static int holds_run(const cb_hist_series *s, const cb_hist_runs *rs, const char *run_id) {
    for (size_t i = 0; run_id && i < s->n; i++)
        if (strcmp(rs->r[s->pt[i].run].run_id, run_id) == 0) return 1;
    return 0;
}

static void hist_clear(cb_rp_hist *h) {
    for (size_t i = 0; i < h->n; i++) {
        free(h->label[i]), free(h->run_id[i]), free(h->commit[i]), free(h->date[i]);
    }
    free(h->mean), free(h->lo), free(h->hi), free(h->label), free(h->run_id), free(h->commit),
        free(h->date);
    memset(h, 0, sizeof *h);
}

/* A commit as hex (12 characters) when the run has one, else its date and time. */
static char *run_label(const cb_hist_run *run) {
    const char *c = run->commit;
    size_t hex = c ? strspn(c, "0123456789abcdef") : 0;
    if (c && hex >= 7 && !c[hex]) return cb_asprintf("%.7s%s", c, run->dirty ? "+" : "");
    const char *d = run->started_at ? run->started_at : "?";
    return cb_asprintf("%.5s %.5s", strlen(d) >= 16 ? d + 5 : d, strlen(d) >= 16 ? d + 11 : "");
}

static int copy_series(series_pick *p, const cb_hist_series *s) {
    cb_rp_hist *h = p->out;
    hist_clear(h);
    size_t n = s->n;
    h->mean = malloc(n * sizeof *h->mean), h->lo = malloc(n * sizeof *h->lo),
    h->hi = malloc(n * sizeof *h->hi);
    h->label = calloc(n, sizeof *h->label), h->run_id = calloc(n, sizeof *h->run_id);
    h->commit = calloc(n, sizeof *h->commit), h->date = calloc(n, sizeof *h->date);
    if (!h->mean || !h->lo || !h->hi || !h->label || !h->run_id || !h->commit || !h->date)
        return CB_ERR_NOMEM;
    h->n = n;
    for (size_t i = 0; i < n; i++) {
        const cb_hist_run *run = &p->rs->r[s->pt[i].run];
        h->mean[i] = s->pt[i].mean, h->lo[i] = s->pt[i].lo, h->hi[i] = s->pt[i].hi;
        h->label[i] = run_label(run);
        h->run_id[i] = cb_strdup(run->run_id ? run->run_id : "");
        h->commit[i] = cb_strdup(run->commit ? run->commit : "");
        h->date[i] = cb_strdup(run->started_at ? run->started_at : "");
        if (!h->label[i] || !h->run_id[i] || !h->commit[i] || !h->date[i]) return CB_ERR_NOMEM;
    }
    char *where = cb_asprintf("%s%s%s", s->machine ? s->machine : "?", s->gpu ? ", " : "",
                              s->gpu ? s->gpu : "");
    if (!where) return CB_ERR_NOMEM;
    /* the key `cbench history --changes` uses, so both find the same change points */
    p->key = cb_hash64(s->id) ^ cb_hash64(where) ^ (uint64_t)(s->device + 1);
    free(where);
    return CB_OK;
}

/* The series of this bench: the one holding the report's run, else one on its machine. */
static int pick_series(const cb_hist_series *s, void *ctx) {
    series_pick *p = ctx;
    const cb_run *run = &p->r->runs[p->x->run].m;
    const cb_host *host = &run->host;
    char *machine =
        cb_asprintf("%s / %s", host->hostname ? host->hostname : "?", host->cpu ? host->cpu : "?");
    if (!machine) return CB_ERR_NOMEM;
    int score = holds_run(s, p->rs, run->run_id)                                              ? 2
                : s->device == p->x->device && s->machine && strcmp(s->machine, machine) == 0 ? 1
                                                                                              : 0;
    free(machine);
    if (score <= p->score || s->n < MIN_RUNS) return CB_OK;
    p->score = score;
    return copy_series(p, s);
}

static int bench_history(cb_report *r, cb_hist *h, const cb_hist_runs *rs, int i, char *msg,
                         size_t msgsz) {
    cb_rp_hist *slot = &r->hist[r->n_hist];
    memset(slot, 0, sizeof *slot);
    series_pick p = {.r = r, .x = &r->b[i], .rs = rs, .out = slot};
    int rc = cb_hist_each_series(h, rs, r->b[i].id, pick_series, &p, msg, msgsz);
    if (rc || !p.score) return hist_clear(slot), rc;
    cb_hist_cp_opts o;
    cb_hist_cp_defaults(&o);
    slot->bench = i;
    rc = cb_hist_changes(slot->mean, slot->n, &o, p.key, slot->ch, 16, &slot->n_ch,
                         &slot->too_short);
    if (rc) return hist_clear(slot), rc;
    r->n_hist++;
    return CB_OK;
}

int cb_rp_history(cb_report *r) {
    struct stat st;
    char msg[1024] = "";
    if (r->no_history) return CB_OK;
    char *path = history_path(r);
    if (!path) return r->input ? CB_ERR_NOMEM : CB_OK;
    if (!r->history && stat(path, &st) != 0) return free(path), CB_OK; /* no history: no section */
    cb_hist *h = NULL;
    cb_hist_runs rs = {0};
    int rc = cb_hist_open(path, CB_HIST_READ, &h, msg, sizeof msg);
    if (!rc) rc = cb_hist_load_runs(h, &rs, msg, sizeof msg);
    if (!rc && !(r->hist = calloc(r->n + 1, sizeof *r->hist))) rc = CB_ERR_NOMEM;
    for (size_t i = 0; !rc && i < r->n; i++)
        if (cb_rp_usable(&r->b[i])) rc = bench_history(r, h, &rs, (int)i, msg, sizeof msg);
    cb_hist_runs_free(&rs);
    cb_hist_close(h);
    if (rc == CB_ERR_NOMEM) return free(path), rc;
    if (rc) { /* the report goes on without the section, and says why */
        cb_rp_history_free(r);
        rc = cb_rp_note(r, "no History section: %s", msg);
        free(path);
        return rc;
    }
    r->hist_path = path;
    return CB_OK;
}

void cb_rp_history_free(cb_report *r) {
    for (size_t i = 0; i < r->n_hist; i++) hist_clear(&r->hist[i]);
    free(r->hist);
    free(r->hist_path);
    r->hist = NULL, r->hist_path = NULL, r->n_hist = 0;
}

const cb_rp_hist *cb_rp_hist_of(const cb_report *r, int bench) {
    for (size_t i = 0; i < r->n_hist; i++)
        if (r->hist[i].bench == bench) return &r->hist[i];
    return NULL;
}

int cb_rp_md_has_history(const cb_report *r) { return r->n_hist > 0; }

/* A change point's direction (-1 faster, 0 within the noise threshold, 1 slower) in the words of
 * every verdict. */
static const char *change_words(int direction) {
    return cb_verdict_words(direction < 0   ? CB_VERDICT_IMPROVED
                            : direction > 0 ? CB_VERDICT_REGRESSED
                                            : CB_VERDICT_WITHIN_NOISE);
}

static void changes_table(const cb_rp_hist *h, cb_rp_buf *b) {
    if (h->too_short) {
        cb_rp_printf(b, "%zu runs: too short to look for change points (6 needed).\n\n", h->n);
        return;
    }
    if (!h->n_ch) {
        cb_rp_printf(b, "No change point in %zu runs.\n\n", h->n);
        return;
    }
    cb_rp_puts(b, "| First run after the change | Commit | Date | Median before | Median after | "
                  "Change [95 % CI] | p | Verdict |\n|---|---|---|---:|---:|---:|---:|---|\n");
    for (size_t k = 0; k < h->n_ch; k++) {
        const cb_hist_change *c = &h->ch[k];
        char p[32];
        cb_rp_printf(b, "| %zu of %zu: ", c->at + 1, h->n);
        cb_rp_md(b, h->run_id[c->at]);
        cb_rp_puts(b, " | ");
        char commit[16];
        snprintf(commit, sizeof commit, "%.12s", h->commit[c->at][0] ? h->commit[c->at] : "—");
        cb_rp_md(b, commit);
        cb_rp_puts(b, " | ");
        cb_rp_md(b, h->date[c->at]);
        cb_rp_puts(b, " | ");
        cb_rp_time(b, c->before);
        cb_rp_puts(b, " | ");
        cb_rp_time(b, c->after);
        cb_rp_printf(b, " | %+.2f %% [%+.2f, %+.2f] | %s | %s%s%s |\n", (c->ratio - 1) * 100,
                     (c->lo - 1) * 100, (c->hi - 1) * 100, cb_fmt_p(c->p, p, sizeof p),
                     c->direction > 0 ? "**" : "", change_words(c->direction),
                     c->direction > 0 ? "**" : "");
    }
    cb_rp_puts(b, "\n");
}

void cb_rp_md_history(const cb_report *r, cb_rp_buf *b) {
    cb_rp_puts(b, "Every benchmark with at least 3 runs in ");
    cb_rp_md(b, r->hist_path);
    cb_rp_puts(b, ": the mean of each run with its CI, in the order the runs started, labelled by "
                  "commit (or date); dashed lines mark change points found by e-divisive means "
                  "with a permutation test (red: slower, green: faster, grey: within the noise "
                  "threshold), and the line shows the median of each segment "
                  "(docs/history.md).\n\n");
    for (size_t i = 0; i < r->n_hist; i++) {
        const cb_rp_hist *h = &r->hist[i];
        cb_rp_puts(b, "**");
        cb_rp_md_id(b, &r->b[h->bench]);
        cb_rp_puts(b, "**\n\n");
        cb_rp_md_image(r, b, CB_RP_HISTORY, h->bench, "trend of the mean over the runs");
        changes_table(h, b);
    }
}
