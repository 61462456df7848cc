# tests/paper_damage.sh - the damage set of the paper tests, sourced by
# tests/t_paper_damage.sh and tests/bench_paper.sh (not run by itself).
# damage NAME DPI IN OUT: IN (a grey page of the A4 envelope sheets, its
# first page of QR codes) with one kind of damage, by ImageMagick.
# Positions are in mm on the A4 layout: chunk 1 is the symbol at about
# x 23.5-66.5, y 46-89; folds at 99, 148.5, 198.
DAMAGES="crease-light-2 crease-light-6 crease-dark-2 crease-dark-6 \
salt-pepper-10 gaussian jpeg-q10 stain-20 page-over torn-chunk"

px() { awk -v mm="$1" -v d="$2" 'BEGIN { printf "%d", mm * d / 25.4 }'; }

damage() {
	name=$1 dpi=$2 in=$3 out=$4
	case $name in
	crease-*)
		shade=white; [ "${name#crease-dark}" = "$name" ] || shade=black
		w=${name##*-}
		draw=""
		for mm in 99 148.5 198; do
			y=$(px "$mm" "$dpi")
			draw="$draw -draw \"rectangle 0,$((y - w / 2)) 99999,$((y - w / 2 + w - 1))\""
		done
		eval convert "$in" -fill "$shade" $draw "$out" ;;
	salt-pepper-10)
		# about 10% of the pixels changed
		convert "$in" -attenuate 2 +noise Impulse "$out" ;;
	gaussian)
		convert "$in" -attenuate 1.5 +noise Gaussian "$out" ;;
	jpeg-q10)
		convert "$in" -quality 10 "$out.jpg" && mv "$out.jpg" "$out" ;;
	stain-20)
		# a brown-grey disc over 20% of chunk 1's symbol
		convert "$in" -fill "gray(120)" -draw "circle $(px 45 "$dpi"),$(px 67.5 "$dpi") $(px 55.8 "$dpi"),$(px 67.5 "$dpi")" "$out" ;;
	page-over)
		# another sheet lying over the middle right of the page
		convert "$in" -fill white -draw "rectangle $(px 80 "$dpi"),$(px 120 "$dpi") 99999,99999" \
			-fill black -pointsize $((dpi / 10)) \
			-draw "text $(px 115 "$dpi"),$(px 170 "$dpi") 'Minutes of the key ceremony'" \
			-draw "text $(px 115 "$dpi"),$(px 180 "$dpi") 'present: the custodians'" "$out" ;;
	torn-chunk)
		# the top right corner torn off, and chunk 3 with it
		convert "$in" -fill white -draw "polygon $(px 120 "$dpi"),0 $(px 210 "$dpi"),0 $(px 210 "$dpi"),$(px 110 "$dpi")" "$out" ;;
	*) echo "paper_damage: no damage $name" >&2; return 1 ;;
	esac
}
