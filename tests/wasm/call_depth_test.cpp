// The default call depth lets guests recurse as deep as native C programs do (hundreds of
// thousands of frames), in both tiers, and unbounded recursion still ends in a clean trap.
#include <gtest/gtest.h>

#include "wasm/engine.h"
#include "wasm/wat.h"

namespace ipvm::wasm {
namespace {

constexpr std::string_view kDown = R"((module
  (func $down (export "down") (param i32) (result i32)
    local.get 0 i32.eqz
    if (result i32) i32.const 0
    else local.get 0 i32.const 1 i32.sub call $down i32.const 1 i32.add end)
  (func $inf (export "inf") (param i32) (result i32) local.get 0 i32.const 1 i32.add call $inf)))";

TEST(CallDepth, DefaultLimitAllowsDeepRecursionInBothTiers) {
  auto bytes = wat_to_wasm(kDown);
  ASSERT_TRUE(bytes) << bytes.error().to_string();
  auto cm = CompiledModule::compile(*bytes);
  ASSERT_TRUE(cm) << cm.error().to_string();
  for (bool jit : {true, false}) {
    Store store;
    auto inst = Linker().instantiate(store, *cm);
    ASSERT_TRUE(inst) << inst.error().to_string();
    CallLimits lim;
    lim.jit = jit;
    Outcome deep = store.call((*inst)->get_export("down")->func, std::vector<Value>{Value::i32(300000)}, lim);
    ASSERT_TRUE(deep.ok()) << "jit " << jit << ": " << deep.trap.message;
    EXPECT_EQ(deep.results.at(0).as_i32(), 300000);
    Outcome inf = store.call((*inst)->get_export("inf")->func, std::vector<Value>{Value::i32(0)}, lim);
    ASSERT_TRUE(inf.trapped());
    EXPECT_EQ(inf.trap.kind, TrapKind::kCallStackExhausted) << inf.trap.message;
  }
}

}  // namespace
}  // namespace ipvm::wasm
