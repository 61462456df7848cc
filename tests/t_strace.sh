#!/bin/sh
# Every byte the tools write, seen by the kernel: keygen, verify, load,
# reshare, export and an interactive verify run under
#   strace -f -y -xx -e trace=write,pwrite64,writev,pwritev,openat
# and each write is searched for the master secret (raw), the private
# key (PKCS#8 DER raw, PEM body), the passphrase and every share (a run of
# its words).  A secret may go only where the operator asked for it:
# shares to the --shares-out files and to the new shares of a reshare,
# the private key to export's -o file, share words to the terminal while
# the operator types them.  Nothing else: not stdout/stderr pipes, not
# the envelope or records, not a temporary file, not the token's files.
# Files opened for writing must all lie in the directories the run names.
. "$(dirname "$0")/lib.sh"
command -v strace >/dev/null || { echo "t_strace: strace missing"; exit 1; }
helper=$bin/tests/escrow-testhelper
# LeakSanitizer cannot run under ptrace: no leak check in an ASan build here
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
# the real binaries: strace must see the tools, not a wrapper
kg=$bin/escrow-keygen cb=$bin/escrow-combine
st() { # LOG CMD...: run CMD under strace, the trace in LOG
	log=$1; shift
	strace -f -y -xx -s 1048576 -qq -e trace=write,pwrite64,writev,pwritev,openat -o "$log" "$@"
}
softhsm "$work/hsm" t 1234
printf 'tr0ub4dor secret\n' >"$work/pass"
chmod 600 "$work/pass"
pass_hex=$(printf 'tr0ub4dor secret' | od -An -v -tx1 | tr -d ' \n')

set +e
SOFTHSM2_CONF=$work/hsm/softhsm2.conf st "$work/keygen.st" "$kg" -n . -a 13 -m 2 -N 3 -o "$work/cer" \
	--shares-out "$work/shares" --passphrase-file "$work/pass" --yes \
	--module "$module" --token pkcs11:token=t --pin-source "$work/hsm/pin" >"$work/keygen.out" 2>&1
