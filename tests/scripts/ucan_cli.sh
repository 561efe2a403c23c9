#!/usr/bin/env bash
# End-to-end checks of the UCAN command line: key init/show, delegate, ucan inspect/verify/revoke,
# including every case of the conformance invocation fixture through `ipvm ucan verify`.
# Usage: ucan_cli.sh IPVM_BIN CONFORMANCE_DIR BINARY_DIR
set -u
IPVM="$1"
CONF="$2"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
FAILS=0
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
ok() { echo "ok: $*"; }

A="$WORK/alice" B="$WORK/bob"
mkdir -p "$A" "$B"

# --- keys
ALICE=$("$IPVM" --home "$A" key init) || fail "key init"
[[ "$ALICE" == did:key:z6Mk* ]] && ok "key init prints a did:key" || fail "key init printed '$ALICE'"
MODE=$(stat -c %a "$A/node.key")
[[ "$MODE" == 600 ]] && ok "key file mode 0600" || fail "key file mode $MODE"
AGAIN=$("$IPVM" --home "$A" key init 2>/dev/null)
[[ "$AGAIN" == "$ALICE" ]] && ok "key init keeps an existing key" || fail "key init replaced the key"
[[ "$("$IPVM" --home "$A" key show)" == "$ALICE" ]] && ok "key show" || fail "key show"
BOB=$(IPVM_HOME="$B" "$IPVM" key init)
[[ "$BOB" != "$ALICE" ]] && ok "second home, second key" || fail "same key twice"
"$IPVM" --home "$WORK/nokey" key show >/dev/null 2>&1 && fail "key show without a key succeeded" || ok "key show without a key fails"

# --- delegate
CID=$("$IPVM" --home "$A" delegate --to "$BOB" --cmd /msg -o "$WORK/d1.ucan") || fail "delegate"
[[ "$CID" == bafyrei* ]] && ok "delegate prints a CID" || fail "delegate printed '$CID'"
INS=$("$IPVM" ucan inspect "$WORK/d1.ucan") || fail "inspect"
grep -q "\"$CID\"" <<<"$INS" && ok "inspect shows the same CID" || fail "inspect CID: $INS"
grep -q '"ucan/dlg@1.0.0"' <<<"$INS" && grep -q '"signature_valid":true' <<<"$INS" && grep -q '"curve":"Ed25519"' <<<"$INS" \
  && ok "inspect shows tag, header, valid signature" || fail "inspect: $INS"
grep -q "\"sub\":\"$ALICE\"" <<<"$INS" && grep -q '"exp":[0-9]' <<<"$INS" && ok "default subject and expiry" || fail "defaults: $INS"
"$IPVM" --home "$A" delegate --to "$BOB" --cmd /msg --powerline --no-exp --nbf 5 \
  --pol '[["==", ".to", "bob"]]' -o "$WORK/d2.ucan" >/dev/null || fail "delegate powerline"
INS2=$("$IPVM" ucan inspect "$WORK/d2.ucan")
grep -q '"sub":null' <<<"$INS2" && grep -q '"exp":null' <<<"$INS2" && grep -q '"nbf":5' <<<"$INS2" \
  && grep -q '"pol":\[\["==",".to","bob"\]\]' <<<"$INS2" && ok "powerline, no expiry, nbf, policy" || fail "powerline: $INS2"
base64 -w0 "$WORK/d1.ucan" >"$WORK/d1.b64"
"$IPVM" ucan inspect "$WORK/d1.b64" | grep -q "\"$CID\"" && ok "base64 token files" || fail "base64 token file"
"$IPVM" --home "$A" delegate --to "$BOB" --cmd Msg -o "$WORK/x" 2>/dev/null && fail "bad command accepted" || ok "bad command refused"
"$IPVM" --home "$A" delegate --to "$BOB" --cmd /msg --pol '[["~"]]' -o "$WORK/x" 2>/dev/null && fail "bad policy accepted" || ok "bad policy refused"
"$IPVM" --home "$A" delegate --to "$BOB" --cmd /msg --sub "$ALICE" --powerline -o "$WORK/x" 2>/dev/null && fail "--sub with --powerline accepted" || ok "--sub excludes --powerline"
"$IPVM" --home "$A" delegate --to did:key:z6MkTYPO --cmd /msg -o "$WORK/x" 2>/dev/null && fail "malformed did:key accepted" || ok "malformed did:key refused"
"$IPVM" ucan inspect "$WORK/nope" 2>/dev/null && fail "inspect of a missing file" || ok "inspect of a missing file fails"
head -c 100 /dev/urandom >"$WORK/junk"
"$IPVM" ucan inspect "$WORK/junk" 2>/dev/null && fail "inspect of junk" || ok "inspect of junk fails"

