#!/bin/sh
# live-image/test.sh - boots the kiosk ISO under qemu and waits for its
# self-test verdict (`make live-test`).
#
#   test.sh [kernel] [bios] [uefi]     (default: all three)
#
#   kernel  the ISO's kernel and initrd booted directly, escrow.selftest=1
#           on the kernel command line, two network cards (e1000 and
#           virtio, with no network behind them) that must not come up
#   bios    the ISO as a CD through SeaBIOS and isolinux, no network device
#   uefi    the ISO as a CD through OVMF and GRUB, no network device
# Every boot also gets a fresh virtual USB stick (qemu-xhci + usb-storage,
# serial ESCROW-TEST-STICK, a raw 64 MiB FAT image in the temp directory)
# that the self-test exports the public records to; afterwards this script
# reads the stick image itself (mtools): one directory, SHA256SUMS matches
# every file, no share file.  It also compares the image SHA-256 the kiosk
# computed at boot with the .sha256 file beside the ISO.
# Boots through a loader cannot edit the loader's command line unattended,
# so there the self-test is asked for by qemu's fw_cfg (opt/escrow.selftest),
# which only the hypervisor can set.  Software emulation (KVM is not
# assumed), serial console to OUT/test-MODE.log.  Each boot must print
# "ESCROW-SELFTEST: PASS" within LIVE_TIMEOUT seconds (default 600).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$here/out}
ISO=${ISO:-$OUT/escrow-kiosk-amd64.iso}
LIVE_TIMEOUT=${LIVE_TIMEOUT:-600}
QEMU=${QEMU:-qemu-system-x86_64}
OVMF_CODE=${OVMF_CODE:-/usr/share/OVMF/OVMF_CODE_4M.fd}
OVMF_VARS=${OVMF_VARS:-/usr/share/OVMF/OVMF_VARS_4M.fd}
modes=${*:-kernel bios uefi}

[ -f "$ISO" ] || { echo "live-test: no $ISO: run \`make live-image' first" >&2; exit 1; }
for t in "$QEMU" xorriso timeout mkfs.vfat mdir mcopy; do
	command -v "$t" >/dev/null || { echo "live-test: $t is missing: run \`make live-deps'" >&2; exit 1; }
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/escrow-live-test-XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# -nodefaults: no default network card, no parallel port; the serial port
# goes to a file, the monitor nowhere, the screen nowhere.
common="-accel tcg -cpu max -smp 2 -m 2048 -nodefaults -vga std -display none
	-monitor none -no-reboot -nic none"

boot() { # boot MODE QEMU-ARGS...: 0 when the self-test passed
	mode=$1; shift
	log=$OUT/test-$mode.log
	rm -f "$log"
	stick=$tmp/stick-$mode.img
	rm -f "$stick"
	mkfs.vfat -C -n PUBLIC "$stick" 65536 >/dev/null || { echo "live-test: mkfs.vfat failed" >&2; return 1; }
	echo "live-test: $mode: booting (limit ${LIVE_TIMEOUT} s, serial console in $log)"
	start=$(date +%s)
	# shellcheck disable=SC2086 # $common holds several arguments
	timeout -k 10 "$LIVE_TIMEOUT" "$QEMU" $common -serial "file:$log" "$@" \
		-device qemu-xhci,id=xhci \
		-drive "if=none,id=stick,format=raw,file=$stick" \
		-device usb-storage,bus=xhci.0,drive=stick,serial=ESCROW-TEST-STICK \
		>"$tmp/qemu-$mode.out" 2>&1 && rc=0 || rc=$?
	took=$(($(date +%s) - start))
	verdict=$(grep -a -o 'ESCROW-SELFTEST: [A-Z].*' "$log" 2>/dev/null | tr -d '\r' | tail -n 1)
	case $verdict in
	"ESCROW-SELFTEST: PASS")
		if check_after "$mode" "$log" "$stick"; then
			echo "live-test: $mode: PASS after $took s"; return 0
		fi
		echo "live-test: $mode: the self-test passed after $took s, but the checks above failed" ;;
	"ESCROW-SELFTEST: FAIL"*)
		echo "live-test: $mode: the self-test failed after $took s: ${verdict#ESCROW-SELFTEST: }" ;;
	*)
		if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
			echo "live-test: $mode: no verdict within $LIVE_TIMEOUT s"
		else
			echo "live-test: $mode: qemu ended (exit $rc) after $took s with no verdict"
			sed 's/^/  qemu: /' "$tmp/qemu-$mode.out"
		fi ;;
	esac
	echo "live-test: $mode: the last lines of the serial console:"
	tail -n 25 "$log" 2>/dev/null | tr -d '\r' | sed 's/^/  | /'
	return 1
}

