/* SPDX-License-Identifier: MIT */
/* cli.c - the command line: one table of options (parsing, validation and --help from it). */
#include "cb_cli.h"
#include "cb_error.h"
#include "cb_export.h"
#include "cb_runner.h"
#include "cb_suggest.h"
#include "cb_util.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef enum {
    DBL,
    INT,
    U64,
    STR,
    FLAG,
    CHOICE,
    FORMAT,
    PLUGIN,
    BASELINE_LENIENT,
    DEVICES,
    AXIS
} opt_kind;

typedef struct opt {
    const char *name, *metavar;
    opt_kind kind;
    size_t off;                 /* field in cb_config */
    double min, max;            /* numeric range, inclusive */
    int flag_value;             /* FLAG: value stored */
    const char *const *choices; /* CHOICE: names, index stored */
    const char *deflt, *help;
} opt;

static const char *const modes[] = {"auto", "linear", "flat", NULL};
static const char *const formats[] = {"human", "json", "csv", "markdown", NULL};
static const char *const colors[] = {"never", "always", "auto", NULL}; /* auto: -1 */
static const char *const timers[] = {"all", "cpu", "cuda", NULL};      /* 1 + cb_timer_kind */

#define OFF(f) offsetof(cb_config, f)
static const opt opts[] = {
    {"--warm-up-time", "S", DBL, OFF(warm_up_time), 0, 3600, 0, NULL, "3",
     "warm-up time per benchmark, seconds"},
    {"--measurement-time", "S", DBL, OFF(measurement_time), 1e-3, 86400, 0, NULL, "5",
     "target measurement time per benchmark, seconds"},
    {"--sample-size", "N", INT, OFF(sample_size), 10, 1e6, 0, NULL, "100", "number of samples"},
    {"--nresamples", "N", INT, OFF(nresamples), 100, 1e8, 0, NULL, "100000", "bootstrap resamples"},
    {"--confidence-level", "X", DBL, OFF(confidence_level), 0.5, 0.9999, 0, NULL, "0.95",
     "confidence level of every interval"},
    {"--significance-level", "X", DBL, OFF(significance_level), 1e-6, 0.5, 0, NULL, "0.05",
     "p-value under which a change is significant"},
    {"--noise-threshold", "X", DBL, OFF(noise_threshold), 0, 1, 0, NULL, "0.01",
     "relative change treated as noise"},
    {"--sampling-mode", "MODE", CHOICE, OFF(sampling_mode), 0, 0, 0, modes, "auto",
     "auto|linear|flat (auto: flat when linear would take > 2x the time)"},
    {"--target-precision", "X", DBL, OFF(target_precision), 1e-5, 1, 0, NULL, "off",
     "sample until the mean's CI half-width is under X of the mean (cap: 4x measurement time)"},
    {"--quick", NULL, FLAG, OFF(quick), 0, 0, 1, NULL, "off",
     "warm-up 0.5 s, measurement 1 s, target precision 0.02 (unless given)"},
    {"--save-baseline", "NAME", STR, OFF(save_baseline), 0, 0, 0, NULL, "-",
     "also save this run as baseline NAME (out/baselines/NAME.json)"},
    {"--baseline", "NAME", STR, OFF(baseline), 0, 0, 0, NULL, "-",
     "compare with baseline NAME instead of the previous results; every benchmark must be in "
     "it. Two runs apart in time also differ by whatever the machine did in between: to compare "
     "two builds on a shared machine, use cbench ab (man cbench, EXAMPLES)"},
    {"--baseline-lenient", "NAME", BASELINE_LENIENT, OFF(baseline), 0, 0, 0, NULL, "-",
     "compare with baseline NAME where it has the benchmark"},
    {"--fail-on-regression", NULL, FLAG, OFF(fail_on_regression), 0, 0, 1, NULL, "off",
     "exit 3 when a benchmark regressed"},
    {"--output-dir", "DIR", STR, OFF(output_dir), 0, 0, 0, NULL, "out",
     "where runs/ and latest.json are written"},
    {"--format", "FMT", FORMAT, OFF(format), 0, 0, 0, formats, "human",
     "on stdout, or an export of the run (cbench export --help):"},
    {"--plugin", "PATH", PLUGIN, 0, 0, 0, 0, NULL, "-", "load a suite plugin (repeatable)"},
    {"--suite-dir", "DIR", STR, OFF(suite_dir), 0, 0, 0, NULL, "<runner dir>/suites",
     "where built-in suites are found"},
    {"--device", "N|LIST|all", DEVICES, 0, 0, CB_MAX_DEVICES - 1, 0, NULL, "0",
     "CUDA device the CUDA benches run on; a list (0,2) or all: one worker process per device, at "
     "once, CPU benches once after them, one merged run file"},
    {"--cpu-per-device", NULL, FLAG, OFF(cpu_per_device), 0, 0, 1, NULL, "off",
     "with several devices, run the CPU benches in every device's worker too, at once (tests the "
     "workers without a GPU; CPU times then contend)"},
    {"--timer", "KIND", CHOICE, OFF(timer_only), 0, 0, 0, timers, "all",
     "all|cpu|cuda: run only the benches of this timer"},
    {"--cold", NULL, FLAG, OFF(cold), 0, 0, 1, NULL, "off",
     "CUDA: flush the L2 (write an L2-sized buffer) before every launch"},
    {"--hot", NULL, FLAG, OFF(cold), 0, 0, 0, NULL, "on",
     "CUDA: leave the L2 warm between launches"},
    {"--cuda-graph", NULL, FLAG, OFF(cuda_graph), 0, 0, 1, NULL, "off",
     "CUDA: capture run() in CUDA graphs once and time their replay (launch-bound kernels: no CPU "
     "launch cost between calls)"},
    {"--seed", "N", U64, OFF(seed), 0, 0, 0, NULL, "1",
     "seed of the bootstrap and of the suites' inputs"},
    {"--jobs", "N", INT, OFF(jobs), 0, 1024, 0, NULL, "0: all CPUs", "threads for the bootstrap"},
    {"--no-plots", NULL, FLAG, OFF(no_plots), 0, 0, 1, NULL, "off",
     "the report of this run (make bench's too) has no charts; recorded in the run file"},
    {"--color", "WHEN", CHOICE, OFF(color), 0, 0, 0, colors, "auto",
     "never|always|auto (auto: when stdout is a terminal)"},
    {"--list", NULL, FLAG, OFF(list), 0, 0, 1, NULL, "off",
     "list suites, benchmarks and parameter values"},
    {"--timeout", "S", DBL, OFF(timeout), 0.01, 1e7, 0, NULL,
     "600, more if the warm-up and measurement times need it",
     "a benchmark still running after S seconds is killed and reported failed"},
    {"--no-canary", NULL, FLAG, OFF(no_canary), 0, 0, 1, NULL, "off",
     "do not time the drift canary at the start and end of the run (a fixed ~12 ms workload, under "
     "0.2 s in all) nor warn when it moved since the baseline"},
    {"--no-history", NULL, FLAG, OFF(no_history), 0, 0, 1, NULL, "off",
     "do not record the run in the history"},
    {"--history", "PATH", STR, OFF(history), 0, 0, 0, NULL, "DIR/history.sqlite",
     "the history file runs are recorded in (see cbench history --help)"},
    {"--label", "TEXT", STR, OFF(label), 0, 0, 0, NULL, "-",
     "a label recorded with the run in the history"},
    {"--base", "KERNEL", STR, OFF(base), 0, 0, 0, NULL, "each member's library row of its kind",
     "the kernel (suite/bench or bench) a group's members are paired with"},
    {"--no-interleave", NULL, FLAG, OFF(no_interleave), 0, 0, 1, NULL, "off",
     "measure a group's members one after the other instead of in shared rounds (unpaired speedups "
     "only)"},
    {"--no-fork", NULL, FLAG, OFF(no_fork), 0, 0, 1, NULL, "off",
     "run the benchmarks in this process, not each in a child (debugging: a crash ends the run)"},
    {"--axis", "NAME=VALUES", AXIS, 0, 0, 0, 0, NULL, "the suite's",
     "-a: the values of axis NAME for every bench that has it: a list (n=1024,2048; "
     "dtype=f16,bf16), a range [lo:hi:step] (n=[1000:1500:128], both ends run), powers of two "
     "pow2[10:13]; a value outside the bench's bounds is skipped (repeatable)"},
    {"--runs", "N", INT, OFF(runs), 1, 1e9, 0, NULL, "off",
     "exactly N iterations a sample and no warm-up search: a fixed workload (profilers, power "
     "measurements); --sample-size samples"},
    {"--dry-run", NULL, FLAG, OFF(dry_run), 0, 0, 1, NULL, "off",
     "set up, verify and call each benchmark once, verify again, and print its wall time: no "
     "statistics, no run file; exit 1 when one failed (a per-PR smoke run)"},
    {"--profile", NULL, FLAG, OFF(profile), 0, 0, 1, NULL, "off",
     "for a profiler: each benchmark set up, verified, called once untimed and once timed in this "
     "process, inside NVTX ranges cbench/ID/PHASE; no hold kernel, no L2 flush, no statistics, "
     "no run file (docs/profiling.md)"},
};
#undef OFF
#define NOPTS (sizeof opts / sizeof opts[0])

