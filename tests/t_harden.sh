#!/bin/sh
# Process hardening, checked on the running tools from outside: while
# escrow-combine waits at the terminal for the second share (the first is
# already in memory), /proc shows core dumps off (RLIMIT_CORE 0), umask
# 077, memory locked (the secrets are in mlock'ed sodium_malloc pages) and
# the process not dumpable.  escrow-keygen is checked the same way while
# it waits for the passphrase.  The same probe on a process that does not
# harden itself must report every item: the checks can fail.
. "$(dirname "$0")/lib.sh"
# the real binaries, not a wrapper: /proc must show the tool itself
kg=$bin/escrow-keygen cb=$bin/escrow-combine

"$kg" -n . -a 13 -m 2 -N 3 -o "$work/out" --shares-out "$work/shares" --yes >/dev/null
env=$(ls "$work/out"/*.escrow)
one=$(cat "$work/shares/share-1-1.txt")

# probe PID NAME: one line per item that is not hardened (nothing if all are)
cat >"$work/probe.sh" <<'PROBE'
pid=$1 name=$2 st=/proc/$1/status
[ -r "$st" ] || { echo "$name: no process $pid"; exit 0; }
core=$(awk '/^Max core file size/ { print $5 }' "/proc/$pid/limits")
[ "$core" = 0 ] || echo "$name: core dumps allowed (RLIMIT_CORE $core)"
um=$(awk '/^Umask:/ { print $2 }' "$st")
[ "$um" = 0077 ] || echo "$name: umask $um"
lck=$(awk '/^VmLck:/ { print $2 }' "$st")
[ "${NO_MLOCK:-0}" = 1 ] || [ "${lck:-0}" -gt 0 ] || echo "$name: no locked memory (VmLck ${lck:-?} kB)"
# not dumpable (PR_SET_DUMPABLE 0): the kernel then makes the process's
# /proc files root's; telling only for a process that does not run as root
uid=$(awk '/^Uid:/ { print $2 }' "$st")
if [ "$uid" != 0 ] && [ "$(stat -c %u "/proc/$pid/environ")" != 0 ]; then
	echo "$name: dumpable"
fi
PROBE
probe() { sh "$work/probe.sh" "$@"; }
# AddressSanitizer replaces mlock() with a no-op: no locked memory to see
if grep -q __asan_init "$cb"; then
	export NO_MLOCK=1
	echo "       (an AddressSanitizer build: mlock is a no-op there, locked memory not checked)"
fi

# drive NAME PROMPT BEFORE COMMAND...: start COMMAND on a pseudo-terminal,
# do BEFORE (expect commands), wait for PROMPT, write the probe's findings
# into $work/findings, then hang up on it
drive() {
	name=$1 prompt=$2 before=$3; shift 3
	cat >"$work/drive.exp" <<EXP
set timeout 30
log_user 0
spawn $*
$before
expect "$prompt" { } timeout { puts "timeout waiting for: $prompt"; exit 11 }
set pid [exp_pid]
exec sh $work/probe.sh \$pid $name > $work/findings 2>@1
close
catch wait
exit 0
EXP
	echo "no probe ran" >"$work/findings"
	expect -f "$work/drive.exp" >"$work/last.log" 2>&1 || echo "expect: exit $?" >>"$work/last.log"
}

drive escrow-combine "share 2, word 1>" "expect \"share 1, word 1>\"; send \"$one\\r\"" \
	"$cb" verify --envelope "$env"
if [ ! -s "$work/findings" ] && ! grep -q timeout "$work/last.log"; then
	ok "escrow-combine holding a share: no core, umask 077, memory locked"
else
	bad "escrow-combine not hardened" "$(cat "$work/findings" "$work/last.log")"
fi

drive escrow-keygen "SLIP-0039 passphrase" "expect \"Continue?\"; send \"\\r\"" "$kg" -n . -a 13 -m 2 -N 3 -o "$work/out2" --shares-out "$work/shares2"
if [ ! -s "$work/findings" ] && ! grep -q timeout "$work/last.log"; then
	ok "escrow-keygen asking for the passphrase: no core, umask 077, memory locked"
else
	bad "escrow-keygen not hardened" "$(cat "$work/findings" "$work/last.log")"
fi
[ ! -e "$work/out2" ] || [ "$(stat -c %a "$work/out2")" = 700 ] && ok "keygen's output directory is 0700" ||
	bad "keygen's output directory is $(stat -c %a "$work/out2")"

# as another user, where the dumpable flag shows in /proc ownership
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	chmod 755 "$work" "$work/out"; chmod 644 "$env"
	drive escrow-combine-nobody "share 2, word 1>" "expect \"share 1, word 1>\"; send \"$one\\r\"" \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$cb" verify --envelope "$env"
	if [ ! -s "$work/findings" ] && ! grep -q timeout "$work/last.log"; then
		ok "escrow-combine as nobody: also not dumpable"
	else
		bad "escrow-combine as nobody not hardened" "$(cat "$work/findings" "$work/last.log")"
	fi
	# must fail: the same probe on a dumpable process of that user
	setpriv --reuid=65534 --regid=65534 --clear-groups sleep 30 &
	spid=$!
	sleep 0.2
	sh "$work/probe.sh" "$spid" sleep-nobody >"$work/findings" 2>&1 || true
	kill "$spid" 2>/dev/null || true
	wait "$spid" 2>/dev/null || true
	grep -q "dumpable" "$work/findings" && ok "the probe reports a dumpable process" ||
		bad "the probe missed a dumpable process" "$(cat "$work/findings")"
fi

# must fail: a shell that has done none of it
NO_MLOCK=0
(ulimit -c unlimited 2>/dev/null; umask 022; exec sleep 30) &
spid=$!
sleep 0.2
probe "$spid" sleep >"$work/findings" 2>&1 || true
kill "$spid" 2>/dev/null || true
wait "$spid" 2>/dev/null || true
for item in "core dumps allowed" "umask 0022" "no locked memory"; do
	grep -q "$item" "$work/findings" && ok "the probe reports '$item' for an unhardened process" ||
		bad "the probe missed '$item'" "$(cat "$work/findings")"
done
finish
