#!/bin/sh
# No secret in any file a ceremony writes (other than those the operator
# asked for: --shares-out files and --pdf share sheets), nor on stdout or
# stderr: the master secret, every share and the private key are searched
# for, raw and in their encodings.
. "$(dirname "$0")/lib.sh"
helper=$bin/tests/escrow-testhelper
logs=$work/logs
mkdir -p "$logs"

softhsm "$work/hsm" prod 1234
softhsm "$work/hsm2" second 1234
printf 'correct horse\n' >"$work/pass"
chmod 600 "$work/pass"

SOFTHSM2_CONF=$work/hsm/softhsm2.conf expect_rc 0 "keygen 3-of-5 with PDF sheets, loaded into SoftHSM" \
	"$keygen" -n . -a 13 -m 3 -N 5 -o "$work/cer" --shares-out "$work/shares" --pdf \
	--passphrase-file "$work/pass" --yes --module "$module" --token pkcs11:token=prod \
	--pin-source "$work/hsm/pin"
cp "$work/last.log" "$logs/keygen"
env=$(ls "$work/cer"/*.escrow)
s1=$work/shares/share-1-1.txt s2=$work/shares/share-1-2.txt s4=$work/shares/share-1-4.txt

expect_rc 0 "verify" "$combine" verify --yes --passphrase-file "$work/pass" --envelope "$env" "$s1" "$s2" "$s4"
cp "$work/last.log" "$logs/verify"
SOFTHSM2_CONF=$work/hsm2/softhsm2.conf expect_rc 0 "load into a second token" "$combine" load --yes \
	--passphrase-file "$work/pass" --envelope "$env" --module "$module" --token pkcs11:token=second \
	--pin-source "$work/hsm2/pin" "$s1" "$s2" "$s4"
cp "$work/last.log" "$logs/load"
expect_rc 0 "inspect and audit" "$combine" inspect "$env" "$s1"
cp "$work/last.log" "$logs/inspect"
expect_rc 0 "audit" "$combine" audit --yes --envelope "$env" "$s2"
cp "$work/last.log" "$logs/audit"
expect_rc 0 "reshare 2-of-3" "$combine" reshare --yes --passphrase-file "$work/pass" --envelope "$env" \
	-m 2 -N 3 -o "$work/reshare" --pdf "$s1" "$s2" "$s4"
cp "$work/last.log" "$logs/reshare"

# the secrets themselves, known only to this test
S=$("$helper" master-secret -p "correct horse" "$s1" "$s2" "$s4")
[ ${#S} = 64 ] && ok "the test recovered the master secret" || bad "no master secret: $S"
expect_rc 0 "export the key for the search" "$combine" export --yes --passphrase-file "$work/pass" \
	--envelope "$env" --format pem -o "$work/private.pem" --i-understand-this-writes-a-private-key "$s1" "$s2" "$s4"
cp "$work/last.log" "$logs/export"
openssl pkey -in "$work/private.pem" -outform DER -out "$work/private.der"
D=$(od -An -v -tx1 "$work/private.der" | tr -d ' \n')
scalar=$(openssl pkey -in "$work/private.pem" -text -noout | sed -n '/priv:/,/pub:/p' | grep -v 'priv:\|pub:' | tr -d ' :\n')

# Where to look: everything the tools wrote but what was asked for
# (share files, share sheets) and the exported key itself.
files=$(find "$work/cer" "$work/reshare" "$logs" -type f ! -name 'share-*.pdf')
echo "searching $(echo "$files" | wc -l) files"

search_bytes() { # NAME HEX
	if hit=$("$helper" find "$2" $files); then bad "$1 found" "$hit"; else ok "$1 not found"; fi
}
search_text() { # NAME TEXT
	if hit=$(grep -rlF -- "$2" $files); then bad "$1 found" "$hit"; else ok "$1 not found"; fi
}
search_bytes "the master secret (raw)" "$S"
search_text "the master secret (hex)" "$S"
search_text "the master secret (HEX)" "$(printf %s "$S" | tr a-f A-F)"
search_text "the master secret (base64)" "$(printf %s "$S" | tr a-f A-F | basenc --base16 -d | base64 -w0)"
search_bytes "the private key (PKCS#8 DER)" "$D"
search_text "the private key (PKCS#8 PEM)" "$(sed -n 2p "$work/private.pem")"
search_text "the private key (hex)" "$D"
search_bytes "the private scalar (raw)" "$scalar"
search_text "the private scalar (hex)" "$scalar"
for f in "$work/shares"/*.txt; do
	m=$(cat "$f")
	middle=$(echo "$m" | cut -d' ' -f5-12)
	search_text "share $(basename "$f") (words)" "$middle"
	search_text "share $(basename "$f") (WORDS)" "$(echo "$middle" | tr a-z A-Z)"
	search_text "share $(basename "$f") (whole)" "$m"
done
search_text "the passphrase" "correct horse"

# modes: secret files the operator asked for are 0600
for f in "$work/shares"/*.txt "$work/cer"/share-*.pdf; do
	[ "$(stat -c %a "$f")" = 600 ] || bad "$f is mode $(stat -c %a "$f")"
done
ok "share files and share sheets are mode 0600"
finish
