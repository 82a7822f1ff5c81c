#!/bin/bash
# package.sh - the Debian package, end to end: dpkg-buildpackage -us -uc -b
# builds it from a copy of this tree, lintian finds no error in it,
# apt-get installs it, and the installed tool boots the installed image to
# depth 2 without --image, from a directory holding no image; the installed
# man pages and CI scripts are where the package says.  The package is
# purged at the end.
# The image ships the small kernel: when KERNEL_SMALL (a make small-kernel
# output, build/kernel-small) holds a bzImage newer than its configuration,
# its bzImage, .config and modules are copied into the copy's
# build/kernel-small and the package build reuses them, as it would in a
# tree where make small-kernel ran; otherwise the package builds it (about
# 10 minutes on 2 cores).
# Needs root: the build dependencies and the package are installed with
# apt-get (a CI machine, disposable).  Prints TAP and "N passed, N failed".
# Usage: package.sh [KERNEL_SMALL]   (run from the source tree)
set -u
ksmall=${1:-build/kernel-small}
src=$(pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/supernested-package.XXXXXX")
trap 'apt-get purge -y -q supernested >/dev/null 2>&1; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tap.sh"
apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 -y -q)

if [ "$(id -u)" != 0 ]; then
	echo "package.sh: needs root (apt-get install of the build dependencies and the package)" >&2
	exit 1
fi

# 1. the build dependencies, from debian/control
"${apt[@]}" build-dep "$src" >"$tmp/build-dep.log" 2>&1
ok $? "apt-get build-dep: the build dependencies of debian/control install"

# 2. a copy of the tree (the files git knows, as they are now, times kept)
mkdir -p "$tmp/supernested"
git ls-files -z | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
	tar --null -T - -cf - | tar -C "$tmp/supernested" -xf -
ok $? "a copy of the tree"
bz=$ksmall/build/arch/x86/boot/bzImage
if [ -f "$bz" ] && [ -d "$ksmall/mods" ]; then
	dst=$tmp/supernested/build/kernel-small
	mkdir -p "$dst/build/arch/x86/boot"
	cp -p "$bz" "$dst/build/arch/x86/boot/" && cp -p "$ksmall/build/.config" "$dst/build/" &&
		cp -a "$ksmall/mods" "$dst/"
	ok $? "the small kernel's build reused from $ksmall"
else
	echo "# no small kernel in $ksmall: the package builds it"
fi

# 3. the package
t0=$(date +%s)
(cd "$tmp/supernested" && dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1
ok $? "dpkg-buildpackage -us -uc -b ($(( $(date +%s) - t0 )) s)" || tail -n 30 "$tmp/build.log" | sed 's/^/#   /'
deb=$(ls "$tmp"/supernested_*_amd64.deb 2>/dev/null | head -n 1)
[ -n "$deb" ]; ok $? "a package: $(basename "${deb:-none}") ($(du -h "${deb:-/dev/null}" | cut -f1))"
[ -n "$deb" ] || { tap_done; exit 1; }
dpkg-deb -c "$deb" | sed -n 's|.* \./|/|p' >"$tmp/files"
for f in /usr/bin/supernested /usr/share/supernested/supernested.img \
	 /usr/share/man/man1/supernested.1.gz /usr/share/man/man7/supernested-image.7.gz \
	 /usr/share/supernested/ci/nightly.sh /usr/share/supernested/ci/gitlab-ci.yml; do
	grep -qxF "$f" "$tmp/files"; ok $? "the package holds $f"
done

# 4. lintian: no errors (its whole output is shown)
lintian --fail-on error --info "$tmp"/supernested_*_amd64.changes >"$tmp/lintian.log" 2>&1
ok $? "lintian: no errors ($(grep -c '^E:' "$tmp/lintian.log") E, $(grep -c '^W:' "$tmp/lintian.log") W, $(grep -c '^I:' "$tmp/lintian.log") I)"
sed 's/^/#   /' "$tmp/lintian.log"

# 5. installed with apt-get, as a user would
"${apt[@]}" install "$deb" >"$tmp/install.log" 2>&1
ok $? "apt-get install ./$(basename "$deb")" || tail -n 20 "$tmp/install.log" | sed 's/^/#   /'
[ "$(command -v supernested)" = /usr/bin/supernested ]; ok $? "supernested is /usr/bin/supernested"
man -w supernested >/dev/null 2>&1 && man -w 7 supernested-image >/dev/null 2>&1
ok $? "man finds supernested(1) and supernested-image(7)"

# 6. the installed tool boots the installed image, found without --image
mkdir -p "$tmp/run-here"
(cd "$tmp/run-here" &&
	supernested run --max-depth 2 --expect-depth 2 --out "$tmp/run") >"$tmp/run.log" 2>&1
ok $? "supernested run --max-depth 2 (installed tool and image): depth 2" ||
	tail -n 20 "$tmp/run.log" | sed 's/^/#   /'
is "$(jq -r '.image' "$tmp/run/report.json" 2>/dev/null)" /usr/share/supernested/supernested.img \
	"the run booted the installed image"
is "$(jq -r '.result.deepest' "$tmp/run/report.json" 2>/dev/null)" 2 "report.json: deepest 2"
tap_done
