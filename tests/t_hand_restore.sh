#!/bin/sh
# The hand restore of docs/FORMAT.md ("Restoring by hand"), with no program
# or library of this project: the shares are recombined by the npm package
# slip39 (ilap/slip39-js 0.1.9, installed by `make deps` into tests/npm),
# the envelope is rebuilt from its typed text form (as pdftotext reads the
# envelope sheets) with base32 and openssl, the keys are unwrapped with the
# openssl command line, and the DNSKEY key field, key tag and DS digest are
# computed from the PEM with the commands FORMAT.md gives (the envelope
# walked as its step 6 says, for version 2 as escrow-keygen writes it).
# escrow-keygen only makes the ceremonies.  Cases: RSA-2048 2-of-3; P-256 with two
# groups (2 of 3, 1 of 1, both needed) and a passphrase; Ed25519 3-of-5
# with a passphrase.
. "$(dirname "$0")/lib.sh"
slip39=$top/tests/npm/node_modules/slip39
if ! command -v node >/dev/null 2>&1 ||
	! grep -q '"version": "0.1.9"' "$slip39/package.json" 2>/dev/null; then
	echo "t_hand_restore: SKIPPED: the npm package slip39 0.1.9 is not installed" \
		"(make deps installs it; was the npm registry unreachable?)"
	exit 0
fi
for t in pdftotext base32 xxd openssl; do
	command -v "$t" >/dev/null 2>&1 || { echo "t_hand_restore: $t missing (make deps)" >&2; exit 1; }
done

cat >"$work/recover.js" <<'JS'
// node recover.js PASSPHRASE SHAREFILE...: the master secret, as hex
const slip39 = require(process.env.SLIP39_JS);
const fs = require('fs');
const shares = process.argv.slice(3).map(
	(f) => fs.readFileSync(f, 'utf8').trim().split(/\s+/).join(' '));
const s = slip39.recoverSecret(shares, process.argv[2]);
process.stdout.write(Buffer.from(s).toString('hex') + '\n');
JS

