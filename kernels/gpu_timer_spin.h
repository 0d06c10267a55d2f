/* SPDX-License-Identifier: MIT */
/* gpu_timer_spin.h - a kernel that runs for a known time, read off the GPU's %globaltimer (ns). */
#ifndef GPU_TIMER_SPIN_H
#define GPU_TIMER_SPIN_H

#include <cuda_runtime.h>
#include <stdint.h>

/* One thread spins until `ns` nanoseconds of %globaltimer have passed; writes the elapsed time it
 * saw to *elapsed when elapsed is not NULL. */
cudaError_t gt_spin(uint64_t ns, unsigned long long *elapsed, cudaStream_t st);
/* The smallest non-zero step of %globaltimer seen in a burst of reads, in ns (its resolution). */
cudaError_t gt_resolution(unsigned long long *step, cudaStream_t st);

#endif
