# escrow - Shamir-escrowed key backup and restore.
#
# One non-recursive Makefile.  `make check` and `make demo` first run
# `make deps`, which installs any missing Debian 12 package, then call this
# Makefile again so that pkg-config sees what was just installed.
#
#   make [all]        build libescrow, escrow-keygen, escrow-combine
#   make check        build and run every test (unit, constant-time, end-to-end)
#   make check-asan   the test suite under AddressSanitizer + UBSan
#   make check-valgrind  the test suite under valgrind memcheck
#   make fuzz         each libFuzzer target for FUZZ_TIME seconds (clang);
#                     `make check` runs each for FUZZ_CHECK_TIME (30) seconds,
#                     two at a time (check-fuzz)
#   make demo         a whole ceremony against a throwaway SoftHSM token
#   make install      PREFIX=/usr/local DESTDIR=
#   make uninstall    removes what make install put there
#   make bench        benchmarks, printed as ratios against a baseline
#   V=1               show the commands; WERROR=1 turns warnings into errors

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DESTDIR ?=
CC      ?= cc
CFLAGS  ?= -O2 -g
B       ?= build
SAN     ?=
TEST_WRAP ?=
E2E_WRAP  ?=
E2E_WRAP_SKIP ?=
CT_CHECK  ?= yes

ifeq ($(V),1)
Q :=
else
Q := @
endif

# Debian 12 packages the build, the tests and the demo need.
DEB_PACKAGES := gcc make pkg-config libsodium-dev libssl-dev libqrencode-dev \
	libzbar-dev libcups2-dev libcairo2-dev libpoppler-glib-dev libp11-kit-dev \
	libjson-c-dev check valgrind softhsm2 opensc cups cups-client \
	poppler-utils ldnsutils imagemagick fonts-dejavu-core expect man-db \
	libjpeg-dev zbar-tools clang libclang-rt-14-dev strace libisal-dev \
	nodejs xxd libxml2-dev libxml2-utils libnss3-tools opencryptoki p11-kit \
	tmux fuse2fs time

# lib/ (libescrow.a) links only these; printing/ (libescrow-print.a) is the
# only part that links the paper libraries and CUPS.
LIB_PKGS   := libsodium libcrypto p11-kit-1
PRINT_PKGS := libqrencode zbar cairo poppler-glib libjpeg libisal
PKGS       := $(LIB_PKGS) $(PRINT_PKGS)
TEST_PKGS  := check json-c zlib
# ksr/ (libescrow-ksr.a: KSR/SKR documents) alone links libxml2.
KSR_PKGS   := libxml-2.0

# Lazily evaluated: only after `deps` has run.
PKG_CFLAGS  = $(shell pkg-config --cflags $(PKGS)) $(shell cups-config --cflags 2>/dev/null)
PKG_LIBS    = $(shell pkg-config --libs $(PKGS)) $(shell cups-config --libs 2>/dev/null) -lm
LIB_PKG_LIBS = $(shell pkg-config --libs $(LIB_PKGS))
TEST_CFLAGS = $(shell pkg-config --cflags $(TEST_PKGS))
TEST_LIBS   = $(shell pkg-config --libs $(TEST_PKGS))
KSR_CFLAGS  = $(shell pkg-config --cflags $(KSR_PKGS))
KSR_LIBS    = $(shell pkg-config --libs $(KSR_PKGS))

WARN := -Wall -Wextra -Wshadow -Wvla -Wformat=2 -Wstrict-prototypes \
	-Wmissing-prototypes -Wredundant-decls -Wcast-qual
HARDEN := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE $(WARN) $(HARDEN) $(if $(WERROR),-Werror) \
	$(DIR_INC) $(PKG_CFLAGS) $(CFLAGS) $(SAN) -MMD -MP
ALL_LDFLAGS = -pie -Wl,-z,relro,-z,now $(SAN) $(LDFLAGS)

