// The native tier (jit.h) against the interpreter: the same module run with CallLimits::jit on and
// off must give the same results bit for bit, the same traps (kind, function, offset), the same
// fuel, and, when suspended at any fuel amount, the same frames, stack slots and memory, so a
// call can continue in either tier.
#include <bit>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "wasm/engine.h"
#include "wasm/jit.h"
#include "wasm/wat.h"

namespace ipvm::wasm {
namespace {

const char* kModule = R"((module
  (memory 1)
  (global $g (mut i32) (i32.const 7))
  (global $h (mut i64) (i64.const -5))
  (table 2 funcref)
  (elem (i32.const 0) $sq $fib)
  (type $un (func (param i32) (result i32)))
  (func $sq (param i32) (result i32) local.get 0 local.get 0 i32.mul)
  (func $fib (export "fib") (param i32) (result i32)
    local.get 0 i32.const 2 i32.lt_u
    if (result i32) local.get 0
    else
      local.get 0 i32.const 1 i32.sub call $fib
      local.get 0 i32.const 2 i32.sub call $fib
      i32.add
    end)
  (func (export "depth") (param i32) (result i32)
    local.get 0 i32.eqz if (result i32) i32.const 0
    else local.get 0 i32.const 1 i32.sub call 2 i32.const 1 i32.add end)
  (func (export "forever") (param i32) (result i32)
    local.get 0 i32.const 1 i32.add call 3)
  (func (export "ints") (param i32 i32) (result i64) (local i64)
    local.get 0 local.get 1 i32.add
    local.get 0 local.get 1 i32.sub i32.xor
    local.get 0 local.get 1 i32.rotl i32.or
    local.get 0 local.get 1 i32.shr_s i32.add
    local.get 0 local.get 1 i32.lt_s i32.add
    local.get 0 i32.clz i32.add
    local.get 1 i32.popcnt i32.add
    i64.extend_i32_s local.set 2
    local.get 2 local.get 0 i64.extend_i32_u i64.mul
    local.get 1 i64.extend_i32_s i64.const 7 i64.rotr i64.xor
    local.get 0 i64.extend_i32_s i64.const 33 i64.shl i64.sub
    local.get 0 i32.extend8_s i64.extend_i32_s i64.add
    local.get 1 i64.extend_i32_u i64.ctz i64.add
    global.get $h i64.add)
  (func (export "divs") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.div_s
    local.get 0 local.get 1 i32.rem_s i32.add
    local.get 0 local.get 1 i32.div_u i32.add
    local.get 0 local.get 1 i32.rem_u i32.add)
  (func (export "divs64") (param i64 i64) (result i64)
    local.get 0 local.get 1 i64.div_s
    local.get 0 local.get 1 i64.rem_s i64.add
    local.get 0 local.get 1 i64.div_u i64.add
    local.get 0 local.get 1 i64.rem_u i64.add)
  (func (export "floats") (param f64 f64) (result f64) (local f32)
    local.get 0 local.get 1 f64.add
    local.get 0 local.get 1 f64.mul f64.sub
    local.get 0 local.get 1 f64.div f64.add
    local.get 0 local.get 1 f64.min f64.add
    local.get 0 f64.sqrt f64.add
    local.get 1 f64.nearest f64.add
    local.get 0 local.get 1 f64.copysign f64.add
    local.get 0 f32.demote_f64 local.tee 2 local.get 2 f32.mul f64.promote_f32 f64.add
    local.get 0 local.get 1 f64.lt f64.convert_i32_u f64.add
    local.get 0 local.get 1 f64.eq f64.convert_i32_s f64.add
    local.get 0 local.get 1 f64.ne f64.convert_i32_s f64.add)
  (func (export "f32ops") (param f32 f32) (result f32)
    local.get 0 local.get 1 f32.div local.get 1 f32.sub
    local.get 0 f32.neg f32.abs f32.max
    local.get 0 local.get 1 f32.ge f32.convert_i32_u f32.add)
  (func (export "trunc") (param f64) (result i32) local.get 0 i32.trunc_f64_s)
  (func (export "trunc_u64") (param f32) (result i64) local.get 0 i64.trunc_f32_u)
  (func (export "sat") (param f64) (result i64) local.get 0 i64.trunc_sat_f64_s)
  (func (export "mem") (param i32 i32) (result i64)
    local.get 0 local.get 1 i32.store
    local.get 0 i32.const 4 i32.add local.get 1 i32.const 255 i32.and i32.store8 offset=2
    local.get 0 i32.const 8 i32.add local.get 1 i64.extend_i32_s i64.store
    local.get 0 i64.load16_s offset=2
    local.get 0 i64.load32_u i64.add
    local.get 0 i32.load8_s offset=6 i64.extend_i32_s i64.add
    local.get 0 i64.load offset=8 i64.add)
  (func (export "sum") (param i32) (result i32) (local i32 i32)
    loop
      local.get 1 i32.const 4 i32.mul local.get 1 i32.store
      local.get 2 local.get 1 i32.const 4 i32.mul i32.load i32.add local.set 2
      global.get $g local.get 2 i32.add global.set $g
      local.get 1 i32.const 1 i32.add local.tee 1
      local.get 0 i32.lt_u br_if 0
    end
    local.get 2 global.get $g i32.xor)
  (func (export "switch") (param i32) (result i32)
    block block block block
      local.get 0 br_table 0 1 2 3
    end i32.const 10 return
    end i32.const 20 return
    end i32.const 30 return
    end i32.const 40)
  (func (export "indirect") (param i32 i32) (result i32)
    local.get 1 local.get 0 call_indirect (type $un))
  (func (export "select") (param i64 i64 i32) (result i64)
    local.get 0 local.get 1 local.get 2 select)
  (func (export "grow") (param i32) (result i32)
    local.get 0 memory.grow drop memory.size)
  (func (export "unreachable") unreachable)
  ;; Ops native code leaves to the interpreter, then continues after (results consumed at once).
  (func (export "bulk") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.const 100 memory.fill
    local.get 0 i32.const 50 i32.add local.get 0 i32.const 100 memory.copy
    local.get 0 i32.const 120 i32.add i32.load8_u
    i32.const 0 memory.grow i32.add
    table.size 0 i32.add
    i32.const 1 table.get 0 ref.is_null i32.add
    i32.const 0 i32.const 1 table.get 0 table.set 0
    i32.const 0 i32.const 0 call_indirect (type $un) i32.add)
  ;; Loops, calls and memory for suspending at every fuel point.
  (func (export "mix") (param i32) (result i32) (local i32 i32)
    loop
      local.get 2 local.get 1 call $sq i32.add local.set 2
      local.get 1 i32.const 8 i32.mul local.get 2 i32.store
      local.get 1 i32.const 3 i32.and
      if local.get 1 i32.const 7 i32.and i32.const 1 call_indirect (type $un) local.get 2 i32.add local.set 2 end
      local.get 1 i32.const 1 i32.add local.tee 1
      local.get 0 i32.lt_s br_if 0
    end
    local.get 2 i32.const 16 i32.load i32.xor)
))";

