// A reactor's `_initialize` that can only spend fuel is called once per executor and module; later
// tasks charge the same fuel without the call. Receipts cannot tell the difference.
#include <gtest/gtest.h>

#include "runtime/guest_call.h"
#include "runtime_fixture.h"
#include "wasm/decoder.h"
#include "wasm/wat.h"

namespace ipvm::runtime::testing {
namespace {

constexpr const char* kInertReactor = R"((module
  (func $ctors)
  (func $more call $ctors call $ctors)
  (func (export "_initialize") call $more call $ctors)
  (func (export "add_one") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))))";

// _initialize sets a global the function reads: it must run before every task.
constexpr const char* kStatefulReactor = R"((module
  (global $g (mut i32) (i32.const 0))
  (func (export "_initialize") (global.set $g (i32.add (global.get $g) (i32.const 5))))
  (func (export "get") (result i32) (global.get $g))))";

TEST_F(RuntimeTest, InertInitializeChargesTheSameFuelEveryTask) {
  auto wasm = wasm::wat_to_wasm(kInertReactor);
  ASSERT_TRUE(wasm) << wasm.error().to_string();
  auto mod = exec_->put_module(*wasm);
  ASSERT_TRUE(mod) << mod.error().to_string();
  std::optional<uint64_t> fuel;
  for (int i = 1; i <= 5; ++i) {
    auto out = run(invoke(*mod, "add_one", fmt::format("[{}]", 100 + i)));
    ASSERT_TRUE(out.receipt);
    EXPECT_EQ(out_json(out), fmt::format(R"({{"ok":{}}})", 101 + i));
    if (!fuel) fuel = out.receipt->fuel();
    EXPECT_EQ(out.receipt->fuel(), *fuel) << "task " << i;  // first task called it, the rest charged it
  }
  // The same fuel as add_one plus a real _initialize call: compare with the function alone.
  auto plain = wasm::wat_to_wasm(R"((module
    (func (export "add_one") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))))");
  ASSERT_TRUE(plain);
  auto pmod = exec_->put_module(*plain);
  ASSERT_TRUE(pmod);
  auto p = run(invoke(*pmod, "add_one", "[1]"));
  ASSERT_TRUE(p.receipt);
  EXPECT_GT(*fuel, p.receipt->fuel()) << "the skipped _initialize must still be charged";
}

TEST_F(RuntimeTest, StatefulInitializeRunsForEveryTask) {
  auto wasm = wasm::wat_to_wasm(kStatefulReactor);
  ASSERT_TRUE(wasm) << wasm.error().to_string();
  auto mod = exec_->put_module(*wasm);
  ASSERT_TRUE(mod) << mod.error().to_string();
  for (int i = 0; i < 3; ++i) {
    auto inv = invoke(*mod, "get", "[]");
    auto out = run(inv);
    ASSERT_TRUE(out.receipt);
    EXPECT_EQ(out_json(out), R"({"ok":5})") << "a fresh instance, initialised once, every task";
    RunOptions o;
    o.use_cache = false;
    auto again = run(inv, o);
    ASSERT_TRUE(again.receipt);
    EXPECT_FALSE(again.replayed);
    EXPECT_EQ(out_json(again), R"({"ok":5})");
  }
}

TEST(InertFunction, OnlyCallsOfInertFunctionsAreInert) {
  auto check = [](const char* wat, uint32_t index) {
    auto bytes = wasm::wat_to_wasm(wat);
    EXPECT_TRUE(bytes) << bytes.error().to_string();
    auto m = wasm::decode_module(*bytes);
    EXPECT_TRUE(m) << m.error().to_string();
    return inert_function(*m, index);
  };
  EXPECT_TRUE(check(kInertReactor, 2));
  EXPECT_FALSE(check(kStatefulReactor, 0));
  EXPECT_FALSE(check("(module (func (local i32)))", 0));
  EXPECT_FALSE(check("(module (func nop))", 0));
  EXPECT_FALSE(check("(module (func $a call $a))", 0));  // unbounded recursion traps
  EXPECT_FALSE(check("(module (import \"m\" \"f\" (func)) (func call 0))", 1));
  EXPECT_FALSE(check("(module (func (result i32) i32.const 1))", 0));
  EXPECT_FALSE(check("(module (func $t (param i32)) (func i32.const 1 call $t))", 1));
}

}  // namespace
}  // namespace ipvm::runtime::testing
