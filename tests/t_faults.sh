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

# Each run gets a copy of the clean token in its own directory, so that
# two runs can go at once (the injections below, two at a time).
fresh() { rm -rf "$1"; cp -r "$work/clean" "$1"
	sed -i "s|$work/clean|$1|" "$1/softhsm2.conf"; }
tokobjects() { SOFTHSM2_CONF=$1/softhsm2.conf objects "$1" t 1234; }
run_load() { # TOKDIR LOG [VAR=VALUE ...] [-- LOAD-OPTIONS ...]
	tok=$1 log=$2 vars="" opts=""
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do vars="$vars $1"; shift; done
	[ $# -gt 0 ] && shift && opts="$*"
	set +e
	# shellcheck disable=SC2086 # word splitting wanted: no spaces in these
	env SOFTHSM2_CONF="$tok/softhsm2.conf" $vars "$combine" load --yes --envelope "$env" \
		--module "$fi" --token pkcs11:token=t --pin-source "$tok/pin" $opts \
		"$work/sh/share-1-1.txt" "$work/sh/share-1-2.txt" >"$log" 2>&1
	rc=$?
	set -e
}
# the single runs below: one token, $work/last.log
fresh1() { fresh "$work/tok"; }
load1() { run_load "$work/tok" "$work/last.log" "$@"; }

# the calls a load cannot survive: it needs every one of them to succeed
must_fail="C_Initialize C_GetSlotList C_OpenSession C_Login C_FindObjectsInit C_FindObjects C_SignInit C_Sign"

# judge STRATEGY MUST FN COUNT TOKDIR LOG: one injected run's verdict, as
# a line "clean", "survived FN:COUNT" or "bad WHAT" (the log kept)
judge() {
	strategy=$1 must=$2 fn=$3 count=$4 tok=$5 log=$6
	left=$(tokobjects "$tok")
	what="$strategy: $fn call $count fails"
	if [ "$rc" = 1 ]; then
		if ! grep -q "$fn returned CKR_DEVICE_ERROR" "$log"; then
			echo "bad $what: the error does not name $fn and CKR_DEVICE_ERROR"
		elif [ "$left" != 0 ] && grep -q "the probe's throwaway .*could not be removed from token .*remove it by hand" "$log"; then
			# the probe before the shares: a throwaway key the token
			# would not destroy, named for the operator (no key of the
			# envelope is in the token)
			echo clean
		elif [ "$left" != 0 ]; then
			echo "bad $what: $left objects left in the token"
		else
			echo clean
		fi
	elif [ "$rc" = 0 ]; then
		case " $must " in
		*" $fn "*) echo "bad $what: the load claims success" ;;
		*) if [ "$left" = 4 ] && grep -q 'test signature made in the token verified' "$log"; then
			echo "survived $fn:$count"
		   else
			echo "bad $what: success with $left objects"
		   fi ;;
		esac
	else
		echo "bad $what: exit $rc"
	fi
}

# worker STRATEGY MUST (under in_parallel): the injections on standard
# input ("NUMBER FUNCTION COUNT"), each a verdict line "NUMBER VERDICT"
worker() {
	tok=$work/tok-$slot
	while read -r i fn count; do
		log=$work/inj-$1-$i.log
		fresh "$tok"
		run_load "$tok" "$log" ESCROW_FI_FUNC="$fn" ESCROW_FI_COUNT="$count" \
			ESCROW_FI_RV=CKR_DEVICE_ERROR -- --strategy "$1"
		v=$(judge "$1" "$2" "$fn" "$count" "$tok" "$log")
		case $v in bad*) ;; *) rm -f "$log" ;; esac
		echo "$i $v"
	done
}

# inject STRATEGY EXTRA-MUST-FAIL: a clean run listing the calls, then a
# failure at each call in turn, two runs at a time (the machine's cores)
inject() {
	strategy=$1 must="$must_fail $2"
	fresh1
	load1 ESCROW_FI_LOG="$work/calls-$strategy" -- --strategy "$strategy"
	[ "$rc" = 0 ] && [ "$(tokobjects "$work/tok")" = 4 ] && ok "$strategy: a clean load through the module: 4 objects" ||
		bad "$strategy: clean load (exit $rc, $(tokobjects "$work/tok") objects)" "$(cat "$work/last.log")"
	ncalls=$(wc -l <"$work/calls-$strategy")
	[ "$ncalls" -gt 20 ] && ok "$strategy: the module counted $ncalls calls" || bad "$strategy: only $ncalls calls counted"
	# under valgrind (ESCROW_WRAP) every run takes seconds: every 4th call
	# there (the plain and sanitizer builds take them all)
	step=1
	[ -z "${ESCROW_WRAP:-}" ] || step=4
	awk -v s="$step" '(NR - 1) % s == 0' "$work/calls-$strategy" >"$work/inject-$strategy"
	ninject=$(wc -l <"$work/inject-$strategy")
	in_parallel "$work/inject-$strategy" "$work/res-$strategy" worker "$strategy" "$must"
	survived=0 failed_clean=0 survivors= judged=0
	while read -r i v rest; do
		judged=$((judged + 1))
		case $v in
		clean) failed_clean=$((failed_clean + 1)) ;;
		survived) survived=$((survived + 1)) survivors="$survivors $rest" ;;
		*) bad "$rest" "$(cat "$work/inj-$strategy-$i.log")" ;;
		esac
	done <"$work/res-$strategy"
	[ "$judged" = "$ninject" ] || bad "$strategy: $judged of $ninject injections judged"
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

# Another error code is passed through by name too.  From the 5th call
# on: the probe that runs before the load makes calls of its own, so a
# single call number may land in either.
fresh1
load1 ESCROW_FI_FUNC=C_UnwrapKey ESCROW_FI_COUNT=5 ESCROW_FI_ALSO=C_UnwrapKey:6+,C_CreateObject:4+ ESCROW_FI_RV=CKR_DEVICE_MEMORY
grep -q 'CKR_DEVICE_MEMORY' "$work/last.log" && [ "$rc" = 1 ] && [ "$(tokobjects "$work/tok")" = 0 ] &&
	ok "CKR_DEVICE_MEMORY named, nothing left" || bad "CKR_DEVICE_MEMORY (exit $rc)" "$(cat "$work/last.log")"

# A rollback that cannot remove what it made: the second key's test
# signature fails, and so does every C_DestroyObject from then on.
signs=$(grep -c '^C_Sign ' "$work/calls")
fresh1
load1 ESCROW_FI_FUNC=C_Sign ESCROW_FI_COUNT="$signs" \
	ESCROW_FI_ALSO="C_DestroyObject:$(grep -c '^C_DestroyObject ' "$work/calls" | awk '{print $1 - 1}')+"
left=$(tokobjects "$work/tok")
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
