#!/bin/sh
# Typing shares as a custodian would, in a real terminal: tmux runs
# escrow-combine, send-keys types, capture-pane reads the screen (and its
# scrollback) as a person would see it.  Checked: a wrong word is asked
# for again alone, at its position; `back'; prefixes shown expanded; the
# screen holds none of a share's words once it is accepted; a share of
# another set is named after its first two words; a swap of two words is
# offered as a correction; Ctrl-D asks before accepted shares are
# dropped; a share of a set that a reshare replaced is named as such
# after its first two words; a wrong passphrase is asked again with the
# shares kept; and
# with a token, a wrong PIN is asked again and a failed load is retried
# with the shares still in memory.
. "$(dirname "$0")/lib.sh"

command -v tmux >/dev/null || { bad "tmux is not installed (make deps)"; finish; exit 1; }
nsock=0
sock=$work/tmux.0.sock
tm() { tmux -S "$sock" "$@"; }
# tm_start CMD...: run CMD in a fresh 150x50 terminal; its exit code lands in $work/tm.rc
tm_start() {
	rm -f "$work/tm.rc"
	# the wrapper outlives a Ctrl-C meant for the tool (a trap, not an
	# ignored signal, so the tool starts with the default disposition)
	printf '#!/bin/sh\ntrap true INT\n"$@"\necho $? >"%s"\nsleep 600\n' "$work/tm.rc" >"$work/tm.sh"
	tm kill-server 2>/dev/null || true
	nsock=$((nsock + 1))
	sock=$work/tmux.$nsock.sock
	tm new-session -d -x 150 -y 50 sh "$work/tm.sh" "$@"
}
tm_screen() { tm capture-pane -p -S - -E - 2>/dev/null; }
# tm_wait PATTERN [N]: until the screen shows PATTERN (N times); 1 after 20 s
tm_wait() {
	i=0
	while [ $i -lt 200 ]; do
		[ "$(tm_screen | grep -Ec -- "$1" || true)" -ge "${2:-1}" ] && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}
