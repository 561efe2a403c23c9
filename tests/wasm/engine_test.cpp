// Engine tests on small hand-written modules. The byte arrays were produced from the WAT shown
// above each (wat2wasm 1.0.33) when the test was written; the WAT is the readable source.
#include <chrono>
#include <cstring>

#include <gtest/gtest.h>

#include "wasm/engine.h"

namespace ipvm::wasm {
namespace {

[[maybe_unused]] void PrintTo(const Value& v, std::ostream* os) { *os << v.to_string(); }

/* t.wasm:
(module
  (import "env" "double" (func $h (param i32) (result i32)))
  (memory (export "mem") 1)
  (global $g (export "counter") (mut i32) (i32.const 7))
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func $fib (export "fib") (param i32) (result i32)
    local.get 0 i32.const 2 i32.lt_u
    if (result i32) local.get 0
    else local.get 0 i32.const 1 i32.sub call $fib local.get 0 i32.const 2 i32.sub call $fib i32.add end)
  (func $inf (export "recurse") (param i32) (result i32) local.get 0 i32.const 1 i32.add call $inf)
  (func (export "load") (param i32) (result i32) local.get 0 i32.load)
  (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
  (func (export "sum") (param i32) (result i64) (local i64)
    block loop local.get 0 i32.eqz br_if 1
      local.get 0 i32.const 1 i32.sub local.set 0
      local.get 1 local.get 0 i64.extend_i32_u i64.add local.set 1
      global.get $g i32.const 1 i32.add global.set $g
      br 0 end end local.get 1)
  (func (export "spin") (loop br 0))
  (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
  (func (export "fadd") (param f32 f32) (result f32) local.get 0 local.get 1 f32.add)
  (func (export "fneg") (param f32) (result f32) local.get 0 f32.neg)
  (func (export "host") (param i32) (result i32) local.get 0 call $h i32.const 1 i32.add)
  (func (export "multi") (param i32) (result i32 i32)
    block (result i32 i32) local.get 0 local.get 0 i32.const 10 i32.add local.get 0 br_if 0 drop drop i32.const 1 i32.const 2 end)
  (func (export "switch") (param i32) (result i32)
    block block block local.get 0 br_table 0 1 2 end i32.const 100 return end i32.const 200 return end i32.const 300)
)
*/
const uint8_t kTestModule[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x2a, 0x08, 0x60, 0x01, 0x7f, 0x01, 0x7f,
    0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x01, 0x7e, 0x60, 0x00, 0x00, 0x60, 0x02,
    0x7d, 0x7d, 0x01, 0x7d, 0x60, 0x01, 0x7d, 0x01, 0x7d, 0x60, 0x01, 0x7f, 0x02, 0x7f, 0x7f, 0x60,
    0x00, 0x02, 0x7f, 0x7f, 0x02, 0x0e, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x06, 0x64, 0x6f, 0x75, 0x62,
    0x6c, 0x65, 0x00, 0x00, 0x03, 0x0e, 0x0d, 0x01, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x01, 0x04,
    0x05, 0x00, 0x06, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01, 0x06, 0x06, 0x01, 0x7f, 0x01, 0x41, 0x07,
    0x0b, 0x07, 0x6e, 0x0f, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x07, 0x63, 0x6f, 0x75, 0x6e, 0x74,
    0x65, 0x72, 0x03, 0x00, 0x03, 0x61, 0x64, 0x64, 0x00, 0x01, 0x03, 0x66, 0x69, 0x62, 0x00, 0x02,
    0x07, 0x72, 0x65, 0x63, 0x75, 0x72, 0x73, 0x65, 0x00, 0x03, 0x04, 0x6c, 0x6f, 0x61, 0x64, 0x00,
    0x04, 0x04, 0x67, 0x72, 0x6f, 0x77, 0x00, 0x05, 0x03, 0x73, 0x75, 0x6d, 0x00, 0x06, 0x04, 0x73,
    0x70, 0x69, 0x6e, 0x00, 0x07, 0x03, 0x64, 0x69, 0x76, 0x00, 0x08, 0x04, 0x66, 0x61, 0x64, 0x64,
    0x00, 0x09, 0x04, 0x66, 0x6e, 0x65, 0x67, 0x00, 0x0a, 0x04, 0x68, 0x6f, 0x73, 0x74, 0x00, 0x0b,
    0x05, 0x6d, 0x75, 0x6c, 0x74, 0x69, 0x00, 0x0c, 0x06, 0x73, 0x77, 0x69, 0x74, 0x63, 0x68, 0x00,
    0x0d, 0x0a, 0xc6, 0x01, 0x0d, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b, 0x1c, 0x00, 0x20,
    0x00, 0x41, 0x02, 0x49, 0x04, 0x7f, 0x20, 0x00, 0x05, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x10, 0x02,
    0x20, 0x00, 0x41, 0x02, 0x6b, 0x10, 0x02, 0x6a, 0x0b, 0x0b, 0x09, 0x00, 0x20, 0x00, 0x41, 0x01,
    0x6a, 0x10, 0x03, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x28, 0x02, 0x00, 0x0b, 0x06, 0x00, 0x20, 0x00,
    0x40, 0x00, 0x0b, 0x29, 0x01, 0x01, 0x7e, 0x02, 0x40, 0x03, 0x40, 0x20, 0x00, 0x45, 0x0d, 0x01,
    0x20, 0x00, 0x41, 0x01, 0x6b, 0x21, 0x00, 0x20, 0x01, 0x20, 0x00, 0xad, 0x7c, 0x21, 0x01, 0x23,
    0x00, 0x41, 0x01, 0x6a, 0x24, 0x00, 0x0c, 0x00, 0x0b, 0x0b, 0x20, 0x01, 0x0b, 0x07, 0x00, 0x03,
    0x40, 0x0c, 0x00, 0x0b, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6d, 0x0b, 0x07, 0x00, 0x20,
    0x00, 0x20, 0x01, 0x92, 0x0b, 0x05, 0x00, 0x20, 0x00, 0x8c, 0x0b, 0x09, 0x00, 0x20, 0x00, 0x10,
    0x00, 0x41, 0x01, 0x6a, 0x0b, 0x16, 0x00, 0x02, 0x07, 0x20, 0x00, 0x20, 0x00, 0x41, 0x0a, 0x6a,
    0x20, 0x00, 0x0d, 0x00, 0x1a, 0x1a, 0x41, 0x01, 0x41, 0x02, 0x0b, 0x0b, 0x1d, 0x00, 0x02, 0x40,
    0x02, 0x40, 0x02, 0x40, 0x20, 0x00, 0x0e, 0x02, 0x00, 0x01, 0x02, 0x0b, 0x41, 0xe4, 0x00, 0x0f,
    0x0b, 0x41, 0xc8, 0x01, 0x0f, 0x0b, 0x41, 0xac, 0x02, 0x0b,
};

/* l.wasm (imports a memory and a mutable global):
(module
  (import "a" "mem" (memory 1))
  (import "a" "g" (global $g (mut i32)))
  (func (export "poke") (param i32 i32) local.get 0 local.get 1 i32.store global.get $g i32.const 1 i32.add global.set $g))
*/
const uint8_t kLinkModule[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x00,
    0x02, 0x11, 0x02, 0x01, 0x61, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x01, 0x01, 0x61, 0x01, 0x67,
    0x03, 0x7f, 0x01, 0x03, 0x02, 0x01, 0x00, 0x07, 0x08, 0x01, 0x04, 0x70, 0x6f, 0x6b, 0x65, 0x00,
    0x00, 0x0a, 0x12, 0x01, 0x10, 0x00, 0x20, 0x00, 0x20, 0x01, 0x36, 0x02, 0x00, 0x23, 0x00, 0x41,
    0x01, 0x6a, 0x24, 0x00, 0x0b,
};

struct Fixture : ::testing::Test {
  void SetUp() override {
    auto cm = CompiledModule::compile(ByteView(kTestModule, sizeof(kTestModule)));
    ASSERT_TRUE(cm) << cm.error().to_string();
    module = *cm;
    FuncType t{{ValType::kI32}, {ValType::kI32}};
    Func* dbl = store.create_host_func(t, [this](HostContext& ctx, std::span<const Value> args, std::span<Value> res) -> HostStatus {
      if (args[0].as_i32() < 0) return tl::unexpected(Trap::host("negative"));
      // Host access to the caller's memory.
      Memory* m = ctx.memory();
      uint32_t v = args[0].as_u32();
      if (!m || !m->write(16, &v, 4)) return tl::unexpected(Trap::host("no memory"));
      ++host_calls;
      res[0] = Value::i32(v * 2);
      return {};
    }, "double");
    linker.define("env", "double", Extern::of(dbl));
    auto inst = linker.instantiate(store, module);
    ASSERT_TRUE(inst) << inst.error().to_string();
    instance = *inst;
  }
  Outcome call(const char* name, std::vector<Value> args, CallLimits limits = {}) {
    Func* f = instance->func(name);
    EXPECT_NE(f, nullptr) << name;
    return store.call(f, args, limits);
  }
  std::shared_ptr<const CompiledModule> module;
  Store store;
  Linker linker;
  Instance* instance = nullptr;
  int host_calls = 0;
};

TEST_F(Fixture, Arithmetic) {
  auto out = call("add", {Value::i32(2), Value::i32(3)});
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out.results.size(), 1u);
  EXPECT_EQ(out.results[0], Value::i32(5));
  out = call("add", {Value::i32(0xffffffff), Value::i32(2)});
  EXPECT_EQ(out.results[0], Value::i32(1));
}

TEST_F(Fixture, RecursionAndFuelIsDeterministic) {
  auto a = call("fib", {Value::i32(20)});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a.results[0], Value::i32(6765));
  auto b = call("fib", {Value::i32(20)});
  EXPECT_GT(a.fuel_used, 20000u);
  EXPECT_EQ(a.fuel_used, b.fuel_used);
}

