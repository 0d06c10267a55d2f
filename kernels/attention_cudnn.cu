/* SPDX-License-Identifier: MIT */
/* attention_cudnn.cu - cuDNN 9's fused attention through the backend graph API, opened with dlopen. */
#include "attention.h"

#include <cudnn.h>
#include <dlfcn.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The calls we make, looked up at run time: a missing libcudnn fails this row, not the suite. */
static struct {
    void *lib;
    decltype(&cudnnGetVersion) GetVersion;
    decltype(&cudnnGetErrorString) GetErrorString;
    decltype(&cudnnGetLastErrorString) GetLastErrorString;
    decltype(&cudnnCreate) Create;
    decltype(&cudnnDestroy) Destroy;
    decltype(&cudnnSetStream) SetStream;
    decltype(&cudnnBackendCreateDescriptor) CreateDescriptor;
    decltype(&cudnnBackendDestroyDescriptor) DestroyDescriptor;
    decltype(&cudnnBackendSetAttribute) SetAttribute;
    decltype(&cudnnBackendGetAttribute) GetAttribute;
    decltype(&cudnnBackendFinalize) Finalize;
    decltype(&cudnnBackendExecute) Execute;
} api;

static int cerr(char *err, size_t n, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, n, fmt, ap);
    va_end(ap);
    return -1;
}

static int load_api(char *err, size_t n) {
    if (api.lib) return 0;
    static const char *const names[] = {"libcudnn.so.9", "/usr/local/cuda/lib64/libcudnn.so.9",
                                        "/usr/lib/x86_64-linux-gnu/libcudnn.so.9"};
    void *h = NULL;
    for (size_t i = 0; !h && i < sizeof names / sizeof *names; i++) h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!h) return cerr(err, n, "cuDNN not available: dlopen(libcudnn.so.9): %s", dlerror());
#define SYM(f, name)                                                             \
    if (!(*(void **)&api.f = dlsym(h, name))) {                                  \
        dlclose(h);                                                              \
        return cerr(err, n, "cuDNN: no symbol %s in libcudnn.so.9", name);       \
    }
    SYM(GetVersion, "cudnnGetVersion") SYM(GetErrorString, "cudnnGetErrorString")
    SYM(GetLastErrorString, "cudnnGetLastErrorString") SYM(Create, "cudnnCreate") SYM(Destroy, "cudnnDestroy")
    SYM(SetStream, "cudnnSetStream") SYM(CreateDescriptor, "cudnnBackendCreateDescriptor")
    SYM(DestroyDescriptor, "cudnnBackendDestroyDescriptor") SYM(SetAttribute, "cudnnBackendSetAttribute")
    SYM(GetAttribute, "cudnnBackendGetAttribute") SYM(Finalize, "cudnnBackendFinalize")
    SYM(Execute, "cudnnBackendExecute")
#undef SYM
    if (api.GetVersion() < 90000) {
        const size_t v = api.GetVersion();
        dlclose(h);
        return cerr(err, n, "cuDNN %zu is older than 9.0", v);
    }
    api.lib = h;
    return 0;
}

#define MAX_DESC 256
struct attn_cudnn {
    cudnnHandle_t handle;
    cudnnBackendDescriptor_t desc[MAX_DESC]; /* everything made, destroyed in reverse */
    int n_desc;
    cudnnBackendDescriptor_t plan, pack;
    void *ws;
    float scale, mask_value; /* by-value scalars: the variant pack points at these */
    char what[160];
};