static const opt *find(const char *arg, size_t len);

/* --format's k-th name: a run's own formats, then the exports (cb_export.h); NULL past them. */
static const char *format_name(size_t k) {
    return k < CB_FORMAT_EXPORT ? formats[k] : cb_export_format(k - CB_FORMAT_EXPORT, NULL);
}

/* The names from the k-th on, before the end-th, as "a|b|c". */
static const char *format_names(char *buf, size_t n, size_t k, size_t end) {
    buf[0] = '\0';
    for (size_t len = 0, first = k; k < end && format_name(k) && len < n; k++)
        len += (size_t)snprintf(buf + len, n - len, "%s%s", k > first ? "|" : "", format_name(k));
    return buf;
}

/* The program's name in help and usage lines: a CB_MAIN executable's own (cb_main). */
static const char *prog = "cbench";

void cb_cli_set_name(const char *argv0) {
    const char *slash = argv0 ? strrchr(argv0, '/') : NULL;
    prog = slash ? slash + 1 : argv0 && *argv0 ? argv0 : "cbench";
}

const char *cb_cli_name(void) { return prog; }

enum { HELP_COL = 29, HELP_WIDTH = 80 }; /* help texts fit a terminal of 80 columns */

/* Writes text from column col on, broken at spaces before HELP_WIDTH; every further line starts
 * at column indent. */
