#!/bin/sh
# cupsd.sh - a private, unprivileged cupsd for the tests: its own config,
# spool and logs in DIR, a Unix socket (DIR/cups.sock), no TCP port, no
# browsing, and a PDF pass-through queue "test" writing DIR/out.pdf.
#
#   cupsd.sh start DIR   prints the cupsd PID on stdout; then use
#                        CUPS_SERVER=DIR/cups.sock
#   cupsd.sh stop DIR    stops that cupsd (by the PID in DIR/cupsd.pid)
#
# As root, cupsd runs as nobody:nogroup (setpriv), never as root.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cmd=${1:?usage: cupsd.sh start|stop DIR}
dir=${2:?usage: cupsd.sh start|stop DIR}

case $cmd in
stop)
	if [ -s "$dir/cupsd.pid" ]; then
		pid=$(cat "$dir/cupsd.pid")
		kill "$pid" 2>/dev/null || true
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
			sleep 0.1; i=$((i + 1))
		done
		kill -9 "$pid" 2>/dev/null || true
		rm -f "$dir/cupsd.pid"
	fi
	exit 0 ;;
start) ;;
*) echo "usage: cupsd.sh start|stop DIR" >&2; exit 2 ;;
esac

mkdir -p "$dir/etc/ppd" "$dir/spool/tmp" "$dir/tmp" "$dir/cache" "$dir/state" \
	"$dir/log"
if [ "$(id -u)" = 0 ]; then
	user=nobody group=nogroup
	run="setpriv --reuid=nobody --regid=nogroup --clear-groups"
else
	user=$(id -un) group=$(id -gn)
	run=""
fi
cat > "$dir/etc/cups-files.conf" <<CONF
ServerRoot $dir/etc
RequestRoot $dir/spool
TempDir $dir/tmp
CacheDir $dir/cache
StateDir $dir/state
ServerBin /usr/lib/cups
DataDir /usr/share/cups
AccessLog $dir/log/access_log
ErrorLog $dir/log/error_log
PageLog $dir/log/page_log
FileDevice Yes
User $user
Group $group
SystemGroup $group
CONF
cat > "$dir/etc/cupsd.conf" <<CONF
Listen $dir/cups.sock
Browsing No
WebInterface No
DefaultAuthType None
PreserveJobFiles No
PreserveJobHistory 30
MaxJobs 10
MaxJobTime 60
ErrorPolicy abort-job
LogLevel warn
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
    Allow all
  </Limit>
</Policy>
CONF
if [ "$(id -u)" = 0 ]; then
	chown -R nobody:nogroup "$dir"
fi
# cupsd -f stays in the foreground; we background it and keep its PID
$run cupsd -f -c "$dir/etc/cupsd.conf" -s "$dir/etc/cups-files.conf" \
	>"$dir/log/stdout" 2>&1 &
pid=$!
echo "$pid" > "$dir/cupsd.pid"
export CUPS_SERVER="$dir/cups.sock"
i=0
until lpstat -r 2>/dev/null | grep -q "is running"; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$pid" 2>/dev/null; then
		echo "cupsd.sh: cupsd did not start; log:" >&2
		cat "$dir/log/error_log" "$dir/log/stdout" >&2 2>/dev/null || true
		kill "$pid" 2>/dev/null || true
		exit 1
	fi
	sleep 0.05
done
# lpadmin warns that PPD drivers are deprecated: keep that out of the test log
lpadmin -p test -E -v "file://$dir/out.pdf" -P "$here/pdf.ppd" 2>"$dir/log/lpadmin" || {
	cat "$dir/log/lpadmin" >&2; exit 1; }
lpadmin -d test
echo "$pid"
