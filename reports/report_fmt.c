/* SPDX-License-Identifier: MIT */
/* report_fmt.c - the report's text buffer, number formats with units, and escaping of names
 * for Markdown, gnuplot strings, C literals and file names. */
#include "report_write.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int grow(cb_rp_buf *b, size_t need) {
    if (b->err) return -1;
    if (b->len + need + 1 <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + need + 1) cap *= 2;
    char *s = realloc(b->s, cap);
    if (!s) return b->err = CB_ERR_NOMEM, -1;
    b->s = s;
    b->cap = cap;
    return 0;
}

void cb_rp_printf(cb_rp_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || grow(b, (size_t)n)) return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

static void put_char(cb_rp_buf *b, char c) {
    if (grow(b, 1)) return;
    b->s[b->len++] = c;
    b->s[b->len] = '\0';
}

void cb_rp_puts(cb_rp_buf *b, const char *s) {
    size_t n = strlen(s);
    if (grow(b, n)) return;
    memcpy(b->s + b->len, s, n + 1);
    b->len += n;
}

void cb_rp_buf_free(cb_rp_buf *b) {
    free(b->s);
    memset(b, 0, sizeof *b);
}

/* Characters with a meaning inline in CommonMark/GFM ($ is GitHub math, | a table cell). */
static const char md_special[] = "\\`*_[]<>|~&$@!#";

void cb_rp_md(cb_rp_buf *b, const char *s) {
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f)
            c = ' '; /* a newline would end a table row */
        else if (strchr(md_special, c))
            put_char(b, '\\');
        put_char(b, (char)c);
    }
}

void cb_rp_gp_str(cb_rp_buf *b, const char *s, size_t max) {
    /* Single quotes: gnuplot expands neither backquotes, @macros nor escapes inside them. A
     * quote inside is shown as U+2019, since gnuplot's '' escape misparses at a string's start
     * and a string that ends early would let the rest run as commands. */
    size_t shown = 0;
    put_char(b, '\'');
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c & 0xc0) != 0x80 && ++shown > max) { /* count characters, not bytes */
            cb_rp_puts(b, "…");
            break;
        }
        if (c == '\'') {
            cb_rp_puts(b, "’");
            continue;
        }
        put_char(b, c < 0x20 || c == 0x7f ? ' ' : (char)c);
    }
    put_char(b, '\'');
}

void cb_rp_c_str(cb_rp_buf *b, const char *s) {
    put_char(b, '"');
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr(" _.,:=+-()", c))
            put_char(b, (char)c);
        else
            cb_rp_printf(b, "\\%03o", c); /* three digits, so a following digit is safe */
    }
    put_char(b, '"');
}

