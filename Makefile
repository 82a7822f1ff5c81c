# supernested - how deep can KVM nest on this host and kernel?
#   make run     install what is missing, build the image, run it, print the table
#   make check   unit tests, golden tests on recorded logs, end-to-end boots
#   make bench   per level: time to up, boot phases, memory, exits by reason and
#                the exit-cost model's boot next to the measured one; A/B ratios
#   make bench-kernels  the same, the shipped small kernel against Debian's
#                standard and cloud kernels
#   make small-kernel   just build the kernel the image ships (image/kernel-small.config)
#   make image   just build supernested.img (KERNEL=/boot/vmlinuz-... for another)

CC       ?= gcc
CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 -Wall -Wextra -Wformat=2 -Wshadow -Wpointer-arith \
	    -Wstrict-prototypes -Wmissing-prototypes -Wundef -Wvla -D_GNU_SOURCE
INCLUDES := -Ilauncher -Iresults -Ioverlay -Itests
B        := build

# Debian's kernels (the one linux-image-amd64 stands for in Debian's
# archive, its source for the small kernel, the cloud flavour for tests)
# are downloaded and unpacked into $(B), never installed on the host.
DEBIAN_KERNELS := $(B)/debian-kernels
DEBIAN_ROOT := $(DEBIAN_KERNELS)/amd64
CLOUD_ROOT  := $(DEBIAN_KERNELS)/cloud-amd64
# release ROOT: the kernel release unpacked there (in recipes only)
release = $$(cat $(1)/release)
DEBIAN_KERNEL = $(DEBIAN_ROOT)/boot/vmlinuz-$(call release,$(DEBIAN_ROOT))
DEBIAN_MODULES = $(DEBIAN_ROOT)/lib/modules/$(call release,$(DEBIAN_ROOT))
IMAGE    ?= supernested.img
# The image ships the small kernel (make small-kernel): Debian's kernel
# source, image/kernel-small.config.  Each level boots in about half the
# time, and only it reaches level 4 here (README, "The small kernel").
# Any other kernel: KERNEL= a build tree or a bzImage, MODULES= its
# modules_install output or /lib/modules/<release> (see README); Debian's
# own: make $(DEBIAN_ROOT)/.unpacked, then
# make image KERNEL=$(DEBIAN_ROOT)/boot/vmlinuz-<release> MODULES=$(DEBIAN_ROOT)/lib/modules/<release>.
SMALL    := $(B)/kernel-small
SMALL_BZIMAGE := $(SMALL)/build/arch/x86/boot/bzImage
ifeq ($(origin KERNEL),undefined)
KERNEL   := $(SMALL)/build
MODULES  ?= $(SMALL)/mods
KERNEL_DEP := $(SMALL_BZIMAGE)
endif
MODULES  ?=
IMAGE_WORK ?= $(B)/image

# One version for the tool, the launcher and the image: VERSION plus the
# commit it was built from; every timestamp in the image is the commit's.
VERSION  := $(shell cat VERSION)$(shell git rev-parse --short=12 HEAD 2>/dev/null | sed 's/^/+g/')
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export SOURCE_DATE_EPOCH
VERSION_DEFINE := -DSUPERNESTED_VERSION='"$(VERSION)"'

# Debian packages: what building the image and running it needs (make run
# installs only these), and what the tests add (make check).  No kernel
# package: Debian's kernels are unpacked into $(B) (image/debian-package.sh).
RUN_DEPS := gcc make libc6-dev libjson-c-dev libxml2-dev libssl-dev pkg-config \
	    qemu-system-x86 qemu-utils e2fsprogs syslinux syslinux-common dosfstools \
	    mtools fakeroot kmod xz-utils cpio fdisk gnuplot-nox scdoc
# Bochs: level 1 on an emulated Intel CPU with VMX (tests/e2e/intel-bochs.sh)
TEST_DEPS := perl jq libxml2-utils zstd lz4 lzop mount clang libclang-rt-14-dev bochs bochs-term bochsbios vgabios \
	     python3 python3-jsonschema python3-rfc3987 python3-yaml
