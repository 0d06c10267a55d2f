/* SPDX-License-Identifier: MIT */
/* isolate.c - each benchmark point in a forked child under a time limit; plain data back over a
 * pipe. */
#include "cb_error.h"
#include "cb_measure.h"
#include "cb_proc.h"
#include "cb_util.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_BYTES (512u << 20) /* what one child may send back: ~20M samples */

/* The child sends records: PHASE (int32) as it goes, then OUT (the cb_point_out, pointers
 * zeroed), SAMPLES, END. A child that dies leaves at most a truncated record. */
enum { REC_PHASE = 1, REC_OUT, REC_SAMPLES, REC_END };
typedef struct rec {
    uint32_t tag, len;
} rec;
typedef struct samples_head {
    uint64_t n;
    uint32_t with_clock, n_metrics;
} samples_head;

/* Bytes a sample takes on the pipe: iters, time, clock and held (CUDA), its metrics. */
static size_t per_sample(const samples_head *h) {
    return sizeof(uint64_t) + sizeof(double) + (h->with_clock ? sizeof(double) + 1 : 0) +
           (size_t)h->n_metrics * sizeof(double);
}

/* ---- the child ---- */

static int wfd = -1;

static int send_record(uint32_t tag, const void *data, size_t len) {
    rec h = {tag, (uint32_t)len};
    int rc = cb_write_all(wfd, &h, sizeof h);
    return rc || !len ? rc : cb_write_all(wfd, data, len);
}

static void child_phase(cb_point_out *o) {
    int32_t ph = (int32_t)o->phase;
    send_record(REC_PHASE, &ph, sizeof ph);
}

static int send_results(const cb_point_out *o) {
    cb_point_out plain = *o; /* no pointer crosses the pipe */
    memset(&plain.m.samples, 0, sizeof plain.m.samples);
    plain.on_phase = NULL;
    const cb_samples *s = &o->m.samples;
    samples_head h = {s->n, s->clock_mhz != NULL, s->metrics ? s->n_metrics : 0};
    size_t per = per_sample(&h);
    if (h.n_metrics > CB_MAX_METRICS || s->n > (MAX_BYTES - sizeof h) / per) return CB_ERR_NOMEM;
    int rc = send_record(REC_OUT, &plain, sizeof plain);
    rec r = {REC_SAMPLES, (uint32_t)(sizeof h + s->n * per)}; /* head, then arrays */
    if (!rc) rc = cb_write_all(wfd, &r, sizeof r);
    if (!rc) rc = cb_write_all(wfd, &h, sizeof h);
    if (!rc) rc = cb_write_all(wfd, s->iters, s->n * sizeof *s->iters);
    if (!rc) rc = cb_write_all(wfd, s->times_ns, s->n * sizeof *s->times_ns);
    if (!rc && h.with_clock) rc = cb_write_all(wfd, s->clock_mhz, s->n * sizeof *s->clock_mhz);
    if (!rc && h.with_clock) rc = cb_write_all(wfd, s->held, s->n);
    if (!rc && h.n_metrics) rc = cb_write_all(wfd, s->metrics, s->n * h.n_metrics * sizeof(double));
    if (!rc) rc = send_record(REC_END, NULL, 0);
    return rc;
}

/* What the child needs, prepared before the fork. */
typedef struct child_args {
    const cb_config *c;
    const cb_timer_info *t;
    const cb_point *p;
    cb_progress *pg;
} child_args;

/* Runs in the forked child: never returns. CUDA is opened here, never in the parent. */
static void child_main(void *arg, const cb_proc_child *ch) {
    const child_args *a = arg;
    cb_interrupt_child_mode();
    cb_proc_child_release(ch); /* a Ctrl-C passed on already is delivered now */
    wfd = ch->out;
    static cb_cuda_ctx cx; /* fresh in every child: the parent never opened CUDA */
    static cb_point_out o;
    o.on_phase = child_phase;
    cb_point_measure(a->c, a->t, a->p, a->pg, &cx, &o);
    o.phase = CB_POINT_SENDING;
    child_phase(&o);
    int rc = send_results(&o);
    fflush(NULL); /* the plugin's own output; the parent flushed its own before fork */
    /* _exit: no atexit handlers (CUDA's, the sanitizers'), process exit frees the context. */
    _exit(rc == CB_OK ? 0 : CB_EXIT_FAILED);
}

