#!/bin/sh
# Crash-safe loads: escrow-combine load of a large key set is killed with
# SIGKILL at chosen PKCS#11 calls (tests/fi's ESCROW_FI_KILL counts every
# call, so the kill points are exact and the same on every run), then the
# same command is run again.  After the rerun the token must hold exactly
# one complete key set: two objects (private, public) under each of the
# envelope's CKA_IDs and nothing else, no pending id or label left, every
# key proven by a test signature in the token.  Kill points: spread over
# the whole run, and in each step of the commit (final ids, old objects
# removed, final labels), for a load into an empty token and for a
# --replace load over the same set.
#   CRASH_KEYS          keys of the set (default 300, ECDSA P-256: RSA
#                       keys cost the same number of calls but take longer
#                       to generate)
#   CRASH_REPLACE_KEYS  keys of the --replace set (default 50: SoftHSM's
#                       file store rescans the token directory on every
#                       C_DestroyObject, so a 300-key replace takes ~20 s
#                       and ten of them would take minutes)
# SoftHSM's file store on ext4 costs ~0.2 s per object: tokens on tmpfs
if [ -z "${TMPDIR:-}" ] && [ -w /dev/shm ]; then TMPDIR=/dev/shm; export TMPDIR; fi
. "$(dirname "$0")/lib.sh"
fi=$bin/tests/fi/libescrow-fi.so
[ -f "$fi" ] || { echo "t_crash: $fi not built"; exit 1; }
nkeys=${CRASH_KEYS:-300}
nrep=${CRASH_REPLACE_KEYS:-50}

# key sets (a set of a few hundred keys can draw two equal key tags, which
# keygen refuses today: try again)
keyset() { # DIR N
	i=0
	until "$keygen" -a 13 -n . --keys "$2" -m 2 -N 3 -o "$1/ks" --shares-out "$1/sh" --yes >/dev/null 2>&1; do
		i=$((i + 1)); rm -rf "$1/ks" "$1/sh"
		[ $i -lt 20 ] || { echo "t_crash: keygen of $2 keys failed 20 times"; exit 1; }
	done
}

run() { # DIR TOKDIR [VAR=VALUE ...] [-- LOAD-OPTIONS]
	d=$1 t=$2; shift 2
	vars="" opts=""
	while [ $# -gt 0 ] && [ "$1" != -- ]; do vars="$vars $1"; shift; done
	[ $# -gt 0 ] && shift && opts="$*"
	set +e
	# shellcheck disable=SC2086 # no spaces in these
	env SOFTHSM2_CONF="$t/softhsm2.conf" $vars "$combine" load --yes --envelope "$d"/ks/*.escrow \
		--module "$fi" --token pkcs11:token=t --pin-source "$t/pin" $opts \
		"$d/sh/share-1-1.txt" "$d/sh/share-1-2.txt" >"${log:-$work/last.log}" 2>&1
	rc=$?
	set -e
}

# the token's objects as "class id label" lines
listing() { # TOKDIR
	SOFTHSM2_CONF=$1/softhsm2.conf pkcs11-tool --module "$module" --token-label t --login --pin 1234 \
		--list-objects 2>/dev/null | awk '
		/Object;/ { if (c != "") print c, id, lab; c = $1; id = "-"; lab = "-" }
		/^ *label:/ { sub(/^ *label: */, ""); lab = $0; gsub(/ /, "_", lab) }
		/^ *ID:/ { id = $2 }
		END { if (c != "") print c, id, lab }'
}

# exactly one complete set: 2 objects per envelope id, nothing else (the
# run's log: $log, default $work/last.log)
one_set() { # DIR TOKDIR N -> 0/1, reason in $why
	l=${log:-$work/last.log} objs=$2.objs
	listing "$2" >"$objs"
	ids=$(sed -n 's/.*id \([0-9a-f]*\):.*/\1/p' "$l" | sort -u)
	want=$(grep -c 'test signature made in the token verified' "$l" || true)
	total=$(wc -l <"$objs")
	why=""
	[ "$want" = "$3" ] || why="$why rerun proved $want of $3 keys;"
	[ "$total" = $((2 * $3)) ] || why="$why $total objects, want $((2 * $3));"
	dup=$(awk '{print $1, $2}' "$objs" | sort | uniq -d | head -3)
	[ -z "$dup" ] || why="$why duplicate CKA_ID: $dup;"
	! grep -q 'escrow-pending' "$objs" || why="$why pending labels left;"
	missing=0
	for id in $ids; do
		[ "$(grep -c " $id " "$objs")" = 2 ] || missing=$((missing + 1))
	done
	[ "$(echo "$ids" | wc -w)" = "$3" ] || why="$why the transcript names $(echo "$ids" | wc -w) ids;"
	[ "$missing" = 0 ] || why="$why $missing ids without both objects;"
	[ -z "$why" ]
}

mktok() { # DIR
	softhsm "$1" t 1234
}
copytok() { # FROM TO
	rm -rf "$2"; cp -r "$1" "$2"
	sed -i "s|$1|$2|" "$2/softhsm2.conf"
}

# kill points: NPOINTS spread over the run, plus the first, middle and last
# call of each commit step (found in the clean run's call log: the commit
# is the C_SetAttributeValue and C_DestroyObject calls after the last C_Sign)
points() { # CALLLOG NPOINTS
	awk -v np="$2" '
		{ fn[NR] = $1 } $1 == "C_Sign" { lastsign = NR }
		END {
			n = NR
			for (k = 1; k <= np; k++) print int(n * k / (np + 1))
			# commit steps after the last test signature
			step = 0; prev = ""
			for (i = lastsign + 1; i <= n; i++) {
				f = fn[i]
				if (f != "C_SetAttributeValue" && f != "C_DestroyObject") continue
				if (f != prev) { step++; first[step] = i }
				last[step] = i; prev = f
			}
			for (s = 1; s <= step && s <= 3; s++) {
				print first[s]; print int((first[s] + last[s]) / 2); print last[s]
			}
		}' "$1" | sort -nu
}

