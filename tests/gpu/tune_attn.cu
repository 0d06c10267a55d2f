/* SPDX-License-Identifier: MIT */
/* tune_attn.cu - every Hopper attention variant (kernels/attention_wgmma.cu) beside cuDNN in one process.
 * For each head dim, causal setting and seq: one set of inputs (16 heads, 16384 tokens, as the suite),
 * one float64 reference on the GPU shared by every variant; each variant runs on a poisoned O and
 * every output is checked against it with the suite's bounds; then cuDNN and the variants are timed in
 * alternating rounds (median of 9 samples of about 3 ms each a round), and each variant's ratio
 * cuDNN ms / variant ms is taken within a round. Usage: tune_attn [seq...] (default 1024 2048 4096 8192).
 * Environment: TUNE_MATCH=a,b (variants whose names contain one of these; ^a: start with a; =a: is a), TUNE_GROUPS=64,64c,128,128c,
 * TUNE_ROUNDS (3), TUNE_VERIFY_MAX (largest seq whose outputs are verified; every variant is verified at
 * each seq up to it, with the large-logit case too at the smallest). */
#include "attention_host.h"

#include <stdlib.h>
#include <string.h>

/* The suite's bounds (suites/attention_verify.h, which needs the harness): rel-L2, max-abs over the
 * output's scale, any single row, causal row 0 against V[0]. */
#define T_TOL 2e-3
#define T_MAX_TOL (5 * T_TOL)
#define T_ROW_TOL (5 * T_TOL)
#define T_ROW0_TOL 2e-3
#define MAXV 64
#define MAXR 9

static int cmp_d(const void *a, const void *b) {
    const double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}
static double median(double *v, int n) {
    double t[MAXR * 4];
    memcpy(t, v, n * sizeof *v);
    qsort(t, n, sizeof *t, cmp_d);
    return n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
}

typedef struct job {
    attn_io *io;
    int v; /* -1: cuDNN */
} job;
static int run_job(const job *j) {
    attn_io *io = j->io;
    if (j->v < 0) return attn_cudnn_run(io->dnn, io->err, sizeof io->err);
    return ATTN_CUDA(io, attn_wgmma_variant(j->v, io->dQ, io->dK, io->dV, io->dO, io->bh, io->s, io->d, io->causal, io->st));
}

/* Median ms of one call over 9 samples of ~3 ms each; negative on error. */
static double time_ms(const job *j) {
    cudaEvent_t e0, e1;
    double t[9];
    float ms;
    int iters = 1;
    cudaStream_t st = j->io->st;
    if (cudaEventCreate(&e0) || cudaEventCreate(&e1) || run_job(j) || cudaStreamSynchronize(st)) return -1;
    for (int r = -1; r < 9; r++) {
        if (cudaEventRecord(e0, st)) return -1;
        for (int i = 0; i < iters; i++)
            if (run_job(j)) return -1;
        if (cudaEventRecord(e1, st) || cudaEventSynchronize(e1) || cudaEventElapsedTime(&ms, e0, e1)) return -1;
        if (r < 0) iters = ms < 3.f ? (int)(3.f / (ms > 1e-3f ? ms : 1e-3f)) + 1 : 1; /* sizing run */
        else t[r] = ms / iters;
    }
    cudaEventDestroy(e0), cudaEventDestroy(e1);
    return median(t, 9);
}

/* Poisons O, runs the job once, checks every output against the reference (made once per fill). */
static int verify(const job *j, const char *what, double *rel_out) {
    attn_io *io = j->io;
    attn_check c;
    const size_t n = (size_t)io->bh * io->s * io->d;
    if (ATTN_CUDA(io, cudaMemsetAsync(io->dO, 0xFF, n * sizeof(__half), io->st)) || run_job(j) ||
        ATTN_CUDA(io, cudaStreamSynchronize(io->st)) || ATTN_CUDA(io, cudaGetLastError()) || attn_io_verify(io, 0, &c)) {
        printf("    %s: %s\n", what, io->err);
        return -1;
    }
    double max_abs, scale = 0;
    const double rel = attn_check_rel_l2(&c, &max_abs);
    for (size_t i = 0; i < c.count; i++) scale = fabs(c.ref[i]) > scale ? fabs(c.ref[i]) : scale;
    int bad = c.unwritten > 0 || !(rel <= T_TOL) || !(max_abs <= T_MAX_TOL * scale) || !(c.worst_row_rel <= T_ROW_TOL) ||
              (io->causal && !(c.causal_row0_err <= T_ROW0_TOL));
    if (bad)
        printf("    %s: FAIL unwritten %zu rel-L2 %.3g max-abs %.3g (scale %.3g) worst row %d %.3g row0 %.3g\n", what, c.unwritten,
               rel, max_abs, scale, c.worst_row, c.worst_row_rel, c.causal_row0_err);
    *rel_out = rel > *rel_out || isnan(rel) ? rel : *rel_out;
    attn_check_free(&c);
    return bad ? -1 : 0;
}

