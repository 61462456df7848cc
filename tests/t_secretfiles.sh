#!/bin/sh
# Secrets given to the tools from outside (issue 14):
#   - a passphrase or PIN file that group or others may read is refused,
#     naming the file and the fix (chmod 600), as ssh refuses such a key;
#     a private one (0600, 0400) is taken;
#   - a PIN in the --token URI (pin-value=, pin-source=) is refused before
#     anything happens (it would sit in argv);
#   - the PIN prompt shows the token URI without its query;
#   - memory that cannot be locked (`ulimit -l 0' as an unprivileged user:
#     root may lock regardless) is warned about once, naming the limit.
. "$(dirname "$0")/lib.sh"

"$keygen" -n . -a 15 -m 2 -N 3 -o "$work/out" --shares-out "$work/sh" --yes >/dev/null
env=$(ls "$work/out"/*.escrow)
s1=$work/sh/share-1-1.txt s2=$work/sh/share-1-2.txt

printf '\n' >"$work/pass"
for mode in 644 640 604 660; do
	chmod "$mode" "$work/pass"
	expect_rc 1 "a passphrase file of mode $mode is refused" \
		"$combine" verify --yes --passphrase-file "$work/pass" --envelope "$env" "$s1" "$s2"
	expect_out "passphrase file .*$work/pass.* accessible by group or others \\(mode 0$mode\\)" \
		"  and the message names the file and its mode"
	expect_out "chmod 600 $work/pass" "  and says how to fix it"
done
for mode in 600 400; do
	chmod "$mode" "$work/pass"
	expect_rc 0 "a passphrase file of mode $mode is taken" \
		"$combine" verify --yes --passphrase-file "$work/pass" --envelope "$env" "$s1" "$s2"
done
chmod 644 "$work/pass"
expect_rc 1 "keygen refuses a passphrase file of mode 644" \
	"$keygen" -n . -a 15 -m 2 -N 3 -o "$work/out2" --shares-out "$work/sh2" --yes --passphrase-file "$work/pass"
[ ! -e "$work/out2" ] || [ -z "$(ls "$work/out2")" ] && ok "  and writes nothing" || bad "  and writes nothing" "$(ls "$work/out2")"

softhsm "$work/hsm" t 1234
export SOFTHSM2_CONF="$work/hsm/softhsm2.conf"
chmod 644 "$work/hsm/pin"
expect_rc 1 "a PIN file of mode 644 is refused" "$combine" load --yes --envelope "$env" \
	--module "$module" --token pkcs11:token=t --pin-source "$work/hsm/pin" "$s1" "$s2"
expect_out "PIN file .*$work/hsm/pin.* accessible by group or others \\(mode 0644\\)" "  and names the PIN file"
[ "$(objects "$work/hsm" t 1234)" = 0 ] && ok "  and loads nothing" || bad "  and loads nothing"
chmod 600 "$work/hsm/pin"
for uri in 'pkcs11:token=t?pin-value=1234' 'pkcs11:token=t?module-name=x&pin-value=1234' \
	'pkcs11:token=t?pin-source=file:/tmp/pin'; do
	expect_rc 2 "keygen refuses --token '$uri'" "$keygen" -n . -a 15 -m 2 -N 3 -o "$work/out3" \
		--shares-out "$work/sh3" --yes --module "$module" --token "$uri" --pin-source "$work/hsm/pin"
	expect_out "URI carries a PIN" "  and says why"
	expect_rc 2 "combine load refuses --token '$uri'" "$combine" load --yes --envelope "$env" \
		--module "$module" --token "$uri" --pin-source "$work/hsm/pin" "$s1" "$s2"
	expect_out "URI carries a PIN" "  and says why"
done
[ "$(objects "$work/hsm" t 1234)" = 0 ] && ok "nothing was loaded with a PIN in the URI" ||
	bad "nothing was loaded with a PIN in the URI"
[ ! -e "$work/out3" ] && ok "keygen wrote nothing" || bad "keygen wrote nothing" "$(ls -R "$work/out3")"

# the PIN prompt, on a terminal: the token without the URI's query
cat >"$work/pin.exp" <<EXP
set timeout 60
log_user 1
spawn $combine load --yes --envelope $env --module $module --token {pkcs11:manufacturer=SoftHSM%20project?slot-id=99999} $s1 $s2
expect -re "User PIN for token (\[^\r\n]*)" { } timeout { exit 31 }
send "1234\r"
expect eof
EXP
set +e
expect -f "$work/pin.exp" >"$work/last.log" 2>&1
set -e
if grep -q "User PIN for token pkcs11:manufacturer=SoftHSM%20project: " "$work/last.log" &&
	! grep -q "User PIN.*slot-id" "$work/last.log"; then
	ok "the PIN prompt shows the token without the URI's query"
else bad "the PIN prompt shows the token without the URI's query" "$(cat "$work/last.log")"; fi

# mlock: root may lock beyond the limit; nobody may not.  AddressSanitizer
# replaces mlock() with a no-op that succeeds: nothing to see there.
if grep -q __asan_init "$bin/escrow-combine"; then
	echo "  SKIP the mlock checks (an AddressSanitizer build: mlock is a no-op there)"
elif [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	mkdir "$work/nb"; chmod 755 "$work" "$work/sh" "$work/out"; chmod 644 "$env" "$s1" "$s2"
	chown 65534:65534 "$work/nb"
	expect_rc 0 "verify as nobody with ulimit -l 0 works" setpriv --reuid=65534 --regid=65534 \
		--clear-groups sh -c "ulimit -l 0 && exec '$combine' verify --yes --envelope '$env' '$s1' '$s2'"
	expect_out "secret memory could not be locked.*ulimit -l.*is 0 KB" "  and warns that memory is not locked, naming the limit"
	n=$(grep -c "could not be locked" "$work/last.log" || true)
	[ "$n" = 1 ] && ok "  once" || bad "  once ($n times)" "$(cat "$work/last.log")"
	expect_rc 0 "keygen as nobody with ulimit -l 0 works" setpriv --reuid=65534 --regid=65534 \
		--clear-groups sh -c "ulimit -l 0 && exec '$keygen' -n . -a 15 -m 2 -N 3 -o '$work/nb/o' --shares-out '$work/nb/s' --yes"
	expect_out "secret memory could not be locked" "  and warns"
	n=$(grep -c "could not be locked" "$work/last.log" || true)
	[ "$n" = 1 ] && ok "  once" || bad "  once ($n times)" "$(cat "$work/last.log")"
	# must not warn with the usual limit (the hard limit, 8 MB on Debian)
	expect_rc 0 "verify as nobody with ulimit -l at its hard limit" setpriv --reuid=65534 --regid=65534 \
		--clear-groups sh -c "ulimit -l \$(ulimit -H -l) && exec '$combine' verify --yes --envelope '$env' '$s1' '$s2'"
	if grep -q "could not be locked" "$work/last.log"; then bad "  does not warn" "$(cat "$work/last.log")"
	else ok "  does not warn"; fi
else
	echo "  SKIP the mlock checks (need root and setpriv to become nobody)"
fi

finish
