#!/bin/sh
# bench_p11.sh - how fast escrow_p11_load() puts a key set into SoftHSM,
# against baselines measured in the same run on the same disk:
#   bare:        the same PKCS#11 calls in a plain C loop (no checks)
#   pkcs11-tool: a loop of `pkcs11-tool --write-object' (private + public
#                object: two processes per key), on fewer keys, scaled
# and over a network HSM's round trip (tests/fi profile `network': 2 ms
# per call, forwarded to SoftHSM): one session against parallel sessions.
# Targets: lib/bare <= 1.1, pkcs11-tool/lib >= 10, one session/parallel >= 4.
# No test asserts these: timings depend on the machine.
#
#   BENCH_KEYS   keys for lib and bare (default 1000)
#   BENCH_TOOL   keys for the pkcs11-tool loop (default 50; scaled up)
#   BENCH_NET_KEYS  keys over the 2 ms profile (default 1000)
#   BENCH_SESSIONS  parallel sessions for it (default 8)
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
NN=${BENCH_NET_KEYS:-1000}
NS=${BENCH_SESSIONS:-8}
PIN=1234
if [ -z "${BENCH_DIR:-}" ]; then
	if [ -w /dev/shm ]; then BENCH_DIR=/dev/shm; else BENCH_DIR=${TMPDIR:-/tmp}; fi
fi

cd "$TOP"
$MAKE -s --no-print-directory B="$B" "$B/tests/bench/bench_p11" "$B/tests/fi/libescrow-fi.so"
BIN=$TOP/$B/tests/bench/bench_p11
FI=$TOP/$B/tests/fi/libescrow-fi.so
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

# The network HSM: one session, then NS sessions on parallel threads.
token net1
T_NET1=$(ESCROW_FI_PROFILE=network "$BIN" lib "$FI" net1 $PIN tests/vectors/p11 "$NN" 1)
C=$(count_objects net1)
[ "$C" -eq $((2 * NN)) ] || { echo "bench_p11: network, one session left $C objects, want $((2 * NN))"; exit 1; }
token netp
set +e
T_NETP=$(ESCROW_FI_PROFILE=network "$BIN" lib "$FI" netp $PIN tests/vectors/p11 "$NN" "$NS")
rc=$?
set -e
if [ $rc = 3 ]; then
	T_NETP=none
elif [ $rc != 0 ]; then
	echo "bench_p11: network, $NS sessions failed"; exit 1
else
	C=$(count_objects netp)
	[ "$C" -eq $((2 * NN)) ] || { echo "bench_p11: network, $NS sessions left $C objects, want $((2 * NN))"; exit 1; }
fi

awk -v n="$N" -v nt="$NT" -v lib="$T_LIB" -v bare="$T_BARE" -v s0="$S0" -v s1="$S1" \
	-v nn="$NN" -v ns="$NS" -v net1="$T_NET1" -v netp="$T_NETP" 'BEGIN {
	tool = (s1 - s0) * n / nt
	printf "  escrow_p11_load (unwrap, checks, test signature): %8.2f s  %6.2f ms/key\n", lib, 1000 * lib / n
	printf "  bare PKCS#11 loop (same calls, no checks):        %8.2f s  %6.2f ms/key\n", bare, 1000 * bare / n
	printf "  pkcs11-tool --write-object loop (%d keys, x%.0f):   %8.2f s  %6.2f ms/key\n", nt, n / nt, tool, 1000 * tool / n
	printf "  network HSM (2 ms per call), %d keys, one session: %8.2f s  %6.2f ms/key\n", nn, net1, 1000 * net1 / nn
	if (netp == "none")
		printf "  network HSM, %d sessions: not measured (this library has no parallel loads)\n", ns
	else
		printf "  network HSM, %d keys, up to %d sessions:       %8.2f s  %6.2f ms/key\n", nn, ns, netp, 1000 * netp / nn
	printf "  ratio lib / bare:        %5.2f  (target <= 1.1)\n", lib / bare
	printf "  ratio pkcs11-tool / lib: %5.2f  (target >= 10)\n", tool / lib
	if (netp != "none")
		printf "  ratio one session / %d sessions over 2 ms per call: %5.2f  (target >= 4)\n", ns, net1 / netp
}'
