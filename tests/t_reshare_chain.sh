#!/bin/sh
# Envelope format version 2 through the real tools: escrow-keygen records
# whether the set has a passphrase, and a chain of two reshares (set 1 ->
# set 2 -> set 3) records the sets each one replaced.  Checked: inspect
# shows the format version, the passphrase flag ("not recorded" for a
# version 1 envelope: the worked example of docs/FORMAT.md; its version 2
# addendum too) and the replaced sets, oldest first; an old share (from a file) brought to
# verify, audit, load and reshare against the newest envelope is named as
# a share of a replaced set, void, with the envelope that replaced it; a
# share of an unrelated ceremony is still called foreign.  (Typed entry
# of an old share: tests/t_prompt.sh.)
. "$(dirname "$0")/lib.sh"

printf 'pass phrase\n' >"$work/pw"
printf 'new phrase\n' >"$work/pw2"
: >"$work/empty"
"$keygen" -a 15 -n example.com -m 2 -N 3 -o "$work/g1" --shares-out "$work/s1" \
	--passphrase-file "$work/pw" --yes >"$work/k1.log" 2>&1 || bad "keygen" "$(cat "$work/k1.log")"
"$keygen" -a 15 -n example.com -m 2 -N 3 -o "$work/other" --shares-out "$work/so" \
	--passphrase-file "$work/empty" --yes >/dev/null 2>&1 || bad "keygen (another ceremony)"