/* ---- the parent ---- */

/* Ctrl-C is passed on once per signal: the child stops after its current sample. */
static void forward_signals(cb_proc *p, void *ctx) {
    int *forwarded = ctx;
    if (cb_interrupted() > *forwarded) {
        *forwarded = cb_interrupted();
        kill(p->pid, SIGINT);
    }
}

/* The child is our own code, yet a plugin may have scribbled on its memory: every field that
 * could index or overrun is checked before the parent uses it. */
static void take_out(cb_point_out *o, const char *d) {
    cb_point_out in;
    memcpy(&in, d, sizeof in);
    memset(&in.m.samples, 0, sizeof in.m.samples);
    in.on_phase = NULL;
    in.fail_msg[sizeof in.fail_msg - 1] = '\0';
    in.skip[sizeof in.skip - 1] = '\0';
    in.gpu.name[sizeof in.gpu.name - 1] = '\0';
    if (in.m.n_warnings < 0 || in.m.n_warnings > CB_MAX_WARNINGS) in.m.n_warnings = 0;
    for (int i = 0; i < CB_MAX_WARNINGS; i++) in.m.warnings[i][sizeof in.m.warnings[i] - 1] = '\0';
    if (in.fail < CB_FAIL_NONE || in.fail > CB_FAIL_PLUGIN) in.fail = CB_FAIL_PLUGIN;
    if (in.m.mode_used < CB_SAMPLING_AUTO || in.m.mode_used > CB_SAMPLING_FLAT)
        in.m.mode_used = CB_SAMPLING_AUTO;
    if (in.phase < 0 || in.phase >= CB_POINT_N_PHASES) in.phase = CB_POINT_START;
    in.skipped = in.skipped != 0;
    in.interrupted = in.interrupted != 0;
    in.have_gpu = in.have_gpu != 0;
    *o = in;
}

static int take_samples(cb_point_out *o, const char *d, size_t len) {
    samples_head h;
    if (len < sizeof h) return CB_ERR_INTERNAL;
    memcpy(&h, d, sizeof h);
    if (h.n_metrics > CB_MAX_METRICS) return CB_ERR_INTERNAL;
    size_t per = per_sample(&h);
    if (h.n > MAX_BYTES / per || len != sizeof h + h.n * per) return CB_ERR_INTERNAL;
    cb_samples *s = &o->m.samples;
    cb_samples_free(s);
    if (h.n == 0) return CB_OK;
    s->iters = malloc(h.n * sizeof *s->iters);
    s->times_ns = malloc(h.n * sizeof *s->times_ns);
    s->clock_mhz = h.with_clock ? malloc(h.n * sizeof *s->clock_mhz) : NULL;
    s->held = h.with_clock ? malloc(h.n) : NULL;
    s->metrics = h.n_metrics ? malloc(h.n * h.n_metrics * sizeof *s->metrics) : NULL;
    s->n_metrics = h.n_metrics;
    if (!s->iters || !s->times_ns || (h.with_clock && (!s->clock_mhz || !s->held)) ||
        (h.n_metrics && !s->metrics))
        return cb_samples_free(s), CB_ERR_NOMEM;
    d += sizeof h;
    memcpy(s->iters, d, h.n * sizeof *s->iters);
    d += h.n * sizeof *s->iters;
    memcpy(s->times_ns, d, h.n * sizeof *s->times_ns);
    d += h.n * sizeof *s->times_ns;
    if (h.with_clock) memcpy(s->clock_mhz, d, h.n * sizeof *s->clock_mhz);
    d += h.with_clock ? h.n * sizeof *s->clock_mhz : 0;
    if (h.with_clock) memcpy(s->held, d, h.n);
    d += h.with_clock ? h.n : 0;
    if (h.n_metrics) memcpy(s->metrics, d, h.n * h.n_metrics * sizeof *s->metrics);
    s->n = h.n;
    return CB_OK;
}

