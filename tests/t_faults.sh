#!/bin/sh
# Fault injection: a key-set load (two keys) through tests/fi, a PKCS#11
# module that forwards to SoftHSM and fails one chosen call.  A clean run
# lists every call; then the load is repeated with a failure injected at
# each call in turn.  Each time the result must be one of:
#   - a failure (exit 1) whose message names the failed function and its
#     CKR_ code, with no object left in the token; or
#   - a success (exit 0) with both keys fully loaded: a failure the tool
#     may survive (a capability probe that falls back to another way in,
#     the logout/close/finalize after the keys are in, the removal of a
#     session object that vanishes with the session anyway).
# Calls whose failure must not be survived are listed in $must_fail.
# The rollback itself cannot always succeed: when C_DestroyObject fails
# while undoing a half-done load, objects stay behind; then the message
# must say so and name each object left (its handle and CKA_ID), and the
# token must hold exactly those.
. "$(dirname "$0")/lib.sh"
fi=$bin/tests/fi/libescrow-fi.so
[ -f "$fi" ] || { echo "t_faults: $fi not built"; exit 1; }

"$keygen" -n . -a 13 --keys 2 -m 2 -N 3 -o "$work/ks" --shares-out "$work/sh" --yes >/dev/null
env=$(ls "$work/ks"/*.escrow)
softhsm "$work/clean" t 1234

fresh() { rm -rf "$work/tok"; cp -r "$work/clean" "$work/tok"
	sed -i "s|$work/clean|$work/tok|" "$work/tok/softhsm2.conf"; }
tokobjects() { SOFTHSM2_CONF=$work/tok/softhsm2.conf objects "$work/tok" t 1234; }
run_load() { # [VAR=VALUE ...] [-- LOAD-OPTIONS ...]
	vars="" opts=""
	while [ $# -gt 0 ] && [ "$1" != -- ]; do vars="$vars $1"; shift; done
	[ $# -gt 0 ] && shift && opts="$*"
	set +e
	# shellcheck disable=SC2086 # word splitting wanted: no spaces in these
	env SOFTHSM2_CONF="$work/tok/softhsm2.conf" $vars "$combine" load --yes --envelope "$env" \
		--module "$fi" --token pkcs11:token=t --pin-source "$work/tok/pin" $opts \
		"$work/sh/share-1-1.txt" "$work/sh/share-1-2.txt" >"$work/last.log" 2>&1
	rc=$?
	set -e
}

# the calls a load cannot survive: it needs every one of them to succeed
must_fail="C_Initialize C_GetSlotList C_OpenSession C_Login C_FindObjectsInit C_FindObjects C_SignInit C_Sign"

# inject STRATEGY EXTRA-MUST-FAIL: a clean run listing the calls, then a
# failure at each call in turn
inject() {
	strategy=$1 must="$must_fail $2"
	fresh
	run_load ESCROW_FI_LOG="$work/calls-$strategy" -- --strategy "$strategy"
	[ "$rc" = 0 ] && [ "$(tokobjects)" = 4 ] && ok "$strategy: a clean load through the module: 4 objects" ||
		bad "$strategy: clean load (exit $rc, $(tokobjects) objects)" "$(cat "$work/last.log")"
	ncalls=$(wc -l <"$work/calls-$strategy")
	[ "$ncalls" -gt 20 ] && ok "$strategy: the module counted $ncalls calls" || bad "$strategy: only $ncalls calls counted"
	survived=0 failed_clean=0 survivors=
	# under valgrind (ESCROW_WRAP) every run takes seconds: every 4th call
	# there (the plain and sanitizer builds take them all)
	step=1
	[ -z "${ESCROW_WRAP:-}" ] || step=4
	awk -v s="$step" '(NR - 1) % s == 0' "$work/calls-$strategy" >"$work/inject-$strategy"
	ninject=$(wc -l <"$work/inject-$strategy")
	while read -r fn count; do
		fresh
		run_load ESCROW_FI_FUNC="$fn" ESCROW_FI_COUNT="$count" ESCROW_FI_RV=CKR_DEVICE_ERROR -- --strategy "$strategy"
		left=$(tokobjects)
		what="$strategy: $fn call $count fails"
		if [ "$rc" = 1 ]; then
			if ! grep -q "$fn returned CKR_DEVICE_ERROR" "$work/last.log"; then
				bad "$what: the error does not name $fn and CKR_DEVICE_ERROR" "$(cat "$work/last.log")"
			elif [ "$left" != 0 ]; then
				bad "$what: $left objects left in the token" "$(cat "$work/last.log")"
			else
				failed_clean=$((failed_clean + 1))
			fi
		elif [ "$rc" = 0 ]; then
			case " $must " in
			*" $fn "*) bad "$what: the load claims success" "$(cat "$work/last.log")" ;;
			*) if [ "$left" = 4 ] && grep -q 'test signature made in the token verified' "$work/last.log"; then
				survived=$((survived + 1)) survivors="$survivors $fn:$count"
			   else
				bad "$what: success with $left objects" "$(cat "$work/last.log")"
			   fi ;;
			esac
		else
			bad "$what: exit $rc" "$(cat "$work/last.log")"
		fi
	done <"$work/inject-$strategy"
	ok "$strategy: $ninject injections (of $ncalls calls): $failed_clean clean failures naming the call, $survived survived with both keys loaded"
	echo "       survived:$survivors"
	[ "$failed_clean" -gt $((10 / step)) ] && ok "$strategy: most injected failures fail the load" ||
		bad "$strategy: only $failed_clean injected failures failed the load"
}
inject auto ""
# under valgrind (ESCROW_WRAP) each run takes seconds: the forced
# strategies only in the plain and sanitizer builds
if [ -z "${ESCROW_WRAP:-}" ]; then
	inject create "C_CreateObject"
	inject transport "C_GenerateKeyPair"
fi
cp "$work/calls-auto" "$work/calls"

# Another error code is passed through by name too.
fresh
run_load ESCROW_FI_FUNC=C_UnwrapKey ESCROW_FI_COUNT=5 ESCROW_FI_ALSO=C_CreateObject:4 ESCROW_FI_RV=CKR_DEVICE_MEMORY
grep -q 'CKR_DEVICE_MEMORY' "$work/last.log" && [ "$rc" = 1 ] && [ "$(tokobjects)" = 0 ] &&
	ok "CKR_DEVICE_MEMORY named, nothing left" || bad "CKR_DEVICE_MEMORY (exit $rc)" "$(cat "$work/last.log")"

# A rollback that cannot remove what it made: the second key's test
# signature fails, and so does every C_DestroyObject from then on.
signs=$(grep -c '^C_Sign ' "$work/calls")
fresh
run_load ESCROW_FI_FUNC=C_Sign ESCROW_FI_COUNT="$signs" \
	ESCROW_FI_ALSO="C_DestroyObject:$(grep -c '^C_DestroyObject ' "$work/calls" | awk '{print $1 - 1}')+"
left=$(tokobjects)
if [ "$rc" = 1 ] && [ "$left" -gt 0 ] && grep -q "C_Sign returned CKR_DEVICE_ERROR" "$work/last.log" &&
	grep -Eq "could not be removed" "$work/last.log" &&
	grep -q "$left objects this run made are still in the token" "$work/last.log" &&
	! grep -q "nothing was left" "$work/last.log"; then
	ok "a failed rollback is reported ($left objects left)"
else
	bad "failed rollback (exit $rc, $left objects left)" "$(cat "$work/last.log")"
fi
ids=$(SOFTHSM2_CONF=$work/tok/softhsm2.conf pkcs11-tool --module "$module" --token-label t --login --pin 1234 \
	--list-objects 2>/dev/null | sed -n 's/^ *ID: *//p' | sort -u)
named=1
for id in $ids; do grep -q "$id" "$work/last.log" || named=0; done
[ -n "$ids" ] && [ "$named" = 1 ] && ok "the message names the CKA_ID of every object left" ||
	bad "objects left ($ids) not named" "$(cat "$work/last.log")"
finish
