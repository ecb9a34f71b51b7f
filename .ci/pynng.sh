#!/usr/bin/env bash
# pynng built from source on this library, and pynng's own test suite run on it.
#
#   1. a Python venv under WORKDIR with pynng's build requirements and the
#      test tools (pinned below);
#   2. the pynng sdist from PyPI (pip download --no-binary), unpacked;
#   3. its bundled nng source (nng/) replaced by this source tree (the files
#      git knows: tracked and untracked-but-not-ignored, so target/ and build
#      directories stay out), and its bundled mbedTLS (mbedtls/) by a stub
#      project that installs three empty archives: TLS is built into our
#      libnng.a (rustls), but pynng's build still builds mbedtls/ and links
#      mbedtls/prefix/lib/lib{mbedtls,mbedx509,mbedcrypto}.a;
#   4. pip install --no-build-isolation . : pynng's setup.py configures nng/
#      with CMake exactly as for upstream (-DNNG_ENABLE_TLS=ON -DNNG_TESTS=OFF
#      -DNNG_TOOLS=OFF, PIC, Release) and links nng/build/libnng.a into its
#      cffi extension;
#   5. pytest on pynng's test/ directory.
#
# Usage: pynng.sh WORKDIR [CARGO_TARGET_DIR]
#   CARGO_TARGET_DIR: the cargo target directory of an earlier release build
#   of this tree; the build inside pynng's setup.py then reuses it (our
#   CMake takes $CARGO_TARGET_DIR as its default cargo directory).
# Environment: PYNNG_VERSION (default 0.9.0); PYNNG_MBEDTLS=bundled keeps
# pynng's own mbedTLS (built from source: slower, and unused by our library).
#
# Last line: "pynng: P passed, F failed, S skipped" (a failed build or
# download counts as one failure).
set -euo pipefail

