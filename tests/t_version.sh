#!/bin/sh
# One version for the suite, from the file VERSION: both tools' --version,
# the first line of a transcript, what inspect names; `make install` and
# `make uninstall` into a DESTDIR leave nothing behind; the installed tools
# hold no test-only symbol.
. "$(dirname "$0")/lib.sh"

version="escrow $(cat "$top/VERSION")"
expect_rc 0 "escrow-keygen --version" "$keygen" --version
[ "$(cat "$work/last.log")" = "$version" ] && ok "escrow-keygen --version says '$version'" ||
	bad "escrow-keygen --version says '$(cat "$work/last.log")', not '$version'"
expect_rc 0 "escrow-combine --version" "$combine" --version
[ "$(cat "$work/last.log")" = "$version" ] && ok "escrow-combine --version says '$version'" ||
	bad "escrow-combine --version says '$(cat "$work/last.log")', not '$version'"

expect_rc 0 "a small ceremony" "$keygen" -a 15 -n example.com -m 2 -N 3 -o "$work/c" \
	--shares-out "$work/c/shares" --yes
t=$(ls "$work"/c/*transcript* 2>/dev/null | head -n 1)
if [ -n "$t" ] && [ "$(head -n 1 "$t")" = "$version" ]; then ok "the transcript's first line is '$version'"
else bad "the transcript's first line is not '$version'" "$(ls "$work/c"; [ -z "$t" ] || head -n 3 "$t")"; fi
expect_rc 0 "inspect the envelope" "$combine" inspect "$work"/c/*.escrow
[ "$(head -n 1 "$work/last.log")" = "read by $version" ] && ok "inspect names the version" ||
	bad "inspect's first line is not 'read by $version'" "$(head -n 3 "$work/last.log")"

dest=$work/dest
expect_rc 0 "make install into a DESTDIR" make -s -C "$top" B="$B" install DESTDIR="$dest" PREFIX=/usr
n=$(find "$dest" -type f | wc -l)
[ "$n" -ge 4 ] && ok "make install put $n files there" || bad "make install put only $n files there"
syms=$(nm "$dest"/usr/bin/escrow-* 2>&1 | grep -E ' [A-Za-z] (escrow_[a-z0-9_]*test[a-z0-9_]*|test_[a-z0-9_]+)$' || true)
[ -z "$syms" ] && ok "nm of the installed tools shows no test-only symbol" ||
	bad "the installed tools hold test-only symbols" "$syms"
nm "$top/$B/tests/check_all" | grep -q ' T escrow_random_set_test_seed$' &&
	ok "the test build has the test hook (so the check above can fail)" ||
	bad "the test build lacks escrow_random_set_test_seed"
expect_rc 0 "make uninstall from that DESTDIR" make -s -C "$top" B="$B" uninstall DESTDIR="$dest" PREFIX=/usr
left=$(find "$dest" -type f)
[ -z "$left" ] && ok "make uninstall removed every installed file" || bad "make uninstall left files" "$left"
finish
