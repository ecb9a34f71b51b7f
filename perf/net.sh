#!/usr/bin/env bash
# Network latency and throughput, Debian's libnng 1.5.2 against ours, with
# the raw-socket floor beside them.
#
# perf/perf.c (upstream's local_lat/remote_lat/local_thr/remote_thr shape,
# pair1 sockets) is compiled once with gcc -O2 against Debian's headers; the
# same binary then runs with Debian's libnng.so.1 and with ours
# (LD_LIBRARY_PATH), alternating, ROUNDS times, over tcp (127.0.0.1), ipc,
# tls+tcp, ws and wss, at 64 B and 64 KiB. perf/rawfloor.c runs the same
# exchanges over plain sockets with the same framing once per round (tcp
# and ipc only). Medians and ratios are printed as a Markdown table.
#
# TLS (tls+tcp and wss): a CA and a server certificate are made at run time
# with the openssl CLI (perf/certs.sh) and handed to perf through
# NNG_PERF_TLS_CERT_KEY / NNG_PERF_TLS_CA (perf/endpoints.h). Both
# libraries then negotiate what they prefer: Debian's libnng uses mbedTLS
# 2.28 (TLS 1.2), ours rustls (TLS 1.3).
#
# Latency is one-way (round trip / 2, as upstream's remote_lat prints it),
# lower is better; throughput is messages per second counted by local_thr,
# higher is better.
#
# Usage: bash perf/net.sh
#   ROUNDS=5                 rounds (each runs every case on each library)
#   TRANSPORTS="tcp ipc tls ws wss"  (tls means tls+tcp)
#   SIZES="64 65536"
#   LAT_N="10000 2000"       round trips at each size (same order as SIZES)
#   THR_N="200000 20000"     messages at each size
#   OURS=<dir>               directory holding our libnng.so.1 (default: a
#                            release CMake build in build-perf/, made if missing)
#   OUT=<dir>                binaries and raw results (default build-perf/net)
# Not part of .ci/run: timings on a shared machine are for people.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${ROUNDS:-5}"
read -r -a transports <<<"${TRANSPORTS:-tcp ipc tls ws wss}"
read -r -a sizes <<<"${SIZES:-64 65536}"
read -r -a lat_n <<<"${LAT_N:-10000 2000}"
read -r -a thr_n <<<"${THR_N:-200000 20000}"
out="${OUT:-$root/build-perf/net}"
mkdir -p "$out"

if [ ! -e /usr/include/nng/nng.h ]; then
	echo "Debian's nng headers are missing: apt-get install libnng-dev" >&2
	exit 1
fi
ours="${OURS:-}"
if [ -z "$ours" ]; then
	ours="$root/build-perf"
	cmake -S "$root" -B "$ours" -DCMAKE_BUILD_TYPE=Release -DNNG_TESTS=OFF >/dev/null
	cmake --build "$ours" -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
fi
ours="$(cd "$ours" && pwd)"
[ -e "$ours/libnng.so.1" ] || {
	echo "$ours has no libnng.so.1" >&2
	exit 1
}

perf="$out/perf"
raw="$out/rawfloor"
gcc -O2 -Wall -Wextra -o "$perf" "$root/perf/perf.c" -lnng
gcc -O2 -Wall -Wextra -o "$raw" "$root/perf/rawfloor.c"
loads() { LD_LIBRARY_PATH="$1" ldd "$perf" | awk '$1 == "libnng.so.1" { print $3 }'; }
debian_lib="$(readlink -f "$(loads "")")"
ours_lib="$(readlink -f "$(loads "$ours")")"
if [ "$debian_lib" = "$ours_lib" ]; then
	echo "both runs would load $debian_lib; check OURS" >&2
	exit 1
fi
echo "Debian: $debian_lib; ours: $ours_lib; $rounds rounds" >&2

ipcdir="$(mktemp -d "${TMPDIR:-/tmp}/nng-net.XXXXXX")"
trap 'rm -rf "$ipcdir"' EXIT
port=$((20000 + RANDOM % 20000))
seq=0
url() { # transport
	seq=$((seq + 1))
	case "$1" in
	tcp) echo "tcp://127.0.0.1:$((port + seq % 1000))" ;;
	ipc) echo "ipc://$ipcdir/s$seq.ipc" ;;
	tls) echo "tls+tcp://127.0.0.1:$((port + seq % 1000))" ;;
	ws | wss) echo "$1://127.0.0.1:$((port + seq % 1000))/perf" ;;
	esac
}

# Certificates for tls+tcp and wss (perf/perf.c reads them from the
# environment: the listener's certificate and key, the dialer's CA).
# shellcheck source=perf/certs.sh
. "$root/perf/certs.sh"
perf_make_certs "$ipcdir"

