# supernested - how deep can KVM nest on this host and kernel?
#   make run     install what is missing, build the image, run it, print the table
#   make check   unit tests, golden tests on recorded logs, end-to-end boots
#   make bench   time to each level, memory and boot exits per level, A/B ratios
#   make image   just build supernested.img

CC       ?= gcc
CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 -Wall -Wextra -Wformat=2 -Wshadow -Wpointer-arith \
	    -Wstrict-prototypes -Wmissing-prototypes -Wundef -Wvla -D_GNU_SOURCE
INCLUDES := -Ilauncher -Iresults -Ioverlay -Itests
B        := build

# The Debian kernel the image ships: the flavour linux-image-amd64 depends on,
# so installing another flavour beside it (cloud, rt) never switches kernels.
KVER     ?= $(shell dpkg-query -W -f='$${Depends}' linux-image-amd64 2>/dev/null | \
		sed -n 's/^linux-image-\([^ ,]*\).*/\1/p')
IMAGE    ?= supernested.img

# Debian packages to build, run and test.
DEB_DEPS := gcc make libc6-dev libjson-c-dev pkg-config supermin qemu-system-x86 \
	    qemu-utils e2fsprogs extlinux syslinux-common linux-image-amd64 kmod \
	    xz-utils cpio fdisk mount perl jq libxml2-dev libxml2-utils \
	    libssl-dev gnuplot-nox mtools clang

# Shared by the launcher and the host tool: pure logic, and the /dev/kvm check.
SHARED_SRC := results/report.c results/outcome.c results/classify.c results/line_reader.c \
	      launcher/settings.c launcher/memory_policy.c launcher/qemu_argv.c \
	      launcher/cpu_facts.c launcher/kvm_device.c launcher/exit_profile.c
LAUNCHER_SRC := $(SHARED_SRC) launcher/main.c launcher/kmod.c launcher/bootdisk.c \
		launcher/console.c launcher/child.c launcher/system.c launcher/kvm_stats.c \
		overlay/overlay.c overlay/qcow2.c
HOST_SRC := $(SHARED_SRC) host/main.c host/run.c host/events.c host/output.c host/disk_image.c \
	    host/accel.c overlay/overlay.c overlay/qcow2.c

JSON_CFLAGS = $(shell pkg-config --cflags json-c 2>/dev/null)
JSON_LIBS   = $(shell pkg-config --libs json-c 2>/dev/null || echo -ljson-c)

UNIT_TESTS := report line_reader settings classify memory_policy qemu_argv cpu_facts qcow2 kmod bootdisk events exit_profile
UNIT_BINS  := $(addprefix $(B)/tests/test_,$(UNIT_TESTS))

.PHONY: all deps image run check unit e2e bench clean
all: $(B)/launcher/init $(B)/supernested

deps:
	@missing=$$(for p in $(DEB_DEPS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
		echo "missing Debian packages; run: apt-get install -y $$missing" >&2; exit 1; fi; \
	echo "installing:" $$missing; \
	apt-get update -q >/dev/null && \
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends $$missing >/dev/null

$(B)/launcher/init: $(LAUNCHER_SRC) $(wildcard launcher/*.h results/*.h overlay/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(INCLUDES) -static -o $@ $(LAUNCHER_SRC)

$(B)/supernested: $(HOST_SRC) $(wildcard host/*.h launcher/*.h results/*.h overlay/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(INCLUDES) -Ihost $(JSON_CFLAGS) -o $@ $(HOST_SRC) $(JSON_LIBS)

$(IMAGE): $(B)/launcher/init $(wildcard image/*)
	image/build-image.sh $(B)/launcher/init "$(KVER)" $(B)/image $@

image: deps $(IMAGE)

# unit tests: each links the pure modules it tests
$(B)/tests/test_%: tests/unit/test_%.c $(SHARED_SRC) overlay/qcow2.c launcher/kmod.c launcher/bootdisk.c host/events.c $(wildcard */*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(INCLUDES) -Ihost $(JSON_CFLAGS) -DSRCDIR='"$(CURDIR)"' -o $@ $< \
		$(SHARED_SRC) overlay/qcow2.c launcher/kmod.c launcher/bootdisk.c host/events.c $(JSON_LIBS)

unit: $(UNIT_BINS) $(B)/supernested
	prove -f $(UNIT_BINS)
	tests/golden/run.sh $(B)/supernested

e2e: deps all $(IMAGE)
	tests/e2e/run-all.sh $(B)/supernested $(IMAGE)

check: deps
	$(MAKE) unit
	$(MAKE) e2e

run: deps all $(IMAGE)
	$(B)/supernested run --image $(IMAGE)

# make bench DEPTH=4 PASSES=3: figures, and new against previous defaults
bench: deps all $(IMAGE)
	DEPTH=$(or $(DEPTH),3) PASSES=$(or $(PASSES),3) tests/bench.sh $(B)/supernested $(IMAGE)

clean:
	rm -rf $(B) $(IMAGE)
