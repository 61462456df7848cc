#!/bin/sh
# End to end with a real SoftHSMv2 token (one token directory per case):
# escrow-combine load for every algorithm with every strategy SoftHSM
# supports, escrow-keygen loading at generation, the objects read back
# with pkcs11-tool, and failures that must leave the token as it was.
. "$(dirname "$0")/lib.sh"

n=0
newtoken() { # -> $tok (directory), token label "t", PIN 1234
	n=$((n + 1)); tok=$work/tok$n
	softhsm "$tok" t 1234
	export SOFTHSM2_CONF="$tok/softhsm2.conf"
}
load() { # WANT NAME ENVDIR [ARGS...]
	want=$1 name=$2 dir=$3; shift 3
	expect_rc "$want" "$name" "$combine" load --yes --envelope "$dir/out"/*.escrow --module "$module" \
		--token pkcs11:token=t --pin-source "$tok/pin" "$@" "$dir/shares/share-1-1.txt" "$dir/shares/share-1-2.txt"
}
listing() { SOFTHSM2_CONF=$tok/softhsm2.conf pkcs11-tool --module "$module" --token-label t --login --pin 1234 --list-objects 2>/dev/null; }

echo "every algorithm, every strategy SoftHSM supports"
for alg in 8 10 13 14 15 16; do
	d=$work/k$alg
	"$keygen" -n . -a $alg -m 2 -N 3 -o "$d/out" --shares-out "$d/shares" --yes >/dev/null
	case $alg in
	8|10|13|14) strategies="auto unwrap transport create" ;;
	*) strategies="auto create" ;;
	esac
	for s in $strategies; do
		newtoken
		load 0 "alg $alg: load with --strategy $s" "$d" --strategy $s
		case "$s/$alg" in
		auto/15|auto/16) expect_out "create" "alg $alg: auto falls back to create" ;;
		auto/*) expect_out "unwrap with mechanism" "alg $alg: auto unwraps in the token" ;;
		esac
		expect_out "CKA_SENSITIVE true, CKA_EXTRACTABLE false" "alg $alg/$s: attributes read back"
		l=$(listing)
		if [ "$(echo "$l" | grep -c 'Private Key Object')" = 1 ] && [ "$(echo "$l" | grep -c 'Public Key Object')" = 1 ] &&
			echo "$l" | grep -q 'Access:.*sensitive' && echo "$l" | grep -q 'Usage:.*sign' &&
			! echo "$l" | grep -q 'extractable'; then
			ok "alg $alg/$s: pkcs11-tool shows one sensitive, non-extractable signing key and its public key"
		else bad "alg $alg/$s: pkcs11-tool listing" "$l"; fi
	done
done
newtoken
load 1 "alg 15: forced unwrap, which SoftHSM cannot do for Ed25519" "$work/k15" --strategy unwrap
[ "$(objects "$tok" t 1234)" = 0 ] && ok "nothing left after the refused mechanism" || bad "objects left: $(listing)"

echo "--rrsig-out: the DNSKEY RRset signed in the token validates"
newtoken
load 0 "load with --rrsig-out" "$work/k13" --rrsig-out "$work/zone13"
{ printf 'example. 3600 IN SOA a. b. 1 2 3 4 5\n'; cat "$work/zone13"; } >"$work/verify13"
sed -i 's/^\. /example. /; s/ \. / example. /' "$work/verify13" 2>/dev/null || true
out=$(ldns-verify-zone -V 3 "$work/zone13" 2>&1 || true)
if echo "$out" | grep -q DNSKEY; then bad "ldns-verify-zone on the RRSIG" "$out"; else ok "ldns-verify-zone finds no DNSKEY error"; fi
grep -q 'RRSIG DNSKEY 13' "$work/zone13" && ok "the zone holds the RRSIG" || bad "no RRSIG in $(cat "$work/zone13")"

echo "failures leave the token as it was"
newtoken
printf '9999\n' >"$work/badpin"
chmod 600 "$work/badpin"
expect_rc 1 "a wrong PIN" "$combine" load --yes --envelope "$work/k8/out"/*.escrow --module "$module" \
	--token pkcs11:token=t --pin-source "$work/badpin" "$work/k8/shares/share-1-1.txt" "$work/k8/shares/share-1-2.txt"
expect_out "CKR_PIN_INCORRECT" "the CKR code is named"
expect_rc 1 "an unknown token" "$combine" load --yes --envelope "$work/k8/out"/*.escrow --module "$module" \
	--token pkcs11:token=nosuch --pin-source "$tok/pin" "$work/k8/shares/share-1-1.txt" "$work/k8/shares/share-1-2.txt"
expect_out "no token matches|nosuch" "the missing token is named"
expect_rc 2 "an invalid URI is a usage error" "$combine" load --yes --envelope "$work/k8/out"/*.escrow --module "$module" \
	--token 'http://example' --pin-source "$tok/pin" "$work/k8/shares/share-1-1.txt" "$work/k8/shares/share-1-2.txt"
expect_out "is not a PKCS#11 URI" "the URI is named as not one"
expect_rc 1 "a module that does not exist" "$combine" load --yes --envelope "$work/k8/out"/*.escrow \
	--module /nonexistent/module.so --token pkcs11:token=t --pin-source "$tok/pin" \
	"$work/k8/shares/share-1-1.txt" "$work/k8/shares/share-1-2.txt"
printf 'wrong\n' >"$work/wrongpass"
chmod 600 "$work/wrongpass"
expect_rc 1 "a wrong passphrase" "$combine" load --yes --passphrase-file "$work/wrongpass" \
	--envelope "$work/k8/out"/*.escrow --module "$module" --token pkcs11:token=t --pin-source "$tok/pin" \
	"$work/k8/shares/share-1-1.txt" "$work/k8/shares/share-1-2.txt"
[ "$(objects "$tok" t 1234)" = 0 ] && ok "nothing in the token after those failures" || bad "objects left: $(listing)"
load 0 "a first load" "$work/k8"
load 0 "the same key set again without --replace: already there" "$work/k8"
expect_out "already holds this whole key set" "it says the set is there and nothing was loaded"
expect_out "test signature made in the token verified" "the keys already there were checked again"
[ "$(objects "$tok" t 1234)" = 2 ] && ok "still exactly the first two objects" || bad "objects: $(listing)"

load 0 "the same id again with --replace" "$work/k8" --replace
[ "$(objects "$tok" t 1234)" = 2 ] && ok "replaced: still two objects" || bad "objects: $(listing)"

echo "a key set of 20 keys in one session"
"$keygen" -a 13 -n example.net --keys 20 -l zsk -m 2 -N 3 -o "$work/set/out" --shares-out "$work/set/shares" --yes >/dev/null
newtoken
load 0 "load a key set of 20" "$work/set"
[ "$(grep -c 'test signature made in the token verified' "$work/last.log")" = 20 ] &&
	ok "every key of the set was loaded and proven" || bad "set load" "$(cat "$work/last.log")"
[ "$(objects "$tok" t 1234)" = 40 ] && ok "the token holds 20 key pairs" || bad "objects: $(objects "$tok" t 1234)"
listing | grep -q 'label:.*zsk-20' && ok "labels come from the envelope" || bad "labels" "$(listing | grep label | head)"

echo "the same set over 4 parallel sessions (--sessions)"
newtoken
load 0 "load a key set of 20 over --sessions 4" "$work/set" --sessions 4
[ "$(grep -c 'test signature made in the token verified' "$work/last.log")" = 20 ] &&
	ok "every key was loaded and proven" || bad "parallel set load" "$(cat "$work/last.log")"
expect_out "over 4 sessions on parallel threads" "the transcript says how many sessions"
[ "$(objects "$tok" t 1234)" = 40 ] && ok "the token holds 20 key pairs" || bad "objects: $(objects "$tok" t 1234)"
for s in 0 33 x; do
	expect_rc 2 "--sessions $s is a usage error" "$combine" load --envelope "$work/set/out"/*.escrow \
		--module "$module" --token pkcs11:token=t --sessions $s
	expect_out "sessions .$s.: a number of sessions from 1 to 32" "and says the range"
done

echo "escrow-keygen loads the new key at generation"
newtoken
expect_rc 0 "keygen --module --token" "$keygen" -n . -a 8 -m 2 -N 3 -o "$work/gen/out" --shares-out "$work/gen/shares" \
	--yes --module "$module" --token pkcs11:token=t --pin-source "$tok/pin"
expect_out "Fingerprint:" "the ceremony finished"
grep -q "Loaded into token \"t\"" "$work/gen/out"/*-transcript.txt && ok "the transcript records the load" ||
	bad "transcript" "$(cat "$work/gen/out"/*-transcript.txt)"
[ "$(objects "$tok" t 1234)" = 2 ] && ok "the token holds the new key pair" || bad "objects: $(listing)"
expect_rc 1 "keygen with a wrong PIN stops before anything is made" "$keygen" -n . -a 13 -m 2 -N 3 \
	-o "$work/gen2/out" --shares-out "$work/gen2/shares" \
	--yes --module "$module" --token pkcs11:token=t --pin-source "$work/badpin"
expect_out "PIN in --pin-source .*was refused" "it says the PIN source's PIN was refused"
[ ! -e "$work/gen2/out" ] && [ ! -e "$work/gen2/shares" ] && ok "nothing was written" ||
	bad "files after a refused PIN" "$(ls -R "$work/gen2")"
finish
