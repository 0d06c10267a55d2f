# SPDX-License-Identifier: MIT
# fuzz.mk - libFuzzer targets for the results reader and the option parser (tests/fuzz/).
# make fuzz: each for FUZZ_SECONDS [600]; make test runs fuzz-smoke (a few seconds each) when
# clang's fuzzer runtime is there. Included by the Makefile, whose FW_SRC, WARN and LDLIBS it uses.

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 600
FUZZ_SMOKE_SECONDS ?= 5
FUZZ_BUILD   := build-fuzz
FUZZ_CFLAGS  := -std=c11 $(WARN) -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
                -fno-sanitize-recover=all -D_GNU_SOURCE -Iinclude -Icore -Iframework -Ireports -Iapp -pthread
FUZZ_OBJ     := $(FW_SRC:%.c=$(FUZZ_BUILD)/obj/%.o)
FUZZERS      := $(FUZZ_BUILD)/fuzz_results $(FUZZ_BUILD)/fuzz_cli

$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(FUZZ_CC) $(filter-out -Icore -Iframework -Ireports -Iapp,$(FUZZ_CFLAGS)) $(call layer_inc,$<) \
		$(DEPFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

# An archive: each target links only the framework objects it reaches.
$(FUZZ_BUILD)/libcbench_fuzz.a: $(FUZZ_OBJ)
	@rm -f $@ && ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_BUILD)/libcbench_fuzz.a
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $< $(FUZZ_BUILD)/libcbench_fuzz.a -o $@ $(LDLIBS)

.PHONY: fuzz fuzz-deps fuzz-smoke
fuzz-deps:
	@sh tests/fuzz/deps.sh

fuzz: deps fuzz-deps
	@$(MAKE) --no-print-directory -j$(JOBS) $(FUZZERS)
	@sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# make test: a short run of each, or one line saying why not.
fuzz-smoke:
	@if sh tests/fuzz/deps.sh --check; then \
	    $(MAKE) --no-print-directory -j$(JOBS) $(FUZZERS) && \
	    sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SMOKE_SECONDS); \
	else echo "fuzz: skipped (no clang with libFuzzer; make fuzz installs it)"; fi