static uint64_t fnv1a(const char *s) {
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

char *cb_rp_slug(const char *prefix, const char *s) {
    char stem[49];
    size_t n = 0;
    for (const char *p = s; *p && n < sizeof stem - 1; p++) {
        char c = *p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || (c == '.' && n > 0);
        c = ok ? c : '_';
        if (c == '_' && n > 0 && stem[n - 1] == '_') continue;
        stem[n++] = c;
    }
    stem[n] = '\0';
    return cb_asprintf("%s%s-%08x", prefix, stem, (unsigned)(fnv1a(s) & 0xffffffffu));
}

void cb_rp_params(cb_rp_buf *b, const cb_rp_bench *x, const char *skip) {
    int first = 1;
    for (int i = 0; i < x->n_params; i++) {
        if (skip && strcmp(x->pname[i], skip) == 0) continue;
        char v[32];
        cb_rp_printf(b, "%s%s=%s", first ? "" : ", ", x->pname[i],
                     cb_param_text(x->pkind[i], x->pval[i], x->preal[i], x->pstr[i], v, sizeof v));
        first = 0;
    }
}

/* Decimals that give about four significant digits for |v| in [1, 1000). */
static int decimals_raw(double v, int sig) {
    if (!(v != 0) || !isfinite(v)) return sig - 1;
    int d = sig - 1 - (int)floor(log10(fabs(v)));
    return d < 0 ? 0 : d > 4 ? 4 : d;
}

/* Decided on the value as it will print, so 0.99997 shows as 1.000, not 1.0000. */
static int decimals(double v, int sig) {
    double p = pow(10, decimals_raw(v, sig));
    return decimals_raw(round(v * p) / p, sig);
}

typedef struct {
    double scale;
    const char *name;
} scaled_unit;

static const scaled_unit time_units[] = {{1, "ns"}, {1e3, "µs"}, {1e6, "ms"}, {1e9, "s"}};
static const scaled_unit si_units[] = {{1, ""},    {1e3, "k"},  {1e6, "M"},
                                       {1e9, "G"}, {1e12, "T"}, {1e15, "P"}};
static const char *const unit_names[CB_RP_NUNITS] = {"FLOP/s", "B/s"};

const char *cb_rp_unit_name(int unit) { return unit_names[unit]; }

static const scaled_unit *pick_unit(const scaled_unit *u, size_t n, double v) {
    size_t i = 0;
    while (i + 1 < n && fabs(v) >= u[i + 1].scale * 0.99995) i++; /* 999.96 ns prints as 1.000 µs */
    return &u[i];
}

const char *cb_rp_time_unit(double ns, double *scale) {
    const scaled_unit *u = pick_unit(time_units, 4, ns);
    *scale = u->scale;
    return u->name;
}

const char *cb_rp_si_prefix(double v, double *scale) {
    const scaled_unit *u = pick_unit(si_units, 6, v);
    *scale = u->scale;
    return u->name;
}

static void scaled_ci(cb_rp_buf *b, const cb_rp_ci *c, const scaled_unit *u, size_t nu,
                      const char *suffix) {
    if (!c->ok || !isfinite(c->point)) {
        cb_rp_puts(b, "—");
        return;
    }
    const scaled_unit *p = pick_unit(u, nu, c->point);
    double v = c->point / p->scale;
    int d = decimals(v, 4);
    cb_rp_printf(b, "%.*f %s%s", d, v, p->name, suffix);
    if (isfinite(c->lo) && isfinite(c->hi))
        cb_rp_printf(b, " [%.*f, %.*f]", d, c->lo / p->scale, d, c->hi / p->scale);
}

void cb_rp_time_ci(cb_rp_buf *b, const cb_rp_ci *c) { scaled_ci(b, c, time_units, 4, ""); }

void cb_rp_time(cb_rp_buf *b, double ns) {
    cb_rp_ci c = {ns, NAN, NAN, 1};
    cb_rp_time_ci(b, &c);
}

void cb_rp_rate_ci(cb_rp_buf *b, const cb_rp_ci *c, int unit) {
    scaled_ci(b, c, si_units, 6, unit_names[unit]);
}

void cb_rp_rate(cb_rp_buf *b, double per_s, int unit) {
    cb_rp_ci c = {per_s, NAN, NAN, 1};
    cb_rp_rate_ci(b, &c, unit);
}

static void plain_ci(cb_rp_buf *b, const cb_rp_ci *c, double mul, double add, int sig, int min_dec,
                     const char *sign, const char *unit) {
    if (!c->ok || !isfinite(c->point)) {
        cb_rp_puts(b, "—");
        return;
    }
    double v = c->point * mul + add;
    int d = decimals(v, sig);
    d = d < min_dec ? min_dec : d;
    char fmt[16];
    snprintf(fmt, sizeof fmt, "%%%s.*f", sign);
    cb_rp_printf(b, fmt, d, v);
    cb_rp_puts(b, unit);
    if (!isfinite(c->lo) || !isfinite(c->hi)) return;
    cb_rp_puts(b, " [");
    cb_rp_printf(b, fmt, d, c->lo * mul + add);
    cb_rp_puts(b, ", ");
    cb_rp_printf(b, fmt, d, c->hi * mul + add);
    cb_rp_puts(b, "]");
}

void cb_rp_ratio_ci(cb_rp_buf *b, const cb_rp_ci *c) { plain_ci(b, c, 1, 0, 3, 2, "", "×"); }
void cb_rp_pct_ci(cb_rp_buf *b, const cb_rp_ci *c) { plain_ci(b, c, 100, 0, 3, 1, "", " %"); }
void cb_rp_change_ci(cb_rp_buf *b, const cb_rp_ci *c) {
    plain_ci(b, c, 100, -100, 2, 1, "+", " %");
}

const char *cb_rp_precision(const char *ceiling) {
    static const struct {
        const char *name, *words;
    } known[] = {{"fp32_fma", "FP32 FMA"},
                 {"tensor_f16", "FP16 tensor-core"},
                 {"tensor_tf32", "TF32 tensor-core"},
                 {"tensor_f16_mma_sync", "FP16 mma.sync"},
                 {"dram", "DRAM"},
                 {"cpu_fma_f32", "CPU FP32 FMA"},
                 {"cpu_dram", "CPU memory"}};
    for (size_t i = 0; ceiling && i < sizeof known / sizeof *known; i++)
        if (strcmp(known[i].name, ceiling) == 0) return known[i].words;
    return NULL;
}

int cb_rp_cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void cb_rp_num(cb_rp_buf *b, double v) {
    if (!isfinite(v)) {
        cb_rp_puts(b, "—");
        return;
    }
    cb_rp_printf(b, "%.3g", v);
}
