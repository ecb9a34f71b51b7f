#!/usr/bin/env bash
# Builds nng (release), installs it into a local prefix, builds the demo
# against the installed package and runs it.
#   bash demo/run.sh            # prefix ./_install, build directory ./build
#   PREFIX=/opt/nng BUILD=/tmp/b bash demo/run.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
prefix="${PREFIX:-$root/_install}"
build="${BUILD:-$root/build}"

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DNNG_TESTS=OFF
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)"
cmake --install "$build" --prefix "$prefix"
cmake -S "$root/demo" -B "$build/demo" -DCMAKE_PREFIX_PATH="$prefix"
cmake --build "$build/demo"
echo
"$build/demo/demo"