# case NAME PASSPHRASE "KEYGEN ARGS" "SHARES"
case_() {
	name=$1 pass=$2 args=$3 shares=$4 mode=${5:-} want_r=${6:-0}
	flag=1; [ -n "$pass" ] || flag=0
	d=$work/$name
	mkdir -p "$d"
	printf '%s\n' "$pass" >"$d/pass"
	# shellcheck disable=SC2086
	"$keygen" $args -n Example.COM -o "$d/out" --shares-out "$d/shares" \
		--passphrase-file "$d/pass" --pdf --yes >"$d/keygen.log" 2>&1 ||
		{ bad "$name: keygen" "$(cat "$d/keygen.log")"; return; }
	if [ "$mode" = reshare ]; then
		# a reshare's envelope: R = 1 replaced set before the key count
		mv "$d/out" "$d/old"; mv "$d/shares" "$d/oldshares"
		"$combine" reshare --envelope "$d/old"/*.escrow --passphrase-file "$d/pass" \
			--new-passphrase-file "$d/pass" -m 2 -N 3 -o "$d/out" --pdf --shares-out "$d/shares" \
			--yes $(for s in $shares; do echo "$d/oldshares/share-$s.txt"; done) >"$d/reshare.log" 2>&1 ||
			{ bad "$name: reshare" "$(cat "$d/reshare.log")"; return; }
		shares="1-1 1-3"
	fi

	# 1. the master secret from the shares, with slip39 from npm
	set --
	for s in $shares; do set -- "$@" "$d/shares/share-$s.txt"; done
	S=$(SLIP39_JS=$slip39 node "$work/recover.js" "$pass" "$@" 2>"$d/err") ||
		{ bad "$name: slip39 (npm) recovers the master secret" "$(cat "$d/err")"; return; }
	[ ${#S} = 64 ] && ok "$name: slip39 (npm) recovers a 32-byte master secret" ||
		bad "$name: master secret" "$S"

	# 2. the envelope from its typed text form (FORMAT.md step 2)
	pdftotext -layout "$d/out/envelope.pdf" "$d/typed.txt"
	E=$d/envelope.escrow
	: >"$E"
	errs=0
	grep -E '^ *[0-9]+ ' "$d/typed.txt" >"$d/lines.txt"
	while read -r num rest; do
		set -- $rest; eval chk=\${$#}
		data=$(echo "$rest" | tr -d ' ' | sed "s/$chk\$//")
		while [ $(( ${#data} % 8 )) -ne 0 ]; do data="$data="; done
		echo "$data" | base32 -d >"$d/line.bin"
		n=$(echo "$num" | sed 's/[:.]$//; s/^0*//')
		want=$( (printf '%04x' "$n" | xxd -r -p; cat "$d/line.bin") |
			openssl dgst -sha256 -binary | head -c 3 | base32 | cut -c1-4)
		[ "$want" = "$chk" ] || errs=$((errs + 1))
		cat "$d/line.bin" >>"$E"
	done <"$d/lines.txt"
	[ "$errs" = 0 ] && [ -s "$E" ] && ok "$name: every typed line passes its check ($(wc -l <"$d/lines.txt") lines)" ||
		bad "$name: $errs typed lines fail their check"
	sha=$(grep -E '^ *SHA256 ' "$d/typed.txt" | sed 's/SHA256//' | tr -d ' \n')
	[ "$(sha256sum "$E" | cut -c1-64 | tr a-f A-F)" = "$sha" ] &&
		ok "$name: the envelope from the typed text matches its SHA256 line" ||
		bad "$name: envelope SHA-256 differs from the SHA256 line"

	# 3-5. envelope id, K_wrap and K_mac, the MAC
	u8() { od -An -tu1 -j "$1" -N1 "$E" | tr -d ' '; }
	u16() { echo $(($(u8 "$1") * 256 + $(u8 $(($1 + 1))))); }
	ID=$(od -An -tx1 -j 9 -N 16 "$E" | tr -d ' \n')
	hkdf() { openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt hexkey:"$S" \
		-kdfopt hexsalt:"$ID" -kdfopt info:"$1" HKDF | tr -d ':'; }
	KW=$(hkdf "escrow v1 wrap")
	KM=$(hkdf "escrow v1 mac")
	len=$(stat -c %s "$E")
	head -c $((len - 32)) "$E" >"$d/body"
	mac=$(tail -c 32 "$E" | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
	ours=$(openssl mac -digest SHA256 -macopt hexkey:"$KM" -in "$d/body" HMAC)
	[ "$mac" = "$ours" ] && ok "$name: the MAC checks with the master secret from npm slip39" ||
		bad "$name: MAC" "envelope: $mac
openssl:  $ours"

	# 6. the first key's wrapped private key (FORMAT.md step 6: in version
	# 2 the passphrase flag and the replaced sets come before the key count)
	V=$(u8 8); G=$(u8 38)
	o=$((39 + 2 * G)); C=$(u16 $o)
	o=$((o + 2 + 34 * C))
	if [ "$V" = 2 ]; then
		[ "$(u8 $o)" = "$flag" ] && ok "$name: version 2: the passphrase flag is $flag" ||
			bad "$name: passphrase flag $(u8 $o), wanted $flag"
		R=$(u8 $((o + 1)))
		[ "$R" = "$want_r" ] && ok "$name: version 2: $R replaced share sets" ||
			bad "$name: $R replaced share sets, wanted $want_r"
		o=$((o + 2 + 34 * R))
	elif [ "$V" != 1 ]; then
		bad "$name: envelope version $V"; return
	fi
	o=$((o + 2))
	o=$((o + 1 + $(u8 $o)))          # label
	o=$((o + 1 + $(u8 $o)))          # CKA_ID
	o=$((o + 1 + $(u8 $o) + 2))      # owner, flags
	alg=$(u8 $o); o=$((o + 1))
	o=$((o + 2 + $(u16 $o)))         # public key
	wl=$(u16 $o); o=$((o + 2))
	dd if="$E" of="$d/wrapped" bs=1 skip=$o count="$wl" 2>/dev/null

	# 7. unwrap (RFC 5649), the public key against the .pem
	if openssl enc -d -id-aes256-wrap-pad -K "$KW" -iv A65959A6 -in "$d/wrapped" \
		-out "$d/key.der" 2>"$d/err"; then
		ok "$name: openssl enc -id-aes256-wrap-pad unwraps the key"
	else bad "$name: unwrap" "$(cat "$d/err")"; return; fi
	openssl pkey -inform DER -in "$d/key.der" -pubout >"$d/restored.pem" 2>/dev/null
	found=""
	for p in "$d/out"/K*.pem; do cmp -s "$d/restored.pem" "$p" && found=$p; done
	[ -n "$found" ] && ok "$name: the private key restored by hand matches $(basename "$found")" ||
		{ bad "$name: the hand-restored key matches no .pem"; return; }
	pem=$found

	# 8. DNSKEY key field, key tag and DS digest from the PEM (FORMAT.md step 8)
	case $alg in
	8) ( printf '03010001'; openssl rsa -pubin -in "$pem" -noout -modulus | cut -d= -f2 ) |
		xxd -r -p >"$d/key.bin" ;;
	13) openssl pkey -pubin -in "$pem" -outform DER | tail -c 64 >"$d/key.bin" ;;
	15) openssl pkey -pubin -in "$pem" -outform DER | tail -c 32 >"$d/key.bin" ;;
	esac
	keyfile=${pem%.pem}.key
	field=$(grep DNSKEY "$keyfile" | awk '{ print $NF }')
	[ "$(base64 -w0 "$d/key.bin")" = "$field" ] &&
		ok "$name: the DNSKEY key field from the PEM is the one in $(basename "$keyfile")" ||
		bad "$name: DNSKEY key field" "from PEM: $(base64 -w0 "$d/key.bin")
