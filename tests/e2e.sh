#!/bin/sh
# tests/e2e.sh - the end-to-end step of `make check' (check-run): run the
# tests/t_*.sh scripts named, JOBS at a time (default 2: the machine's
# cores), the slow ones first so that the others fill in beside them.
# Each script's output is printed whole when it ends, with its time, so
# two scripts never interleave their lines; every script runs, and the
# step fails at the end if any failed, naming them.  The scripts keep
# everything they make in their own temporary directories and start their
# own daemons (cupsd on a socket in that directory, pkcsslotd only in
# t_tokens), so two can run at once.
#   usage: B=build [E2E_WRAP="valgrind ..."] [E2E_WRAP_SKIP="t_a t_b"]
#          [JOBS=2] sh tests/e2e.sh tests/t_*.sh
# E2E_WRAP: what the tools run under (tests/lib.sh's ESCROW_WRAP);
# E2E_WRAP_SKIP: scripts whose tools run unwrapped all the same.
set -eu
: "${B:?}"
out=$B/e2e

if [ "${1:-}" = --one ]; then
	t=$2 n=$(basename "$2" .sh) w=${E2E_WRAP:-} note=""
	case " ${E2E_WRAP_SKIP:-} " in
	*" $n "*) w="" note=" (its tools run unwrapped here: E2E_WRAP_SKIP)" ;;
	esac
	t0=$(date +%s)
	if B=$B ESCROW_WRAP="$w" sh "$t" >"$out/$n.log" 2>&1 </dev/null; then
		r=ok
	else
		r=FAILED
		echo "$t" >>"$out/failed"
	fi
	# one script's whole output at a time
	flock "$out/lock" sh -c 'echo "end-to-end: $1$2"; cat "$3"
		echo "end-to-end: $1: $4 in $5 s"' sh "$t" "$note" "$out/$n.log" "$r" \
		"$(($(date +%s) - t0))"
	exit 0
fi

[ $# -gt 0 ] || { echo "tests/e2e.sh: no scripts" >&2; exit 2; }
rm -rf "$out"
mkdir -p "$out"
: >"$out/lock"
# the slowest first (measured on 2 cores, December 2026), then the rest
slow="t_faults t_crash t_print_scan t_tokens t_interactive t_load t_threshold t_paper_damage"
{
	for s in $slow; do
		for t in "$@"; do [ "$(basename "$t" .sh)" = "$s" ] && echo "$t"; done
	done
	for t in "$@"; do
		case " $slow " in *" $(basename "$t" .sh) "*) ;; *) echo "$t" ;; esac
	done
} | xargs -P "${JOBS:-2}" -I '{}' sh "$0" --one '{}'
if [ -s "$out/failed" ]; then
	echo "end-to-end: FAILED: $(tr '\n' ' ' <"$out/failed")(logs in $out)"
	exit 1
fi
echo "end-to-end: all $# scripts passed"