TEST_F(Fixture, ControlFlow) {
  auto out = call("sum", {Value::i32(100)});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out.results[0], Value::i64(4950));
  EXPECT_EQ(instance->global("counter")->get(), Value::i32(107));
  out = call("multi", {Value::i32(5)});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out.results[0], Value::i32(5));
  EXPECT_EQ(out.results[1], Value::i32(15));
  out = call("multi", {Value::i32(0)});
  EXPECT_EQ(out.results[0], Value::i32(1));
  EXPECT_EQ(out.results[1], Value::i32(2));
  const uint32_t want[] = {100, 200, 300, 300, 300};
  for (uint32_t i = 0; i < 5; ++i) EXPECT_EQ(call("switch", {Value::i32(i)}).results[0], Value::i32(want[i])) << i;
}

TEST_F(Fixture, DeepRecursionTrapsCleanly) {
  auto out = call("recurse", {Value::i32(0)});
  ASSERT_TRUE(out.trapped());
  EXPECT_EQ(out.trap.kind, TrapKind::kCallStackExhausted);
  EXPECT_EQ(out.trap.message, "call stack exhausted");
  CallLimits small;
  small.max_call_depth = 100;
  out = call("fib", {Value::i32(5)}, small);
  EXPECT_TRUE(out.ok());
  out = call("recurse", {Value::i32(0)}, small);
  EXPECT_EQ(out.trap.kind, TrapKind::kCallStackExhausted);
}

