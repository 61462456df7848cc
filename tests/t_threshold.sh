#!/bin/sh
# t_threshold.sh - threshold RSA end to end: escrow-keygen --threshold deals
# a 2-of-3 RSA-2048 key with PDF sheets; custodians 1 and 3 each sign IANA's
# real root KSR (tests/vectors/kskm/ksr-root-2017-q2-0.xml) from their share
# sheet rasterised with pdftoppm, as a scanner would; anyone assembles the
# SKR of 9 bundles; every RRSIG in it is checked by ldns-verify-zone (an
# independent validator) against the bundle's DNSKEY RRset; one partial
# alone, a tampered partial, a foreign one and a duplicate are refused and
# named; one sheet is audited alone; a zone-file request is answered too.
. "$(dirname "$0")/lib.sh"

for t in pdftoppm ldns-verify-zone xmllint; do
	command -v $t >/dev/null 2>&1 || { echo "t_threshold: $t missing (make deps)" >&2; exit 1; }
done
# Dealing safe primes under valgrind takes the better part of an hour: with
# ESCROW_WRAP set, escrow-keygen runs unwrapped here (check_thresh deals
# under valgrind with small keys); every escrow-combine step stays wrapped.
deal=$keygen
[ -z "${ESCROW_WRAP:-}" ] || deal=$bin/escrow-keygen
ksr=$top/tests/vectors/kskm/ksr-root-2017-q2-0.xml
rng=$top/ksr/ksr.rng
mkdir -m 700 "$work/out" "$work/shares" "$work/other"

expect_rc 0 "keygen --threshold deals 2 of 3, RSA-2048, with PDF sheets" \
	"$deal" --threshold -a 8 -b 2048 -m 2 -N 3 -n . -o "$work/out" --pdf \
	--shares-out "$work/shares" --yes
params=$(ls "$work"/out/K.+008+*-threshold-params.txt)
keyfile=$(ls "$work"/out/K.+008+*.key)
for i in 1 2 3; do
	[ -s "$work/out/thresh-share-$i.pdf" ] && ok "share sheet $i written" || bad "no share sheet $i"
done
[ -s "$work/out/threshold-params.pdf" ] && ok "parameters sheet written" || bad "no parameters sheet"
[ -s "$work/out/public.pdf" ] && ok "public-record sheet written" || bad "no public-record sheet"
for f in "$keyfile" "$work"/out/K.+008+*.ds "$work"/out/K.+008+*-trust-anchor.xml "$work"/out/K.+008+*.pem; do
	[ -s "$f" ] && ok "public record $(basename "$f")" || bad "missing public record $f"
done
tag=$(basename "$keyfile" .key | sed 's/.*+//; s/^0*//')

# the sheets as a scanner delivers them
for i in 1 3; do
	pdftoppm -r 200 -gray -png "$work/out/thresh-share-$i.pdf" "$work/scan-$i"
done

expect_rc 0 "audit: scanned sheet 3 matches its verification key" \
	"$combine" audit --params "$params" "$work"/scan-3-1.png
expect_out "share 3 of 3 .*key tag $tag" "audit names custodian 3 and the key tag"

expect_rc 0 "partial by custodian 1 from the scan of sheet 1" \
	"$combine" partial --share "$work"/scan-1-1.png --params "$params" \
	--request "$ksr" -o "$work/p1.txt" --yes
expect_out "9 bundles" "partial shows the request's 9 bundles"
expect_out "ZSK 14796 61045" "partial shows the ZSK key tags of a bundle"
expect_out "Period: 2017-04-01T00:00:00\+00:00 .. 2017-07-11T00:00:00\+00:00" "partial shows the period"
expect_rc 0 "partial by custodian 3 from the scan of sheet 3" \
	"$combine" partial --share "$work"/scan-3-1.png --params "$params" \
	--request "$ksr" -o "$work/p3.txt" --yes
expect_rc 1 "partial without --yes and no terminal signs nothing" \
	"$combine" partial --share "$work/shares/thresh-share-2.txt" --params "$params" \
	--request "$ksr" -o "$work/p2.txt"
[ ! -e "$work/p2.txt" ] && ok "no partial file left" || bad "a partial was written without consent"

expect_rc 1 "one partial alone is refused" \
	"$combine" assemble --params "$params" --request "$ksr" "$work/p1.txt" -o "$work/one.xml"
expect_out "1 more needed" "the refusal says how many more are needed"
[ ! -e "$work/one.xml" ] && ok "no SKR from one partial" || bad "an SKR from one partial"

# a tampered partial: one hex digit of x_i changed in bundle 4
awk 'BEGIN{n=0} /^xi /{n++; if(n==4){c=substr($2,10,1); r=(c=="0")?"1":"0"; $2=substr($2,1,9) r substr($2,11)}} {print}' \
	"$work/p3.txt" >"$work/p3-tampered.txt"
cmp -s "$work/p3.txt" "$work/p3-tampered.txt" && bad "tampering did not change the file" || true
expect_rc 1 "tampered partial refused" \
	"$combine" assemble --params "$params" --request "$ksr" "$work/p1.txt" \
	"$work/p3-tampered.txt" -o "$work/bad.xml"
