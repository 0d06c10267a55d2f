/* SPDX-License-Identifier: MIT */
/* timer_cuda.cu - CUDA event timing (blocking kernel, L2 flush, SM clock, graph replay), in its
 * own library (build/libcbench_cuda.so) so the runner itself never links or initialises CUDA. */
#include <cuda_runtime.h>

#include <stdio.h>
#include <string.h>

extern "C" {
#include "cb_error.h"
#include "cb_measure.h"
}

/* A held region queues at most this many launches: far under the depth of the launch queue, so
 * the host never blocks on a full queue while the stream is held (docs/gpu-timing.md). */
#define CHUNK_LAUNCHES 512
#define BLOCK_TIMEOUT_NS 200000000ULL /* a held stream is released after 200 ms anyway */
#define CHUNK_TRIES 3 /* a chunk whose hold timed out is run again, at most twice */
#define CLOCK_MIN_NS 50000ULL /* %globaltimer ticks coarsely: time the clock over >= 50 us */
#define GRAPH_LEVELS 11 /* --cuda-graph: graphs of 1, 2, 4, ..., 1024 calls of run() */

typedef struct cuda {
    int device, cold, graph;
    cudaStream_t stream;
    cudaEvent_t start, stop;
    volatile int *flag;            /* host-mapped: the blocking kernel spins until it is set */
    unsigned long long *clk;       /* host-mapped: [clock64 ticks, ns, timed out] of the last hold */
    void *l2buf;
    size_t l2_bytes;
    double max_clock_mhz;
    unsigned seq;
    const void *graph_point;                     /* the point the graphs below were captured for */
    cudaGraphExec_t graphs[GRAPH_LEVELS];    /* [k]: 2^k calls of run(), captured on first use */
    const void *count_point;                     /* the point kernels_per_call was counted for */
    uint64_t kernels_per_call;                   /* launches one run(1) enqueues (graph nodes) */
} cuda;

static cuda g;

static __device__ unsigned long long globaltimer() {
    unsigned long long t;
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
    return t;
}

/* Holds the stream until the host has queued the timed work, so launch latency stays out of the
 * start event. Measures the SM clock while it waits: clock64 is read right after %globaltimer at
 * the start and right before it at the end, so the ticks counted fall inside the nanoseconds
 * counted and the rate can exceed the true clock only by the timer's granularity. */
__global__ void block_kernel(volatile int *flag, unsigned long long *clk,
                                 unsigned long long timeout_ns) {
    const unsigned long long t0 = globaltimer(), c0 = clock64();
    unsigned long long c1, t1;
    int timed_out = 0;
    do {
        c1 = clock64();
        t1 = globaltimer();
        if (t1 - t0 >= timeout_ns) {
            timed_out = 1;
            break;
        }
    } while (*flag == 0 || t1 - t0 < CLOCK_MIN_NS);
    clk[0] = c1 - c0;
    clk[1] = t1 - t0;
    clk[2] = (unsigned long long)timed_out;
}

__global__ void empty_kernel() {}

