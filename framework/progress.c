/* SPDX-License-Identifier: MIT */
/* progress.c - one live line per benchmark on a terminal, plain phase lines otherwise. */
#include "cb_internal.h"

static const char *const cb__phase_names[] = {"warming up", "sampling", "analyzing"};

void cb_progress_cb(void *ctx, cb_phase phase, size_t done, size_t total) {
    cb_progress *p = ctx;
    int64_t now = cb_timer_now_ns();
    if (!p->tty) { /* a log gets one line per phase, never a stream of updates */
        if ((int)phase == p->last_phase) return;
        p->last_phase = (int)phase;
        fprintf(p->f, "Benchmarking %s: %s\n", p->id, cb__phase_names[phase]);
        fflush(p->f);
        return;
    }
    /* A terminal is redrawn at most every 50 ms so slow terminals do not slow the run. */
    if ((int)phase == p->last_phase && now - p->last_draw_ns < 50000000 && done != total) return;
    p->last_phase = (int)phase;
    p->last_draw_ns = now;
    if (phase == CB_PHASE_WARMUP)
        fprintf(p->f, "\r\033[K%s: warming up %.1f/%.1f s", p->id, (double)done / 1e3, (double)total / 1e3);
    else if (phase == CB_PHASE_SAMPLING && total)
        fprintf(p->f, "\r\033[K%s: sampling %zu/%zu", p->id, done, total);
    else if (phase == CB_PHASE_SAMPLING)
        fprintf(p->f, "\r\033[K%s: sampling %zu (until precise)", p->id, done);
    else
        fprintf(p->f, "\r\033[K%s: analyzing", p->id);
    fflush(p->f);
}

void cb_progress_done(cb_progress *p) {
    if (p->tty) fprintf(p->f, "\r\033[K");
    fflush(p->f);
    p->last_phase = -1;
}
