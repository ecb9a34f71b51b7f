#!/usr/bin/env bash
# The benchmark suite: latency (p50/p99/mean) and throughput (msg/s, MB/s)
# of pair1, req/rep and push/pull at 64 B, 1 KiB, 64 KiB and 1 MiB over
# inproc, ipc, tcp, tls+tcp and ws, for Debian's libnng 1.5.2 and ours (the
# same perf/suite_bench.c binary, LD_LIBRARY_PATH switching the library),
# libzmq (perf/suite_zmq.c, same cases, inproc, ipc and tcp) and the
# raw-socket floor (perf/rawfloor.c, ipc and tcp). The two ends of a case
# run in two processes except over inproc (perf/suite_common.h). tls+tcp
# uses a certificate made at run time (perf/certs.sh); each library
# negotiates what it prefers (Debian's mbedTLS TLS 1.2, our rustls TLS 1.3).
# Several rounds, the libraries' order rotating each round;
# medians and ratios go to a Markdown table (docs/perf-suite.md) and a plot
# (docs/perf-suite.png, if matplotlib is importable).
#
# Usage: bash perf/suite.sh
#   ROUNDS=3                        rounds
#   PROTOS="pair reqrep pushpull"   TRANSPORTS="inproc ipc tcp tls ws"
#                                   (tls means tls+tcp)
#   SIZES="64 1024 65536 1048576"   LIBS="debian ours zmq"
#   SCALE=1                         divide every message count by this
#   BUFBYTES=8388608                nng send/receive buffers: 128 messages
#                                   but at most this many bytes of them
#                                   (8 at 1 MiB; 134217728 keeps 128)
#   OURS=<dir>                      holds our libnng.so.1 (default: the
#                                   cargo release build, made if missing)
#   OUT=<dir>                       raw results (default build-perf/suite)
#   DOCS=<dir>                      where the table and plot go (docs/)
#   PYTHON=python3                  for the report (matplotlib for the plot)
# Needs Debian's libnng-dev (headers and libnng.so.1) and, for the libzmq
# column, libzmq3-dev. Not part of .ci/run (only compiled there).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${ROUNDS:-3}"
read -r -a protos <<<"${PROTOS:-pair reqrep pushpull}"
read -r -a transports <<<"${TRANSPORTS:-inproc ipc tcp tls ws}"
read -r -a sizes <<<"${SIZES:-64 1024 65536 1048576}"
read -r -a libs <<<"${LIBS:-debian ours zmq}"
scale="${SCALE:-1}"
export SUITE_BUF_BYTES="${BUFBYTES:-8388608}" # read by suite_bench
out="${OUT:-$root/build-perf/suite}"
docs="${DOCS:-$root/docs}"
py="${PYTHON:-python3}"
mkdir -p "$out"

if [ ! -e /usr/include/nng/nng.h ]; then
	echo "Debian's nng headers are missing: apt-get install libnng-dev" >&2
	exit 1
fi
ours="${OURS:-}"
if [ -z "$ours" ]; then
	ours="$root/target/release"
	(cd "$root" && cargo build --release --quiet)
	ln -sf libnng.so "$ours/libnng.so.1"
fi
ours="$(cd "$ours" && pwd)"

bench="$out/suite_bench"
zbench="$out/suite_zmq"
raw="$out/rawfloor"
gcc -O2 -Wall -Wextra -o "$bench" "$root/perf/suite_bench.c" -lnng -lpthread
gcc -O2 -Wall -Wextra -o "$raw" "$root/perf/rawfloor.c"
have_zmq=0
if [ -e /usr/include/zmq.h ]; then
	gcc -O2 -Wall -Wextra -o "$zbench" "$root/perf/suite_zmq.c" -lzmq -lpthread
	have_zmq=1
fi
loads() { LD_LIBRARY_PATH="$1" ldd "$bench" | awk '$1 == "libnng.so.1" { print $3 }'; }
debian_lib="$(readlink -f "$(loads "")")"
ours_lib="$(readlink -f "$(loads "$ours")")"
if [ "$debian_lib" = "$ours_lib" ]; then
	echo "both runs would load $debian_lib; check OURS" >&2
	exit 1
fi
echo "Debian: $debian_lib; ours: $ours_lib; zmq: $have_zmq; $rounds rounds" >&2

# Message counts per size: latency round trips, throughput messages
# (req/rep throughput is lock-step exchanges: the latency count).
lat_n() {
	case "$1" in
	64) echo 10000 ;; 1024) echo 5000 ;; 65536) echo 1000 ;; *) echo 200 ;;
	esac
}
# Large messages get runs of about half a second at least: at 1,000 x 1 MiB
# (0.2 s) the start of a run (first page faults, buffers growing) and the
# machine's moment weighed enough for a library's median to move by a
# quarter between two suite runs, the raw floor's too.
thr_n() {
	case "$1" in
	64) echo 200000 ;; 1024) echo 100000 ;; 65536) echo 30000 ;; *) echo 3000 ;;
	esac
}

