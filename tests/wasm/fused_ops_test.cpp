// The compiler's fused and accumulator instruction forms (ops.h) against plain wasm semantics:
// each function below is written so that a specific fused form is emitted (noted per function),
// and is checked at edge values, on both branch outcomes, at the memory end, and by suspending at
// every fuel point of a run and resuming.
#include <bit>
#include <climits>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "wasm/engine.h"
#include "wasm/wat.h"

namespace ipvm::wasm {
namespace {

const char* kModule = R"((module
  (memory 1)
  ;; I32SubA: the left operand is the result just computed (acc).
  (func (export "sub_acc_left") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.mul local.get 1 i32.sub)
  ;; I32SubB / I32ShlB / I32LtSB: the right operand is the result just computed.
  (func (export "sub_acc_right") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.const 3 i32.mul i32.sub)
  (func (export "shl_acc_right") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.const 1 i32.add i32.shl)
  (func (export "lts_acc_right") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.const 1 i32.xor i32.lt_s)
  ;; Immediate forms, from acc and from a local.
  (func (export "add_m1") (param i32) (result i32) local.get 0 i32.const -1 i32.add)
  (func (export "and_min") (param i32) (result i32) local.get 0 i32.const 0x80000000 i32.and)
  (func (export "shru_imm_acc") (param i32) (result i32)
    local.get 0 i32.const 0 i32.or i32.const 33 i32.shr_u)
  (func (export "rotl_imm_acc") (param i32) (result i32)
    local.get 0 i32.const 0 i32.xor i32.const 31 i32.rotl)
  (func (export "i64_sub_imm_acc") (param i64) (result i64)
    local.get 0 i64.const 1 i64.mul i64.const -2147483648 i64.sub)
  (func (export "f64_div_acc") (param f64 f64) (result f64)
    local.get 0 local.get 1 f64.add local.get 1 f64.div)
  ;; Compare + br_if with the compared value from acc (BrIfI32LtSImmA), both outcomes.
  (func (export "lt_branch") (param i32) (result i32)
    block
      local.get 0 i32.const 1 i32.add i32.const 0 i32.lt_s br_if 0
      i32.const 1 return
    end
    i32.const 2)
  ;; eqz + br_if on a value loaded just before (BrIfZA after a load).
  (func (export "load_eqz_branch") (param i32) (result i32)
    block
      local.get 0 i32.load8_u i32.eqz br_if 0
      i32.const 7 return
    end
    i32.const 9)
  ;; A loop whose counter is computed into a local (tee) and tested from acc (BrIf...LoopA).
  (func (export "count") (param i32) (result i32) (local i32 i32)
    loop
      local.get 2 local.get 1 i32.add local.set 2
      local.get 1 i32.const 1 i32.add local.tee 1
      local.get 0 i32.ne br_if 0
    end
    local.get 2)
  ;; Loads with the address from acc (I32LoadA) and at a constant-folded address (I32LoadAI).
  (func (export "load_sum_addr") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.add i32.load)
  (func (export "load_ai") (param i32) (result i32)
    local.get 0 i32.const 4 i32.add i32.load offset=8)
  ;; Stores with the value from acc (I32StoreV, I64StoreAIV).
  (func (export "store_v") (param i32 i32)
    local.get 0 local.get 1 i32.const 1 i32.add i32.store)
  (func (export "store_aiv") (param i32 i64)
    local.get 0 i32.const 8 i32.add local.get 1 i64.const 2 i64.mul i64.store offset=4)
  (func (export "load64") (param i32) (result i64) local.get 0 i64.load)
  ;; A declared local set to 0 before any label needs no code; after a loop label it does.
  (func (export "zero_local") (param i32) (result i32) (local i32)
    i32.const 0 local.set 1
    loop
      local.get 1 i32.const 5 i32.add local.set 1
      local.get 0 i32.const 1 i32.sub local.tee 0 br_if 0
    end
    local.get 1
    i32.const 0 local.set 1
    local.get 1 i32.add)
  ;; Recursion through the fast call path.
  (func $fib (export "fib") (param i32) (result i32)
    local.get 0 i32.const 2 i32.lt_u
    if (result i32) local.get 0
    else local.get 0 i32.const 1 i32.sub call $fib local.get 0 i32.const 2 i32.sub call $fib i32.add end)
;; a op shift(c, imm): (I32XorRotlImm, I32AddShrUImm, I32OrShlImm, I32AndShrUImm); counts
  ;; are taken mod 32.
  (func (export "xor_rotl") (param i32 i32 i32) (result i32)
    local.get 0 local.get 1 local.get 2 i32.rotl drop local.get 1 i32.const 39 i32.rotl i32.xor)
  (func (export "add_shru") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.const 31 i32.shr_u i32.add)
  (func (export "or_shl") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.const 32 i32.shl i32.or)
  (func (export "and_shru") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.const 4 i32.shr_u i32.and)
  ;; Branch on a load: stack temp (BrIfLoad8UNz), through eqz (BrIfLoadZ), and a load into a
  ;; local that eqz + br_if test right after (BrIfLoad8UZD: the local must still be written).
  (func (export "br_load8") (param i32) (result i32)
    block local.get 0 i32.load8_u br_if 0 i32.const 1 return end i32.const 2)
  (func (export "br_load_eqz") (param i32) (result i32)
    block local.get 0 i32.load i32.eqz br_if 0 i32.const 1 return end i32.const 2)
  (func (export "br_load8_tee") (param i32) (result i32) (local i32)
    block local.get 0 i32.load8_u local.tee 1 i32.eqz br_if 0 local.get 1 i32.const 100 i32.add return end
    local.get 1 i32.const 200 i32.add)
  (func (export "if_load8_tee") (param i32) (result i32) (local i32)
    local.get 0 i32.load8_u local.tee 1 i32.eqz
    if (result i32) local.get 1 i32.const 300 i32.add else local.get 1 end)
  ;; Two local = local + imm in a row (I32AddImm2), the second reading the first's result.
  (func (export "add_imm2") (param i32 i32) (result i32)
    local.get 0 i32.const 1 i32.add local.set 0
    local.get 0 i32.const -2147483648 i32.add local.set 1
    local.get 0 local.get 1 i32.xor)
  ;; A call's result from acc, a select on a condition from acc, a load-fused sub into a local.
  (func $twice (param i32) (result i32) local.get 0 local.get 0 i32.add)
  (func (export "call_sub") (param i32) (result i32)
    local.get 0 call $twice local.get 0 i32.const 1 i32.add i32.sub)
  (func (export "call_sub2") (param i32) (result i32)
    local.get 0 call $twice local.get 0 i32.sub)
  (func (export "select_acc") (param i32 i32 i32) (result i32)
    local.get 0 local.get 1 local.get 2 i32.const 1 i32.and select)
  (func (export "sub_load_local") (param f64 i32) (result f64) (local f64)
    local.get 0 local.get 1 f64.load offset=8 f64.sub local.set 2
    local.get 2 local.get 2 f64.mul)
  (func (export "store_f64") (param i32 f64) local.get 0 local.get 1 f64.store offset=8)
;; Constant-address loads (I32LoadK, I64Load8SK), four moves in a row (Copy4), and
  ;; read-modify-write through one slot (F64AddLoadStoreA, I32AddLoadStore).
  (func (export "load_k") (result i32) i32.const 65532 i32.load)
  (func (export "load_k_end") (result i32) i32.const 65533 i32.load)
  (func (export "load_k_s8") (result i64) i32.const 0 i64.load8_s offset=65535)
  (func (export "rotate4") (param i32 i32 i32 i32) (result i32)
    (local i32)
    local.get 0 local.set 4
    local.get 1 local.set 0
    local.get 2 local.set 1
    local.get 3 local.set 2
    local.get 4 local.set 3
    local.get 0 i32.const 1000 i32.mul local.get 1 i32.const 100 i32.mul i32.add
    local.get 2 i32.const 10 i32.mul i32.add local.get 3 i32.add)
  (func (export "axpy") (param i32 f64 f64)
    local.get 0 local.get 1 local.get 2 f64.mul local.get 0 f64.load f64.add f64.store)
  (func (export "inc_at") (param i32 i32)
    local.get 0 local.get 1 local.get 0 i32.load i32.add i32.store)
  (func (export "f64_at") (param i32) (result f64) local.get 0 f64.load)
  ;; A loop mixing acc forms, for suspending at every fuel point.
  (func (export "mix") (param i32) (result i32) (local i32 i32)
    i32.const 0x12345 local.set 2
    loop
      local.get 2 i32.const 7 i32.rotl local.get 1 i32.xor local.get 2 i32.add local.set 2
      local.get 1 i32.const 4 i32.shl i32.const 0xfff0 i32.and local.get 2 i32.store
      local.get 1 i32.const 1 i32.add local.tee 1 local.get 0 i32.lt_u br_if 0
    end
    local.get 2 i32.const 0 i32.load i32.xor)
))";

