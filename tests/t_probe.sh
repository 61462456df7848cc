#!/bin/sh
# escrow-combine probe against real SoftHSM: a verdict for every
# algorithm (and for an envelope's keys) that leaves the token as it
# was; a forced strategy the token lacks names the call and CKR_; a wrong
# PIN typed at a pseudo-terminal is asked again with the PIN state shown,
# a wrong PIN from --pin-source fails at once naming the file; a URI with
# a space is refused with the %20 hint; a module whose C_Initialize says
# CKR_ARGUMENTS_BAD (SoftHSM given init arguments, and the fault-injection
# module) gets the init-arguments hint; usage errors exit 2.
. "$(dirname "$0")/lib.sh"

tok=$work/tok
softhsm "$tok" t 1234
export SOFTHSM2_CONF="$tok/softhsm2.conf"
fi=$bin/tests/fi/libescrow-fi.so
probe() { # WANT NAME ARGS...
	want=$1 name=$2; shift 2
	expect_rc "$want" "$name" "$combine" probe "$@"
}

echo "a verdict for every algorithm"
probe 0 "probe every algorithm on SoftHSM" --module "$module" --token pkcs11:token=t \
	--pin-source "$tok/pin" -a 8 -a RSASHA512 -a 13 -a 14 -a ED25519 -a 16
for a in RSASHA256 RSASHA512 ECDSAP256SHA256 ECDSAP384SHA384; do
	expect_out "^verdict $a: loads by unwrap \(CKM_AES_KEY_WRAP_PAD\), the private key is never in plaintext on this host" \
		"$a: unwrap, never in plaintext on the host"
done
for a in ED25519 ED448; do
	expect_out "^verdict $a: loads by create, the private key IS IN PLAINTEXT ON THIS HOST" "$a: create, plaintext on the host said"
done
expect_out "RSASHA512: .*signs with CKM_SHA512_RSA_PKCS" "the signature mechanism is named"
expect_out "^verdict ED25519: .*not unwrapped in the token: C_UnwrapKey returned CKR_FUNCTION_FAILED" "why create: the token's unwrap refused"
expect_out "token set SIGN=1 DECRYPT=0 UNWRAP=0 DERIVE=0 SIGN_RECOVER=0 .*SENSITIVE=1 EXTRACTABLE=0 TOKEN=1 PRIVATE=1" "what the token set is shown"
expect_out "^  \* slot [0-9]+: \"t\" \(SoftHSM project" "the tokens are listed, the chosen one marked"
expect_out "^mechanisms \([0-9]+\):" "the mechanisms are listed"
expect_out "CKM_AES_KEY_WRAP_PAD" "mechanism names"
[ "$(objects "$tok" t 1234)" = 0 ] && ok "the token holds nothing afterwards" || bad "objects left by the probe"

