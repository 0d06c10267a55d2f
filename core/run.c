/* SPDX-License-Identifier: MIT */
/* run.c - the run model's own functions: growing a run, freeing it, a result's throughput
 * (docs/architecture.md). Its file is written by results.c and read by results_read.c. */
#include "cb_run.h"
#include "cb_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *cb_param_text(cb_axis_kind kind, int64_t i, double d, const char *s, char *buf,
                          size_t n) {
    if (kind == CB_AXIS_STR) return s ? s : "";
    if (kind != CB_AXIS_F64) return snprintf(buf, n, "%lld", (long long)i), buf;
    for (int digits = 6; digits <= 17; digits++) /* the shortest that reads back the same */
        if (snprintf(buf, n, "%.*g", digits, d), strtod(buf, NULL) == d) break;
    return buf;
}

const char *cb_fail_kind_name(cb_fail_kind k) {
    static const char *const names[] = {"none", "signal", "exit",  "timeout",
                                        "cuda", "verify", "plugin"};
    return (size_t)k < sizeof names / sizeof *names ? names[k] : "unknown";
}

const char *cb_bisect_role_name(cb_bisect_role r) {
    static const char *const names[] = {"range", "probe", "culprit"};
    return (size_t)r < sizeof names / sizeof *names ? names[r] : "unknown";
}

const char *cb_bisect_verdict_name(cb_bisect_verdict v) {
    static const char *const names[] = {"good", "bad", "ambiguous"};
    return (size_t)v < sizeof names / sizeof *names ? names[v] : "unknown";
}

void cb_bisect_step_free(cb_bisect_step *b) {
    free(b->id);
    free(b->commit);
    free(b->subject);
    free(b->against);
    free(b->bench);
    memset(b, 0, sizeof *b);
}

cb_result *cb_run_add(cb_run *r) {
    if (cb_grow(&r->results, &r->cap_results, r->n_results + 1, sizeof *r->results)) return NULL;
    cb_result *res = &r->results[r->n_results++];
    memset(res, 0, sizeof *res);
    res->device = -1;
    for (int k = 0; k < CB_MEM_KINDS; k++) res->mem[k].bytes = -1; /* not measured */
    return res;
}

void cb_result_free(cb_result *res) {
    free(res->id);
    free(res->suite);
    free(res->bench);
    free(res->group);
    free(res->description);
    free(res->skipped);
    for (size_t m = 0; m < res->n_metrics; m++)
        free(res->metrics[m].name), free(res->metrics[m].unit);
    free(res->metrics);
    for (int i = 0; i < res->n_params; i++) free(res->param_names[i]), free(res->param_strs[i]);
    for (int i = 0; i < res->n_warnings; i++) free(res->warnings[i]);
    free(res->fail_message);
    free(res->change_baseline);
    free(res->ceiling);
    cb_samples_free(&res->samples);
    cb_samples_free(&res->ab_old);
    free(res->paired_base);
    free(res->ab_order);
}

void cb_run_free(cb_run *r) {
    for (size_t i = 0; i < r->n_results; i++) cb_result_free(&r->results[i]);
    free(r->results);
    free(r->run_id);
    free(r->started_at);
    free(r->cbench_version);
    free(r->ab_old);
    free(r->ab_new);
    cb_bisect_step_free(&r->bisect);
    cb_host_free(&r->host);
    for (size_t i = 0; i < r->n_hosts; i++) cb_host_free(&r->hosts[i]);
    free(r->hosts);
    free(r->complexity);
    memset(r, 0, sizeof *r);
}

void cb_result_rate(const cb_result *res, double per_iter, double out[3]) {
    const cb_estimate *m = &res->an.est.mean;
    out[0] = per_iter / m->point * 1e9;
    out[1] = per_iter / m->hi * 1e9; /* the slowest time in the CI gives the lowest rate */
    out[2] = per_iter / m->lo * 1e9;
}

int cb_result_regressed(const cb_result *r) {
    int any = r->has_change && r->change.verdict == CB_VERDICT_REGRESSED;
    for (size_t m = 0; m < r->n_metrics; m++)
        any |= r->metrics[m].has_change && r->metrics[m].change.verdict == CB_VERDICT_REGRESSED;
    for (int k = 0; k < CB_MEM_KINDS; k++)
        any |= r->mem[k].has_change && r->mem[k].verdict == CB_VERDICT_REGRESSED;
    return any;
}

const char *cb_mem_name(int kind) { return kind == CB_MEM_DEVICE ? "peak_device" : "peak_rss"; }

void cb_samples_free(cb_samples *s) {
    free(s->iters);
    free(s->times_ns);
    free(s->clock_mhz);
    free(s->held);
    free(s->round);
    free(s->metrics);
    memset(s, 0, sizeof *s);
}

void cb_host_free(cb_host *h) {
    free(h->cpu);
    free(h->os);
    free(h->compiler);
    free(h->git_commit);
    free(h->hostname);
    memset(h, 0, sizeof *h);
}

const cb_result *cb_run_find(const cb_run *run, const char *id) {
    for (size_t i = 0; i < run->n_results; i++)
        if (strcmp(run->results[i].id, id) == 0) return &run->results[i];
    return NULL;
}

/* The entry of id on device where the run has one, else its first: a run of several GPUs is
 * compared device by device, and a one-GPU baseline serves every device. */
const cb_result *cb_run_find_on(const cb_run *run, const char *id, int device) {
    const cb_result *first = NULL;
    for (size_t i = 0; i < run->n_results; i++) {
        const cb_result *r = &run->results[i];
        if (strcmp(r->id, id) != 0) continue;
        if (r->device == device) return r;
        if (!first) first = r;
    }
    return first;
}