results="$out/results.txt" # lines: transport size metric lib value
: >"$results"
# One nng run: lib transport size kind n -> appends a result line.
run_nng() {
	local lib="$1" tran="$2" size="$3" kind="$4" n="$5" ldp="" u log rc=0
	[ "$lib" = ours ] && ldp="$ours"
	u="$(url "$tran")"
	log="$out/$tran.$size.$kind.$lib.$r"
	LD_LIBRARY_PATH="$ldp" timeout 120 "$perf" -m "local_$kind" "$u" "$size" "$n" >"$log.local" 2>&1 &
	local lpid=$!
	LD_LIBRARY_PATH="$ldp" timeout 120 "$perf" -m "remote_$kind" "$u" "$size" "$n" >"$log.remote" 2>&1 || rc=$?
	wait "$lpid" || rc=$?
	if [ "$rc" != 0 ]; then
		echo "  $lib $tran $size $kind round $r failed: $(cat "$log.local" "$log.remote" | head -c 300 | tr '\n' ' ')" >&2
		return
	fi
	if [ "$kind" = lat ]; then
		awk -v k="$tran $size lat $lib" '/average latency:/ { print k, $3 }' "$log.remote" >>"$results"
	else
		awk -v k="$tran $size thr $lib" '/\[msg\/s\]/ { print k, $2 }' "$log.local" >>"$results"
	fi
}
run_raw() {
	local tran="$1" size="$2" kind="$3" n="$4" log
	case "$tran" in tcp | ipc) ;; *) return ;; esac # no raw floor for tls, ws
	log="$out/$tran.$size.$kind.raw.$r"
	if ! timeout 120 "$raw" "$tran" "$kind" "$size" "$n" >"$log" 2>&1; then
		echo "  raw $tran $size $kind round $r failed: $(head -c 300 "$log")" >&2
		return
	fi
	if [ "$kind" = lat ]; then
		awk -v k="$tran $size lat raw" '/average latency:/ { print k, $3 }' "$log" >>"$results"
	else
		awk -v k="$tran $size thr raw" '/\[msg\/s\]/ { print k, $2 }' "$log" >>"$results"
	fi
}

for ((r = 1; r <= rounds; r++)); do
	echo "round $r" >&2
	for tran in "${transports[@]}"; do
		for i in "${!sizes[@]}"; do
			size="${sizes[$i]}"
			for kind in lat thr; do
				if [ "$kind" = lat ]; then n="${lat_n[$i]}"; else n="${thr_n[$i]}"; fi
				# Alternate which library goes first from round to round.
				if ((r % 2)); then order="debian ours"; else order="ours debian"; fi
				for lib in $order; do
					run_nng "$lib" "$tran" "$size" "$kind" "$n"
				done
				run_raw "$tran" "$size" "$kind" "$n"
			done
		done
	done
done

echo
echo "| transport | size | metric | Debian libnng 1.5.2 | ours | raw floor | ours vs Debian | ours / raw |"
echo "|---|---:|---|---:|---:|---:|---|---:|"
awk '
function median(list,   n, a, i, j, t) {
	n = split(list, a, " ")
	for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	if (n == 0) return ""
	return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function fmt(v) { return v == "" ? "n/a" : (v >= 1000 ? sprintf("%.0f", v) : sprintf("%.3g", v)) }
{
	key = $1 SUBSEP $2 SUBSEP $3
	if (!(key in seen)) { order[++nkeys] = key; seen[key] = 1 }
	vals[key, $4] = vals[key, $4] " " ($5 + 0)
}
END {
	for (k = 1; k <= nkeys; k++) {
		key = order[k]
		split(key, p, SUBSEP)
		d = median(vals[key, "debian"]); o = median(vals[key, "ours"]); w = median(vals[key, "raw"])
		lat = (p[3] == "lat")
		metric = lat ? "latency (us, one-way)" : "throughput (msg/s)"
		size = (p[2] >= 1024) ? (p[2] / 1024) " KiB" : p[2] " B"
		vs = "n/a"; vr = "n/a"
		if (d > 0 && o > 0) {
			f = lat ? o / d : o / d
			vs = lat ? sprintf("%.2fx the latency", f) : sprintf("%.2fx the rate", f)
		}
		if (w > 0 && o > 0) vr = sprintf("%.2f", o / w)
		printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", (p[1] == "tls" ? "tls+tcp" : p[1]), size, metric, fmt(d), fmt(o), fmt(w), vs, vr
	}
}' "$results"
echo
echo "Medians of $rounds rounds (libraries alternating first); raw results in $results."