rc=$?
set -e
[ "$rc" = 0 ] && ok "keygen under strace" || bad "keygen under strace (exit $rc)" "$(cat "$work/keygen.out")"
env=$(ls "$work/cer"/*.escrow)
s1=$work/shares/share-1-1.txt s2=$work/shares/share-1-2.txt s3=$work/shares/share-1-3.txt
softhsm "$work/hsm2" t 1234

set +e
st "$work/verify.st" "$cb" verify --yes --passphrase-file "$work/pass" --envelope "$env" "$s1" "$s2" >"$work/o1" 2>&1 &&
SOFTHSM2_CONF=$work/hsm2/softhsm2.conf st "$work/load.st" "$cb" load --yes --passphrase-file "$work/pass" \
	--envelope "$env" --module "$module" --token pkcs11:token=t --pin-source "$work/hsm2/pin" "$s2" "$s3" >"$work/o2" 2>&1 &&
st "$work/reshare.st" "$cb" reshare --yes --passphrase-file "$work/pass" --envelope "$env" -m 2 -N 2 \
	-o "$work/reshare" --shares-out "$work/reshare" "$s1" "$s3" >"$work/o3" 2>&1 &&
st "$work/export.st" "$cb" export --yes --passphrase-file "$work/pass" --envelope "$env" --format pem \
	-o "$work/private.pem" --i-understand-this-writes-a-private-key "$s1" "$s3" >"$work/o4" 2>&1
rc=$?
set -e
[ "$rc" = 0 ] && ok "verify, load, reshare and export under strace" ||
	bad "the tools under strace (exit $rc)" "$(cat "$work/o1" "$work/o2" "$work/o3" "$work/o4")"

# an operator typing a share at the terminal (expect gives it a pty)
one=$(cat "$s1") three=$(cat "$s3")
cat >"$work/type.exp" <<EXP
set timeout 60
log_user 0
spawn strace -f -y -xx -s 1048576 -qq -e trace=write,pwrite64,writev,pwritev,openat -o $work/typed.st $cb verify --passphrase-file $work/pass --envelope $env
expect "share 1, word 1>"
send "$one\r"
expect "share 2, word 1>"
send "$three\r"
expect "The master secret restores the envelope" { } timeout { exit 11 }
expect eof
catch wait result
exit [lindex \$result 3]
EXP
expect_rc 0 "typing two shares at a terminal, under strace" expect -f "$work/type.exp"

# the secrets, learnt by the test alone
S=$("$helper" master-secret -p "tr0ub4dor secret" "$s1" "$s2")
[ ${#S} = 64 ] && ok "the test recovered the master secret" || bad "no master secret: $S"
openssl pkey -in "$work/private.pem" -outform DER -out "$work/private.der"
der_hex=$(od -An -v -tx1 "$work/private.der" | tr -d ' \n')
pem_hex=$(sed -n 2p "$work/private.pem" | tr -d '\n' | od -An -v -tx1 | tr -d ' \n')
words_hex() { cut -d' ' -f5-12 "$1" | tr -d '\n' | od -An -v -tx1 | tr -d ' \n'; }

# writes: one line per write call, "PID<TAB>path of the fd<TAB>hex of the bytes"
# (strace -xx writes paths as \xHH too: unhex turns them back)
unhex='function unhex(s,   o, i, hx) {
	hx = "0123456789abcdef"
	if (s !~ /^(\\x[0-9a-f][0-9a-f])+$/) return s
	o = ""
	for (i = 1; i < length(s); i += 4)
		o = o sprintf("%c", (index(hx, substr(s, i + 2, 1)) - 1) * 16 + index(hx, substr(s, i + 3, 1)) - 1)
	return o
}'
writes() {
	awk "$unhex"'/ (write|pwrite64|writev|pwritev)\(/ {
		path = "?"
		if (match($0, /\([0-9]+<[^>]*>/)) path = substr($0, RSTART + 1, RLENGTH - 2)
		sub(/^[0-9]+</, "", path); path = unhex(path)
		h = $0; sub(/^[^"]*"/, "", h); sub(/"[^"]*$/, "", h)
		gsub(/", iov_len=[0-9]+\}, \{iov_base="/, "", h)
		gsub(/\\x/, "", h)
		printf "%s\t%s\n", path, h
	}' "$@"
}
writes "$work"/*.st >"$work/writes"
n=$(wc -l <"$work/writes")
[ "$n" -gt 50 ] && ok "$n write calls traced" || bad "only $n write calls traced"
grep -q "	$(printf 'share' | od -An -tx1 | tr -d ' \n')" "$work/writes" ||
	grep -q "$(printf 'master secret' | od -An -tx1 | tr -d ' \n')" "$work/writes" &&
	ok "the trace holds the tools' messages (the search can find text)" || bad "the trace holds no message text"

# where HEX NAME ALLOWED-PATH-PATTERN [MIN]: HEX written only to paths
# matching the pattern, and to at least MIN of them (where the operator
# asked for it: this proves the search finds what it looks for)
where() {
	hits=$(awk -F '\t' -v h="$1" 'index($2, h) { print $1 }' "$work/writes" | sort -u)
	badp=$(echo "$hits" | grep -v '^$' | grep -Ev "$3" || true)
	nh=$(echo "$hits" | grep -c . || true)
	if [ -n "$badp" ]; then bad "$2 written to $badp"
	elif [ "$nh" -lt "${4:-0}" ]; then bad "$2 not found even where it was asked for"
	else ok "$2: only where asked ($nh places)"; fi
}
never='^$'
where "$S" "the master secret (raw)" "$never"
where "$(printf %s "$S" | od -An -v -tx1 | tr -d ' \n')" "the master secret (hex text)" "$never"
where "$der_hex" "the private key (PKCS#8 DER)" "$never"
where "$pem_hex" "the private key (PEM)" "^$work/private\\.pem\$" 1
where "$pass_hex" "the passphrase" "$never"
for f in "$s1" "$s2" "$s3"; do
	where "$(words_hex "$f")" "share $(basename "$f")" "^($work/shares/share-1-[123]\\.txt|/dev/pts/[0-9]+)\$" 1
done
for f in "$work/reshare"/share-*.txt; do
	[ -f "$f" ] || continue
	where "$(words_hex "$f")" "new share $(basename "$f")" "^$work/reshare/share-[0-9]-[0-9]\\.txt\$"
done
# the typed shares did reach the terminal (so the search works there too)
awk -F '\t' -v h="$(words_hex "$s1")" 'index($2, h) { print $1 }' "$work/writes" | grep -q '^/dev/pts/' &&
	echo "       (the tool wrote typed share words to the terminal)" ||
	echo "       (the tool wrote no typed share word back: the terminal echoed them)"

# files opened for writing: only in the run's own directories and devices
opened=$(grep -h 'openat(' "$work"/*.st | grep -E 'O_WRONLY|O_RDWR' | grep -v '= -1' |
	awk "$unhex"'{ p = $0; sub(/^[^"]*"/, "", p); sub(/".*/, "", p); print unhex(p) }' | sort -u)
stray=$(echo "$opened" | grep -v '^$' | grep -Ev "^($work/(cer|shares|reshare|hsm|hsm2)/|$work/private\\.pem\$|/dev/(null|tty|pts/))" || true)
[ -z "$stray" ] && ok "files written only in the named directories ($(echo "$opened" | grep -c .) files)" ||
	bad "files opened for writing elsewhere" "$stray"
finish
