#!/usr/bin/env bash
# The main job: installs, builds (Release), and runs the end-to-end demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "${IPVM_JOBS:-$(nproc)}" --target ipvm
export IPVM_HOME="${IPVM_HOME:-$(mktemp -d)}"
ipvm() { build/ipvm "$@"; }
echo "ipvm home: $IPVM_HOME"

echo "== store a DAG (DAG-JSON in, DAG-CBOR stored, one block per node)"
about=$(echo '{"ceo":"Alice","founded":2024}' | ipvm dag put -)
echo "about:   $about"
company=$(echo "{\"name\":\"Fission\",\"about\":{\"/\":\"$about\"}}" | ipvm dag put -)
echo "company: $company"
root=$(echo "{\"company\":{\"/\":\"$company\"}}" | ipvm dag put -)
echo "root:    $root"

echo "== path lookup across three blocks: $root/company/about/ceo"
ipvm dag get "$root/company/about/ceo"
echo
echo "== the company node, as DAG-JSON"
ipvm dag get "$root/company"
echo

echo "== export the DAG as a CAR file and import it into a fresh home"
car="$(mktemp --suffix=.car)"
fresh="$(mktemp -d)"
ipvm car export "$root" -o "$car"
echo "$(wc -c <"$car") bytes in $car"
ipvm --home "$fresh" car import "$car"
echo "lookup in the fresh home: $(ipvm --home "$fresh" dag get "$root/company/about/ceo")"
rm -rf "$car" "$fresh"

echo "== run a content-addressed Wasm function: executed once, then replayed from its signed receipt"
cmake --build build -j "${IPVM_JOBS:-$(nproc)}" --target guest_add_one guest_record >/dev/null
echo "\$ ipvm call build/examples/add_one.wasm add_one 41   (status line on stderr)"
ipvm call build/examples/add_one.wasm add_one 41
echo "\$ ipvm call build/examples/add_one.wasm add_one 41   (again: answered from the stored receipt)"
ipvm call build/examples/add_one.wasm add_one 41 2>"$IPVM_HOME/status"
cat "$IPVM_HOME/status" >&2
receipt=$(awk '{print $NF}' "$IPVM_HOME/status")
echo "== the receipt, signed by this node ($(ipvm key show))"
ipvm receipt show "$receipt"
echo
echo "receipt verify: $(ipvm receipt verify "$receipt" 2>/dev/null)"
echo "== a record through the canonical ABI, with --verify (re-run and compare with the receipt)"
ipvm call build/examples/record.wasm greet '{"name": "Ada", "age": 36}' --verify \
  --sig 'func(p: record { name: string, age: u32 }) -> record { greeting: string, age-next-year: u32 }'
