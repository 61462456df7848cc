# tests/lib.sh - shared by the end-to-end tests (tests/t_*.sh): a work
# directory removed on exit, SoftHSM tokens, and assertions that say what
# failed.  Sourced, not run.
set -eu
# files a test writes (PIN and passphrase files among them) are private:
# the tools refuse secret files that group or others can read
umask 077
B=${B:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
bin=$top/$B
keygen=$bin/escrow-keygen
combine=$bin/escrow-combine
module=/usr/lib/softhsm/libsofthsm2.so
work=$(mktemp -d "${TMPDIR:-/tmp}/escrow-e2e-XXXXXX")
passed=0
failed=0
trap 'rm -rf "$work"' EXIT INT TERM

# ESCROW_WRAP (e.g. "valgrind -q --error-exitcode=99"): run both tools
# under it, through two small scripts that stand in for them.
if [ -n "${ESCROW_WRAP:-}" ]; then
	mkdir -p "$work/wrap"
	for t in escrow-keygen escrow-combine; do
		printf '#!/bin/sh\nexec %s %s "$@"\n' "$ESCROW_WRAP" "$bin/$t" >"$work/wrap/$t"
		chmod 755 "$work/wrap/$t"
	done
	keygen=$work/wrap/escrow-keygen
	combine=$work/wrap/escrow-combine
fi

# in_parallel LIST OUT CMD [ARGS...]: the lines of file LIST shared out
# between two runs at once (the machine's cores) of `CMD ARGS...', each in
# a subshell with $slot its number (0 or 1, for a token copy of its own)
# and reading its lines on standard input as "NUMBER LINE" (NUMBER: the
# line's place in LIST).  Each run's output lines must start with a number
# to sort by; when both have ended, all of them, in that order, are in OUT.
in_parallel() {
	_list=$1 _out=$2 _k=0 _pids=""
	shift 2
	while [ $_k -lt 2 ]; do
		(slot=$_k; awk -v k=$_k '(NR - 1) % 2 == k { print NR, $0 }' "$_list" |
			"$@") >"$_out-$_k" &
		_pids="$_pids $!"
		_k=$((_k + 1))
	done
	for _p in $_pids; do wait "$_p"; done
	sort -n "$_out"-[01] >"$_out"
}

# private_cupsd: a cupsd of the test's own in $work/cups (tests/cupsd/cupsd.sh:
# its queues, a Unix socket, no TCP port), stopped by PID when the test
# exits; CUPS_SERVER points the tools at it.
private_cupsd() {
	PATH="$PATH:/usr/sbin"
	cups=$work/cups
	mkdir -p "$cups" && chmod 755 "$work" "$cups"
	trap 'sh "$top/tests/cupsd/cupsd.sh" stop "$cups" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
	trap 'exit 1' INT TERM HUP
	sh "$top/tests/cupsd/cupsd.sh" start "$cups" >/dev/null
	export CUPS_SERVER="$cups/cups.sock"
}

# ok NAME: a passed check; bad NAME DETAIL: a failed one (the run goes on).
ok() { passed=$((passed + 1)); printf '  ok   %s\n' "$1"; }
bad() { failed=$((failed + 1)); printf '  FAIL %s\n' "$1"; [ $# -lt 2 ] || printf '%s\n' "$2" | sed 's/^/       /' | head -n 30; }

# expect_rc WANT NAME CMD...: run CMD, keep its output in $work/last.log, check its exit code.
expect_rc() {
	want=$1; name=$2; shift 2
	set +e
	"$@" >"$work/last.log" 2>&1
	rc=$?
	set -e
	if [ "$rc" = "$want" ]; then ok "$name"; else bad "$name (exit $rc, wanted $want)" "$(cat "$work/last.log")"; fi
}

# expect_out PATTERN NAME: the last command's output matches the grep -E pattern.
expect_out() {
	if grep -Eq -- "$1" "$work/last.log"; then ok "$2"; else bad "$2 (no /$1/ in the output)" "$(cat "$work/last.log")"; fi
}

# softhsm DIR LABEL PIN: a fresh token directory with one token.
softhsm() {
	mkdir -p "$1/tokens"
	printf 'directories.tokendir = %s\nobjectstore.backend = file\n' "$1/tokens" >"$1/softhsm2.conf"
	SOFTHSM2_CONF=$1/softhsm2.conf softhsm2-util --init-token --free --label "$2" \
		--pin "$3" --so-pin 12345678 >/dev/null
	printf '%s\n' "$3" >"$1/pin"
	chmod 600 "$1/pin"
}

# objects DIR LABEL PIN: how many objects the token holds.
objects() {
	SOFTHSM2_CONF=$1/softhsm2.conf pkcs11-tool --module "$module" --token-label "$2" \
		--login --pin "$3" --list-objects 2>/dev/null | grep -c 'Object;' || true
}

finish() {
	echo "$(basename "$0" .sh): $passed passed, $failed failed"
	[ "$failed" = 0 ]
}
