#!/bin/sh
# Secrets never on disk, with printing: a ceremony printed through a
# private cupsd, then the whole `make demo` ceremony (tools/demo.sh, kept
# with KEEP=1).  Every file either run wrote - output directories, cupsd's
# spool, temporary and state directories and logs, the tools' TMPDIR, and
# anything new in /tmp and /var/tmp - is searched for the master secret,
# every share and the private key, raw and encoded (as tests/t_secrets.sh
# does).  (Other test runs' own work directories in /tmp are left out, so
# that runs side by side do not see each other's share files.)  Not searched: what the operator asked for (--shares-out files,
# the printer's output file, the demo's share sheets and their scans:
# those are the paper).
. "$(dirname "$0")/lib.sh"
helper=$bin/tests/escrow-testhelper
PATH="$PATH:/usr/sbin"
for t in cupsd lpadmin lpstat zbarimg pdftoppm; do
	command -v "$t" >/dev/null || { echo "t_secrets_print: $t missing (make deps)"; exit 1; }
done
stamp=$work/stamp
: >"$stamp"
sleep 1 # find -newer compares whole seconds on some file systems

# a private cupsd (as nobody when root: the directory must be reachable)
chmod 755 "$work"
mkdir "$work/cups" "$work/tmp"
stop() { sh "$top/tests/cupsd/cupsd.sh" stop "$work/cups" || true; rm -rf "$work"; }
trap stop EXIT
trap 'exit 1' INT TERM HUP
sh "$top/tests/cupsd/cupsd.sh" start "$work/cups" >/dev/null
export CUPS_SERVER="$work/cups/cups.sock"
export TMPDIR="$work/tmp"

printf 'print secret\n' >"$work/pass"
chmod 600 "$work/pass"
expect_rc 0 "keygen 2-of-3, every sheet printed through cupsd" "$keygen" -n . -a 13 -m 2 -N 3 -o "$work/cer" \
	--shares-out "$work/shares" --passphrase-file "$work/pass" --print test --yes
[ -s "$work/cups/out.pdf" ] && ok "the printer wrote its output" || bad "no printer output"
s1=$work/shares/share-1-1.txt s3=$work/shares/share-1-3.txt
env=$(ls "$work/cer"/*.escrow)
expect_rc 0 "reshare 2-of-2, printed" "$combine" reshare --yes --passphrase-file "$work/pass" \
	--envelope "$env" -m 2 -N 2 -o "$work/reshare" --print test "$s1" "$s3"
lpstat -o 2>/dev/null | grep -q . && bad "jobs still queued" "$(lpstat -o)" || ok "no job left in the queue"

# the demo ceremony, kept; its shares read back from its own scans
demo_log=$work/demo.log
if KEEP=1 B=$B sh "$top/tools/demo.sh" >"$demo_log" 2>&1; then ok "make demo (kept)"; else bad "make demo" "$(tail -n 30 "$demo_log")"; fi
demo=$(sed -n 's/^kept //p' "$demo_log")
[ -d "$demo" ] || { bad "the demo directory was not kept"; finish; exit 1; }
mkdir "$work/demoshares"
for s in share-1-1 share-1-3 share-1-5; do
	zbarimg -q --raw "$demo/scans/$s"*.p?m 2>/dev/null | head -n 1 | tr A-Z a-z >"$work/demoshares/$s.txt"
done
dS=$("$helper" master-secret "$work/demoshares"/*.txt)
[ ${#dS} = 64 ] && ok "the demo's master secret, from its scans" || bad "no demo master secret: $dS"
denv=$(ls "$demo/ceremony"/*.escrow)
expect_rc 0 "the demo's private key, for the search" "$combine" export --yes --envelope "$denv" \
	--format pem -o "$work/demo-private.pem" --i-understand-this-writes-a-private-key "$work/demoshares"/*.txt

# this ceremony's secrets
S=$("$helper" master-secret -p "print secret" "$s1" "$s3")
[ ${#S} = 64 ] && ok "the master secret" || bad "no master secret: $S"
expect_rc 0 "the private key, for the search" "$combine" export --yes --passphrase-file "$work/pass" \
	--envelope "$env" --format pem -o "$work/private.pem" --i-understand-this-writes-a-private-key "$s1" "$s3"

# where to look
files=$( { find "$work/cer" "$work/reshare" "$work/cups" "$work/tmp" "$demo" -type f;
	find /tmp /var/tmp -xdev -type f -newer "$stamp" 2>/dev/null | grep -v "^$work/" |
	grep -Ev '^/tmp/escrow-(e2e|print|demo)-[^/]*/'; } |
	grep -v "^$work/cups/out\\.pdf\$" | grep -Ev "^$demo/(ceremony/share-[^/]*\\.pdf|scans/share-[^/]*)\$" |
	grep -v "^$work/cups/cups\\.sock\$" | sort -u)
n=$(echo "$files" | grep -c .)
spool=$(echo "$files" | grep -c "^$work/cups/spool/" || true)
echo "       searching $n files ($spool in the spool)"
[ "$n" -gt 10 ] && ok "searching $n files" || bad "only $n files to search"

search_bytes() { # NAME HEX
	if hit=$(echo "$files" | tr '\n' '\0' | xargs -0 "$helper" find "$2"); then bad "$1 found" "$hit"; else ok "$1 not found"; fi
}
search_text() { # NAME TEXT
	if hit=$(echo "$files" | tr '\n' '\0' | xargs -0 grep -alF -- "$2"); then bad "$1 found" "$hit"; else ok "$1 not found"; fi
}
secrets() { # LABEL S PEM SHAREFILE...
	label=$1 sec=$2 pem=$3; shift 3
	openssl pkey -in "$pem" -outform DER -out "$pem.der"
	der=$(od -An -v -tx1 "$pem.der" | tr -d ' \n')
	search_bytes "$label: the master secret (raw)" "$sec"
	search_text "$label: the master secret (hex)" "$sec"
	search_text "$label: the master secret (base64)" "$(printf %s "$sec" | tr a-f A-F | basenc --base16 -d | base64 -w0)"
	search_bytes "$label: the private key (PKCS#8 DER)" "$der"
	search_text "$label: the private key (PEM)" "$(sed -n 2p "$pem")"
	search_text "$label: the private key (hex)" "$der"
	for f in "$@"; do
		middle=$(cut -d' ' -f5-12 "$f")
		search_text "$label: share $(basename "$f") (words)" "$middle"
		search_text "$label: share $(basename "$f") (WORDS)" "$(echo "$middle" | tr a-z A-Z)"
	done
}
# must-find cases: the searches find a secret where there is one
middle=$(cut -d' ' -f5-12 "$s1")
grep -qF -- "$middle" "$s1" && ok "the word search finds a share in its share file" ||
	bad "the word search misses the share in its own file"
openssl pkey -in "$work/private.pem" -outform DER -out "$work/check.der"
"$helper" find "$(od -An -v -tx1 "$work/check.der" | tr -d ' \n')" "$work/check.der" >/dev/null &&
	ok "the byte search finds the private key in a DER file" || bad "the byte search misses the DER key"

secrets printed "$S" "$work/private.pem" "$work/shares"/share-*.txt
secrets demo "$dS" "$work/demo-private.pem" "$work/demoshares"/*.txt
search_text "the passphrase" "print secret"
rm -rf "$demo"
finish