#define CK(call)                                                                            \
    do {                                                                                        \
        cudaError_t e_ = (call);                                                                \
        if (e_ != cudaSuccess) {                                                                \
            snprintf(msg, msgsz, "%s: %s", #call, cudaGetErrorString(e_));                      \
            return CB_ERR_BENCH;                                                                \
        }                                                                                       \
    } while (0)

static void graphs_free(void) {
    for (int k = 0; k < GRAPH_LEVELS; k++)
        if (g.graphs[k]) cudaGraphExecDestroy(g.graphs[k]), g.graphs[k] = NULL;
    g.graph_point = NULL;
}

/* Captures 2^k calls of run() from the bench's stream into graph level k (untimed). */
static int graph_capture(cb_state *s, int k, char *msg, size_t msgsz) {
    cudaGraph_t graph = NULL;
    CK(cudaStreamBeginCapture(g.stream, cudaStreamCaptureModeThreadLocal));
    int rc = s->point->bench->run(s, 1ULL << k);
    cudaError_t e = cudaStreamEndCapture(g.stream, &graph);
    if (rc != 0) {
        if (graph) cudaGraphDestroy(graph);
        return snprintf(msg, msgsz, "run() returned %d", rc), CB_ERR_BENCH;
    }
    if (e != cudaSuccess)
        return snprintf(msg, msgsz, "cudaStreamEndCapture: %s (with --cuda-graph, run() may only "
                        "enqueue work on cb_cuda_stream(), no synchronization)",
                        cudaGetErrorString(e)), CB_ERR_BENCH;
    e = cudaGraphInstantiate(&g.graphs[k], graph, 0);
    cudaGraphDestroy(graph);
    CK(e);
    return CB_OK;
}

/* Launches one run(1) enqueues: the nodes of its captured graph (kernels, copies, memsets), once
 * per point, untimed and never executed. A run() that cannot be captured counts as one launch a
 * call; should its calls queue more than that, the holds time out and the samples say so. */
static uint64_t kernels_per_call_of(cb_state *s) {
    if (g.count_point == s->point) return g.kernels_per_call;
    g.count_point = s->point, g.kernels_per_call = 1;
    cudaGraph_t graph = NULL;
    size_t nodes = 0;
    if (cudaStreamBeginCapture(g.stream, cudaStreamCaptureModeThreadLocal) != cudaSuccess)
        return cudaGetLastError(), g.kernels_per_call;
    int rc = s->point->bench->run(s, 1);
    cudaError_t e = cudaStreamEndCapture(g.stream, &graph);
    if (rc == 0 && e == cudaSuccess && graph && cudaGraphGetNodes(graph, NULL, &nodes) == cudaSuccess &&
        nodes > 0)
        g.kernels_per_call = nodes;
    if (graph) cudaGraphDestroy(graph);
    cudaGetLastError(); /* a failed capture leaves its error behind; it is not the bench's */
    s->error[0] = '\0'; /* nor is a cb_fail() of run() inside the capture */
    return g.kernels_per_call;
}

/* The calls of one held chunk: as many as keep its launches within CHUNK_LAUNCHES. */
static uint64_t chunk_calls(cb_state *s) {
    if (g.graph) return (uint64_t)(CHUNK_LAUNCHES - GRAPH_LEVELS) << (GRAPH_LEVELS - 1);
    uint64_t k = kernels_per_call_of(s);
    return k >= CHUNK_LAUNCHES ? 1 : CHUNK_LAUNCHES / k;
}

/* Every graph a region of iters calls needs, captured before it starts (capture is untimed). */
static int graphs_ready(cb_state *s, uint64_t iters, char *msg, size_t msgsz) {
    if (g.graph_point != s->point) graphs_free(), g.graph_point = s->point;
    for (int k = 0; k < GRAPH_LEVELS; k++) {
        int need = k == GRAPH_LEVELS - 1 ? iters >> k != 0 : (iters >> k) & 1;
        int rc = need && !g.graphs[k] ? graph_capture(s, k, msg, msgsz) : CB_OK;
        if (rc) return rc;
    }
    return CB_OK;
}

/* The timed work: run(iters), or its graphs replayed largest first. */
static int enqueue(cb_state *s, uint64_t iters, char *msg, size_t msgsz) {
    if (!g.graph) {
        int rc = s->point->bench->run(s, iters);
        return rc ? (snprintf(msg, msgsz, "run() returned %d", rc), CB_ERR_BENCH) : CB_OK;
    }
    for (int k = GRAPH_LEVELS - 1; k >= 0; k--)
        for (uint64_t n = 1ULL << k; iters >= n && (k == GRAPH_LEVELS - 1 || iters & n);
             iters -= n)
            CK(cudaGraphLaunch(g.graphs[k], g.stream));
    return CB_OK;
}

/* What one held chunk saw. */
typedef struct chunk {
    double ms;
    int held;                      /* the hold lasted until the host released it */
    unsigned long long ticks, ns;  /* SM clock ticks over globaltimer ns during the hold */
} chunk;

/* One timed chunk: [capture graphs] [flush L2] hold the stream, start, run(iters), stop, release. */
static int region(cb_state *s, uint64_t iters, chunk *out, char *msg, size_t msgsz) {
    int rc = g.graph ? graphs_ready(s, iters, msg, msgsz) : CB_OK;
    if (rc) return rc;
    if (g.cold) CK(cudaMemsetAsync(g.l2buf, (int)(++g.seq & 0xff), g.l2_bytes, g.stream));
    *g.flag = 0;
    block_kernel<<<1, 1, 0, g.stream>>>(g.flag, g.clk, BLOCK_TIMEOUT_NS);
    CK(cudaGetLastError());
    CK(cudaEventRecord(g.start, g.stream));
    rc = enqueue(s, iters, msg, msgsz);
    if (rc == CB_OK) CK(cudaEventRecord(g.stop, g.stream));
    __sync_synchronize();
    *g.flag = 1;
    if (rc != CB_OK) return rc;
    CK(cudaEventSynchronize(g.stop));
    CK(cudaGetLastError());
    float t;
    CK(cudaEventElapsedTime(&t, g.start, g.stop));
    out->ms = t;
    out->held = g.clk[2] == 0;
    out->ticks = g.clk[0], out->ns = g.clk[1];
    return CB_OK;
}

/* cb_time_fn for CB_TIMER_CUDA. A sample is split into chunks whose launches cannot fill the
 * launch queue, each held and event-timed; the sample's time is the sum of its chunks'. A chunk
 * whose hold timed out runs again; if it never holds, the sample is marked not held. Cold mode
 * flushes L2 before every single call. */
static int time_cuda(cb_state *s, uint64_t iters, double *ns) {
    const cb_bench *b = s->point->bench;
    char msg[256] = "";
    double total = 0;
    unsigned long long ticks = 0, clk_ns = 0;
    int held = 1;
    if (b->batch_setup && b->batch_setup(s, iters) != 0) return cb_fail(s, "batch_setup failed"), CB_ERR_BENCH;
    uint64_t per = g.cold ? 1 : chunk_calls(s);
    for (uint64_t done = 0; done < iters;) {
        uint64_t n = iters - done < per ? iters - done : per;
        chunk c = {0, 0, 0, 0};
        for (int t = 0; t < CHUNK_TRIES && !c.held; t++) {
            int rc = region(s, n, &c, msg, sizeof msg);
            if (rc) return cb_fail(s, "%s", s->error[0] ? s->error : msg), rc;
        }
        total += c.ms, held &= c.held, done += n;
        if (c.held) ticks += c.ticks, clk_ns += c.ns;
    }
    *ns = total * 1e6;
    s->cuda_held = held;
    s->cuda_clock_mhz = clk_ns ? (double)ticks / (double)clk_ns * 1e3 : 0;
    return CB_OK;
}

static int query(int dev, cb_gpu_info *info, char *msg, size_t msgsz) {
    cudaDeviceProp p;
    int v;
    CK(cudaGetDeviceProperties(&p, dev));
    memset(info, 0, sizeof *info);
    snprintf(info->name, sizeof info->name, "%s", p.name);
    info->sm_major = p.major;
    info->sm_minor = p.minor;
    info->sm_count = p.multiProcessorCount;
    info->l2_bytes = p.l2CacheSize;
    info->mem_bytes = (long long)p.totalGlobalMem;
    CK(cudaDeviceGetAttribute(&v, cudaDevAttrClockRate, dev));
    info->clock_mhz = v / 1e3;
    CK(cudaDeviceGetAttribute(&v, cudaDevAttrMemoryClockRate, dev));
    info->mem_clock_mhz = v / 1e3;
    CK(cudaDriverGetVersion(&info->driver));
    CK(cudaRuntimeGetVersion(&info->runtime));
    return CB_OK;
}

static void sort(float *t, int n) { /* insertion sort: n is tiny */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && t[j] < t[j - 1]; j--) {
            float x = t[j];
            t[j] = t[j - 1];
            t[j - 1] = x;
        }
}