struct Tiers : ::testing::Test {
  void SetUp() override {
    auto bytes = wat_to_wasm(kModule);
    ASSERT_TRUE(bytes) << bytes.error().to_string();
    wasm = *bytes;
  }
  Instance* fresh(Store& s) {
    auto cm = CompiledModule::compile(wasm);
    EXPECT_TRUE(cm) << cm.error().to_string();
    Linker l;
    auto inst = l.instantiate(s, *cm);
    EXPECT_TRUE(inst) << inst.error().to_string();
    return *inst;
  }
  // Runs `name` in a fresh instance per tier and expects identical outcomes and memory.
  void same(const char* name, std::vector<Value> args, CallLimits lim = {}) {
    Store s1, s2;
    Instance* i1 = fresh(s1);
    Instance* i2 = fresh(s2);
    lim.jit = true;
    Outcome a = s1.call(i1->func(name), args, lim);
    lim.jit = false;
    Outcome b = s2.call(i2->func(name), args, lim);
    std::string what = std::string(name) + "(" + (args.empty() ? "" : std::to_string(args[0].bits)) + ")";
    ASSERT_EQ(a.status, b.status) << what << " jit: " << a.trap.to_string() << " interp: " << b.trap.to_string();
    EXPECT_EQ(a.fuel_used, b.fuel_used) << what;
    if (a.ok()) {
      ASSERT_EQ(a.results.size(), b.results.size());
      for (size_t k = 0; k < a.results.size(); ++k) EXPECT_EQ(a.results[k].bits, b.results[k].bits) << what;
    } else {
      EXPECT_EQ(a.trap.kind, b.trap.kind) << what;
      EXPECT_EQ(a.trap.function, b.trap.function) << what;
      EXPECT_EQ(a.trap.offset, b.trap.offset) << what;
    }
    Memory* m1 = i1->memory0();
    Memory* m2 = i2->memory0();
    ASSERT_EQ(m1->size(), m2->size()) << what;
    EXPECT_EQ(std::memcmp(m1->data(), m2->data(), m1->size()), 0) << what;
  }
  Bytes wasm;
};

