#include "runtime/executor.h"

#include <atomic>
#include <thread>

#include "ipld/dag_json.h"
#include "runtime_fixture.h"

namespace ipvm::runtime::testing {
namespace {

TEST_F(RuntimeTest, AddOneExecutesThenReplays) {
  IPVM_NEED_MODULE(mod, "add_one");
  auto inv = invoke(mod, "add_one", "[41]");
  TaskOutcome first = run(inv);
  ASSERT_TRUE(first.receipt);
  EXPECT_FALSE(first.replayed);
  EXPECT_EQ(out_json(first), R"({"ok":42})");
  EXPECT_GT(first.receipt->fuel(), 0u);
  EXPECT_EQ(first.receipt->ran, inv->cid());
  EXPECT_EQ(first.receipt->iss, exec_->did());
  EXPECT_TRUE(verify_receipt_signature(*first.receipt));

  // The same invocation again, and a different invocation of the same pure task: both replayed.
  TaskOutcome again = run(inv);
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(again.receipt->cid(), first.receipt->cid());
  auto other = invoke(mod, "add_one", "[41]", {}, {}, true, 2);
  ASSERT_NE(other->cid(), inv->cid());
  TaskOutcome memo = run(other);
  EXPECT_TRUE(memo.replayed);
  EXPECT_EQ(memo.receipt->cid(), first.receipt->cid());

  // --no-cache runs it anyway.
  TaskOutcome fresh = run(other, RunOptions{.use_cache = false});
  EXPECT_FALSE(fresh.replayed);
  EXPECT_EQ(out_json(fresh), R"({"ok":42})");
  EXPECT_EQ(fresh.receipt->fuel(), first.receipt->fuel());  // deterministic fuel
}

// A forced re-run of the same invocation signs a new receipt, but replays (from the cache now, from
// the store after a restart) keep answering with the first one.
TEST_F(RuntimeTest, ForcedRerunKeepsTheFirstAnswerForReplays) {
  IPVM_NEED_MODULE(mod, "add_one");
  auto inv = invoke(mod, "add_one", "[5]");
  TaskOutcome first = run(inv);
  TaskOutcome again = run(inv, RunOptions{.use_cache = false});
  EXPECT_FALSE(again.replayed);
  auto cached = exec_->find_by_invocation(inv->cid());
  ASSERT_TRUE(cached && *cached);
  EXPECT_EQ((*cached)->cid(), first.receipt->cid());
  EXPECT_EQ(run(inv).receipt->cid(), first.receipt->cid());
  open();
  auto stored = exec_->find_by_invocation(inv->cid());
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->cid(), first.receipt->cid());
}

TEST_F(RuntimeTest, ReceiptsSurviveRestart) {
  IPVM_NEED_MODULE(mod, "add_one");
  auto inv = invoke(mod, "add_one", "[1]");
  TaskOutcome first = run(inv);
  open();  // a new store connection and executor: empty caches
  auto by_inv = exec_->find_by_invocation(inv->cid());
  ASSERT_TRUE(by_inv && *by_inv);
  EXPECT_EQ((*by_inv)->cid(), first.receipt->cid());
  auto by_key = exec_->find_by_memo(memo_key(inv->cmd, inv->args));
  ASSERT_TRUE(by_key && *by_key);
  auto found = exec_->find_receipt(first.receipt->cid());
  ASSERT_TRUE(found && *found);
  auto other = invoke(mod, "add_one", "[1]", {}, {}, true, 99);
  TaskOutcome again = run(other);
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(again.receipt->cid(), first.receipt->cid());
}

TEST_F(RuntimeTest, BatchRunsEachPureTaskOnce) {
  IPVM_NEED_MODULE(mod, "add_one");
  std::vector<std::shared_ptr<const ucan::Invocation>> invs;
  for (int i = 0; i < 20; ++i) invs.push_back(invoke(mod, "add_one", fmt::format("[{}]", i % 10), {}, {}, true, 100 + i));
  auto outs = exec_->run_batch(invs);
  ASSERT_TRUE(outs) << outs.error().to_string();
  ASSERT_EQ(outs->size(), 20u);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(out_json((*outs)[i]), fmt::format(R"({{"ok":{}}})", i % 10 + 1));
    EXPECT_EQ((*outs)[i].replayed, i >= 10) << i;  // the second half repeats the first half's tasks
  }
  open();  // all of it was committed
  auto again = exec_->run_batch(invs);
  ASSERT_TRUE(again);
  for (const auto& o : *again) EXPECT_TRUE(o.replayed);
}

