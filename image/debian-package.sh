#!/bin/bash
# debian-package.sh - Debian's kernel of a flavour, or its source, downloaded
# and unpacked into a folder of the build, never installed: the host's
# /boot, /lib/modules and /usr/src stay as they were.
# Usage: debian-package.sh kernel FLAVOUR DESTDIR
#            linux-image-<release> that linux-image-FLAVOUR (amd64,
#            cloud-amd64) stands for: DESTDIR/boot/vmlinuz-<release>,
#            DESTDIR/lib/modules/<release> (with modules.dep), DESTDIR/release
#        debian-package.sh source FLAVOUR DESTDIR
#            linux-source-<major.minor> of that kernel:
#            DESTDIR/usr/src/linux-source-<major.minor>.tar.xz, DESTDIR/tarball
# Prints what it unpacked; does nothing when DESTDIR holds it already.
set -eu
die() { echo "debian-package: $*" >&2; exit 1; }
[ $# = 3 ] && { [ "$1" = kernel ] || [ "$1" = source ]; } ||
	die "usage: debian-package.sh kernel|source FLAVOUR DESTDIR"
what=$1 flavour=$2 dest=$3
[ -e "$dest/.unpacked" ] && exit 0
# apt's package lists: a fresh machine may have none yet (root only)
known() {
	apt-cache show "$1" >/dev/null 2>&1 && return 0
	[ "$(id -u)" = 0 ] || die "apt knows no package $1: run apt-get update (as root)"
	apt-get update -q >/dev/null || die "apt-get update failed"
	apt-cache show "$1" >/dev/null 2>&1 || die "Debian's archive has no package $1"
}
known "linux-image-$flavour"
release=$(apt-cache depends "linux-image-$flavour" |
	sed -n 's/^ *Depends: linux-image-\([^ ]*\)$/\1/p' | head -n 1)
[ -n "$release" ] || die "linux-image-$flavour depends on no linux-image-<release>"
case $what in
kernel) package=linux-image-$release ;;
source) package=linux-source-$(echo "$release" | sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p') ;;
esac
known "$package"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/debian-package.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"	# apt's download sandbox user writes here
(cd "$tmp" && apt-get download -q "$package" >/dev/null 2>"$tmp/err") ||
	die "cannot download $package: $(tail -n 1 "$tmp/err")"
rm -rf "$dest.part"
mkdir -p "$dest.part"
dpkg-deb -x "$tmp"/*.deb "$dest.part"
case $what in
kernel)	# modules.dep is made at installation: make it here
	[ -r "$dest.part/boot/vmlinuz-$release" ] || die "$package holds no /boot/vmlinuz-$release"
	depmod -b "$dest.part" "$release"
	echo "$release" >"$dest.part/release" ;;
source)
	tarball=$(ls "$dest.part"/usr/src/linux-source-*.tar.xz 2>/dev/null | head -n 1)
	[ -n "$tarball" ] || die "$package holds no /usr/src/linux-source-*.tar.xz"
	echo "${tarball#"$dest.part"/}" >"$dest.part/tarball" ;;
esac
touch "$dest.part/.unpacked"
rm -rf "$dest"
mv "$dest.part" "$dest"
echo "debian-package: $package unpacked in $dest"