TEST_F(Fixture, OutOfBoundsAndIntegerTraps) {
  auto out = call("load", {Value::i32(65532)});
  EXPECT_TRUE(out.ok());
  out = call("load", {Value::i32(65533)});
  ASSERT_TRUE(out.trapped());
  EXPECT_EQ(out.trap.message, "out of bounds memory access");
  EXPECT_EQ(out.trap.function, "load");
  EXPECT_GT(out.trap.offset, 0u);
  out = call("load", {Value::i32(0xfffffffc)});
  EXPECT_EQ(out.trap.kind, TrapKind::kMemoryOutOfBounds);
  out = call("div", {Value::i32(1), Value::i32(0)});
  EXPECT_EQ(out.trap.message, "integer divide by zero");
  out = call("div", {Value::i32(0x80000000), Value::i32(0xffffffff)});
  EXPECT_EQ(out.trap.message, "integer overflow");
}

TEST_F(Fixture, MemoryGrowthRespectsLimits) {
  CallLimits lim;
  lim.max_memory_pages = 3;
  auto out = call("grow", {Value::i32(2)}, lim);
  EXPECT_EQ(out.results[0], Value::i32(1));
  EXPECT_EQ(instance->memory("mem")->grows_refused_by_limit(), 0u);
  out = call("grow", {Value::i32(1)}, lim);
  EXPECT_EQ(out.results[0], Value::i32(0xffffffff));
  EXPECT_EQ(instance->memory("mem")->pages(), 3u);
  // Refused by the call's limit: counted, so an embedder can report "out of memory".
  EXPECT_EQ(instance->memory("mem")->grows_refused_by_limit(), 1u);
  out = call("grow", {Value::i32(70000)});
  EXPECT_EQ(out.results[0], Value::i32(0xffffffff));
  // Beyond what any memory can have (not the call's limit): not counted.
  EXPECT_EQ(instance->memory("mem")->grows_refused_by_limit(), 1u);
}

