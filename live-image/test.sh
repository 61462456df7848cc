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
for t in "$QEMU" xorriso timeout; do
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
	echo "live-test: $mode: booting (limit ${LIVE_TIMEOUT} s, serial console in $log)"
	start=$(date +%s)
	# shellcheck disable=SC2086 # $common holds several arguments
	timeout -k 10 "$LIVE_TIMEOUT" "$QEMU" $common -serial "file:$log" "$@" \
		>"$tmp/qemu-$mode.out" 2>&1 && rc=0 || rc=$?
	took=$(($(date +%s) - start))
	verdict=$(grep -a -o 'ESCROW-SELFTEST: [A-Z].*' "$log" 2>/dev/null | tr -d '\r' | tail -n 1)
	case $verdict in
	"ESCROW-SELFTEST: PASS")
		echo "live-test: $mode: PASS after $took s"; return 0 ;;
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
