#!/bin/sh
# bench_keyset.sh - run by `make bench`: a key set of BENCH_KEYS (10,000,
# the most an envelope holds) P-256 keys end to end, each step's wall time
# and peak memory (RSS, from /usr/bin/time -v) printed:
#   escrow-keygen --keys N --shares-out --pdf (the envelope and public-
#     record sheets are refused for that many keys, as they should be: the
#     share sheets are made), escrow-combine verify, escrow-combine load
#     into a fresh SoftHSM token (BENCH_LOAD=0 leaves the load out: SoftHSM's
#     file store makes it the slow step, about 15 minutes on 2 busy cores).
# Every step must succeed; nothing here asserts a timing.
set -eu
B=${B:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
bin=$top/$B
n=${BENCH_KEYS:-10000}
module=/usr/lib/softhsm/libsofthsm2.so
[ -x /usr/bin/time ] || { echo "bench_keyset: /usr/bin/time missing (package time; make deps)" >&2; exit 1; }
[ -x "$bin/escrow-keygen" ] || { echo "bench_keyset: $bin/escrow-keygen not built" >&2; exit 1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/escrow-bench-keyset.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM

# step NAME CMD...: run it under /usr/bin/time -v, print time and peak RSS
step() {
	name=$1; shift
	if ! /usr/bin/time -v -o "$dir/time" "$@" >"$dir/out" 2>"$dir/err"; then
		echo "bench_keyset: $name failed:" >&2
		tail -n 20 "$dir/err" >&2
		exit 1
	fi
	wall=$(sed -n 's/^.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$dir/time")
	rss=$(sed -n 's/^.*Maximum resident set size (kbytes): //p' "$dir/time")
	printf 'bench_keyset: %-44s %10s wall  %7d MB peak\n' "$name" "$wall" $((rss / 1024))
}

step "keygen --keys $n --shares-out --pdf" "$bin/escrow-keygen" -n example.com -a 13 \
	-m 2 -N 3 --keys "$n" -o "$dir/out.d" --shares-out "$dir/sh" --pdf --yes
grep -q "note: [0-9]* keys of the set share their key tag" "$dir/err" &&
	echo "bench_keyset:   $(sed -n 's/^.*note: \([0-9]*\) keys .*/\1/p' "$dir/err" | head -n 1) keys share a tag with another (files named apart)"
env=$(ls "$dir/out.d"/*.escrow)
echo "bench_keyset:   envelope $(stat -c %s "$env") bytes, $(ls "$dir/out.d" | wc -l) files"
step "verify ($n keys)" "$bin/escrow-combine" verify --yes --envelope "$env" \
	"$dir/sh/share-1-1.txt" "$dir/sh/share-1-3.txt"
if [ "${BENCH_LOAD:-1}" != 0 ]; then
	mkdir -p "$dir/hsm/tokens"
	printf 'directories.tokendir = %s\nobjectstore.backend = file\n' "$dir/hsm/tokens" >"$dir/hsm/conf"
	SOFTHSM2_CONF=$dir/hsm/conf softhsm2-util --init-token --free --label bench \
		--pin 1234 --so-pin 12345678 >/dev/null
	printf '1234\n' >"$dir/hsm/pin"
	chmod 600 "$dir/hsm/pin"
	step "load into SoftHSM ($n keys)" env SOFTHSM2_CONF="$dir/hsm/conf" \
		"$bin/escrow-combine" load --yes --envelope "$env" --module "$module" \
		--token pkcs11:token=bench --pin-source "$dir/hsm/pin" \
		"$dir/sh/share-1-2.txt" "$dir/sh/share-1-3.txt"
	loaded=$(grep -c "test signature made in the token verified" "$dir/out" || true)
	echo "bench_keyset:   $loaded keys loaded and checked by a signature in the token"
	[ "$loaded" = "$n" ] || { echo "bench_keyset: $loaded of $n keys loaded" >&2; exit 1; }
fi
