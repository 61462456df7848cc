#!/bin/sh
# Typing shares at the terminal, driven through a pseudo-terminal by
# expect: an unknown word is refused at once and typed again, a
# mistyped (but real) word is found by the checksum, the single
# correction that matches the envelope is offered and accepted, and the
# tool says how many shares it still needs.
. "$(dirname "$0")/lib.sh"

"$keygen" -n . -a 15 -m 2 -N 3 -o "$work/out" --shares-out "$work/shares" --yes >/dev/null
env=$(ls "$work/out"/*.escrow)
one=$(cat "$work/shares/share-1-1.txt")
two=$(cat "$work/shares/share-1-3.txt")
# share two with word 7 replaced by another real word: a typing mistake
w7=$(echo "$two" | cut -d' ' -f7)
if [ "$w7" = academic ]; then other=acid; else other=academic; fi
two_bad=$(echo "$two" | awk -v o="$other" '{ $7 = o; print }')
first10=$(echo "$one" | cut -d' ' -f1-10)
rest=$(echo "$one" | cut -d' ' -f11-)

cat >"$work/drive.exp" <<EXP
set timeout 20
log_user 1
spawn $combine verify --envelope $env
expect "share 1, word 1>"
send "$first10 xyzzy\r"
expect "word 11 is not a SLIP-0039 word" { } timeout { exit 11 }
expect "share 1, word 11>"
send "$rest\r"
expect "accepted: group 1, member 1" { } timeout { exit 12 }
expect "1 of the 2 shares needed"
expect "share 2, word 1>"
send "$two_bad\r"
expect "the mistake is probably in word" { } timeout { exit 13 }
expect -re "change word 7 from .$other. to .$w7.\\\\? \\\\\[y/N\\\\\]" { } timeout { exit 14 }
send "y\r"
expect "accepted: group 1, member 3" { } timeout { exit 15 }
expect "SLIP-0039 passphrase" { } timeout { exit 16 }
sleep 0.2
send "\r"
expect "The master secret restores the envelope" { } timeout { exit 17 }
expect eof
catch wait result
exit [lindex \$result 3]
EXP
expect_rc 0 "typing two shares with two mistakes" expect -f "$work/drive.exp"
expect_out "Read aloud" "the records are printed at the end"

# a custodian's audit, typing the share
cat >"$work/audit.exp" <<EXP
set timeout 20
spawn $combine audit --envelope $env
expect "share 1, word 1>" { } timeout { exit 41 }
send "$(cat "$work/shares/share-1-2.txt")\r"
expect "belongs to this envelope" { } timeout { exit 42 }
expect eof
catch wait result
exit [lindex \$result 3]
EXP
expect_rc 0 "audit a typed share" expect -f "$work/audit.exp"

# escrow-keygen at the terminal: extra entropy typed as dice rolls, and the
# passphrase asked twice (a mismatch first, which must stop the ceremony)
cat >"$work/keygen.exp" <<EXP
set timeout 30
spawn $keygen -n . -a 13 -m 2 -N 3 -o $work/gen --shares-out $work/genshares
expect "Continue?" { } timeout { exit 30 }
send "\r"
expect "SLIP-0039 passphrase" { } timeout { exit 31 }
sleep 0.2
send "one\r"
expect "The same passphrase again" { } timeout { exit 32 }
sleep 0.2
send "two\r"
expect "the two passphrases differ" { } timeout { exit 33 }
expect eof
spawn $keygen -n . -a 13 -m 2 -N 3 -o $work/gen --shares-out $work/genshares --entropy
expect "Continue?" { } timeout { exit 40 }
send "\r"
expect "dice rolls (d" { } timeout { exit 41 }
send "\r"
expect "entropy>" { } timeout { exit 36 }
sleep 0.2
send "3 1 4 1 5 9 2 6 5 3 5\r"
expect "10 dice rolls so far" { } timeout { exit 42 }
expect "entropy>" { } timeout { exit 37 }
sleep 0.2
send "\r"
expect "10 dice rolls (about 25 bits) of extra entropy mixed in" { } timeout { exit 43 }
expect "SLIP-0039 passphrase" { } timeout { exit 34 }
sleep 0.2
send "same\r"
expect "The same passphrase again" { } timeout { exit 35 }
sleep 0.2
send "same\r"
expect "Fingerprint:" { } timeout { exit 39 }
expect eof
catch wait result
exit [lindex \$result 3]
EXP
expect_rc 0 "keygen at a terminal: passphrase twice and typed entropy" expect -f "$work/keygen.exp"
printf 'same\n' >"$work/same"
chmod 600 "$work/same"
expect_rc 0 "the shares open with the typed passphrase" "$combine" verify --yes --passphrase-file "$work/same" \
	--envelope "$work/gen"/*.escrow "$work/genshares/share-1-1.txt" "$work/genshares/share-1-2.txt"
finish
