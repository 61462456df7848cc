#!/bin/sh
# t_paper_sheets.sh - the printed sheets as a custodian keeps them: a
# 2-of-3 ceremony of three P-256 keys (a 10-chunk envelope: one page of
# codes, one of parity, typed copy) on A4 and on Letter, rasterised at
# 150 dpi.  Then:
#  - light and dark 3-px creases across every page at every fold line
#    (A4 99, 148.5, 198 mm; Letter 93.1, 139.7, 186.3 mm) still verify;
#  - any one envelope page left out entirely still verifies (parity);
#  - one chunk inked over and the parity page left out fails naming that
#    chunk's page and typed lines; typing only those lines (with the
#    header, taken from the typed copy by pdftotext) then verifies;
#  - a page of another envelope is reported once, not once per chunk;
#  - pdftotext of every sheet shows the format name and version, shares
#    show SLIP-0039, owner and key tags on every sheet.
. "$(dirname "$0")/lib.sh"
for t in pdftoppm pdftotext convert; do
	command -v "$t" >/dev/null 2>&1 || { echo "t_paper_sheets: $t missing (make deps)" >&2; exit 1; }
done
: >"$work/nopass"

# folds PAPER: the fold lines in pixel rows at 150 dpi
folds() {
	case $1 in
	a4) set -- 99 148.5 198 ;;
	letter) set -- 93.1 139.7 186.3 ;;
	esac
	for mm; do awk -v m="$mm" 'BEGIN { printf "%d\n", m * 150 / 25.4 }'; done
}

# crease SHADE PAPER IN OUT: a 3-px line of SHADE across IN at every fold
crease() {
	draw=""
	for y in $(folds "$2"); do
		draw="$draw -draw \"rectangle 0,$((y - 1)) 99999,$((y + 1))\""
	done
	eval convert "$3" -fill "$1" $draw "$4"
}

for paper in a4 letter; do
	d=$work/$paper
	expect_rc 0 "$paper: ceremony with PDF sheets" "$keygen" -a 13 --keys 3 \
		-n Example.COM -m 2 -N 3 -o "$d" --passphrase-file "$work/nopass" \
		--pdf --paper "$paper" --yes
	for f in envelope share-1-1 share-1-2 share-1-3 public; do
		pdftoppm -r 150 -gray "$d/$f.pdf" "$d/r-$f"
	done
	# which envelope pages hold QR codes: the data page(s), then parity
	qr=""
	for p in "$d"/r-envelope-*.pgm; do
		zbarimg -q "$p" >/dev/null 2>&1 && qr="$qr $p"
	done
	n=$(echo $qr | wc -w)
	[ "$n" -ge 2 ] && ok "$paper: $n envelope pages of QR codes (data and parity)" ||
		bad "$paper: envelope QR pages: $n"
	shares="$d/r-share-1-1-1.pgm $d/r-share-1-3-1.pgm"

	for shade in white black; do
		set --
		for p in $qr $shares; do
			crease "$shade" "$paper" "$p" "$p.$shade.pgm"
			set -- "$@" "$p.$shade.pgm"
		done
		expect_rc 0 "$paper: $shade 3-px creases at every fold of every page verify" \
			"$combine" verify --yes "$@"
	done

	for skip in $qr; do
		set --
		for p in $qr; do [ "$p" = "$skip" ] || set -- "$@" "$p"; done
		expect_rc 0 "$paper: without envelope page $(basename "$skip" .pgm) it verifies" \
			"$combine" verify --yes "$@" $shares
	done

	# chunk 1 (top left) inked over; the parity page left out
	first=$(echo $qr | cut -d' ' -f1)
	convert "$first" -fill black -draw "rectangle 0,$((150 * 20 / 25)),$((150 * 70 / 25)),$((150 * 95 / 25))" "$d/ink.pgm"
	expect_rc 1 "$paper: one chunk inked over, parity page left out: refused" \
		"$combine" verify --yes "$d/ink.pgm" $shares
	expect_out "chunk 1: envelope page 1, typed lines 1-6" "$paper: the missing chunk named with its page and typed lines"
	# its lines, typed from the typed copy (here: as pdftotext reads them)
	pdftotext -layout "$d/envelope.pdf" "$d/envelope.txt"
	grep -E '^ *ESCROW-ENVELOPE ' "$d/envelope.txt" >"$d/typed.txt"
	grep -E '^ *00[1-6] ' "$d/envelope.txt" >>"$d/typed.txt"
	[ "$(wc -l <"$d/typed.txt")" = 7 ] && ok "$paper: header and lines 1-6 from the typed copy" ||
		bad "$paper: typed lines" "$(cat "$d/typed.txt")"
	expect_rc 0 "$paper: the scans and only the typed lines of the missing chunk verify" \
		"$combine" verify --yes "$d/ink.pgm" "$d/typed.txt" $shares

	# every sheet says what it is
	for f in envelope share-1-1 public; do
		pdftotext "$d/$f.pdf" "$d/$f.sheet.txt"
		grep -q "escrow v1" "$d/$f.sheet.txt" && ok "$paper: $f names the format escrow v1" ||
			bad "$paper: $f: no \"escrow v1\"" "$(head -5 "$d/$f.sheet.txt")"
		grep -q "FORMAT.md" "$d/$f.sheet.txt" && ok "$paper: $f says where the format is specified" ||
			bad "$paper: $f: no FORMAT.md"
		grep -qi "owner example.com., key tag" "$d/$f.sheet.txt" && ok "$paper: $f names the owner and key tags" ||
			bad "$paper: $f: no owner" "$(grep -i owner "$d/$f.sheet.txt")"
	done
	for m in 1 2 3; do
		pdftotext "$d/share-1-$m.pdf" - | grep -q "SLIP-0039" && ok "$paper: share $m says SLIP-0039" ||
			bad "$paper: share $m: no SLIP-0039"
	done
	pdftotext "$d/share-1-1.pdf" - | head -n 3 | grep -q "SECRET" && ok "$paper: SECRET at the top of the share sheet" ||
		bad "$paper: no SECRET at the top"
	pdftotext "$d/envelope.pdf" - | grep -q "How to restore" && ok "$paper: restore summary on the envelope" ||
		bad "$paper: no restore summary"