struct FusedOps : ::testing::Test {
  void SetUp() override {
    auto bytes = wat_to_wasm(kModule);
    ASSERT_TRUE(bytes) << bytes.error().to_string();
    auto cm = CompiledModule::compile(*bytes);
    ASSERT_TRUE(cm) << cm.error().to_string();
    auto inst = linker.instantiate(store, *cm);
    ASSERT_TRUE(inst) << inst.error().to_string();
    instance = *inst;
  }
  Outcome call(const char* name, std::vector<Value> args) {
    Func* f = instance->func(name);
    EXPECT_NE(f, nullptr) << name;
    return store.call(f, args, CallLimits{});
  }
  uint32_t u32(const char* name, std::vector<Value> args) {
    Outcome o = call(name, std::move(args));
    EXPECT_TRUE(o.ok()) << name << ": " << o.trap.to_string();
    return o.ok() ? o.results[0].as_u32() : 0xdeadbeefu;
  }
  Store store;
  Linker linker;
  Instance* instance = nullptr;
};

TEST_F(FusedOps, AccumulatorOperandsOnBothSides) {
  const int32_t vals[] = {0, 1, -1, INT32_MIN, INT32_MAX, 12345};
  for (int32_t a : vals)
    for (int32_t b : vals) {
      uint32_t ua = static_cast<uint32_t>(a), ub = static_cast<uint32_t>(b);
      EXPECT_EQ(u32("sub_acc_left", {Value::i32(a), Value::i32(b)}), ua * ub - ub);
      EXPECT_EQ(u32("sub_acc_right", {Value::i32(a), Value::i32(b)}), ua - ub * 3u);
      EXPECT_EQ(u32("shl_acc_right", {Value::i32(a), Value::i32(b)}), ua << ((ub + 1) & 31));
      EXPECT_EQ(u32("lts_acc_right", {Value::i32(a), Value::i32(b)}),
                a < static_cast<int32_t>(ub ^ 1u) ? 1u : 0u);
    }
}

