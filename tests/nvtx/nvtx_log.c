/* SPDX-License-Identifier: MIT */
/* nvtx_log.c - an NVTX injection library (NVTX_INJECTION64_PATH) that writes every push/pop range
 * to the file CB_NVTX_LOG names, one "push NAME" or "pop" a line: what a profiler would see of
 * `cbench --profile` (tests/test_abi3.c; docs/profiling.md). */
#include <nvtx3/nvToolsExt.h>
#include <stdio.h>
#include <stdlib.h>

static FILE *out;

static int push(const char *msg) {
    if (out) fprintf(out, "push %s\n", msg ? msg : "(null)"), fflush(out);
    return 0;
}

static int pop(void) {
    if (out) fputs("pop\n", out), fflush(out);
    return 0;
}

__attribute__((visibility("default"))) int InitializeInjectionNvtx2(NvtxGetExportTableFunc_t get);
int InitializeInjectionNvtx2(NvtxGetExportTableFunc_t get) {
    const NvtxExportTableCallbacks *cb = (const NvtxExportTableCallbacks *)get(NVTX_ETID_CALLBACKS);
    NvtxFunctionTable table = NULL;
    unsigned int size = 0;
    const char *path = getenv("CB_NVTX_LOG");
    if (!cb || !path || !cb->GetModuleFunctionTable(NVTX_CB_MODULE_CORE, &table, &size)) return 0;
    if (size <= NVTX_CBID_CORE_RangePop || !(out = fopen(path, "w"))) return 0;
    *table[NVTX_CBID_CORE_RangePushA] = (NvtxFunctionPointer)push;
    *table[NVTX_CBID_CORE_RangePop] = (NvtxFunctionPointer)pop;
    return 1;
}
