# SPDX-License-Identifier: MIT
# install.mk - libcbench (.a/.so), pkg-config files, the man page, make install / uninstall.
# Included by the Makefile, whose variables (BUILD, FW_SRC, SUITES, LDLIBS...) it uses.

PREFIX  ?= /usr/local
DESTDIR ?=
INSTALL ?= install
AR      ?= ar
CB_ABI  := $(shell sed -n 's/^\#define CB_ABI_VERSION \([0-9]*\).*/\1/p' include/cbench.h)
CB_VER  := $(shell sed -n 's/^\#define CB_VERSION "\(.*\)".*/\1/p' include/cbench.h)

# The library is the core, harness, reports and dispatch without app/main.c, built
# position-independent for the .so.
LIB_OBJ := $(FW_SRC:%.c=$(BUILD)/pic/%.o)
LIB_ALL := $(BUILD)/libcbench.a $(BUILD)/libcbench.so.$(CB_ABI) $(BUILD)/libcbench.so \
           $(BUILD)/pkgconfig/cbench-uninstalled.pc $(BUILD)/cbench.1

.PHONY: lib install uninstall
lib: $(LIB_ALL)

$(BUILD)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(call quiet,CC)$(CC) $(BASE_CFLAGS) $(call layer_inc,$<) $(DEPFLAGS) -fPIC -c $< -o $@

$(BUILD)/libcbench.a: $(LIB_OBJ)
	$(call quiet,AR)rm -f $@ && $(AR) rcs $@ $^

# The soname follows the plugin ABI: the helpers plugins call are this library's interface.
$(BUILD)/libcbench.so.$(CB_ABI): $(LIB_OBJ)
	$(call quiet,LD)$(CC) $(LDFLAGS) -shared -Wl,-soname,libcbench.so.$(CB_ABI) $^ -o $@ $(LDLIBS)

$(BUILD)/libcbench.so: $(BUILD)/libcbench.so.$(CB_ABI)
	$(call quiet,LN)ln -sf libcbench.so.$(CB_ABI) $@

# A sanitizer build's library needs the sanitizer runtime in whatever links it.
PC_LIBS := $(filter -fsanitize=%,$(LDFLAGS))
# $(call PC_FILL,prefix,bindir,libdir,includedir,suitedir)
PC_FILL = sed -e 's|@PREFIX@|$(1)|' -e 's|@BINDIR@|$(2)|' -e 's|@LIBDIR@|$(3)|' \
              -e 's|@INCLUDEDIR@|$(4)|' -e 's|@SUITEDIR@|$(5)|' -e 's|@VERSION@|$(CB_VER)|' \
              -e 's|@EXTRA_LIBS@|$(PC_LIBS)|' cbench.pc.in

# pkg-config prefers NAME-uninstalled.pc: PKG_CONFIG_PATH=build/pkgconfig builds against build/.
$(BUILD)/pkgconfig/cbench-uninstalled.pc: cbench.pc.in include/cbench.h mk/install.mk
	@mkdir -p $(dir $@)
	$(call quiet,GEN)$(call PC_FILL,$(CURDIR),$(CURDIR)/$(BUILD),$(CURDIR)/$(BUILD),$(CURDIR)/include,$(CURDIR)/$(BUILD)/suites) > $@

# cbench(1) is the --help text converted (framework/manpage.c), so it cannot drift from it.
$(BUILD)/cbench.1: $(BUILD)/cbench
	$(call quiet,GEN)$< --help-man > $@.tmp && mv $@.tmp $@

D := $(DESTDIR)$(PREFIX)
INSTALLED_SUITES := $(notdir $(SUITE_SRC:.c=.so) $(CUDA_SUITE_SRC:.cu=.so))
# Every document --help, the man page and the report cite (the report links them from here).
INSTALLED_DOCS := $(notdir $(wildcard docs/*.md docs/*.png docs/*.svg))

install: all lib
	$(INSTALL) -d $(D)/bin $(D)/include $(D)/lib/cbench/suites $(D)/lib/pkgconfig \
	    $(D)/share/man/man1 $(D)/share/doc/cbench
	$(INSTALL) -m 755 $(BUILD)/cbench $(D)/bin/cbench
	$(INSTALL) -m 644 include/cbench.h $(D)/include/cbench.h
	$(if $(SUITES)$(CUDA_SUITES),$(INSTALL) -m 755 $(SUITES) $(CUDA_SUITES) $(D)/lib/cbench/suites/)
	if [ -f $(BUILD)/libcbench_cuda.so ]; then \
	    $(INSTALL) -m 755 $(BUILD)/libcbench_cuda.so $(D)/lib/cbench/; fi
	$(INSTALL) -m 644 $(BUILD)/libcbench.a $(D)/lib/libcbench.a
	$(INSTALL) -m 755 $(BUILD)/libcbench.so.$(CB_ABI) $(D)/lib/libcbench.so.$(CB_ABI)
	ln -sf libcbench.so.$(CB_ABI) $(D)/lib/libcbench.so
	$(call PC_FILL,$(PREFIX),$${prefix}/bin,$${prefix}/lib,$${prefix}/include,$${prefix}/lib/cbench/suites) \
	    > $(D)/lib/pkgconfig/cbench.pc
	$(INSTALL) -m 644 $(BUILD)/cbench.1 $(D)/share/man/man1/cbench.1
	$(INSTALL) -m 644 $(addprefix docs/,$(INSTALLED_DOCS)) $(D)/share/doc/cbench/

# Removes what install wrote, by name: other plugins a user put in lib/cbench/suites stay.
uninstall:
	rm -f $(D)/bin/cbench $(D)/include/cbench.h $(D)/lib/libcbench.a \
	    $(D)/lib/libcbench.so $(D)/lib/libcbench.so.$(CB_ABI) $(D)/lib/pkgconfig/cbench.pc \
	    $(D)/lib/cbench/libcbench_cuda.so $(D)/share/man/man1/cbench.1 \
	    $(addprefix $(D)/share/doc/cbench/,$(INSTALLED_DOCS)) \
	    $(addprefix $(D)/lib/cbench/suites/,$(INSTALLED_SUITES))
	rmdir $(D)/lib/cbench/suites $(D)/lib/cbench $(D)/share/doc/cbench 2>/dev/null || true