static void wrap(FILE *f, const char *text, int col, int indent) {
    while (*text) {
        int room = HELP_WIDTH - col, n = (int)strlen(text);
        if (n > room) {
            int k = room;
            while (k > 0 && text[k] != ' ') k--;
            n = k > 0 ? k : (int)strcspn(text, " ");
        }
        fprintf(f, "%.*s\n", n, text);
        text += n;
        while (*text == ' ') text++;
        if (*text) fprintf(f, "%*s", indent, ""), col = indent;
    }
}

void cb_cli_help_line(FILE *f, const char *lhs, const char *help) {
    fprintf(f, "  %-26s ", lhs);
    if (strlen(lhs) > 26) fprintf(f, "\n%*s", HELP_COL, "");
    wrap(f, help, HELP_COL, HELP_COL);
}

void cb_cli_help_para(FILE *f, const char *text) { wrap(f, text, 0, 0); }

static void option_line(FILE *f, const opt *o) {
    /* No default to state: "-", or a flag's "off" (a flag is off unless given). */
    int unsaid = strcmp(o->deflt, "-") == 0 || (o->kind == FLAG && strcmp(o->deflt, "off") == 0);
    char lhs[64], own[64], more[192], help[512];
    if (o->kind == FORMAT) /* the run's own formats, then the exports' */
        snprintf(help, sizeof help, "%s %s %s", format_names(own, sizeof own, 0, CB_FORMAT_EXPORT),
                 o->help, format_names(more, sizeof more, CB_FORMAT_EXPORT, SIZE_MAX));
    else
        snprintf(help, sizeof help, "%s", o->help);
    char *text = unsaid ? cb_strdup(help) : cb_asprintf("%s [%s]", help, o->deflt);
    snprintf(lhs, sizeof lhs, "%s%s%s", o->name, o->metavar ? " " : "",
             o->metavar ? o->metavar : "");
    cb_cli_help_line(f, lhs, text ? text : help);
    free(text);
}

void cb_cli_help_options(FILE *f, const char *const *names) {
    for (; *names; names++) {
        const opt *o = find(*names, strlen(*names));
        if (o) option_line(f, o);
    }
}

