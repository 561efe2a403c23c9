#!/usr/bin/env bash
# End-to-end tests of the IPLD commands: cid, dag convert/get/put, block put/get/has/rm,
# car import/export, over the conformance fixtures. Usage: cli_ipld.sh IPVM_BIN CONFORMANCE_DIR [BINARY_DIR]
set -uo pipefail
bin="$1"
conf="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export IPVM_HOME="$work/home"
ipvm() { "$bin" "$@"; }

# shellcheck source=lib/checks.sh
source "$(dirname "$0")/lib/checks.sh"

# ---- --help everywhere ----
for cmd in "cid" "dag" "dag convert" "dag get" "dag put" "block" "block put" "block get" "block has" \
           "block rm" "car" "car import" "car export"; do
  # shellcheck disable=SC2086
  if ipvm $cmd --help >/dev/null 2>&1; then ok; else bad "ipvm $cmd --help"; fi
done

# ---- cid ----
printf 'hello' >"$work/hello"
expect_eq "cid raw" "$(ipvm cid "$work/hello")" "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq"
expect_eq "cid stdin" "$(printf 'hello' | ipvm cid)" "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq"
expect_eq "cid -" "$(printf 'hello' | ipvm cid -)" "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq"
expect_eq "cid --hash sha2-512" "$(ipvm cid --hash sha2-512 "$work/hello" | cut -c1-7)" "bafkrgq"
expect_error "cid unknown hash" "unknown hash function" ipvm cid --hash md5 "$work/hello"
expect_error "cid unknown codec" "codec" ipvm cid --codec dag-xml "$work/hello"
expect_error "cid missing file" "cannot open" ipvm cid "$work/nope"
expect_error "cid not dag-cbor" "dag-cbor" ipvm cid --codec dag-cbor "$work/hello"

