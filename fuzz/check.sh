#!/bin/sh
# fuzz/check.sh - the fuzz step of `make check` (check-fuzz-run): for each
# target named, every kept crash input in fuzz/regress/NAME/ once, then a
# time-bounded run (FUZZ_CHECK_TIME seconds, default 30) starting from the
# kept seeds and crash inputs, JOBS targets at a time (default 2: the
# machine's cores).  New inputs go to a scratch corpus under
# $FUZZ_B/run/NAME (never into fuzz/); a crash leaves
# $FUZZ_B/crash-NAME-* and fails the step with the log's tail.
#   usage: FUZZ_B=build/fuzz FUZZ_OPTS="..." sh fuzz/check.sh NAME...
set -eu
: "${FUZZ_B:?}" "${FUZZ_OPTS:=}"
time=${FUZZ_CHECK_TIME:-30}
jobs=${JOBS:-2}

if [ "${1:-}" = --one ]; then
	n=$2 f=$FUZZ_B/fuzz/fuzz_$2 r=$FUZZ_B/run/$2 log=$FUZZ_B/$2.log
	if ls "fuzz/regress/$n"/* >/dev/null 2>&1; then
		# shellcheck disable=SC2086 # FUZZ_OPTS is a list of options
		"$f" $FUZZ_OPTS "fuzz/regress/$n"/* >"$log" 2>&1 ||
			{ tail -n 40 "$log"; echo "fuzz: $n: a kept crash input fails again"; exit 1; }
	fi
	rm -rf "$r" && mkdir -p "$r"
	seeds="fuzz/corpus/$n"
	[ -d "fuzz/regress/$n" ] && seeds="$seeds fuzz/regress/$n"
	# shellcheck disable=SC2086
	"$f" $FUZZ_OPTS -max_total_time="$time" -print_final_stats=1 \
		-artifact_prefix="$FUZZ_B/crash-$n-" "$r" $seeds >"$log" 2>&1 ||
		{ tail -n 40 "$log"; echo "fuzz: $n failed (crash input: $FUZZ_B/crash-$n-*; log: $log)"; exit 1; }
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	echo "fuzz: $n: $(ls "fuzz/corpus/$n" | wc -l) seeds, $(ls "fuzz/regress/$n" 2>/dev/null | wc -l) kept crashes, ${runs:-?} runs in $time s: ok"
	exit 0
fi

[ $# -gt 0 ] || { echo "fuzz/check.sh: no targets" >&2; exit 2; }
printf '%s\n' "$@" | xargs -P "$jobs" -I '{}' sh "$0" --one '{}' ||
	{ echo "fuzz: a target failed (above)"; exit 1; }
