/* SPDX-License-Identifier: MIT */
/* once.c - every selected point once, no statistics and no run file: --dry-run (setup, verify,
 * one call, verify again, teardown, each point in its own worker; a per-PR smoke run) and
 * --profile (setup, verify, one untimed and one timed plain call in this process, each inside
 * an NVTX range "cbench/<id>/<phase>" for Nsight Compute and Nsight Systems; docs/profiling.md). */
#include "cb_error.h"
#include "cb_measure.h"
#include "cb_member.h"
#include "cb_runner.h"
#include "cb_util.h"

#include <stdlib.h>
#include <string.h>

#ifdef CB_HAVE_NVTX
#include <nvtx3/nvToolsExt.h>
#define RANGE_PUSH(name) nvtxRangePushA(name)
#define RANGE_POP()      nvtxRangePop()
#define HAVE_RANGES      1
#else
#define RANGE_PUSH(name) ((void)(name))
#define RANGE_POP()      ((void)0)
#define HAVE_RANGES      0
#endif

typedef struct tally {
    size_t ran, failed, skipped;
    double wall_ns;
    int cuda_off;
} tally;

/* "  12.3 ms  passed   suite/bench/n=64" and, for a failure or a skip, why. */
static void line(FILE *f, double ns, const char *what, const char *id, const char *why) {
    char t[32];
    fprintf(f, "%10s  %-8s %s%s%s\n", ns >= 0 ? cb_fmt_time(ns, t, sizeof t) : "", what, id,
            why && *why ? ": " : "", why && *why ? why : "");
}

/* --dry-run: one point in its worker (member.c), so that a crash fails it alone. */
static void dry_point(const cb_config *c, const cb_point *p, tally *x) {
    cb_member m;
    int64_t t0 = cb_timer_now_ns(), deadline = t0 + (int64_t)(c->timeout * 1e9);
    double ns = 0;
    if (cb_member_start(&m, c, p, -1, deadline) != CB_OK) {
        x->failed++;
        line(stdout, -1, "FAILED", p->id, "cannot start its worker");
        return;
    }
    int ok = !m.fail && !m.skipped && !m.skip[0];
    if (ok) ok = cb_member_time(&m, 1, deadline, &ns, NULL, NULL, NULL) == CB_OK;
    cb_member_finish(&m, ok, cb_timer_now_ns() + (int64_t)60e9); /* verify() again, teardown() */
    double wall = (double)(cb_timer_now_ns() - t0);
    x->wall_ns += wall;
    if (m.skipped) { /* no usable CUDA: said once, as a run says it */
        if (!x->cuda_off) fprintf(stderr, "cbench: %s; CUDA suites skipped\n", m.why);
        x->cuda_off = 1;
        x->skipped++;
    } else if (m.skip[0]) {
        x->skipped++;
        line(stdout, wall, "skipped", p->id, m.skip);
    } else if (m.fail) {
        x->failed++;
        line(stdout, wall, "FAILED", p->id, m.why);
    } else {
        x->ran++;
        line(stdout, wall, "passed", p->id, NULL);
    }
}

/* --profile: the ranges follow the point's phases (setup, verify) as point.c announces them. */
static char range_id[1024];
static int range_open;

static void range_phase(cb_point_out *o) {
    if (range_open) RANGE_POP(), range_open = 0;
    if (o->phase != CB_POINT_SETUP && o->phase != CB_POINT_VERIFY) return;
    char name[1200];
    snprintf(name, sizeof name, "cbench/%s/%s", range_id,
             o->phase == CB_POINT_SETUP ? "setup" : "verify");
    RANGE_PUSH(name);
    range_open = 1;
}

/* One plain call inside the range cbench/<id>/<phase>. */
static int ranged_call(cb_point_life *L, const char *phase, double *ns) {
    char name[1200];
    snprintf(name, sizeof name, "cbench/%s/%s", range_id, phase);
    RANGE_PUSH(name);
    int rc = cb_point_call(L, 1, ns);
    RANGE_POP();
    return rc;
}

