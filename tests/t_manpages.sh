#!/bin/sh
# The man pages render without warnings, and every option the programs
# accept (as their --help lists them) is documented.
. "$(dirname "$0")/lib.sh"

for prog in escrow-keygen escrow-combine; do
	page=$top/docs/$prog.1
	if MANWIDTH=80 man -l --warnings -E UTF-8 "$page" >"$work/$prog.txt" 2>"$work/$prog.err" &&
		[ ! -s "$work/$prog.err" ]; then ok "$prog(1) renders without warnings"
	else bad "$prog(1) renders with warnings" "$(cat "$work/$prog.err")"; fi
	"$bin/$prog" --help >"$work/$prog.help"
	opts=$(grep -oE -- '(^|[][ ,(|])--?[a-zA-Z][a-zA-Z0-9-]*' "$work/$prog.help" |
		sed 's/^[][ ,(|]*//' | sort -u)
	missing=""
	for o in $opts; do
		grep -qE -- "(^|[^a-zA-Z0-9-])$o([^a-zA-Z0-9-]|\$)" "$work/$prog.txt" || missing="$missing $o"
	done
	if [ -z "$missing" ]; then ok "$prog(1) documents all $(echo "$opts" | wc -l) options of --help"
	else bad "$prog(1) lacks:$missing"; fi
	grep -q "EXIT STATUS" "$work/$prog.txt" && ok "$prog(1) has an EXIT STATUS section" || bad "$prog(1): no EXIT STATUS"
done
finish
