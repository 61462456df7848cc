#!/bin/sh
# End to end: escrow-keygen for every algorithm, records checked against
# ldns-key2ds, escrow-combine verify/inspect/audit with shares from files,
# and the must-fail cases of a restore.
. "$(dirname "$0")/lib.sh"

echo "keygen and verify, every algorithm (RSA at 2048 bits)"
for alg in 8 10 13 14 15 16; do
	d=$work/alg$alg
	expect_rc 0 "alg $alg: keygen 2-of-3" "$keygen" -a $alg -n example.org -m 2 -N 3 \
		-o "$d/out" --shares-out "$d/shares" --yes
	keyfile=$(ls "$d/out"/K*.key)
	# the DS we print equals ldns-key2ds's for the .key file we wrote
	for t in 2 4; do
		(cd "$d" && ldns-key2ds -n -$t "$keyfile") >"$d/ldns.ds"
		ours=$(awk -v t=$t '$4=="DS" && $7==t {print $5, $6, $7, $8}' "$d/out"/*.ds)
		theirs=$(awk '{print $5, $6, $7, toupper($8)}' "$d/ldns.ds")
		if [ -n "$ours" ] && [ "$ours" = "$theirs" ]; then ok "alg $alg: DS digest type $t equals ldns-key2ds"
		else bad "alg $alg: DS digest type $t" "ours:   $ours
ldns:   $theirs"; fi
	done
	expect_rc 0 "alg $alg: verify with 2 shares and the trust anchor" "$combine" verify --yes \
		--envelope "$d/out"/*.escrow --trust-anchor "$d/out"/*-trust-anchor.xml \
		"$d/shares/share-1-1.txt" "$d/shares/share-1-3.txt"
	expect_out "Every key matches the given trust anchor" "alg $alg: trust anchor matched"
done

d=$work/alg8
env=$(ls "$d/out"/*.escrow)

echo "inspect and audit"
expect_rc 0 "inspect an envelope and a share" "$combine" inspect "$env" "$d/shares/share-1-2.txt"
expect_out "share set [0-9]+, group 1 of 1 .*member 2" "inspect names the share's set and member"
expect_out "3 share commitments, 1 key" "inspect describes the envelope"
expect_rc 0 "audit one share" "$combine" audit --yes --envelope "$env" "$d/shares/share-1-2.txt"
expect_out "belongs to this envelope" "audit accepts its own share"
expect_rc 1 "audit a share of another envelope" "$combine" audit --yes --envelope "$env" \
	"$work/alg13/shares/share-1-1.txt"
expect_out "belongs to share set [0-9]+, but the envelope's share set is" "audit names the foreign set"

echo "restore must-fail cases"
expect_rc 1 "one share fewer than needed" "$combine" verify --yes --envelope "$env" "$d/shares/share-1-1.txt"
expect_out "1 of the 2 shares needed" "says how many more are needed"

# a flipped word: word 10 replaced by another word
awk '{ $10 = ($10 == "academic") ? "acid" : "academic"; print }' "$d/shares/share-1-2.txt" >"$work/flipped.txt"
expect_rc 1 "a share with a wrong word, not enough others" "$combine" verify --yes --envelope "$env" \
	"$d/shares/share-1-1.txt" "$work/flipped.txt"
expect_out "flipped.txt' line 1: the checksum is wrong; the mistake is probably in word .*10" \
	"the bad share and the wrong word are named"
expect_rc 0 "a wrong share among enough good ones is named and left out" "$combine" verify --yes \
	--envelope "$env" "$d/shares/share-1-1.txt" "$work/flipped.txt" "$d/shares/share-1-3.txt"
expect_out "flipped.txt' line 1: the checksum is wrong" "the bad share is named"

printf 'not the passphrase\n' >"$work/wrongpass"
chmod 600 "$work/wrongpass"
expect_rc 1 "a wrong passphrase" "$combine" verify --yes --passphrase-file "$work/wrongpass" \
	--envelope "$env" "$d/shares/share-1-1.txt" "$d/shares/share-1-2.txt"
expect_out "the passphrase is wrong" "a wrong passphrase is named as such"

expect_rc 1 "shares of another set" "$combine" verify --yes --envelope "$env" \
	"$d/shares/share-1-1.txt" "$work/alg10/shares/share-1-2.txt"
expect_out "alg10/shares/share-1-2.txt' line 1 belongs to share set" "the foreign share is named"

expect_rc 0 "the same share twice is used once" "$combine" verify --yes --envelope "$env" \
	"$d/shares/share-1-1.txt" "$d/shares/share-1-1.txt" "$d/shares/share-1-2.txt"
expect_out "is the same as the one from" "the duplicate is named"

# a tampered envelope: one byte changed in the middle
cp "$env" "$work/tampered.escrow"
size=$(stat -c %s "$env")
printf '\001' | dd of="$work/tampered.escrow" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
if cmp -s "$env" "$work/tampered.escrow"; then printf '\002' | dd of="$work/tampered.escrow" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null; fi
expect_rc 1 "a tampered envelope" "$combine" verify --yes --envelope "$work/tampered.escrow" \
	"$d/shares/share-1-1.txt" "$d/shares/share-1-2.txt"
head -c $((size - 7)) "$env" >"$work/truncated.escrow"
expect_rc 1 "a truncated envelope" "$combine" verify --yes --envelope "$work/truncated.escrow" \
	"$d/shares/share-1-1.txt" "$d/shares/share-1-2.txt"

expect_rc 1 "a DS of another key" "$combine" verify --yes --envelope "$env" \
	--ds "$(head -n 1 "$work/alg10/out"/*.ds)" "$d/shares/share-1-1.txt" "$d/shares/share-1-2.txt"
expect_out "no key of this envelope has key tag" "the DS mismatch is named"

echo "keygen refuses bad input and never overwrites"
expect_rc 2 "no -o" "$keygen" -n . -m 2 -N 3 --yes
expect_rc 2 "-m above -N" "$keygen" -n . -m 4 -N 3 -o "$work/x" --yes
expect_rc 2 "an unknown algorithm" "$keygen" -n . -a 7 -m 2 -N 3 -o "$work/x" --yes
expect_rc 2 "a bad owner name" "$keygen" -n 'a..b' -m 2 -N 3 -o "$work/x" --shares-out "$work/y" --yes
expect_rc 2 "shares that would go nowhere" "$keygen" -n . -m 2 -N 3 -o "$work/x" --yes
expect_out "the shares must go somewhere" "the reason is given"
[ ! -e "$work/x" ] && ok "nothing was made" || bad "$work/x exists"
# the same key escrowed again into the same directory: every name collides
expect_rc 0 "export the private key (PEM)" "$combine" export --yes --envelope "$env" --format pem \
	-o "$work/key.pem" --i-understand-this-writes-a-private-key "$d/shares/share-1-1.txt" "$d/shares/share-1-2.txt"
expect_out "WROTE 1 PRIVATE KEY IN THE CLEAR" "export says loudly what it wrote"
if [ "$(stat -c %a "$work/key.pem")" = 600 ]; then ok "the exported key file is mode 0600"; else bad "exported key mode $(stat -c %a "$work/key.pem")"; fi
if openssl pkey -in "$work/key.pem" -pubout 2>/dev/null | cmp -s - "$d/out"/K*.pem; then ok "the exported key matches the escrowed public key"
else bad "the exported key does not match the public key"; fi
expect_rc 2 "export without the long flag" "$combine" export --yes --envelope "$env" --format pem \
	-o "$work/key2.pem" "$d/shares/share-1-1.txt" "$d/shares/share-1-2.txt"
expect_rc 1 "export never overwrites" "$combine" export --yes --envelope "$env" --format pem \
	-o "$work/key.pem" --i-understand-this-writes-a-private-key "$d/shares/share-1-1.txt" "$d/shares/share-1-2.txt"
before=$(ls -l --time-style=+%s.%N "$d/out" | sort)
expect_rc 1 "the same key escrowed again into the same directory" "$keygen" --import-key "$work/key.pem" \
	-n example.org -m 2 -N 3 -o "$d/out" --shares-out "$work/again" --yes
expect_out "escrow' already exists: refusing to overwrite it" "the existing file is named"
after=$(ls -l --time-style=+%s.%N "$d/out" | sort)
if [ "$before" = "$after" ]; then ok "the first ceremony's files are untouched and nothing new is left"
else bad "the output directory changed after a failed run" "before: $before
after: $after"; fi
expect_rc 0 "the imported key into a new directory" "$keygen" --import-key "$work/key.pem" \
	-n example.org -m 2 -N 3 -o "$work/reimport" --shares-out "$work/reimport-shares" --yes
if cmp -s "$work/reimport"/K*.key "$d/out"/K*.key; then ok "the re-escrowed key has the same DNSKEY"; else bad "the re-escrowed DNSKEY differs"; fi
mkdir -p "$work/open" && chmod 777 "$work/open"
expect_rc 1 "a world-writable output directory" "$keygen" -n . -m 2 -N 3 -o "$work/open" --shares-out "$work/open-shares" --yes
expect_out "writable by others" "the reason is given"

echo "reshare: a new share set for the same key"
expect_rc 0 "reshare 3-of-4" "$combine" reshare --yes --envelope "$env" -m 3 -N 4 -o "$work/re/out" \
	--shares-out "$work/re/shares" "$d/shares/share-1-1.txt" "$d/shares/share-1-2.txt"
old_set=$(awk '/^Share set/ {print $3; exit}' "$d/out"/*-transcript.txt)
grep -q "Replaces share set $old_set of envelope" "$work/re/out"/*-transcript.txt &&
	ok "the new transcript names the old share set $old_set" || bad "transcript" "$(cat "$work/re/out"/*-transcript.txt)"
cmp -s "$work/re/out"/K*.key "$d/out"/K*.key && ok "the same key (same DNSKEY)" || bad "reshare changed the key"
expect_rc 0 "the new shares restore" "$combine" verify --yes --envelope "$work/re/out"/*.escrow \
	"$work/re/shares/share-1-4.txt" "$work/re/shares/share-1-2.txt" "$work/re/shares/share-1-3.txt"
expect_rc 1 "old shares do not open the new envelope" "$combine" verify --yes --envelope "$work/re/out"/*.escrow \
	"$d/shares/share-1-1.txt" "$d/shares/share-1-2.txt"

echo "groups: 2 of 3 groups, each 2 of 3"
g=$work/groups
expect_rc 0 "keygen with groups" "$keygen" -n . -a 15 --group 2/3 --group 2/3 --group 1/1 \
	--group-threshold 2 -o "$g/out" --shares-out "$g/shares" --yes
expect_rc 0 "verify with group 1 and group 3" "$combine" verify --yes --envelope "$g/out"/*.escrow \
	"$g/shares/share-3-1.txt" "$g/shares/share-1-3.txt" "$g/shares/share-1-1.txt"
expect_rc 1 "verify with one complete group only" "$combine" verify --yes --envelope "$g/out"/*.escrow \
	"$g/shares/share-1-3.txt" "$g/shares/share-1-1.txt" "$g/shares/share-2-1.txt"
expect_out "group 2: 1 of 2 shares needed" "the missing share per group is said"

finish
