#!/usr/bin/env bash
# Edge cases of the runtime commands found by black-box review of the task/receipt issue:
# argument literals the shell passes through unchanged, empty strings and lists through the
# canonical ABI, hostile files, and one-line errors with exit 1.
# Usage: cli_runtime_edges.sh IPVM_BIN CONFORMANCE_DIR BINARY_DIR
set -uo pipefail
bin="$1"
build="${3:-$(dirname "$bin")}"
ex="$build/examples"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export IPVM_HOME="$work/home"
ipvm() { "$bin" "$@"; }

# shellcheck source=lib/checks.sh
source "$(dirname "$0")/lib/checks.sh"

if [ ! -f "$ex/add_one.wasm" ]; then
  echo "cli_runtime_edges: examples not built (configure with -DIPVM_EXAMPLES=ON); $checks checks passed"
  exit 0
fi

# ---- a DAG-JSON list literal is one argument (CLI11 would split '[1,2]' into two) ----
expect_error "list literal for i32" "InvalidArguments: argument 1 of add_one must be an integer for i32, got list" \
  ipvm call "$ex/add_one.wasm" add_one '[5]'
expect_eq "list of ints as list<u8>" "$(ipvm call "$ex/sha256.wasm" sha256 '[97,98,99]' --sig 'func(data: list<u8>) -> list<u8>' 2>/dev/null)" \
  '{"/":{"bytes":"ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0"}}'
expect_eq "bracketed policy still parses" "$(ipvm delegate --to "$(ipvm key show)" --cmd /wasm/run --pol '[["==", ".fun", "add_one"]]' \
  -o "$work/d.cbor" >/dev/null 2>&1; echo $?)" "0"

# ---- empty strings and lists through the canonical ABI ----
S='func(a: string, b: string) -> string'
expect_eq "two empty strings" "$(ipvm call "$ex/append_string.wasm" append_string '""' '""' --sig "$S" 2>/dev/null)" '""'
expect_eq "sha256 of no bytes" "$(ipvm call "$ex/sha256.wasm" sha256 '{"/":{"bytes":""}}' --sig 'func(data: list<u8>) -> list<u8>' 2>/dev/null)" \
  '{"/":{"bytes":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"}}'
expect_eq "empty list as list<u8>" "$(ipvm call "$ex/sha256.wasm" sha256 '[]' --sig 'func(data: list<u8>) -> list<u8>' 2>/dev/null)" \
  '{"/":{"bytes":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"}}'
expect_eq "empty image" "$(ipvm call "$ex/image.wasm" grayscale '{"/":{"bytes":""}}' 0 0 \
  --sig 'func(img: list<u8>, width: u32, height: u32) -> list<u8>' 2>/dev/null)" '{"/":{"bytes":""}}'
expect_eq "greet an empty name" "$(ipvm call "$ex/record.wasm" greet '{"name": "", "age": 0}' \
  --sig 'func(p: record { name: string, age: u32 }) -> record { greeting: string, age-next-year: u32 }' 2>/dev/null)" \
  '{"age-next-year":1,"greeting":"Hello, !"}'

# ---- a delegation this node signed is found without --proof ----
other_home="$work/other"
other_did=$(ipvm --home "$other_home" key init 2>/dev/null)
mod=$(ipvm block put --codec raw "$ex/add_one.wasm")
ipvm delegate --to "$other_did" --cmd /wasm/run -o "$work/dlg.cbor" >/dev/null
ipvm --home "$other_home" invoke --cmd /wasm/run --sub "$(ipvm key show)" --proof "$work/dlg.cbor" \
  --args "{\"mod\": {\"/\": \"$mod\"}, \"fun\": \"add_one\", \"params\": [30]}" -o "$work/delegated.cbor" >/dev/null