TEST_F(RuntimeTest, ConcurrentCallersShareOneExecutor) {
  IPVM_NEED_MODULE(mod, "add_one");
  std::vector<std::shared_ptr<const ucan::Invocation>> invs;
  for (int i = 0; i < 40; ++i) invs.push_back(invoke(mod, "add_one", fmt::format("[{}]", i), {}, {}, false));
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = t; i < 40; i += 4) {
        auto o = exec_->run(invs[i]);
        if (o && o->receipt->ok() && *o->receipt->ok_value() == ipld::Value::integer(i + 1)) ++ok;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 40);
}

TEST_F(RuntimeTest, ImpureTasksRunEachTime) {
  IPVM_NEED_MODULE(mod, "add_one");
  TaskOutcome a = run(invoke(mod, "add_one", "[5]", {}, {}, false));
  TaskOutcome b = run(invoke(mod, "add_one", "[5]", {}, {}, false));
  EXPECT_FALSE(a.replayed);
  EXPECT_FALSE(b.replayed);
  EXPECT_NE(a.receipt->cid(), b.receipt->cid());
}

TEST_F(RuntimeTest, ArgumentErrorsNameTheSignature) {
  IPVM_NEED_MODULE(mod, "add_one");
  TaskOutcome count = run(invoke(mod, "add_one", "[1, 2]"));
  EXPECT_EQ(count.receipt->error_name(), "InvalidArguments");
  EXPECT_NE(count.receipt->error_message().find("(i32) -> i32"), std::string::npos) << count.receipt->error_message();
  TaskOutcome type = run(invoke(mod, "add_one", R"(["x"])"));
  EXPECT_EQ(type.receipt->error_name(), "InvalidArguments");
  EXPECT_NE(type.receipt->error_message().find("integer"), std::string::npos) << type.receipt->error_message();
  TaskOutcome range = run(invoke(mod, "add_one", "[8589934592]"));
  EXPECT_EQ(range.receipt->error_name(), "InvalidArguments");
  EXPECT_NE(range.receipt->error_message().find("out of range"), std::string::npos);
  TaskOutcome missing = run(invoke(mod, "nope", "[]"));
  EXPECT_EQ(missing.receipt->error_name(), "MissingExport");
  EXPECT_NE(missing.receipt->error_message().find("add_one"), std::string::npos);
}

TEST_F(RuntimeTest, ModuleNotFoundNamesTheCid) {
  ipld::Cid absent = module_cid(as_bytes("not a module"));
  TaskOutcome o = run(invoke(absent, "f", "[]"));
  EXPECT_EQ(o.receipt->error_name(), "ModuleNotFound");
  EXPECT_NE(o.receipt->error_message().find(absent.to_string()), std::string::npos);
  // Not memoized: once the module arrives the task can run.
  EXPECT_FALSE(exec_->find_by_memo(memo_key(std::string(kWasmRunCmd), make_wasm_args(absent, "f", {})))->get());
  // Nor replayed for the same invocation: it runs once the module is there.
  auto bytes = read_file(example_path("add_one"));
  if (!bytes) GTEST_SKIP() << "examples not built";
  ipld::Cid mod = module_cid(*bytes);
  auto inv = invoke(mod, "add_one", "[1]");
  EXPECT_EQ(run(inv).receipt->error_name(), "ModuleNotFound");
  ASSERT_TRUE(exec_->put_module(*bytes));
  TaskOutcome later = run(inv);
  EXPECT_FALSE(later.replayed);
  EXPECT_EQ(out_json(later), R"({"ok":2})");
}

TEST_F(RuntimeTest, InvalidModule) {
  Bytes junk = to_bytes("\0asm junk");
  auto cid = exec_->put_module(junk);
  ASSERT_TRUE(cid);
  TaskOutcome o = run(invoke(*cid, "f", "[]"));
  EXPECT_EQ(o.receipt->error_name(), "InvalidModule");
}

TEST_F(RuntimeTest, TrapsBecomeErrorReceipts) {
  IPVM_NEED_MODULE(mod, "trap");
  TaskOutcome boom = run(invoke(mod, "boom", "[]"));
  EXPECT_EQ(boom.receipt->error_name(), "Trap");
  EXPECT_NE(boom.receipt->error_message().find("unreachable"), std::string::npos) << boom.receipt->error_message();
  EXPECT_NE(boom.receipt->error_message().find("boom"), std::string::npos) << boom.receipt->error_message();
  EXPECT_NE(boom.receipt->error_message().find("offset"), std::string::npos) << boom.receipt->error_message();
  TaskOutcome div = run(invoke(mod, "divide", "[1, 0]"));
  EXPECT_EQ(div.receipt->error_name(), "Trap");
  EXPECT_NE(div.receipt->error_message().find("integer divide by zero"), std::string::npos);
  TaskOutcome ok = run(invoke(mod, "divide", "[7, 2]"));
  EXPECT_EQ(out_json(ok), R"({"ok":3})");
}

