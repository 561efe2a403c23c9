#!/usr/bin/env bash
# End-to-end checks of `ipvm wasm validate|run|resume`: exported calls with typed arguments, a WASI
# command with args, stdin, stdout, stderr and exit code passed through, traps, fuel, and a chain
# of snapshots giving the same output and exit code as one uninterrupted run.
# Usage: wasm_cli.sh IPVM_BIN CONFORMANCE_DIR BINARY_DIR   (needs wabt's wat2wasm and clang)
set -euo pipefail
ipvm=$(realpath "$1")
work=$(realpath -m "$3/wasm-cli-test")
rm -rf "$work"
mkdir -p "$work"
cd "$work"
fails=0
check() {  # check NAME EXPECTED ACTUAL
  if [[ "$2" != "$3" ]]; then
    echo "FAIL $1: expected [$2], got [$3]"
    fails=$((fails + 1))
  else
    echo "ok   $1"
  fi
}

cat > k.wat <<'WAT'
(module
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "pair") (param f64 f32) (result f64 f32) local.get 0 local.get 1)
  (func (export "sub64") (param i64 i64) (result i64) local.get 0 local.get 1 i64.sub)
  (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
  (func (export "spin") (loop br 0))
  (func (export "count") (param $n i32) (result i32) (local $i i32)
    (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1)))
             (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $i))
  (func $r (export "rec") (param i32) (result i32) local.get 0 call $r))
WAT
wat2wasm k.wat -o k.wasm
printf '\0asm\1\0\0\0\1\5' > bad.wasm

check "validate ok" "valid" "$("$ipvm" wasm validate k.wasm)"
set +e
err=$("$ipvm" wasm validate bad.wasm 2>&1 >/dev/null); rc=$?
set -e
check "validate bad: exit 1" "1" "$rc"
check "validate bad: one error line" "1" "$(printf '%s\n' "$err" | wc -l)"
check "invoke i32 with negative" "-3" "$("$ipvm" wasm run k.wasm --invoke add 2 -5)"
check "invoke two results" "$(printf -- '-1.5\nnan')" "$("$ipvm" wasm run k.wasm --invoke pair -1.5 nan)"
check "invoke i64 wraps" "9223372036854775807" "$("$ipvm" wasm run k.wasm --invoke sub64 -9223372036854775808 1)"
set +e
err=$("$ipvm" wasm run k.wasm --invoke div 1 0 2>&1); rc=$?
set -e
check "trap exit code" "1" "$rc"
check "trap message" "ipvm: trap: integer divide by zero in div at" "${err% 0x*}"
set +e
err=$("$ipvm" wasm run k.wasm --invoke spin --fuel 100000 --stats 2>&1); rc=$?
set -e
check "out of fuel" "1" "$rc"
[[ $err == *"out of fuel"* && $err == *"fuel used: 100000"* ]] && echo "ok   fuel stats" || { echo "FAIL fuel stats: $err"; fails=$((fails + 1)); }
set +e
err=$("$ipvm" wasm run k.wasm --invoke rec 1 2>&1); rc=$?
set -e
[[ $rc == 1 && $err == *"call stack exhausted"* ]] && echo "ok   deep recursion" || { echo "FAIL deep recursion: $err"; fails=$((fails + 1)); }

# Suspension points are derived from the measured fuel, so the fuel model may change.
fuel_of() { sed -n 's/^fuel used: \([0-9]*\)$/\1/p'; }
total=$("$ipvm" wasm run k.wasm --invoke count 10000 --stats 2>&1 >/dev/null | fuel_of)
slice=$((total * 6 / 10))
set +e
"$ipvm" wasm run k.wasm --invoke count 10000 --suspend-after $slice --snapshot c1.car > count.out; rc1=$?
"$ipvm" wasm resume c1.car --suspend-after $slice --snapshot c2.car >> count.out; rc2=$?
set -e
check "invoke suspended and resumed" "75 0 10000" "$rc1 $rc2 $(cat count.out)"
check "no snapshot written when the call finished" "no" "$([[ -e c2.car ]] && echo yes || echo no)"

# A snapshot whose frame pc is moved into the middle of an instruction, re-hashed so only the
# frame check can catch it: a clean error, never a crash.
python3 - c1.car bad.car <<'PY'
import hashlib, sys
car = bytearray(open(sys.argv[1], "rb").read())
def varint(b, i):
    n = s = 0
    while True:
        n |= (b[i] & 0x7f) << s; s += 7; i += 1
        if b[i - 1] < 0x80: return n, i