TEST_F(Tiers, ModuleHasNativeCode) {
  if (!jit_default()) GTEST_SKIP() << "no native tier on this host (or IPVM_JIT=0)";
  auto cm = CompiledModule::compile(wasm);
  ASSERT_TRUE(cm);
  ASSERT_NE((*cm)->jit(), nullptr);
  EXPECT_EQ((*cm)->jit()->compiled_funcs(), (*cm)->code().funcs.size());
}

TEST_F(Tiers, SameResultsAndTraps) {
  const int32_t ints[] = {0, 1, -1, 2, 7, -7, 31, 32, INT32_MIN, INT32_MAX, 12345, -99999};
  for (int32_t a : ints)
    for (int32_t b : ints) {
      same("ints", {Value::i32(a), Value::i32(b)});
      same("divs", {Value::i32(a), Value::i32(b)});
      same("divs64", {Value::i64(int64_t{a} * 3), Value::i64(b)});
    }
  same("divs64", {Value::i64(INT64_MIN), Value::i64(-1)});
  same("divs64", {Value::i64(INT64_MIN), Value::i64(1)});
  const double fs[] = {0.0, -0.0, 1.5, -2.5, 1e300, -1e-300, INFINITY, -INFINITY, NAN, 3e9, -3e9, 4294967296.0};
  for (double a : fs) {
    for (double b : fs) {
      same("floats", {Value::f64(a), Value::f64(b)});
      same("f32ops", {Value::f32(static_cast<float>(a)), Value::f32(static_cast<float>(b))});
    }
    same("trunc", {Value::f64(a)});
    same("trunc_u64", {Value::f32(static_cast<float>(a))});
    same("sat", {Value::f64(a)});
  }
  for (int32_t a : {0, 4, 65520, 65528, 65532, 65535, 65536, -1, -8})
    for (int32_t b : {0, -1, 0x12345678}) same("mem", {Value::i32(a), Value::i32(b)});
  for (int32_t n : {0, 1, 5, 1000}) same("sum", {Value::i32(n)});
  for (int32_t n : {-1, 0, 1, 2, 3, 4, 100}) same("switch", {Value::i32(n)});
  for (int32_t n : {0, 1, 2, 5}) same("indirect", {Value::i32(n), Value::i32(9)});
  for (int32_t c : {0, 1, -1}) same("select", {Value::i64(-3), Value::i64(INT64_MAX), Value::i32(c)});
  same("unreachable", {});
  for (int32_t n : {0, 1, 10, 20}) same("fib", {Value::i32(n)});
  same("mix", {Value::i32(50)});
}