TEST_F(RuntimeTest, FuelAndTimeLimits) {
  IPVM_NEED_MODULE(mod, "loop");
  auto inv = invoke(mod, "spin", "[]", {}, ipld::Value::map({{"fuel", ipld::Value::integer(10000)}}));
  TaskOutcome fuel = run(inv);
  EXPECT_EQ(fuel.receipt->error_name(), "OutOfFuel");
  EXPECT_LE(fuel.receipt->fuel(), 10000u);
  // Out of fuel depends on the limit, so it is not memoized under the task's key.
  EXPECT_FALSE(exec_->find_by_memo(memo_key(inv->cmd, inv->args))->get());
  TaskOutcome time = run(invoke(mod, "spin", "[]", {},
                                ipld::Value::map({{"fuel", ipld::Value::integer(int64_t{1} << 50)},
                                                  {"time", ipld::Value::integer(50)}})));
  EXPECT_EQ(time.receipt->error_name(), "Timeout");
}

TEST_F(RuntimeTest, MemoryLimit) {
  IPVM_NEED_MODULE(mod, "add_one");
  TaskOutcome o = run(invoke(mod, "add_one", "[1]", {}, ipld::Value::map({{"memory", ipld::Value::integer(65536)}})));
  EXPECT_EQ(o.receipt->error_name(), "OutOfMemory");
  TaskOutcome bad = run(invoke(mod, "add_one", "[1]", {}, ipld::Value::map({{"fuel", ipld::Value::string("x")}})));
  EXPECT_EQ(bad.receipt->error_name(), "InvalidTask");
}

TEST_F(RuntimeTest, GuestAllocationBeyondTheMemoryLimit) {
  IPVM_NEED_MODULE(mod, "append_string");
  std::string big = "\"" + std::string(200000, 'a') + "\"";
  // The module starts with 2 pages (128 KiB); a limit of exactly that refuses every memory.grow.
  TaskOutcome o = run(invoke(mod, "append_string", "[" + big + ", \"b\"]", "func(a: string, b: string) -> string",
                             ipld::Value::map({{"memory", ipld::Value::integer(131072)}})));
  EXPECT_EQ(o.receipt->error_name(), "OutOfMemory") << o.receipt->error_message();
  TaskOutcome fine = run(invoke(mod, "append_string", "[" + big + ", \"b\"]", "func(a: string, b: string) -> string"));
  EXPECT_TRUE(fine.receipt->ok());
}

// "grow" asks for 100 more pages and traps (unreachable) if refused; "boom" just traps.
const uint8_t kGrowOrTrap[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x03,
  0x03, 0x02, 0x00, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x0f, 0x02, 0x04, 0x67, 0x72, 0x6f,
  0x77, 0x00, 0x00, 0x04, 0x62, 0x6f, 0x6f, 0x6d, 0x00, 0x01, 0x0a, 0x16, 0x02, 0x10, 0x00, 0x41,
  0xe4, 0x00, 0x40, 0x00, 0x41, 0x7f, 0x46, 0x04, 0x40, 0x00, 0x0b, 0x41, 0x07, 0x0b, 0x03, 0x00,
  0x00, 0x0b
};

TEST_F(RuntimeTest, OutOfMemoryOnlyWhenTheLimitRefusedAGrow) {
  auto cid = exec_->put_module(Bytes(kGrowOrTrap, kGrowOrTrap + sizeof kGrowOrTrap));
  ASSERT_TRUE(cid) << cid.error().to_string();
  auto limit = [](int64_t bytes) { return ipld::Value::map({{"memory", ipld::Value::integer(bytes)}}); };
  // 1 page used of a 10-page limit: far from the limit, yet the 100-page grow was refused.
  TaskOutcome refused = run(invoke(*cid, "grow", "[]", {}, limit(10 * 65536)));
  EXPECT_EQ(refused.receipt->error_name(), "OutOfMemory") << refused.receipt->error_message();
  TaskOutcome granted = run(invoke(*cid, "grow", "[]", {}, limit(200 * 65536)));
  EXPECT_EQ(out_json(granted), R"({"ok":7})");
  // Memory exactly at the limit, but no grow was refused: an ordinary trap.
  TaskOutcome boom = run(invoke(*cid, "boom", "[]", {}, limit(65536)));
  EXPECT_EQ(boom.receipt->error_name(), "Trap") << boom.receipt->error_message();
}