hlen, i = varint(car, 0)
slen, j = varint(car, i + hlen)  # the first section is the root block: 36-byte CIDv1 + data
old_cid = bytes(car[j:j + 36])
data = car[j + 36:j + slen]
k = data.find(b"\x66frames") + 7
n = data[k] & 0x1f
k += 1 if n < 24 else 2 if n == 24 else 3
pc = int.from_bytes(data[k + 8:k + 12], "little") + 1
data[k + 8:k + 12] = pc.to_bytes(4, "little")
car[j + 36:j + slen] = data
new_cid = old_cid[:4] + hashlib.sha256(data).digest()
open(sys.argv[2], "wb").write(bytes(car).replace(old_cid, new_cid))
PY
set +e
err=$("$ipvm" wasm resume bad.car 2>&1); rc=$?
set -e
[[ $rc == 1 && $err == "ipvm: "*"snapshot"*"frame"* ]] && echo "ok   snapshot with a bad pc rejected" || { echo "FAIL bad pc snapshot ($rc): $err"; fails=$((fails + 1)); }

# A WASI command: args, environment, stdin, clock, random, stderr, exit code, a long loop.
cat > prog.c <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
int main(int argc, char** argv) {
  for (int i = 0; i < argc; ++i) printf("arg %d [%s]\n", i, argv[i]);
  char buf[64];
  size_t n = fread(buf, 1, sizeof buf - 1, stdin);
  buf[n] = 0;
  printf("stdin [%s]\n", buf);
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  printf("time %lld\n", (long long)ts.tv_sec);
  unsigned r = 0;
  getentropy(&r, sizeof r);
  printf("random %u\n", r);
  fprintf(stderr, "to stderr\n");
  const char* foo = getenv("FOO");
  printf("FOO=%s\n", foo ? foo : "(unset)");
  unsigned long long acc = 1;
  for (unsigned long long i = 0; i < 2000000; ++i) {
    acc = acc * 6364136223846793005ULL + i;
    if (i % 400000 == 0) printf("step %llu %llu\n", i, acc);
  }
  printf("acc %llu\n", acc);
  return argc > 2 ? 7 : 0;
}
C
clang --target=wasm32-wasi -O2 -Wno-implicit-function-declaration prog.c -o prog.wasm
set +e
echo -n "some input" | "$ipvm" wasm run prog.wasm --env FOO=bar -- x y > full.out 2> full.err; rc=$?
set -e
check "wasi exit code" "7" "$rc"
check "wasi stderr" "to stderr" "$(cat full.err)"
grep -q '^arg 1 \[x\]$' full.out && grep -q '^stdin \[some input\]$' full.out && grep -q '^FOO=bar$' full.out \
  && echo "ok   wasi args/stdin/env" || { echo "FAIL wasi output:"; cat full.out; fails=$((fails + 1)); }
echo -n "some input" | "$ipvm" wasm run prog.wasm --env FOO=bar -- x y > again.out 2>/dev/null || true
check "wasi deterministic" "$(cat full.out)" "$(cat again.out)"

seed=$(printf '11%.0s' {1..32})
a=$("$ipvm" wasm run prog.wasm --seed "$seed" --clock 2000000000000000000 < /dev/null 2>/dev/null | grep -E '^(time|random)' || true)
b=$("$ipvm" wasm run prog.wasm --seed "$seed" --clock 2000000000000000000 < /dev/null 2>/dev/null | grep -E '^(time|random)' || true)
check "given seed and clock are deterministic" "$a" "$b"
[[ $a == "time 2000000000"* && $a != *"$(grep '^random' full.out)"* ]] && echo "ok   seed and clock are used" \
  || { echo "FAIL seed/clock: $a"; fails=$((fails + 1)); }

# The same run suspended twice and resumed from each snapshot, in new processes.
total=$(echo -n "some input" | "$ipvm" wasm run prog.wasm --env FOO=bar --stats -- x y 2>&1 >/dev/null | fuel_of || true)
slice=$((total * 4 / 10))
set +e
echo -n "some input" | "$ipvm" wasm run prog.wasm --env FOO=bar --suspend-after $slice --snapshot s1.car -- x y > chain.out 2> chain.err; rc1=$?
"$ipvm" wasm resume s1.car --suspend-after $slice --snapshot s2.car >> chain.out 2>> chain.err; rc2=$?
"$ipvm" wasm resume s2.car >> chain.out 2>> chain.err; rc3=$?
set -e
check "suspend exit codes" "75 75 7" "$rc1 $rc2 $rc3"
check "snapshot chain stdout" "$(cat full.out)" "$(cat chain.out)"
check "snapshot chain stderr" "$(cat full.err)" "$(cat chain.err)"
check "snapshot is a CAR (ipld car)" "1" "$([[ -s s1.car ]] && echo 1)"

# Resuming a snapshot twice gives the same result (it is not consumed).
"$ipvm" wasm resume s2.car > r1.out 2>/dev/null || true
"$ipvm" wasm resume s2.car > r2.out 2>/dev/null || true
check "resume is repeatable" "$(cat r1.out)" "$(cat r2.out)"

if [[ $fails -ne 0 ]]; then
  echo "$fails check(s) failed"
  exit 1
fi
echo "all wasm CLI checks passed"