// memory.grow, bulk memory and table ops run in the interpreter, which returns to native code
// right after each.
TEST_F(Tiers, InterpretedOpsInsideNativeCode) {
  for (int32_t n : {0, 1, 100000}) same("grow", {Value::i32(n)});
  for (int32_t a : {0, 1000, 65400, 65536})
    for (int32_t v : {0, 7, 300}) same("bulk", {Value::i32(a), Value::i32(v)});
}

TEST_F(Tiers, FuelLimitsTrapAlike) {
  for (uint64_t fuel : {1, 2, 10, 100, 1000, 5000}) {
    CallLimits lim;
    lim.fuel = fuel;
    same("fib", {Value::i32(12)}, lim);
    same("sum", {Value::i32(300)}, lim);
    same("mix", {Value::i32(30)}, lim);
  }
}

TEST_F(Tiers, DeepRecursion) {
  // Deeper than the native code nests on the C stack (it exits to the interpreter and re-enters).
  same("depth", {Value::i32(19000)});
  // Beyond the call depth limit: the same exhaustion trap, function and offset.
  same("forever", {Value::i32(0)});
  CallLimits lim;
  lim.max_call_depth = 100000;
  lim.max_stack_slots = 1u << 16;  // the value stack runs out first
  same("forever", {Value::i32(0)}, lim);
}

// Suspends both tiers at every fuel amount up to a bound and compares the saved state each time,
// then finishes each call alternating the tier on every resume.
TEST_F(Tiers, SuspendAtEveryFuelPointLeavesTheSameState) {
  for (const char* fn : {"mix", "fib"}) {
    std::vector<Value> args{Value::i32(fn[0] == 'm' ? 12 : 9)};
    Store s0;
    Outcome whole = s0.call(fresh(s0)->func(fn), args, CallLimits{});
    ASSERT_TRUE(whole.ok());
    for (uint64_t step = 1; step <= 60; ++step) {
      Store s1, s2;
      Instance* i1 = fresh(s1);
      Instance* i2 = fresh(s2);
      CallLimits lim;
      lim.fuel = step;
      lim.suspend_on_fuel = true;
      lim.jit = true;
      auto e1 = s1.begin(i1->func(fn), args, lim);
      lim.jit = false;
      auto e2 = s2.begin(i2->func(fn), args, lim);
      ASSERT_TRUE(e1 && e2);
      Outcome o1 = (*e1)->run();
      Outcome o2 = (*e2)->run();
      ASSERT_EQ(o1.status, o2.status) << fn << " step " << step;
      if (o1.suspended()) {
        const auto& f1 = (*e1)->frames;
        const auto& f2 = (*e2)->frames;
        ASSERT_EQ(f1.size(), f2.size()) << fn << " step " << step;
        for (size_t k = 0; k < f1.size(); ++k) {
          EXPECT_EQ(f1[k].func, f2[k].func);
          EXPECT_EQ(f1[k].pc, f2[k].pc) << fn << " step " << step << " frame " << k;
          EXPECT_EQ(f1[k].fp, f2[k].fp);
        }
        EXPECT_EQ((*e1)->stack, (*e2)->stack) << fn << " step " << step;
        EXPECT_EQ(std::memcmp(i1->memory0()->data(), i2->memory0()->data(), i1->memory0()->size()), 0);
      }
      // Finish e1 switching tiers on each resume.
      int n = 0;
      while (o1.suspended() && n < 100000) {
        ++n;
        (*e1)->limits().jit = (n % 2) == 0;
        (*e1)->add_fuel(step);
        o1 = (*e1)->run();
      }
      ASSERT_TRUE(o1.ok()) << fn << " step " << step << ": " << o1.trap.to_string();
      EXPECT_EQ(o1.results[0], whole.results[0]) << fn << " step " << step;
      EXPECT_EQ(o1.fuel_used, whole.fuel_used) << fn << " step " << step;
    }
  }
}

}  // namespace
}  // namespace ipvm::wasm