.key:     $field"
	( printf '010103%02x' "$alg"; od -An -tx1 -v "$d/key.bin" | tr -d ' \n' ) | xxd -r -p >"$d/rdata.bin"
	tag=$(od -An -tu1 -v "$d/rdata.bin" | tr -s ' ' '\n' | grep . | awk '
		{ ac += (NR % 2 == 1) ? $1 * 256 : $1 }
		END { ac += int(ac / 65536) % 65536; print ac % 65536 }')
	ftag=$(basename "$pem" .pem | sed 's/.*+//; s/^0*//')
	[ "$tag" = "$ftag" ] && ok "$name: the key tag from the PEM ($tag) is the file's" ||
		bad "$name: key tag $tag, file says $ftag"
	owner=Example.COM.
	ds=$( ( echo "$owner" | tr A-Z a-z | sed 's/\.$//' | tr . '\n' | while read -r l; do
			printf '%02x' ${#l}; printf %s "$l" | od -An -tx1 | tr -d ' \n'; done
		printf 00; od -An -tx1 -v "$d/rdata.bin" | tr -d ' \n' ) | xxd -r -p |
		openssl dgst -sha256 | sed 's/.*= //' | tr a-f A-F)
	grep -q " DS $tag $alg 2 $ds\$" "$d/out"/*.ds &&
		ok "$name: the DS digest from the PEM is the one published" ||
		bad "$name: DS" "computed: $ds
published: $(grep " DS $tag " "$d/out"/*.ds)"
}

case_ rsa "" "-a 8 -b 2048 -m 2 -N 3" "1-1 1-3"
case_ p256-groups "correct horse" "-a 13 --group 2/3 --group 1/1 --group-threshold 2" "1-1 1-3 2-1"
case_ ed25519 "TREZOR" "-a 15 -m 3 -N 5" "1-2 1-4 1-5"
case_ ed25519-reshared "TREZOR" "-a 15 -m 2 -N 3" "1-1 1-2" reshare 1
finish
