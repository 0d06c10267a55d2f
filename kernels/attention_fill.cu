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
