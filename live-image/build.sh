#!/bin/sh
# live-image/build.sh - builds the escrow kiosk ISO (`make live-image`).
#
# Copies the live-build configuration kept here (auto/, config/) into a
# scratch directory, installs the suite built from this tree into it, and
# runs live-build.  Writes into OUT (default live-image/out):
#   escrow-kiosk-amd64.iso           the hybrid ISO (BIOS isolinux, UEFI GRUB)
#   escrow-kiosk-amd64.iso.sha256    its SHA-256, as sha256sum prints it
#   escrow-kiosk-amd64.packages      every Debian package in the image, with
#                                    its exact version, and the suite's commit
#   build.log                        live-build's output
# Reproducible: SOURCE_DATE_EPOCH is the last commit's time, locale C, time
# zone UTC; the same tree and the same package versions give the same ISO.
# MIRROR overrides the Debian mirror (default: the one apt uses here);
# LIVE_CACHE keeps the downloaded packages between builds (default
# live-image/out/cache); LIVE_KEEP=1 keeps the scratch directory OUT/build.
# Needs root (live-build mounts /proc and /sys in the chroot).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
OUT=${OUT:-$here/out}
B=${B:-build/kiosk}
name=escrow-kiosk-amd64

if [ "$(id -u)" != 0 ]; then
	echo "live-image: building the image needs root (live-build mounts /proc and /sys" >&2
	echo "in its chroot): run \`sudo make live-image'" >&2
	exit 1
fi
for t in lb debootstrap xorriso mksquashfs git; do
	command -v "$t" >/dev/null || { echo "live-image: $t is missing: run \`make live-deps'" >&2; exit 1; }
done

# The mirror: MIRROR, or apt's first Debian source on this machine.
mirror_from_apt() {
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' "$f"
	done | head -n 1 | grep . && return 0
	cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' |
		head -n 1 | grep . && return 0
	echo http://deb.debian.org/debian
}
MIRROR=${MIRROR:-$(mirror_from_apt)}
export MIRROR

umask 022
export LC_ALL=C LANG=C TZ=UTC
SOURCE_DATE_EPOCH=$(git -C "$top" log -1 --format=%ct)
export SOURCE_DATE_EPOCH
commit=$(git -C "$top" rev-parse HEAD)
dirty=
[ -z "$(git -C "$top" status --porcelain --untracked-files=no)" ] || dirty=" (with uncommitted changes)"
echo "live-image: commit $commit$dirty, SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH, mirror $MIRROR"

# A fresh scratch directory (kept after a failure, removed after success);
# live-build's package cache survives between builds in LIVE_CACHE.
work=$OUT/build
cache=${LIVE_CACHE:-$here/out/cache}
mkdir -p "$OUT"
if [ -d "$work" ]; then
	# an interrupted build may leave /proc etc. mounted in its chroot
	findmnt -rn -o TARGET | grep "^$work/" | sort -r | while read -r m; do umount -l "$m"; done
	if [ -d "$work/cache" ] && [ ! -d "$cache" ]; then mv "$work/cache" "$cache"; fi
	rm -rf "$work"
fi
mkdir -p "$work"
cp -a "$here/auto" "$here/config" "$work/"
[ -d "$cache" ] && mv "$cache" "$work/cache"

# The suite, built afresh from this tree (paths in the binaries made
# relative), so that a rebuild also proves the compiler's output repeats.
inc=$work/config/includes.chroot_after_packages
case $B in /*) rm -rf "$B" ;; *) rm -rf "${top:?}/$B" ;; esac
make -C "$top" --no-print-directory B="$B" CFLAGS="-O2 -g -ffile-prefix-map=$top=." all
make -C "$top" --no-print-directory B="$B" CFLAGS="-O2 -g -ffile-prefix-map=$top=." PREFIX=/usr/local DESTDIR="$inc" install >/dev/null
install -D -m 0644 "$top/tests/cupsd/pdf.ppd" "$inc/usr/local/share/escrow/selftest.ppd"
printf '%s\n' "$commit" >"$inc/usr/local/share/escrow/commit"
chmod -R go-w "$work/config" "$work/auto"
find "$work/auto" "$work/config" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

cd "$work"
lb config >"$OUT/build.log" 2>&1 || { tail -n 30 "$OUT/build.log"; exit 1; }
echo "live-image: lb build (a few minutes; the log is $OUT/build.log)"
start=$(date +%s)
if ! lb build >>"$OUT/build.log" 2>&1; then
	tail -n 40 "$OUT/build.log"
	echo "live-image: lb build failed (log: $OUT/build.log)" >&2
	exit 1
fi
iso=$(ls "$work"/*.iso 2>/dev/null | head -n 1)
[ -n "$iso" ] || { tail -n 40 "$OUT/build.log"; echo "live-image: lb build made no ISO" >&2; exit 1; }

rm -f "$OUT/$name.iso" "$OUT/$name.iso.sha256" "$OUT/$name.packages"
mv "$iso" "$OUT/$name.iso"
{
	echo "# $name.iso: Debian packages (dpkg name and version), then the escrow suite's commit"
	sort "$work"/*.packages
	echo "escrow-suite $commit$dirty"
} >"$OUT/$name.packages"
(cd "$OUT" && sha256sum "$name.iso" >"$name.iso.sha256")
cd "$OUT"
[ -d "$work/cache" ] && { rm -rf "$cache"; mv "$work/cache" "$cache"; }
[ "${LIVE_KEEP:-0}" = 1 ] || rm -rf "$work"
echo "live-image: built in $(($(date +%s) - start)) s: $OUT/$name.iso ($(du -m "$OUT/$name.iso" | cut -f1) MiB)"
cat "$OUT/$name.iso.sha256"