/* The runner's usage lines, after the program's name: the arguments, and what they do. */
static const char *const usages[][2] = {
    {"[FILTER...] [options]", "run every benchmark a FILTER matches"},
    {"--list [FILTER...]", "list suites, benchmarks, parameters"},
    {"ab OLD NEW [FILTER...]", "two builds, in interleaved rounds"},
    {"bisect GOOD BAD --build CMD", "the commit that made a bench slower"},
    {"compare OLD.json NEW.json", "two saved runs compared: verdicts"},
    {"report [RUN.json...]", "charts and REPORT.md from saved runs"},
    {"merge RUN.json...", "one run of several (hosts, devices)"},
    {"export RUN.json --to FORMAT", "a run as gbench, BMF, CI dashboards"},
    {"history [REGEX...]", "recorded runs, trends, change points"},
    {"new-suite NAME [--cuda]", "start a suite: NAME/NAME.c, Makefile"},
    {"help [COMMAND]", "this text, or a command's options"},
};

static void print_help(FILE *f) {
    int w = 0;
    for (size_t i = 0; i < CB_COUNT(usages); i++)
        if ((int)strlen(usages[i][0]) > w) w = (int)strlen(usages[i][0]);
    if (strcmp(prog, "cbench") == 0)
        fprintf(f, "cbench %s - statistical benchmarks for CPU and CUDA code\n\n", CB_VERSION);
    else
        fprintf(f, "%s - benchmarks measured by cbench %s\n\n", prog, CB_VERSION);
    for (size_t i = 0; i < CB_COUNT(usages); i++)
        fprintf(f, "%s%s %-*s  %s\n", i ? "       " : "usage: ", prog, w, usages[i][0],
                usages[i][1]);
    fputc('\n', f);
    wrap(f,
         "A FILTER is an extended regular expression matched against each benchmark id "
         "(suite/bench/axis=value...).",
         0, 0);
    fputs("\noptions [default]:\n", f);
    for (size_t i = 0; i < NOPTS; i++) option_line(f, &opts[i]);
    cb_cli_help_line(f, "--help", "print this help");
    cb_cli_help_line(f, "--version", "print the version");
    fputc('\n', f);
    wrap(f,
         "exit codes: 0 all ran and verified; 1 a benchmark failed; 2 bad usage or input; "
         "3 regression (--fail-on-regression); 130 interrupted (SIGINT/SIGTERM: the run file "
         "keeps every benchmark completed)",
         0, 0);
    fputc('\n', f);
    wrap(f,
         "environment: CBENCH_PLUGIN_PATH, a colon-separated list of directories whose *.so "
         "suites load after the built-in ones (<runner dir>/suites, or "
         "<runner dir>/../lib/cbench/suites when installed)",
         0, 0);
}

/* manpage.c turns this same text into cbench(1). */
void cb_cli_help(FILE *f) { print_help(f); }

static int bad(const opt *o, const char *v, const char *want) {
    fprintf(stderr, "cbench: %s: expected %s, got \"%s\" (see --help)\n", o->name, want, v);
    return CB_ERR_USAGE;
}

/* --device N, a comma-separated list of distinct devices, or all; a later --device replaces. */
static int devices(cb_config *c, const opt *o, const char *v) {
    c->n_devices = c->device_all = c->device = 0;
    if (strcmp(v, "all") == 0) return c->device_all = 1, CB_OK;
    for (const char *p = v;; p++) {
        char *end = (char *)p;
        errno = 0;
        long n = *p >= '0' && *p <= '9' ? strtol(p, &end, 10) : -1;
        if (n < 0 || n > o->max || errno || (*end && *end != ',') || c->n_devices == CB_MAX_DEVICES)
            return bad(o, v, "a device number in [0, 63], a list of them (0,2) or all");
        for (int k = 0; k < c->n_devices; k++)
            if (c->devices[k] == n) return bad(o, v, "each device once");
        c->devices[c->n_devices++] = (int)n;
        if (!*(p = end)) break;
    }
    c->device = c->devices[0];
    return CB_OK;
}