expect_out "p3-tampered.txt' \(custodian 3\), bundle 4: .*proof" "the tampered partial and its custodian are named"
expect_rc 1 "a duplicate partial does not count twice" \
	"$combine" assemble --params "$params" --request "$ksr" "$work/p1.txt" \
	"$work/p1.txt" -o "$work/dup.xml"
expect_out "duplicate: custodian 1" "the duplicate is named"

# a partial for another key
expect_rc 0 "a second key dealt (the foreign one)" \
	"$deal" --threshold -b 2048 -m 2 -N 3 -n . -o "$work/other" --shares-out "$work/other/s" --yes
oparams=$(ls "$work"/other/K.+008+*-threshold-params.txt)
expect_rc 0 "partial with the other key's share" \
	"$combine" partial --share "$work/other/s/thresh-share-2.txt" --params "$oparams" \
	--request "$ksr" -o "$work/foreign.txt" --yes
expect_rc 1 "a share of the other key is refused against these parameters" \
	"$combine" partial --share "$work/other/s/thresh-share-2.txt" --params "$params" \
	--request "$ksr" -o "$work/x.txt" --yes
expect_out "belongs to another key" "the foreign share is named"
expect_rc 1 "assemble with a foreign partial lacks one" \
	"$combine" assemble --params "$params" --request "$ksr" "$work/p1.txt" \
	"$work/foreign.txt" -o "$work/f.xml"
expect_out "foreign.txt' \(custodian 2\) is foreign" "the foreign partial is named"

expect_rc 0 "assemble from custodians 1 and 3 (with the tampered one given too)" \
	"$combine" assemble --params "$params" --request "$ksr" "$work/p3-tampered.txt" \
	"$work/p1.txt" "$work/p3.txt" -o "$work/skr.xml"
expect_out "custodians 1 3; every signature verifies" "assemble checked every signature"

if xmllint --noout --relaxng "$rng" "$work/skr.xml" 2>"$work/xmllint.log"; then
	ok "the SKR is valid against the KSR schema (xmllint)"
else bad "the SKR is not schema-valid" "$(cat "$work/xmllint.log")"; fi
nb=$(xmllint --xpath 'count(//ResponseBundle)' "$work/skr.xml")
[ "$nb" = 9 ] && ok "the SKR has 9 bundles" || bad "the SKR has $nb bundles"

# every bundle: its DNSKEY RRset and RRSIG as a zone, validated by ldns at
# a time inside the bundle's validity
x() { xmllint --xpath "string($1)" "$work/skr.xml"; }
t14() { echo "$1" | sed 's/+00:00$//; s/[-T:]//g'; }
good=0
for b in $(seq 1 "$nb"); do
	z=$work/bundle-$b.zone
	p="//ResponseBundle[$b]"
	echo ". 86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. 1 1800 900 604800 86400" >"$z"
	nk=$(xmllint --xpath "count($p/Key)" "$work/skr.xml")
	for k in $(seq 1 "$nk"); do
		echo ". $(x "$p/Key[$k]/TTL") IN DNSKEY $(x "$p/Key[$k]/Flags") $(x "$p/Key[$k]/Protocol") $(x "$p/Key[$k]/Algorithm") $(x "$p/Key[$k]/PublicKey")" >>"$z"
	done
	s="$p/Signature"
	echo ". $(x "$s/TTL") IN RRSIG DNSKEY $(x "$s/Algorithm") $(x "$s/Labels") $(x "$s/OriginalTTL") $(t14 "$(x "$s/SignatureExpiration")") $(t14 "$(x "$s/SignatureInception")") $(x "$s/KeyTag") $(x "$s/SignersName") $(x "$s/SignatureData")" >>"$z"
	when=$(t14 "$(x "$s/SignatureInception")" | sed 's/......$/120000/')
	set +e
	ldns-verify-zone -V 3 -t "$when" "$z" >"$work/ldns-$b.log" 2>&1
	set -e
	# the SOA is unsigned on purpose: its complaint proves the checker ran
	if grep -q "no signatures for .*SOA" "$work/ldns-$b.log" &&
		! grep -qi "DNSKEY" "$work/ldns-$b.log"; then good=$((good + 1))
	else bad "bundle $b: ldns-verify-zone" "$(cat "$work/ldns-$b.log")"; fi
done
[ "$good" = 9 ] && ok "ldns-verify-zone validates all 9 RRSIGs" || bad "only $good of 9 RRSIGs validate"
# and it can fail: one character of the signature changed is bogus
awk '/RRSIG/ { c = substr($NF, 20, 1); $NF = substr($NF, 1, 19) (c == "A" ? "B" : "A") substr($NF, 21) } { print }' \
	"$work/bundle-1.zone" >"$work/bogus.zone"
set +e
ldns-verify-zone -V 3 -t "$(t14 "$(x '//ResponseBundle[1]/Signature/SignatureInception')" | sed 's/......$/120000/')" \
	"$work/bogus.zone" >"$work/ldns-bogus.log" 2>&1
