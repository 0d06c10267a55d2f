/* SPDX-License-Identifier: MIT */
/* gpu_timer.cu - suite: timer truth. A kernel spins for a known time on %globaltimer; the harness's
 * CUDA timer must report that time (within 2% at 10 µs and 1 ms). */
#include <cbench.h>

#include "gpu_timer_spin.h"

#include <math.h>
#include <stdio.h>
#include <time.h>

#define TRUTH_TOL 0.02
#define CHECK_NS 20000000ull /* verify: a 20 ms spin against the host clock */

static int fail_cuda(cb_state *s, const char *call, cudaError_t e) {
    return cb_fail(s, "%s: %s", call, cudaGetErrorString(e));
}

/* The iterations of one sample are one kernel of iters·us: the per-iteration time is then us plus
 * the sample's fixed start cost spread over iters, and no launch gap hides inside it. */
static int spin_run(cb_state *s, uint64_t iters) {
    const uint64_t ns = (uint64_t)cb_param(s, "us") * 1000u * iters;
    cudaError_t e = gt_spin(ns, NULL, (cudaStream_t)cb_cuda_stream(s));
    return e == cudaSuccess ? 0 : fail_cuda(s, "gt_spin", e);
}

/* One launch an iteration: per-iteration time minus us is what back-to-back launches cost. */
static int launches_run(cb_state *s, uint64_t iters) {
    const uint64_t ns = (uint64_t)cb_param(s, "us") * 1000u;
    for (uint64_t i = 0; i < iters; i++) {
        cudaError_t e = gt_spin(ns, NULL, (cudaStream_t)cb_cuda_stream(s));
        if (e != cudaSuccess) return fail_cuda(s, "gt_spin", e);
    }
    return 0;
}

/* The spin is only a known duration if %globaltimer runs at wall-clock rate: check a 20 ms spin
 * against CLOCK_MONOTONIC around launch + sync (whose overhead, tens of µs, is far under 2%). */
static int spin_verify(cb_state *s) {
    cudaStream_t st = (cudaStream_t)cb_cuda_stream(s);
    unsigned long long *d_elapsed = NULL, elapsed = 0;
    struct timespec t0, t1;
    cudaError_t e = cudaMalloc((void **)&d_elapsed, sizeof *d_elapsed);
    if (e != cudaSuccess) return fail_cuda(s, "cudaMalloc", e);
    if ((e = gt_spin(1000, d_elapsed, st)) != cudaSuccess || (e = cudaStreamSynchronize(st)) != cudaSuccess) {
        cudaFree(d_elapsed);
        return fail_cuda(s, "gt_spin warm-up", e);
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    e = gt_spin(CHECK_NS, d_elapsed, st);
    if (e == cudaSuccess) e = cudaStreamSynchronize(st);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (e == cudaSuccess) e = cudaMemcpy(&elapsed, d_elapsed, sizeof elapsed, cudaMemcpyDeviceToHost);
    cudaError_t ef = cudaFree(d_elapsed);
    if (e != cudaSuccess) return fail_cuda(s, "gt_spin / cudaStreamSynchronize / cudaMemcpy", e);
    if (ef != cudaSuccess) return fail_cuda(s, "cudaFree", ef);
    const double host_ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
    const double err = fabs(host_ns - (double)CHECK_NS);
    cb_record_error(s, err, err / (double)CHECK_NS, TRUTH_TOL);
    if (elapsed < CHECK_NS) return cb_fail(s, "spin ended after %llu ns of %llu", elapsed, CHECK_NS);
    return err / (double)CHECK_NS <= TRUTH_TOL
               ? 0
               : cb_fail(s, "a %llu ns spin took %.0f ns of host time: %%globaltimer is not wall-clock time",
                         CHECK_NS, host_ns);
}

static const int64_t us_values[] = {10, 1000};
static const cb_axis axes[] = {{.name = "us", .values = us_values, .count = CB_COUNT(us_values)}};
static const cb_bench benches[] = {
    {.name = "spin", .run = spin_run, .axes = axes, .n_axes = 1, .verify = spin_verify,
     .timer = CB_TIMER_CUDA, .group = "timer",
     .description = "one kernel spinning iters*us on the globaltimer: must read us per iteration"},
    {.name = "spin_launches", .run = launches_run, .axes = axes, .n_axes = 1, .verify = spin_verify,
     .timer = CB_TIMER_CUDA, .group = "timer",
     .description = "iters kernels of us each: the excess over us is the back-to-back launch cost"},
};
CB_SUITE(gpu_timer, "timer truth: kernels of known duration (globaltimer)", benches);