/* Submit latency: median of single empty kernels between events on an idle, unheld stream (the
 * host's submit cost plus the kernel). */
static int submit_latency(double *ns, char *msg, size_t msgsz) {
    enum { N = 101 };
    float t[N];
    for (int i = 0; i < N; i++) {
        CK(cudaEventRecord(g.start, g.stream));
        empty_kernel<<<1, 1, 0, g.stream>>>();
        CK(cudaGetLastError());
        CK(cudaEventRecord(g.stop, g.stream));
        CK(cudaEventSynchronize(g.stop));
        CK(cudaEventElapsedTime(&t[i], g.start, g.stop));
    }
    sort(t, N);
    *ns = t[N / 2] * 1e6;
    return CB_OK;
}

/* Back-to-back launch gap: a held chain of CHAIN empty kernels between events, per kernel; with
 * `graph`, the chain is one CUDA graph replayed. Median of REPS chains. */
static int launch_gap(int graph, double *ns, char *msg, size_t msgsz) {
    enum { CHAIN = 256, REPS = 21 };
    float t[REPS];
    cudaGraph_t gr = NULL;
    cudaGraphExec_t ge = NULL;
    if (graph) {
        CK(cudaStreamBeginCapture(g.stream, cudaStreamCaptureModeThreadLocal));
        for (int i = 0; i < CHAIN; i++) empty_kernel<<<1, 1, 0, g.stream>>>();
        CK(cudaStreamEndCapture(g.stream, &gr));
        cudaError_t e = cudaGraphInstantiate(&ge, gr, 0);
        cudaGraphDestroy(gr);
        CK(e);
    }
    int rc = CB_OK;
    for (int r = 0; r < REPS && rc == CB_OK; r++) {
        *g.flag = 0;
        block_kernel<<<1, 1, 0, g.stream>>>(g.flag, g.clk, BLOCK_TIMEOUT_NS);
        cudaError_t e = cudaEventRecord(g.start, g.stream);
        for (int i = 0; !graph && e == cudaSuccess && i < CHAIN; i++) {
            empty_kernel<<<1, 1, 0, g.stream>>>();
            e = cudaGetLastError();
        }
        if (graph && e == cudaSuccess) e = cudaGraphLaunch(ge, g.stream);
        if (e == cudaSuccess) e = cudaEventRecord(g.stop, g.stream);
        __sync_synchronize();
        *g.flag = 1;
        if (e == cudaSuccess) e = cudaEventSynchronize(g.stop);
        if (e == cudaSuccess) e = cudaEventElapsedTime(&t[r], g.start, g.stop);
        if (e != cudaSuccess) rc = (snprintf(msg, msgsz, "launch gap: %s", cudaGetErrorString(e)), CB_ERR_BENCH);
    }
    if (ge) cudaGraphExecDestroy(ge);
    if (rc) return rc;
    sort(t, REPS);
    *ns = t[REPS / 2] * 1e6 / CHAIN;
    return CB_OK;
}