# Each directory sees only the headers of the layers below it, so that an
# internal header included from the wrong place fails the build: the tools
# see the public headers (lib/include, printing/include) and their own.
PUB_INC := -Ilib/include -Iprinting/include -Iksr/include
$(B)/lib/%.o:      DIR_INC = -Ilib/include -Ilib
$(B)/printing/%.o: DIR_INC = $(PUB_INC) -Iprinting
$(B)/ksr/%.o:      DIR_INC = $(PUB_INC) -Iksr/include -Iksr $(KSR_CFLAGS)
$(B)/tools/%.o:    DIR_INC = $(PUB_INC) -Itools
# the one place the version comes from (VERSION; no build date)
VERSION := $(shell cat VERSION)
$(B)/tools/version.o: DIR_INC = $(PUB_INC) -Itools -DESCROW_VERSION='"$(VERSION)"'
$(B)/tools/version.o: VERSION
$(B)/keygen/%.o:   DIR_INC = $(PUB_INC) -Itools -Ikeygen
$(B)/combine/%.o:  DIR_INC = $(PUB_INC) -Itools -Icombine
# tests and fuzz targets may reach the internals they test
$(B)/tests/%.o:    DIR_INC = $(PUB_INC) -Ilib -Iprinting -Itools
$(B)/fuzz/%.o:     DIR_INC = $(PUB_INC) -Ilib -Iprinting

