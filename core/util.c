/* SPDX-License-Identifier: MIT */
/* util.c - strings, directories, atomic file writes, hashing. */
#include "cb_error.h"
#include "cb_util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

char *cb_strdup(const char *s) {
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

char *cb_asprintf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s) return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

int cb_mkdir_p(const char *path) {
    char buf[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf) return CB_ERR_USAGE;
    memcpy(buf, path, n + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST) return CB_ERR_IO;
        *p = '/';
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST) return CB_ERR_IO;
    return CB_OK;
}

static int write_fd(int fd, const char *data, size_t len) {
    for (size_t off = 0; off < len;) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            if (w == 0) errno = ENOSPC;
            return CB_ERR_IO;
        }
        off += (size_t)w;
    }
    return CB_OK;
}

/* A device or FIFO behind a symlink (latest.json -> /dev/full) cannot be renamed over: it is
 * written in place, and its error reported like any other. */
static int write_in_place(const char *path, const char *data, size_t len) {
    int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0) return CB_ERR_IO;
    int rc = write_fd(fd, data, len), e = errno;
    if (close(fd) != 0 && rc == CB_OK) return CB_ERR_IO;
    errno = e;
    return rc;
}

/* The temp name is unique per process and call (pid, counter), so concurrent writers of one
 * file, in one process or several, never share a temp file: the last rename wins whole. */
static int write_file(const char *path, const char *data, size_t len, int durable) {
    static _Atomic unsigned counter;
    struct stat st;
    char *real = NULL;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && (real = realpath(path, NULL))) {
        if (stat(real, &st) == 0 && !S_ISREG(st.st_mode)) {
            int rc = write_in_place(real, data, len), e = errno;
            free(real);
            errno = e;
            return rc;
        }
        path = real; /* a symlink to a regular file: replace the file, keep the link */
    }
    char *tmp = cb_asprintf("%s.tmp.%ld.%u", path, (long)getpid(), counter++);
    int rc = CB_ERR_IO, e = 0,
        fd = tmp ? open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644) : -1;
    if (!tmp)
        rc = CB_ERR_NOMEM;
    else if (fd < 0)
        e = errno;
    else if (write_fd(fd, data, len) != CB_OK || (durable && fsync(fd) != 0))
        e = errno;
    if (fd >= 0 && close(fd) != 0 && !e) e = errno;
    if (fd >= 0 && !e && rename(tmp, path) != 0) e = errno;
    if (fd >= 0 && e) unlink(tmp); /* the old file stays as it was */
    if (fd >= 0 && !e) rc = CB_OK;
    free(tmp);
    free(real);
    errno = e;
    return rc;
}

int cb_write_file_atomic(const char *path, const char *data, size_t len) {
    return write_file(path, data, len, 1);
}

int cb_write_file_replace(const char *path, const char *data, size_t len) {
    return write_file(path, data, len, 0);
}

/* The hash of the id through splitmix64's finaliser: neighbouring seeds and similar ids land
 * far apart; the same (seed, id) always gives the same stream, whatever the thread count. */
uint64_t cb_bench_seed(uint64_t seed, const char *id) {
    return id ? cb_splitmix64(seed ^ cb_hash64(id)) : seed;
}

uint64_t cb_hash64(const char *s) {
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

int cb_write_all(int fd, const void *buf, size_t n) {
    for (const char *p = buf; n;) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return CB_ERR_IO;
        p += w;
        n -= (size_t)w;
    }
    return CB_OK;
}

int cb_read_all(int fd, void *buf, size_t n) {
    for (char *p = buf; n;) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return CB_ERR_IO;
        p += r;
        n -= (size_t)r;
    }
    return CB_OK;
}

uint64_t cb_splitmix64(uint64_t z) {
    z += UINT64_C(0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

uint64_t cb_rng_next(uint64_t *state) {
    uint64_t z = *state;
    *state += UINT64_C(0x9e3779b97f4a7c15);
    return cb_splitmix64(z);
}

/* A median-of-three pivot value; signed indices so j may pass lo. */
double cb_select_kth(double *x, size_t n, size_t k) {
    ptrdiff_t lo = 0, hi = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k;
    while (lo < hi) {
        double a = x[lo], b = x[lo + (hi - lo) / 2], c = x[hi];
        double p = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
        ptrdiff_t i = lo, j = hi;
        do {
            while (x[i] < p) i++;
            while (p < x[j]) j--;
            if (i <= j) {
                double t = x[i];
                x[i++] = x[j];
                x[j--] = t;
            }
        } while (i <= j);
        if (j < kk) lo = i;
        if (kk < i) hi = j;
    }
    return x[k];
}

int cb_grow(void *arr, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return CB_OK;
    size_t n = *cap ? *cap : 16;
    while (n < need) n = n > SIZE_MAX / 2 ? need : 2 * n;
    if (n > SIZE_MAX / elem) return CB_ERR_NOMEM;
    void *old;
    memcpy(&old, arr, sizeof old); /* arr is the address of some T *: no type punning */
    void *p = realloc(old, n * elem);
    if (!p) return CB_ERR_NOMEM;
    memcpy(arr, &p, sizeof p);
    *cap = n;
    return CB_OK;
}

char *cb_csv_quoted(const char *s, int always_quote) {
    if (!s) s = "";
    if (!always_quote && !strpbrk(s, ",\"\r\n")) return cb_strdup(s);
    size_t n = 2;
    for (const char *c = s; *c; c++) n += 1 + (*c == '"');
    char *q = malloc(n + 1), *o = q;
    if (!q) return NULL;
    *o++ = '"';
    for (; *s; s++) {
        if (*s == '"') *o++ = '"';
        *o++ = *s;
    }
    *o++ = '"';
    *o = '\0';
    return q;
}

void cb_csv_field(FILE *f, const char *s, int always_quote) {
    char *q = cb_csv_quoted(s, always_quote);
    if (q) fputs(q, f);
    free(q);
}

void cb_run_id_new(char *id, size_t idsz, char *iso, size_t isosz) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    time_t now = ts.tv_sec;
    struct tm tm;
    gmtime_r(&now, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    strftime(iso, isosz, "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(id, idsz, "%s-%ld-%09ld", stamp, (long)getpid(), (long)ts.tv_nsec);
}
