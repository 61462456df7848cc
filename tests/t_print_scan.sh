#!/bin/sh
# t_print_scan.sh - end to end through a real cupsd: starts a private,
# unprivileged cupsd (tests/cupsd/cupsd.sh) in a temporary directory, runs
# the print_e2e suite (print every sheet of a 3-of-5 ceremony through
# libcups, rasterise at 150/300/600 dpi, scan back byte for byte, degraded
# scans), then checks that the spool holds no job file.  cupsd is stopped
# by its PID on every exit (trap).
#
# In the valgrind build the suite itself runs under valgrind, without the
# 600-dpi pass (ESCROW_E2E_FAST), which would take minutes there.
set -eu
B=${B:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
bin="$top/$B/tests/check_all"
[ -x "$bin" ] || { echo "t_print_scan: $bin not built" >&2; exit 1; }
for t in cupsd lpadmin lpstat pdftoppm convert; do
	command -v "$t" >/dev/null 2>&1 || [ -x "/usr/sbin/$t" ] || {
		echo "t_print_scan: $t missing (make deps)" >&2; exit 1; }
done
PATH="$PATH:/usr/sbin"

dir=$(mktemp -d "${TMPDIR:-/tmp}/escrow-print.XXXXXX")
chmod 755 "$dir"
mkdir "$dir/cups"
stop() {
	sh "$top/tests/cupsd/cupsd.sh" stop "$dir/cups" || true
	rm -rf "$dir"
}
trap stop EXIT
trap 'exit 1' INT TERM HUP

sh "$top/tests/cupsd/cupsd.sh" start "$dir/cups" >/dev/null
export CUPS_SERVER="$dir/cups/cups.sock"
# a queue whose device cannot be opened: its jobs must fail with a reason
lpadmin -p broken -E -v "file:///nonexistent/escrow/out.pdf" \
	-P "$top/tests/cupsd/pdf.ppd" 2>/dev/null
# and one that never answers (nothing listens on the discard port)
lpadmin -p unreachable -E -v "socket://127.0.0.1:9" \
	-P "$top/tests/cupsd/pdf.ppd" 2>/dev/null

export ESCROW_E2E_DIR="$dir"
case $B in
*valgrind*)
	export ESCROW_E2E_FAST=1
	CK_FORK=no valgrind -q --error-exitcode=1 --leak-check=full \
		--errors-for-leak-kinds=definite "$bin" print_e2e ;;
*)
	CK_FORK=no "$bin" print_e2e ;;
esac

# nothing of any job may stay in the spool (control or data files)
left=$(find "$dir/cups/spool" -type f | wc -l)
if [ "$left" -ne 0 ]; then
	echo "t_print_scan: files left in the spool:" >&2
	find "$dir/cups/spool" -type f >&2
	exit 1
fi
jobs=$(lpstat -W all -o 2>/dev/null | wc -l)
if [ "$jobs" -ne 0 ]; then
	echo "t_print_scan: jobs left in the history:" >&2
	lpstat -W all -o >&2
	exit 1
fi
echo "t_print_scan: ok"