# LAVA's dispatcher, for the job template run for real (tests/e2e/lava.sh)
LAVA_DEPS := lava-dispatcher
# Shared by the launcher and the host tool: pure logic, and the /dev/kvm check.
SHARED_SRC := results/report.c results/node.c results/tree.c results/text.c results/chain.c results/outcome.c \
	      results/classify.c results/line_reader.c results/verdict.c \
	      launcher/settings.c launcher/memory_policy.c launcher/qemu_argv.c \
	      launcher/cpu_facts.c launcher/kvm_device.c results/budget.c launcher/supervisor.c \
	      launcher/image_info.c results/exit_profile.c launcher/monitor.c launcher/slurp.c \
	      results/exercised.c
LAUNCHER_SRC := $(SHARED_SRC) launcher/main.c launcher/kmod.c launcher/bootdisk.c \
		launcher/console.c launcher/child.c launcher/system.c \
		launcher/inject.c launcher/by_hand.c launcher/kvm_stats.c overlay/overlay.c overlay/qcow2.c \
		results/events.c results/table.c results/run_tree.c launcher/smp_facts.c launcher/smp_probe.c
# Pure host modules the unit tests link too.
HOST_PURE := results/events.c results/table.c results/run_tree.c host/level_status.c host/stats.c host/phases.c host/compare.c \
	     host/history.c host/junit.c host/kcidb.c host/tap_out.c host/output.c \
	     host/kernel_format.c host/kernel_config.c host/progress_queue.c host/console_log.c host/bochs.c host/level1_end.c host/clocks.c host/model.c \
	     host/event_line.c host/saved_log.c host/model_json.c host/profile.c
HOST_SRC := $(SHARED_SRC) $(HOST_PURE) host/main.c host/run.c host/disk_image.c \
	    host/accel.c host/plot.c host/kernel_check.c overlay/overlay.c overlay/qcow2.c host/progress.c host/bochs_run.c host/cmd_model.c \
	    host/cli.c host/finish.c host/cmd_run.c host/cmd_parse.c host/cmd_compare.c host/cmd_history.c

JSON_CFLAGS := $(shell pkg-config --cflags json-c 2>/dev/null)
JSON_LIBS   := $(shell pkg-config --libs json-c 2>/dev/null || echo -ljson-c)
XML_CFLAGS  := $(shell pkg-config --cflags libxml-2.0 2>/dev/null)
XML_LIBS    := $(shell pkg-config --libs libxml-2.0 2>/dev/null || echo -lxml2)
CRYPTO_LIBS := $(shell pkg-config --libs libcrypto 2>/dev/null || echo -lcrypto)
HOST_CFLAGS = -Ihost $(JSON_CFLAGS) $(XML_CFLAGS)
HOST_LIBS   = $(JSON_LIBS) $(XML_LIBS) $(CRYPTO_LIBS) -lm

UNIT_TESTS := report text chain budget supervisor line_reader settings classify memory_policy \
	      qemu_argv cpu_facts qcow2 kmod bootdisk events monitor inject \
	      stats phases compare history image_info kernel_format kernel_config exit_profile verdict progress_queue console_log level1_end bochs damage mutate_report model \
	      event_line smp_facts exercised child tree run_tree
UNIT_BINS  := $(addprefix $(B)/tests/test_,$(UNIT_TESTS))

# The fuzzer: libFuzzer (clang) over line splitting -> report parsing ->
# the chain's rules -> event model -> report.json.  make fuzz FUZZ_SECONDS=1200
FUZZ_SRC := tests/fuzz/fuzz_report_stream.c tests/fuzz/mutate_report.c $(SHARED_SRC) $(HOST_PURE)
FUZZ_SECONDS ?= 600
FUZZ_SMOKE_SECONDS ?= 45
FUZZ_SANITIZE ?= fuzzer,address,undefined

.PHONY: all deps test-deps kernel-deps image release run check unit e2e fuzz fuzz-smoke bench bench-kernels \
	small-kernel clean
all: $(B)/launcher/init $(B)/supernested

