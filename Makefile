# SPDX-License-Identifier: MIT
# cbench build: make | make bench | make test | make report | make deps | make examples
.DEFAULT_GOAL := all
.SUFFIXES:

BUILD  ?= build
OUT    ?= out
CC     ?= cc
NVCC   ?= $(shell command -v nvcc 2>/dev/null || { test -x /usr/local/cuda/bin/nvcc && echo /usr/local/cuda/bin/nvcc; })
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)

# One short line per target built ("CC framework/point.o"), as git's and Linux's Makefiles do;
# make V=1 prints every command in full.
V ?= 0
ifeq ($(V),1)
Q :=
quiet =
else
Q := @
quiet = @printf '  %-5s %s\n' '$(1)' '$(patsubst $(BUILD)/obj/%,%,$@)';
endif

WARN    := -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter
CFLAGS  ?= -O2 -g
# Only what include/cbench.h marks CB_EXPORT leaves the runner and libcbench.so.
BASE_CFLAGS = -std=c11 $(WARN) $(CFLAGS) -D_GNU_SOURCE -Iinclude -pthread -fvisibility=hidden
# Each layer's objects see only the headers of the layers they may know (docs/architecture.md):
# the core its own; the harness and the reports the core's and their own; the dispatch (app/)
# all three. Tests and tools see everything.
LAYER_INC_core      := -Icore
LAYER_INC_framework := -Icore -Iframework
LAYER_INC_reports   := -Icore -Ireports
LAYER_INC_app       := -Icore -Iframework -Ireports -Iapp
layer_inc = $(LAYER_INC_$(firstword $(subst /, ,$1)))
ALL_CFLAGS = $(BASE_CFLAGS) -Icore -Iframework -Ireports -Iapp
# Suites and examples see the public header only (and suites the kernels): docs/architecture.md.
PLUGIN_CFLAGS = -std=c11 $(WARN) $(CFLAGS) $(SAN_CFLAGS) -D_GNU_SOURCE -Iinclude -Ikernels -pthread
# Each compile writes the headers it read to <target>.d, included below.
DEPFLAGS = -MMD -MP -MF $@.d -MT $@
# STATIC_GSL=1 links GSL statically, for machines that have jansson but no GSL (the GPU image).
GSL_STATIC := -Wl,-Bstatic -lgsl -lgslcblas -Wl,-Bdynamic
GSL_LIBS := $(if $(filter 1,$(STATIC_GSL)),$(GSL_STATIC),-lgsl -lgslcblas)
# The run history (docs/history.md) is SQLite; static with GSL, for the same images.
SQLITE_STATIC := -Wl,-Bstatic -lsqlite3 -Wl,-Bdynamic
SQLITE_LIBS := $(if $(filter 1,$(STATIC_GSL)),$(SQLITE_STATIC),-lsqlite3)
LDLIBS  := $(GSL_LIBS) $(SQLITE_LIBS) -ljansson -lm -ldl -pthread

# make test SAN=1: ASan+UBSan build in its own directory
ifeq ($(SAN),1)
BUILD   := build-san
SAN_CFLAGS := -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
BASE_CFLAGS += $(SAN_CFLAGS)
LDFLAGS += -fsanitize=address,undefined
endif

