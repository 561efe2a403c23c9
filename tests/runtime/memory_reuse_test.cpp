// The executor reuses linear-memory mappings between tasks (wasm/memory.h): no task may see
// another task's data. Each task here stores its argument as a secret and returns what it found.
#include <gtest/gtest.h>

#include "runtime_fixture.h"
#include "wasm/wat.h"

namespace ipvm::runtime::testing {
namespace {

TEST_F(RuntimeTest, NoTaskSeesAnotherTasksMemory) {
  auto wasm = wasm::wat_to_wasm(R"((module
    (memory 2)
    (func (export "swap") (param $secret i32) (result i32)
      (local $seen i32)
      (local.set $seen (i32.or (i32.or (i32.load (i32.const 1000)) (i32.load (i32.const 70000)))
                               (i32.load (i32.const 131068))))
      (i32.store (i32.const 1000) (local.get $secret))
      (i32.store (i32.const 70000) (local.get $secret))
      (i32.store (i32.const 131068) (local.get $secret))
      (local.get $seen))))");
  ASSERT_TRUE(wasm) << wasm.error().to_string();
  auto mod = exec_->put_module(*wasm);
  ASSERT_TRUE(mod) << mod.error().to_string();
  for (int i = 1; i <= 20; ++i) {
    auto out = run(invoke(*mod, "swap", fmt::format("[{}]", 1000 + i)));
    ASSERT_TRUE(out.receipt);
    EXPECT_FALSE(out.replayed);
    EXPECT_EQ(out_json(out), R"({"ok":0})") << "task " << i << " read a previous task's secret";
  }
  // The same through a batch (one executor, tasks back to back).
  std::vector<std::shared_ptr<const ucan::Invocation>> invs;
  for (int i = 1; i <= 10; ++i) invs.push_back(invoke(*mod, "swap", fmt::format("[{}]", 5000 + i)));
  auto outs = exec_->run_batch(invs);
  ASSERT_TRUE(outs) << outs.error().to_string();
  for (const auto& o : *outs) EXPECT_EQ(out_json(o), R"({"ok":0})");
}

// A module with WASI imports is instantiated through wasm::WasiProcess, which takes its memories
// from the same pool: the same guarantee holds there.
TEST_F(RuntimeTest, NoWasiTaskSeesAnotherTasksMemory) {
  auto wasm = wasm::wat_to_wasm(R"((module
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 2)
    (func (export "swap") (param $secret i32) (result i32)
      (local $seen i32)
      (local.set $seen (i32.or (i32.load (i32.const 8)) (i32.load (i32.const 131068))))
      (i32.store (i32.const 8) (local.get $secret))
      (i32.store (i32.const 131068) (local.get $secret))
      (local.get $seen))))");
  ASSERT_TRUE(wasm) << wasm.error().to_string();
  auto mod = exec_->put_module(*wasm);
  ASSERT_TRUE(mod) << mod.error().to_string();
  for (int i = 1; i <= 10; ++i) {
    auto out = run(invoke(*mod, "swap", fmt::format("[{}]", 7000 + i)));
    ASSERT_TRUE(out.receipt);
    EXPECT_EQ(out_json(out), R"({"ok":0})") << "WASI task " << i << " read a previous task's secret";
  }
}

}  // namespace
}  // namespace ipvm::runtime::testing
