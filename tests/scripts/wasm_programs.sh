#!/usr/bin/env bash
# Differential black-box tests of `ipvm wasm run` and `ipvm wasm resume` with real C programs
# (tests/programs/*.c), built with clang for wasm32-wasi and natively with cc:
# - deterministic programs: stdout, stderr and exit code of `ipvm wasm run P.wasm -- ARGS < IN`
#   equal the native run's (`env -i ENV ./P ARGS < IN`);
# - clock/random programs: two ipvm runs are byte-identical;
# - trapping programs: the native run dies of a signal, ipvm exits 1 with the same stdout and the
#   native stderr plus one `ipvm: trap: ...` line;
# - every case is also suspended (--suspend-after N --snapshot) early, midway and near its end and
#   resumed in a chain of fresh processes until it finishes: the concatenated stdout and stderr and
#   the final exit code equal the uninterrupted run. The processes of a chain share one stdin, so a
#   program suspended mid-way through its input must continue exactly where it stopped reading.
#   The fuel a chain reports at its end equals the uninterrupted run's, and from the midway
#   snapshot the interpreter (IPVM_JIT=0) and the JIT take turns;
# - freestanding exports agree with wabt's wasm-interp (if installed), and numeric flags are checked.
# Programs (one concept each) and the rules that keep native and wasm32 output comparable:
# tests/programs/README.md.
# Usage: wasm_programs.sh IPVM_BIN CONFORMANCE_DIR BINARY_DIR
set -uo pipefail
ipvm=$(realpath "$1")
here=$(realpath "$(dirname "$0")")
src=$(realpath "$here/../programs")
work=$(realpath -m "$3/programs")
rm -rf "$work"
mkdir -p "$work/bin" "$work/in" "$work/run"
cd "$work"
source "$here/lib/checks.sh"

native_cc=${CC:-cc}
native_cxx=${CXX:-c++}
wasm_cc=${WASM_CC:-clang}
wasm_cxx=${WASM_CXX:-clang++}
printf 'int main(void){return 0;}\n' > probe.c
if ! "$wasm_cc" --target=wasm32-wasi -O2 probe.c -o probe.wasm 2>/dev/null; then
  echo "skipped: no clang wasm32-wasi ($wasm_cc cannot build for --target=wasm32-wasi)"
  exit 0
fi
# C++ programs need libc++ for wasm32-wasi (Debian: libc++-14-dev-wasm32, libc++abi-14-dev-wasm32).
printf '#include <vector>\nint main() { return std::vector<int>(1)[0]; }\n' > probe.cpp
cxx_ok=1
if ! "$wasm_cxx" --target=wasm32-wasi -O2 -fno-exceptions probe.cpp -o probe_cxx.wasm 2>/dev/null; then
  echo "skipped C++ programs: $wasm_cxx has no libc++ for wasm32-wasi"
  cxx_ok=0
fi