# The core (run model, reader, writer, statistics), the harness, the reports and the dispatch
# that sees both (docs/architecture.md); app/main.c is the runner's main() alone.
FW_SRC     := $(wildcard core/*.c framework/*.c reports/*.c) $(filter-out app/main.c,$(wildcard app/*.c))
FW_OBJ     := $(FW_SRC:%.c=$(BUILD)/obj/%.o)
SUITE_SRC  := $(wildcard suites/*.c)
SUITES     := $(SUITE_SRC:suites/%.c=$(BUILD)/suites/%.so)
TEST_SRC   := $(wildcard tests/test_*.c)
TESTS      := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
TEST_PLUGINS := $(patsubst tests/plugins/%.c,$(BUILD)/tests/plugins/%.so,$(wildcard tests/plugins/*.c))
EXAMPLES   := $(BUILD)/examples/spin.so $(BUILD)/examples/spin_outliers.so

# CUDA: every suites/*.cu links the kernels/*.cu named after it (kernels/<suite>_*.cu).
CUDA_SUITE_SRC := $(wildcard suites/*.cu)
ifneq ($(NVCC),)
CUDA_ARCH  ?= -gencode=arch=compute_90,code=sm_90 -gencode=arch=compute_90a,code=sm_90a
# g++ warns on every field a C++ designated initializer leaves out, yet the plugin ABI relies on
# leaving new cb_bench fields zero: hence -Wno-missing-field-initializers on the host side.
NVCCFLAGS  ?= -O3 -std=c++17 $(CUDA_ARCH) -Xcompiler -fPIC,-Wall,-Wextra,-Werror,-Wno-missing-field-initializers -Werror all-warnings -Iinclude -Ikernels
# One shared CUDA runtime per process (runner and plugins), found where nvcc's toolkit keeps it.
CUDA_LIBDIR := $(patsubst %/bin/nvcc,%,$(NVCC))/lib64
CUDA_LINK  := -cudart shared -Xlinker -rpath=$(CUDA_LIBDIR)
CUDA_SUITES := $(CUDA_SUITE_SRC:suites/%.cu=$(BUILD)/suites/%.so)
CUDA_LIB    := $(BUILD)/libcbench_cuda.so
CUDA_KERNEL_DEPS := $(wildcard kernels/*.cu kernels/*.cuh kernels/*.h suites/*.h)
# tests/gpu: gpu_check loads the plugins and verifies (and with --time times) every bench;
# tune times the kernels' tuning variants. Built by `make test`, run only by `make test-gpu` (needs a GPU).
CUDA_TESTS := $(BUILD)/tests/gpu/gpu_check $(BUILD)/tests/gpu/tune $(BUILD)/tests/gpu/tune_hopper $(BUILD)/tests/gpu/ref_check \
              $(BUILD)/tests/gpu/tune_attn
GPU_SIZES  ?= 64,1000,3000,4096
# CUDA test plugins (tests/plugins/*.cu, e.g. a kernel that faults: tests/gpu/robust_device.sh).
CUDA_TEST_PLUGINS := $(patsubst tests/plugins/%.cu,$(BUILD)/tests/plugins/%.so,$(wildcard tests/plugins/*.cu))
# The other build of tests/plugins/ab_cuda.cu: a chain 50 % longer (tests/test_ab.c's CUDA pair).
AB_CUDA := $(BUILD)/tests/ab/cuda_150.so
# The other build of tests/plugins/abi3_cuda.cu: 64 MB more device memory.
ABI3_CUDA := $(BUILD)/tests/abi3/cuda_mem64.so
$(ABI3_CUDA): tests/plugins/abi3_cuda.cu include/cbench.h
	@mkdir -p $(dir $@)
	$(call quiet,NVCC)$(NVCC) $(NVCCFLAGS) -DABI3_EXTRA_MB=64 -shared $< -o $@ $(CUDA_LINK)
$(AB_CUDA): tests/plugins/ab_cuda.cu include/cbench.h
	@mkdir -p $(dir $@)
	$(call quiet,NVCC)$(NVCC) $(NVCCFLAGS) -DAB_CUDA_SCALE=1.5 -shared $< -o $@ $(CUDA_LINK)

$(BUILD)/tests/plugins/%.so: tests/plugins/%.cu include/cbench.h
	@mkdir -p $(dir $@)
	$(call quiet,NVCC)$(NVCC) $(NVCCFLAGS) -shared $< -o $@ $(CUDA_LINK)

# Kernels wrong on purpose, verified as the suites verify theirs (needs the attention kernels).
$(BUILD)/tests/plugins/wrong_kernels.so: tests/plugins/wrong_kernels.cu $(CUDA_KERNEL_DEPS) include/cbench.h
	@mkdir -p $(dir $@)
	$(call quiet,NVCC)$(NVCC) $(NVCCFLAGS) -shared $< $(wildcard kernels/attention_*.cu) -o $@ $(CUDA_LINK) -lcublas

$(BUILD)/tests/gpu/gpu_check: tests/gpu/gpu_check.cu include/cbench.h
	@mkdir -p $(dir $@)
	$(call quiet,NVCC)$(NVCC) $(NVCCFLAGS) $< -o $@ $(CUDA_LINK) -Xlinker -export-dynamic -ldl

$(BUILD)/tests/gpu/tune: tests/gpu/tune.cu $(CUDA_KERNEL_DEPS)
	@mkdir -p $(dir $@)
	$(call quiet,NVCC)$(NVCC) $(NVCCFLAGS) $< $(wildcard kernels/matmul_*.cu kernels/gpu_timer_*.cu) -o $@ $(CUDA_LINK) -lcublas

$(BUILD)/tests/gpu/tune_hopper: tests/gpu/tune_hopper.cu $(CUDA_KERNEL_DEPS)
	@mkdir -p $(dir $@)
	$(call quiet,NVCC)$(NVCC) $(NVCCFLAGS) $< $(wildcard kernels/matmul_*.cu) -o $@ $(CUDA_LINK) -lcublas
# The Hopper attention variants beside cuDNN, every output checked (kernels/NOTES.md).
$(BUILD)/tests/gpu/tune_attn: tests/gpu/tune_attn.cu $(CUDA_KERNEL_DEPS)
	@mkdir -p $(dir $@)
	$(call quiet,NVCC)$(NVCC) $(NVCCFLAGS) $< $(wildcard kernels/attention_*.cu) -o $@ $(CUDA_LINK) -lcublas
# The GPU float64 references against the CPU ones (kernels/*_ref_gpu.cuh, kernels/*_ref.h).
$(BUILD)/tests/gpu/ref_check: tests/gpu/ref_check.cu $(CUDA_KERNEL_DEPS)
	@mkdir -p $(dir $@)
	$(call quiet,NVCC)$(NVCC) $(NVCCFLAGS) $< $(wildcard kernels/attention_*.cu) -o $@ $(CUDA_LINK) -lcublas

.PHONY: test-gpu
test-gpu: $(CUDA_SUITES) $(CUDA_TESTS)
	$(BUILD)/tests/gpu/ref_check
	$(BUILD)/tests/gpu/gpu_check --sizes $(GPU_SIZES) $(CUDA_SUITES)
endif

# The GPU test binaries and CUDA test plugins (none without nvcc): built by `make test`, never by
# `make bench`, which cannot run them on a machine without a GPU.
.PHONY: gpu-tests
gpu-tests: $(CUDA_TESTS) $(CUDA_TEST_PLUGINS) $(AB_CUDA) $(ABI3_CUDA) $(NVTX_LOG)

.PHONY: all deps bench test examples report selfbench validate validate-change validate-ab validate-group bench-gpu-build clean format
all: $(BUILD)/cbench $(SUITES) $(CUDA_SUITES) $(CUDA_LIB) $(BUILD)/validate $(BUILD)/history_gen

deps:
	@sh tests/deps.sh

# --profile's NVTX ranges (framework/once.c): the CUDA toolkit's header-only NVTX 3, where
# it is installed; without it --profile runs without ranges and says so.
NVTX_H := $(firstword $(wildcard $(patsubst %/bin/nvcc,%,$(NVCC))/include/nvtx3/nvToolsExt.h /usr/local/cuda/include/nvtx3/nvToolsExt.h))
$(BUILD)/obj/framework/once.o: OBJ_CFLAGS = $(if $(NVTX_H),-DCB_HAVE_NVTX -isystem $(dir $(NVTX_H))..)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(call quiet,CC)$(CC) $(BASE_CFLAGS) $(call layer_inc,$<) $(OBJ_CFLAGS) $(DEPFLAGS) -c $< -o $@

# -rdynamic exports the API the plugins call; nothing from a static library (STATIC_GSL).
$(BUILD)/cbench: $(BUILD)/obj/app/main.o $(FW_OBJ)
	$(call quiet,LD)$(CC) $(LDFLAGS) -rdynamic -Wl,--exclude-libs,ALL $^ -o $@ $(LDLIBS)

$(BUILD)/suites/%.so: suites/%.c
	@mkdir -p $(dir $@)
	$(call quiet,CC)$(CC) $(PLUGIN_CFLAGS) $(DEPFLAGS) -O3 -march=x86-64-v2 -shared -fPIC $(LDFLAGS) $< -o $@ -lm

$(BUILD)/suites/%.so: suites/%.cu $(CUDA_KERNEL_DEPS) include/cbench.h
	@mkdir -p $(dir $@)
	$(call quiet,NVCC)$(NVCC) $(NVCCFLAGS) -shared $< $(wildcard kernels/$*_*.cu) -o $@ $(CUDA_LINK) -lcublas

# The CUDA timer lives in its own library so the runner never links or initialises CUDA.
$(BUILD)/libcbench_cuda.so: framework/timer_cuda.cu $(wildcard core/*.h framework/*.h) include/cbench.h
	@mkdir -p $(dir $@)
	$(call quiet,NVCC)$(NVCC) $(NVCCFLAGS) -Icore -Iframework -shared $< -o $@ $(CUDA_LINK)

$(BUILD)/examples/%.so: examples/%.c
	@mkdir -p $(dir $@)
	$(call quiet,CC)$(CC) $(PLUGIN_CFLAGS) $(DEPFLAGS) -shared -fPIC $(LDFLAGS) $< -o $@

examples: $(EXAMPLES)

$(BUILD)/tests/plugins/%.so: tests/plugins/%.c
	@mkdir -p $(dir $@)
	$(call quiet,CC)$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -shared -fPIC $< -o $@

# Builds of tests/plugins/ab_work.c for `cbench ab`: 2, 5 and 50 % more work, a crash, an extra
# bench, a failure in each step of a point's life; and the drift injector (docs/statistics.md, "Interleaved A/B").
AB_FAILS   := setup verify after flops run
AB_PLUGINS := $(patsubst %,$(BUILD)/tests/ab/work_%.so,100 102 105 150 crash extra $(AB_FAILS:%=fail_%))
AB_DEFS_100 :=
AB_DEFS_102 := -DAB_WORK_SCALE=1.02
AB_DEFS_105 := -DAB_WORK_SCALE=1.05
AB_DEFS_150 := -DAB_WORK_SCALE=1.5
AB_DEFS_crash := -DAB_WORK_CRASH=40 -DAB_WORK_EXTRA
AB_DEFS_extra := -DAB_WORK_EXTRA
AB_DEFS_fail_setup := -DAB_WORK_FAIL=1
AB_DEFS_fail_verify := -DAB_WORK_FAIL=2
AB_DEFS_fail_after := -DAB_WORK_FAIL=3
AB_DEFS_fail_flops := -DAB_WORK_FAIL=4
AB_DEFS_fail_run := -DAB_WORK_FAIL=5
$(BUILD)/tests/ab/work_%.so: tests/plugins/ab_work.c include/cbench.h
	@mkdir -p $(dir $@)
	$(call quiet,CC)$(CC) $(ALL_CFLAGS) $(AB_DEFS_$*) -shared -fPIC $< -o $@

# Builds of tests/plugins/abi3.c (tests/test_abi3.c): metrics 10 % larger, 64 MB more memory,
# hostile metric names.
ABI3_PLUGINS := $(patsubst %,$(BUILD)/tests/abi3/%.so,base metric110 mem64 hostile)
ABI3_DEFS_base :=
ABI3_DEFS_metric110 := -DABI3_METRIC_SCALE=1.1
ABI3_DEFS_mem64 := -DABI3_EXTRA_MB=64
ABI3_DEFS_hostile := -DABI3_HOSTILE
.SECONDARY: $(ABI3_PLUGINS) # built by a pattern for the tests: kept, not deleted as intermediate
$(BUILD)/tests/abi3/%.so: tests/plugins/abi3.c include/cbench.h
	@mkdir -p $(dir $@)
	$(call quiet,CC)$(CC) $(ALL_CFLAGS) $(ABI3_DEFS_$*) -shared -fPIC $< -o $@

# An NVTX injection library that logs the ranges --profile opens (tests/test_abi3.c).
NVTX_LOG := $(if $(NVTX_H),$(BUILD)/tests/nvtx_log.so)
$(BUILD)/tests/nvtx_log.so: tests/nvtx/nvtx_log.c
	@mkdir -p $(dir $@)
	$(call quiet,CC)$(CC) $(ALL_CFLAGS) -isystem $(dir $(NVTX_H)).. -shared -fPIC $< -o $@

$(BUILD)/tests/ab_hog: tests/ab_hog.c
	@mkdir -p $(dir $@)
	$(call quiet,CCLD)$(CC) $(ALL_CFLAGS) $(LDFLAGS) $< -o $@

$(BUILD)/tests/%: tests/%.c $(FW_OBJ) $(TEST_PLUGINS) $(AB_PLUGINS) $(ABI3_PLUGINS) $(NVTX_LOG)
	@mkdir -p $(dir $@)
	$(call quiet,CCLD)$(CC) $(ALL_CFLAGS) $(DEPFLAGS) $(LDFLAGS) -rdynamic $< $(FW_OBJ) -o $@ $(LDLIBS) -lcmocka

# make bench builds what it runs: the runner, the CPU suites, and the CUDA suites only where a
# driver is (libcuda.so.1 known to the loader, or the kernel module loaded).
CUDA_DRIVER ?= $(shell { /sbin/ldconfig -p 2>/dev/null || ldconfig -p 2>/dev/null; } | grep -q 'libcuda\.so\.1 ' || test -e /proc/driver/nvidia/version && echo 1)
BENCH_BUILD := $(BUILD)/cbench $(SUITES) $(if $(CUDA_DRIVER),$(CUDA_SUITES) $(CUDA_LIB))

bench: deps
	@$(MAKE) --no-print-directory $(if $(filter 1,$(V)),,-s) -j$(JOBS) $(BENCH_BUILD)
	@$(if $(CUDA_DRIVER),,echo "cbench: no NVIDIA driver found; CUDA suites skipped")
	$(Q)$(BUILD)/cbench --output-dir $(OUT) $(BENCH_ARGS); rc=$$?; \
	$(BUILD)/cbench report $(OUT)/latest.json -o $(OUT)/report && echo "report: $(OUT)/report/REPORT.md"; \
	exit $$rc

report: deps $(BUILD)/cbench
	$(BUILD)/cbench report $(OUT)/latest.json -o $(OUT)/report

$(BUILD)/selfbench: tests/selfbench.c $(FW_OBJ)
	$(call quiet,CCLD)$(CC) $(ALL_CFLAGS) $(DEPFLAGS) $(LDFLAGS) $< $(FW_OBJ) -o $@ $(LDLIBS)

selfbench: deps all examples $(TEST_PLUGINS) $(BUILD)/selfbench
	@$(BUILD)/selfbench $(BUILD)
	@$(BUILD)/history_gen selfbench $(BUILD)

# Synthetic run histories with known change points (docs/history.md), for tests and selfbench.
$(BUILD)/history_gen: tests/history_gen.c $(FW_OBJ)
	$(call quiet,CCLD)$(CC) $(ALL_CFLAGS) $(LDFLAGS) $< $(FW_OBJ) -o $@ $(LDLIBS)

# The GPU run: build here with GSL static (the GPU image has none), carry build-gpu, then run
# `sh tests/gpu/bench.sh build-gpu OUTDIR` there and render the report here from OUTDIR/latest.json.
bench-gpu-build: deps
	@$(MAKE) --no-print-directory -j$(JOBS) BUILD=build-gpu STATIC_GSL=1 all gpu-tests

# The statistical validation (tests/stats, docs/statistics.md): coverage, false positives and power on simulated
# timings; seeded, so it rewrites docs/statistics.md, its power chart and the report's summary
# (reports/report_validation.h) identically for any JOBS. A quick look that writes nothing:
# build/validate --runs 200 --only normal,AR
VALIDATE_OBJ := $(patsubst %,$(BUILD)/obj/core/%.o,stats bootstrap compare util error)
$(BUILD)/validate: $(wildcard tests/stats/*.c tests/stats/*.h) $(VALIDATE_OBJ)
	@mkdir -p $(dir $@)
	$(call quiet,CCLD)$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(filter %.c,$^) $(VALIDATE_OBJ) -o $@ $(LDLIBS)

validate: deps $(BUILD)/validate
	$(BUILD)/validate --jobs $(JOBS) --doc docs/statistics.md --data $(BUILD)/validate-power.dat \
		--header reports/report_validation.h $(VALIDATE_ARGS)
	gnuplot -e "data='$(BUILD)/validate-power.dat'; out='docs/statistics-power'" tests/stats/power.gp

# The verdict check: 20 A/A, +5% and -5% comparisons of the 100 us spin (~3 min).
validate-change: deps all $(TEST_PLUGINS)
	@sh tests/change_validation.sh $(BUILD)

# The interleaved A/B check (docs/statistics.md, "Interleaved A/B"): 20 A/A, +2 % and +5 %
# comparisons by `cbench ab` and by the baseline route, quiet and under the drift injector,
# and the canary warning; rewrites its table in docs/statistics.md. The injector loads every
# core for half the run: 16 min 54 s on the 2-core VM (docs/statistics.md); RUNS=5 for a look.
validate-ab: deps all $(AB_PLUGINS) $(BUILD)/tests/ab_hog
	@DOC=docs/statistics.md sh tests/ab_validation.sh $(BUILD)

# Interleaved groups against one bench after the other, quiet and under the drift injector
# (docs/statistics.md, "Interleaved groups"); rewrites its table there. RUNS=5 for a look.
$(BUILD)/group_validation: tests/group_validation.c $(FW_OBJ)
	$(call quiet,CCLD)$(CC) $(ALL_CFLAGS) $(LDFLAGS) $< $(FW_OBJ) -o $@ $(LDLIBS)

validate-group: deps all $(TEST_PLUGINS) $(BUILD)/tests/ab_hog $(BUILD)/group_validation
	$(BUILD)/group_validation $(BUILD) --runs $(or $(RUNS),20) --doc docs/statistics.md

# Unit + end-to-end tests on the normal build, then again under ASan+UBSan; one closing line.
test: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all examples lib gpu-tests $(TESTS) BUILD=$(BUILD)
	@$(MAKE) --no-print-directory -j$(JOBS) SAN=1 all examples lib $(TESTS:$(BUILD)/%=build-san/%) CUDA_SUITES= CUDA_LIB=
	@$(MAKE) --no-print-directory fuzz-smoke
	@sh tests/run.sh $(BUILD) build-san

# make fuzz [FUZZ_SECONDS=600]: libFuzzer on the results reader and the options (docs/robustness.md)
include tests/fuzz/fuzz.mk

# make install / uninstall, libcbench, pkg-config and the man page (docs/writing-suites.md)
-include mk/install.mk

clean:
	rm -rf build build-san build-fuzz

# The headers each target was built from (DEPFLAGS); absent before the first build.
-include $(shell find $(BUILD) $(FUZZ_BUILD) -name '*.d' 2>/dev/null)

format:
	clang-format -i include/*.h core/*.[ch] framework/*.[ch] reports/*.[ch] app/*.[ch] suites/*.c tests/*.[ch] examples/*.c
