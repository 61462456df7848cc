#!/bin/sh
# A full disk (issues 14 and 15), on small tmpfs file systems mounted in
# the test's own directory (root only; otherwise the test says SKIP and
# fails nothing, as it checked nothing):
#   - found before any human step: escrow-keygen on a disk too small for
#     what it would write refuses before it asks, generates or prints
#     anything (its message names the directory, what is free, what the
#     run needs and what to do) and writes nothing; reshare refuses
#     before any share is asked, export and load --rrsig-out likewise;
#   - the disk fills up during the ceremony (a real squeeze: another
#     file fills it while keygen waits at its passphrase prompt, after
#     the check passed):
#     - a PDF sheet that does not fit: the message says "no space left"
#       and what to do (not "input/output error"), and nothing is left;
#     - the transcript, written last, does not fit: the escrow is
#       complete, so the tool says that the envelope and records are
#       complete and valid, prints the summary, names what failed, keeps
#       every file, and the envelope verifies with the shares.
. "$(dirname "$0")/lib.sh"

mnt=$work/mnt
big=$work/big
mkdir -p "$mnt" "$big"
if [ "$(id -u)" != 0 ] || ! mount -t tmpfs -o size=20k,mode=0700 tmpfs "$mnt" 2>/dev/null; then
	echo "t_diskfull: SKIP (needs root to mount a small tmpfs)"
	exit 0
fi
trap 'umount "$mnt" 2>/dev/null || true; umount "$big" 2>/dev/null || true; rm -rf "$work"' EXIT INT TERM
if ! mount -t tmpfs -o size=1m,mode=0700 tmpfs "$big"; then
	bad "mounting a 1 MB tmpfs"; finish; exit 1
fi
command -v expect >/dev/null || { bad "expect is not installed (make deps)"; finish; exit 1; }

# 1. before any human step: 20 KB cannot hold the six files of a ceremony
# (a 4 KB block each), let alone its PDF sheets.  At a terminal and
# without --yes, so that any question would be asked.
for what in "" "--pdf"; do
	cat >"$work/early.exp" <<EXP
set timeout 20
log_user 1
spawn $keygen -n . -a 13 -m 2 -N 3 -o $mnt/early $what --shares-out $work/early-shares
expect "Continue?" { exit 70 } eof { } timeout { exit 71 }
catch wait result
exit [lindex \$result 3]
EXP
	expect_rc 1 "keygen ${what:+$what }on a disk too small is refused" expect -f "$work/early.exp"
	expect_out "not enough free space for this run in .$mnt/early': 20 KB free, about [0-9]+ KB needed \\(the envelope, the public records, the transcript${what:+, 5 PDF sheets}\\)" \
		"it names the directory, what is free and what the run needs${what:+ (the sheets too)}"
	expect_out "nothing was done: free some space there, or choose an output on a larger disk" "and what to do"
	if grep -Eq "About to generate|passphrase|entropy|generating" "$work/last.log"; then
		bad "nothing is asked or generated first" "$(cat "$work/last.log")"
	else ok "nothing is asked or generated first"; fi
	[ ! -e "$mnt/early" ] && [ ! -e "$work/early-shares" ] && ok "nothing is written" ||
		bad "files were written" "$(ls -R "$mnt" "$work/early-shares" 2>&1)"
done

# the same check in the restore-side tools, once the envelope is read
"$keygen" -n . -a 15 -m 2 -N 3 -o "$work/g" --shares-out "$work/sh0" --yes >/dev/null 2>&1 ||
	bad "keygen for the restore side"
