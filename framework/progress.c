/* SPDX-License-Identifier: MIT */
/* progress.c - one live line per benchmark on a terminal, plain phase lines otherwise. */
#include "cb_measure.h"

static const char *const phase_names[] = {"warming up", "sampling", "analyzing"};

/* "[3/33] " where the run said how many benchmarks it has. */
static void format_position(const cb_progress *p, char *buf, size_t n) {
    if (p->total)
        snprintf(buf, n, "[%zu/%zu] ", p->pos, p->total);
    else
        buf[0] = '\0';
}

static void dur(double s, char *buf, size_t n) {
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, n, "%ldh%02ldm", t / 3600, t / 60 % 60);
    else if (t >= 60)
        snprintf(buf, n, "%ldm%02lds", t / 60, t % 60);
    else
        snprintf(buf, n, "%lds", t);
}

/* " · 1m23s elapsed, ~4m10s left": the benchmarks still to run at the mean time of those done
 * (before the first, the warm-up and measurement times), less what this one has taken. */
static void format_eta(const cb_progress *p, int64_t now, char *buf, size_t n) {
    buf[0] = '\0';
    if (!p->total || !p->run_start_ns) return;
    double elapsed = (double)(now - p->run_start_ns) / 1e9;
    double before = (double)(p->bench_start_ns - p->run_start_ns) / 1e9;
    double per = p->done ? before / (double)p->done : p->per_bench_s;
    double left = per * (double)(p->total - p->done) - (double)(now - p->bench_start_ns) / 1e9;
    char e[32], l[32];
    dur(elapsed, e, sizeof e);
    dur(left > 0 ? left : 0, l, sizeof l);
    snprintf(buf, n, " · %s elapsed, ~%s left", e, l);
}

void cb_progress_begin(cb_progress *p, const char *id, size_t pos) {
    int64_t now = cb_timer_now_ns();
    if (!p->run_start_ns) p->run_start_ns = now;
    p->bench_start_ns = now;
    p->id = id;
    p->pos = pos;
    p->last_phase = -1;
}

void cb_progress_cb(void *ctx, cb_phase phase, size_t done, size_t total) {
    cb_progress *p = ctx;
    int64_t now = cb_timer_now_ns();
    if (!p->tty) { /* a log gets one line per phase, never a stream of updates */
        if ((int)phase == p->last_phase) return;
        p->last_phase = (int)phase;
        char pos[48];
        format_position(p, pos, sizeof pos);
        fprintf(p->f, "Benchmarking %s%s: %s\n", pos, p->id, phase_names[phase]);
        fflush(p->f);
        return;
    }
    /* A terminal is redrawn at most every 50 ms so slow terminals do not slow the run. */
    if ((int)phase == p->last_phase && now - p->last_draw_ns < 50000000 && done != total) return;
    p->last_phase = (int)phase;
    p->last_draw_ns = now;
    char pos[48], eta[96];
    format_position(p, pos, sizeof pos);
    format_eta(p, now, eta, sizeof eta);
    if (phase == CB_PHASE_WARMUP)
        fprintf(p->f, "\r\033[K%s%s: warming up %.1f/%.1f s%s", pos, p->id, (double)done / 1e3,
                (double)total / 1e3, eta);
    else if (phase == CB_PHASE_SAMPLING && total)
        fprintf(p->f, "\r\033[K%s%s: sampling %zu/%zu%s", pos, p->id, done, total, eta);
    else if (phase == CB_PHASE_SAMPLING)
        fprintf(p->f, "\r\033[K%s%s: sampling %zu (until precise)%s", pos, p->id, done, eta);
    else
        fprintf(p->f, "\r\033[K%s%s: analyzing%s", pos, p->id, eta);
    fflush(p->f);
}

void cb_progress_done(cb_progress *p) {
    if (p->tty) fprintf(p->f, "\r\033[K");
    fflush(p->f);
    p->last_phase = -1;
}
