#!/usr/bin/env bash
# The WebAssembly spec test suite (non-SIMD files) through `ipvm wasm spectest`.
# Usage: wasm_spectest.sh IPVM_BIN CONFORMANCE_DIR BINARY_DIR
#
# Converts each non-SIMD .wast with wabt's wast2json into BINARY_DIR/spec/ (once; again only when
# the .wast is newer), runs them all, and checks that nothing fails and that the total matches the
# suite's README: 27,905 tests in the 90 non-SIMD files as wabt's spectest-interp counts them
# (every command but `register`). Text-format modules (the 567 assert_malformed .wat files) go
# through our WAT compiler, so all 27,905 must pass with nothing skipped.
set -euo pipefail
ipvm=$1
suite=$2/wasm-testsuite
out=$3/spec
expected_total=27905
expected_files=90

command -v wast2json >/dev/null || { echo "wast2json (wabt) is not installed"; exit 1; }
mkdir -p "$out"
n=0
for wast in "$suite"/*.wast; do
  name=$(basename "$wast" .wast)
  case $name in simd_*) continue ;; esac
  n=$((n + 1))
  json=$out/$name.json
  if [[ ! -s $json || $wast -nt $json ]]; then
    wast2json "$wast" -o "$json"
  fi
done
if [[ $n -ne $expected_files ]]; then
  echo "expected $expected_files non-SIMD .wast files in $suite, found $n"
  exit 1
fi

log=$out/spectest.log
status=0
"$ipvm" wasm spectest "$out"/*.json >"$log" 2>&1 || status=$?
last=$(tail -n 1 "$log")
echo "$last"
if [[ $status -ne 0 ]]; then
  echo "ipvm wasm spectest failed (exit $status); failures:"
  grep -E '^  ' "$log" | head -n 100 || true
  exit 1
fi
if [[ ! $last =~ ^([0-9]+)\ passed,\ 0\ failed$ ]]; then
  echo "unexpected summary line (expected 'N passed, 0 failed' with nothing skipped): $last"
  exit 1
fi
passed=${BASH_REMATCH[1]}
if [[ $passed -ne $expected_total ]]; then
  echo "expected $expected_total tests to pass, got $passed"
  exit 1
fi
files=$(grep -c -E '^[^ ].*\.json: [0-9]+ passed' "$log" || true)
if [[ $files -ne $expected_files ]]; then
  echo "expected a summary line for each of $expected_files files, got $files"
  exit 1
fi
if grep -q 'skipped' "$log"; then
  echo "some file skipped tests:"
  grep 'skipped' "$log" | head -n 20
  exit 1
fi
echo "spec suite OK: $passed passed, $files files, nothing skipped"