check_after() { # MODE LOG STICK: the image hash and the stick, from outside
	ok=1
	want=$(cut -d' ' -f1 "$ISO.sha256" 2>/dev/null || sha256sum "$ISO" | cut -d' ' -f1)
	got=$(grep -a -o 'ESCROW-SELFTEST-IMAGE: sha256 [0-9a-f]* bytes [0-9]*' "$2" | tr -d '\r' | tail -n 1)
	size=$(stat -c %s "$ISO")
	if [ "$got" = "ESCROW-SELFTEST-IMAGE: sha256 $want bytes $size" ]; then
		echo "live-test: $1: the kiosk showed the ISO's SHA-256 ($want, $size bytes)"
	else
		echo "live-test: $1: the kiosk's image hash \`${got#ESCROW-SELFTEST-IMAGE: }' is not the ISO's ($want, $size bytes)"
		ok=0
	fi
	dirs=$(mdir -i "$3" -b :: 2>/dev/null | sed 's|^::/||; s|/$||')
	if [ "$(echo "$dirs" | wc -w)" != 1 ]; then
		echo "live-test: $1: the stick holds \`$dirs', not one directory"; return 1
	fi
	mkdir -p "$tmp/stick-$1"
	mcopy -n -s -i "$3" "::/$dirs" "$tmp/stick-$1/" 2>/dev/null ||
		{ echo "live-test: $1: mcopy cannot read the stick"; return 1; }
	if (cd "$tmp/stick-$1/$dirs" && sha256sum -c --quiet SHA256SUMS >/dev/null 2>&1) &&
		[ "$(ls "$tmp/stick-$1/$dirs" | grep -v -c '^SHA256SUMS$')" = "$(wc -l <"$tmp/stick-$1/$dirs/SHA256SUMS")" ]; then
		echo "live-test: $1: the stick holds $dirs/: $(ls "$tmp/stick-$1/$dirs" | tr '\n' ' ')(SHA256SUMS checks)"
	else
		echo "live-test: $1: SHA256SUMS on the stick does not match its files"; ok=0
	fi
	if ls "$tmp/stick-$1/$dirs" | grep -qi share; then
		echo "live-test: $1: a share file is on the stick"; ok=0
	fi
	[ $ok = 1 ]
}

failed=
for mode in $modes; do
	case $mode in
	kernel)
		xorriso -osirrox on -indev "$ISO" -extract /live/vmlinuz "$tmp/vmlinuz" \
			-extract /live/initrd.img "$tmp/initrd.img" \
			-extract /isolinux/live.cfg "$tmp/live.cfg" >/dev/null 2>&1 ||
			{ echo "live-test: cannot extract the kernel from $ISO" >&2; exit 1; }
		# the same command line as the ISO's default boot entry, plus the flag
		append=$(awk '$1 == "append" { $1 = ""; sub(/^ /, ""); print; exit }' "$tmp/live.cfg")
		[ -n "$append" ] || { echo "live-test: no append line in the ISO's live.cfg" >&2; exit 1; }
		boot kernel -kernel "$tmp/vmlinuz" -initrd "$tmp/initrd.img" \
			-append "$append escrow.selftest=1" \
			-drive "file=$ISO,media=cdrom,readonly=on,if=ide" \
			-device e1000,romfile= -device virtio-net-pci,romfile= || failed="$failed $mode"
		;;
	bios)
		boot bios -drive "file=$ISO,media=cdrom,readonly=on,if=ide" -boot d \
			-fw_cfg name=opt/escrow.selftest,string=1 || failed="$failed $mode"
		;;
	uefi)
		if [ ! -f "$OVMF_CODE" ] || [ ! -f "$OVMF_VARS" ]; then
			echo "live-test: uefi: no OVMF ($OVMF_CODE): run \`make live-deps'" >&2
			failed="$failed $mode"; continue
		fi
		cp "$OVMF_VARS" "$tmp/vars.fd"
		boot uefi -machine q35 \
			-drive "if=pflash,format=raw,unit=0,readonly=on,file=$OVMF_CODE" \
			-drive "if=pflash,format=raw,unit=1,file=$tmp/vars.fd" \
			-drive "file=$ISO,media=cdrom,readonly=on,if=none,id=cd" \
			-device ide-cd,drive=cd,bootindex=0 \
			-fw_cfg name=opt/escrow.selftest,string=1 || failed="$failed $mode"
		;;
	*) echo "live-test: unknown mode $mode (kernel, bios, uefi)" >&2; exit 2 ;;
	esac
done
if [ -n "$failed" ]; then
	echo "live-test: FAILED:$failed"
	exit 1
fi
echo "live-test: every boot passed ($modes)"
