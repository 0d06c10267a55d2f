/* SPDX-License-Identifier: MIT */
/* attention_fill.cu - reproducible random FP16 inputs made on the device from a counter-based hash. */
#include "attention.h"

__device__ __forceinline__ uint64_t mix64(uint64_t z) { /* splitmix64's finaliser */
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* 24 random bits → an odd multiple of 2⁻²⁴ in (-1, 1): exact in float, never 0, symmetric. */
__global__ void k_fill(__half *__restrict__ dst, size_t n, uint64_t seed, float amp) {
    for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n; i += (size_t)gridDim.x * blockDim.x) {
        const uint64_t z = mix64(seed + 0x9e3779b97f4a7c15ull * (i + 1));
        const float u = (float)((int)(z >> 40) - (1 << 23)) * 0x1.0p-23f + 0x1.0p-24f;
        dst[i] = __float2half_rn(u * amp);
    }
}

cudaError_t attn_fill(__half *dst, size_t n, uint64_t seed, float amp, cudaStream_t st) {
    if (!dst || n == 0) return cudaErrorInvalidValue;
    k_fill<<<132 * 16, 256, 0, st>>>(dst, n, seed, amp);
    return cudaGetLastError();
}

/* Large logits whose maximum comes last (heads with h % 2 == 1): K[h][j][:] = ((2j+1)/s - 1)·k_amp
 * in every column, Q[h][i][c] = q_amp·(1 + u/4), u uniform in (-1, 1). Every score of row i is then
 * ((2j+1)/s - 1)·k_amp·Σ_c Q[i][c]/√d: rising in j, from about -span to +span. */
__global__ void k_fill_ramp(__half *__restrict__ Q, __half *__restrict__ K, int bh, int s, int d, uint64_t seed,
                            float q_amp, float k_amp) {
    const size_t per = (size_t)s * d, n = (size_t)bh * per;
    for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x; i < n; i += (size_t)gridDim.x * blockDim.x) {
        if ((i / per) % 2 == 0) continue;
        const int j = (int)(i % per / d);
        const uint64_t z = mix64(seed + 0x9e3779b97f4a7c15ull * (i + 1));
        const float u = (float)((int)(z >> 40) - (1 << 23)) * 0x1.0p-23f;
        Q[i] = __float2half_rn(q_amp * (1.0f + 0.25f * u));
        K[i] = __float2half_rn(((2.0f * j + 1.0f) / s - 1.0f) * k_amp);
    }
}

cudaError_t attn_fill_ramp(__half *Q, __half *K, int bh, int s, int d, uint64_t seed, float span, cudaStream_t st) {
    if (!Q || !K || bh <= 0 || s <= 0 || d <= 0) return cudaErrorInvalidValue;
    const float q_amp = 4.0f, k_amp = span / (q_amp * sqrtf((float)d));
    k_fill_ramp<<<132 * 16, 256, 0, st>>>(Q, K, bh, s, d, seed, q_amp, k_amp);
    return cudaGetLastError();
}