TEST_F(RuntimeTest, CanonicalAbiRecordAndStrings) {
  IPVM_NEED_MODULE(rec, "record");
  TaskOutcome g = run(invoke(rec, "greet", R"([{"name": "Ada", "age": 36}])",
                             "func(p: record { name: string, age: u32 }) -> record { greeting: string, age-next-year: u32 }"));
  EXPECT_EQ(out_json(g), R"({"ok":{"age-next-year":37,"greeting":"Hello, Ada!"}})");
  IPVM_NEED_MODULE(app, "append_string");
  TaskOutcome a = run(invoke(app, "append_string", R"(["foo", "bar"])", "func(a: string, b: string) -> string"));
  EXPECT_EQ(out_json(a), R"({"ok":"foobar"})");
  TaskOutcome wrong = run(invoke(app, "append_string", R"(["foo", 1])", "func(a: string, b: string) -> string"));
  EXPECT_EQ(wrong.receipt->error_name(), "InvalidArguments");
  EXPECT_NE(wrong.receipt->error_message().find("func(a: string, b: string) -> string"), std::string::npos)
      << wrong.receipt->error_message();
  TaskOutcome mismatch = run(invoke(app, "append_string", R"([1])", "func(a: u32) -> u32"));
  EXPECT_EQ(mismatch.receipt->error_name(), "InvalidArguments");
}

TEST_F(RuntimeTest, Sha256OfBytes) {
  IPVM_NEED_MODULE(mod, "sha256");
  // sha256("abc")
  TaskOutcome o = run(invoke(mod, "sha256", R"([{"/": {"bytes": "YWJj"}}])", "func(data: list<u8>) -> list<u8>"));
  EXPECT_EQ(out_json(o), R"({"ok":{"/":{"bytes":"ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0"}}})");
}

TEST_F(RuntimeTest, WasiOutputIsCaptured) {
  IPVM_NEED_MODULE(mod, "hello");
  TaskOutcome o = run(invoke(mod, "_start", "[]"));
  EXPECT_TRUE(o.receipt->ok()) << ipld::dag_json_encode(o.receipt->out);
  const ipld::Value* out = o.receipt->meta.find("stdout");
  ASSERT_TRUE(out && out->is_string());
  EXPECT_NE(out->as_string().find("hello from ipvm"), std::string::npos);
}

TEST_F(RuntimeTest, InlineDataUrlModule) {
  auto bytes = read_file(example_path("add_one"));
  if (!bytes) GTEST_SKIP() << "examples not built";
  ucan::InvocationParams p;
  p.sub = exec_->did();
  p.cmd = "/wasm/run";
  p.args = ipld::Value::map({{"mod", ipld::Value::string("data:application/wasm;base64," + ipld::base64_encode(*bytes, false, true))},
                             {"fun", ipld::Value::string("add_one")},
                             {"params", ipld::Value::list({ipld::Value::integer(9)})}});
  p.nonce = Bytes{};
  auto inv = exec_->invoke(p);
  ASSERT_TRUE(inv);
  TaskOutcome o = run(*inv);
  EXPECT_EQ(out_json(o), R"({"ok":10})");
  EXPECT_TRUE(*store_->has(module_cid(*bytes)));  // stored with the invocation
}

TEST_F(RuntimeTest, UnauthorizedAndUnsupported) {
  IPVM_NEED_MODULE(mod, "add_one");
  ucan::Ed25519Signer stranger = ucan::Ed25519Signer::generate();
  ucan::InvocationParams p;
  p.sub = stranger.did();
  p.cmd = "/wasm/run";
  p.args = make_wasm_args(mod, "add_one", {ipld::Value::integer(1)});
  p.nonce = Bytes{};
  auto env = ucan::sign_invocation(stranger, p);
  ASSERT_TRUE(env);
  auto out = exec_->submit(env->bytes);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->receipt->error_name(), "Unauthorized");

  // A tampered signature is refused before anything runs.
  p.sub = exec_->did();
  auto forged = ucan::sign_invocation(stranger, p);
  ASSERT_TRUE(forged);
  auto o2 = exec_->submit(forged->bytes);
  ASSERT_TRUE(o2);
  EXPECT_EQ(o2->receipt->error_name(), "Unauthorized");

  ucan::InvocationParams q;
  q.sub = exec_->did();
  q.cmd = "/msg/send";
  auto inv = exec_->invoke(q);
  ASSERT_TRUE(inv);
  EXPECT_EQ(run(*inv).receipt->error_name(), "UnsupportedCommand");
  EXPECT_FALSE(exec_->submit(to_bytes("garbage")));
}

}  // namespace
}  // namespace ipvm::runtime::testing
