#!/usr/bin/env bash
# run-fuzzers.sh BUILD_DIR SECONDS: runs each fuzz target for SECONDS; a crash fails the run.
set -euo pipefail
build="$1"; seconds="$2"
root="$(cd "$(dirname "$0")/.." && pwd)"
shopt -s nullglob
for target in "$build"/fuzz/fuzz_*; do
  [ -x "$target" ] || continue
  name="$(basename "$target")"
  corpus="$(mktemp -d)"
  seeds="$root/fuzz/seeds/${name#fuzz_}"
  [ -d "$seeds" ] && cp -r "$seeds"/. "$corpus"/
  echo "fuzz: $name for ${seconds}s"
  if ! "$target" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
      -print_final_stats=0 "$corpus" >"$build/$name.log" 2>&1; then
    tail -n 40 "$build/$name.log"
    echo "fuzz: $name FAILED" >&2
    exit 1
  fi
  rm -rf "$corpus"
done
