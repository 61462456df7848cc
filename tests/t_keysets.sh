#!/bin/sh
# Large key sets (issue 14): 2,000 P-256 keys share a 16-bit key tag (with
# owner and algorithm) somewhere in the set with probability 1 - e^-30.5
# (birthday bound; 300 keys: about one set in two), so each run has tag
# collisions.  The ceremony must succeed, name every file uniquely
# (K<owner>+<alg>+<tag> where that is unique in the set, with -<key number>
# appended for every key of a colliding group), give each key a label of
# its own, say so in the preflight and the transcript, and the envelope
# must verify.  The 10,000-key run is in `make bench` (tests/bench_keyset.sh).
. "$(dirname "$0")/lib.sh"

n=2000
expect_rc 0 "keygen --keys $n" "$keygen" -a 13 -n example.com -m 2 -N 3 --keys $n \
	-o "$work/out" --shares-out "$work/sh" --yes
expect_out "note: [0-9]+ keys of the set share their key tag" "the preflight reports the tag collisions"
cp "$work/last.log" "$work/keygen.log"
nk=$(ls "$work/out" | grep -c '\.key$' || true)
np=$(ls "$work/out" | grep -c '\.pem$' || true)
[ "$nk" = $n ] && [ "$np" = $n ] && ok "$n .key and $n .pem files" || bad "$n .key and $n .pem files ($nk, $np)"
ls "$work/out" | grep '\.key$' | sed -n 's/^Kexample\.com\.+013+\([0-9]\{5\}\)-\([0-9]*\)\.key$/\1 \2/p' >"$work/renamed"
ls "$work/out" | grep '\.key$' | sed -n 's/^Kexample\.com\.+013+\([0-9]\{5\}\)\.key$/\1/p' | sort >"$work/plain"
[ -s "$work/renamed" ] && ok "keys sharing a tag get -<key number>" || bad "keys sharing a tag get -<key number>" "$(ls "$work/out" | head)"
[ "$(wc -l <"$work/renamed")" -ge 2 ] && [ "$(( $(wc -l <"$work/renamed") + $(wc -l <"$work/plain") ))" = $n ] &&
	ok "every other key keeps its BIND name" || bad "every other key keeps its BIND name"
# each renamed tag occurs at least twice, and never also as a plain name
dup=$(cut -d' ' -f1 "$work/renamed" | sort | uniq -c | awk '$1 < 2' | wc -l)
both=$(cut -d' ' -f1 "$work/renamed" | sort -u | comm -12 - "$work/plain" | wc -l)
[ "$dup" = 0 ] && [ "$both" = 0 ] && ok "only colliding tags are renamed, all of each group" ||
	bad "only colliding tags are renamed, all of each group ($dup lone, $both also plain)"
# the tag in the name is the key's own, and the number is its place in the set
env=$(ls "$work/out"/*.escrow)
expect_rc 0 "inspect the envelope" "$combine" inspect "$env"
cp "$work/last.log" "$work/inspect.log"
read -r tag num <"$work/renamed"
grep -q "label \"Kexample.com.+013+$tag-$num\"" "$work/inspect.log" && ok "its label is its file name" ||
	bad "its label is its file name" "$(grep "tag $tag" "$work/inspect.log")"
labels=$(grep -o 'label "[^"]*"' "$work/inspect.log" | sort | uniq -d | wc -l)
total=$(grep -c 'label "' "$work/inspect.log" || true)
[ "$labels" = 0 ] && [ "$total" -ge $n ] && ok "every label is unique" || bad "every label is unique ($labels shared of $total)"
grep -q "its tag is shared by [0-9]* keys of the set: file Kexample.com.+013+$tag-$num.key" "$work/out"/*-transcript.txt &&
	ok "the transcript names the renamed file" || bad "the transcript names the renamed file"
# ldns computes the tag and DS of the renamed file on its own
ds=$(ldns-key2ds -n -2 "$work/out/Kexample.com.+013+$tag-$num.key" | awk '{ print $5, $6, $7, toupper($8) }')
[ "${ds%% *}" = "$(expr "$tag" + 0)" ] && grep -q "IN DS $ds\$" "$work/out"/*.ds &&
	ok "the renamed file holds a key of that tag, one of the set's DS records" ||
	bad "the renamed file holds a key of that tag, one of the set's DS records" "$ds"
expect_rc 0 "the envelope of $n keys verifies" "$combine" verify --yes --envelope "$env" \
	"$work/sh/share-1-1.txt" "$work/sh/share-1-3.txt"

finish
