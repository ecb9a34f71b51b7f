#!/usr/bin/env bash
# Benchmarks our libnng against Debian's with the same binaries.
#
# Each perf/*_bench.c is compiled once with gcc -O2 against Debian's headers
# and library (/usr/include/nng, -lnng from libnng-dev 1.5.2), so it may use
# only the 1.5.2 API. Every binary then runs alternately with Debian's
# libnng.so.1 and with ours (LD_LIBRARY_PATH pointing at our build), ROUNDS
# times each, and the medians are printed as a Markdown table.
#
# Contract for a bench program: print one result per line as
#     <metric> <value> <unit>
# e.g. "msg_alloc_free_64B 41.7 ns/op" or "tcp_pingpong_64B 35123 msg/s";
# lines starting with '#' and other lines are ignored. Units ending in "/s"
# are higher-is-better, every other unit lower-is-better. Exit non-zero on
# failure (a run that fails, e.g. on a function ours lacks, shows as n/a).
# Optional arguments for the bench come from BENCH_ARGS.
#
# Usage: bash perf/run.sh [bench.c ...]
#   ROUNDS=5            runs per library
#   OURS=<dir>          directory holding our libnng.so.1 (default: a release
#                       CMake build in build-perf/, made if missing)
#   OUT=<dir>           where binaries and raw results go (default build-perf/bench)
# Not part of .ci/run: timings on a shared 2-core machine are for people.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${ROUNDS:-5}"
out="${OUT:-$root/build-perf/bench}"
mkdir -p "$out"

if [ $# -gt 0 ]; then
	benches=("$@")
else
	shopt -s nullglob
	benches=("$root"/perf/*_bench.c)
	shopt -u nullglob
fi
if [ "${#benches[@]}" -eq 0 ]; then
	echo "no perf/*_bench.c to run" >&2
	exit 1
fi
if [ ! -e /usr/include/nng/nng.h ]; then
	echo "Debian's nng headers are missing: apt-get install libnng-dev" >&2
	exit 1
fi

# Our library.
ours="${OURS:-}"
if [ -z "$ours" ]; then
	ours="$root/build-perf"
	cmake -S "$root" -B "$ours" -DCMAKE_BUILD_TYPE=Release -DNNG_TESTS=OFF >/dev/null
	cmake --build "$ours" -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
fi
ours="$(cd "$ours" && pwd)"
if [ ! -e "$ours/libnng.so.1" ]; then
	echo "$ours has no libnng.so.1" >&2
	exit 1
fi

# Which file a binary loads for libnng.so.1 under a given LD_LIBRARY_PATH.
loads() {
	LD_LIBRARY_PATH="$1" ldd "$2" | awk '$1 == "libnng.so.1" { print $3 }'
}

results="$out/results.txt" # lines: bench lib metric value unit
: >"$results"
for src in "${benches[@]}"; do
	name="$(basename "$src" .c)"
	bin="$out/$name"
	gcc -O2 -o "$bin" "$src" -lnng -lpthread
	debian_lib="$(readlink -f "$(loads "" "$bin")")"
	ours_lib="$(readlink -f "$(loads "$ours" "$bin")")"
	if [ "$debian_lib" = "$ours_lib" ]; then
		echo "$name: both runs would load $debian_lib; check OURS" >&2
		exit 1
	fi
	echo "$name: $rounds rounds, Debian $debian_lib vs ours $ours_lib" >&2
	for ((r = 1; r <= rounds; r++)); do
		for lib in debian ours; do
			if [ "$lib" = ours ]; then ldp="$ours"; else ldp=""; fi
			# shellcheck disable=SC2086 # BENCH_ARGS is a word list
			if LD_LIBRARY_PATH="$ldp" "$bin" ${BENCH_ARGS:-} >"$out/$name.$lib.$r.txt" 2>"$out/$name.$lib.$r.err"; then
				awk -v b="$name" -v l="$lib" \
					'NF == 3 && $1 !~ /^#/ && $2 ~ /^[0-9.eE+-]+$/ { print b, l, $1, $2, $3 }' \
					"$out/$name.$lib.$r.txt" >>"$results"
			else
				echo "  round $r, $lib: failed ($(head -c 200 "$out/$name.$lib.$r.err" | tr '\n' ' '))" >&2
			fi
		done
	done
done

# Medians and ratios.
echo
echo "| bench | metric | unit | Debian libnng 1.5.2 | ours | ours vs Debian |"
echo "|---|---|---|---:|---:|---|"
awk '
function median(list,   n, a, i, j, t) {
	n = split(list, a, " ")
	for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	if (n == 0) return ""
	return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{
	key = $1 SUBSEP $3
	if (!(key in unit)) { order[++nkeys] = key; unit[key] = $5 }
	vals[key, $2] = vals[key, $2] " " ($4 + 0)
}
END {
	for (k = 1; k <= nkeys; k++) {
		key = order[k]
		split(key, parts, SUBSEP)
		d = median(vals[key, "debian"]); o = median(vals[key, "ours"])
		ratio = "n/a"
		if (d != "" && o != "" && d > 0 && o > 0) {
			higher = (unit[key] ~ /\/s$/)
			f = higher ? o / d : d / o
			ratio = (f >= 1) ? sprintf("%.2fx faster", f) : sprintf("%.2fx slower", 1 / f)
		}
		printf "| %s | %s | %s | %s | %s | %s |\n", parts[1], parts[2], unit[key],
			(d == "" ? "n/a" : sprintf("%.4g", d)), (o == "" ? "n/a" : sprintf("%.4g", o)), ratio
	}
}' "$results"
echo
echo "Medians of $rounds alternating runs each; raw results in $results."
