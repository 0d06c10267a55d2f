/* SPDX-License-Identifier: MIT */
/* ref_check.cu - the GPU float64 references (FP64 GEMM, two-pass FP64 attention) against the CPU
 * float64 references of matmul_ref.h and attention_ref.h, at small sizes, every element; random
 * and large-logit attention inputs. Exit 0 when every case agrees to 1e-12 relative. */
#include "attention_host.h"
#include "matmul_host.h"

#include <stdio.h>
#include <stdlib.h>

#define AGREE 1e-12 /* float64 against float64, sums in another order: ~1e-15; 1e-12 is a wide bound */

static int failed;

static void report(const char *what, double num, double den, double mx) {
    const double rel = den > 0 ? sqrt(num / den) : sqrt(num);
    const int ok = rel <= AGREE;
    failed += !ok;
    printf("%-52s rel-L2 %.3g max-abs %.3g %s\n", what, rel, mx, ok ? "ok" : "FAIL");
}

static int check_matmul(int n, int half_in) {
    mm_io io;
    char what[96];
    if (mm_io_init(&io, n, half_in, 0)) return printf("%s\n", io.err), mm_io_free(&io), -1;
    uint64_t x = 42 + (uint64_t)n;
    for (size_t i = 0; i < (size_t)n * n; i++) {
        io.hA[i] = (float)((double)(mm_ref_rand(&x) >> 11) * 0x1.0p-52 - 1.0);
        io.hB[i] = (float)((double)(mm_ref_rand(&x) >> 11) * 0x1.0p-52 - 1.0);
    }
    int *rows = (int *)malloc(sizeof(int) * n);
    double *cpu = (double *)malloc(sizeof(double) * n * n), *gpu = (double *)malloc(sizeof(double) * n * n);
    int rc = -1;
    if (rows && cpu && gpu && !mm_io_upload(&io) && !mm_io_reference(&io) &&
        !MM_CUDA(&io, cudaMemcpy(gpu, io.dRef, sizeof(double) * n * n, cudaMemcpyDeviceToHost))) {
        for (int i = 0; i < n; i++) rows[i] = i;
        mm_ref_rows(io.hA, io.hB, n, rows, n, cpu);
        double num = 0, den = 0, mx = 0;
        for (size_t i = 0; i < (size_t)n * n; i++) {
            const double d = gpu[i] - cpu[i];
            num += d * d, den += cpu[i] * cpu[i], mx = fabs(d) > mx ? fabs(d) : mx;
        }
        snprintf(what, sizeof what, "FP64 GEMM n=%d %s inputs", n, half_in ? "half" : "float");
        report(what, num, den, mx);
        rc = 0;
    } else
        printf("matmul n=%d: %s\n", n, io.err);
    free(rows), free(cpu), free(gpu);
    mm_io_free(&io);
    return rc;
}

static int check_attention(int s, int d, int causal, int large) {
    attn_io io;
    char what[96];
    const int bh = 4;
    if (attn_io_init(&io, ATTN_FUSED, 1, bh, s, d, causal, 0)) return printf("%s\n", io.err), attn_io_free(&io), -1;
    const size_t hsd = (size_t)s * d, n = bh * hsd;
    __half *h = (__half *)malloc(3 * n * sizeof(__half));
    float *f = (float *)malloc(3 * n * sizeof(float));
    double *gpu = (double *)malloc(n * sizeof(double)), *cpu = (double *)malloc(d * sizeof(double));
    double *w = (double *)malloc(s * sizeof(double));
    int rc = -1;
    if (h && f && gpu && cpu && w && !(large ? attn_io_fill_large(&io, 3) : attn_io_fill(&io, 3)) &&
        !attn_io_reference(&io) && !ATTN_CUDA(&io, cudaMemcpy(gpu, io.dRef, n * sizeof(double), cudaMemcpyDeviceToHost)) &&
        !ATTN_CUDA(&io, cudaMemcpy(h, io.dQ, n * 2, cudaMemcpyDeviceToHost)) &&
        !ATTN_CUDA(&io, cudaMemcpy(h + n, io.dK, n * 2, cudaMemcpyDeviceToHost)) &&
        !ATTN_CUDA(&io, cudaMemcpy(h + 2 * n, io.dV, n * 2, cudaMemcpyDeviceToHost))) {
        for (size_t i = 0; i < 3 * n; i++) f[i] = __half2float(h[i]);
        double num = 0, den = 0, mx = 0, top = -INFINITY;
        for (int hd = 0; hd < bh; hd++)
            for (int r = 0; r < s; r++) {
                const float *q = f + hd * hsd + (size_t)r * d, *k = f + n + hd * hsd, *v = f + 2 * n + hd * hsd;
                attn_ref_row(q, k, v, s, d, r, causal, w, cpu);
                for (int j = 0; j < (causal ? r + 1 : s); j++) top = w[j] > top ? w[j] : top;
                for (int c = 0; c < d; c++) {
                    const double e = gpu[hd * hsd + (size_t)r * d + c] - cpu[c];
                    num += e * e, den += cpu[c] * cpu[c], mx = fabs(e) > mx ? fabs(e) : mx;
                }
            }
        snprintf(what, sizeof what, "FP64 attention s=%d d=%d causal=%d %s (max score %.0f)", s, d, causal,
                 large ? "large" : "random", top);
        report(what, num, den, mx);
        rc = 0;
    } else
        printf("attention s=%d d=%d: %s\n", s, d, io.err);
    free(h), free(f), free(gpu), free(cpu), free(w);
    attn_io_free(&io);
    return rc;
}

int main(void) {
    int rc = 0;
    const int ns[] = {64, 97, 256};
    for (int i = 0; i < 3; i++) rc |= check_matmul(ns[i], 0) | check_matmul(ns[i], 1);
    for (int large = 0; large < 2; large++)
        for (int causal = 0; causal < 2; causal++)
            rc |= check_attention(256, 64, causal, large) | check_attention(128, 128, causal, large);
    printf("ref_check: %d failed%s\n", failed, rc ? ", and a case could not run" : "");
    return failed || rc ? 1 : 0;
}