/* Parses and range-checks one option value into the config. */
static int set(cb_config *c, const opt *o, const char *v) {
    char *end, want[96];
    void *field = (char *)c + o->off;
    errno = 0;
    switch (o->kind) {
        case DBL: {
            double d = strtod(v, &end);
            snprintf(want, sizeof want, "a number in [%g, %g]", o->min, o->max);
            if (end == v || *end || errno || !isfinite(d) || d < o->min || d > o->max)
                return bad(o, v, want);
            *(double *)field = d;
            return CB_OK;
        }
        case INT: {
            long long n = strtoll(v, &end, 10);
            snprintf(want, sizeof want, "an integer in [%.0f, %.0f]", o->min, o->max);
            if (end == v || *end || errno || n < o->min || n > o->max) return bad(o, v, want);
            *(int *)field = (int)n;
            return CB_OK;
        }
        case U64: {
            unsigned long long n = strtoull(v, &end, 10);
            /* JSON keeps it as a signed 64-bit integer */
            if (v[0] < '0' || v[0] > '9' || *end || errno || n > INT64_MAX)
                return bad(o, v, "an integer in [0, 9223372036854775807]");
            *(uint64_t *)field = n;
            return CB_OK;
        }
        case CHOICE:
            for (int k = 0; o->choices[k]; k++)
                if (strcmp(v, o->choices[k]) == 0) return *(int *)field = k, CB_OK;
            return bad(o, v, o->help);
        case FORMAT: {
            char names[256];
            for (size_t k = 0; format_name(k); k++)
                if (strcmp(v, format_name(k)) == 0) return *(int *)field = (int)k, CB_OK;
            return bad(o, v, format_names(names, sizeof names, 0, SIZE_MAX));
        }
        case BASELINE_LENIENT:
            c->baseline_lenient = 1;
            /* fall through */
        case STR:
            if (!*v) return bad(o, v, "a non-empty value");
            *(const char **)field = v;
            return CB_OK;
        case PLUGIN:
            if (!*v) return bad(o, v, "a path to a plugin");
            if (c->n_plugins == CB_MAX_PLUGINS) return bad(o, v, "at most 64 plugins");
            c->plugins[c->n_plugins++] = v;
            return CB_OK;
        case FLAG:
            *(int *)field = o->flag_value;
            return CB_OK;
        case DEVICES:
            return devices(c, o, v);
        case AXIS: /* read when the suites load (cb_cli_axes), where each axis's kind is known */
            if (!strchr(v, '=') || *v == '=') return bad(o, v, "NAME=VALUES");
            if (c->n_axes == CB_MAX_AXIS_ARGS) return bad(o, v, "at most 16 axes");
            c->axes[c->n_axes++] = v;
            return CB_OK;
    }
    return CB_ERR_INTERNAL;
}

static const opt *find(const char *arg, size_t len) {
    for (size_t i = 0; i < NOPTS; i++)
        if (strlen(opts[i].name) == len && strncmp(opts[i].name, arg, len) == 0) return &opts[i];
    return NULL;
}

static int given(const unsigned char *seen, const char *name) {
    const opt *o = find(name, strlen(name));
    return o && seen[o - opts];
}

/* --quick fills in only what the user did not set explicitly. */
static void apply_quick(cb_config *c, const unsigned char *seen) {
    if (!c->quick) return;
    if (!given(seen, "--warm-up-time")) c->warm_up_time = 0.5;
    if (!given(seen, "--measurement-time")) c->measurement_time = 1;
    if (c->target_precision == 0) c->target_precision = 0.02;
}

/* Options that exclude each other, or make another pointless; the default time limit. */
static int check(cb_config *c, const unsigned char *seen) {
    if (c->color == 2) c->color = -1; /* --color auto */
    static const char *const excl[][2] = {{"--baseline", "--baseline-lenient"},
                                          {"--cold", "--hot"},
                                          {"--dry-run", "--profile"},
                                          {"--runs", "--target-precision"}};
    for (size_t i = 0; i < sizeof excl / sizeof excl[0]; i++)
        if (given(seen, excl[i][0]) && given(seen, excl[i][1]))
            return fprintf(stderr, "cbench: %s and %s exclude each other: give one\n", excl[i][0],
                           excl[i][1]),
                   CB_ERR_USAGE;
    if (c->cpu_per_device && !cb_workers_wanted(c))
        fprintf(stderr, "cbench: warning: --cpu-per-device has no effect with one device\n");
    if (c->no_fork && given(seen, "--timeout"))
        fprintf(stderr, "cbench: warning: --timeout has no effect with --no-fork\n");
    if (c->runs > 0) c->target_precision = 0; /* --quick's: a fixed workload has no target */
    if (c->target_precision > 0 && c->sampling_mode == CB_SAMPLING_LINEAR)
        fprintf(stderr,
                "cbench: warning: --sampling-mode linear is ignored: --target-precision%s "
                "samples flat\n",
                given(seen, "--target-precision") ? "" : " (of --quick)");
    /* Sampling takes up to 2x the measurement time (4x with a target precision). */
    double budget = c->warm_up_time + c->measurement_time * (c->target_precision > 0 ? 4 : 2);
    if (!given(seen, "--timeout"))
        c->timeout = fmax(c->timeout, 2 * budget + 60);
    else if (!c->no_fork && c->timeout < budget)
        fprintf(stderr,
                "cbench: warning: --timeout %g s is under the %g s that warm-up and "
                "sampling may take: benchmarks may time out\n",
                c->timeout, budget);
    return CB_OK;
}

