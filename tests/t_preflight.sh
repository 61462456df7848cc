#!/bin/sh
# Everything public is checked before the human steps, and every bad
# input is named with its file, its role and what to do: each message of
# issue 15 (bad inputs, HSM edge cases, usage) and issue 14's --rrsig-out,
# on the real tools with SoftHSM.  Where a check must come before the
# shares, the shares are given as files the tool never got to: the run
# must not say "envelope from" (it stopped before reading them).
. "$(dirname "$0")/lib.sh"

softhsm "$work/hsm" t 1234
export SOFTHSM2_CONF=$work/hsm/softhsm2.conf
"$keygen" -n example.com -a 13 -m 2 -N 3 -o "$work/out" --shares-out "$work/shares" --yes >/dev/null
env=$(ls "$work/out"/*.escrow)
s1=$work/shares/share-1-1.txt s2=$work/shares/share-1-2.txt
: >"$work/empty.txt"
echo "hello world, this is a shopping list" >"$work/garbage.txt"
mkdir "$work/adir"
: >"$work/zone.txt"
tokpin=$work/hsm/pin
load() { "$combine" load --yes --envelope "$env" --module "$module" --token pkcs11:token=t "$@"; }
before_shares() {
	grep -q "master secret restored" "$work/last.log" &&
		bad "$1: the shares were read before the check" "$(cat "$work/last.log")" ||
		ok "$1: stopped before the shares"
}

echo "usage: both tools alike"
expect_rc 2 "keygen: an unknown option" "$keygen" --frobnicate
expect_out "^escrow-keygen: unknown option '--frobnicate'; see escrow-keygen --help$" "keygen names it in one line"
expect_rc 2 "combine: an unknown option" "$combine" load --frobnicate
expect_out "^escrow-combine: unknown option '--frobnicate'; see escrow-combine load --help$" "combine names it the same way"
expect_rc 2 "keygen: an option without its value" "$keygen" -o
expect_out "option '-o' needs a value; see escrow-keygen --help" "the missing value is named"
expect_rc 2 "keygen: -m given twice" "$keygen" -n . -m 2 -m 3 -N 3 -o "$work/x" --shares-out "$work/y" --yes
expect_out "-m given twice: give it once" "a repeated single-value option is a usage error"
expect_rc 2 "combine: --envelope given twice" "$combine" verify --envelope "$env" --envelope "$env"
expect_out "--envelope given twice" "the repeated option is named"
expect_rc 2 "keygen without -n" "$keygen" -m 2 -N 3 -o "$work/x" --shares-out "$work/y" --yes
expect_out "-n OWNER is required.*-n \\.' for the root" "the root needs an explicit -n ."
expect_rc 0 "load --help" "$combine" load --help
expect_out "^usage: escrow-combine load " "it is load's usage"
grep -q "reshare\|--trust-anchor\|--format" "$work/last.log" && bad "load --help shows other subcommands" "$(cat "$work/last.log")" ||
	ok "and nothing of the other subcommands"

echo "the token and its login, before any share"
expect_rc 2 "a --token that is not a URI" "$combine" load --yes --envelope "$env" --module "$module" --token T2 \
	--pin-source "$tokpin" "$s1" "$s2"
expect_out "--token .* is not a PKCS#11 URI" "it says so"
expect_rc 2 "keygen: a --token that is not a URI" "$keygen" -n . -m 2 -N 3 -o "$work/k1" --shares-out "$work/k1s" \
	--yes --module "$module" --token T2
expect_out "is not a PKCS#11 URI" "keygen says so too"
expect_rc 1 "a module that does not exist" "$combine" load --yes --envelope "$env" --module /nonexistent/p11.so \
	--token pkcs11:token=t --pin-source "$tokpin" "$s1" "$s2"
expect_out "--module ./nonexistent/p11.so' \\(the PKCS#11 module\\): No such file" "the module is named with its role"
before_shares "missing module"
expect_rc 1 "a PIN source that does not exist" load --pin-source "$work/nosuchpin" "$s1" "$s2"
expect_out "--pin-source .*nosuchpin' \\(the PIN source\\)" "the PIN source is named as such"
before_shares "missing PIN source"
expect_rc 1 "an empty PIN source" load --pin-source "$work/empty.txt" "$s1" "$s2"
expect_out "\\(the PIN source\\): empty" "an empty PIN source is refused before it costs a try"
before_shares "empty PIN source"
printf '0000\n' >"$work/badpin"
chmod 600 "$work/badpin"
expect_rc 1 "a wrong PIN from a file" load --pin-source "$work/badpin" "$s1" "$s2"
expect_out "PIN in --pin-source .*was refused" "the refused PIN is the PIN source's"
before_shares "wrong PIN"
expect_rc 1 "an unknown token" "$combine" load --yes --envelope "$env" --module "$module" --token pkcs11:token=nosuch \
	--pin-source "$tokpin" "$s1" "$s2"
before_shares "unknown token"
expect_rc 1 "keygen: a wrong PIN from a file" "$keygen" -n . -m 2 -N 3 -o "$work/k2" --shares-out "$work/k2s" \
	--yes --module "$module" --token pkcs11:token=t --pin-source "$work/badpin"
[ ! -e "$work/k2" ] && [ ! -e "$work/k2s" ] && ok "keygen: nothing made after the refused PIN" || bad "keygen made files" "$(ls -R "$work/k2")"

echo "--rrsig-out (issue 14) and the token's IDs"
expect_rc 1 "an --rrsig-out that exists" load --pin-source "$tokpin" --rrsig-out "$work/zone.txt" "$s1" "$s2"
expect_out "--rrsig-out .*zone.txt' already exists" "it is named"
before_shares "existing --rrsig-out"
[ "$(objects "$work/hsm" t 1234)" = 0 ] && ok "the token is untouched" || bad "objects: $(objects "$work/hsm" t 1234)"
expect_rc 1 "an --rrsig-out in a directory that does not exist" load --pin-source "$tokpin" \
	--rrsig-out "$work/nodir/zone.txt" "$s1" "$s2"
expect_out "--rrsig-out .*cannot write in" "the directory is named"
expect_rc 0 "a load" load --pin-source "$tokpin" "$s1" "$s2"
# the same whole set again: the load proves each pair and leaves it (a
# load stopped after its commit is finished this way)
expect_rc 0 "the same keys again" load --pin-source "$tokpin" "$s1" "$s2"
expect_out "already holds this whole key set" "it says the token already holds this set"
# half a key pair under the envelope's CKA_ID: refused before any share
id=$(SOFTHSM2_CONF=$work/hsm/softhsm2.conf pkcs11-tool --module "$module" --token-label t \
	--login --pin 1234 --list-objects --type pubkey 2>/dev/null | awk '/ID:/ { print $2; exit }')
SOFTHSM2_CONF=$work/hsm/softhsm2.conf pkcs11-tool --module "$module" --token-label t \
	--login --pin 1234 --delete-object --type pubkey --id "$id" >/dev/null 2>&1
expect_rc 1 "a key of the envelope already half in the token" load --pin-source "$tokpin" "$s1" "$s2"
expect_out "already holds 1 object with the CKA_ID" "the IDs already in the token are named"
before_shares "duplicate CKA_ID"
expect_out "the objects already there|nothing was done" "and it does not read as if the token were emptied"
chmod 555 "$work/adir"
if [ "$(id -u)" != 0 ]; then
	expect_rc 1 "an --rrsig-out that cannot be written after the load" load --pin-source "$tokpin" --replace \
		--rrsig-out "$work/adir/zone.txt" "$s1" "$s2"
else
	ok "(as root every directory is writable: the late --rrsig-out failure is not provoked)"
fi
chmod 755 "$work/adir"

echo "inputs that are not what they should be"
expect_rc 1 "an empty file" "$combine" verify --yes --envelope "$env" "$work/empty.txt" "$s1"
expect_out "input .*empty.txt' is empty: neither a share nor an envelope" "an empty file is named as such"
expect_rc 1 "a text file that is no share" "$combine" verify --yes --envelope "$env" "$work/garbage.txt" "$s1"
expect_out "garbage.txt' is neither a share nor an envelope: [0-9]+ of its 7 words are not SLIP-0039 words" \
	"a text file of other words is not taken for a share"
expect_rc 1 "a directory" "$combine" verify --yes --envelope "$env" "$work/adir" "$s1"
expect_out "adir' is a directory, not a share, scan or envelope file" "a directory is named as such"
expect_rc 1 "no share and no terminal" "$combine" verify --envelope "$env" </dev/null
expect_out "no share among the inputs" "it says no share was given"
expect_rc 2 "a missing envelope" "$combine" verify --envelope "$work/nosuch.escrow" "$s1" "$s2"
expect_out "--envelope .*nosuch.escrow' \\(the envelope\\)" "the envelope is named as such"
expect_rc 1 "a share as the envelope" "$combine" verify --yes --envelope "$s1" "$s2"
expect_out "--envelope .*: no envelope found in it \\(it holds a share\\)" "a share given as the envelope is named"
expect_rc 0 "audit with the envelope among its inputs" "$combine" audit "$env" "$s2"
expect_out "belongs to this envelope" "audit checks the share"

echo "reshare: checked before the shares, a new name for the new envelope"
mkdir -p "$work/re"
cp "$work/out"/*.key "$work/re/"
expect_rc 1 "reshare -o where the key's files are" "$combine" reshare --yes --envelope "$env" -m 2 -N 3 \
	-o "$work/re" --shares-out "$work/reshares" "$s1" "$s2"
expect_out "already exists: refusing to overwrite it" "the existing file is named"
before_shares "reshare into a directory holding its files"
expect_rc 0 "reshare into a new directory" "$combine" reshare --yes --envelope "$env" -m 2 -N 3 \
	-o "$work/re2" --shares-out "$work/reshares" "$s1" "$s2"
new=$(ls "$work/re2"/*.escrow)
[ "$(basename "$new")" != "$(basename "$env")" ] && ok "the new envelope's name differs: $(basename "$new")" ||
	bad "the new envelope has the old name $(basename "$new")"
grep -q "^Passphrase: none" "$work/re2"/*-transcript.txt && ok "the transcript says whether there is a passphrase" ||
	bad "no passphrase line in the transcript" "$(cat "$work/re2"/*-transcript.txt)"
finish
