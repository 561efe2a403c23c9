#!/usr/bin/env bash
# Installs dependencies, builds, and runs every test: sanitizer build (ASan+UBSan) of the decoder
# tests, short libFuzzer runs, then the full suite (unit, conformance, CLI, spec tests) last.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
jobs="${IPVM_JOBS:-$(nproc)}"

echo "== sanitizer build (ASan + UBSan): decoder tests (IPLD codecs, CAR, UCAN envelopes)"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DIPVM_SANITIZE=ON \
  -DIPVM_BENCH=OFF -DIPVM_EXAMPLES=OFF >/dev/null
cmake --build build-asan -j "$jobs" --target ipvm_ipld_tests ipvm_ucan_tests
ctest --test-dir build-asan --output-on-failure -R '^(ipld|ucan)$'

echo "== fuzz targets (clang libFuzzer), a few seconds each"
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DIPVM_FUZZ=ON -DIPVM_TESTS=OFF -DIPVM_BENCH=OFF -DIPVM_EXAMPLES=OFF >/dev/null
cmake --build build-fuzz -j "$jobs" --target fuzz_all
bash scripts/run-fuzzers.sh build-fuzz "${IPVM_FUZZ_SECONDS:-5}"

echo "== full build and test suite"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"
