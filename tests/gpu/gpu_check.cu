/* SPDX-License-Identifier: MIT */
/* gpu_check.cu - standalone GPU test: loads CUDA suite plugins, verifies every bench against float64
 * and times it with events (median of repeats), next to the cuBLAS rows of the same run. */
#include <cbench.h>

#include <cuda_runtime.h>
#include <dlfcn.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The runner's helpers, reimplemented small: this program is the harness for the plugins. */
#define MAX_AXES 4
struct cb_state {
    const cb_bench *b;
    int64_t val[MAX_AXES]; /* this point's value of each axis */
    void *user;
    cudaStream_t st;
    uint64_t rng;
    char error[512];
    int recorded, passed;
    double max_abs, rel, tol;
};

int64_t cb_param(const cb_state *s, const char *name) {
    for (size_t i = 0; i < s->b->n_axes; i++)
        if (strcmp(s->b->axes[i].name, name) == 0) return s->val[i];
    cb_fail((cb_state *)s, "no axis named %s", name);
    return 0;
}
void cb_black_box(const void *p) { __asm__ volatile("" ::"r"(p) : "memory"); }
void *cb_user(const cb_state *s) { return s->user; }
void cb_set_user(cb_state *s, void *user) { s->user = user; }
void *cb_cuda_stream(const cb_state *s) { return (void *)s->st; }
int cb_fail(cb_state *s, const char *fmt, ...) {
    if (s->error[0] == '\0') {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(s->error, sizeof s->error, fmt, ap);
        va_end(ap);
    }
    return -1;
}
void cb_record_error(cb_state *s, double max_abs_err, double rel_l2_err, double tolerance) {
    s->recorded = 1, s->max_abs = max_abs_err, s->rel = rel_l2_err, s->tol = tolerance;
    s->passed = !isnan(max_abs_err) && !isnan(rel_l2_err) && rel_l2_err <= tolerance;
}
template <class T>
static int check(cb_state *s, const T *got, const double *ref, size_t n, double tol) {
    double num = 0, den = 0, mx = 0;
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite((double)got[i])) {
            bad++;
            continue;
        }
        const double d = (double)got[i] - ref[i];
        num += d * d, den += ref[i] * ref[i], mx = fabs(d) > mx ? fabs(d) : mx;
    }
    const double rel = den > 0 ? sqrt(num / den) : sqrt(num);
    cb_record_error(s, bad ? NAN : mx, rel, tol);
    if (bad) return cb_fail(s, "%zu of %zu outputs are NaN/Inf", bad, n);
    return s->passed ? 0 : cb_fail(s, "relative L2 error %.3g exceeds tolerance %.3g", rel, tol);
}
int cb_check_f32(cb_state *s, const float *got, const double *ref, size_t n, double tol) {
    return check(s, got, ref, n, tol);
}
/* The harness's scaled check: also max|got - ref| <= max_tol * max|ref|. */
int cb_check_f32_scaled(cb_state *s, const float *got, const double *ref, size_t n, double tol, double max_tol) {
    double scale = 0;
    for (size_t i = 0; i < n; i++) scale = fabs(ref[i]) > scale ? fabs(ref[i]) : scale;
    int rc = check(s, got, ref, n, tol);
    if (!rc && !(s->max_abs <= max_tol * scale)) {
        s->passed = 0;
        rc = cb_fail(s, "max-abs error %.3g exceeds %.3g of the output's scale %.3g", s->max_abs, max_tol, scale);
    }
    return rc;
}
void cb_record_elements_total(cb_state *s, uint64_t total) { (void)s, (void)total; }
int cb_verify_after(const cb_state *s) { return (void)s, 0; }
int cb_check_f64(cb_state *s, const double *got, const double *ref, size_t n, double tol) {
    return check(s, got, ref, n, tol);
}
static double next_u01(cb_state *s) { /* splitmix64 → [0, 1) */
    uint64_t z = (s->rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return (double)((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
}
void cb_fill_uniform_f32(cb_state *s, float *dst, size_t n, float lo, float hi) {
    for (size_t i = 0; i < n; i++) dst[i] = lo + (hi - lo) * (float)next_u01(s);
}
void cb_fill_uniform_f64(cb_state *s, double *dst, size_t n, double lo, double hi) {
    for (size_t i = 0; i < n; i++) dst[i] = lo + (hi - lo) * next_u01(s);
}

/* ---- the driver ---- */
typedef struct row {
    char id[96];
    const char *group;
    int64_t n; /* -1: the bench has no n axis */
    int64_t val[MAX_AXES];
    size_t n_axes;
    int reference, timed, ok;
    double ms, flops, bytes;
} row;

static row rows[512];
static int n_rows;
static int64_t sizes[32];
static int n_sizes;
static int do_time;
static const char *matches[16]; /* --match: run only the points whose id contains one of these */
static int n_matches;

static int selected(const char *id) {
    for (int i = 0; i < n_matches; i++)
        if (strstr(id, matches[i])) return 1;
    return n_matches == 0;
}

#define CK(call)                                                                                 \
    do {                                                                                         \
        cudaError_t e_ = (call);                                                                 \
        if (e_ != cudaSuccess) return cb_fail(s, "%s: %s", #call, cudaGetErrorString(e_));    \
    } while (0)

static int cmp_d(const void *a, const void *b) {
    const double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median ms per run() iteration: iters sized so one sample lasts ~2 ms, 9 samples. */
static int time_point(cb_state *s, double *ms) {
    cudaEvent_t e0, e1;
    CK(cudaEventCreate(&e0));
    CK(cudaEventCreate(&e1));
    float t = 0;
    double samples[9];
    uint64_t iters = 1;
    if (s->b->run(s, 1)) return -1; /* warm-up */
    CK(cudaStreamSynchronize(s->st));
    CK(cudaEventRecord(e0, s->st));
    if (s->b->run(s, 1)) return -1;
    CK(cudaEventRecord(e1, s->st));
    CK(cudaEventSynchronize(e1));
    CK(cudaEventElapsedTime(&t, e0, e1));
    if (t < 2.0f) iters = (uint64_t)(2.0 / (t > 1e-3f ? t : 1e-3f)) + 1;
    for (int r = 0; r < 9; r++) {
        CK(cudaEventRecord(e0, s->st));
        if (s->b->run(s, iters)) return -1;
        CK(cudaEventRecord(e1, s->st));
        CK(cudaEventSynchronize(e1));
        CK(cudaEventElapsedTime(&t, e0, e1));
        samples[r] = t / (double)iters;
    }
    qsort(samples, 9, sizeof(double), cmp_d);
    *ms = samples[4];
    CK(cudaEventDestroy(e0));
    CK(cudaEventDestroy(e1));
    return 0;
}

static int run_point(const cb_suite *su, const cb_bench *b, const int64_t *val, cudaStream_t st) {
    cb_state s_ = {};
    cb_state *s = &s_;
    s->b = b, s->st = st;
    char id[96];
    int len = snprintf(id, sizeof id, "%s/%s", su->name, b->name);
    for (size_t i = 0; i < b->n_axes && len < (int)sizeof id; i++)
        len += snprintf(id + len, sizeof id - len, "/%s=%lld", b->axes[i].name, (long long)val[i]);
    if (!selected(id)) return 0;
    row *r = &rows[n_rows < 511 ? n_rows++ : n_rows];
    memcpy(r->id, id, sizeof id);
    r->group = b->group, r->reference = b->reference, r->n = -1, r->n_axes = b->n_axes;
    for (size_t i = 0; i < b->n_axes; i++) {
        s->val[i] = r->val[i] = val[i];
        if (strcmp(b->axes[i].name, "n") == 0) r->n = val[i];
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    s->rng = 0x243f6a8885a308d3ull;
    for (const char *c = r->id; *c; c++) s->rng = (s->rng ^ (uint8_t)*c) * 0x100000001b3ull;
    int rc = b->setup ? b->setup(s) : 0;
    if (rc == 0 && b->verify) rc = b->verify(s);
    if (rc == 0 && s->recorded && !s->passed) rc = cb_fail(s, "verification over tolerance");
    if (rc == 0 && do_time && (rc = time_point(s, &r->ms)) == 0) r->timed = 1;
    r->flops = b->flops ? b->flops(s) : 0;
    r->bytes = b->bytes ? b->bytes(s) : 0;
    if (b->teardown) b->teardown(s);
    r->ok = rc == 0 && s->error[0] == '\0';
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("%-4s %-44s", r->ok ? "ok" : "FAIL", r->id);
    if (s->recorded) printf(" rel-L2 %.2e max-abs %.2e tol %.0e", s->rel, s->max_abs, s->tol);
    if (r->timed) printf("  %.4f ms", r->ms);
    printf("  [%.1f s]", (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec));
    printf("%s%s\n", s->error[0] ? "  error: " : "", s->error);
    fflush(stdout);
    return r->ok ? 0 : -1;
}

static int empty_axis(const cb_bench *b) {
    for (size_t a = 0; a < b->n_axes; a++)
        if (b->axes[a].count == 0) return 1;
    return 0;
}

static int run_suite(const cb_suite *su, cudaStream_t st) {
    int fails = 0;
    for (size_t i = 0; i < su->n_benches; i++) {
        const cb_bench *b = &su->benches[i];
        if (b->n_axes == 0) {
            fails += run_point(su, b, NULL, st) != 0;
        } else if (b->n_axes == 1 && strcmp(b->axes[0].name, "n") == 0) {
            for (int k = 0; k < n_sizes; k++) fails += run_point(su, b, &sizes[k], st) != 0;
        } else if (b->n_axes > MAX_AXES) {
            printf("skip %s/%s: more than %d axes\n", su->name, b->name, MAX_AXES);
        } else if (empty_axis(b)) {
            printf("skip %s/%s: an axis has no values\n", su->name, b->name);
        } else { /* the cartesian product of the axes, the last one fastest */
            size_t k[MAX_AXES] = {0};
            int64_t val[MAX_AXES];
            for (;;) {
                for (size_t a = 0; a < b->n_axes; a++) val[a] = b->axes[a].values[k[a]];
                fails += run_point(su, b, val, st) != 0;
                size_t a = b->n_axes;
                while (a > 0 && ++k[a - 1] == b->axes[a - 1].count) k[--a] = 0;
                if (a == 0) break;
            }
        }
    }
    return fails;
}

/* "% of cuBLAS": each matmul row against the reference row of its own input type at its n; a row
 * without an n axis against the reference row of its group at the same parameters. */
static const row *reference_for(const row *r) {
    if (r->n < 0) {
        for (int i = 0; r->n_axes > 0 && r->group && i < n_rows; i++)
            if (rows[i].reference && rows[i].timed && rows[i].group && strcmp(rows[i].group, r->group) == 0 &&
                rows[i].n_axes == r->n_axes && memcmp(rows[i].val, r->val, r->n_axes * sizeof r->val[0]) == 0)
                return &rows[i];
        return NULL;
    }
    const int half_in = strstr(r->id, "matmul_fp32/") == NULL;
    for (int i = 0; i < n_rows; i++)
        if (rows[i].reference && rows[i].timed && rows[i].n == r->n &&
            strstr(rows[i].id, half_in ? "/cublas_f16/" : "/sgemm/"))
            return &rows[i];
    return NULL;
}

static void print_table(void) {
    printf("\n%-44s %6s %10s %9s %9s %8s\n", "bench", "n", "ms", "TFLOP/s", "GB/s", "%ref");
    for (int i = 0; i < n_rows; i++) {
        const row *r = &rows[i];
        if (!r->timed) continue;
        const row *ref = r->n != 0 ? reference_for(r) : NULL;
        printf("%-44s %6lld %10.4f %9.2f %9.1f", r->id, (long long)r->n, r->ms, r->flops / r->ms * 1e-9,
               r->bytes / r->ms * 1e-6);
        if (ref) printf(" %7.1f%%", 100.0 * ref->ms / r->ms);
        printf("\n");
    }
}

int main(int argc, char **argv) {
    const char *size_list = "64,1000,3000";
    int first_plugin = argc;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--time") == 0) do_time = 1;
        else if (strcmp(argv[i], "--sizes") == 0 && i + 1 < argc) size_list = argv[++i];
        else if (strcmp(argv[i], "--match") == 0 && i + 1 < argc && n_matches < 16) matches[n_matches++] = argv[++i];
        else if (argv[i][0] == '-')
            return fprintf(stderr, "usage: %s [--time] [--sizes a,b,..] [--match SUBSTR]... PLUGIN.so...\n", argv[0]), 2;
        else if (first_plugin == argc) first_plugin = i;
    }
    for (const char *p = size_list; *p && n_sizes < 32; p = strchr(p, ',') ? strchr(p, ',') + 1 : "")
        sizes[n_sizes++] = atoll(p);
    int ndev = 0;
    cudaError_t e = cudaGetDeviceCount(&ndev);
    if (e != cudaSuccess || ndev == 0) {
        printf("gpu_check: no CUDA device (%s); nothing verified\n", cudaGetErrorString(e));
        return 1;
    }
    cudaDeviceProp prop;
    cudaStream_t st;
    if (cudaGetDeviceProperties(&prop, 0) != cudaSuccess || cudaStreamCreateWithFlags(&st, cudaStreamNonBlocking) != cudaSuccess)
        return printf("gpu_check: cannot open device 0\n"), 1;
    printf("device 0: %s, %d SMs, L2 %d MB\n", prop.name, prop.multiProcessorCount, prop.l2CacheSize >> 20);
    int fails = 0;
    for (int i = first_plugin; i < argc; i++) {
        if (argv[i][0] == '-') { i += strcmp(argv[i], "--sizes") == 0 || strcmp(argv[i], "--match") == 0; continue; }
        void *h = dlopen(argv[i], RTLD_NOW | RTLD_LOCAL);
        cb_suite_entry_fn entry = h ? (cb_suite_entry_fn)dlsym(h, "cb_suite_entry") : NULL;
        const cb_suite *su = entry ? entry() : NULL;
        if (!su || su->abi_version != CB_ABI_VERSION) {
            printf("FAIL %s: %s\n", argv[i], h ? "no cb_suite_entry or ABI mismatch" : dlerror());
            fails++;
            continue;
        }
        fails += run_suite(su, st);
    }
    if (do_time) print_table();
    int passed = 0;
    for (int i = 0; i < n_rows; i++) passed += rows[i].ok;
    printf("\n%d passed, %d failed\n", passed, fails);
    return fails ? 1 : 0;
}
