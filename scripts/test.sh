#!/usr/bin/env bash
# Builds iamd and runs every test suite: unit, integration, differential and a
# short fuzz run. Usage: scripts/test.sh [--sanitize]   (ASan+UBSan build)
# Exits non-zero if anything fails. This is what .ci/run calls.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

build=build
cmake_args=(-G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIAMD_WERROR=ON)
if [ "${1:-}" = "--sanitize" ]; then
  build=build-asan
  cmake_args+=(-DIAMD_SANITIZE=ON -DIAMD_BUILD_BENCH=OFF)
fi

cmake -S . -B "$build" "${cmake_args[@]}"
cmake --build "$build" -j "$(nproc)"
(cd "$build" && ctest --output-on-failure -j "$(nproc)" --timeout 900)

# A short fuzz run of every parser (long runs: scripts/fuzz.sh 600).
if [ "$build" = build ]; then
  bash scripts/fuzz.sh "${IAMD_FUZZ_SECONDS:-20}"
fi
