// A memoized answer is served only to an invocation whose fuel limit covers the fuel it used:
// fuel is deterministic, so a lower limit would run out of fuel, and replaying the success would
// disagree with a re-run (ipvm call --verify).
#include "runtime_fixture.h"

namespace ipvm::runtime::testing {
namespace {

TEST_F(RuntimeTest, MemoHitNeedsEnoughFuel) {
  ipld::Cid mod = module("add_one");
  if (mod.to_string().empty()) GTEST_SKIP() << "examples not built";
  TaskOutcome first = run(invoke(mod, "add_one", "[41]"));
  ASSERT_EQ(out_json(first), R"({"ok":42})");
  const uint64_t used = first.receipt->fuel();
  ASSERT_GT(used, 1u);

  auto meta = [](uint64_t fuel) { return ipld::Value::map({{"fuel", ipld::Value::uinteger(fuel)}}); };
  TaskOutcome enough = run(invoke(mod, "add_one", "[41]", {}, meta(used), true, 2));
  EXPECT_TRUE(enough.replayed);
  EXPECT_EQ(enough.receipt->cid(), first.receipt->cid());

  TaskOutcome starved = run(invoke(mod, "add_one", "[41]", {}, meta(used - 1), true, 3));
  EXPECT_FALSE(starved.replayed);
  EXPECT_EQ(starved.receipt->error_name(), "OutOfFuel") << out_json(starved);

  // The memo index still answers later invocations with the first receipt.
  TaskOutcome again = run(invoke(mod, "add_one", "[41]", {}, {}, true, 4));
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(again.receipt->cid(), first.receipt->cid());
}

}  // namespace
}  // namespace ipvm::runtime::testing
