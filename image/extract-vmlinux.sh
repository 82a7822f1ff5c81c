#!/bin/bash
# extract-vmlinux.sh - the uncompressed kernel ELF inside a bzImage, given
# its payload's place and compression (supernested kernel-check reads them
# from the boot protocol header).  Levels boot it directly by its PVH entry
# (-kernel vmlinux), which skips decompression and real-mode setup: ~3 s to
# init under TCG against ~10 s for the bzImage through the BIOS.
# Usage: extract-vmlinux.sh BZIMAGE COMPRESSION PAYLOAD_OFFSET PAYLOAD_LENGTH OUT
set -euo pipefail
in=$1 compression=$2 off=$3 len=$4 out=$5
case $compression in
xz) dec=(xz -dc --single-stream) ;;
lzma) dec=(xz -dc --format=lzma) ;;
gzip) dec=(gzip -dc) ;;
bzip2) dec=(bzip2 -dc) ;;
zstd) dec=(zstd -dcq) ;;
lz4) dec=(lz4 -dc) ;;
lzo) dec=(lzop -dc) ;;
*) echo "extract-vmlinux: $in: unknown payload compression" >&2; exit 1 ;;
esac
command -v "${dec[0]}" >/dev/null || { echo "extract-vmlinux: ${dec[0]} missing for a $compression kernel: make deps" >&2; exit 1; }
# the payload ends with its decompressed size, which some tools call
# trailing garbage: the ELF that comes out is what counts
tail -c +$((off + 1)) "$in" | head -c "$len" | "${dec[@]}" >"$out" 2>/dev/null || true
[ "$(head -c4 "$out" | od -An -c | tr -d ' ')" = '177ELF' ] ||
	{ echo "extract-vmlinux: $in did not yield an ELF kernel" >&2; exit 1; }
