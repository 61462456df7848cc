#!/bin/sh
# A full disk during a ceremony (issue 14), on a small tmpfs mounted in the
# test's own directory (root only; otherwise the test says SKIP and fails
# nothing, as it checked nothing):
#   - a PDF sheet that does not fit: the message says "no space left" and
#     what to do (not "input/output error"), and nothing is left behind;
#   - the transcript, written last, does not fit: the escrow is complete,
#     so the tool says that the envelope and records are complete and
#     valid, prints the summary, names what failed, keeps every file, and
#     the envelope verifies with the shares.
. "$(dirname "$0")/lib.sh"

mnt=$work/mnt
mkdir -p "$mnt"
if [ "$(id -u)" != 0 ] || ! mount -t tmpfs -o size=20k,mode=0700 tmpfs "$mnt" 2>/dev/null; then
	echo "t_diskfull: SKIP (needs root to mount a small tmpfs)"
	exit 0
fi
trap 'umount "$mnt" 2>/dev/null; rm -rf "$work"' EXIT INT TERM

# 1. PDFs on a 20 KB file system: the envelope sheet does not fit
expect_rc 1 "keygen --pdf on a full disk fails" \
	"$keygen" -n . -a 13 -m 2 -N 3 -o "$mnt/pdf" --pdf --yes
expect_out "no space left on the device" "a full disk is said as such"
expect_out "free some space" "and what to do"
if grep -q "nput/output error" "$work/last.log"; then
	bad "no \"input/output error\"" "$(cat "$work/last.log")"
else ok "no \"input/output error\""; fi
left=$(find "$mnt/pdf" -type f | wc -l)
[ "$left" = 0 ] && ok "nothing is left behind" || bad "nothing is left behind ($left files)"
rm -rf "$mnt/pdf"

# 2. one key without paper: envelope, .key, .pem, .ds, trust anchor take
# a 4 KB page each (5 of the 5); the transcript finds no room
expect_rc 1 "keygen whose transcript does not fit fails" \
	"$keygen" -n . -a 13 -m 2 -N 3 -o "$mnt/t" --shares-out "$work/sh" --yes
expect_out "transcript.*no space left on the device" "the transcript failure says why"
expect_out "escrow is complete and valid" "says the escrow is complete and valid"
expect_out "Fingerprint:" "the summary is printed"
if [ "$(sed -n '/escrow is complete and valid/=' "$work/last.log" | head -n 1)" -gt \
	"$(sed -n '/no space left/=' "$work/last.log" | head -n 1)" ] 2>/dev/null; then
	ok "the last word is that the escrow is complete"
else bad "the last word is that the escrow is complete" "$(cat "$work/last.log")"; fi
n=$(ls "$mnt/t" | wc -l)
[ "$n" = 5 ] && ok "the five written files are kept" || bad "the five written files are kept ($n)" "$(ls -l "$mnt/t")"
env=$(ls "$mnt/t"/*.escrow)
expect_rc 0 "the envelope verifies" "$combine" verify --envelope "$env" \
	"$work/sh/share-1-1.txt" "$work/sh/share-1-2.txt"

finish