static int open_device(int device, int cold, int graph, cb_gpu_info *info, void **stream, char *msg,
                    size_t msgsz) {
    int n = 0;
    cudaError_t e = cudaGetDeviceCount(&n);
    if (e != cudaSuccess || n == 0)
        return snprintf(msg, msgsz, "no usable CUDA device (cudaGetDeviceCount: %s)",
                        e != cudaSuccess ? cudaGetErrorString(e) : "0 devices"), CB_ERR_USAGE;
    if (device < 0 || device >= n)
        return snprintf(msg, msgsz, "device %d does not exist (%d CUDA devices)", device, n), CB_ERR_USAGE;
    CK(cudaSetDevice(device));
    int rc = query(device, info, msg, msgsz);
    if (rc) return rc;
    g.device = device;
    g.cold = cold;
    g.graph = graph;
    g.max_clock_mhz = info->clock_mhz;
    g.l2_bytes = (size_t)info->l2_bytes;
    CK(cudaStreamCreateWithFlags(&g.stream, cudaStreamNonBlocking));
    CK(cudaEventCreate(&g.start));
    CK(cudaEventCreate(&g.stop));
    CK(cudaHostAlloc((void **)&g.flag, sizeof(int), cudaHostAllocMapped));
    CK(cudaHostAlloc((void **)&g.clk, 3 * sizeof(unsigned long long), cudaHostAllocMapped));
    CK(cudaMalloc(&g.l2buf, g.l2_bytes));
    *g.flag = 1;
    if ((rc = submit_latency(&info->submit_latency_ns, msg, msgsz)) ||
        (rc = launch_gap(0, &info->launch_gap_ns, msg, msgsz)) ||
        (rc = launch_gap(1, &info->launch_gap_graph_ns, msg, msgsz)))
        return rc;
    *stream = g.stream;
    return CB_OK;
}

static void close_device(void) {
    graphs_free();
    if (g.l2buf) cudaFree(g.l2buf);
    if (g.flag) cudaFreeHost((void *)g.flag);
    if (g.clk) cudaFreeHost(g.clk);
    if (g.start) cudaEventDestroy(g.start);
    if (g.stop) cudaEventDestroy(g.stop);
    if (g.stream) cudaStreamDestroy(g.stream);
    memset(&g, 0, sizeof g);
}

/* Device memory in use now (every process's: cudaMemGetInfo knows no other), bytes. */
static long long mem_used(void) {
    size_t free_b = 0, total_b = 0;
    if (cudaMemGetInfo(&free_b, &total_b) != cudaSuccess) return -1;
    return (long long)(total_b - free_b);
}

static int sync_stream(char *msg, size_t msgsz) {
    CK(cudaStreamSynchronize(g.stream));
    CK(cudaGetLastError());
    return CB_OK;
}

static const cb_cuda_api api = {open_device, time_cuda, close_device, mem_used, sync_stream};

extern "C" CB_EXPORT const cb_cuda_api *cb_cuda_api_get(void);
extern "C" CB_EXPORT const cb_cuda_api *cb_cuda_api_get(void) { return &api; }
