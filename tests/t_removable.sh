#!/bin/sh
# Secrets never go to a removable or network medium by accident: --pdf and
# --shares-out into a directory on a FUSE file system (a real one,
# fuse2fs on an image file: the same refusal as NFS, SMB, 9p...) are
# refused with exit status 2 before a key is made, by escrow-keygen and
# escrow-combine reshare; --allow-removable-secrets lets them through; on
# a local disk nothing changes.  A USB stick is refused by the kiosk's
# self-test (`make live-test'), where qemu attaches one.
. "$(dirname "$0")/lib.sh"

# local disk: no refusal
expect_rc 0 "keygen --pdf --shares-out on a local disk" \
	"$keygen" -a 13 -n example. -m 2 -N 3 -o "$work/local" --pdf --shares-out "$work/local-sh" --yes
env=$(ls "$work/local"/*.escrow)
expect_rc 2 "verify does not take --allow-removable-secrets" \
	"$combine" verify --allow-removable-secrets --envelope "$env" "$work/local-sh/share-1-1.txt"

# a FUSE file system, mounted by fuse2fs (root and /dev/fuse needed)
mnt=$work/mnt
fuse_pid=
if [ "$(id -u)" = 0 ] && [ -c /dev/fuse ] && command -v fuse2fs >/dev/null &&
	command -v mkfs.ext4 >/dev/null; then
	mkdir -p "$mnt"
	mkfs.ext4 -q -F "$work/fs.img" 8M >/dev/null 2>&1
	fuse2fs -f "$work/fs.img" "$mnt" -o fakeroot >"$work/fuse2fs.log" 2>&1 &
	fuse_pid=$!
	i=0
	until [ "$(stat -f -c %T "$mnt" 2>/dev/null)" = fuseblk ] ||
		[ "$(stat -f -c %t "$mnt" 2>/dev/null)" = 65735546 ]; do
		i=$((i + 1))
		if [ $i -gt 50 ] || ! kill -0 "$fuse_pid" 2>/dev/null; then
			bad "fuse2fs did not mount $mnt" "$(cat "$work/fuse2fs.log")"
			fuse_pid=; break
		fi
		sleep 0.1
	done
fi
if [ -n "$fuse_pid" ]; then
	unmount() { umount "$mnt" 2>/dev/null || true; wait "$fuse_pid" 2>/dev/null || true; rm -rf "$work"; }
	trap unmount EXIT INT TERM
	expect_rc 2 "keygen --pdf into a FUSE directory is refused" \
		"$keygen" -a 13 -n example. -m 2 -N 3 -o "$mnt/ceremony" --pdf --yes
	expect_out "--pdf: .*mnt/ceremony' is on a network file system \(a FUSE file system\)" \
		"the refusal names the option, the directory and the medium"
	expect_out "allow-removable-secrets" "the refusal names the test flag"
	if [ -z "$(ls -A "$mnt" | grep -v lost+found)" ]; then ok "nothing was written there"
	else bad "files were written into the FUSE mount" "$(ls -la "$mnt")"; fi
	expect_rc 2 "keygen --shares-out into a FUSE directory is refused" \
		"$keygen" -a 13 -n example. -m 2 -N 3 -o "$work/out2" --shares-out "$mnt/shares" --yes
	expect_out "--shares-out: .*is on a network file system" "it names --shares-out"
	[ ! -e "$work/out2" ] && ok "no key was made (the output directory is absent)" ||
		bad "escrow-keygen made $work/out2 before refusing"
	expect_rc 0 "keygen --pdf with --allow-removable-secrets is let through" \
		"$keygen" -a 13 -n example. -m 2 -N 3 -o "$mnt/test" --pdf --yes --allow-removable-secrets
	[ -s "$mnt/test/share-1-1.pdf" ] && ok "the share PDFs are there" || bad "no share PDF in $mnt/test"
	expect_rc 2 "reshare --pdf into a FUSE directory is refused" \
		"$combine" reshare --envelope "$env" -m 2 -N 2 -o "$mnt/reshare" --pdf --yes \
		"$work/local-sh/share-1-1.txt" "$work/local-sh/share-1-2.txt"
	expect_out "--pdf: .*is on a network file system" "reshare names the medium"
	expect_rc 2 "reshare --shares-out into a FUSE directory is refused" \
		"$combine" reshare --envelope "$env" -m 2 -N 2 -o "$work/reshare" --shares-out "$mnt/sh" \
		--yes "$work/local-sh/share-1-1.txt" "$work/local-sh/share-1-2.txt"
	expect_rc 0 "reshare with --allow-removable-secrets is let through" \
		"$combine" reshare --envelope "$env" -m 2 -N 2 -o "$work/reshare" --shares-out "$mnt/sh" \
		--yes --allow-removable-secrets "$work/local-sh/share-1-1.txt" "$work/local-sh/share-1-2.txt"
	[ -s "$mnt/sh/share-1-2.txt" ] && ok "the reshared share files are there" || bad "no share file in $mnt/sh"
else
	echo "  SKIP the FUSE cases: they need root, /dev/fuse, fuse2fs and mkfs.ext4 (not counted)"
fi
finish
