#!/bin/sh
# escrow-keygen stopped at each of its prompts, as an operator would stop
# it (Ctrl-C on the terminal, SIGTERM, the terminal closing): it rolls
# back exactly as answering `n' does, says so, and the output directories
# hold nothing of the run.  Also the print loop: Enter goes on, `r'
# prints the sheet again, `q' stops (after a second question) and rolls
# back.  Through a pseudo-terminal (expect) and a private cupsd.
. "$(dirname "$0")/lib.sh"
private_cupsd
: >"$work/nopass"
chmod 600 "$work/nopass"
softhsm "$work/hsm" t 1234
export SOFTHSM2_CONF=$work/hsm/softhsm2.conf

# stop NAME HOW STEPS...: run keygen on a pty, answer STEPS (pairs of
# "pattern" "answer"; an answer of - sends nothing), and at the last
# pattern stop it by HOW (ctrl-c, term, hup); then check the exit status,
# the message and that nothing of the run is left.
n=0
stop() {
	what=$1 how=$2; shift 2
	n=$((n + 1))
	out=$work/run$n
	{
		echo 'set timeout 60'
		echo "spawn $keygen -n . -a 13 -m 2 -N 3 -o $out/out --shares-out $out/shares --print test --entropy --module $module --token pkcs11:token=t"
		while [ $# -gt 2 ]; do
			echo "expect {$1} { } timeout { exit 91 } eof { exit 92 }"
			[ "$2" = - ] || echo "send \"$2\\r\""
			shift 2
		done
		echo "expect {$1} { } timeout { exit 93 } eof { exit 94 }"
		echo 'sleep 0.3'
		case $how in
		ctrl-c) echo 'send "\003"' ;;
		term) echo 'exec kill -TERM [exp_pid]' ;;
		hup) echo 'exec kill -HUP [exp_pid]' ;;
		esac
		echo 'expect eof'
		echo 'catch wait result'
		echo 'exit [lindex $result 3]'
	} >"$work/stop$n.exp"
	case $how in ctrl-c) want=130 ;; term) want=143 ;; hup) want=129 ;; esac
	expect_rc $want "$what: $how ends the run (exit $want)" expect -f "$work/stop$n.exp"
	expect_out "stopped by (Ctrl-C \\(SIGINT\\)|SIGTERM|the terminal closing \\(SIGHUP\\)|a signal)" "$what: it says it was stopped"
	if [ ! -e "$out/out" ] && [ ! -e "$out/shares" ]; then ok "$what: nothing of the run is left"
	else bad "$what: left behind" "$(ls -laR "$out")"; fi
}

go='Continue?'
stop "at the summary" ctrl-c "$go"
stop "at the PIN" ctrl-c "$go" "" "User PIN"
stop "at dice or hex" ctrl-c "$go" "" "User PIN" 1234 "dice rolls (d"
stop "at entropy" ctrl-c "$go" "" "User PIN" 1234 "dice rolls (d" "" "entropy>"
stop "after some entropy" ctrl-c "$go" "" "User PIN" 1234 "dice rolls (d" "" "entropy>" "123456" "so far"
stop "at the passphrase" ctrl-c "$go" "" "User PIN" 1234 "dice rolls (d" "" "entropy>" "" "SLIP-0039 passphrase"
stop "at the passphrase again" ctrl-c "$go" "" "User PIN" 1234 "dice rolls (d" "" "entropy>" "" \
	"SLIP-0039 passphrase" "" "The same passphrase again"
sheet='member 1 printed (1 of 3)*Has its custodian taken it'
stop "at the first share sheet" ctrl-c "$go" "" "User PIN" 1234 "dice rolls (d" "" "entropy>" "" \
	"SLIP-0039 passphrase" "" "The same passphrase again" "" "$sheet"
expect_out "removed .*K\\.\\+013\\+[0-9]+\\.escrow" "the envelope written before the sheets is named as removed"
stop "at the second share sheet" term "$go" "" "User PIN" 1234 "dice rolls (d" "" "entropy>" "" \
	"SLIP-0039 passphrase" "" "The same passphrase again" "" "$sheet" "" "member 2 printed (2 of 3)"
stop "at the third share sheet" hup "$go" "" "User PIN" 1234 "dice rolls (d" "" "entropy>" "" \
	"SLIP-0039 passphrase" "" "The same passphrase again" "" "$sheet" "" "member 2 printed (2 of 3)" "" \
	"member 3 printed (3 of 3)"
[ "$(objects "$work/hsm" t 1234)" = 0 ] && ok "the token holds nothing of the stopped runs" ||
	bad "objects left in the token: $(objects "$work/hsm" t 1234)"

echo "the print loop: reprint, then q"
cat >"$work/loop.exp" <<EXP
set timeout 60
spawn $keygen -n . -a 13 -m 2 -N 3 -o $work/loop/out --shares-out $work/loop/shares --print test --passphrase-file $work/nopass
expect "Continue?" { send "\\r" } timeout { exit 91 }
expect "member 1 printed (1 of 3)" { } timeout { exit 92 }
expect "\\\\\[Y/r/q\\\\\] " { send "r\\r" } timeout { exit 93 }
expect "printing share-1-1.pdf" { } timeout { exit 94 }
expect "member 1 printed (1 of 3)" { } timeout { exit 95 }
expect "\\\\\[Y/r/q\\\\\] " { send "\\r" } timeout { exit 96 }
expect "member 2 printed (2 of 3)" { } timeout { exit 97 }
expect "\\\\\[Y/r/q\\\\\] " { send "q\\r" } timeout { exit 98 }
expect "Stop? The ceremony is then undone" { send "y\\r" } timeout { exit 99 }
expect eof
catch wait result
exit [lindex \\\$result 3]
EXP
expect_rc 1 "q at the print loop stops the ceremony" expect -f "$work/loop.exp"
expect_out "printing share-1-1.pdf .*" "the sheets are printed with progress"
expect_out "stopped by the operator after share 1-2" "it says where it stopped"
[ ! -e "$work/loop/out" ] && [ ! -e "$work/loop/shares" ] && ok "q leaves nothing behind" ||
	bad "left behind after q" "$(ls -laR "$work/loop")"
[ "$(grep -c 'printing share-1-1.pdf' "$work/last.log")" = 2 ] && ok "r printed the sheet again" ||
	bad "share 1 printed $(grep -c 'printing share-1-1.pdf' "$work/last.log") times"
finish
