#!/bin/sh
# escrow-keygen --print through a private cupsd (tests/cupsd/cupsd.sh), as
# an operator runs it: after each share sheet the tool waits until the
# custodian has taken it (answered here through a pseudo-terminal by
# expect, which keeps each printed sheet aside).  The printed shares are
# rasterised at 300 dpi and restore the key; the spool holds no job file
# afterwards, and no share is found anywhere under the cupsd's directories
# but in the printer's output.
. "$(dirname "$0")/lib.sh"
private_cupsd
: >"$work/nopass"
chmod 600 "$work/nopass"

# a queue that does not exist, or that refuses jobs, stops the run before
# anything is made or asked (exit 1, nothing in the output directory)
expect_rc 1 "a queue that does not exist is refused before anything is made" \
	"$keygen" -n . -a 13 -m 2 -N 3 -o "$work/noq" --print nosuchqueue --yes
expect_out 'no printer "nosuchqueue"' "the missing queue is named"
expect_out 'nothing was made or asked yet' "it stops before generating anything"
[ ! -e "$work/noq" ] && ok "nothing was written for the missing queue" ||
	bad "files were written for a missing queue" "$(ls -la "$work/noq")"
cupsreject test
expect_rc 1 "a queue that refuses jobs is refused before anything is made" \
	"$keygen" -n . -a 13 -m 2 -N 3 -o "$work/rejq" --print test --yes
expect_out 'printer "test" is not accepting jobs' "the refusing queue is named"
[ ! -e "$work/rejq" ] && ok "nothing was written for the refusing queue" ||
	bad "files were written for a refusing queue" "$(ls -la "$work/rejq")"
cupsaccept test

cat >"$work/print.exp" <<EXP
set timeout 60
spawn $keygen -n . -a 8 -m 2 -N 3 -o $work/out --passphrase-file $work/nopass --print test
expect "Continue?" { send "\r" } timeout { exit 20 }
for {set i 1} {\$i <= 3} {incr i} {
	expect {
		-re "Share sheet group 1 member (\[0-9\]+) printed.*\\\\\[Y/r/q\\\\\] " {
			exec cp $cups/out.pdf $work/printed-\$expect_out(1,string).pdf
			send "y\r"
		}
		timeout { exit 21 }
		eof { exit 22 }
	}
}
expect {
	"Fingerprint:" { }
	timeout { exit 23 }
}
expect eof
catch wait result
exit [lindex \$result 3]
EXP
expect_rc 0 "keygen --print, waiting for each custodian" expect -f "$work/print.exp"
expect_out "printed on test; job purged from the spool|Fingerprint:" "the ceremony finished"
grep -c "printed .* on test; job purged" "$work/out"/*-transcript.txt >"$work/count" || true
[ "$(cat "$work/count")" = 5 ] && ok "five jobs printed and purged (envelope, public, three shares)" ||
	bad "printed jobs in the transcript: $(cat "$work/count")" "$(cat "$work/out"/*-transcript.txt)"

for m in 1 2 3; do
	[ -s "$work/printed-$m.pdf" ] || bad "no printed sheet for member $m"
	pdftoppm -r 300 -gray "$work/printed-$m.pdf" "$work/scan-$m"
done
expect_rc 0 "the printed share sheets 1 and 3 restore the key" "$combine" verify --yes \
	--envelope "$work/out"/*.escrow "$work/scan-1-1.pgm" "$work/scan-3-1.pgm"
expect_rc 0 "audit of printed share sheet 2" "$combine" audit --yes --envelope "$work/out"/*.escrow "$work/scan-2-1.pgm"

left=$(find "$cups/spool" -type f | wc -l)
[ "$left" = 0 ] && ok "no job file left in the spool" || bad "files in the spool" "$(find "$cups/spool" -type f)"
# the shares as text, read from the printed sheets, must not be anywhere
# in cupsd's directories but the printer's output file
for m in 1 2 3; do
	words=$(zbarimg -q --raw "$work/scan-$m-1.pgm" 2>/dev/null | head -n 1 | cut -d' ' -f5-12)
	[ -n "$words" ] || { bad "no words scanned from sheet $m"; continue; }
	hits=$(grep -rliF -- "$words" "$cups" 2>/dev/null | grep -v "/out.pdf$" || true)
	[ -z "$hits" ] && ok "share $m is nowhere in the spool, cache, temp or logs" || bad "share $m found" "$hits"
done
finish
