#!/usr/bin/env bash
# Builds and runs the downstream-consumer projects of ctests/consumer/:
#   (a) find_package(nng 1.12 CONFIG) against an installed prefix (shared and static);
#   (b) pkg-config against the same prefix (shared, and static with Libs.private);
#   (c) this source tree pulled in with FetchContent and with add_subdirectory,
#       configured static as pynng does, including pynng's way of linking
#       <nng build dir>/libnng.a into a dlopen'ed shared object.
#
# Usage: consumers.sh PREFIX WORKDIR [CARGO_TARGET_DIR]
#   CARGO_TARGET_DIR: a cargo target directory of an earlier release build of
#   this tree, so that (c) reuses it instead of building the crate again.
set -euo pipefail

if [ $# -lt 2 ]; then
	echo "usage: $0 PREFIX WORKDIR [CARGO_TARGET_DIR]" >&2
	exit 2
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
prefix="$(cd "$1" && pwd)"
work="$2"
cargo_dir="${3:-}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
libdir="$prefix/lib"
[ -d "$libdir" ] || libdir="$(dirname "$(find "$prefix" -name libnng.so.1 | head -n1)")"
gen=()
if command -v ninja >/dev/null 2>&1; then gen=(-G Ninja); fi

passed=0
failed=0
run() { # run NAME CMD...: one consumer check
	local name="$1"
	shift
	echo "--- consumer: $name"
	if "$@" >"$work/$name.log" 2>&1; then
		sed 's/^/    /' "$work/$name.log" | tail -n 5
		echo "ok   - $name"
		passed=$((passed + 1))
	else
		sed 's/^/    /' "$work/$name.log" | tail -n 40
		echo "FAIL - $name"
		failed=$((failed + 1))
	fi
}

# Fails unless the program resolves libnng.so.1 from the tested prefix (and
# not, say, from a system-wide libnng).
uses_lib() { # uses_lib PROGRAM DIR
	local got
	got="$(ldd "$1" | awk '$1 == "libnng.so.1" { print $3 }')"
	if [ "$(readlink -f "$got")" != "$(readlink -f "$2/libnng.so.1")" ]; then
		echo "$1 loads libnng.so.1 from '$got', expected $2"
		return 1
	fi
}
no_shared_nng() { # no_shared_nng PROGRAM: statically linked, no libnng.so needed
	if readelf -d "$1" | grep -q 'NEEDED.*libnng'; then
		echo "$1 needs a shared libnng"
		return 1
	fi
}

find_package_consumer() {
	rm -rf "$work/find_package"
	cmake "${gen[@]}" -S "$root/ctests/consumer/find_package" -B "$work/find_package" \
		-DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release
	cmake --build "$work/find_package"
	uses_lib "$work/find_package/app" "$libdir"
	"$work/find_package/app"
	no_shared_nng "$work/find_package/app_static"
	"$work/find_package/app_static"
}

pkgconfig_consumer() {
	rm -rf "$work/pkgconfig"
	mkdir -p "$work/pkgconfig"
	export PKG_CONFIG_PATH="$libdir/pkgconfig"
	pkg-config --exists --print-errors 'nng >= 1.12'
	echo "pkg-config --cflags --libs nng: $(pkg-config --cflags --libs nng)"
	echo "pkg-config --static --libs nng: $(pkg-config --static --libs nng)"
	make -f "$root/ctests/consumer/pkgconfig/Makefile" O="$work/pkgconfig"
	uses_lib "$work/pkgconfig/app" "$libdir"
	"$work/pkgconfig/app"
	no_shared_nng "$work/pkgconfig/app_static"
	"$work/pkgconfig/app_static"
}

subdirectory_consumer() { # subdirectory_consumer MODE
	local b="$work/$1"
	local extra=()
	if [ -n "$cargo_dir" ]; then extra+=(-DNNG_CARGO_TARGET_DIR="$cargo_dir"); fi
	rm -rf "$b"
	cmake "${gen[@]}" -S "$root/ctests/consumer/subdirectory" -B "$b" \
		-DNNG_SOURCE_DIR="$root" -DNNG_CONSUMER_MODE="$1" -DCMAKE_BUILD_TYPE=Release "${extra[@]}"
	cmake --build "$b"
	local nngbin="$b/nng"
	[ "$1" = fetchcontent ] && nngbin="$b/_deps/nng-build"
	test -f "$nngbin/libnng.a" || { echo "no libnng.a at the top of nng's build directory"; return 1; }
	no_shared_nng "$b/app"
	"$b/app"
	"$b/load_ext"
}

run find_package find_package_consumer
run pkg-config pkgconfig_consumer
run fetchcontent subdirectory_consumer fetchcontent
run add_subdirectory subdirectory_consumer subdirectory

echo "consumers: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