e=$(ls "$work/g"/*.escrow)
expect_rc 1 "reshare onto a disk too small is refused" "$combine" reshare --envelope "$e" -m 2 -N 3 \
	-o "$mnt/re" --shares-out "$work/re-shares" --yes "$work/sh0/share-1-1.txt" "$work/sh0/share-1-2.txt"
expect_out "not enough free space for this run in .$mnt/re'" "reshare names the directory"
[ ! -e "$mnt/re" ] && [ ! -e "$work/re-shares" ] && ok "reshare writes nothing" || bad "reshare wrote files"
cat >"$work/reshare.exp" <<EXP
set timeout 20
log_user 1
spawn $combine reshare --envelope $e -m 2 -N 3 -o $mnt/re --shares-out $work/re-shares
expect "word 1>" { exit 50 } eof { } timeout { exit 51 }
catch wait result
exit [lindex \$result 3]
EXP
expect_rc 1 "at a terminal, reshare refuses before any share is asked" expect -f "$work/reshare.exp"
expect_out "not enough free space" "and says why"
dd if=/dev/zero of="$mnt/fill" bs=1k count=16 2>/dev/null
expect_rc 1 "export into 4 KB is refused before the shares" "$combine" export --envelope "$e" --format pem \
	-o "$mnt/key.pem" --i-understand-this-writes-a-private-key --yes "$work/sh0/share-1-1.txt" "$work/sh0/share-1-2.txt"
expect_out "not enough free space for this run in .$mnt': 4096 bytes free, about [0-9]+ bytes needed \\(the private keys\\)" \
	"export names the directory and the sizes"
grep -q "master secret restored" "$work/last.log" && bad "export restored first" || ok "export refuses before restoring"
softhsm "$work/hsm" t 1234
expect_rc 1 "load --rrsig-out into 4 KB is refused before the shares" env SOFTHSM2_CONF="$work/hsm/softhsm2.conf" \
	"$combine" load --envelope "$e" --module "$module" --token pkcs11:token=t --pin-source "$work/hsm/pin" \
	--rrsig-out "$mnt/ksk.zone" --yes "$work/sh0/share-1-1.txt" "$work/sh0/share-1-2.txt"
expect_out "not enough free space .*\\(the DNSKEY and RRSIG records\\)" "load names what it would write"
[ "$(objects "$work/hsm" t 1234)" = 0 ] && ok "the token is untouched" || bad "objects in the token"
rm -f "$mnt/fill"

# 2. the squeeze: the check passes on the 1 MB disk, then, while keygen
# waits at its passphrase prompt, another file fills the disk up to
# LEAVE KB.  squeeze NAME LEAVE KEYGEN-ARGS
squeeze() {
	cat >"$work/squeeze.exp" <<EXP
set timeout 30
log_user 1
spawn $keygen -n . -a 13 -m 2 -N 3 $3
expect "Continue?" { send "\r" } timeout { exit 61 }
expect "SLIP-0039 passphrase" { } timeout { exit 62 }
set free [exec sh -c {df -k --output=avail $big | tail -n 1}]
exec dd if=/dev/zero of=$big/fill bs=1k count=[expr {[string trim \$free] - $2}] 2>/dev/null
send "\r"
expect "The same passphrase" { send "\r" } timeout { exit 63 }
expect eof { } timeout { exit 64 }
catch wait result
exit [lindex \$result 3]
EXP
	expect_rc 1 "$1" expect -f "$work/squeeze.exp"
}

squeeze "keygen --pdf fails when the disk fills up under it" 100 "-o $big/pdf --pdf"
expect_out "no space left on the device" "a full disk is said as such"
expect_out "free some space" "and what to do"
if grep -q "nput/output error" "$work/last.log"; then
	bad "no \"input/output error\"" "$(cat "$work/last.log")"
else ok "no \"input/output error\""; fi
left=$(find "$big/pdf" -type f 2>/dev/null | wc -l)
[ "$left" = 0 ] && ok "nothing is left behind" || bad "nothing is left behind ($left files)"
rm -rf "$big/pdf" "$big/fill"

# one key without paper: envelope, .key, .pem, .ds, trust anchor take a
# 4 KB page each (20 KB left: 5 of the 5); the transcript finds no room
squeeze "keygen whose transcript does not fit fails" 20 "-o $big/t --shares-out $work/sh"
expect_out "transcript.*no space left on the device" "the transcript failure says why"
expect_out "escrow is complete and valid" "says the escrow is complete and valid"
expect_out "Fingerprint:" "the summary is printed"
if [ "$(sed -n '/escrow is complete and valid/=' "$work/last.log" | head -n 1)" -gt \
	"$(sed -n '/no space left/=' "$work/last.log" | head -n 1)" ] 2>/dev/null; then
	ok "the last word is that the escrow is complete"
else bad "the last word is that the escrow is complete" "$(cat "$work/last.log")"; fi
n=$(ls "$big/t" | wc -l)
[ "$n" = 5 ] && ok "the five written files are kept" || bad "the five written files are kept ($n)" "$(ls -l "$big/t")"
env=$(ls "$big/t"/*.escrow)
expect_rc 0 "the envelope verifies" "$combine" verify --envelope "$env" \
	"$work/sh/share-1-1.txt" "$work/sh/share-1-2.txt"

finish