set -e
grep -q "Bogus DNSSEC signature" "$work/ldns-bogus.log" && ok "ldns-verify-zone rejects a changed signature" \
	|| bad "a changed signature was not found bogus" "$(cat "$work/ldns-bogus.log")"

# same bundles, ids, times and ZSKs as IANA's own SKR for this KSR
iana=$top/tests/vectors/kskm/skr-root-2017-q2-0.xml
same=0
for b in $(seq 1 9); do
	for f in "@id" Inception Expiration Signature/SignatureInception Signature/SignatureExpiration Signature/Labels Signature/OriginalTTL Signature/TTL; do
		a=$(xmllint --xpath "string(//ResponseBundle[$b]/$f)" "$work/skr.xml")
		c=$(xmllint --xpath "string(//ResponseBundle[$b]/$f)" "$iana")
		[ "$a" = "$c" ] || bad "bundle $b $f: ours $a, IANA's $c"
	done
	a=$(xmllint --xpath "//ResponseBundle[$b]/Key[Flags=256]/PublicKey/text()" "$work/skr.xml" | sort)
	c=$(xmllint --xpath "//ResponseBundle[$b]/Key[Flags=256]/PublicKey/text()" "$iana" | sort)
	[ "$a" = "$c" ] && same=$((same + 1)) || bad "bundle $b: ZSKs differ from IANA's"
done
[ "$same" = 9 ] && ok "bundles, ids, times, signature fields and ZSKs as in IANA's SKR" || true

# a zone-file request for the same key
{
	echo "; inception 20260101000000"
	echo "; expiration 20260122000000"
	xmllint --xpath "//ResponseBundle[1]/Key[Flags=256]" "$work/skr.xml" >/dev/null
	echo ". 172800 IN DNSKEY 256 3 8 $(xmllint --xpath 'string(//ResponseBundle[1]/Key[Flags=256][1]/PublicKey)' "$work/skr.xml")"
} >"$work/request.zone"
expect_rc 0 "zone-file request: partial 2" "$combine" partial --share "$work/shares/thresh-share-2.txt" \
	--params "$params" --request "$work/request.zone" -o "$work/z2.txt" --yes
expect_rc 0 "zone-file request: partial 3" "$combine" partial --share "$work/shares/thresh-share-3.txt" \
	--params "$params" --request "$work/request.zone" -o "$work/z3.txt" --yes
expect_rc 0 "zone-file request: assemble" "$combine" assemble --params "$params" \
	--request "$work/request.zone" "$work/z2.txt" "$work/z3.txt" -o "$work/answer.zone"
{ echo ". 86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. 1 1800 900 604800 86400"; cat "$work/answer.zone"; } >"$work/answer-soa.zone"
set +e
ldns-verify-zone -V 3 -t 20260110000000 "$work/answer-soa.zone" >"$work/ldns-z.log" 2>&1
set -e
if grep -q "no signatures for .*SOA" "$work/ldns-z.log" && ! grep -qi "DNSKEY" "$work/ldns-z.log"; then
	ok "ldns-verify-zone validates the zone-file answer"
else bad "zone-file answer does not validate" "$(cat "$work/ldns-z.log")"; fi

# a partial onto a disk too small for it: refused before the custodian is
# asked to sign; a threshold dealing likewise, before its safe primes are
# searched (root: a small tmpfs; otherwise not checked)
mkdir -p "$work/small"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=8k,mode=0700 tmpfs "$work/small" 2>/dev/null; then
	trap 'umount "$work/small" 2>/dev/null || true; rm -rf "$work"' EXIT INT TERM
	expect_rc 1 "partial onto a full disk is refused" \
		"$combine" partial --share "$work/shares/thresh-share-2.txt" --params "$params" \
		--request "$ksr" -o "$work/small/p2.txt"
	expect_out "not enough free space for this run in .$work/small': 8192 bytes free, about [0-9]+ KB needed \\(the partial signatures\\)" \
		"it names the directory, what is free and what is needed"
	grep -q "Sign every bundle" "$work/last.log" && bad "the custodian was asked first" ||
		ok "before the custodian is asked to sign"
	expect_rc 1 "keygen --threshold onto a full disk is refused" \
		"$deal" --threshold -a 8 -b 2048 -m 2 -N 3 -n . -o "$work/small/deal" --pdf --yes
	expect_out "not enough free space for this run in .$work/small/deal': 8192 bytes free, about [0-9.]+ [KM]B needed \\(the public records, the public parameters, the transcript, 5 PDF sheets\\)" \
		"it names the directory, what is free and what the dealing writes"
	grep -q "dealing a" "$work/last.log" && bad "it started dealing first" ||
		ok "before the dealing starts (no safe prime searched)"
	[ ! -e "$work/small/deal" ] && ok "and writes nothing" || bad "the dealer wrote $(ls "$work/small/deal")"
	umount "$work/small"
else
	echo "  (not root: the full-disk check of partial is not tested)"
fi

finish