static void profile_point(const cb_config *c, const cb_point *p, cb_cuda_ctx *cx, tally *x) {
    cb_point_life L;
    cb_point_out o;
    memset(&o, 0, sizeof o);
    o.on_phase = range_phase;
    snprintf(range_id, sizeof range_id, "%s", p->id);
    int64_t t0 = cb_timer_now_ns();
    double untimed = 0, timed = -1;
    int rc = cb_point_open(&L, c, p, cx, &o);
    if (range_open) RANGE_POP(), range_open = 0;
    o.on_phase = NULL; /* teardown runs outside the ranges */
    if (rc == CB_OK && ranged_call(&L, "untimed", &untimed) == CB_OK)
        ranged_call(&L, "timed", &timed);
    cb_point_close(&L, 0);
    x->wall_ns += (double)(cb_timer_now_ns() - t0);
    if (o.skipped) {
        if (!x->cuda_off) fprintf(stderr, "cbench: %s; CUDA suites skipped\n", o.fail_msg);
        x->cuda_off = 1;
        x->skipped++;
    } else if (o.skip[0]) {
        x->skipped++;
        line(stdout, -1, "skipped", p->id, o.skip);
    } else if (o.fail) {
        x->failed++;
        line(stdout, -1, "FAILED", p->id, o.fail_msg);
    } else {
        x->ran++;
        line(stdout, timed, "timed", p->id, NULL);
    }
}

int cb_once_run(const cb_config *c, const cb_registry *reg) {
    char *sel = calloc(reg->n_points + 1, 1), msg[512] = "";
    if (!sel) return fprintf(stderr, "cbench: out of memory\n"), CB_EXIT_FAILED;
    if (cb_runner_select(c, reg, sel, msg, sizeof msg) != CB_OK) {
        fprintf(stderr, "cbench: %s\n", msg);
        return free(sel), CB_EXIT_USAGE;
    }
    if (c->profile && !HAVE_RANGES)
        fprintf(stderr, "cbench: warning: built without the CUDA toolkit's NVTX headers: "
                        "--profile runs each point without NVTX ranges\n");
    printf(c->profile ? "%10s  %-8s %s (ranges cbench/<id>/setup, verify, untimed, timed)\n"
                      : "%10s  %-8s %s (setup, verify, one call, verify, teardown)\n",
           c->profile ? "timed call" : "wall", "", "benchmark");
    tally x = {0};
    cb_cuda_ctx cx;
    memset(&cx, 0, sizeof cx);
    size_t n = 0;
    for (size_t i = 0; i < reg->n_points && !cb_interrupted(); i++) {
        const cb_point *p = &reg->points[i];
        if (!sel[i]) continue;
        n++;
        if (p->bench->timer == CB_TIMER_CUDA && x.cuda_off) {
            x.skipped++;
        } else if (p->skip) {
            x.skipped++;
            line(stdout, -1, "skipped", p->id, p->skip);
        } else if (c->profile) {
            profile_point(c, p, &cx, &x);
        } else {
            dry_point(c, p, &x);
        }
        fflush(stdout);
    }
    cb_cuda_release(&cx);
    free(sel);
    if (!n)
        return fprintf(stderr, "cbench: no benchmark matches the filters (see --list)\n"),
               CB_EXIT_USAGE;
    char t[32];
    printf("\n%zu benchmark%s: %zu passed, %zu failed, %zu skipped in %s", n, n == 1 ? "" : "s",
           x.ran, x.failed, x.skipped, cb_fmt_time(x.wall_ns, t, sizeof t));
    if (c->dry_run) /* what a full run adds: warm-up and measurement per point at least */
        printf("; a full run measures for at least %.0f s more (%zu x (%g s warm-up + %g s))",
               (double)x.ran * (c->warm_up_time + c->measurement_time), x.ran, c->warm_up_time,
               c->measurement_time);
    printf("\n");
    return cb_interrupted() ? CB_EXIT_INTERRUPTED : x.failed ? CB_EXIT_FAILED : CB_EXIT_OK;
}