# --- verify every conformance case
FX="$CONF/ucan/invocation.json"
node - "$FX" "$WORK/fx" <<'JS' || fail "fixture extraction"
const fs = require("fs"), path = require("path");
const [fxPath, out] = process.argv.slice(2);
const fx = JSON.parse(fs.readFileSync(fxPath, "utf8"));
for (const group of ["valid", "invalid"]) {
  fx[group].forEach((c, n) => {
    const d = path.join(out, `${group}-${n}`);
    fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(d, "inv.b64"), c.invocation["/"].bytes);
    c.proofs.forEach((p, i) => fs.writeFileSync(path.join(d, `prf${i}.b64`), p["/"].bytes));
    fs.writeFileSync(path.join(d, "time"), String(c.time));
    fs.writeFileSync(path.join(d, "expect"), c.error ? c.error.name : "valid");
  });
}
JS
for d in "$WORK"/fx/*; do
  args=()
  for p in "$d"/prf*.b64; do [[ -e "$p" ]] && args+=(--proof "$p"); done
  want=$(cat "$d/expect")
  out=$("$IPVM" --home "$WORK/verifier" ucan verify "$d/inv.b64" "${args[@]}" --at "$(cat "$d/time")")
  rc=$?
  if [[ "$want" == valid ]]; then
    [[ $rc == 0 && "$out" == valid ]] && ok "$(basename "$d") valid" || fail "$(basename "$d"): rc=$rc $out"
  else
    [[ $rc == 1 && "$out" == "invalid: $want: "* ]] && ok "$(basename "$d") $want" || fail "$(basename "$d") want $want: rc=$rc $out"
  fi
done

# --- proofs may come before the invocation
CASE="$WORK/fx/valid-3"
out=$("$IPVM" --home "$WORK/verifier" ucan verify --proof "$CASE/prf0.b64" --proof "$CASE/prf1.b64" "$CASE/inv.b64" --at "$(cat "$CASE/time")")
[[ "$out" == valid ]] && ok "--proof before the invocation" || fail "--proof order: $out"

# --- revocation: revoke the proof of a valid case, then it fails with Revoked
CASE="$WORK/fx/valid-1"
PCID=$("$IPVM" ucan inspect "$CASE/prf0.b64" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).cid["/"]))')
"$IPVM" --home "$WORK/rev" ucan revoke "$PCID" | grep -q "revoked $PCID" && ok "revoke" || fail "revoke"
grep -q "$PCID" "$WORK/rev/revoked.txt" && ok "revocation persisted" || fail "revocation file"
out=$("$IPVM" --home "$WORK/rev" ucan verify "$CASE/inv.b64" --proof "$CASE/prf0.b64" --at "$(cat "$CASE/time")")
[[ $? == 1 && "$out" == "invalid: Revoked: "* ]] && ok "revoked proof refused" || fail "revoked: $out"
"$IPVM" --home "$WORK/rev" ucan revoke not-a-cid 2>/dev/null && fail "bad CID revoked" || ok "bad CID refused"

# --- without --at the current time is used (the self-signed fixture case never expires)
out=$("$IPVM" --home "$WORK/verifier" ucan verify "$WORK/fx/valid-0/inv.b64")
[[ "$out" == valid ]] && ok "verify at the current time" || fail "verify now: $out"

echo "$FAILS failure(s)"
[[ $FAILS == 0 ]]
