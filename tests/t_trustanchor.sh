#!/bin/sh
# verify --trust-anchor (issue 14):
#   - when the anchor check fails, nothing on stdout reads as success (the
#     restore line and the records are printed only after the check);
#   - a KeyDigest for no key of the envelope is reported: checked against
#     its own PublicKey when it has one (RFC 9718 section 4.1.2), a damaged
#     one fails; one without PublicKey is said to be not checked;
#   - a KeyDigest whose validUntil has passed, or whose validFrom is still
#     to come, does not count as a match (RFC 9718 section 4.1.1).
. "$(dirname "$0")/lib.sh"

"$keygen" -n example.com -a 13 -m 2 -N 3 -o "$work/a" --shares-out "$work/sa" --yes >/dev/null
"$keygen" -n example.com -a 13 -m 2 -N 3 -o "$work/b" --shares-out "$work/sb" --yes >/dev/null
env=$(ls "$work/a"/*.escrow)
taa=$(ls "$work/a"/*-trust-anchor.xml)
tab=$(ls "$work/b"/*-trust-anchor.xml)
shares="$work/sa/share-1-1.txt $work/sa/share-1-2.txt"

# verify_ta NAME WANT FILE: stdout and stderr apart
verify_ta() {
	set +e
	# shellcheck disable=SC2086 # $shares is a list
	"$combine" verify --yes --envelope "$env" --trust-anchor "$3" $shares \
		>"$work/out.log" 2>"$work/err.log"
	rc=$?
	set -e
	cat "$work/out.log" "$work/err.log" >"$work/last.log"
	[ "$rc" = "$2" ] && ok "$1" || bad "$1 (exit $rc, wanted $2)" "$(cat "$work/last.log")"
}
no_success() {
	if [ -s "$work/out.log" ]; then bad "  nothing on stdout" "$(cat "$work/out.log")"
	else ok "  nothing on stdout"; fi
}

verify_ta "the envelope's own trust anchor" 0 "$taa"
grep -q "Every key matches the given trust anchor" "$work/out.log" && ok "  says so on stdout" || bad "  says so on stdout" "$(cat "$work/last.log")"

# 1. a damaged digest for the envelope's key
sed 's|<Digest>\(.\)|<Digest>0\1|; s|<Digest>00|<Digest>11|' "$taa" | sed 's|<Digest>\(.\{64\}\).*</Digest>|<Digest>\1</Digest>|' >"$work/bad.xml"
cmp -s "$taa" "$work/bad.xml" && bad "the damaged file differs"
verify_ta "a damaged KeyDigest for the key fails" 1 "$work/bad.xml"
no_success
expect_out "does not match the envelope's key" "  and says which"

# 2. the anchor also holds B's KeyDigest (another key of the same zone)
sed -n '/<KeyDigest/,/<\/KeyDigest>/p' "$tab" >"$work/b.kd"
sed '/<\/TrustAnchor>/d' "$taa" >"$work/plus.xml"
cat "$work/b.kd" >>"$work/plus.xml"; echo '</TrustAnchor>' >>"$work/plus.xml"
verify_ta "a KeyDigest for another key, sound" 0 "$work/plus.xml"
expect_out "for no key of this envelope; its Digest matches its own PublicKey" "  is reported and checked"
grep -q "also holds 1 KeyDigest for no key" "$work/out.log" && ok "  and counted on stdout" || bad "  and counted on stdout" "$(cat "$work/out.log")"
# its Digest damaged (the first hex digit changed)
sed '/<\/TrustAnchor>/d' "$taa" >"$work/plusbad.xml"
awk '/<Digest>/ { d = substr($0, index($0, "<Digest>") + 8, 1); r = (d == "A") ? "B" : "A";
	sub("<Digest>" d, "<Digest>" r) } { print }' "$work/b.kd" >>"$work/plusbad.xml"
echo '</TrustAnchor>' >>"$work/plusbad.xml"
verify_ta "a damaged KeyDigest for another key fails" 1 "$work/plusbad.xml"
no_success
expect_out "is for no key of this envelope, and its Digest is not that of its own PublicKey" "  and says the file is damaged"
# without PublicKey: cannot be checked, said so
sed '/<\/TrustAnchor>/d' "$taa" >"$work/nopub.xml"
grep -v '<PublicKey>\|<Flags>' "$work/b.kd" >>"$work/nopub.xml"; echo '</TrustAnchor>' >>"$work/nopub.xml"
verify_ta "a KeyDigest for another key without PublicKey" 0 "$work/nopub.xml"
expect_out "for no key of this envelope, and without a PublicKey: NOT checked" "  is reported as not checked"

# 3. validity dates
sed 's|validFrom="\([^"]*\)"|validFrom="2001-01-01T00:00:00+00:00" validUntil="2002-01-01T00:00:00Z"|' "$taa" >"$work/expired.xml"
verify_ta "an expired KeyDigest does not count" 1 "$work/expired.xml"
no_success
expect_out "expired at validUntil .2002-01-01T00:00:00Z.: it does not count \\(RFC 9718 section 4.1.1\\)" "  and says why"
sed 's|validFrom="[^"]*"|validFrom="2999-01-01T00:00:00-05:00"|' "$taa" >"$work/future.xml"
verify_ta "a KeyDigest valid only from 2999 does not count" 1 "$work/future.xml"
no_success
sed 's|validFrom="\([^"]*\)"|validFrom="2001-01-01T00:00:00.5Z" validUntil="2999-12-31T23:59:59+01:00"|' "$taa" >"$work/current.xml"
verify_ta "a KeyDigest within its dates counts" 0 "$work/current.xml"
sed 's|validFrom="[^"]*"|validFrom="yesterday"|' "$taa" >"$work/baddate.xml"
verify_ta "a validFrom that is no xsd:dateTime fails" 1 "$work/baddate.xml"
expect_out "is not an xsd:dateTime" "  and says so"

finish