echo "the key types of an envelope"
"$keygen" -a 13 -n example.com. -m 2 -N 3 -o "$work/k13" --shares-out "$work/k13s" --yes >/dev/null
probe 0 "probe --envelope" --module "$module" --token pkcs11:token=t --pin-source "$tok/pin" \
	--envelope "$work/k13"/*.escrow
expect_out "^verdict ECDSAP256SHA256: loads by unwrap" "the envelope's key type is probed"
[ "$(grep -c '^verdict' "$work/last.log")" = 1 ] && ok "one verdict for one key type" || bad "verdict count" "$(cat "$work/last.log")"

echo "a key type that cannot go in"
probe 1 "forced unwrap of Ed25519 (SoftHSM cannot)" --module "$module" --token pkcs11:token=t \
	--pin-source "$tok/pin" --strategy unwrap -a 15 -a 13
expect_out "^verdict ED25519: CANNOT load \(strategy unwrap\): C_UnwrapKey returned CKR_FUNCTION_FAILED" "the call and the CKR_ are named"
expect_out "^verdict ECDSAP256SHA256: loads by unwrap" "the other key type still gets its verdict"
[ "$(objects "$tok" t 1234)" = 0 ] && ok "nothing left after the failed verdict" || bad "objects left"

echo "the module named in the URI"
probe 0 "module-path= in the URI, no --module" --token "pkcs11:token=t?module-path=$module" \
	--pin-source "$tok/pin" -a 13
expect_out "^verdict ECDSAP256SHA256: loads" "the URI's module is used"

echo "PIN"
printf '9999\n' >"$work/wrongpin"
chmod 600 "$work/wrongpin"
probe 1 "a wrong PIN from --pin-source fails at once" --module "$module" --token pkcs11:token=t \
	--pin-source "$work/wrongpin" -a 13
expect_out "C_Login returned CKR_PIN_INCORRECT" "CKR_PIN_INCORRECT said"
expect_out "the PIN in --pin-source .$work/wrongpin. was refused" "the PIN source is named"
cat >"$work/pin.exp" <<EXP
set timeout 30
log_user 1
spawn $combine probe --module $module --token pkcs11:token=t -a 13
expect "User PIN for token \"t\":" { } timeout { exit 11 }
send "0000\r"
expect "C_Login returned CKR_PIN_INCORRECT: token" { } timeout { exit 16 }
expect "refused the user PIN (PIN state now: " { } timeout { exit 12 }
expect "try 2 of 3" { } timeout { exit 15 }
expect "User PIN for token \"t\":" { } timeout { exit 13 }
send "1234\r"
expect "verdict ECDSAP256SHA256: loads" { } timeout { exit 14 }
expect eof
catch wait result
exit [lindex \$result 3]
EXP
expect_rc 0 "a wrong PIN at the terminal is asked again, the right one taken" expect -f "$work/pin.exp"
cat >"$work/pin3.exp" <<EXP
set timeout 30
log_user 1
spawn $combine probe --module $module --token pkcs11:token=t -a 13
for {set i 1} {\$i <= 3} {incr i} {
	expect "User PIN for token \"t\":" { } timeout { exit 20 }
	send "0000\r"
}
expect "C_Login returned CKR_PIN_INCORRECT" { } timeout { exit 21 }
expect eof
catch wait result
exit [lindex \$result 3]
EXP
expect_rc 1 "three wrong PINs end the run (exit 1)" expect -f "$work/pin3.exp"
if grep -q "User PIN for token" "$work/last.log" && [ "$(grep -c 'User PIN for token' "$work/last.log")" = 3 ]; then
	ok "asked exactly three times"; else bad "PIN prompts" "$(cat "$work/last.log")"; fi
softhsm "$work/tok2" t 1234   # the wrong tries above count against the PIN
export SOFTHSM2_CONF="$work/tok2/softhsm2.conf"

echo "URI and module initialisation"
probe 1 "a URI with an unescaped space" --module "$module" --token "pkcs11:token=KSK HSM" \
	--pin-source "$tok/pin" -a 13
expect_out "unescaped space at character 17: a PKCS#11 URI \(RFC 7512\) writes a space as %20" "the %20 hint"
probe 1 "init arguments SoftHSM does not take" --module "$module" --module-init-args "configdir='x'" \
	--token pkcs11:token=t --pin-source "$tok/pin" -a 13
expect_out "C_Initialize returned CKR_ARGUMENTS_BAD: .*with the arguments given.*--module-init-args" "the init-arguments hint"
ESCROW_FI_FUNC=C_Initialize ESCROW_FI_RV=0x7 \
	expect_rc 1 "a module whose C_Initialize says CKR_ARGUMENTS_BAD" "$combine" probe --module "$fi" \
	--token pkcs11:token=t --pin-source "$tok/pin" -a 13
expect_out "without arguments: it probably wants initialisation arguments .*--module-init-args .*x-init-reserved" "hint: init args and p11-kit registration"

echo "usage"
probe 2 "neither --envelope nor -a" --module "$module" --token pkcs11:token=t
probe 2 "an unknown algorithm" --module "$module" --token pkcs11:token=t -a 7
probe 2 "no --token" --module "$module" -a 13
probe 2 "--token without a module" --token pkcs11:token=t -a 13
expect_rc 0 "probe --help" "$combine" probe --help
expect_out "^usage: escrow-combine probe" "probe's own usage"
finish