/* "unknown option --measurment-time; did you mean --measurement-time?" */
static int unknown_option(const char *a, size_t len) {
    const char *names[NOPTS + 2] = {"--help", "--version"};
    for (size_t i = 0; i < NOPTS; i++) names[i + 2] = opts[i].name;
    const char *like = cb_suggest(a, len, names, NOPTS + 2);
    fprintf(stderr, "cbench: unknown option %.*s%s%s%s (see --help)\n", (int)len, a,
            like ? "; did you mean " : "", like ? like : "", like ? "?" : "");
    return CB_ERR_USAGE;
}

/* Parses argv into c; returns 1 when --help/--version was handled, <0 on bad usage. */
int cb_cli_parse(int argc, char **argv, cb_config *c) {
    unsigned char seen[NOPTS] = {0};
    cb_config_defaults(c);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) return print_help(stdout), 1;
        if (strcmp(a, "--help-man") == 0) return cb_man_write(stdout), 1; /* hidden: make install */
        if (strcmp(a, "--version") == 0) return printf("cbench %s\n", CB_VERSION), 1;
        if (a[0] != '-' || strcmp(a, "-") == 0) {
            if (c->n_filters == CB_MAX_FILTERS)
                return fprintf(stderr, "cbench: too many filters\n"), CB_ERR_USAGE;
            c->filters[c->n_filters++] = a;
            continue;
        }
        if (strcmp(a, "-a") == 0) a = "--axis"; /* NVBench's short name */
        const char *eq = strchr(a, '=');
        const opt *o = find(a, eq ? (size_t)(eq - a) : strlen(a));
        if (!o) return unknown_option(a, eq ? (size_t)(eq - a) : strlen(a));
        const char *v = eq ? eq + 1 : NULL;
        if (o->kind == FLAG && v) return bad(o, v, "no value");
        if (o->kind != FLAG && !v) {
            if (i + 1 >= argc)
                return fprintf(stderr, "cbench: %s needs a value (%s)\n", o->name, o->metavar),
                       CB_ERR_USAGE;
            v = argv[++i];
        }
        if (set(c, o, v ? v : "") != CB_OK) return CB_ERR_USAGE;
        seen[o - opts] = 1;
    }
    apply_quick(c, seen);
    return check(c, seen);
}

void cb_cli_axes_free(cb_registry *reg) {
    cb_axis_set *sets = (cb_axis_set *)reg->sets;
    for (size_t i = 0; i < reg->n_sets; i++) cb_axes_free(&sets[i]);
    free(sets);
    reg->sets = NULL, reg->n_sets = 0;
}

int cb_cli_axes(const cb_config *c, cb_registry *reg) {
    char msg[512];
    cb_axis_set *sets = c->n_axes ? calloc((size_t)c->n_axes, sizeof *sets) : NULL;
    if (c->n_axes && !sets) return fprintf(stderr, "cbench: out of memory\n"), CB_ERR_NOMEM;
    reg->sets = sets;
    for (int i = 0; i < c->n_axes; i++, reg->n_sets++)
        if (cb_axes_parse(c->axes[i], &sets[i], msg, sizeof msg) != CB_OK)
            return fprintf(stderr, "cbench: --axis %s: %s\n", c->axes[i], msg), CB_ERR_USAGE;
    return CB_OK;
}

