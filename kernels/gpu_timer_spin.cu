/* SPDX-License-Identifier: MIT */
/* gpu_timer_spin.cu - spin kernel of a known duration (%globaltimer) and a timer-resolution probe. */
#include "gpu_timer_spin.h"

__device__ __forceinline__ unsigned long long gtime() {
    unsigned long long t;
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
    return t;
}

__global__ void k_spin(unsigned long long ns, unsigned long long *elapsed) {
    const unsigned long long t0 = gtime();
    unsigned long long t;
    do t = gtime();
    while (t - t0 < ns);
    if (elapsed) *elapsed = t - t0;
}

cudaError_t gt_spin(uint64_t ns, unsigned long long *elapsed, cudaStream_t st) {
    k_spin<<<1, 1, 0, st>>>(ns, elapsed);
    return cudaGetLastError();
}

__global__ void k_resolution(unsigned long long *step) {
    unsigned long long prev = gtime(), best = ~0ull;
    for (int i = 0; i < 100000; i++) {
        const unsigned long long t = gtime();
        if (t != prev && t - prev < best) best = t - prev;
        prev = t;
    }
    *step = best;
}

cudaError_t gt_resolution(unsigned long long *step, cudaStream_t st) {
    k_resolution<<<1, 1, 0, st>>>(step);
    return cudaGetLastError();
}
