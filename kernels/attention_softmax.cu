/* SPDX-License-Identifier: MIT */
/* attention_softmax.cu - the unfused path's row softmax: FP32 scores in, FP16 probabilities out, causal mask. */
#include "attention.h"

#include <math.h>

#define SM_THREADS 128

__device__ __forceinline__ float warp_max(float v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}
__device__ __forceinline__ float warp_sum(float v) {
#pragma unroll
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}
/* One value for the whole block; `red` holds one slot per warp and is reused by both reductions,
 * hence the barrier before returning. */
template <bool MAX>
__device__ __forceinline__ float block_reduce(float v, float *red) {
    const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    v = MAX ? warp_max(v) : warp_sum(v);
    if (lane == 0) red[warp] = v;
    __syncthreads();
    float r = red[0];
#pragma unroll
    for (int w = 1; w < SM_THREADS / 32; w++) r = MAX ? fmaxf(r, red[w]) : r + red[w];
    __syncthreads();
    return r;
}

/* One block a row; the row stays in registers (NV float4 a thread, NV = s/512) so S is read from
 * memory exactly once and P written once: the kernel is bound by those 6 bytes a score. Causal:
 * chunks wholly past the diagonal are not read at all, only written as zeros. */
template <int NV, bool CAUSAL>
__global__ void __launch_bounds__(SM_THREADS) k_softmax(const float *__restrict__ S, __half *__restrict__ P, int s) {
    __shared__ float red[SM_THREADS / 32];
    const long long row = blockIdx.x;
    const int q = (int)(row % s); /* query index inside its head: keys > q are masked */
    const float4 *src = reinterpret_cast<const float4 *>(S + row * s);
    uint2 *dst = reinterpret_cast<uint2 *>(P + row * s);
    float4 v[NV];
    float m = -INFINITY;
#pragma unroll
    for (int i = 0; i < NV; i++) {
        const int j = 4 * (threadIdx.x + i * SM_THREADS);
        if (!CAUSAL || j <= q) {
            v[i] = src[threadIdx.x + i * SM_THREADS];
            if (CAUSAL) {
                if (j + 1 > q) v[i].y = -INFINITY;
                if (j + 2 > q) v[i].z = -INFINITY;
                if (j + 3 > q) v[i].w = -INFINITY;
            }
        } else {
            v[i] = make_float4(-INFINITY, -INFINITY, -INFINITY, -INFINITY);
        }
        m = fmaxf(m, fmaxf(fmaxf(v[i].x, v[i].y), fmaxf(v[i].z, v[i].w)));
    }
    m = block_reduce<true>(m, red); /* finite: key 0 is never masked */
    float sum = 0.f;
#pragma unroll
    for (int i = 0; i < NV; i++) {
        v[i].x = __expf(v[i].x - m), v[i].y = __expf(v[i].y - m);
        v[i].z = __expf(v[i].z - m), v[i].w = __expf(v[i].w - m);
        sum += (v[i].x + v[i].y) + (v[i].z + v[i].w);
    }
    const float inv = 1.f / block_reduce<false>(sum, red);
#pragma unroll
    for (int i = 0; i < NV; i++) {
        const __half2 lo = __floats2half2_rn(v[i].x * inv, v[i].y * inv);
        const __half2 hi = __floats2half2_rn(v[i].z * inv, v[i].w * inv);
        uint2 w;
        w.x = *reinterpret_cast<const unsigned *>(&lo);
        w.y = *reinterpret_cast<const unsigned *>(&hi);
        dst[threadIdx.x + i * SM_THREADS] = w;
    }
}

template <int NV>
static cudaError_t launch(const float *S, __half *P, long long rows, int s, int causal, cudaStream_t st) {
    if (causal) k_softmax<NV, true><<<(unsigned)rows, SM_THREADS, 0, st>>>(S, P, s);
    else k_softmax<NV, false><<<(unsigned)rows, SM_THREADS, 0, st>>>(S, P, s);
    return cudaGetLastError();
}

cudaError_t attn_softmax(const float *S, __half *P, long long rows, int s, int causal, cudaStream_t st) {
    if (rows <= 0 || rows > 0x7fffffffLL) return cudaErrorInvalidValue;
    switch (s) {
    case 512: return launch<1>(S, P, rows, s, causal, st);
    case 1024: return launch<2>(S, P, rows, s, causal, st);
    case 2048: return launch<4>(S, P, rows, s, causal, st);
    case 4096: return launch<8>(S, P, rows, s, causal, st);
    case 8192: return launch<16>(S, P, rows, s, causal, st);
    default: return cudaErrorInvalidValue;
    }
}