done

# typing errors in the typed copy: each kind names the right line
t=$work/a4/envelope.txt
grep -E '^ *(ESCROW-ENVELOPE |[0-9]{3} |SHA256 )' "$t" >"$work/full.txt"
last=$(grep -cE '^ *[0-9]{3} ' "$work/full.txt")
# two typos: a letter changed on lines 3 and 7
awk '/^ *003 / || /^ *007 / { sub(/ [A-Z2-7]/, " 9") } { print }' "$work/full.txt" >"$work/typo2.txt"
expect_rc 1 "two typing errors" "$combine" verify --yes "$work/typo2.txt" "$work/a4/r-share-1-1-1.pgm" "$work/a4/r-share-1-2-1.pgm"
expect_out "typing errors on envelope text lines 3, 7" "both bad lines are named"
sed 's/^\( *SHA256 \)./\10/; s/^\( *SHA256 \)00/\101/' "$work/full.txt" >"$work/typosha.txt"
expect_rc 1 "a typo in the SHA256 line" "$combine" verify --yes "$work/typosha.txt" "$work/a4/r-share-1-1-1.pgm" "$work/a4/r-share-1-2-1.pgm"
expect_out "the SHA256 line \(line $((last + 1))\)" "the SHA256 line is named, not a DS digest"
sed '1s/LINES [0-9]*/LINES 7/' "$work/full.txt" >"$work/typohdr.txt"
expect_rc 1 "a typo in the header's LINES" "$combine" verify --yes "$work/typohdr.txt" "$work/a4/r-share-1-1-1.pgm" "$work/a4/r-share-1-2-1.pgm"
expect_out "the header line" "the header line is named"
head -n 20 "$work/full.txt" >"$work/partial.txt"
expect_rc 1 "a partial typed text alone" "$combine" verify --yes "$work/partial.txt" "$work/a4/r-share-1-1-1.pgm" "$work/a4/r-share-1-2-1.pgm"
expect_out "chunk 4: envelope page 1, typed lines 17-23" "a partial text says which chunks and lines are missing"

# a page of the Letter envelope among the A4 set: reported once
expect_rc 0 "a page of another envelope among the scans: ignored" "$combine" verify --yes \
	$(ls "$work/a4"/r-envelope-*.pgm | head -n 2) "$work/letter/r-envelope-1.pgm" \
	"$work/a4/r-share-1-1-1.pgm" "$work/a4/r-share-1-2-1.pgm"
c=$(grep -c "a QR chunk belongs to another envelope" "$work/last.log" || true)
[ "$c" = 1 ] && ok "the foreign page reported once" || bad "foreign page reported $c times" "$(cat "$work/last.log")"
finish