/* Records where a call failed, with cuDNN's own last message. */
static int fail(const char *call, cudnnStatus_t st, char *err, size_t n) {
    char last[256] = "";
    api.GetLastErrorString(last, sizeof last);
    return cerr(err, n, "cuDNN %s: %s%s%s", call, api.GetErrorString(st), last[0] ? ": " : "", last);
}
#define CK(call)                                                  \
    do {                                                          \
        cudnnStatus_t st_ = (call);                               \
        if (st_ != CUDNN_STATUS_SUCCESS) return fail(#call, st_, err, errsz); \
    } while (0)

static int make(attn_cudnn *c, cudnnBackendDescriptorType_t type, cudnnBackendDescriptor_t *out, char *err,
                size_t errsz) {
    if (c->n_desc == MAX_DESC) return cerr(err, errsz, "cuDNN graph: too many descriptors");
    CK(api.CreateDescriptor(type, out));
    c->desc[c->n_desc++] = *out;
    return 0;
}

typedef struct gb { /* graph builder: the object, and where errors go */
    attn_cudnn *c;
    char *err;
    size_t errsz;
    cudnnBackendDescriptor_t ops[32];
    int n_ops;
} gb;

static cudnnBackendDescriptor_t tensor(gb *g, int64_t uid, cudnnDataType_t type, const int64_t dim[4],
                                       const int64_t stride[4], bool virt, bool by_value) {
    char *err = g->err;
    size_t errsz = g->errsz;
    cudnnBackendDescriptor_t t;
    if (make(g->c, CUDNN_BACKEND_TENSOR_DESCRIPTOR, &t, err, errsz)) return NULL;
    const int64_t align = 16;
#define SET(attr, ty, cnt, ptr)                                                               \
    do {                                                                                      \
        cudnnStatus_t st_ = api.SetAttribute(t, attr, ty, cnt, ptr);                          \
        if (st_ != CUDNN_STATUS_SUCCESS) return fail(#attr, st_, err, errsz), (cudnnBackendDescriptor_t)NULL; \
    } while (0)
    SET(CUDNN_ATTR_TENSOR_DATA_TYPE, CUDNN_TYPE_DATA_TYPE, 1, &type);
    SET(CUDNN_ATTR_TENSOR_DIMENSIONS, CUDNN_TYPE_INT64, 4, dim);
    SET(CUDNN_ATTR_TENSOR_STRIDES, CUDNN_TYPE_INT64, 4, stride);
    SET(CUDNN_ATTR_TENSOR_UNIQUE_ID, CUDNN_TYPE_INT64, 1, &uid);
    SET(CUDNN_ATTR_TENSOR_BYTE_ALIGNMENT, CUDNN_TYPE_INT64, 1, &align);
    SET(CUDNN_ATTR_TENSOR_IS_VIRTUAL, CUDNN_TYPE_BOOLEAN, 1, &virt);
    SET(CUDNN_ATTR_TENSOR_IS_BY_VALUE, CUDNN_TYPE_BOOLEAN, 1, &by_value);
#undef SET
    cudnnStatus_t st = api.Finalize(t);
    if (st != CUDNN_STATUS_SUCCESS) return fail("tensor finalize", st, err, errsz), (cudnnBackendDescriptor_t)NULL;
    return t;
}

static int add_op(gb *g, cudnnBackendDescriptor_t op) {
    char *err = g->err;
    size_t errsz = g->errsz;
    CK(api.Finalize(op));
    g->ops[g->n_ops++] = op;
    return 0;
}

/* y = op(x [, b [, t]]) elementwise; math in `prec`; axis for GEN_INDEX (else -1). */
static int pointwise(gb *g, cudnnPointwiseMode_t mode, cudnnDataType_t prec, int64_t axis, cudnnBackendDescriptor_t x,
                     cudnnBackendDescriptor_t b, cudnnBackendDescriptor_t t, cudnnBackendDescriptor_t y) {
    char *err = g->err;
    size_t errsz = g->errsz;
    if (!x || !y || g->n_ops == 32) return -1;
    cudnnBackendDescriptor_t pw, op;
    if (make(g->c, CUDNN_BACKEND_POINTWISE_DESCRIPTOR, &pw, err, errsz)) return -1;
    CK(api.SetAttribute(pw, CUDNN_ATTR_POINTWISE_MODE, CUDNN_TYPE_POINTWISE_MODE, 1, &mode));
    CK(api.SetAttribute(pw, CUDNN_ATTR_POINTWISE_MATH_PREC, CUDNN_TYPE_DATA_TYPE, 1, &prec));
    if (axis >= 0) CK(api.SetAttribute(pw, CUDNN_ATTR_POINTWISE_AXIS, CUDNN_TYPE_INT64, 1, &axis));
    CK(api.Finalize(pw));
    if (make(g->c, CUDNN_BACKEND_OPERATION_POINTWISE_DESCRIPTOR, &op, err, errsz)) return -1;
    CK(api.SetAttribute(op, CUDNN_ATTR_OPERATION_POINTWISE_PW_DESCRIPTOR, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &pw));
    CK(api.SetAttribute(op, CUDNN_ATTR_OPERATION_POINTWISE_XDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &x));
    if (b) CK(api.SetAttribute(op, CUDNN_ATTR_OPERATION_POINTWISE_BDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &b));
    if (t) CK(api.SetAttribute(op, CUDNN_ATTR_OPERATION_POINTWISE_TDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &t));
    CK(api.SetAttribute(op, CUDNN_ATTR_OPERATION_POINTWISE_YDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &y));
    return add_op(g, op);
}

static int reduction(gb *g, cudnnReduceTensorOp_t mode, cudnnBackendDescriptor_t x, cudnnBackendDescriptor_t y) {
    char *err = g->err;
    size_t errsz = g->errsz;
    if (!x || !y || g->n_ops == 32) return -1;
    cudnnBackendDescriptor_t rd, op;
    const cudnnDataType_t f32 = CUDNN_DATA_FLOAT;
    if (make(g->c, CUDNN_BACKEND_REDUCTION_DESCRIPTOR, &rd, err, errsz)) return -1;
    CK(api.SetAttribute(rd, CUDNN_ATTR_REDUCTION_OPERATOR, CUDNN_TYPE_REDUCTION_OPERATOR_TYPE, 1, &mode));
    CK(api.SetAttribute(rd, CUDNN_ATTR_REDUCTION_COMP_TYPE, CUDNN_TYPE_DATA_TYPE, 1, &f32));
    CK(api.Finalize(rd));
    if (make(g->c, CUDNN_BACKEND_OPERATION_REDUCTION_DESCRIPTOR, &op, err, errsz)) return -1;
    CK(api.SetAttribute(op, CUDNN_ATTR_OPERATION_REDUCTION_XDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &x));
    CK(api.SetAttribute(op, CUDNN_ATTR_OPERATION_REDUCTION_YDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &y));
    CK(api.SetAttribute(op, CUDNN_ATTR_OPERATION_REDUCTION_DESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &rd));
    return add_op(g, op);
}

static int matmul(gb *g, cudnnBackendDescriptor_t a, cudnnBackendDescriptor_t b, cudnnBackendDescriptor_t c) {
    char *err = g->err;
    size_t errsz = g->errsz;
    if (!a || !b || !c || g->n_ops == 32) return -1;
    cudnnBackendDescriptor_t mm, op;
    const cudnnDataType_t f32 = CUDNN_DATA_FLOAT;
    if (make(g->c, CUDNN_BACKEND_MATMUL_DESCRIPTOR, &mm, err, errsz)) return -1;
    CK(api.SetAttribute(mm, CUDNN_ATTR_MATMUL_COMP_TYPE, CUDNN_TYPE_DATA_TYPE, 1, &f32));
    CK(api.Finalize(mm));
    if (make(g->c, CUDNN_BACKEND_OPERATION_MATMUL_DESCRIPTOR, &op, err, errsz)) return -1;
    CK(api.SetAttribute(op, CUDNN_ATTR_OPERATION_MATMUL_ADESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &a));
    CK(api.SetAttribute(op, CUDNN_ATTR_OPERATION_MATMUL_BDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &b));
    CK(api.SetAttribute(op, CUDNN_ATTR_OPERATION_MATMUL_CDESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &c));
    CK(api.SetAttribute(op, CUDNN_ATTR_OPERATION_MATMUL_DESC, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &mm));
    return add_op(g, op);
}

enum { UID_Q = 1, UID_K, UID_V, UID_O, UID_SCALE, UID_MASKVAL, UID_VIRT = 100 };

/* The graph cudnn-frontend 1.x lowers an inference SDPA node to on cuDNN < 9.21 (composite softmax):
 * S = Q·Kᵀ; S·scale; [causal: GEN_INDEX row/col, CMP_GE, BINARY_SELECT with -FLT_MAX]; max, sub,
 * exp, sum, (log, add → virtual stats when `stats`), div → P (FP16); O = P·V. */
static int build_graph(gb *g, int64_t b, int64_t h, int64_t s, int64_t d, int causal, int stats) {
    const int64_t qd[4] = {b, h, s, d}, qs[4] = {h * s * d, s * d, d, 1};
    const int64_t kd[4] = {b, h, d, s}, ks[4] = {h * s * d, s * d, 1, d}; /* K read as Kᵀ */
    const int64_t sd[4] = {b, h, s, s}, ss[4] = {h * s * s, s * s, s, 1};
    const int64_t rd[4] = {b, h, s, 1}, rs[4] = {h * s, s, 1, 1};
    const int64_t one[4] = {1, 1, 1, 1};
    const cudnnDataType_t F = CUDNN_DATA_FLOAT, H = CUDNN_DATA_HALF;
    int64_t v = UID_VIRT;
    cudnnBackendDescriptor_t q = tensor(g, UID_Q, H, qd, qs, false, false);
    cudnnBackendDescriptor_t kt = tensor(g, UID_K, H, kd, ks, false, false);
    cudnnBackendDescriptor_t vv = tensor(g, UID_V, H, qd, qs, false, false);
    cudnnBackendDescriptor_t o = tensor(g, UID_O, H, qd, qs, false, false);
    cudnnBackendDescriptor_t scale = tensor(g, UID_SCALE, F, one, one, false, true);
    cudnnBackendDescriptor_t s1 = tensor(g, v++, F, sd, ss, true, false);
    if (matmul(g, q, kt, s1)) return -1;
    cudnnBackendDescriptor_t s2 = tensor(g, v++, F, sd, ss, true, false);
    if (pointwise(g, CUDNN_POINTWISE_MUL, F, -1, s1, scale, NULL, s2)) return -1;
    if (causal) {
        cudnnBackendDescriptor_t row = tensor(g, v++, CUDNN_DATA_INT32, sd, ss, true, false);
        cudnnBackendDescriptor_t col = tensor(g, v++, CUDNN_DATA_INT32, sd, ss, true, false);
        cudnnBackendDescriptor_t keep = tensor(g, v++, CUDNN_DATA_BOOLEAN, sd, ss, true, false);
        cudnnBackendDescriptor_t mval = tensor(g, UID_MASKVAL, F, one, one, false, true);
        cudnnBackendDescriptor_t s3 = tensor(g, v++, F, sd, ss, true, false);
        if (pointwise(g, CUDNN_POINTWISE_GEN_INDEX, CUDNN_DATA_INT32, 2, s2, NULL, NULL, row) ||
            pointwise(g, CUDNN_POINTWISE_GEN_INDEX, CUDNN_DATA_INT32, 3, s2, NULL, NULL, col) ||
            pointwise(g, CUDNN_POINTWISE_CMP_GE, CUDNN_DATA_BOOLEAN, -1, row, col, NULL, keep) ||
            pointwise(g, CUDNN_POINTWISE_BINARY_SELECT, F, -1, s2, mval, keep, s3))
            return -1;
        s2 = s3;
    }
    cudnnBackendDescriptor_t mx = tensor(g, v++, F, rd, rs, true, false);
    cudnnBackendDescriptor_t sub = tensor(g, v++, F, sd, ss, true, false);
    cudnnBackendDescriptor_t ex = tensor(g, v++, F, sd, ss, true, false);
    cudnnBackendDescriptor_t sum = tensor(g, v++, F, rd, rs, true, false);
    cudnnBackendDescriptor_t p = tensor(g, v++, H, sd, ss, true, false);
    if (reduction(g, CUDNN_REDUCE_TENSOR_MAX, s2, mx) || pointwise(g, CUDNN_POINTWISE_SUB, F, -1, s2, mx, NULL, sub) ||
        pointwise(g, CUDNN_POINTWISE_EXP, F, -1, sub, NULL, NULL, ex) || reduction(g, CUDNN_REDUCE_TENSOR_ADD, ex, sum))
        return -1;
    if (stats) {
        cudnnBackendDescriptor_t lg = tensor(g, v++, F, rd, rs, true, false);
        cudnnBackendDescriptor_t st = tensor(g, v++, F, rd, rs, true, false);
        if (pointwise(g, CUDNN_POINTWISE_LOG, F, -1, sum, NULL, NULL, lg) ||
            pointwise(g, CUDNN_POINTWISE_ADD, F, -1, mx, lg, NULL, st))
            return -1;
    }
    if (pointwise(g, CUDNN_POINTWISE_DIV, F, -1, ex, sum, NULL, p)) return -1;
    return matmul(g, p, vv, o);
}

/* The first engine config the heuristics list whose plan finalizes; 0 or -1. */
static int find_plan(attn_cudnn *c, cudnnBackendDescriptor_t graph, char *err, size_t errsz) {
    static const cudnnBackendHeurMode_t modes[] = {CUDNN_HEUR_MODE_A, CUDNN_HEUR_MODE_FALLBACK};
    char first[300] = "";
    for (size_t mi = 0; mi < sizeof modes / sizeof *modes; mi++) {
        cudnnBackendDescriptor_t heur;
        if (make(c, CUDNN_BACKEND_ENGINEHEUR_DESCRIPTOR, &heur, err, errsz)) return -1;
        CK(api.SetAttribute(heur, CUDNN_ATTR_ENGINEHEUR_OPERATION_GRAPH, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &graph));
        CK(api.SetAttribute(heur, CUDNN_ATTR_ENGINEHEUR_MODE, CUDNN_TYPE_HEUR_MODE, 1, &modes[mi]));
        if (api.Finalize(heur) != CUDNN_STATUS_SUCCESS) continue;
        int64_t n = 0;
        CK(api.GetAttribute(heur, CUDNN_ATTR_ENGINEHEUR_RESULTS, CUDNN_TYPE_BACKEND_DESCRIPTOR, 0, &n, NULL));
        if (n <= 0) continue;
        if (n > 8) n = 8;
        cudnnBackendDescriptor_t cfg[8];
        for (int64_t i = 0; i < n; i++)
            if (make(c, CUDNN_BACKEND_ENGINECFG_DESCRIPTOR, &cfg[i], err, errsz)) return -1;
        int64_t got = 0;
        CK(api.GetAttribute(heur, CUDNN_ATTR_ENGINEHEUR_RESULTS, CUDNN_TYPE_BACKEND_DESCRIPTOR, n, &got, cfg));
        for (int64_t i = 0; i < got; i++) {
            cudnnBackendDescriptor_t plan;
            if (make(c, CUDNN_BACKEND_EXECUTION_PLAN_DESCRIPTOR, &plan, err, errsz)) return -1;
            CK(api.SetAttribute(plan, CUDNN_ATTR_EXECUTION_PLAN_HANDLE, CUDNN_TYPE_HANDLE, 1, &c->handle));
            CK(api.SetAttribute(plan, CUDNN_ATTR_EXECUTION_PLAN_ENGINE_CONFIG, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &cfg[i]));
            const cudnnStatus_t st = api.Finalize(plan);
            if (st != CUDNN_STATUS_SUCCESS) {
                if (!first[0]) fail("plan finalize", st, first, sizeof first);
                continue;
            }
            int64_t eng_idx = -1, cnt = 0;
            cudnnBackendDescriptor_t eng;
            if (make(c, CUDNN_BACKEND_ENGINE_DESCRIPTOR, &eng, err, errsz)) return -1;
            if (api.GetAttribute(cfg[i], CUDNN_ATTR_ENGINECFG_ENGINE, CUDNN_TYPE_BACKEND_DESCRIPTOR, 1, &cnt, &eng) ==
                CUDNN_STATUS_SUCCESS)
                api.GetAttribute(eng, CUDNN_ATTR_ENGINE_GLOBAL_INDEX, CUDNN_TYPE_INT64, 1, &cnt, &eng_idx);
            snprintf(c->what, sizeof c->what, "cuDNN %zu, heuristics %s result %lld of %lld, engine %lld",
                     api.GetVersion(), mi == 0 ? "A" : "fallback", (long long)i, (long long)got, (long long)eng_idx);
            c->plan = plan;
            return 0;
        }
    }
    return cerr(err, errsz, "cuDNN: no engine for the attention graph%s%s", first[0] ? "; first refusal: " : "", first);
}

int attn_cudnn_create(attn_cudnn **out, int batch, int heads, int s, int d, int causal, const __half *Q,
                      const __half *K, const __half *V, __half *O, cudaStream_t st, char *err, size_t errsz) {
    *out = NULL;
    if (load_api(err, errsz)) return -1;
    attn_cudnn *c = (attn_cudnn *)calloc(1, sizeof *c);
    if (!c) return cerr(err, errsz, "calloc: out of memory");
    c->scale = 1.0f / sqrtf((float)d);
    c->mask_value = -FLT_MAX;
    int rc = -1;
    cudnnStatus_t cs = api.Create(&c->handle);
    if (cs != CUDNN_STATUS_SUCCESS) {
        fail("cudnnCreate", cs, err, errsz);
        free(c);
        return -1;
    }
    if ((cs = api.SetStream(c->handle, st)) != CUDNN_STATUS_SUCCESS) {
        fail("cudnnSetStream", cs, err, errsz);
        goto done;
    }
    /* The frontend's graph first (with the virtual stats branch), then without it. */
    for (int stats = 1; stats >= 0 && !c->plan; stats--) {
        gb g = {c, err, errsz, {}, 0};
        if (build_graph(&g, batch, heads, s, d, causal, stats)) goto done;
        cudnnBackendDescriptor_t graph;
        if (make(c, CUDNN_BACKEND_OPERATIONGRAPH_DESCRIPTOR, &graph, err, errsz)) goto done;
        if ((cs = api.SetAttribute(graph, CUDNN_ATTR_OPERATIONGRAPH_OPS, CUDNN_TYPE_BACKEND_DESCRIPTOR, g.n_ops, g.ops)) ||
            (cs = api.SetAttribute(graph, CUDNN_ATTR_OPERATIONGRAPH_HANDLE, CUDNN_TYPE_HANDLE, 1, &c->handle)) ||
            (cs = api.Finalize(graph))) {
            fail("operation graph", cs, err, errsz);
            if (stats) continue;
            goto done;
        }
        if (find_plan(c, graph, err, errsz) && !stats) goto done;
    }
    {
        int64_t ws = 0, cnt = 0;
        if ((cs = api.GetAttribute(c->plan, CUDNN_ATTR_EXECUTION_PLAN_WORKSPACE_SIZE, CUDNN_TYPE_INT64, 1, &cnt, &ws))) {
            fail("workspace size", cs, err, errsz);
            goto done;
        }
        if (ws > 0) {
            const cudaError_t ce = cudaMalloc(&c->ws, (size_t)ws);
            if (ce != cudaSuccess) {
                cerr(err, errsz, "cudaMalloc(cuDNN workspace %lld B): %s", (long long)ws, cudaGetErrorString(ce));
                goto done;
            }
        }
        size_t len = strlen(c->what);
        snprintf(c->what + len, sizeof c->what - len, ", workspace %lld B", (long long)ws);
        int64_t uids[6] = {UID_Q, UID_K, UID_V, UID_O, UID_SCALE, UID_MASKVAL};
        void *ptrs[6] = {(void *)Q, (void *)K, (void *)V, (void *)O, &c->scale, &c->mask_value};
        const int64_t n = causal ? 6 : 5;
        if (make(c, CUDNN_BACKEND_VARIANT_PACK_DESCRIPTOR, &c->pack, err, errsz)) goto done;
        if ((cs = api.SetAttribute(c->pack, CUDNN_ATTR_VARIANT_PACK_UNIQUE_IDS, CUDNN_TYPE_INT64, n, uids)) ||
            (cs = api.SetAttribute(c->pack, CUDNN_ATTR_VARIANT_PACK_DATA_POINTERS, CUDNN_TYPE_VOID_PTR, n, ptrs)) ||
            (cs = api.SetAttribute(c->pack, CUDNN_ATTR_VARIANT_PACK_WORKSPACE, CUDNN_TYPE_VOID_PTR, 1, &c->ws)) ||
            (cs = api.Finalize(c->pack))) {
            fail("variant pack", cs, err, errsz);
            goto done;
        }
    }
    rc = 0;
done:
    if (rc) {
        char ignored[64]; /* the first error is the one to report */
        attn_cudnn_destroy(c, ignored, sizeof ignored);
        return -1;
    }
    *out = c;
    return 0;
}

int attn_cudnn_run(attn_cudnn *c, char *err, size_t errsz) {
    CK(api.Execute(c->handle, c->plan, c->pack));
    return 0;
}

const char *attn_cudnn_describe(const attn_cudnn *c) { return c->what; }

int attn_cudnn_destroy(attn_cudnn *c, char *err, size_t errsz) {
    if (!c) return 0;
    int rc = 0;
    for (int i = c->n_desc - 1; i >= 0; i--)
        if (api.DestroyDescriptor(c->desc[i]) != CUDNN_STATUS_SUCCESS && rc == 0)
            rc = cerr(err, errsz, "cudnnBackendDestroyDescriptor failed");
    const cudaError_t ce = c->ws ? cudaFree(c->ws) : cudaSuccess;
    if (ce != cudaSuccess && rc == 0) rc = cerr(err, errsz, "cudaFree(cuDNN workspace): %s", cudaGetErrorString(ce));
    if (c->handle && api.Destroy(c->handle) != CUDNN_STATUS_SUCCESS && rc == 0) rc = cerr(err, errsz, "cudnnDestroy failed");
    free(c);
    return rc;
}
