#!/usr/bin/env bash
# End-to-end tests of the runtime commands: call (executed, replayed, --no-cache, --verify, --json,
# --sig, --fuel, error receipts), invoke + run (single and list, delegated issuer, unauthorized),
# receipt show/verify, and receipts surviving a restart of the process.
# Usage: cli_runtime.sh IPVM_BIN CONFORMANCE_DIR BINARY_DIR
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

for cmd in "call" "invoke" "run" "receipt" "receipt show" "receipt verify"; do
  # shellcheck disable=SC2086
  if ipvm $cmd --help >/dev/null 2>&1; then ok; else bad "ipvm $cmd --help"; fi
done

if [ ! -f "$ex/add_one.wasm" ]; then
  echo "cli_runtime: examples not built (configure with -DIPVM_EXAMPLES=ON); $checks checks passed"
  exit 0
fi

# ---- call: executed, then replayed ----
out=$(ipvm call "$ex/add_one.wasm" add_one 41 2>"$work/err1")
expect_eq "call add_one" "$out" "42"
status1=$(cat "$work/err1")
expect_match "first call executes" "$status1" '^executed, fuel [0-9]+, [0-9.]+ ms, receipt bafy'
[ -f "$IPVM_HOME/node.key" ] && ok || bad "the node key was not created on first use"
out=$(ipvm call "$ex/add_one.wasm" add_one 41 2>"$work/err2")
expect_eq "second call output" "$out" "42"
status2=$(cat "$work/err2")
expect_match "second call replays" "$status2" '^replayed, fuel [0-9]+'
rct1=${status1##* }
rct2=${status2##* }
expect_eq "replay answers with the same receipt" "$rct2" "$rct1"
out=$(ipvm call "$ex/add_one.wasm" add_one 41 --no-cache 2>"$work/err3")
expect_match "--no-cache executes" "$(cat "$work/err3")" '^executed'
expect_eq "negative argument" "$(ipvm call "$ex/add_one.wasm" add_one -- -5 2>/dev/null)" "-4"
ipvm call "$ex/add_one.wasm" add_one 7 --verify >"$work/out" 2>"$work/err"
expect_eq "--verify exit" "$?" "0"
expect_match "--verify reports" "$(cat "$work/err")" '^verified'
json=$(ipvm call "$ex/add_one.wasm" add_one 41 --json 2>/dev/null)
expect_match "--json prints the receipt" "$json" '"ucan/rct@1.0.0":\{"fx":\[\],"iat":[0-9]+,"iss":"did:key:z6Mk'
expect_match "--json out" "$json" '"out":\{"ok":42\}'

# ---- canonical ABI ----
expect_eq "append_string" "$(ipvm call "$ex/append_string.wasm" append_string '"foo"' '"bar"' \
  --sig 'func(a: string, b: string) -> string' 2>/dev/null)" '"foobar"'
expect_eq "greet" "$(ipvm call "$ex/record.wasm" greet '{"name": "Ada", "age": 36}' \
  --sig 'func(p: record { name: string, age: u32 }) -> record { greeting: string, age-next-year: u32 }' 2>/dev/null)" \
  '{"age-next-year":37,"greeting":"Hello, Ada!"}'
expect_eq "sha256" "$(ipvm call "$ex/sha256.wasm" sha256 '{"/": {"bytes": "YWJj"}}' --sig 'func(data: list<u8>) -> list<u8>' 2>/dev/null)" \
  '{"/":{"bytes":"ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0"}}'
# 2x1 RGBA image: grayscale keeps alpha.
gray=$(ipvm call "$ex/image.wasm" grayscale '{"/": {"bytes": "/wAA/wD/AP8"}}' 2 1 \
  --sig 'func(img: list<u8>, width: u32, height: u32) -> list<u8>' 2>/dev/null)
expect_match "grayscale returns bytes" "$gray" '^\{"/":\{"bytes":"'

# ---- error receipts ----
expect_error "trap" "Trap: trap: unreachable .*boom.*receipt bafy" ipvm call "$ex/trap.wasm" boom
expect_error "divide by zero" "integer divide by zero" ipvm call "$ex/trap.wasm" divide 1 0
expect_error "out of fuel" "OutOfFuel" ipvm call "$ex/loop.wasm" spin --fuel 10000
expect_error "timeout" "Timeout" ipvm call "$ex/loop.wasm" spin --fuel 100000000000000 --time 100
expect_error "missing export" "MissingExport: .*add_one" ipvm call "$ex/add_one.wasm" nope
expect_error "argument count" "InvalidArguments: .*\(i32\) -> i32" ipvm call "$ex/add_one.wasm" add_one 1 2
expect_error "argument type" "InvalidArguments" ipvm call "$ex/add_one.wasm" add_one '"x"'
expect_error "argument range" "out of range" ipvm call "$ex/add_one.wasm" add_one 8589934592
expect_error "sig mismatch" "InvalidArguments: .*expected func\(a: string, b: string\)" \
  ipvm call "$ex/append_string.wasm" append_string '"a"' 1 --sig 'func(a: string, b: string) -> string'
expect_error "bad DAG-JSON argument" "not a DAG-JSON literal" ipvm call "$ex/add_one.wasm" add_one 'x'
expect_error "missing module file" "cannot open" ipvm call "$work/nope.wasm" f

# ---- invoke + run ----
mod=$(ipvm block put --codec raw "$ex/add_one.wasm")
inv_cid=$(ipvm invoke --cmd /wasm/run --args "{\"mod\": {\"/\": \"$mod\"}, \"fun\": \"add_one\", \"params\": [100]}" -o "$work/inv.cbor")
expect_match "invoke prints a CID" "$inv_cid" '^bafy'
expect_eq "run" "$(ipvm run "$work/inv.cbor" 2>"$work/err")" '{"ok":101}'
expect_match "run status" "$(cat "$work/err")" '^executed'
expect_eq "run again" "$(ipvm run "$work/inv.cbor" 2>"$work/err")" '{"ok":101}'
expect_match "run again replays" "$(cat "$work/err")" '^replayed'
expect_eq "call answers from run's receipt" "$(ipvm call "$ex/add_one.wasm" add_one 100 2>&1 >/dev/null | cut -d, -f1)" "replayed"
ipvm invoke --cmd /wasm/run --args "{\"mod\": \"ipfs://$mod\", \"fun\": \"add_one\", \"params\": [1]}" -o "$work/inv2.cbor" >/dev/null
ipvm invoke --cmd /wasm/run --args "{\"mod\": {\"/\": \"$mod\"}, \"fun\": \"add_one\", \"params\": [2]}" -o "$work/inv3.cbor" >/dev/null
printf '[{"/": {"bytes": "%s"}}, {"/": {"bytes": "%s"}}]' "$(base64 -w0 "$work/inv2.cbor" | tr -d =)" \
  "$(base64 -w0 "$work/inv3.cbor" | tr -d =)" >"$work/list.json"
expect_eq "run a list" "$(ipvm run "$work/list.json" 2>/dev/null | tr '\n' ' ')" '{"ok":2} {"ok":3} '
missing=$(printf 'no such module' | ipvm cid)
ipvm invoke --cmd /wasm/run --args "{\"mod\": {\"/\": \"$missing\"}, \"fun\": \"f\", \"params\": []}" -o "$work/inv4.cbor" >/dev/null
expect_error "module not found names the CID" "ModuleNotFound: module $missing" ipvm run "$work/inv4.cbor"

# Another node's key: unauthorized here, unless this node delegates to it.
OTHER="$work/other"
other_did=$(ipvm --home "$OTHER" key init 2>/dev/null)
ipvm --home "$OTHER" invoke --cmd /wasm/run --sub "$(ipvm key show)" \
  --args "{\"mod\": {\"/\": \"$mod\"}, \"fun\": \"add_one\", \"params\": [5]}" -o "$work/stranger.cbor" >/dev/null
expect_error "unauthorized" "Unauthorized" ipvm run "$work/stranger.cbor"
ipvm delegate --to "$other_did" --cmd /wasm/run -o "$work/dlg.cbor" >/dev/null
ipvm --home "$OTHER" invoke --cmd /wasm/run --sub "$(ipvm key show)" --proof "$work/dlg.cbor" \
  --args "{\"mod\": {\"/\": \"$mod\"}, \"fun\": \"add_one\", \"params\": [6]}" -o "$work/delegated.cbor" >/dev/null
expect_eq "delegated invocation runs" "$(ipvm run "$work/delegated.cbor" --proof "$work/dlg.cbor" 2>/dev/null)" '{"ok":7}'

# ---- receipts: show, verify, restart ----
shown=$(ipvm receipt show "$rct1")
expect_match "receipt show" "$shown" '"out":\{"ok":42\}'
expect_eq "receipt show by invocation CID" "$(ipvm receipt show "$inv_cid" | grep -c '"ok":101')" "1"
expect_eq "receipt verify CID" "$(ipvm receipt verify "$rct1" 2>/dev/null)" "valid"
ipvm block get "$rct1" >"$work/rct.cbor"
expect_eq "receipt verify file" "$(ipvm receipt verify "$work/rct.cbor" 2>/dev/null)" "valid"
ipvm receipt show "$rct1" >"$work/rct.json"
expect_eq "receipt verify DAG-JSON file" "$(ipvm receipt verify "$work/rct.json" 2>/dev/null)" "valid"
# Flip one byte of the signature: invalid.
python3 - "$work/rct.cbor" "$work/bad.cbor" <<'PY' 2>/dev/null || cp "$work/rct.cbor" "$work/bad.cbor"
import sys
b = bytearray(open(sys.argv[1], 'rb').read()); b[10] ^= 1; open(sys.argv[2], 'wb').write(b)
PY
ipvm receipt verify "$work/bad.cbor" >"$work/out" 2>/dev/null
expect_eq "tampered receipt exit" "$?" "1"
expect_match "tampered receipt" "$(cat "$work/out")" '^invalid: InvalidSignature'
expect_error "receipt show unknown" "no receipt" ipvm receipt show bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq
out=$(ipvm call "$ex/add_one.wasm" add_one 41 2>"$work/err")  # a new process: from the store
expect_match "replayed after restart" "$(cat "$work/err")" "^replayed.*$rct1"

echo "cli_runtime: $((checks - failures))/$checks checks passed"
[ "$failures" -eq 0 ]