# install_missing PACKAGES: apt-get install what is not installed yet (root)
define install_missing
	@missing=$$(for p in $(1); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
		echo "missing Debian packages; run: apt-get install -y $$missing" >&2; exit 1; fi; \
	echo "installing:" $$missing; \
	apt-get update -q >/dev/null && \
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends $$missing >/dev/null
endef

deps:
	$(call install_missing,$(RUN_DEPS))

test-deps: deps
	$(call install_missing,$(TEST_DEPS))

# rebuilt when the version (a new commit) changes, not on every make
$(B)/version.stamp: FORCE
	@mkdir -p $(@D)
	@echo '$(VERSION)' | cmp -s - $@ || echo '$(VERSION)' >$@
.PHONY: FORCE
FORCE:

# Objects, one per source, with their header dependencies (-MMD): a change
# to one file rebuilds its object and relinks.  The launcher and the host
# tool share the objects of the shared sources.
OBJ = $(patsubst %.c,$(B)/obj/%.o,$(1))
ALL_CFLAGS = $(CFLAGS) $(INCLUDES) $(HOST_CFLAGS)
# only these print the version: a new commit rebuilds them, not everything
VERSIONED_SRC := launcher/by_hand.c host/output.c host/main.c host/run.c
$(call OBJ,$(VERSIONED_SRC)): $(B)/version.stamp
$(call OBJ,$(VERSIONED_SRC)): ALL_CFLAGS += $(VERSION_DEFINE)
$(B)/obj/tests/%.o: ALL_CFLAGS += -DSRCDIR='"$(CURDIR)"'

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
# keep the objects of the tests, which make would delete as intermediate
.SECONDARY:

$(B)/launcher/init: $(call OBJ,$(sort $(LAUNCHER_SRC)))
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -static -pthread -o $@ $^

$(B)/supernested: $(call OBJ,$(sort $(HOST_SRC)))
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(HOST_LIBS)

# $(BUILD_IMAGE) KERNEL MODULES WORKDIR OUTPUT: with this tree's launcher and tool
BUILD_IMAGE = SUPERNESTED_VERSION=$(VERSION) image/build-image.sh $(B)/launcher/init $(B)/supernested

$(IMAGE): $(B)/launcher/init $(B)/supernested $(wildcard image/*) VERSION $(KERNEL_DEP)
	$(BUILD_IMAGE) "$(KERNEL)" "$(MODULES)" $(IMAGE_WORK) $@

image: deps $(IMAGE)

# make install PREFIX=/usr/local DESTDIR=...: the tool, its man pages (scdoc
# sources in docs/man), the image and the CI scripts.  The tool is built
# knowing $(DATADIR): installed, it finds the image there without --image.
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
DATADIR  ?= $(PREFIX)/share/supernested
MANDIR   ?= $(PREFIX)/share/man
MAN_PAGES := $(B)/man/supernested.1 $(B)/man/supernested-image.7
all: $(MAN_PAGES)
.PHONY: man install
$(call OBJ,host/main.c): $(B)/datadir.stamp
$(call OBJ,host/main.c): ALL_CFLAGS += -DSUPERNESTED_DATADIR='"$(DATADIR)"'
$(B)/datadir.stamp: FORCE
	@mkdir -p $(@D)
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' >$@

$(B)/man/%: docs/man/%.scd
	@mkdir -p $(@D)
	scdoc <$< >$@

man: $(MAN_PAGES)

install: all $(IMAGE)
	install -D -m 0755 $(B)/supernested $(DESTDIR)$(BINDIR)/supernested
	install -D -m 0644 $(B)/man/supernested.1 $(DESTDIR)$(MANDIR)/man1/supernested.1
	install -D -m 0644 $(B)/man/supernested-image.7 $(DESTDIR)$(MANDIR)/man7/supernested-image.7
	install -D -m 0644 $(IMAGE) $(DESTDIR)$(DATADIR)/supernested.img
	cd ci && find . -type f | sort | while read -r f; do \
		install -D -m $$(test -x "$$f" && echo 0755 || echo 0644) "$$f" "$(DESTDIR)$(DATADIR)/ci/$$f" || exit 1; done

# The download: dist/ with .img.xz, compressed .qcow2, manifest.json and
# SHA256SUMS, byte-identical for the same commit.  Built from a fresh image.
DIST ?= dist
release: deps all
	rm -f $(IMAGE)
	$(MAKE) $(IMAGE)
	image/release.sh $(IMAGE) $(IMAGE_WORK) $(DIST)

# unit tests: each links the pure modules it tests
TEST_SRC := $(SHARED_SRC) overlay/qcow2.c launcher/kmod.c launcher/bootdisk.c $(HOST_PURE) \
	    launcher/inject.c launcher/console.c launcher/system.c tests/fuzz/mutate_report.c \
	    launcher/smp_facts.c
$(B)/tests/test_%: $(B)/obj/tests/unit/test_%.o $(call OBJ,$(sort $(TEST_SRC)))
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(HOST_LIBS)

# child_run() against a stand-in qemu: it also links what child.c watches
# the child with (KVM statistics, vCPU pinning), which no other test needs
CHILD_TEST_SRC := launcher/child.c launcher/kvm_stats.c launcher/smp_probe.c
$(B)/tests/test_child: $(B)/obj/tests/unit/test_child.o $(call OBJ,$(sort $(TEST_SRC) $(CHILD_TEST_SRC)))
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -pthread -o $@ $^ $(HOST_LIBS)

# a stand-in for level 1's qemu: the run path tested without a VM
$(B)/tests/fake-qemu: $(call OBJ,tests/fake-qemu/fake-qemu.c results/report.c results/node.c results/text.c)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ -lm

unit: $(UNIT_BINS) $(B)/supernested $(B)/tests/fake-qemu $(MAN_PAGES)
	prove -f $(UNIT_BINS)
	tests/golden/run.sh $(B)/supernested
	tests/golden/nightly.sh $(B)/supernested
	tests/fake-qemu/run.sh $(B)/supernested $(B)/tests/fake-qemu
	tests/docs-commands.sh $(B)/supernested $(B)/man

# undefined behaviour aborts (no recovery); the CRC loop is left out of the
# coverage feedback (every input runs it, no branch of it is news)
FUZZ_CFLAGS = -g -fno-sanitize-recover=all -fsanitize-coverage-ignorelist=tests/fuzz/coverage-ignore.txt \
	$(filter -D% -std=%,$(CFLAGS)) $(VERSION_DEFINE) $(INCLUDES) $(HOST_CFLAGS)
$(B)/fuzz/fuzz_report_stream: $(FUZZ_SRC) $(wildcard */*.h) tests/fuzz/coverage-ignore.txt
	@mkdir -p $(@D)
	clang -O1 -fsanitize=$(FUZZ_SANITIZE) $(FUZZ_CFLAGS) -o $@ $(FUZZ_SRC) $(HOST_LIBS)
# the long runs: no ASan, no comparison tracing nor strcmp hooks (the
# mutator brings the values), report.json checked on its objects: 4-5 times
# the executions; what they find is replayed under ASan (run.sh)
FUZZ_RT = $(shell clang --print-runtime-dir)/libclang_rt.fuzzer-x86_64.a
$(B)/fuzz/fuzz_report_stream_fast: $(FUZZ_SRC) $(wildcard */*.h) tests/fuzz/coverage-ignore.txt
	@mkdir -p $(@D)
	clang -O2 -fsanitize=fuzzer-no-link,undefined -fno-sanitize-coverage=trace-cmp -DFUZZ_QUICK_JSON \
		$(FUZZ_CFLAGS) -o $@ $(FUZZ_SRC) $(FUZZ_RT) -lstdc++ $(HOST_LIBS)

fuzz: $(B)/fuzz/fuzz_report_stream $(B)/fuzz/fuzz_report_stream_fast
	tests/fuzz/run.sh $(B)/fuzz/fuzz_report_stream_fast $(FUZZ_SECONDS) $(B)/fuzz/fuzz_report_stream

fuzz-smoke: $(B)/fuzz/fuzz_report_stream
	tests/fuzz/run.sh $< $(FUZZ_SMOKE_SECONDS)

e2e: test-deps all $(IMAGE) $(B)/debian.img $(DEBIAN_ROOT)/.unpacked $(CLOUD_ROOT)/.unpacked
	tests/e2e/run-all.sh $(B)/supernested $(IMAGE) $(B)/debian.img
	tests/e2e/failures.sh $(B)/supernested $(IMAGE)
	tests/e2e/backpressure.sh $(B)/supernested $(IMAGE)
	tests/e2e/smp.sh $(B)/supernested $(IMAGE)
	tests/e2e/profile.sh $(B)/supernested $(IMAGE)
	tests/e2e/width.sh $(B)/supernested $(IMAGE)
	tests/e2e/intel-bochs.sh $(B)/supernested $(IMAGE) check
	tests/e2e/ci-results.sh $(B)/supernested $(IMAGE) $(B)/debian.img
	tests/e2e/any-kernel.sh $(B)/supernested $(B)/launcher/init $(IMAGE) \
		$(DEBIAN_ROOT) $(CLOUD_ROOT)
	tests/e2e/release.sh $(B)/supernested
	$(call install_missing,$(LAVA_DEPS))
	tests/e2e/lava.sh $(B)/supernested $(IMAGE)
	$(MAKE) small-kernel
	tests/e2e/small-kernel.sh $(B)/supernested $(SMALL) $(IMAGE) $(IMAGE_WORK)
	tests/e2e/package.sh $(SMALL)

check: test-deps
	$(MAKE) -j2 unit
	$(MAKE) fuzz-smoke
	$(MAKE) e2e

run: deps all $(IMAGE)
	$(B)/supernested run --image $(IMAGE)

# make bench DEPTH=4 PASSES=3: figures, and today's defaults against the
# previous ones (Debian's kernel, its TSC-deadline timer, the pc machine)
# in the same session
PREVIOUS_ARGS := supernested.machine=pc supernested.tune=\"pci=noearly\"
# make bench ACCEL=bochs: level 1 under Bochs, Intel to DEPTH (4), then AMD (ryzen) to 2
bench: test-deps all $(IMAGE) $(B)/debian.img
ifeq ($(ACCEL),bochs)
	DEPTH=$(or $(DEPTH),4) tests/e2e/intel-bochs.sh $(B)/supernested $(IMAGE) bench
else
	DEPTH=$(or $(DEPTH),3) PASSES=$(or $(PASSES),3) tests/bench.sh $(B)/supernested $(IMAGE) \
		"new@$(IMAGE)=" "previous@$(B)/debian.img=$(PREVIOUS_ARGS)"
endif

# make model REPORT=results/run-<time>: the exit-cost model of a run, and
# its prediction for a hardware level 1 (docs/model.md); the newest run by default
.PHONY: model
model: $(B)/supernested
	$(B)/supernested model --hw $(or $(REPORT),$$(ls -d results/run-* | tail -n 1))

# The small kernel: Debian's kernel source of Debian's kernel's version
# (6.1.0-57-amd64 -> linux-source-6.1), allnoconfig + image/kernel-small.config.
KSRC_ROOT  := $(B)/debian-source
ifeq ($(origin KSRC),undefined)
KSRC       := $(KSRC_ROOT)/$$(cat $(KSRC_ROOT)/tarball)
KSRC_DEP   := $(KSRC_ROOT)/.unpacked
endif
KERNEL_DEPS := bc bison flex libelf-dev libssl-dev patch
kernel-deps:
	$(call install_missing,$(KERNEL_DEPS))

$(KSRC_ROOT)/.unpacked:
	image/debian-package.sh source amd64 $(KSRC_ROOT)
$(DEBIAN_KERNELS)/%/.unpacked:
	image/debian-package.sh kernel $* $(DEBIAN_KERNELS)/$*

$(SMALL_BZIMAGE): image/kernel-small.config image/kernel.config image/build-kernel.sh $(wildcard image/kernel-patches/*.patch)
	$(MAKE) kernel-deps $(B)/supernested $(KSRC_DEP)
	image/build-kernel.sh $(KSRC) $(B)/supernested $(SMALL)

small-kernel: $(SMALL_BZIMAGE)

# Debian's own kernel in an image of its own: the reference of make bench.
$(B)/debian.img: $(B)/launcher/init $(B)/supernested $(wildcard image/*) VERSION $(DEBIAN_ROOT)/.unpacked
	$(BUILD_IMAGE) $(DEBIAN_KERNEL) $(DEBIAN_MODULES) $(B)/image-debian $@

# make bench-kernels: the shipped small kernel against Debian's kernel and
# Debian's smaller cloud kernel, one image each, arms interleaved in one
# session.
bench-kernels: test-deps all $(IMAGE) $(B)/debian.img $(CLOUD_ROOT)/.unpacked
	$(BUILD_IMAGE) $(CLOUD_ROOT)/boot/vmlinuz-$(call release,$(CLOUD_ROOT)) \
		$(CLOUD_ROOT)/lib/modules/$(call release,$(CLOUD_ROOT)) $(B)/image-cloud $(B)/cloud.img
	DEPTH=$(or $(DEPTH),3) PASSES=$(or $(PASSES),3) tests/bench.sh $(B)/supernested $(IMAGE) \
		"small@$(IMAGE)=" "debian@$(B)/debian.img=" "cloud@$(B)/cloud.img="

clean:
	rm -rf $(B) $(IMAGE) $(DIST)