if [ $# -lt 1 ]; then
	echo "usage: $0 WORKDIR [CARGO_TARGET_DIR]" >&2
	exit 2
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$1"
work="$(cd "$1" && pwd)"
if [ -n "${2:-}" ]; then
	mkdir -p "$2"
	export CARGO_TARGET_DIR="$(cd "$2" && pwd)"
fi
version="${PYNNG_VERSION:-0.9.0}"
pkg="$work/pynng-$version"
venv="$work/venv"

# Versions known to work with pynng 0.9.0 (its pyproject pins setuptools).
build_reqs=(setuptools==75.3.2 setuptools-scm==10.3.4 cffi==2.1.1 wheel==0.48.0 sniffio==1.3.1)
test_reqs=(pytest==9.2.0 pytest-asyncio==1.5.0 pytest-trio==0.8.0 trio==0.35.0)

fail() { # fail WHAT: reports one failure and stops
	echo "pynng: $1"
	echo "pynng: 0 passed, 1 failed, 0 skipped"
	exit 1
}

echo "--- venv and requirements"
python3 -m venv "$venv" || fail "python3 -m venv failed (Debian: apt-get install python3-venv)"
py="$venv/bin/python"
"$py" -m pip install --quiet --disable-pip-version-check "${build_reqs[@]}" "${test_reqs[@]}" ||
	fail "pip could not install the build and test requirements"

echo "--- pynng $version sdist"
rm -rf "$pkg" "$work"/pynng-*.tar.gz
"$py" -m pip download --quiet --disable-pip-version-check --no-deps --no-build-isolation \
	--no-binary pynng -d "$work" "pynng==$version" || fail "pip download pynng==$version failed"
tar -xzf "$work/pynng-$version.tar.gz" -C "$work"
[ -f "$pkg/setup.py" ] && [ -d "$pkg/nng" ] || fail "unexpected sdist layout (no setup.py or nng/)"

echo "--- our tree as nng/"
rm -rf "$pkg/nng"
mkdir -p "$pkg/nng"
(
	cd "$root"
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git ls-files -z --cached --others --exclude-standard |
			while IFS= read -r -d '' f; do if [ -e "$f" ]; then printf '%s\0' "$f"; fi; done |
			tar --null -T - -cf -
	else # not a git checkout (an unpacked archive): all but build outputs
		tar --exclude=./target --exclude=./build --exclude='./build-*' --exclude=./_install \
			--exclude=./tools/headers/target -cf - .
	fi
) | tar -xf - -C "$pkg/nng"
echo "$(find "$pkg/nng" -type f | wc -l) files"

if [ "${PYNNG_MBEDTLS:-stub}" != "bundled" ]; then
	echo "--- mbedtls/ replaced by a stub (empty archives)"
	rm -rf "$pkg/mbedtls"
	mkdir -p "$pkg/mbedtls"
	cat >"$pkg/mbedtls/CMakeLists.txt" <<'EOF'
# Stub for pynng's bundled mbedTLS: the nng under it does TLS itself, but
# pynng's build_pynng.py links these three archives, so install them empty.
cmake_minimum_required(VERSION 3.15)
project(mbedtls_stub C)
file(WRITE "${CMAKE_BINARY_DIR}/stub.c" "typedef int mbedtls_stub_unused;\n")
include(GNUInstallDirs)
foreach(_l mbedtls mbedx509 mbedcrypto)
    add_library(${_l} STATIC "${CMAKE_BINARY_DIR}/stub.c")
    install(TARGETS ${_l} ARCHIVE DESTINATION lib)
endforeach()
EOF
fi

echo "--- build (pip install --no-build-isolation .)${CARGO_TARGET_DIR:+, cargo target dir $CARGO_TARGET_DIR}"
t0="$(date +%s)"
if ! (cd "$pkg" && "$py" -m pip install --disable-pip-version-check --no-build-isolation --no-deps -v . \
	>"$work/build.log" 2>&1); then
	tail -n 60 "$work/build.log"
	fail "build failed (log: $work/build.log)"
fi
echo "built in $(($(date +%s) - t0))s"
grep -E 'cargo: building|Finished|nng: target' "$work/build.log" | sed 's/^/    /' || true
# The extension must carry our library, not a shared libnng.
ext="$(find "$venv" -name '_nng*.so' | head -n1)"
[ -n "$ext" ] || fail "no pynng/_nng*.so installed"
# (grep -c reads all its input: no SIGPIPE for the writer under pipefail.)
if [ "$(readelf -d "$ext" | grep -c 'NEEDED.*libnng')" != 0 ]; then fail "$ext needs a shared libnng"; fi
if [ "$(nm "$ext" | grep -c rustls)" = 0 ]; then fail "$ext does not contain our (rustls) library"; fi

echo "--- pytest (pynng's test/)"
t0="$(date +%s)"
set +e
# Run from WORKDIR, not the package, so `import pynng` is the installed one.
(cd "$work" && timeout 600 "$venv/bin/pytest" -p no:cacheprovider -rfEs \
	-o asyncio_default_fixture_loop_scope=function "$pkg/test") >"$work/pytest.log" 2>&1
rc=$?
set -e
grep -E '(PASSED|FAILED|SKIPPED|ERROR)' "$work/pytest.log" | grep -E '::' | sed -E 's/^/    /' | grep -vE 'PASSED' || true
tail -n 15 "$work/pytest.log"
echo "tests ran in $(($(date +%s) - t0))s (pytest exit $rc)"
summary="$(grep -E '^=+ .*(passed|failed|error).* in [0-9.]+s' "$work/pytest.log" | tail -n1)"
count() { # count WORD: the number before WORD in pytest's summary line
	local n
	n="$(printf '%s\n' "$summary" | grep -oE "[0-9]+ $1" | grep -oE '^[0-9]+' || true)"
	echo "${n:-0}"
}
passed="$(count passed)"
failed=$(($(count failed) + $(count error)))
skipped="$(count skipped)"
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
	failed=1
	echo "pynng: pytest exited $rc without a failure count (timeout or crash)"
fi
echo "pynng: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