tm_type() { tm send-keys -l -- "$1"; tm send-keys Enter; }
tm_rc() {
	i=0
	while [ ! -s "$work/tm.rc" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	cat "$work/tm.rc" 2>/dev/null || echo none
}
# check NAME PATTERN [N]: the screen shows PATTERN (N times) in time
check() {
	if tm_wait "$2" "${3:-1}"; then ok "$1"; else bad "$1 (no /$2/ on the screen)" "$(tm_screen | grep -v '^$' | tail -n 25)"; fi
}
cleanup_tm() { tm kill-server 2>/dev/null || true; }
trap 'cleanup_tm; rm -rf "$work"' EXIT INT TERM

printf 'pass phrase\n' >"$work/pw"
chmod 600 "$work/pw"
"$keygen" -n . -a 15 -m 2 -N 3 -o "$work/out" --shares-out "$work/shares" --passphrase-file "$work/pw" \
	--yes >/dev/null
"$keygen" -n . -a 15 -m 2 -N 3 -o "$work/other" --shares-out "$work/othershares" --yes >/dev/null
env=$(ls "$work/out"/*.escrow)
one=$(cat "$work/shares/share-1-1.txt")
two=$(cat "$work/shares/share-1-3.txt")
foreign=$(cat "$work/othershares/share-1-1.txt")
w() { echo "$1" | cut -d' ' -f"$2"; }
pre() { w "$1" "$2" | cut -c1-4; }

echo "typing shares for verify"
tm_start "$combine" verify --envelope "$env"
check "the first share is asked for" "share 1, word 1>"
# words 1-10, a word that is no SLIP-0039 word at 11, then 12-15 typed on
tm_type "$(w "$one" 1-10) xyzzy $(w "$one" 12-15)"
check "an unknown word is named with its position" "word 11 is not a SLIP-0039 word"
check "only that word is asked for again" "share 1, word 11 \\(again\\)>"
# word 11 as its first four letters: shown expanded
tm_type "$(pre "$one" 11)"
check "the next word asked is the one after those already in" "share 1, word 16>"
if [ "$(printf %s "$(w "$one" 11)" | wc -c)" -gt 4 ]; then
	check "a prefix is shown expanded" "read as: 11=$(w "$one" 11)"
fi
tm_type "$(w "$one" 16) nonsense"
check "a second unknown word" "word 17 is not a SLIP-0039 word"
tm_type "back"
check "back goes to the word before" "back to word 16"
check "and asks for it" "share 1, word 16>" 2
tm_type "$(w "$one" 16-33)"
check "the share is accepted" "share 1 of 2 accepted: group 1, member 1"
# leak WORDS: the lines of the screen (and scrollback) holding three or
# more of these words (the tool's own text holds a few SLIP-0039 words,
# such as "type" and "member"; a line of a share holds many)
leak() {
	tm_screen | awk -v words="$1" 'BEGIN { n = split(tolower(words), w, " "); for (i = 1; i <= n; i++) sw[w[i]] = 1 }
	{ c = 0; split(tolower($0), t, /[^a-z]+/); delete seen; for (k in t) if ((t[k] in sw) && !(t[k] in seen)) { seen[t[k]] = 1; c++ } if (c >= 3) print }'
}
screen=$(tm_screen)
left=$(leak "$one")
[ -z "$left" ] && ok "after the share is accepted the screen and its scrollback hold none of its words" ||
	bad "lines with words of the accepted share still on the screen" "$left"
printf '%s\n' "$screen" | grep -q "xyzzy" && bad "a typed line is still on the screen" || ok "nothing typed is left on the screen"

# a share of another set: named after its first two words
check "the second share is asked for, numbered by the accepted ones" "share 2, word 1>"
tm_type "$(w "$foreign" 1-2)"
check "a share of another set is named after two words" "belongs to share set [0-9]+, but the envelope's share set is"
check "and the same share number is asked again" "share 2, word 1>" 2

# Ctrl-D with one share accepted: asked first
tm send-keys C-d
check "Ctrl-D asks before dropping the accepted share" "Stop typing shares\\?  The 1 share accepted so far would be wiped"
tm_type "n"
check "answering no goes on" "share 2, word 1>" 3

# the second share with words 7 and 8 swapped (different words)
a7=$(w "$two" 7); a8=$(w "$two" 8)
if [ "$a7" != "$a8" ]; then
	swapped=$(echo "$two" | awk '{ t = $7; $7 = $8; $8 = t; print }')
	tm_type "$swapped"
	check "a swap of two words is offered as a correction" "words 7 and 8 look swapped"
	tm_type "y"
else
	tm_type "$two"
	ok "(words 7 and 8 of this share are the same: no swap to offer)"
fi
check "the second share is accepted" "share 2 of 2 accepted: group 1, member 3"
check "the passphrase is asked" "SLIP-0039 passphrase"
tm_type "wrong one"
check "a wrong passphrase is named" "the passphrase is wrong"
check "and asked again with the shares kept" "The shares are still in memory: type the passphrase again"
tm_type "pass phrase"
check "the right passphrase restores the envelope" "The master secret restores the envelope"
[ "$(tm_rc)" = 0 ] && ok "verify exits 0" || bad "verify exit $(tm_rc)"

echo "Ctrl-C while a share is typed"
tm_start "$combine" verify --envelope "$env"
check "a share is asked for" "share 1, word 1>"
tm_type "$(w "$one" 1-5)"
check "five words in" "share 1, word 6>"
tm send-keys C-c
check "Ctrl-C stops and says what was typed is wiped" "stopped by Ctrl-C \\(SIGINT\\); what was typed is wiped from memory"
[ "$(tm_rc)" = 130 ] && ok "exit status 130" || bad "exit $(tm_rc)"

echo "audit: a typed share of another set, then one of this set"
tm_start "$combine" audit --envelope "$env"
check "audit asks for the share" "share 1, word 1>"
tm_type "$(w "$foreign" 1-3)"
check "audit names a share of another set at once" "belongs to share set"
tm_start "$combine" audit "$env"
check "audit takes the envelope among its inputs and asks for the share" "share 1, word 1>"
tm_type "$two"
check "the audited share belongs" "belongs to this envelope"
left=$(leak "$two")
[ -z "$left" ] && ok "the audited share is off the screen" ||
	bad "lines with the audited share's words still on the screen" "$left"

echo "a typed share of the set a reshare replaced"
"$combine" reshare --envelope "$env" --passphrase-file "$work/pw" --new-passphrase-file "$work/pw" \
	-m 2 -N 3 -o "$work/re" --shares-out "$work/reshares" --yes \
	"$work/shares/share-1-1.txt" "$work/shares/share-1-2.txt" >/dev/null 2>&1 || bad "reshare"
newenv=$(ls "$work/re"/*.escrow)
oldset=$(sed -n 's/^Share set \([0-9]*\) .*/\1/p' "$work/out"/*-transcript.txt)
tm_start "$combine" audit "$newenv"
check "audit of the new envelope asks for the share" "share 1, word 1>"
tm_type "$(w "$two" 1-2)"
check "after two words: a share of the replaced set, void" "is a share of REPLACED share set $oldset: it was replaced on [0-9-]+ by this envelope"
check "and to be destroyed" "the share is void .*destroy that sheet"
tm_start "$combine" verify --envelope "$newenv" --passphrase-file "$work/pw"
check "verify asks for a share" "share 1, word 1>"
tm_type "$(w "$one" 1-2)"
check "verify names the replaced set after two words too" "is a share of REPLACED share set $oldset"
check "and asks for share 1 again" "share 1, word 1>" 2

echo "load: a wrong PIN, then shares typed, then a load that fails once"
tok=$work/hsm
softhsm "$tok" t 1234
export SOFTHSM2_CONF=$tok/softhsm2.conf
fi_mod=$bin/tests/fi/libescrow-fi.so
if [ -f "$fi_mod" ]; then
	# C_Sign's second call fails (the first is the probe's, before any share): the load's test signature
	tm_start env ESCROW_FI_FUNC=C_Sign ESCROW_FI_COUNT=2 "$combine" load --module "$fi_mod" \
		--token pkcs11:token=t --passphrase-file "$work/pw" --envelope "$env"
	check "the PIN is asked before any share" "User PIN for token \"t\":"
	tm_screen | grep -q "word 1>" && bad "a share was asked before the PIN" || ok "no share asked before the PIN"
	tm_type "0000"
	check "a wrong PIN is named" "CKR_PIN_INCORRECT"
	check "and asked again" "wrong PIN for token \"t\": try 2 of 3"
	tm_type "1234"
	check "the right PIN opens the token" "token \"t\" opened and logged in"
	check "the probe's test load says the key type loads, before any share" "ED25519: loads"
	check "then the shares are asked" "share 1, word 1>"
	tm_type "$one"
	check "share 1 in" "share 1 of 2 accepted"
	tm_type "$two"
	check "the load fails once" "loading the keys: C_Sign returned CKR_DEVICE_ERROR"
	check "a retry is offered with the shares in memory" "The shares are still in memory.*try the load again"
	tm_type ""
	check "the retry loads the key" "Loaded into token \"t\""
	[ "$(tm_rc)" = 0 ] && ok "load exits 0 after the retry" || bad "load exit $(tm_rc)" "$(tm_screen | tail -n 20)"
	[ "$(objects "$tok" t 1234)" = 2 ] && ok "the token holds one key pair" || bad "objects: $(objects "$tok" t 1234)"
else
	bad "the fault-injection module $fi_mod is not built (make check builds it)"
fi

echo "keygen: a wrong PIN asked again before anything is made"
softhsm "$work/hsm2" t2 4321
export SOFTHSM2_CONF=$work/hsm2/softhsm2.conf
tm_start "$keygen" -n example.com -a 13 -m 2 -N 3 -o "$work/gen" --shares-out "$work/genshares" \
	--module "$module" --token pkcs11:token=t2
check "keygen shows its summary" "About to generate:"
tm_type ""
check "keygen asks the PIN first" "User PIN for token \"t2\":"
tm_type "1111"
check "keygen: a wrong PIN is asked again" "wrong PIN for token \"t2\": try 2 of 3"
[ ! -e "$work/gen" ] && ok "nothing made while the PIN is asked" || bad "files before the login" "$(ls -R "$work/gen")"
tm_type "4321"
check "keygen then asks for the passphrase" "SLIP-0039 passphrase"
tm_type ""
check "twice" "The same passphrase again"
tm_type ""
check "keygen shows the load" "Loaded into token \"t2\""
check "and the files written" "Files written:"
[ "$(tm_rc)" = 0 ] && ok "keygen exits 0" || bad "keygen exit $(tm_rc)" "$(tm_screen | tail -n 20)"
[ "$(objects "$work/hsm2" t2 4321)" = 2 ] && ok "the new key is in the token" || bad "objects: $(objects "$work/hsm2" t2 4321)"
finish