# ---- build: every program with -O2 both ways; some also for wasm with -O0, and with the post-MVP
# features clang can emit (variant F: memory.copy/fill, sign extension, saturating truncation).
o0_programs="printf_floats strtonum int64_math bit_tricks lz_compress funcptr_varargs stdin_fgets recursion bignum"
f_programs="strings nbody_float lz_compress bit_tricks funcptr_varargs big_static float_roundtrip"
f_flags="-O2 -mbulk-memory -msign-ext -mnontrapping-fptoint -mmutable-globals"
build_one() {  # build_one FILE: writes bin/NAME.native, bin/NAME.O2.wasm[, .O0.wasm, .F.wasm]
  local c=$1 name flags wasm_cc=$wasm_cc native_cc=$native_cc
  name=$(basename "${c%.*}")
  flags=$(sed -n 's|^// wasm-flags: ||p' "$c")
  if [[ $c == *.cpp ]]; then  # C++17 without exceptions (wasm32 has no exception handling here)
    wasm_cc=$wasm_cxx native_cc="$native_cxx -std=c++17 -fno-exceptions" flags+=" -std=c++17 -fno-exceptions"
  fi
  # A 16 MiB guest stack, like the native one, so deep recursion behaves the same.
  local wflags=(--target=wasm32-wasi -Wl,-z,stack-size=16777216)
  # shellcheck disable=SC2086
  "$wasm_cc" "${wflags[@]}" -O2 $flags "$c" -lm -o "bin/$name.O2.wasm" 2> "bin/$name.log" &&
    $native_cc -O2 "$c" -lm -o "bin/$name.native" 2>> "bin/$name.log" || return 1
  if [[ " $o0_programs " == *" $name "* ]]; then
    # shellcheck disable=SC2086
    "$wasm_cc" "${wflags[@]}" -O0 $flags "$c" -lm -o "bin/$name.O0.wasm" 2>> "bin/$name.log" || return 1
  fi
  if [[ " $f_programs " == *" $name "* ]]; then
    # shellcheck disable=SC2086
    "$wasm_cc" "${wflags[@]}" $f_flags $flags "$c" -lm -o "bin/$name.F.wasm" 2>> "bin/$name.log" || return 1
  fi
}
t0=$(date +%s%N)
for c in "$src"/*.cpp "$src"/*.c; do  # the slow C++ builds first
  name=$(basename "${c%.*}")
  [[ $name == reactor_* ]] && continue  # reactors, built below
  [[ $c == *.cpp && $cxx_ok == 0 ]] && continue
  { build_one "$c" || echo "$name" >> build-failures; } &
  while (($(jobs -rp | wc -l) >= 2)); do wait -n; done
done
wait
if [[ -s build-failures ]]; then
  for n in $(cat build-failures); do bad "build $n: $(head -c 600 "bin/$n.log")"; done
fi
t1=$(date +%s%N)

# ---- inputs ------------------------------------------------------------------------------------
cat "$src"/*.c > in/text                                   # ~110 KB of text with many lines
printf 'line one\n\tcontrol\x01\x7f\xff bytes\n12345\n-17 minus\n%0200d\nno newline at end' 7 > in/mixed
awk 'BEGIN { for (i = 0; i < 3000; ++i) printf "%d %s\n", i * 7919 % 1000, (i % 3 ? "abc" : "Hello, World") }' > in/lines
: > in/empty
printf '%s\n' '1 2 + =' '3.5 2 * 1e3 + =' '2 0.5 ^ sqrt =' '10 3 % 7 neg * =' '1 0 / =' '5 + =' \
  '1 2 3 =' '-0.125 1e-3 / 2.5e+2 - =' 'x' '1 2 3' > in/calc
# A brainf*** program that reverses its input (after the '!'), then the input.
printf '>,[>,]<[.<]!%s' "The quick brown fox jumps over the lazy dog; 0123456789" > in/bf_reverse

# ---- cases: id | program | variant | mode | stdin | env | args ----------------------------------
# mode: same (equal to native), determ (two ipvm runs equal), trap (native dies of a signal).
cases=$(
  cat <<'CASES'
printf_ints|printf_ints|O2|same|empty||
printf_floats|printf_floats|O2|same|empty||
printf_floats_O0|printf_floats|O0|same|empty||
malloc_churn|malloc_churn|O2|same|empty||40000
qsort_bsearch|qsort_bsearch|O2|same|empty||100000
strings|strings|O2|same|empty||
strtonum|strtonum|O2|same|empty||
strtonum_O0|strtonum|O0|same|empty||
snprintf_edge|snprintf_edge|O2|same|empty||
fread_text|stdin_fread|O2|same|text||
fread_empty|stdin_fread|O2|same|empty||
fread_mixed|stdin_fread|O2|same|mixed||
getchar_mixed|stdin_getchar|O2|same|mixed||
getchar_lines|stdin_getchar|O2|same|lines||
fgets_mixed|stdin_fgets|O2|same|mixed||
fgets_lines_O0|stdin_fgets|O0|same|lines||
args_env|args_env|O2|same|empty|FOO=bar EMPTY= WITH_EQ=a=b=c|one "two words" "" -dash -- "é ü"
args_none|args_env|O2|same|empty||
exit_return|exit_codes|O2|same|empty||return 3
exit_exit|exit_codes|O2|same|empty||exit 4
exit_Exit|exit_codes|O2|same|empty||_Exit 5
exit_deep|exit_codes|O2|same|empty||deep 10
exit_255|exit_codes|O2|same|empty||exit 255
exit_256|exit_codes|O2|same|empty||exit 256
exit_minus1|exit_codes|O2|same|empty||exit -1
trap_abort|abort_trap|O2|trap|empty||abort
trap_div|abort_trap|O2|trap|empty||div
trap_oob|abort_trap|O2|trap|empty||oob
trap_unreachable|abort_trap|O2|trap|empty||unreachable
stdout_stderr|stdout_stderr|O2|same|empty||
clock_time|clock_time|O2|determ|empty||
random_bytes|random_bytes|O2|determ|empty||
no_filesystem|no_filesystem|O2|determ|empty||
scanf_calc|scanf_calc|O2|same|calc||
recursion|recursion|O2|same|empty||15000
recursion_O0|recursion|O0|same|empty||8000
big_static|big_static|O2|same|empty||
int64_math|int64_math|O2|same|empty||
int64_math_O0|int64_math|O0|same|empty||
libm_funcs|libm_funcs|O2|same|empty||1.0
bit_tricks|bit_tricks|O2|same|empty||
bit_tricks_O0|bit_tricks|O0|same|empty||
bf_default|bf_interp|O2|same|empty||
bf_stdin|bf_interp|O2|same|bf_reverse||-
lz_text|lz_compress|O2|same|text||-
lz_generated_O0|lz_compress|O0|same|empty||
nbody_float|nbody_float|O2|same|empty||20000
funcptr_varargs|funcptr_varargs|O2|same|empty||
funcptr_varargs_O0|funcptr_varargs|O0|same|empty||
strings_F|strings|F|same|empty||
wordfreq|wordfreq|O2|same|text||
cpp_stl|cpp_stl|O2|same|empty||
cpp_iostream|cpp_iostream|O2|same|text||
bignum|bignum|O2|same|empty||
bignum_O0|bignum|O0|same|empty||
float_roundtrip|float_roundtrip|O2|same|empty||
float_roundtrip_F|float_roundtrip|F|same|empty||
nbody_float_F|nbody_float|F|same|empty||5000
lz_text_F|lz_compress|F|same|text||-
bit_tricks_F|bit_tricks|F|same|empty||
funcptr_varargs_F|funcptr_varargs|F|same|empty||
big_static_F|big_static|F|same|empty||
CASES
)

# split_stats PREFIX: PREFIX.all (stderr of runs with --stats) into the --stats lines (PREFIX.stats)
# and the guest's stderr (PREFIX.err); a stats line may follow a guest line left unfinished.
stats_re='(compile: [0-9.]+ ms|fuel used: [0-9]+|time: [0-9.]+ ms)\n'
split_stats() {
  grep -aoE "${stats_re%\\n}$" "$1.all" > "$1.stats"
  perl -0777 -pe "s/$stats_re//g" "$1.all" > "$1.err"
}
fuel_of() { sed -n 's/^fuel used: \([0-9]*\)$/\1/p' "$1" | tail -n 1; }
# run_wasm OUTPREFIX VARIANT-WASM STDIN ENV ARGS...: ipvm run --stats, stdout/exit code to files,
# the --stats lines to OUTPREFIX.stats and the rest of stderr to OUTPREFIX.err.
run_wasm() {
  local out=$1 wasm=$2 input=$3 env=$4
  shift 4
  local envf=()
  for kv in $env; do envf+=(--env "$kv"); done
  "$ipvm" wasm run "$wasm" "${envf[@]}" --stats -- "$@" < "in/$input" > "$out.out" 2> "$out.all"
  echo $? > "$out.rc"
  split_stats "$out"
}
# chain PREFIX FIRST SLICE WASM ENV ARGS...: run suspended after FIRST fuel, then resume with SLICE
# until finished; all processes read the caller's stdin. Writes PREFIX.out/.err/.rc/.steps.
# With alt_engine=1 the resumes alternate between the interpreter (IPVM_JIT=0) and the JIT.
chain() {
  local p=$1 first=$2 slice=$3 wasm=$4 env=$5
  shift 5
  local envf=() rc steps=1
  for kv in $env; do envf+=(--env "$kv"); done
  "$ipvm" wasm run "$wasm" "${envf[@]}" ${fuel_flag:+--fuel "$fuel_flag"} --stats --suspend-after "$first" \
    --snapshot "$p.1.car" -- "$@" > "$p.out" 2> "$p.all"
  rc=$?
  while [[ $rc == 75 && $steps -lt ${max_steps:-12} ]]; do
    IPVM_JIT=$((${alt_engine:-0} && steps % 2 ? 0 : 1)) "$ipvm" wasm resume "$p.$steps.car" --stats --suspend-after "$slice" --snapshot "$p.$((steps + 1)).car" >> "$p.out" 2>> "$p.all"
    rc=$?
    rm -f "$p.$((steps - 1)).car"
    steps=$((steps + 1))
  done
  split_stats "$p"
  echo "$rc" > "$p.rc"
  echo "$steps" > "$p.steps"
}
same_files() { cmp -s "$1" "$2"; }
describe_diff() {  # what differs between two runs A and B (prefixes)
  local a=$1 b=$2 d=""
  same_files "$a.rc" "$b.rc" || d+=" exit $(cat "$a.rc") vs $(cat "$b.rc");"
  same_files "$a.out" "$b.out" || d+=" stdout: $(diff "$a.out" "$b.out" | head -n 4 | tr '\n' ' ' | head -c 300);"
  same_files "$a.err" "$b.err" || d+=" stderr: $(diff "$a.err" "$b.err" | head -n 4 | tr '\n' ' ' | head -c 300);"
  echo "$d"
}

# run_case ID PROG VARIANT MODE STDIN ENV ARGSTR: all checks of one case, in a subshell of its own;
# its counts go to run/ID.result ("checks failures kind chains processes").
run_case() {
  local id=$1 prog=$2 variant=$3 mode=$4 input=$5 env=$6 argstr=$7
  local args wasm="bin/$2.$3.wasm" r="run/$1" d nrc total slice first chains=0 steps=0
  eval "args=($argstr)"
  [[ -f $wasm ]] || return 0  # its build failed (already reported)
  local tc
  tc=$(date +%s%N)
  run_wasm "$r.ipvm" "$wasm" "$input" "$env" "${args[@]}"
  if [[ $mode != determ ]]; then
    { env -i $env "bin/$prog.native" "${args[@]}" < "in/$input" > "$r.native.out" 2> "$r.native.err"; } 2> /dev/null
    echo $? > "$r.native.rc"
  fi
  case $mode in
    same)
      d=$(describe_diff "$r.native" "$r.ipvm")
      if [[ -z $d ]]; then ok; else bad "$id: native vs ipvm:$d"; fi
      ;;
    determ)
      run_wasm "$r.again" "$wasm" "$input" "$env" "${args[@]}"
      d=$(describe_diff "$r.ipvm" "$r.again")
      if [[ -z $d ]]; then ok; else bad "$id: two ipvm runs differ:$d"; fi
      [[ $(cat "$r.ipvm.rc") == 0 ]] && ok || bad "$id: exit $(cat "$r.ipvm.rc"): $(head -c 300 "$r.ipvm.err")"
      ;;
    trap)
      nrc=$(cat "$r.native.rc")
      [[ $nrc -gt 128 ]] && ok || bad "$id: native exit $nrc, want a signal"
      expect_eq "$id: ipvm exit" "$(cat "$r.ipvm.rc")" 1
      same_files "$r.native.out" "$r.ipvm.out" && ok || bad "$id: stdout: $(diff "$r.native.out" "$r.ipvm.out" | head -c 300)"
      expect_eq "$id: stderr before the trap" "$(head -n -1 "$r.ipvm.err")" "$(cat "$r.native.err")"
      expect_match "$id: trap line" "$(tail -n 1 "$r.ipvm.err")" '^ipvm: trap: .+ in .+ at 0x[0-9a-f]+$'
      ;;
  esac
  # Suspend midway and near the end (stdin readers also at once; other variants and long runs:
  # midway only), and resume to the end in
  # fresh processes; from the midway snapshot, the interpreter and the JIT take turns.
  total=$(fuel_of "$r.ipvm.stats")
  if [[ -z $total ]]; then
    bad "$id: --stats printed no fuel: $(tail -n 3 "$r.ipvm.all" | head -c 300)"
  else
    slice=$((total / 2 + 1))
    local points="$((total / 2)) $((total - total / 50 - 1))"
    [[ $input == empty ]] || points="1 $points"  # programs reading stdin: also before the first read
    [[ $variant == O2 && $total -lt 300000000 ]] || points=$((total / 2))  # long runs: midway only
    for first in $points; do
      ((first >= 1)) || continue
      alt_engine=$((first == total / 2)) chain "$r.chain$first" "$first" "$slice" "$wasm" "$env" "${args[@]}" < "in/$input"
      d=$(describe_diff "$r.ipvm" "$r.chain$first")
      if [[ -z $d ]]; then ok; else bad "$id: suspended at $first of $total fuel (slices of $slice):$d"; fi
      expect_eq "$id: fuel used by the chain suspended at $first" "$(fuel_of "$r.chain$first.stats")" "$total"
      chains=$((chains + 1))
      steps=$((steps + $(cat "$r.chain$first.steps")))
      rm -f "$r.chain$first".*.car
    done
  fi
  echo "$checks $failures $mode $chains $steps" > "$r.result"
  echo "$id $((($(date +%s%N) - tc) / 1000000)) ms" >> case-times
}

while IFS='|' read -r id prog variant mode input env argstr; do
  [[ -z $id ]] && continue
  (checks=0 failures=0 run_case "$id" "$prog" "$variant" "$mode" "$input" "$env" "$argstr") &
  while (($(jobs -rp | wc -l) >= 2)); do wait -n; done
done <<<"$cases"
wait
n_native=0 n_determ=0 n_trap=0 n_chain=0 chain_steps=0
while IFS='|' read -r id _; do
  [[ -z $id ]] && continue
  if [[ ! -f run/$id.result ]]; then
    [[ -f bin/$(cut -d'|' -f2,3 <<<"$(grep "^$id|" <<<"$cases")" | tr '|' .).wasm ]] && bad "$id: no result"
    continue
  fi
  read -r c f mode chains steps < "run/$id.result"
  checks=$((checks + c)) failures=$((failures + f))
  case $mode in same) n_native=$((n_native + 1)) ;; determ) n_determ=$((n_determ + 1)) ;; trap) n_trap=$((n_trap + 1)) ;; esac
  n_chain=$((n_chain + chains)) chain_steps=$((chain_steps + steps))
done <<<"$cases"

# The same stdin-reading chain with stdin a pipe rather than a file.
first=$(($(fuel_of run/fgets_mixed.ipvm.stats) / 2))
cat in/mixed | chain run/pipe_chain "$first" "$first" bin/stdin_fgets.O2.wasm ""
d=$(describe_diff run/fgets_mixed.ipvm run/pipe_chain)
if [[ -z $d ]]; then ok; else bad "fgets_mixed over a pipe, suspended at $first:$d"; fi

# A slow writer: stdin reads return short counts mid-line, which must not look like end of input.
slow() { printf 'ab'; sleep 0.2; printf 'c\nd'; sleep 0.2; printf 'e\n'; }
slow | bin/stdin_fgets.native > run/slow.native.out 2>&1
slow | "$ipvm" wasm run bin/stdin_fgets.O2.wasm > run/slow.ipvm.out 2>&1
same_files run/slow.native.out run/slow.ipvm.out && ok || bad "stdin_fgets from a slow pipe: $(diff run/slow.native.out run/slow.ipvm.out | head -c 300)"

# Many small slices: snapshots taken at ~40 different points of one run.
total=$(fuel_of run/snprintf_edge.ipvm.stats)
max_steps=60 chain run/fine_chain 1 $((total / 40)) bin/snprintf_edge.O2.wasm "" < /dev/null
d=$(describe_diff run/snprintf_edge.ipvm run/fine_chain)
if [[ -z $d ]]; then ok; else bad "snprintf_edge in slices of $((total / 40)):$d"; fi
expect_match "snprintf_edge in slices: processes" "$(cat run/fine_chain.steps)" '^(40|41|42|43)$'

# A --fuel budget travels in the snapshots: exactly enough finishes, one less traps out of fuel.
total=$(fuel_of run/lz_text.ipvm.stats)
fuel_flag=$total chain run/fuel_enough $((total / 3)) $((total / 3)) bin/lz_compress.O2.wasm "" - < in/text
d=$(describe_diff run/lz_text.ipvm run/fuel_enough)
if [[ -z $d ]]; then ok; else bad "lz_text with --fuel $total (exactly enough):$d"; fi
fuel_flag=$((total - 1)) chain run/fuel_short $((total / 3)) $((total / 3)) bin/lz_compress.O2.wasm "" - < in/text
expect_eq "lz_text with --fuel $((total - 1)): exit" "$(cat run/fuel_short.rc)" 1
expect_match "lz_text with --fuel $((total - 1)): trap" "$(tail -n 1 run/fuel_short.err)" '^ipvm: trap: out of fuel in '

# A WASI reactor's export: _initialize first, every line it prints, then its result; the same when
# the call is suspended and resumed.
if "$wasm_cc" --target=wasm32-wasi -O2 -mexec-model=reactor "$src/reactor_wasi.c" -o bin/reactor_wasi.wasm 2> bin/reactor_wasi.log; then
  "$ipvm" wasm run bin/reactor_wasi.wasm --invoke greet 3 > run/greet.out 2> run/greet.err
  expect_eq "reactor greet: exit" "$?" 0
  expect_eq "reactor greet: stdout" "$(cat run/greet.out)" "$(printf 'hello 0\nhello 1\nhello 2\n6')"
  expect_eq "reactor greet: stderr" "$(cat run/greet.err)" "greeted 3"
  expect_eq "reactor average" "$("$ipvm" wasm run bin/reactor_wasi.wasm --invoke average 1001)" "250"
  "$ipvm" wasm run bin/reactor_wasi.wasm --invoke greet 300 --stats > run/greet300.out 2> run/greet300.all
  split_stats run/greet300
  echo 0 > run/greet300.rc
  total=$(fuel_of run/greet300.stats)
  "$ipvm" wasm run bin/reactor_wasi.wasm --invoke greet 300 --suspend-after $((total / 3)) --snapshot run/greet.1.car \
    > run/greet_chain.out 2> run/greet_chain.err
  rc=$?
  for k in 1 2 3; do
    [[ $rc == 75 ]] || break
    "$ipvm" wasm resume run/greet.$k.car --suspend-after $((total / 3)) --snapshot run/greet.$((k + 1)).car \
      >> run/greet_chain.out 2>> run/greet_chain.err
    rc=$?
  done
  echo $rc > run/greet_chain.rc
  d=$(describe_diff run/greet300 run/greet_chain)
  if [[ -z $d ]]; then ok; else bad "reactor greet 300 suspended every $((total / 3)) fuel:$d"; fi
else
  bad "build reactor_wasi: $(head -c 300 bin/reactor_wasi.log)"
fi

# Freestanding exports (no WASI): `ipvm wasm run --invoke` against wabt's wasm-interp, if present.
if command -v wasm-interp > /dev/null && command -v python3 > /dev/null; then
  if "$wasm_cc" --target=wasm32 -O2 -nostdlib -Wl,--no-entry "$src/reactor_exports.c" -o bin/reactor_exports.wasm 2> bin/reactor.log; then
    n_interp=0
    while read -r line; do  # "name() => i32:4171510507"
      name=${line%%(*}
      want=${line##*=> }
      got=$("$ipvm" wasm run bin/reactor_exports.wasm --invoke "$name" 2>&1)
      case ${want%%:*} in  # wasm-interp prints integers unsigned and floats with %f
        i32) got="i32:$((got & 0xffffffff))" ;;
        i64) got="i64:$(printf '%u' "$got")" ;;
        f32) got="f32:$(python3 -c 'import struct, sys; print("%f" % struct.unpack("f", struct.pack("f", float(sys.argv[1])))[0])' "$got")" ;;
        f64) got="f64:$(python3 -c 'import sys; print("%f" % float(sys.argv[1]))' "$got")" ;;
      esac
      expect_eq "reactor export $name: ipvm vs wasm-interp" "$got" "$want"
      n_interp=$((n_interp + 1))
    done < <(wasm-interp bin/reactor_exports.wasm --run-all-exports)
    expect_eq "reactor exports compared with wasm-interp" "$n_interp" 10
  else
    bad "build reactor_exports: $(head -c 300 bin/reactor.log)"
  fi
fi

# Numeric flags are plain decimal: no negative (strtoull would wrap it), octal or out-of-range
# values; the largest budget is unlimited rather than wrapped into a negative one.
expect_error "--fuel -1" "--fuel: must be a non-negative decimal" "$ipvm" wasm run bin/args_env.O2.wasm --fuel -1
expect_error "--suspend-after 0x10" "--suspend-after: must be a non-negative decimal" \
  "$ipvm" wasm run bin/args_env.O2.wasm --suspend-after 0x10 --snapshot run/x.car
expect_error "--clock 2^64" "--clock: .* larger than 2\^64-1" "$ipvm" wasm run bin/args_env.O2.wasm --clock 18446744073709551616
expect_error "resume --fuel -3" "--fuel: must be a non-negative decimal" "$ipvm" wasm resume run/fine_chain.1.car --fuel -3
"$ipvm" wasm run bin/args_env.O2.wasm --fuel 18446744073709551615 -- a > run/maxfuel.out 2>&1
expect_eq "--fuel 2^64-1 is unlimited" "$?:$(head -n 1 run/maxfuel.out)" "2:argc 2 prog args_env"

# Seeds and clock starts are used: another --seed changes the random bytes, another --clock the time.
seed=$(printf '5a%.0s' {1..32})
"$ipvm" wasm run bin/random_bytes.O2.wasm --seed "$seed" < /dev/null > run/seeded.out 2>&1
same_files run/seeded.out run/random_bytes.ipvm.out && bad "random_bytes: --seed changes nothing" || ok
"$ipvm" wasm run bin/clock_time.O2.wasm --clock 86400000000000 < /dev/null > run/clocked.out 2>&1
expect_match "clock_time: --clock sets the start" "$(head -n 1 run/clocked.out)" '^time 86400 = 1970-01-02 00:00:00$'
t2=$(date +%s%N)

echo "$n_native native comparisons, $n_determ determinism checks, $n_trap trap checks, $n_chain suspend/resume chains ($chain_steps processes)"
echo "build $(((t1 - t0) / 1000000)) ms, runs $(((t2 - t1) / 1000000)) ms"
if ((failures)); then
  echo "$failures of $checks checks failed"
  exit 1
fi
echo "all $checks wasm program checks passed"