TEST_F(Fixture, OutOfFuelTraps) {
  CallLimits lim;
  lim.fuel = 1000;
  auto out = call("spin", {}, lim);
  ASSERT_TRUE(out.trapped());
  EXPECT_EQ(out.trap.kind, TrapKind::kOutOfFuel);
  EXPECT_LE(out.fuel_used, 1000u);
  EXPECT_GT(out.fuel_used, 900u);
}

TEST_F(Fixture, SuspendAndResumeGiveTheSameResult) {
  auto whole = call("sum", {Value::i32(5000)});
  ASSERT_TRUE(whole.ok());
  CallLimits lim;
  lim.fuel = 777;
  lim.suspend_on_fuel = true;
  auto ex = store.begin(instance->func("sum"), std::vector<Value>{Value::i32(5000)}, lim);
  ASSERT_TRUE(ex);
  Outcome out = (*ex)->run();
  int suspensions = 0;
  while (out.suspended()) {
    ++suspensions;
    EXPECT_FALSE((*ex)->frames.empty());
    (*ex)->add_fuel(777);
    out = (*ex)->run();
  }
  ASSERT_TRUE(out.ok());
  EXPECT_GT(suspensions, 10);
  EXPECT_EQ(out.results[0], whole.results[0]);
  EXPECT_EQ(out.fuel_used, whole.fuel_used);
}

TEST_F(Fixture, HugeFuelBudgetsSaturateInsteadOfWrapping) {
  // A budget of 2^63 or more once became a negative (exhausted) int64: "out of fuel" at once.
  for (uint64_t budget : {uint64_t{1} << 63, ~uint64_t{0}}) {
    CallLimits lim;
    lim.suspend_on_fuel = true;
    lim.fuel = 10;
    auto ex = store.begin(instance->func("sum"), std::vector<Value>{Value::i32(100)}, lim);
    ASSERT_TRUE(ex);
    Outcome out = (*ex)->run();
    ASSERT_TRUE(out.suspended());
    (*ex)->add_fuel(budget);
    EXPECT_EQ((*ex)->fuel_left(), kUnlimitedFuel);
    EXPECT_TRUE((*ex)->run().ok());
    auto again = store.begin(instance->func("sum"), std::vector<Value>{Value::i32(100)}, lim);
    ASSERT_TRUE(again);
    ASSERT_TRUE((*again)->run().suspended());
    (*again)->set_fuel(budget);
    EXPECT_EQ((*again)->fuel_left(), kUnlimitedFuel);
    EXPECT_TRUE((*again)->run().ok());
  }
}

TEST_F(Fixture, DeadlineStopsAnInfiniteLoop) {
  CallLimits lim;
  lim.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(30);
  auto t0 = std::chrono::steady_clock::now();
  auto out = call("spin", {}, lim);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(out.trapped());
  EXPECT_EQ(out.trap.kind, TrapKind::kDeadline);
  EXPECT_LT(ms, 2000);
}

