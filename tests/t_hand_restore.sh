#!/bin/sh
# The hand restore of docs/FORMAT.md, step by step, with nothing but the
# shell, od, dd and the openssl command line (the master secret comes from
# the shares through any SLIP-0039 implementation: here the test helper).
# If this passes, the envelope can be opened without escrow's code.
. "$(dirname "$0")/lib.sh"

"$keygen" -n . -a 13 -m 2 -N 3 -o "$work/out" --shares-out "$work/shares" --yes >/dev/null
E=$(ls "$work/out"/*.escrow)

# 1. the master secret S from two shares (hex)
S=$("$bin/tests/escrow-testhelper" master-secret "$work/shares/share-1-1.txt" "$work/shares/share-1-3.txt")

# 2. the envelope id: bytes 9..24
u8() { od -An -tu1 -j "$1" -N1 "$E" | tr -d ' '; }
u16() { echo $(($(u8 "$1") * 256 + $(u8 $(($1 + 1))))); }
ID=$(od -An -tx1 -j 9 -N 16 "$E" | tr -d ' \n')
[ "$(head -c 8 "$E")" = ESCROWEV ] && [ "$(u8 8)" = 1 ] && ok "magic ESCROWEV, version 1" || bad "magic/version"

# 3. K_wrap and K_mac with HKDF-SHA256 (RFC 5869)
hkdf() { openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt hexkey:"$S" -kdfopt hexsalt:"$ID" \
	-kdfopt info:"$1" HKDF | tr -d ':'; }
KW=$(hkdf "escrow v1 wrap")
KM=$(hkdf "escrow v1 mac")

# 4. the MAC: HMAC-SHA256 with K_mac over everything but the last 32 bytes
n=$(stat -c %s "$E")
head -c $((n - 32)) "$E" >"$work/body"
mac=$(tail -c 32 "$E" | od -An -tx1 | tr -d ' \n' | tr a-f A-F)
ours=$(openssl mac -digest SHA256 -macopt hexkey:"$KM" -in "$work/body" HMAC)
[ "$mac" = "$ours" ] && ok "the MAC checks with openssl mac" || bad "MAC" "envelope: $mac
openssl:  $ours"

# 5. walk the layout to the first key's wrapped private key
G=$(u8 38)
o=$((39 + 2 * G)); C=$(u16 $o)
o=$((o + 2 + 34 * C)); K=$(u16 $o); o=$((o + 2))
o=$((o + 1 + $(u8 $o)))          # label
o=$((o + 1 + $(u8 $o)))          # CKA_ID
o=$((o + 1 + $(u8 $o) + 2 + 1))  # owner, flags, algorithm
o=$((o + 2 + $(u16 $o)))         # public key
wl=$(u16 $o); o=$((o + 2))
[ "$C" = 3 ] && [ "$K" = 1 ] && ok "3 commitments and 1 key, as the layout says" || bad "C=$C K=$K"
dd if="$E" of="$work/wrapped" bs=1 skip=$o count="$wl" 2>/dev/null

# 6. RFC 5649 unwrap with openssl enc, then the PKCS#8 key
if openssl enc -d -id-aes256-wrap-pad -K "$KW" -iv A65959A6 -in "$work/wrapped" -out "$work/key.der" 2>"$work/err"; then
	ok "openssl enc -id-aes256-wrap-pad unwraps the key"
else bad "unwrap" "$(cat "$work/err")"; fi
if openssl pkey -inform DER -in "$work/key.der" -pubout 2>/dev/null | cmp -s - "$work/out"/K*.pem; then
	ok "the private key restored by hand matches the public key"
else bad "the hand-restored key does not match"; fi
finish
