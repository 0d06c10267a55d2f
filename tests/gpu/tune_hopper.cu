/* SPDX-License-Identifier: MIT */
/* tune_hopper.cu - checks every output of each wgmma and FP32 (sweep, warp-tiled) variant against a float64 GPU
 * reference, then times cuBLAS and the variants in TUNE_ROUNDS alternating rounds (default 1: cuBLAS before and
 * after the variants); with rounds, each variant's ratio to cuBLAS is taken within a round and the median and
 * range over the rounds printed. Usage: tune_hopper [n...] (default 4096); TUNE_MATCH=a,b: the variants whose
 * names contain one of these (^a: start with a, =a: is a); TUNE_FAMILY=f16|f32. */
#include "matmul_fp32_sweep.h"
#include "matmul_host.h"
#include "matmul_wgmma.h"

#include <stdlib.h>

/* C64 = A·B in float64 from the very values the kernels read: 16×16 tiles, one output a thread. */
__device__ __forceinline__ double to_f64(__half x) { return (double)__half2float(x); }
__device__ __forceinline__ double to_f64(float x) { return (double)x; }
template <class T>
__global__ void k_ref64(const T *A, const T *B, double *C, int n) {
    __shared__ double As[16][17], Bs[16][17];
    const int r = blockIdx.y * 16 + threadIdx.y, c = blockIdx.x * 16 + threadIdx.x;
    double acc = 0;
    for (int k0 = 0; k0 < n; k0 += 16) {
        const int ka = k0 + threadIdx.x, kb = k0 + threadIdx.y;
        As[threadIdx.y][threadIdx.x] = r < n && ka < n ? to_f64(A[(size_t)r * n + ka]) : 0.0;
        Bs[threadIdx.y][threadIdx.x] = kb < n && c < n ? to_f64(B[(size_t)kb * n + c]) : 0.0;
        __syncthreads();
#pragma unroll
        for (int k = 0; k < 16; k++) acc += As[threadIdx.y][k] * Bs[k][threadIdx.x];
        __syncthreads();
    }
    if (r < n && c < n) C[(size_t)r * n + c] = acc;
}

static int g_variant;
static int wg_variant(mm_io *io) {
    return mm__cuda(io, "mm_wgmma_variant",
                    mm_wgmma_variant(g_variant, (const __half *)io->dA, (const __half *)io->dB, io->dC, io->n, io->st));
}
/* The FP32 variants: the register-blocked sweep's, then the warp-tiled family's, as one table. */
static int n_sweep(void) {
    int v = 0;
    while (mm_fp32_sweep_variant_name(v)) v++;
    return v;
}
static const char *fp32_name(int v) {
    const int ns = n_sweep();
    return v < ns ? mm_fp32_sweep_variant_name(v) : mm_fp32_wt_variant_name(v - ns);
}
static int fp32_sweep(mm_io *io) {
    const int ns = n_sweep();
    const float *A = (const float *)io->dA, *B = (const float *)io->dB;
    return g_variant < ns ? mm__cuda(io, "mm_fp32_sweep_variant", mm_fp32_sweep_variant(g_variant, A, B, io->dC, io->n, io->st))
                          : mm__cuda(io, "mm_fp32_wt_variant", mm_fp32_wt_variant(g_variant - ns, A, B, io->dC, io->n, io->st));
}
static int fp32_regblock(mm_io *io) {
    return mm__cuda(io, "mm_fp32_regblock", mm_fp32_regblock((const float *)io->dA, (const float *)io->dB, io->dC, io->n, io->st));
}
static int wmma_pipe(mm_io *io) {
    return mm__cuda(io, "mm_wmma_pipe", mm_wmma_pipe((const __half *)io->dA, (const __half *)io->dB, io->dC, io->n, io->st));
}