/* Walks the records; 1 when the child sent everything (END after OUT), 0 when it died first. */
static int parse(const char *buf, size_t n, cb_point_out *o) {
    int have_out = 0;
    for (size_t off = 0; n - off >= sizeof(rec);) {
        rec h;
        memcpy(&h, buf + off, sizeof h);
        off += sizeof h;
        if (h.len > n - off) break; /* cut short by a crash */
        const char *d = buf + off;
        off += h.len;
        int32_t ph;
        if (h.tag == REC_PHASE && h.len == sizeof ph) {
            memcpy(&ph, d, sizeof ph);
            if (ph >= 0 && ph < CB_POINT_N_PHASES) o->phase = (cb_point_phase)ph;
        } else if (h.tag == REC_OUT && h.len == sizeof *o) {
            take_out(o, d);
            have_out = 1;
        } else if (h.tag == REC_SAMPLES && have_out) {
            if (take_samples(o, d, h.len) != CB_OK) return 0;
        } else if (h.tag == REC_END) {
            return have_out;
        }
    }
    return 0;
}

/* Why a child that did not finish ended: a timeout, too much data, a signal, an exit. */
static void classify(const cb_config *c, const cb_proc *ch, int ended, cb_point_out *o) {
    const char *during = cb_point_phase_name(o->phase);
    char why[160];
    if (cb_interrupted()) {
        o->interrupted = 1;
    } else if (ended == CB_PROC_TOO_BIG) {
        o->fail = CB_FAIL_PLUGIN;
        snprintf(o->fail_msg, sizeof o->fail_msg, "sent back more than %u MiB of samples",
                 MAX_BYTES >> 20);
    } else {
        o->fail = cb_proc_describe(ch->status, ended == CB_PROC_TIMED_OUT, during, why, sizeof why);
        if (o->fail == CB_FAIL_TIMEOUT)
            snprintf(o->fail_msg, sizeof o->fail_msg, "timed out after %g s during %s (--timeout)",
                     c->timeout, during);
        else
            snprintf(o->fail_msg, sizeof o->fail_msg, "%s", why);
    }
}

int cb_isolate_point(const cb_config *c, const cb_timer_info *t, const cb_point *p, cb_progress *pg,
                     cb_point_out *o) {
    pg->id = p->id;
    pg->last_phase = -1;
    child_args a = {c, t, p, pg};
    cb_proc ch;
    cb_proc_opts po = {.flags = CB_PROC_OUT | CB_PROC_GROUP | CB_PROC_HOLD_SIGNALS,
                       .death_signal = SIGKILL}; /* a killed parent takes it along */
    if (cb_proc_fork(&ch, &po, child_main, &a) != CB_OK) return CB_ERR_IO;
    cb_interrupt_child(ch.pid);
    /* A config made without cb_config_defaults() (timeout 0) means no limit. */
    int64_t deadline = c->timeout > 0 ? cb_proc_now_ns() + (int64_t)(c->timeout * 1e9) : 0;
    int forwarded = 0, ended;
    char *buf = NULL;
    size_t len = 0;
    int rc =
        cb_proc_collect(&ch, deadline, MAX_BYTES, &buf, &len, forward_signals, &forwarded, &ended);
    cb_interrupt_child(0);
    cb_point_out got;
    memset(&got, 0, sizeof got);
    int complete = !rc && parse(buf, len, &got) && ended == CB_PROC_EXITED;
    free(buf);
    if (complete) {
        *o = got;
    } else { /* of what an unfinished child said, only where it was is kept */
        cb_samples_free(&got.m.samples);
        o->phase = got.phase;
        classify(c, &ch, ended, o);
    }
    return CB_OK;
}
