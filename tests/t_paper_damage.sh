#!/bin/sh
# t_paper_damage.sh - the damage set of tests/paper_damage.sh (creases on
# the fold lines, light and dark, 2 and 6 px; salt-and-pepper 10%;
# Gaussian noise; JPEG quality 10; a stain over 20% of a symbol; another
# page over part of the envelope; a torn-off chunk), each applied to the
# first envelope page of an A4 ceremony at 200 dpi and (all but the last
# two) to a share sheet: every case must still verify (with the parity
# page).  `make bench`
# prints what the library reads of each against plain zbarimg.
. "$(dirname "$0")/lib.sh"
. "$top/tests/paper_damage.sh"
for t in pdftoppm convert; do
	command -v "$t" >/dev/null 2>&1 || { echo "t_paper_damage: $t missing (make deps)" >&2; exit 1; }
done
: >"$work/nopass"
d=$work/c
expect_rc 0 "ceremony with PDF sheets" "$keygen" -a 13 --keys 3 -n example.com \
	-m 2 -N 3 -o "$d" --passphrase-file "$work/nopass" --pdf --yes
pdftoppm -r 200 -gray -f 1 -l 2 "$d/envelope.pdf" "$d/env"
pdftoppm -r 200 -gray "$d/share-1-1.pdf" "$d/s1"
pdftoppm -r 200 -gray "$d/share-1-2.pdf" "$d/s2"
for dmg in $DAMAGES; do
	damage "$dmg" 200 "$d/env-1.pgm" "$d/$dmg-env.pgm"
	# a share QR torn off or under another page is typed, not scanned
	case $dmg in
	page-over|torn-chunk) cp "$d/s1-1.pgm" "$d/$dmg-s1.pgm" ;;
	*) damage "$dmg" 200 "$d/s1-1.pgm" "$d/$dmg-s1.pgm" ;;
	esac
	expect_rc 0 "$dmg: the damaged envelope page and share sheet verify" \
		"$combine" verify --yes "$d/$dmg-env.pgm" "$d/env-2.pgm" "$d/$dmg-s1.pgm" "$d/s2-1.pgm"
done
finish