static int selected(const char *name, const char *match) {
    if (!match || !*match) return 1;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", match);
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) /* ^x: names starting with x */
        if (tok[0] == '^' ? strncmp(name, tok + 1, strlen(tok + 1)) == 0
                          : tok[0] == '=' ? strcmp(name, tok + 1) == 0 : strstr(name, tok) != NULL)
            return 1;
    return 0;
}

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

int main(int argc, char **argv) {
    int seqs[16], n_seq = 0;
    for (int i = 1; i < argc && n_seq < 16; i++) seqs[n_seq++] = atoi(argv[i]);
    if (!n_seq) seqs[0] = 1024, seqs[1] = 2048, seqs[2] = 4096, seqs[3] = 8192, n_seq = 4;
    const char *match = getenv("TUNE_MATCH"), *groups = getenv("TUNE_GROUPS");
    const int rounds = getenv("TUNE_ROUNDS") ? atoi(getenv("TUNE_ROUNDS")) : 3;
    const int vmax = getenv("TUNE_VERIFY_MAX") ? atoi(getenv("TUNE_VERIFY_MAX")) : 1 << 30;
    if (rounds < 1 || rounds > MAXR) return printf("TUNE_ROUNDS: 1..%d\n", MAXR), 2;
    cudaStream_t st;
    cudaDeviceProp prop;
    if (cudaStreamCreateWithFlags(&st, cudaStreamNonBlocking) != cudaSuccess || cudaGetDeviceProperties(&prop, 0) != cudaSuccess)
        return printf("tune_attn: no CUDA device\n"), 1;
    printf("device: %s, %d SMs, L2 %d MB; %d rounds\n", prop.name, prop.multiProcessorCount, prop.l2CacheSize >> 20, rounds);
    int fails = 0, verified = 0;
    char summary[64 * 1024];
    size_t sl = 0;
    summary[0] = '\0';
    for (int g = 0; g < 4; g++) {
        const int d = g < 2 ? 64 : 128, causal = g % 2;
        char gname[16];
        snprintf(gname, sizeof gname, "%d%s", d, causal ? "c" : "");
        if (groups && *groups) {
            char buf[64], *tok;
            int on = 0;
            snprintf(buf, sizeof buf, "%s", groups);
            for (tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) on |= strcmp(tok, gname) == 0;
            if (!on) continue;
        }
        int first_verified = 1;
        for (int si = 0; si < n_seq; si++) {
            const int s = seqs[si];
            attn_io io;
            const double t0 = now_s();
            if (attn_io_init(&io, ATTN_CUDNN, 16384 / s, 16, s, d, causal, st)) {
                printf("d=%d causal=%d seq=%d: %s\n", d, causal, s, io.err), fails++;
                attn_io_free(&io);
                continue;
            }
            /* The variants that have a configuration for this head dim. */
            int vs[MAXV], nv = 0;
            for (int v = 0; attn_wgmma_variant_name(v) && nv < MAXV; v++) {
                if (!selected(attn_wgmma_variant_name(v), match)) continue;
                const cudaError_t e = attn_wgmma_variant(v, io.dQ, io.dK, io.dV, io.dO, io.bh, s, d, causal, st);
                if (e == cudaErrorInvalidValue) continue; /* no configuration for this d */
                if (e != cudaSuccess) {
                    printf("d=%d causal=%d seq=%d %s: launch: %s\n", d, causal, s, attn_wgmma_variant_name(v), cudaGetErrorString(e));
                    fails++;
                    continue;
                }
                vs[nv++] = v;
            }
            if (cudaStreamSynchronize(st) != cudaSuccess) {
                printf("d=%d causal=%d seq=%d: a first launch failed: %s\n", d, causal, s, cudaGetErrorString(cudaGetLastError()));
                return 1; /* the context is gone */
            }
            int ok[MAXV];
            double rel[MAXV + 1];
            for (int k = 0; k <= nv; k++) rel[k] = 0;
            for (int k = 0; k < nv; k++) ok[k] = 1;
            const uint64_t seed = 1000003ull * s + 17 * d + causal;
            const int do_verify = s <= vmax;
            for (int cs = do_verify && first_verified ? 0 : 1; cs < 2; cs++) {
                /* case 0: large logits (ramp heads, scores to +-100); case 1: random inputs, kept for timing */
                if ((cs == 0 ? attn_io_fill_large(&io, seed ^ 0x5bd1e995u) : attn_io_fill(&io, seed))) {
                    printf("fill: %s\n", io.err), fails++;
                    break;
                }
                if (!do_verify) break;
                const double r0 = now_s();
                job jc = {&io, -1};
                char what[160];
                snprintf(what, sizeof what, "d=%d causal=%d seq=%d %s cudnn", d, causal, s, cs ? "random" : "large-logit");
                if (verify(&jc, what, &rel[nv])) fails++;
                const double r1 = now_s();
                for (int k = 0; k < nv; k++) {
                    job j = {&io, vs[k]};
                    snprintf(what, sizeof what, "d=%d causal=%d seq=%d %s %s", d, causal, s, cs ? "random" : "large-logit",
                             attn_wgmma_variant_name(vs[k]));
                    if (verify(&j, what, &rel[k])) ok[k] = 0, fails++;
                    else verified++;
                }
                printf("  [d=%d causal=%d seq=%d %s: reference + cuDNN check %.1f s, %d variants checked in %.1f s]\n", d, causal,
                       s, cs ? "random" : "large-logit", r1 - r0, nv, now_s() - r1);
            }
            first_verified = first_verified && !do_verify;
            /* Timing rounds: cuDNN, then every variant, `rounds` times. */
            double ms[MAXR][MAXV + 1];
            for (int r = 0; r < rounds; r++)
                for (int k = nv; k >= 0; k--) { /* cuDNN (index nv) first */
                    job j = {&io, k == nv ? -1 : vs[k]};
                    ms[r][k] = k < nv && !ok[k] ? -1 : time_ms(&j);
                }
            const double flop = 4.0 * io.bh * (double)s * s * d * (causal ? 0.5 : 1.0);
            double cud[MAXR];
            for (int r = 0; r < rounds; r++) cud[r] = ms[r][nv];
            const double cmed = median(cud, rounds);
            printf("d=%d causal=%d seq=%d (bh=%d): cudnn %.4f ms %.1f TFLOP/s (rounds %.4f..%.4f) rel-L2 %.2e  [%.1f s]\n", d, causal,
                   s, io.bh, cmed, flop / cmed * 1e-9, cud[0], cud[rounds - 1], rel[nv], now_s() - t0);
            int best = -1;
            double best_ratio = 0;
            for (int k = 0; k < nv; k++) {
                double t[MAXR], ratio[MAXR];
                int bad = !ok[k];
                for (int r = 0; r < rounds; r++) {
                    t[r] = ms[r][k], ratio[r] = ms[r][nv] / ms[r][k];
                    bad |= !(ms[r][k] > 0) || !(ms[r][nv] > 0);
                }
                if (bad) {
                    printf("  %-26s FAIL\n", attn_wgmma_variant_name(vs[k]));
                    continue;
                }
                double rs[MAXR];
                memcpy(rs, ratio, sizeof ratio);
                qsort(rs, rounds, sizeof *rs, cmp_d);
                const double tm = median(t, rounds), rm = median(ratio, rounds);
                printf("  %-26s %8.4f ms %6.1f TFLOP/s  x cuDNN %.3f [%.3f, %.3f]  rel-L2 %.2e%s\n", attn_wgmma_variant_name(vs[k]), tm,
                       flop / tm * 1e-9, rm, rs[0], rs[rounds - 1], rel[k], do_verify ? "" : " (verified at a smaller seq)");
                if (rm > best_ratio) best_ratio = rm, best = k;
            }
            if (best >= 0 && sl < sizeof summary - 200)
                sl += snprintf(summary + sl, sizeof summary - sl, "d=%-3d causal=%d seq=%-5d best %-26s x cuDNN %.3f  (cuDNN %.1f TFLOP/s)\n", d,
                               causal, s, attn_wgmma_variant_name(vs[best]), best_ratio, flop / cmed * 1e-9);
            fflush(stdout);
            if (attn_io_free(&io)) printf("free: %s\n", io.err), fails++;
        }
    }
    printf("\n== summary (median of %d rounds of cuDNN ms / variant ms)\n%s", rounds, summary);
    printf("%s (%d variant checks passed)\n", fails ? "tune_attn: FAILURES" : "tune_attn: every output of every checked variant verified", verified);
    return fails != 0;
}