TEST_F(FusedOps, ImmediateFormsAtEdgeValues) {
  EXPECT_EQ(u32("add_m1", {Value::i32(0)}), 0xffffffffu);
  EXPECT_EQ(u32("add_m1", {Value::i32(INT32_MIN)}), 0x7fffffffu);
  EXPECT_EQ(u32("and_min", {Value::i32(-1)}), 0x80000000u);
  EXPECT_EQ(u32("and_min", {Value::i32(INT32_MAX)}), 0u);
  EXPECT_EQ(u32("shru_imm_acc", {Value::i32(-1)}), 0x7fffffffu);  // 33 & 31 = 1
  EXPECT_EQ(u32("rotl_imm_acc", {Value::i32(1)}), 0x80000000u);
  EXPECT_EQ(u32("rotl_imm_acc", {Value::i32(3)}), 0x80000001u);
  Outcome o = call("i64_sub_imm_acc", {Value::i64(5)});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o.results[0].as_i64(), 5 + 2147483648LL);
  o = call("f64_div_acc", {Value::f64(1.0), Value::f64(0.0)});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o.results[0].as_f64(), std::numeric_limits<double>::infinity());
  o = call("f64_div_acc", {Value::f64(0.0), Value::f64(0.0)});  // NaN from acc: canonical
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o.results[0].bits, 0x7ff8000000000000ull);
}

TEST_F(FusedOps, CompareAndBranchBothOutcomes) {
  EXPECT_EQ(u32("lt_branch", {Value::i32(5)}), 1u);
  EXPECT_EQ(u32("lt_branch", {Value::i32(INT32_MAX)}), 2u);  // wraps to INT_MIN < 0: taken
  EXPECT_EQ(u32("lt_branch", {Value::i32(-1)}), 1u);         // 0 < 0: not taken
  EXPECT_EQ(u32("lt_branch", {Value::i32(-2)}), 2u);
  // Memory is zero except what we store.
  EXPECT_EQ(u32("load_eqz_branch", {Value::i32(100)}), 9u);
  ASSERT_TRUE(call("store_v", {Value::i32(100), Value::i32(0)}).ok());  // stores 1
  EXPECT_EQ(u32("load_eqz_branch", {Value::i32(100)}), 7u);
  EXPECT_EQ(u32("count", {Value::i32(1)}), 0u);
  EXPECT_EQ(u32("count", {Value::i32(100)}), 4950u);
}