e1=$(ls "$work/g1"/*.escrow)
expect_rc 0 "inspect a new envelope" "$combine" inspect "$e1"
expect_out "an escrow envelope, format version 2" "escrow-keygen writes format version 2"
expect_out "Passphrase: yes: the shares need the SLIP-0039 passphrase too" "inspect says the set has a passphrase"
grep -q 'pass phrase' "$work/last.log" "$work/g1"/*-transcript.txt && bad "the passphrase itself is printed" ||
	ok "the passphrase itself is in neither inspect's output nor the transcript"
expect_rc 0 "inspect the envelope of a ceremony without passphrase" "$combine" inspect "$work/other"/*.escrow
expect_out "Passphrase: none \\(recorded in the envelope\\)" "inspect says the set has none"
grep -q "Replaces" "$work/last.log" && bad "a first envelope names replaced sets" || ok "a first envelope replaces nothing"

# the worked example of docs/FORMAT.md, version 1: nothing recorded
sed -n '/^The 307 bytes, field by field/,/^Fingerprint:/p' "$top/docs/FORMAT.md" |
	grep -E '^(0|      )[0-9a-f ]' | cut -c7-38 | tr -d ' \n' | xxd -r -p >"$work/v1.escrow"
[ "$(stat -c %s "$work/v1.escrow")" = 307 ] && ok "the version 1 worked example taken from FORMAT.md" ||
	bad "the v1 worked example is $(stat -c %s "$work/v1.escrow") bytes"
expect_rc 0 "inspect a version 1 envelope" "$combine" inspect "$work/v1.escrow"
expect_out "format version 1" "inspect says version 1"
expect_out "Passphrase: not recorded \\(a version 1 envelope" "inspect says a v1 envelope records no passphrase"

# its version 2 addendum: the bytes FORMAT.md prints are the envelope it describes
sed -n '/^The whole of it in hex/,/^Fingerprint: /p' "$top/docs/FORMAT.md" |
	grep -E '^[0-9a-f]{20,}$' | xxd -r -p >"$work/v2.escrow"
want=$(sed -n 's/^Fingerprint: `\([0-9a-f]\{64\}\)`;$/\1/p' "$top/docs/FORMAT.md")
[ -n "$want" ] && [ "$(sha256sum "$work/v2.escrow" | cut -c1-64)" = "$want" ] &&
	ok "the version 2 worked example's bytes in FORMAT.md have its fingerprint" ||
	bad "the v2 worked example in FORMAT.md: fingerprint '$want'"
expect_rc 0 "inspect the version 2 worked example" "$combine" inspect "$work/v2.escrow"
expect_out "format version 2" "it is version 2"
expect_out "Share set 1383 " "its set is 0x0567"
expect_out "share set 4660, envelope fingerprint e7c0ecc7c1b30595ba922f08e05432cc68ef03bfd53236bdabc987e3af7e6b65" \
	"it replaces set 0x1234 of the version 1 example"

# reshare twice: set 1 -> set 2 (no passphrase) -> set 3 (a passphrase)
expect_rc 0 "reshare set 1 into set 2" "$combine" reshare --envelope "$e1" --passphrase-file "$work/pw" \
	--new-passphrase-file "$work/empty" -m 2 -N 3 -o "$work/g2" --shares-out "$work/s2" --yes \
	"$work/s1/share-1-1.txt" "$work/s1/share-1-2.txt"
e2=$(ls "$work/g2"/*.escrow)
expect_rc 0 "reshare set 2 into set 3" "$combine" reshare --envelope "$e2" --passphrase-file "$work/empty" \
	--new-passphrase-file "$work/pw2" -m 2 -N 3 -o "$work/g3" --shares-out "$work/s3" --yes \
	"$work/s2/share-1-2.txt" "$work/s2/share-1-3.txt"
e3=$(ls "$work/g3"/*.escrow)
fp() { sha256sum "$1" | cut -c1-64; }
id() { "$combine" inspect "$1" | sed -n 's/^  Share set \([0-9]*\) .*/\1/p'; }
id1=$(id "$e1") id2=$(id "$e2") id3=$(id "$e3")
fp1=$(fp "$e1") fp2=$(fp "$e2") fp3=$(fp "$e3")
[ -n "$id1" ] && [ "$id1" != "$id2" ] && [ "$id2" != "$id3" ] && [ "$id1" != "$id3" ] &&
	ok "three share sets, three identifiers ($id1, $id2, $id3)" || bad "identifiers: '$id1' '$id2' '$id3'"

expect_rc 0 "inspect the first reshare" "$combine" inspect "$e2"
expect_out "Passphrase: none" "the first reshare records that its new set has no passphrase"
expect_out "Replaces 1 earlier share set" "it replaces one set"
expect_out "^    share set $id1, envelope fingerprint $fp1\$" "set 1, with its envelope's fingerprint"
expect_rc 0 "inspect the second reshare" "$combine" inspect "$e3"
expect_out "Passphrase: yes" "the second reshare records the new passphrase"
expect_out "Replaces 2 earlier share sets \\(oldest first" "it replaces two sets"
awk '/Replaces 2/ { on = 1; next } on && /share set/ { print $3 }' "$work/last.log" | tr -d , |
	tr '\n' ' ' >"$work/order"
[ "$(cat "$work/order")" = "$id1 $id2 " ] && ok "the older set first: $id1, then $id2" ||
	bad "order of the replaced sets: $(cat "$work/order")"
grep -q "new phrase" "$work/g3"/*-transcript.txt && bad "the new passphrase is in the transcript" ||
	ok "the new passphrase is not in the transcript"

when=$(date -u +%Y-%m-%d)
# a share of set 2 against envelope 3: replaced directly
expect_rc 1 "verify with a share of the set just replaced" "$combine" verify --envelope "$e3" \
	--passphrase-file "$work/pw2" --yes "$work/s2/share-1-1.txt" "$work/s3/share-1-1.txt"
expect_out "is a share of REPLACED share set $id2: it was replaced on $when by this envelope \\(fingerprint $fp3\\)" \
	"verify names the replaced set, the date and the replacing envelope"
expect_out "the share is void .*destroy that sheet" "and says the share is void and should be destroyed"
grep -q "another ceremony" "$work/last.log" && bad "it still says 'another ceremony'" || ok "not called 'another ceremony'"
# a share of set 1 (two generations back)
expect_rc 1 "audit with a share two generations old" "$combine" audit "$e3" "$work/s1/share-1-3.txt"
expect_out "is a share of REPLACED share set $id1: it was replaced by envelope $fp2 \\(share set $id2\\), which this envelope's share set $id3 replaced in turn on $when" \
	"audit names a set two reshares back, and the envelope that replaced it"
expect_rc 1 "reshare again with an old share" "$combine" reshare --envelope "$e3" --passphrase-file "$work/pw2" \
	-m 2 -N 3 -o "$work/g4" --shares-out "$work/s4" --yes "$work/s1/share-1-1.txt" "$work/s3/share-1-2.txt"
expect_out "REPLACED share set $id1" "reshare names it too"
[ ! -e "$work/g4" ] || [ -z "$(ls -A "$work/g4")" ] && ok "and writes nothing" || bad "reshare wrote $(ls "$work/g4")"
softhsm "$work/hsm" t 1234
expect_rc 1 "load with an old share" env SOFTHSM2_CONF="$work/hsm/softhsm2.conf" "$combine" load \
	--envelope "$e3" --passphrase-file "$work/pw2" --module "$module" --token pkcs11:token=t \
	--pin-source "$work/hsm/pin" --yes "$work/s2/share-1-3.txt" "$work/s3/share-1-2.txt"
expect_out "REPLACED share set $id2" "load names it too"
# a share of an unrelated ceremony: foreign, as before
expect_rc 1 "verify with a share of another ceremony" "$combine" verify --envelope "$e3" \
	--passphrase-file "$work/pw2" --yes "$work/so/share-1-1.txt" "$work/s3/share-1-1.txt"
expect_out "that sheet is from another ceremony \\(this envelope names the share sets it replaced, and that one is not among them\\)" \
	"a foreign share is still called foreign"
# and the current set restores
expect_rc 0 "the current set restores the newest envelope" "$combine" verify --envelope "$e3" \
	--passphrase-file "$work/pw2" --yes "$work/s3/share-1-1.txt" "$work/s3/share-1-3.txt"
finish
