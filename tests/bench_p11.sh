#!/bin/sh
# bench_p11.sh - how fast escrow_p11_load() puts a key set into SoftHSM,
# against two baselines measured in the same run on the same disk:
#   bare:        the same PKCS#11 calls in a plain C loop (no checks)
#   pkcs11-tool: a loop of `pkcs11-tool --write-object' (private + public
#                object: two processes per key), on fewer keys, scaled
# Targets: lib/bare <= 1.3, pkcs11-tool/lib >= 10.
#
#   BENCH_KEYS   keys for lib and bare (default 1000)
#   BENCH_TOOL   keys for the pkcs11-tool loop (default 50; scaled up)
#   BENCH_DIR    where the token directories go (default /dev/shm if
#                writable, else $TMPDIR or /tmp).  SoftHSM's file store
#                dominates every number here: on ext4 each object write
#                is flushed on close and all three loops slow down alike.
# Test keys only (tests/vectors/p11); the PIN is a throwaway.
set -eu

B=${B:-build}
MAKE=${MAKE:-make}
TOP=$(cd "$(dirname "$0")/.." && pwd)
MODULE=/usr/lib/softhsm/libsofthsm2.so
N=${BENCH_KEYS:-1000}
NT=${BENCH_TOOL:-50}
PIN=1234
if [ -z "${BENCH_DIR:-}" ]; then
	if [ -w /dev/shm ]; then BENCH_DIR=/dev/shm; else BENCH_DIR=${TMPDIR:-/tmp}; fi
fi

cd "$TOP"
$MAKE -s --no-print-directory B="$B" "$B/tests/bench/bench_p11"
BIN=$TOP/$B/tests/bench/bench_p11
WORK=$(mktemp -d "$BENCH_DIR/escrow-bench-p11.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM

# A fresh token of its own for each run.
token() {
	mkdir -p "$WORK/$1/tokens"
	printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' \
		"$WORK/$1/tokens" > "$WORK/$1/softhsm2.conf"
	SOFTHSM2_CONF=$WORK/$1/softhsm2.conf
	export SOFTHSM2_CONF
	softhsm2-util --init-token --free --label "$1" --pin $PIN \
		--so-pin 12345678 >/dev/null
}

count_objects() {
	pkcs11-tool --module $MODULE --token-label "$1" --login --pin $PIN \
		--list-objects 2>/dev/null | grep -c 'Key Object' || true
}

echo "bench_p11: $N RSA-2048 keys into SoftHSM (token files under $BENCH_DIR)"

token lib
T_LIB=$("$BIN" lib $MODULE lib $PIN tests/vectors/p11 "$N")
C=$(count_objects lib)
[ "$C" -eq $((2 * N)) ] || { echo "bench_p11: lib left $C objects, want $((2 * N))"; exit 1; }

token bare
T_BARE=$("$BIN" bare $MODULE bare $PIN tests/vectors/p11 "$N")
C=$(count_objects bare)
[ "$C" -eq $((2 * N)) ] || { echo "bench_p11: bare left $C objects, want $((2 * N))"; exit 1; }

token tool
for i in 1 2 3 4; do
	openssl pkey -in tests/vectors/p11/rsa2048-$i.pem -pubout -out "$WORK/pub$i.pem"
done
S0=$(date +%s.%N)
i=0
while [ $i -lt "$NT" ]; do
	k=$((i % 4 + 1))
	id=$(printf '%08x' $i)
	pkcs11-tool --module $MODULE --token-label tool --login --pin $PIN \
		--write-object tests/vectors/p11/rsa2048-$k.pem --type privkey \
		--id "$id" --label bench >/dev/null 2>&1
	pkcs11-tool --module $MODULE --token-label tool --login --pin $PIN \
		--write-object "$WORK/pub$k.pem" --type pubkey \
		--id "$id" --label bench >/dev/null 2>&1
	i=$((i + 1))
done
S1=$(date +%s.%N)
C=$(count_objects tool)
[ "$C" -eq $((2 * NT)) ] || { echo "bench_p11: pkcs11-tool left $C objects, want $((2 * NT))"; exit 1; }

awk -v n="$N" -v nt="$NT" -v lib="$T_LIB" -v bare="$T_BARE" -v s0="$S0" -v s1="$S1" 'BEGIN {
	tool = (s1 - s0) * n / nt
	printf "  escrow_p11_load (unwrap, checks, test signature): %8.2f s  %6.2f ms/key\n", lib, 1000 * lib / n
	printf "  bare PKCS#11 loop (same calls, no checks):        %8.2f s  %6.2f ms/key\n", bare, 1000 * bare / n
	printf "  pkcs11-tool --write-object loop (%d keys, x%.0f):   %8.2f s  %6.2f ms/key\n", nt, n / nt, tool, 1000 * tool / n
	printf "  ratio lib / bare:        %5.2f  (target <= 1.3)\n", lib / bare
	printf "  ratio pkcs11-tool / lib: %5.2f  (target >= 10)\n", tool / lib
}'