# crash_worker NAME DIR N SOURCE-TOKEN [LOAD-OPTIONS] (under in_parallel):
# the kill points on standard input ("NUMBER CALL"): killed there, then
# the same command; a verdict line each, "CALL VERDICT ..."
crash_worker() {
	name=$1 d=$2 n=$3 src=$4; shift 4
	tok=$work/tok-$slot
	while read -r _ at; do
		log=$work/kill-$name-$at.log
		copytok "$src" "$tok"
		run "$d" "$tok" ESCROW_FI_KILL="$at" -- "$@"
		fn=$(sed -n "${at}p" "$work/calls-$name" | awk '{print $1}')
		if [ "$rc" != 137 ]; then
			echo "$at notkilled ($fn): exit $rc, not killed: $(tail -n 1 "$log")"; continue
		fi
		run "$d" "$tok" -- "$@"
		if [ "$rc" = 0 ] && one_set "$d" "$tok" "$n"; then
			what=$(grep -o 'removed [0-9]* objects that an interrupted load\|finished it' "$log" | head -1 || true)
			echo "$at good $at:$fn${what:+ (${what% that*})}"
			rm -f "$log"
		else
			echo "$at bad ($fn) exit $rc:$why"
		fi
	done
}

crash_test() { # NAME DIR N SOURCE-TOKEN NPOINTS [LOAD-OPTIONS]
	name=$1 d=$2 n=$3 src=$4 np=$5; shift 5
	copytok "$src" "$work/tok"
	run "$d" "$work/tok" ESCROW_FI_LOG="$work/calls-$name" -- "$@"
	if [ "$rc" = 0 ] && one_set "$d" "$work/tok" "$n"; then
		ok "$name: a clean run ($(wc -l <"$work/calls-$name") PKCS#11 calls) loads one set of $n keys"
	else
		bad "$name: clean run (exit $rc):$why" "$(tail -5 "$work/last.log")"; return
	fi
	points "$work/calls-$name" "$np" >"$work/points-$name"
	# two kill points at a time, each in a token copy and with a log of
	# its own; each verdict a line "CALL good KIND", "CALL bad WHY" or
	# "CALL notkilled WHY"
	in_parallel "$work/points-$name" "$work/res-$name" crash_worker "$name" "$d" "$n" "$src" "$@"
	good=0 killed=0 kinds=""
	[ "$(wc -l <"$work/res-$name")" = "$(wc -l <"$work/points-$name")" ] ||
		bad "$name: $(wc -l <"$work/res-$name") of $(wc -l <"$work/points-$name") kill points judged"
	while read -r at v rest; do
		case $v in
		notkilled) bad "$name: kill at call $at: $rest" ;;
		good) killed=$((killed + 1)) good=$((good + 1)) kinds="$kinds $rest" ;;
		*) killed=$((killed + 1))
		   bad "$name: killed at call $at, then the same command: $rest" "$(grep -v '^  key tag' "$work/kill-$name-$at.log" | tail -6)" ;;
		esac
	done <"$work/res-$name"
	[ "$killed" -ge 10 ] && [ "$good" = "$killed" ] &&
		ok "$name: killed at $killed points, every rerun left exactly one complete, checked set" ||
		bad "$name: $good of $killed kill points ended with one set"
	echo "       kill points (call: function):$kinds" | fold -s -w 150 | sed '2,$s/^/       /'
}

echo "a $nkeys-key load killed and run again"
keyset "$work/big" "$nkeys"
mktok "$work/empty"
crash_test load "$work/big" "$nkeys" "$work/empty" 6

echo "a --replace load of $nrep keys killed and run again"
keyset "$work/rep" "$nrep"
mktok "$work/old"
run "$work/rep" "$work/old"
[ "$rc" = 0 ] && ok "the old set of $nrep keys is in" || bad "first load (exit $rc)" "$(tail -3 "$work/last.log")"
crash_test replace "$work/rep" "$nrep" "$work/old" 4 --replace

echo "a --replace whose removal of the old objects fails"
# the clean replace run's C_DestroyObject calls after its last test
# signature: the old objects, then the session objects; fail the middle one
d=$(awk '$1 == "C_Sign" { s = NR } $1 == "C_DestroyObject" && NR > s { n[++k] = $2 }
	END { print n[int((k - 2) / 2)] }' "$work/calls-replace")
copytok "$work/old" "$work/tok"
run "$work/rep" "$work/tok" ESCROW_FI_FUNC=C_DestroyObject ESCROW_FI_COUNT="$d" -- --replace
listing "$work/tok" >"$work/objs"
if [ "$rc" = 1 ] && grep -q 'old object .* could not be removed' "$work/last.log" &&
	grep -Eq '2 new and [12] old objects' "$work/last.log" && grep -q 'run the same command again' "$work/last.log" &&
	! grep -q 'nothing was left' "$work/last.log" && [ "$(wc -l <"$work/objs")" -gt $((2 * nrep)) ]; then
	ok "exit 1; the message names the old objects left next to the new, checked keys ($(wc -l <"$work/objs") objects)"
else
	bad "failed removal of old objects (exit $rc)" "$(grep -v '^  key tag' "$work/last.log" | tail -4)"
fi
run "$work/rep" "$work/tok" -- --replace
[ "$rc" = 0 ] && one_set "$work/rep" "$work/tok" "$nrep" && ok "the same command again leaves exactly one set" ||
	bad "rerun after the failed removal (exit $rc):$why" "$(tail -3 "$work/last.log")"
finish