TEST_F(FusedOps, FusedMemoryAccessAtTheMemoryEnd) {
  ASSERT_TRUE(call("store_v", {Value::i32(65532), Value::i32(41)}).ok());
  EXPECT_EQ(u32("load_sum_addr", {Value::i32(65530), Value::i32(2)}), 42u);
  EXPECT_EQ(u32("load_ai", {Value::i32(65520)}), 42u);
  for (auto o : {call("load_sum_addr", {Value::i32(65530), Value::i32(3)}), call("load_ai", {Value::i32(65521)}),
                 call("load_sum_addr", {Value::i32(-1), Value::i32(1)}),  // wraps to 0: in bounds
                 call("store_v", {Value::i32(65533), Value::i32(0)}),
                 call("store_aiv", {Value::i32(65517), Value::i64(1)})}) {
    if (o.ok()) continue;
    EXPECT_EQ(o.trap.kind, TrapKind::kMemoryOutOfBounds) << o.trap.to_string();
  }
  EXPECT_TRUE(call("load_sum_addr", {Value::i32(-1), Value::i32(1)}).ok());
  EXPECT_FALSE(call("load_ai", {Value::i32(65521)}).ok());
  EXPECT_FALSE(call("store_v", {Value::i32(65533), Value::i32(0)}).ok());
  EXPECT_FALSE(call("store_aiv", {Value::i32(65517), Value::i64(1)}).ok());
  ASSERT_TRUE(call("store_aiv", {Value::i32(65516), Value::i64(-3)}).ok());  // 65516 + 8 + 4 = 65528
  Outcome o = call("load64", {Value::i32(65528)});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o.results[0].as_i64(), -6);
}

TEST_F(FusedOps, ZeroedLocalAndCalls) {
  EXPECT_EQ(u32("zero_local", {Value::i32(3)}), 15u);
  EXPECT_EQ(u32("fib", {Value::i32(20)}), 6765u);
}

TEST_F(FusedOps, ShiftedOperands) {
  const uint32_t vals[] = {0u, 1u, 0x80000000u, 0xffffffffu, 0x12345678u};
  for (uint32_t a : vals)
    for (uint32_t b : vals) {
      EXPECT_EQ(u32("xor_rotl", {Value::i32(a), Value::i32(b), Value::i32(3)}), a ^ std::rotl(b, 7));
      EXPECT_EQ(u32("add_shru", {Value::i32(a), Value::i32(b)}), a + (b >> 31));
      EXPECT_EQ(u32("or_shl", {Value::i32(a), Value::i32(b)}), a | b);  // 32 & 31 = 0
      EXPECT_EQ(u32("and_shru", {Value::i32(a), Value::i32(b)}), a & (b >> 4));
    }
}

TEST_F(FusedOps, BranchOnLoad) {
  EXPECT_EQ(u32("br_load8", {Value::i32(200)}), 1u);
  EXPECT_EQ(u32("br_load_eqz", {Value::i32(200)}), 2u);
  EXPECT_EQ(u32("br_load8_tee", {Value::i32(200)}), 200u);
  EXPECT_EQ(u32("if_load8_tee", {Value::i32(200)}), 300u);
  ASSERT_TRUE(call("store_v", {Value::i32(200), Value::i32(0x1ff)}).ok());  // bytes 00 02 00 00
  EXPECT_EQ(u32("br_load8", {Value::i32(200)}), 1u);                        // byte 0x00
  EXPECT_EQ(u32("br_load8", {Value::i32(201)}), 2u);                        // byte 0x02
  EXPECT_EQ(u32("br_load_eqz", {Value::i32(200)}), 1u);
  EXPECT_EQ(u32("br_load8_tee", {Value::i32(201)}), 102u);
  EXPECT_EQ(u32("br_load8_tee", {Value::i32(202)}), 200u);
  EXPECT_EQ(u32("if_load8_tee", {Value::i32(201)}), 2u);
  // At the memory end: the last byte is readable, one past traps with the memory kind.
  EXPECT_EQ(u32("br_load8_tee", {Value::i32(65535)}), 200u);
  for (const char* f : {"br_load8", "br_load8_tee", "if_load8_tee"}) {
    Outcome o = call(f, {Value::i32(65536)});
    ASSERT_TRUE(o.trapped()) << f;
    EXPECT_EQ(o.trap.kind, TrapKind::kMemoryOutOfBounds) << f;
  }
  Outcome o = call("br_load_eqz", {Value::i32(65533)});
  ASSERT_TRUE(o.trapped());
  EXPECT_EQ(o.trap.kind, TrapKind::kMemoryOutOfBounds);
  EXPECT_EQ(u32("br_load_eqz", {Value::i32(65532)}), 2u);
}