# ---- codec fixtures: cid and convert ----
fixtures="$conf/ipld-codec-fixtures/fixtures"
n_fix=0
for dir in "$fixtures"/*/; do
  cbor=""
  json=""
  for f in "$dir"*.dag-cbor; do [ -e "$f" ] && cbor="$f"; done
  for f in "$dir"*.dag-json; do [ -e "$f" ] && json="$f"; done
  for f in "$cbor" "$json"; do
    [ -n "$f" ] || continue
    codec="${f##*.}"
    want=$(basename "$f" ".$codec")
    got=$(ipvm cid --codec "$codec" "$f" 2>&1)
    [ "$got" == "$want" ] && ok || bad "cid --codec $codec $f: $got"
  done
  if [ -n "$cbor" ] && [ -n "$json" ]; then
    n_fix=$((n_fix + 1))
    ipvm dag convert --from dag-cbor --to dag-json "$cbor" >"$work/c2j" 2>"$work/err" && cmp -s "$work/c2j" "$json" \
      && ok || bad "convert cbor->json $(basename "$dir"): $(cat "$work/err")"
    ipvm dag convert --from dag-json --to dag-cbor <"$json" >"$work/j2c" 2>"$work/err" && cmp -s "$work/j2c" "$cbor" \
      && ok || bad "convert json->cbor $(basename "$dir") (stdin): $(cat "$work/err")"
  fi
done
[ "$n_fix" -gt 50 ] && ok || bad "only $n_fix fixtures with both codecs"

for codec in dag-cbor dag-json; do
  for f in "$conf/ipld-codec-fixtures/negative-fixtures/$codec/decode"/*.json; do
    python3 - "$f" "$work/neg" <<'PY'
import json, sys, os
cases = json.load(open(sys.argv[1]))
os.makedirs(sys.argv[2], exist_ok=True)
for i, c in enumerate(cases):
    open(f"{sys.argv[2]}/{i}", "wb").write(bytes.fromhex(c["hex"]))
PY
    for blk in "$work/neg"/*; do
      expect_error "negative $codec $(basename "$f")" "$codec" ipvm dag convert --from "$codec" --to dag-json "$blk"
      expect_error "negative $codec put" "$codec" ipvm block put --codec "$codec" "$blk"
    done
    rm -rf "$work/neg"
  done
done
expect_error "convert needs --from" "from" ipvm dag convert --to dag-json "$work/hello"
expect_error "convert bad json" "dag-json" sh -c "printf '{\"a\":' | '$bin' dag convert --from dag-json --to dag-cbor"

# ---- block put/get/has/rm ----
head -c 100000 /dev/urandom >"$work/random"
c=$(ipvm block put "$work/random")
expect_eq "block put = cid" "$c" "$(ipvm cid "$work/random")"
ipvm block get "$c" >"$work/back" && cmp -s "$work/back" "$work/random" && ok || bad "block get round trip"
c2=$(ipvm block put - <"$work/random")
expect_eq "block put stdin" "$c2" "$c"
ipvm block has "$c" && ok || bad "block has"
cc=$(printf '{"a":1}' | ipvm block put --codec dag-json -)
expect_eq "block put dag-json" "$cc" "$(printf '{"a":1}' | ipvm cid --codec dag-json)"
expect_eq "dag get of dag-json block" "$(ipvm dag get "$cc/a")" "1"
ipvm block rm "$c" && ok || bad "block rm"
expect_error "block has after rm" "not in the store" ipvm block has "$c"
expect_error "block get missing" "not in the store" ipvm block get "$c"
expect_error "block get bad cid" "bad CID" ipvm block get "not-a-cid"
expect_error "block put missing file" "cannot open" ipvm block put "$work/nope"

# ---- dag put/get and paths (the talk's example) ----
about=$(echo '{"ceo":"Alice","founded":2024}' | ipvm dag put -)
company=$(echo "{\"name\":\"Fission\",\"about\":{\"/\":\"$about\"}}" | ipvm dag put -)
root=$(echo "{\"company\":{\"/\":\"$company\"},\"staff\":[{\"/\":\"$about\"}]}" | ipvm dag put -)
expect_eq "dag get path" "$(ipvm dag get "$root/company/about/ceo")" '"Alice"'
expect_eq "dag get list path" "$(ipvm dag get "$root/staff/0/founded")" '2024'
expect_eq "dag get node" "$(ipvm dag get "$about")" '{"ceo":"Alice","founded":2024}'
expect_eq "dag get follows link" "$(ipvm dag get "$root/company/about")" '{"ceo":"Alice","founded":2024}'
expect_eq "dag get /ipfs/" "$(ipvm dag get "/ipfs/$root/company/name")" '"Fission"'
expect_eq "dag put stores dag-cbor" "$(ipvm block get "$about" | ipvm cid --codec dag-cbor)" "$about"
expect_eq "dag put dag-cbor input" "$(ipvm block get "$about" | ipvm dag put --input-codec dag-cbor -)" "$about"
expect_error "dag get missing key" 'no key "cfo"' ipvm dag get "$root/company/about/cfo"
expect_error "dag get index" "out of range" ipvm dag get "$root/staff/3"
expect_error "dag get bad cid" "bad CID" ipvm dag get "bafyjunk/x"
expect_error "dag put bad json" "dag-json" sh -c "echo '{\"a\":1,\"a\":2}' | '$bin' dag put -"
# --home wins over $IPVM_HOME.
other="$work/other"
c3=$(printf 'elsewhere' | ipvm --home "$other" block put -)
[ -f "$other/store.sqlite" ] && ok || bad "--home did not create $other/store.sqlite"
expect_error "--home is separate" "not in the store" ipvm block get "$c3"
expect_eq "--home get" "$(ipvm --home "$other" block get "$c3")" "elsewhere"

# ---- CAR ----
car="$conf/car"
out=$(ipvm car import "$car/carv1-basic.car")
want=$(printf 'root bafyreihyrpefhacm6kkp4ql6j6udakdit7g3dmkzfriqfykhjw6cad5lrm\nroot bafyreidj5idub6mapiupjwjsyyxhyhedxycv4vihfsicm2vt46o7morwlm\nblocks 8')
expect_eq "car import carv1-basic" "$out" "$want"
expect_eq "imported dag-pb block" "$(ipvm block get QmNX6Tffavsya4xgBi2VJQnSuqy9GsxongxZZ9uZBqp16d | ipvm cid | cut -c1-4)" "bafk"
expect_eq "imported path" "$(ipvm dag get bafyreihyrpefhacm6kkp4ql6j6udakdit7g3dmkzfriqfykhjw6cad5lrm/name)" '"blip"'
expect_eq "path through dag-pb" \
  "$(ipvm dag get bafyreihyrpefhacm6kkp4ql6j6udakdit7g3dmkzfriqfykhjw6cad5lrm/link/Links/0/Name)" '"bear"'
out=$(ipvm car import - <"$car/sample-v1.car")
expect_eq "car import sample-v1" "$out" "$(printf 'root bafy2bzaced4ueelaegfs5fqu4tzsh6ywbbpfk3cxppupmxfdhbpbhzawfw5oy\nblocks 1049')"
ipvm car export bafy2bzaced4ueelaegfs5fqu4tzsh6ywbbpfk3cxppupmxfdhbpbhzawfw5oy -o "$work/s.car" \
  && cmp -s "$work/s.car" "$car/sample-v1.car" && ok || bad "car export sample-v1 is not byte-identical"
ipvm car export "$root" -o "$work/r.car" && ok || bad "car export of a dag put DAG"
fresh="$work/fresh"
expect_eq "car round trip" "$(ipvm --home "$fresh" car import "$work/r.car")" "$(printf 'root %s\nblocks 3' "$root")"
expect_eq "car round trip path" "$(ipvm --home "$fresh" dag get "$root/company/about/ceo")" '"Alice"'
expect_eq "car export stdout" "$(ipvm car export "$root" -o - | ipvm --home "$work/f2" car import - | tail -1)" "blocks 3"

expect_error "badheaderlength" "header at offset 0.*over the limit" ipvm car import "$car/badheaderlength.car"
expect_error "badsectionlength" "section at offset 18.*over the limit" ipvm car import "$car/badsectionlength.car"
expect_error "corrupt pragma" "header at offset 0: declares 18 bytes" ipvm car import "$car/sample-corrupt-pragma.car"
expect_error "rootless v42" "unsupported version 42" ipvm car import "$car/sample-rootless-v42.car"
expect_error "tailing corrupt" "section at offset 479518" ipvm car import "$car/sample-v1-tailing-corrupt-section.car"
expect_error "zero-length section" "section at offset 479907: zero-length" ipvm car import "$car/sample-v1-with-zero-len-section.car"
# A rejected CAR stores nothing (one transaction).
expect_error "broken car stores nothing" "not in the store" \
  ipvm --home "$work/clean" block get bafy2bzaced4ueelaegfs5fqu4tzsh6ywbbpfk3cxppupmxfdhbpbhzawfw5oy
ipvm --home "$work/clean" car import "$car/sample-v1-tailing-corrupt-section.car" 2>/dev/null
expect_error "tailing corrupt stored nothing" "not in the store" \
  ipvm --home "$work/clean" block get bafy2bzaced4ueelaegfs5fqu4tzsh6ywbbpfk3cxppupmxfdhbpbhzawfw5oy
cp "$car/carv1-basic.car" "$work/tampered.car"
printf 'X' | dd of="$work/tampered.car" bs=1 seek=150 conv=notrunc 2>/dev/null
expect_error "tampered block" "section at offset 100: block does not match its CID" ipvm car import "$work/tampered.car"
expect_error "car import missing file" "cannot open" ipvm car import "$work/nope.car"
expect_error "car export missing root" "not in the store" ipvm --home "$work/empty" car export "$root" -o "$work/x.car"
[ ! -e "$work/x.car" ] && ok || bad "failed export left a file behind"
expect_error "car export needs -o" "output" ipvm car export "$root"

echo "cli_ipld: $((checks - failures))/$checks checks passed"
[ "$failures" -eq 0 ]
