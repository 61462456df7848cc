#!/bin/sh
# make demo: a whole generation and restore ceremony on this machine,
# against throwaway SoftHSM tokens in a temporary directory.
#
#  1. escrow-keygen makes an RSA-2048 KSK for the root, splits its master
#     secret 3-of-5, writes every sheet as PDF, and loads the key into the
#     "production" token at once.
#  2. The sheets are rasterised at 300 dpi, as a scanner would.
#  3. escrow-combine restores from the scans of three share sheets and of
#     the envelope sheets into a second, fresh token (the "new vendor's"
#     HSM), signs the DNSKEY RRset inside it and verifies the signature.
# Everything is removed at the end (KEEP=1 keeps the directory).
set -eu
B=${B:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
bin=$top/$B
work=$(mktemp -d "${TMPDIR:-/tmp}/escrow-demo-XXXXXX")
cleanup() { [ "${KEEP:-0}" = 1 ] && echo "kept $work" || rm -rf "$work"; }
trap cleanup EXIT INT TERM

step() { printf '\n==> %s\n' "$*"; }

module=/usr/lib/softhsm/libsofthsm2.so
export SOFTHSM2_CONF="$work/softhsm2.conf"
mkdir -p "$work/tokens"
printf 'directories.tokendir = %s\nobjectstore.backend = file\n' "$work/tokens" >"$SOFTHSM2_CONF"
softhsm2-util --init-token --free --label production --pin 1234 --so-pin 12345678 >/dev/null
softhsm2-util --init-token --free --label new-vendor --pin 4321 --so-pin 87654321 >/dev/null
printf '1234\n' >"$work/pin-production"
printf '4321\n' >"$work/pin-new-vendor"
chmod 600 "$work/pin-production" "$work/pin-new-vendor"

step "Generation ceremony: RSA-2048 KSK for the root, 3 of 5 shares, PDF sheets, loaded into token 'production'"
"$bin/escrow-keygen" -a RSASHA256 -b 2048 -n . -m 3 -N 5 -o "$work/ceremony" --pdf --yes \
	--module "$module" --token "pkcs11:token=production" --pin-source "$work/pin-production"
ls "$work/ceremony"

step "Scanning the paper: share sheets 1, 3 and 5 and the envelope sheets at 300 dpi"
mkdir -p "$work/scans"
for s in share-1-1 share-1-3 share-1-5 envelope; do
	pdftoppm -r 300 -gray "$work/ceremony/$s.pdf" "$work/scans/$s"
done
ls "$work/scans"

step "A custodian's yearly audit of share sheet 2, alone"
pdftoppm -r 300 -gray "$work/ceremony/share-1-2.pdf" "$work/scans/audit"
"$bin/escrow-combine" audit --envelope "$work/ceremony"/*.escrow "$work/scans/audit-1.pgm" | head -4
rm -f "$work/scans"/audit-*

# the last envelope page holds the typed-text form, which has no QR code
step "Restore ceremony: three scanned shares and the scanned envelope into token 'new-vendor'"
"$bin/escrow-combine" load --yes --module "$module" --token "pkcs11:token=new-vendor" \
	--pin-source "$work/pin-new-vendor" --rrsig-out "$work/dnskey-rrsig.zone" \
	"$work/scans"/share-1-1-*.pgm "$work/scans"/share-1-3-*.pgm \
	"$work/scans"/share-1-5-*.pgm $(ls "$work/scans"/envelope-*.pgm | head -n -1)

step "The DNSKEY RRset signed inside the new token, checked by ldns-verify-zone"
cat "$work/dnskey-rrsig.zone" | cut -c1-100
{
	printf '. 86400 IN SOA a.root-servers.net. nstld.verisign-grs.com. 1 1800 900 604800 86400\n'
	cat "$work/dnskey-rrsig.zone"
} >"$work/verify.zone"
out=$(ldns-verify-zone -V 3 "$work/verify.zone" 2>&1 || true)
# the SOA is unsigned on purpose (it is not ours); any DNSKEY error fails
if printf '%s\n' "$out" | grep -q 'DNSKEY'; then
	printf '%s\n' "$out"
	echo "demo: the RRSIG made in the token does not validate" >&2
	exit 1
fi
echo "ldns-verify-zone: the DNSKEY RRset's RRSIG validates with the restored key"

step "Objects in token 'new-vendor'"
pkcs11-tool --module "$module" --token-label new-vendor --login --pin 4321 --list-objects 2>/dev/null |
	grep -E 'Object|label|ID|Usage|Access'

printf '\nDemo finished: generated, escrowed on paper, scanned back, restored into a new HSM, signed and verified.\n'