static int cmp_d(const void *a, const void *b) {
    const double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median ms of one call over 9 samples of ~3 ms each, and the spread (max/min - 1); negative on error. */
static double time_ms(mm_io *io, mm_fn fn, double *spread) {
    cudaEvent_t e0, e1;
    double t[9];
    float ms;
    int iters = 1;
    if (cudaEventCreate(&e0) || cudaEventCreate(&e1) || fn(io) || cudaStreamSynchronize(io->st)) return -1;
    for (int r = -1; r < 9; r++) {
        if (cudaEventRecord(e0, io->st)) return -1;
        for (int i = 0; i < iters; i++)
            if (fn(io)) return -1;
        if (cudaEventRecord(e1, io->st) || cudaEventSynchronize(e1) || cudaEventElapsedTime(&ms, e0, e1)) return -1;
        if (r < 0) iters = ms < 3.f ? (int)(3.f / (ms > 1e-3f ? ms : 1e-3f)) + 1 : 1; /* sizing run */
        else t[r] = ms / iters;
    }
    qsort(t, 9, sizeof t[0], cmp_d);
    cudaEventDestroy(e0), cudaEventDestroy(e1);
    *spread = t[8] / t[0] - 1;
    return t[4];
}

/* Poisons C, runs fn once, compares all n² outputs with ref: unwritten (NaN) count, rel-L2, max |err|. */
static int check_all(mm_io *io, mm_fn fn, const double *ref, float *hC, double *rel, double *max_abs, size_t *nan_count) {
    const size_t nn = (size_t)io->n * io->n;
    if (MM_CUDA(io, cudaMemsetAsync(io->dC, 0xFF, nn * 4, io->st)) || fn(io) || MM_CUDA(io, cudaStreamSynchronize(io->st)) ||
        MM_CUDA(io, cudaGetLastError()) || MM_CUDA(io, cudaMemcpy(hC, io->dC, nn * 4, cudaMemcpyDeviceToHost)))
        return -1;
    double num = 0, den = 0, mx = 0;
    size_t bad = 0;
    for (size_t i = 0; i < nn; i++) {
        if (!isfinite(hC[i])) {
            bad++;
            continue;
        }
        const double d = (double)hC[i] - ref[i];
        num += d * d, den += ref[i] * ref[i], mx = fabs(d) > mx ? fabs(d) : mx;
    }
    *rel = sqrt(num / den), *max_abs = mx, *nan_count = bad;
    return 0;
}

/* One family: its library row, a fixed row, and the table of variants; tol bounds rel-L2. */
typedef struct family {
    const char *lib_name, *fixed_name;
    int half_in;
    mm_fn lib, fixed, variant;
    const char *(*name)(int);
    double tol;
} family;

static int run_n(int n, const family *fam, cudaStream_t st) {
    mm_io io;
    uint64_t x = 4242 + n;
    const size_t nn = (size_t)n * n;
    double *dref = NULL, *ref = (double *)malloc(nn * sizeof(double)), *cpu = (double *)malloc(2 * (size_t)n * sizeof(double));
    float *hC = (float *)malloc(nn * sizeof(float));
    int fails = 0;
    if (!ref || !cpu || !hC) return printf("malloc failed\n"), free(ref), free(cpu), free(hC), 1;
    if (mm_io_init(&io, n, fam->half_in, st)) return printf("  %s\n", io.err), mm_io_free(&io), 1;
    for (size_t i = 0; i < nn; i++) { /* uniform in [-1, 1), never exactly zero after rounding to half */
        io.hA[i] = (float)((double)(mm_ref_rand(&x) >> 11) * 0x1.0p-52 - 1.0);
        io.hB[i] = (float)((double)(mm_ref_rand(&x) >> 11) * 0x1.0p-52 - 1.0);
        if (io.hA[i] == 0.f) io.hA[i] = 0.5f;
        if (io.hB[i] == 0.f) io.hB[i] = -0.25f;
    }
    if (mm_io_upload(&io) || MM_CUDA(&io, cudaMalloc((void **)&dref, nn * sizeof(double)))) {
        printf("  %s\n", io.err), fails = 1;
        goto done;
    }
    if (fam->half_in)
        k_ref64<<<dim3((n + 15) / 16, (n + 15) / 16), dim3(16, 16), 0, st>>>((const __half *)io.dA, (const __half *)io.dB, dref, n);
    else
        k_ref64<<<dim3((n + 15) / 16, (n + 15) / 16), dim3(16, 16), 0, st>>>((const float *)io.dA, (const float *)io.dB, dref, n);
    if (MM_CUDA(&io, cudaGetLastError()) || MM_CUDA(&io, cudaStreamSynchronize(st)) ||
        MM_CUDA(&io, cudaMemcpy(ref, dref, nn * sizeof(double), cudaMemcpyDeviceToHost))) {
        printf("  %s\n", io.err), fails = 1;
        goto done;
    }
    { /* the GPU reference itself against the CPU's float64 rows 0 and n-1 */
        const int rows[2] = {0, n - 1};
        double dmax = 0;
        mm_ref_rows(io.hA, io.hB, n, rows, 2, cpu);
        for (int r = 0; r < 2; r++)
            for (int j = 0; j < n; j++) {
                const double d = fabs(cpu[(size_t)r * n + j] - ref[(size_t)rows[r] * n + j]);
                dmax = d > dmax ? d : dmax;
            }
        printf("n=%d: GPU float64 reference vs CPU rows 0 and n-1: max |diff| %.3g%s\n", n, dmax, dmax < 1e-9 ? "" : "  FAIL");
        if (dmax >= 1e-9) {
            fails = 1;
            goto done;
        }
    }
    {
        const double flop = 2.0 * n * (double)n * n;
        double sp0 = NAN, sp1 = NAN, rel = NAN, mx = NAN;
        size_t nan_count = 0;
        const double blas0 = time_ms(&io, fam->lib, &sp0);
        if (check_all(&io, fam->lib, ref, hC, &rel, &mx, &nan_count)) printf("  %s\n", io.err), fails++;
        printf("%-34s %5d %8.4f ms %7.1f TFLOP/s  spread %4.1f%%  rel-L2 %.2e max|err| %.2e\n", fam->lib_name, n, blas0,
               flop / blas0 * 1e-9, 100 * sp0, rel, mx);
        struct {
            const char *name;
            mm_fn fn;
            int v, ok;
            double rel, mx;
            size_t nan_count;
        } rows[48];
        int nr = 0;
        rows[nr].name = fam->fixed_name, rows[nr].v = -1, rows[nr++].fn = fam->fixed;
        const char *match = getenv("TUNE_MATCH"); /* substrings, comma-separated: only the variants whose names hold one */
        for (int v = 0; fam->name(v) && nr < 48; v++) {
            rows[nr].name = fam->name(v), rows[nr].fn = NULL, rows[nr].v = v;
            int on = !match || !*match;
            if (!on) {
                char buf[256];
                snprintf(buf, sizeof buf, "%s", match);
                for (char *tok = strtok(buf, ","); tok && !on; tok = strtok(NULL, ",")) /* ^x: names starting with x */
                    on = tok[0] == '^'   ? strncmp(rows[nr].name, tok + 1, strlen(tok + 1)) == 0
                         : tok[0] == '=' ? strcmp(rows[nr].name, tok + 1) == 0
                                         : strstr(rows[nr].name, tok) != NULL;
            }
            if (on) nr++;
        }
        const int rounds = getenv("TUNE_ROUNDS") ? atoi(getenv("TUNE_ROUNDS")) : 1;
        if (rounds > 1) { /* verify everything first, then alternate cuBLAS and the variants */
            for (int i = 0; i < nr; i++) {
                g_variant = rows[i].v;
                mm_fn fn = rows[i].fn ? rows[i].fn : fam->variant;
                rows[i].rel = rows[i].mx = NAN, rows[i].nan_count = 0;
                if (check_all(&io, fn, ref, hC, &rows[i].rel, &rows[i].mx, &rows[i].nan_count)) {
                    printf("%-34s %5d FAIL: %s\n", rows[i].name, n, io.err);
                    fails++, rows[i].ok = 0;
                    if (strstr(io.err, "illegal") || strstr(io.err, "launch failure") || strstr(io.err, "trap")) goto done;
                    continue;
                }
                rows[i].ok = !rows[i].nan_count && rows[i].rel < fam->tol;
                if (!rows[i].ok) {
                    printf("%-34s %5d FAIL: rel-L2 %.2e max|err| %.2e unwritten %zu\n", rows[i].name, n, rows[i].rel, rows[i].mx,
                           rows[i].nan_count);
                    fails++;
                }
            }
            enum { MR = 9 };
            double t[MR][49];
            const int R = rounds < MR ? rounds : MR;
            for (int r = 0; r < R; r++) {
                t[r][nr] = time_ms(&io, fam->lib, &sp0);
                for (int i = 0; i < nr; i++) {
                    g_variant = rows[i].v;
                    t[r][i] = rows[i].ok ? time_ms(&io, rows[i].fn ? rows[i].fn : fam->variant, &sp1) : -1;
                }
            }
            double lib[MR];
            for (int r = 0; r < R; r++) lib[r] = t[r][nr];
            qsort(lib, R, sizeof lib[0], cmp_d);
            printf("%-34s %5d %8.4f ms %7.1f TFLOP/s  (median of %d rounds; %.4f .. %.4f)  rel-L2 %.2e\n", fam->lib_name, n, lib[R / 2],
                   flop / lib[R / 2] * 1e-9, R, lib[0], lib[R - 1], rel);
            for (int i = 0; i < nr; i++) {
                if (!rows[i].ok) continue;
                double ms[MR], ratio[MR];
                int bad = 0;
                for (int r = 0; r < R; r++) ms[r] = t[r][i], ratio[r] = t[r][nr] / t[r][i], bad |= !(t[r][i] > 0);
                if (bad) {
                    printf("%-34s %5d FAIL: timing\n", rows[i].name, n);
                    fails++;
                    continue;
                }
                qsort(ms, R, sizeof ms[0], cmp_d);
                qsort(ratio, R, sizeof ratio[0], cmp_d);
                printf("%-34s %5d %8.4f ms %7.1f TFLOP/s  %5.3fx cuBLAS [%5.3f, %5.3f]  rel-L2 %.2e max|err| %.2e unwritten %zu\n",
                       rows[i].name, n, ms[R / 2], flop / ms[R / 2] * 1e-9, ratio[R / 2], ratio[0], ratio[R - 1], rows[i].rel,
                       rows[i].mx, rows[i].nan_count);
            }
            fflush(stdout);
            goto done;
        }
        double best = 1e30;
        for (int i = 0; i < nr; i++) {
            g_variant = rows[i].v;
            mm_fn fn = rows[i].fn ? rows[i].fn : fam->variant;
            rel = mx = NAN, nan_count = 0;
            if (check_all(&io, fn, ref, hC, &rel, &mx, &nan_count)) {
                printf("%-34s %5d FAIL: %s\n", rows[i].name, n, io.err);
                fails++;
                if (strstr(io.err, "illegal") || strstr(io.err, "launch failure") || strstr(io.err, "trap")) goto done;
                continue;
            }
            const double ms = time_ms(&io, fn, &sp1);
            const int bad = nan_count || !(rel < fam->tol) || ms <= 0;
            fails += bad;
            if (!bad && rows[i].fn == NULL && ms < best) best = ms;
            printf("%-34s %5d %8.4f ms %7.1f TFLOP/s  spread %4.1f%%  %5.3fx cuBLAS  rel-L2 %.2e max|err| %.2e unwritten %zu%s\n",
                   rows[i].name, n, ms, flop / ms * 1e-9, 100 * sp1, blas0 / ms, rel, mx, nan_count, bad ? "  FAIL" : "");
            fflush(stdout);
        }
        const double blas1 = time_ms(&io, fam->lib, &sp0);
        printf("%-34s %5d %8.4f ms %7.1f TFLOP/s  spread %4.1f%%  (again; best variant %.3fx of the mean cuBLAS)\n", fam->lib_name, n,
               blas1, flop / blas1 * 1e-9, 100 * sp0, 0.5 * (blas0 + blas1) / best);
    }
done:
    if (dref) cudaFree(dref);
    free(ref), free(cpu), free(hC);
    if (mm_io_free(&io)) printf("  %s\n", io.err);
    return fails;
}

int main(int argc, char **argv) {
    cudaStream_t st;
    if (cudaStreamCreateWithFlags(&st, cudaStreamNonBlocking) != cudaSuccess) return printf("tune_hopper: no CUDA device\n"), 1;
    /* FP16 in: the 1e-3 class bound of the suites; FP32: far under it (FP32 sums reach ~1e-6 at n=8192). */
    const family fams[] = {
        {"cublas_f16", "wmma_pipe", 1, mm_cublas_f16, wmma_pipe, wg_variant, mm_wgmma_variant_name, 1e-3},
        {"cublas_sgemm", "fp32_regblock", 0, mm_cublas_sgemm, fp32_regblock, fp32_sweep, fp32_name, 1e-5},
    };
    const char *only = getenv("TUNE_FAMILY"); /* "f16" or "f32": one family only */
    int fails = 0;
    for (int f = 0; f < 2; f++) {
        if (only && strcmp(only, f ? "f32" : "f16") != 0) continue;
        for (int i = 1; i < argc || i == 1; i++) fails += run_n(i < argc ? atoi(argv[i]) : 4096, &fams[f], st);
    }
    printf("%s\n", fails ? "tune_hopper: FAILURES" : "tune_hopper: every output of every variant verified");
    return fails != 0;
}