/* An axis given with -a that no loaded bench has is a typo, not a no-op. */
static int axes_used(const cb_registry *reg) {
    for (size_t i = 0; i < reg->n_sets; i++) {
        int used = 0;
        for (size_t p = 0; !used && p < reg->n_plugins; p++)
            for (size_t b = 0; !used && b < reg->plugins[p].suite->n_benches; b++) {
                const cb_bench *x = &reg->plugins[p].suite->benches[b];
                for (size_t a = 0; !used && a < x->n_axes; a++)
                    used = strcmp(x->axes[a].name, reg->sets[i].name) == 0;
            }
        if (!used)
            return fprintf(stderr,
                           "cbench: --axis %s: no benchmark has an axis named %s (see "
                           "--list)\n",
                           reg->sets[i].name, reg->sets[i].name),
                   CB_ERR_USAGE;
    }
    return CB_OK;
}

int cb_cli_text_format(const cb_config *c, const char *cmd) {
    if (c->format < CB_FORMAT_EXPORT) return CB_OK;
    fprintf(stderr,
            "cbench %s: --format %s is an export of a run: cbench export RUN.json --to %s\n", cmd,
            format_name(c->format), format_name(c->format));
    return CB_ERR_USAGE;
}

/* Suites linked into the executable (CB_MAIN) replace the search of suite_path.c. */
static int load(const cb_config *c, cb_registry *reg, const cb_suite *const *linked,
                size_t n_linked) {
    char msg[1024] = "";
    if (cb_cli_axes(c, reg) != CB_OK) return CB_ERR_USAGE;
    for (size_t i = 0; i < n_linked; i++)
        if (!linked[i] || cb_registry_add_suite(reg, linked[i], msg, sizeof msg) != CB_OK)
            return fprintf(stderr, "cbench: linked suite %zu %s\n", i, linked[i] ? msg : "is NULL"),
                   CB_ERR_PLUGIN;
    if ((c->suite_dir || !n_linked) &&
        cb_suite_path_load(reg, c->suite_dir, msg, sizeof msg) != CB_OK)
        return fprintf(stderr, "cbench: %s\n", msg[0] ? msg : "out of memory"), CB_ERR_PLUGIN;
    for (int i = 0; i < c->n_plugins; i++)
        if (cb_plugin_load(reg, c->plugins[i], msg, sizeof msg) != CB_OK)
            return fprintf(stderr, "cbench: %s\n", msg), CB_ERR_PLUGIN;
    return axes_used(reg);
}

/* Filters that match no benchmark, the first a bare word where a command goes: a mistyped
 * command is as likely as a filter, so both are said; 1 when they were. */
static int no_match(const cb_config *c, const cb_registry *reg, int argc, char **argv) {
    if (c->list || !c->n_filters || argc < 2 || c->filters[0] != argv[1] ||
        !cb_suggest_is_word(argv[1]))
        return 0;
    char *sel = calloc(reg->n_points + 1, 1), msg[512];
    int none = sel && cb_runner_select(c, reg, sel, msg, sizeof msg) == CB_OK &&
               !memchr(sel, 1, reg->n_points);
    free(sel);
    if (!none) return 0;
    int like = cb_cli_command_like(argv[1]);
    fprintf(stderr, "cbench: no benchmark matches the filters%s (see --list)\n",
            like ? " either" : "");
    if (!like) fprintf(stderr, "cbench: nor is '%s' a command (see %s help)\n", argv[1], prog);
    return 1;
}

int cb_cli_run(int argc, char **argv, const cb_suite *const *suites, size_t n) {
    cb_config c;
    int rc = cb_cli_parse(argc, argv, &c);
    if (rc == 1) return CB_EXIT_OK;
    if (rc != CB_OK) return CB_EXIT_USAGE;
    cb_registry reg = {0};
    rc = load(&c, &reg, suites, n);
    cb_plugin_tables_close(); /* before any benchmark's child is forked */
    if (rc != CB_OK) {
        cb_cli_axes_free(&reg);
        cb_registry_free(&reg);
        return CB_EXIT_USAGE;
    }
    rc = no_match(&c, &reg, argc, argv) ? CB_EXIT_USAGE
         : c.list                       ? cb_runner_list(&c, &reg, stdout)
         : c.dry_run || c.profile       ? cb_once_run(&c, &reg)
         : cb_workers_wanted(&c)        ? cb_workers_run(&c, &reg, argc, argv)
                                        : cb_runner_run(&c, &reg);
    cb_cli_axes_free(&reg);
    cb_registry_free(&reg);
    return rc;
}