LIB_SRC     := $(sort $(wildcard lib/*.c))
PRINT_SRC   := $(sort $(wildcard printing/*.c))
KSR_SRC     := $(sort $(wildcard ksr/*.c))
KEYGEN_SRC  := $(sort $(wildcard keygen/*.c))
COMBINE_SRC := $(sort $(wildcard combine/*.c))
TOOL_SRC    := $(sort $(wildcard tools/*.c))
TEST_SRC    := $(sort $(wildcard tests/check_*.c))
TEST_NAMES  := $(patsubst tests/check_%.c,%,$(TEST_SRC))

LIB_OBJ     := $(LIB_SRC:%.c=$(B)/%.o)
PRINT_OBJ   := $(PRINT_SRC:%.c=$(B)/%.o)
KSR_OBJ     := $(KSR_SRC:%.c=$(B)/%.o) $(B)/ksr/ksr_rng.o
KEYGEN_OBJ  := $(KEYGEN_SRC:%.c=$(B)/%.o)
COMBINE_OBJ := $(COMBINE_SRC:%.c=$(B)/%.o)
TOOL_OBJ    := $(TOOL_SRC:%.c=$(B)/%.o)
# tests/fixture_*.c: test data and helpers that several suites share
TEST_OBJ    := $(TEST_SRC:%.c=$(B)/%.o) $(B)/tests/main.o $(B)/tests/testutil.o \
	$(patsubst tests/%.c,$(B)/tests/%.o,$(sort $(wildcard tests/fixture_*.c)))
# check_media tests tools/media.c, which needs nothing but libc
TEST_OBJ    += $(B)/tools/media.o

LIBESCROW := $(B)/libescrow.a
LIBPRINT  := $(B)/libescrow-print.a
LIBKSR    := $(B)/libescrow-ksr.a
LIBESCROW_TEST := $(B)/libescrow-test.a
# what a program of the suite links: the printed medium on top of the library
# (and the KSR documents, which link libxml2: KSR_LIBS)
LIBS_ALL  := $(LIBKSR) $(LIBPRINT) $(LIBESCROW)
LIBS_TEST := $(LIBKSR) $(LIBPRINT) $(LIBESCROW_TEST)
PROGRAMS  := $(if $(KEYGEN_SRC),$(B)/escrow-keygen) $(if $(COMBINE_SRC),$(B)/escrow-combine)
TEST_BIN  := $(B)/tests/check_all
CT_BIN    := $(B)/tests/ct_check
HELPER    := $(B)/tests/escrow-testhelper
P11CHECK  := $(B)/tests/escrow-p11check

.PHONY: all check check-run check-asan check-valgrind check-valgrind-unit check-unit-run demo demo-run deps \
	install uninstall clean bench bench-run deps-deb deps-npm fuzz fuzz-bin fuzz-run \
	check-fuzz check-fuzz-run
.DEFAULT_GOAL := all

all: $(LIBESCROW) $(LIBPRINT) $(LIBKSR) $(PROGRAMS)

$(B)/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIBESCROW): $(LIB_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

# Test builds link libescrow-test.a: the same objects, with lib/mem.c built
# with ESCROW_TEST_HOOKS (the deterministic random source of
# lib/escrow_hazmat.h); nothing installed links it.
$(B)/lib/mem_test.o: lib/mem.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $< (test hooks)")
	$(Q)$(CC) $(ALL_CFLAGS) -DESCROW_TEST_HOOKS -c -o $@ $<

$(LIBESCROW_TEST): $(filter-out $(B)/lib/mem.o,$(LIB_OBJ)) $(B)/lib/mem_test.o
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(LIBPRINT): $(PRINT_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

# The KSR schema (ksr/ksr.rng, see ksr/SOURCE.txt) as one C string.
$(B)/ksr/ksr_rng.c: ksr/ksr.rng
	@mkdir -p $(@D)
	$(Q){ echo '#include "ksr_int.h"'; echo 'const char escrow_ksr_rng[] ='; \
		sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; \
		echo ';'; } > $@.tmp && mv $@.tmp $@

$(B)/ksr/ksr_rng.o: $(B)/ksr/ksr_rng.c
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIBKSR): $(KSR_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

# Proof that libescrow.a needs nothing but libsodium, libcrypto and p11-kit:
# every object of the archive (--whole-archive) linked with only those.
LIB_ONLY := $(B)/tests/lib_only
$(LIB_ONLY): $(B)/tests/link/lib_only.o $(LIBESCROW)
	@$(if $(Q),echo "  LD      $@ (libescrow.a with $(LIB_PKGS) only)")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $< -Wl,--whole-archive $(LIBESCROW) \
		-Wl,--no-whole-archive $(LIB_PKG_LIBS)

# tools/*.c: what both tools share on top of the public library.
$(B)/escrow-keygen: $(KEYGEN_OBJ) $(TOOL_OBJ) $(LIBS_ALL)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(KEYGEN_OBJ) $(TOOL_OBJ) $(LIBS_ALL) $(PKG_LIBS) $(KSR_LIBS)

$(B)/escrow-combine: $(COMBINE_OBJ) $(TOOL_OBJ) $(LIBS_ALL)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(COMBINE_OBJ) $(TOOL_OBJ) $(LIBS_ALL) $(PKG_LIBS) $(KSR_LIBS)

# ---- tests -----------------------------------------------------------------

# Each tests/check_NAME.c defines `Suite *check_NAME_suite(void)`; the runner
# learns the list from this generated header.
$(B)/tests/suites.h: $(TEST_SRC) Makefile
	@mkdir -p $(@D)
	$(Q){ for n in $(TEST_NAMES); do echo "X($$n)"; done; } > $@.tmp && mv $@.tmp $@

$(B)/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -I$(B)/tests \
		-DESCROW_TOP='"$(CURDIR)"' -DESCROW_BUILD='"$(CURDIR)/$(B)"' -c -o $@ $<

$(B)/tests/main.o: $(B)/tests/suites.h

$(TEST_BIN): $(TEST_OBJ) $(LIBS_TEST)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(TEST_OBJ) $(LIBS_TEST) $(PKG_LIBS) $(KSR_LIBS) $(TEST_LIBS)

$(CT_BIN): $(B)/tests/ct/ct_check.o $(LIBS_TEST)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIBS_TEST) $(PKG_LIBS) $(KSR_LIBS)

# Test-only: prints secrets on purpose so tests can search for them.
$(HELPER): $(B)/tests/helpers/testhelper.o $(LIBS_TEST)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIBS_TEST) $(PKG_LIBS) $(KSR_LIBS)

# Test-only: what a token holds under one CKA_ID, and a signature with it
# (tests/t_tokens.sh reads NSS softoken through it).
$(P11CHECK): $(B)/tests/helpers/p11check.o $(LIBS_ALL)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIBS_ALL) $(PKG_LIBS) $(KSR_LIBS)

# Test-only PKCS#11 module that forwards to SoftHSM, fails chosen calls
# (tests/fi/fi.c) and can behave like a vendor's HSM (tests/fi/fi_profile.c).
# Built without sanitizers: it is loaded into the tools.
FI_MOD := $(B)/tests/fi/libescrow-fi.so
$(FI_MOD): tests/fi/fi.c tests/fi/fi_profile.c tests/fi/fi_calls.h tests/fi/fi_profile.h
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $@")
	$(Q)$(CC) -std=c11 -D_DEFAULT_SOURCE $(WARN) $(if $(WERROR),-Werror) -O2 -g \
		-fPIC -shared -fvisibility=hidden -pthread $(shell pkg-config --cflags p11-kit-1) \
		-o $@ $(filter %.c,$^) -ldl

# PKCS#11 benchmark program, built on demand by tests/bench_p11.sh.
$(B)/tests/bench/bench_p11: $(B)/tests/bench/bench_p11.o $(LIBS_ALL)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIBS_ALL) $(PKG_LIBS) $(KSR_LIBS)

# The constant-time check: secrets are marked undefined for memcheck, so
# any branch or memory index that depends on them is an error.
CT_VALGRIND := valgrind -q --error-exitcode=1 --track-origins=yes

# End-to-end scripts run E2E_JOBS at a time (tests/e2e.sh), each script's
# output printed whole when it ends.
E2E_JOBS ?= 2

check: deps
	$(Q)$(MAKE) --no-print-directory check-run
	$(Q)$(MAKE) --no-print-directory check-fuzz-run

check-run: all $(TEST_BIN) $(CT_BIN) $(HELPER) $(P11CHECK) $(FI_MOD) $(LIB_ONLY)
	$(Q)$(LIB_ONLY)
	$(Q)if grep -lE 'cairo|zbar|qrencode|cups|poppler|jpeglib' lib/*.c lib/*.h lib/include/*.h; then \
		echo "lib/: the files above name a paper or printing library (they belong in printing/)"; exit 1; fi
	$(Q)CK_DEFAULT_TIMEOUT=600 $(TEST_WRAP) $(TEST_BIN)
	$(Q)$(if $(CT_CHECK),echo "constant-time check (valgrind):" && $(CT_VALGRIND) $(CT_BIN),echo "constant-time check skipped in this build (sanitizers and valgrind do not mix)")
	$(Q)B=$(B) E2E_WRAP='$(E2E_WRAP)' E2E_WRAP_SKIP='$(E2E_WRAP_SKIP)' JOBS=$(E2E_JOBS) \
		sh tests/e2e.sh $(sort $(wildcard tests/t_*.sh))

check-asan: deps
	$(Q)LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
		$(MAKE) --no-print-directory B=build/asan CFLAGS="-O1 -g" \
		SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		CT_CHECK= check-run

# The end-to-end tests run both tools under valgrind too (tests/lib.sh's
# ESCROW_WRAP); a memcheck error makes a tool exit 99.  t_load (every
# algorithm and strategy, RSA-4096 key generation) would take most of CI's
# time there: its tools run unwrapped; t_ceremony, t_secrets and t_faults
# cover loading under valgrind.  t_tokens (some 100 loads and probes into
# NSS, openCryptoki, p11-kit and the tests/fi profiles) likewise, and
# t_keysets (2,000 keys, for a tag collision): t_ceremony covers the same
# code with one key.  t_crash (two dozen loads of up to 300 keys) and the
# paper damage tests (t_paper_damage, t_paper_sheets: dozens of scanned
# pages) too: check_p11_set, t_faults, t_print_scan and t_ceremony run the
# same code under valgrind on fewer keys and pages.
VALGRIND_E2E_SKIP ?= t_load t_tokens t_keysets t_crash t_paper_damage t_paper_sheets
VALGRIND_TOOLS := valgrind -q --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite --suppressions=$(CURDIR)/tests/valgrind.supp

# The Check suites alone under valgrind (CI's fallback when the whole
# valgrind suite does not fit in its time).
check-valgrind-unit: deps
	$(Q)$(MAKE) --no-print-directory B=build/valgrind CFLAGS="-O1 -g" \
		TEST_WRAP="env CK_FORK=no valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite" \
		check-unit-run

check-unit-run: all $(TEST_BIN) $(HELPER) $(FI_MOD) $(P11CHECK)
	$(Q)CK_DEFAULT_TIMEOUT=600 $(TEST_WRAP) $(TEST_BIN)

check-valgrind: deps
	$(Q)$(MAKE) --no-print-directory B=build/valgrind CFLAGS="-O1 -g" \
		TEST_WRAP="env CK_FORK=no valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite" \
		E2E_WRAP="$(VALGRIND_TOOLS)" E2E_WRAP_SKIP="$(VALGRIND_E2E_SKIP)" check-run

# ---- fuzzing ---------------------------------------------------------------

# fuzz/fuzz_NAME.c: one libFuzzer target per parser of outside data, built
# with clang, ASan and UBSan into build/fuzz (without -Werror: clang warns
# about things gcc, the compiler of record, does not).  Seeds: fuzz/corpus/NAME/;
# inputs that once crashed (kept as regression tests): fuzz/regress/NAME/.
FUZZ_B      := build/fuzz
FUZZ_NAMES  := $(patsubst fuzz/fuzz_%.c,%,$(sort $(wildcard fuzz/fuzz_*.c)))
FUZZ_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_TIME   ?= 60
FUZZ_OPTS   := -max_len=8192 -rss_limit_mb=2048 -timeout=20
FUZZ_MAKE   = $(MAKE) --no-print-directory B=$(FUZZ_B) CC=clang WERROR= \
	CFLAGS="-O1 -g -Wno-format-nonliteral" \
	SAN="$(FUZZ_SAN) -fsanitize=fuzzer-no-link"

fuzz-bin: $(FUZZ_NAMES:%=$(B)/fuzz/fuzz_%)

# a target may also take tools' objects (the parser it feeds lives there)
FUZZ_TOOL_OBJ_thresh := $(B)/tools/threshold_partial.o $(B)/tools/tool.o
$(B)/fuzz/fuzz_thresh.o: DIR_INC += -Itools

.SECONDEXPANSION:
$(B)/fuzz/fuzz_%: $(B)/fuzz/fuzz_%.o $$(FUZZ_TOOL_OBJ_$$*) $(LIBS_ALL)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_TOOL_OBJ_$*) \
		$(LIBS_ALL) $(PKG_LIBS) $(KSR_LIBS)

# `make fuzz [FUZZ_TIME=60]`: each target FUZZ_TIME seconds; new inputs go
# to build/fuzz/corpus/NAME, crashes to build/fuzz/crash-NAME-*.
fuzz: deps
	$(Q)$(FUZZ_MAKE) fuzz-bin
	$(Q)$(MAKE) --no-print-directory fuzz-run

fuzz-run:
	$(Q)set -e; for n in $(FUZZ_NAMES); do \
		echo "fuzz: $$n for $(FUZZ_TIME) s"; mkdir -p $(FUZZ_B)/corpus/$$n; \
		$(FUZZ_B)/fuzz/fuzz_$$n $(FUZZ_OPTS) -max_total_time=$(FUZZ_TIME) \
			-artifact_prefix=$(FUZZ_B)/crash-$$n- -print_final_stats=1 \
			$(FUZZ_B)/corpus/$$n fuzz/corpus/$$n >$(FUZZ_B)/$$n.log 2>&1 \
			&& rc=0 || rc=$$?; tail -n 12 $(FUZZ_B)/$$n.log; test $$rc = 0; \
	done

# `make check` runs this (fuzz/check.sh): for every target, each kept crash
# input once, then FUZZ_CHECK_TIME seconds of fuzzing from the kept seeds
# and crash inputs, FUZZ_JOBS targets at a time (2 cores: 12 targets x 30 s
# take about 3 minutes).  Time-bounded, not a fixed count of runs: the
# textform overflow took fuzz_textform about 65 s to find, 3,000 seeded
# runs never did.
FUZZ_CHECK_TIME ?= 30
FUZZ_JOBS       ?= 2
check-fuzz: deps
	$(Q)$(MAKE) --no-print-directory check-fuzz-run

check-fuzz-run:
	$(Q)$(FUZZ_MAKE) fuzz-bin
	$(Q)FUZZ_B=$(FUZZ_B) FUZZ_OPTS="$(FUZZ_OPTS)" FUZZ_CHECK_TIME=$(FUZZ_CHECK_TIME) \
		JOBS=$(FUZZ_JOBS) nice sh fuzz/check.sh $(FUZZ_NAMES)

# ---- demo, bench, install --------------------------------------------------

demo: deps
	$(Q)$(MAKE) --no-print-directory demo-run

demo-run: all
	$(Q)B=$(B) sh tools/demo.sh

bench: deps
	$(Q)$(MAKE) --no-print-directory bench-run

bench-run: all
	$(Q)set -e; for t in $(sort $(wildcard tests/bench_*.sh)); do B=$(B) sh $$t; done

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	$(if $(PROGRAMS),install -m 0755 $(PROGRAMS) $(DESTDIR)$(BINDIR)/)
	$(if $(wildcard docs/*.1),install -m 0644 $(wildcard docs/*.1) $(DESTDIR)$(MANDIR)/man1/)

# Installs what is missing with apt-get when root; otherwise prints the
# exact command and fails.  Does nothing when everything is present.
deps: deps-deb
	$(Q)$(MAKE) --no-print-directory deps-npm

deps-deb:
	$(Q)missing=""; for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' \
			|| missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
		echo "escrow: missing Debian packages:$$missing"; \
		echo "run as root: apt-get update && apt-get install -y --no-install-recommends$$missing"; \
		exit 1; \
	fi; \
	echo "escrow: installing:$$missing"; \
	export DEBIAN_FRONTEND=noninteractive; \
	apt-get update -q && apt-get install -y -q --no-install-recommends $$missing

# The independent SLIP-0039 implementation tests/t_hand_restore.sh uses,
# pinned, from the npm registry into tests/npm/ (not in git).  When the
# registry cannot be reached this says so and the test prints SKIPPED.
NPM_SLIP39 := slip39@0.1.9
deps-npm:
	$(Q)if grep -q '"version": "0.1.9"' tests/npm/node_modules/slip39/package.json 2>/dev/null; then \
		exit 0; fi; \
	if ! command -v npm >/dev/null 2>&1; then \
		echo "escrow: npm missing: tests/t_hand_restore.sh will be SKIPPED"; exit 0; fi; \
	mkdir -p tests/npm; \
	timeout 300 npm install --prefix tests/npm --no-save --no-audit --no-fund \
		--ignore-scripts $(NPM_SLIP39) >/dev/null 2>&1 || \
		echo "escrow: npm install $(NPM_SLIP39) failed (registry unreachable?): tests/t_hand_restore.sh will be SKIPPED"

# ---- kiosk live image (live-image/, docs/kiosk.md) -------------------------
#
#   make live-deps    installs what building and booting the image needs
#   make live-image   builds live-image/out/escrow-kiosk-amd64.iso (root;
#                     LIVE_OUT, MIRROR, LIVE_CACHE, LIVE_KEEP=1)
#   make live-test    boots it under qemu: kernel, BIOS and UEFI
#                     (LIVE_BOOTS, LIVE_TIMEOUT seconds per boot)
# Kept apart from DEB_PACKAGES so that `make check` never pulls in qemu.
LIVE_PACKAGES := live-build debootstrap squashfs-tools xorriso isolinux \
	syslinux-common syslinux-utils grub-efi-amd64-bin mtools dosfstools cpio \
	qemu-system-x86 ovmf git
LIVE_OUT     ?= live-image/out
LIVE_BOOTS   ?= kernel bios uefi
LIVE_TIMEOUT ?= 600

.PHONY: live-deps live-image live-test

live-deps:
	$(Q)$(MAKE) --no-print-directory deps DEB_PACKAGES="$(LIVE_PACKAGES)"

live-image:
	$(Q)if [ "$$(id -u)" != 0 ]; then \
		echo "make live-image needs root: live-build mounts /proc and /sys in its chroot."; \
		echo "run: sudo make live-image"; exit 1; fi
	$(Q)$(MAKE) --no-print-directory deps
	$(Q)$(MAKE) --no-print-directory live-deps
	$(Q)OUT="$(abspath $(LIVE_OUT))" sh live-image/build.sh

live-test: live-deps
	$(Q)OUT="$(abspath $(LIVE_OUT))" LIVE_TIMEOUT=$(LIVE_TIMEOUT) sh live-image/test.sh $(LIVE_BOOTS)

uninstall:
	rm -f $(PROGRAMS:$(B)/%=$(DESTDIR)$(BINDIR)/%)
	rm -f $(patsubst docs/%,$(DESTDIR)$(MANDIR)/man1/%,$(wildcard docs/*.1))

clean:
	rm -rf build

-include $(shell find $(B) -name '*.d' 2>/dev/null)