TEST_F(Fixture, NaNCanonicalizedOnlyByArithmetic) {
  Value nan = Value::f32_bits(0x7fa00001);  // signalling-style payload
  auto out = call("fadd", {nan, Value::f32(1.0f)});
  EXPECT_EQ(out.results[0].bits, 0x7fc00000u);
  out = call("fneg", {nan});
  EXPECT_EQ(out.results[0].bits, 0xffa00001u);
}

TEST_F(Fixture, HostFunctionsSeeCallerMemoryAndCanTrap) {
  auto out = call("host", {Value::i32(21)});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out.results[0], Value::i32(43));
  EXPECT_EQ(host_calls, 1);
  uint32_t v = 0;
  ASSERT_TRUE(instance->memory("mem")->read(16, &v, 4));
  EXPECT_EQ(v, 21u);
  out = call("host", {Value::i32(-1)});
  ASSERT_TRUE(out.trapped());
  EXPECT_EQ(out.trap.kind, TrapKind::kHost);
  EXPECT_EQ(out.trap.message, "negative");
}

TEST_F(Fixture, LinkingSharesMemoryAndMutableGlobals) {
  auto lm = CompiledModule::compile(ByteView(kLinkModule, sizeof(kLinkModule)));
  ASSERT_TRUE(lm);
  Linker l2;
  l2.define_instance("a", *instance);
  // Unknown and mistyped imports are unlinkable.
  auto bad = Linker{}.instantiate(store, *lm);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, "unlinkable");
  l2.define("a", "g", Extern::of(store.create_global(GlobalType{ValType::kI32, false}, Value::i32(0))));
  bad = l2.instantiate(store, *lm);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, "unlinkable");
  l2.define("a", "g", Extern::of(instance->global("counter")));
  auto other = l2.instantiate(store, *lm);
  ASSERT_TRUE(other) << other.error().to_string();
  auto out = store.call((*other)->func("poke"), std::vector<Value>{Value::i32(100), Value::i32(0xabcd)});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(call("load", {Value::i32(100)}).results[0], Value::i32(0xabcd));
  EXPECT_EQ(instance->global("counter")->get(), Value::i32(8));
}

TEST(Engine, HostFunctionsCanReenterWasm) {
  auto cm = CompiledModule::compile(ByteView(kTestModule, sizeof(kTestModule)));
  ASSERT_TRUE(cm);
  Store store;
  Instance* inst = nullptr;
  FuncType t{{ValType::kI32}, {ValType::kI32}};
  Func* dbl = store.create_host_func(t, [&](HostContext& ctx, std::span<const Value> args, std::span<Value> res) -> HostStatus {
    // fib(arg) computed by re-entering the calling instance.
    Outcome o = ctx.call(inst->func("fib"), std::vector<Value>{args[0]});
    if (!o.ok()) return tl::unexpected(o.trap);
    res[0] = o.results[0];
    return {};
  });
  Linker linker;
  linker.define("env", "double", Extern::of(dbl));
  auto r = linker.instantiate(store, *cm);
  ASSERT_TRUE(r);
  inst = *r;
  auto out = store.call(inst->func("host"), std::vector<Value>{Value::i32(10)});
  ASSERT_TRUE(out.ok()) << out.trap.to_string();
  EXPECT_EQ(out.results[0], Value::i32(56));  // fib(10) + 1
  // Fuel spent inside the nested call counts against the outer call's budget.
  CallLimits lim;
  lim.fuel = 500;
  out = store.call(inst->func("host"), std::vector<Value>{Value::i32(25)}, lim);
  ASSERT_TRUE(out.trapped());
  EXPECT_EQ(out.trap.kind, TrapKind::kOutOfFuel);
}

TEST(Engine, CompileErrorsHaveKinds) {
  const uint8_t junk[] = {0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00};
  auto r = CompiledModule::compile(ByteView(junk, sizeof(junk)));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, "malformed");
  // (func (result i32)) with an empty body: type mismatch.
  const uint8_t invalid[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60,
                             0x00, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b};
  r = CompiledModule::compile(ByteView(invalid, sizeof(invalid)));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, "invalid");
}

}  // namespace
}  // namespace ipvm::wasm