expect_eq "delegated invocation runs without --proof" "$(ipvm run "$work/delegated.cbor" 2>/dev/null)" '{"ok":31}'
# --proof takes one file: the invocation file after it is not swallowed as a second proof.
expect_eq "run --proof D FILE" "$(ipvm run --proof "$work/dlg.cbor" "$work/delegated.cbor" 2>/dev/null)" '{"ok":31}'
# One from a key this node never delegated to is still refused.
ipvm --home "$work/third" key init >/dev/null 2>&1
ipvm --home "$work/third" invoke --cmd /wasm/run --sub "$(ipvm key show)" --proof "$work/dlg.cbor" \
  --args "{\"mod\": {\"/\": \"$mod\"}, \"fun\": \"add_one\", \"params\": [32]}" -o "$work/stranger.cbor" >/dev/null
expect_error "a stranger with someone else's proof" "Unauthorized: InvalidAudience" ipvm run "$work/stranger.cbor"

# ---- one short line for bad input ----
long=$(printf '[%.0s' $(seq 1 5000))
expect_error "a long bad argument is cut" "argument 1 \('\[{48}\.\.\. \(5000 bytes\)'\) is not a DAG-JSON literal" \
  ipvm call "$ex/add_one.wasm" add_one "$long"
[ "$(wc -c <"$work/err")" -lt 300 ] && ok || bad "long argument error is $(wc -c <"$work/err") bytes"
expect_error "a long missing export is cut" "MissingExport: the module has no exported function 'f{64}\.\.\. \(5000 bytes\)'" \
  ipvm call "$ex/add_one.wasm" "$(printf 'f%.0s' $(seq 1 5000))"
[ "$(wc -c <"$work/err")" -lt 400 ] && ok || bad "long export error is $(wc -c <"$work/err") bytes"
expect_error "--args not DAG-JSON says why" "--args is not DAG-JSON: " ipvm invoke --cmd /wasm/run --args '{' -o "$work/x.cbor"
expect_error "--args not a map" "--args must be a DAG-JSON map" ipvm invoke --cmd /wasm/run --args '[1]' -o "$work/x.cbor"
expect_error "--meta not DAG-JSON says why" "--meta is not DAG-JSON: " \
  ipvm invoke --cmd /wasm/run --args '{}' --meta '{"fuel":' -o "$work/x.cbor"

echo '{"a": 1}' >"$work/notenv.json"
expect_eq "verify a JSON map" "$(ipvm receipt verify "$work/notenv.json" 2>/dev/null)" \
  "invalid: receipt: a UCAN envelope is a two-element list [signature, payload]"
expect_error "run a JSON map" "must hold an invocation or a list of invocations" ipvm run "$work/notenv.json"
expect_error "invoke refuses a mistyped did:key" "did:key" \
  ipvm invoke --cmd /wasm/run --sub did:key:z6MkBOGUS --args '{}' -o "$work/x.cbor"
expect_error "verify a missing file" "'$work/nofile.cbor' is neither a receipt file \(no such file\) nor a CID" \
  ipvm receipt verify "$work/nofile.cbor"
expect_error "show a bad CID" "invalid CID 'nope'" ipvm receipt show nope
expect_error "a missing command names the choices" "'ipvm receipt' needs a command: one of show, verify" ipvm receipt
expect_error "an unknown command names the choices" "'ipvm' needs a command: one of .*call, invoke, run, receipt" ipvm bogus

# ---- limits are plain decimal (CLI11 alone would wrap -1 to 2^64-1 and read 010 as octal) ----
expect_error "a negative fuel limit" "--fuel: must be a non-negative decimal integer, not '-1'" \
  ipvm call "$ex/add_one.wasm" add_one 41 --fuel -1
expect_error "a memory limit past 2^64-1" "--memory: '99999999999999999999' is larger than 2\^64-1" \
  ipvm call "$ex/add_one.wasm" add_one 41 --memory 99999999999999999999
expect_error "a hex time limit" "--time: must be a non-negative decimal integer, not '0x10'" \
  ipvm call "$ex/add_one.wasm" add_one 41 --time 0x10
expect_eq "a zero-padded fuel limit is decimal" "$(ipvm call "$ex/add_one.wasm" add_one 41 --fuel 0100 --no-cache 2>/dev/null)" "42"

echo "cli_runtime_edges: $((checks - failures))/$checks checks passed"
[ "$failures" -eq 0 ]
