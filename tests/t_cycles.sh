#!/bin/sh
# No two files of a directory call each other (directly or round a
# longer loop): the file-level call graph of lib/, printing/, tools/,
# keygen/ and combine/, read from the built objects with nm, has no cycle.
# (Issue 12 found combine/prompt.c <-> restore.c and lib/keys_dnskey.c <->
# keys_sign.c.)
. "$(dirname "$0")/lib.sh"

for dir in lib printing tools keygen combine; do
	objs=$(ls "$bin/$dir"/*.o 2>/dev/null || true)
	if [ -z "$objs" ]; then bad "$dir: no objects in $bin/$dir (build first)"; continue; fi
	for o in $objs; do
		f=$(basename "$o" .o)
		nm --defined-only -g "$o" | awk -v f="$f" 'NF == 3 { print "D", f, $3 }'
		nm -u "$o" | awk -v f="$f" '{ print "U", f, $NF }'
	done >"$work/syms"
	awk '$1 == "D" { def[$3] = $2 } $1 == "U" { n++; uf[n] = $2; us[n] = $3 }
	    END { for (i = 1; i <= n; i++) if ((us[i] in def) && def[us[i]] != uf[i]) print uf[i], def[us[i]] }' \
		"$work/syms" | sort -u >"$work/edges"
	# a cycle exists while some file calls only files that are still in the
	# graph: strip files that call nothing left (leaves), repeatedly
	cp "$work/edges" "$work/left"
	while :; do
		awk '{ print $1 }' "$work/left" | sort -u >"$work/callers"
		awk '{ print $2 }' "$work/left" | sort -u >"$work/callees"
		comm -13 "$work/callers" "$work/callees" >"$work/leaves"
		[ -s "$work/leaves" ] || break
		awk 'NR == FNR { leaf[$1] = 1; next } !($2 in leaf)' "$work/leaves" "$work/left" >"$work/next"
		mv "$work/next" "$work/left"
	done
	if [ ! -s "$work/left" ]; then ok "$dir: no file-level call cycle ($(wc -l <"$work/edges") edges)"
	else bad "$dir: files that call each other (in a loop)" "$(cat "$work/left")"; fi
done
finish