tmp="$(mktemp -d "${TMPDIR:-/tmp}/nng-suite.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
port=$((20000 + RANDOM % 20000))
seq=0
url() { # transport
	seq=$((seq + 1))
	local hp="127.0.0.1:$((port + (seq * 2) % 4000))" # the next port is the way back's
	case "$1" in
	tcp) echo "tcp://$hp" ;;
	tls) echo "tls+tcp://$hp" ;;
	ws) echo "ws://$hp/suite" ;;
	ipc) echo "ipc://$tmp/s$seq" ;;
	inproc) echo "inproc://s$seq" ;;
	esac
}

# shellcheck source=perf/certs.sh
. "$root/perf/certs.sh"
perf_make_certs "$tmp"

results="$out/results.txt" # lib proto transport size kind key value
: >"$results"
{
	echo "# date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "# machine: $(nproc) cpus, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), kernel $(uname -r)"
	echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "# debian: $debian_lib"
	echo "# socket buffers: 128 messages, at most $SUITE_BUF_BYTES bytes"
	echo "# ours: $ours_lib ($(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo unknown))"
	[ "$have_zmq" = 1 ] && echo "# zmq: $(pkg-config --modversion libzmq 2>/dev/null || echo unknown)"
} >"$out/meta.txt"

run_case() { # lib proto tran size kind n
	local lib="$1" p="$2" tran="$3" size="$4" kind="$5" n="$6" prog="$bench" ldp="" log line
	case "$lib" in
	ours) ldp="$ours" ;;
	zmq)
		[ "$have_zmq" = 1 ] || return 0
		case "$tran" in tls | ws) return 0 ;; esac # not in libzmq 4.3's stable API
		prog="$zbench"
		;;
	esac
	log="$out/$lib.$p.$tran.$size.$kind.$r"
	if ! LD_LIBRARY_PATH="$ldp" timeout 120 "$prog" "$p" "$(url "$tran")" "$size" "$n" "$kind" >"$log" 2>&1; then
		echo "  $lib $p $tran $size $kind round $r failed: $(head -c 200 "$log" | tr '\n' ' ')" >&2
		return 0
	fi
	line="$(grep -E '^(lat|thr) ' "$log" | head -1)"
	for kv in ${line#* }; do
		echo "$lib $p $tran $size $kind ${kv%%=*} ${kv#*=}" >>"$results"
	done
}
run_raw() { # tran size kind n
	local tran="$1" size="$2" kind="$3" n="$4" log
	log="$out/raw.$tran.$size.$kind.$r"
	if ! timeout 120 "$raw" "$tran" "$kind" "$size" "$n" >"$log" 2>&1; then
		echo "  raw $tran $size $kind round $r failed: $(head -c 200 "$log")" >&2
		return 0
	fi
	if [ "$kind" = lat ]; then
		awk -v k="raw raw $tran $size lat mean" '/average latency:/ { print k, $3 }' "$log" >>"$results"
	else
		awk -v k="raw raw $tran $size thr" -v s="$size" '/\[msg\/s\]/ { print k, "msgs", $2; print k, "mbs", $2 * s / 1e6 }' "$log" >>"$results"
	fi
}

for ((r = 1; r <= rounds; r++)); do
	echo "round $r of $rounds" >&2
	# Rotate the libraries' order from round to round.
	order=()
	for ((i = 0; i < ${#libs[@]}; i++)); do
		order+=("${libs[$(((i + r) % ${#libs[@]}))]}")
	done
	for tran in "${transports[@]}"; do
		for size in "${sizes[@]}"; do
			for kind in lat thr; do
				for p in "${protos[@]}"; do
					if [ "$kind" = lat ] || [ "$p" = reqrep ]; then
						n=$(($(lat_n "$size") / scale))
					else
						n=$(($(thr_n "$size") / scale))
					fi
					for lib in "${order[@]}"; do
						run_case "$lib" "$p" "$tran" "$size" "$kind" "$((n > 0 ? n : 1))"
					done
				done
				if [ "$tran" = ipc ] || [ "$tran" = tcp ]; then
					if [ "$kind" = lat ]; then n=$(lat_n "$size"); else n=$(thr_n "$size"); fi
					n=$((n / scale))
					run_raw "$tran" "$size" "$kind" "$((n > 0 ? n : 1))"
				fi
			done
		done
	done
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/meta.txt"

mkdir -p "$docs"
"$py" "$root/perf/suite_report.py" "$out/results.txt" "$out/meta.txt" "$docs/perf-suite.md" "$docs/perf-suite.png"
echo "Wrote $docs/perf-suite.md (raw results in $results)" >&2