TEST_F(FusedOps, PairedAddsCallResultsSelectAndLoadFusedLocals) {
  EXPECT_EQ(u32("add_imm2", {Value::i32(41), Value::i32(0)}), 42u ^ (42u + 0x80000000u));
  EXPECT_EQ(u32("add_imm2", {Value::i32(0xffffffffu), Value::i32(0)}), 0u ^ 0x80000000u);
  EXPECT_EQ(u32("call_sub", {Value::i32(10)}), 9u);
  EXPECT_EQ(u32("call_sub", {Value::i32(0)}), 0xffffffffu);
  EXPECT_EQ(u32("call_sub2", {Value::i32(0x80000000u)}), 0x80000000u);
  EXPECT_EQ(u32("call_sub2", {Value::i32(21)}), 21u);
  EXPECT_EQ(u32("select_acc", {Value::i32(7), Value::i32(8), Value::i32(3)}), 7u);
  EXPECT_EQ(u32("select_acc", {Value::i32(7), Value::i32(8), Value::i32(2)}), 8u);
  ASSERT_TRUE(call("store_f64", {Value::i32(64), Value::f64(1.5)}).ok());
  Outcome o = call("sub_load_local", {Value::f64(4.0), Value::i32(64)});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o.results[0].as_f64(), 6.25);
}

TEST_F(FusedOps, ConstantAddressesMovesAndReadModifyWrite) {
  EXPECT_EQ(u32("load_k", {}), 0u);
  ASSERT_TRUE(call("store_v", {Value::i32(65532), Value::i32(0x7f)}).ok());  // 0x80 at 65532
  EXPECT_EQ(u32("load_k", {}), 0x80u);
  Outcome o = call("load_k_end", {});
  ASSERT_TRUE(o.trapped());
  EXPECT_EQ(o.trap.kind, TrapKind::kMemoryOutOfBounds);
  ASSERT_TRUE(call("store_v", {Value::i32(65532), Value::i32(0xfeffffff)}).ok());  // 0xff at 65535
  o = call("load_k_s8", {});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o.results[0].as_i64(), -1);
  EXPECT_EQ(u32("rotate4", {Value::i32(1), Value::i32(2), Value::i32(3), Value::i32(4)}), 2341u);
  ASSERT_TRUE(call("store_f64", {Value::i32(0), Value::f64(0.5)}).ok());  // at 8
  ASSERT_TRUE(call("axpy", {Value::i32(8), Value::f64(2.0), Value::f64(3.0)}).ok());
  ASSERT_TRUE(call("axpy", {Value::i32(8), Value::f64(1.0), Value::f64(-0.25)}).ok());
  o = call("f64_at", {Value::i32(8)});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o.results[0].as_f64(), 6.25);
  ASSERT_TRUE(call("inc_at", {Value::i32(100), Value::i32(0xffffffffu)}).ok());
  ASSERT_TRUE(call("inc_at", {Value::i32(100), Value::i32(3)}).ok());
  EXPECT_EQ(u32("load_sum_addr", {Value::i32(100), Value::i32(0)}), 2u);
  o = call("inc_at", {Value::i32(65533), Value::i32(1)});
  ASSERT_TRUE(o.trapped());
  EXPECT_EQ(o.trap.kind, TrapKind::kMemoryOutOfBounds);
}

TEST_F(FusedOps, SuspendingAtEveryFuelPointGivesTheSameResult) {
  Outcome whole = call("mix", {Value::i32(40)});
  ASSERT_TRUE(whole.ok());
  for (uint64_t step = 1; step <= 40; ++step) {
    // A fresh instance each time: "mix" reads back memory it wrote.
    Store s;
    Linker l;
    auto bytes = wat_to_wasm(kModule);
    ASSERT_TRUE(bytes);
    auto cm = CompiledModule::compile(*bytes);
    ASSERT_TRUE(cm);
    auto inst = l.instantiate(s, *cm);
    ASSERT_TRUE(inst);
    CallLimits lim;
    lim.fuel = step;
    lim.suspend_on_fuel = true;
    auto ex = s.begin((*inst)->func("mix"), std::vector<Value>{Value::i32(40)}, lim);
    ASSERT_TRUE(ex);
    Outcome out = (*ex)->run();
    int n = 0;
    while (out.suspended() && n < 100000) {
      ++n;
      (*ex)->add_fuel(step);
      out = (*ex)->run();
    }
    ASSERT_TRUE(out.ok()) << "step " << step;
    EXPECT_EQ(out.results[0], whole.results[0]) << "step " << step;
    EXPECT_EQ(out.fuel_used, whole.fuel_used) << "step " << step;
  }
}

}  // namespace
}  // namespace ipvm::wasm
