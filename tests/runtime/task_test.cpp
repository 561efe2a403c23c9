#include "runtime/task.h"

#include <gtest/gtest.h>

#include "ipld/dag_cbor.h"
#include "ipld/dag_json.h"
#include "ipld/multibase.h"

namespace ipvm::runtime {
namespace {

ipld::Value json(std::string_view s) {
  auto v = ipld::dag_json_decode(s);
  EXPECT_TRUE(v) << s;
  return v ? *v : ipld::Value();
}

const ipld::Cid kMod = module_cid(as_bytes("\0asm\1\0\0\0"));

TEST(Task, ParsesLinkModule) {
  auto t = parse_wasm_task(make_wasm_args(kMod, "add_one", {ipld::Value::integer(41)}));
  ASSERT_TRUE(t) << t.error().to_string();
  EXPECT_EQ(t->module, kMod);
  EXPECT_FALSE(t->inline_module);
  EXPECT_EQ(t->fun, "add_one");
  ASSERT_EQ(t->params.size(), 1u);
  EXPECT_FALSE(t->sig);
}

TEST(Task, ParsesIpfsAndDataUrls) {
  auto ipfs = parse_wasm_task(json(fmt::format(R"({{"mod": "ipfs://{}", "fun": "f", "params": []}})", kMod.to_string())));
  ASSERT_TRUE(ipfs) << ipfs.error().to_string();
  EXPECT_EQ(ipfs->module, kMod);
  Bytes wasm{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  std::string url = "data:application/wasm;base64," + ipld::base64_encode(wasm, false, true);
  auto data = parse_wasm_task(json(fmt::format(R"({{"mod": "{}", "fun": "f"}})", url)));
  ASSERT_TRUE(data) << data.error().to_string();
  EXPECT_EQ(data->module, module_cid(wasm));
  ASSERT_TRUE(data->inline_module);
  EXPECT_EQ(*data->inline_module, wasm);
  EXPECT_TRUE(data->params.empty());
}

TEST(Task, ParsesSignature) {
  auto t = parse_wasm_task(make_wasm_args(kMod, "f", {}, "func(a: string) -> string"));
  ASSERT_TRUE(t) << t.error().to_string();
  ASSERT_TRUE(t->sig);
  EXPECT_EQ(t->sig->params.size(), 1u);
  auto bad = parse_wasm_task(make_wasm_args(kMod, "f", {}, "func(a: strin) -> string"));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("sig"), std::string::npos);
}

TEST(Task, ErrorsNameTheField) {
  struct Case {
    const char* args;
    const char* needle;
  } cases[] = {
      {R"({"fun": "f"})", "\"mod\""},
      {R"({"mod": 1, "fun": "f"})", "\"mod\""},
      {R"({"mod": "nonsense", "fun": "f"})", "\"mod\""},
      {R"({"mod": "data:text/plain;base64,AAAA", "fun": "f"})", "data:"},
      {R"({"mod": "data:application/wasm;base64,!!!", "fun": "f"})", "base64"},
      {R"({"mod": "ipfs://bafkreifvxx5loo5lms546ujco7iuiyu44jz6gtn6szieg7fimlixcb6ykq"})", "\"fun\""},
      {R"({"mod": "ipfs://bafkreifvxx5loo5lms546ujco7iuiyu44jz6gtn6szieg7fimlixcb6ykq", "fun": "f", "params": 3})",
       "\"params\""},
      {R"({"mod": "ipfs://bafkreifvxx5loo5lms546ujco7iuiyu44jz6gtn6szieg7fimlixcb6ykq", "fun": "f", "sig": 3})", "\"sig\""},
  };
  for (auto& c : cases) {
    auto t = parse_wasm_task(json(c.args));
    ASSERT_FALSE(t) << c.args;
    EXPECT_EQ(t.error().kind, "InvalidTask");
    EXPECT_NE(t.error().message.find(c.needle), std::string::npos) << t.error().message;
  }
  EXPECT_FALSE(parse_wasm_task(ipld::Value::list({})));
}

TEST(Task, Limits) {
  auto d = parse_limits(ipld::Value());
  ASSERT_TRUE(d);
  EXPECT_EQ(d->fuel, kDefaultFuel);
  EXPECT_EQ(d->memory, kDefaultMemory);
  EXPECT_EQ(d->time_ms, kDefaultTimeMs);
  auto l = parse_limits(json(R"({"fuel": 5, "memory": 65536, "time": 20, "other": "kept"})"));
  ASSERT_TRUE(l);
  EXPECT_EQ(l->fuel, 5u);
  EXPECT_EQ(l->memory, 65536u);
  EXPECT_EQ(l->time_ms, 20u);
  for (const char* bad : {R"({"fuel": -1})", R"({"fuel": 0})", R"({"memory": 1e3})", R"({"time": "1"})",
                          R"({"memory": 999999999999})"}) {
    auto r = parse_limits(json(bad));
    EXPECT_FALSE(r) << bad;
  }
  EXPECT_FALSE(parse_limits(ipld::Value::integer(1)));
}

TEST(Task, MemoKeyIgnoresEverythingButCmdAndArgs) {
  ipld::Value a = make_wasm_args(kMod, "add_one", {ipld::Value::integer(41)});
  ipld::Value b = json(fmt::format(R"({{"params": [41], "fun": "add_one", "mod": {{"/": "{}"}}}})", kMod.to_string()));
  EXPECT_EQ(memo_key("/wasm/run", a), memo_key("/wasm/run", b));  // key order does not matter
  EXPECT_NE(memo_key("/wasm/run", a), memo_key("/wasm/run", make_wasm_args(kMod, "add_one", {ipld::Value::integer(42)})));
  EXPECT_NE(memo_key("/wasm/run", a), memo_key("/wasm/other", a));
  ipld::Cid k = memo_key("/wasm/run", a);
  EXPECT_EQ(k.codec(), ipld::codec::kDagCbor);
  EXPECT_EQ(k.hash_code(), 0x12u);
  EXPECT_TRUE(is_pure("/wasm/run", {}));
  Bytes nonce{1, 2, 3};
  EXPECT_FALSE(is_pure("/wasm/run", nonce));
  EXPECT_FALSE(is_pure("/msg/send", {}));
}

// memo_key writes the DAG-CBOR of {cmd, args} by hand: it must be exactly the encoding of that map,
// for commands of every head length.
TEST(Task, MemoKeyIsTheCidOfTheCmdArgsMap) {
  ipld::Value a = make_wasm_args(kMod, "add_one", {ipld::Value::integer(41)});
  for (size_t len : {0, 1, 9, 23, 24, 255, 256, 70000}) {
    std::string cmd(len + 1, 'x');
    cmd[0] = '/';
    Bytes enc = ipld::dag_cbor_encode(
        ipld::Value::map({{"cmd", ipld::Value::string(cmd)}, {"args", a}}));
    EXPECT_EQ(memo_key(cmd, a), *ipld::Cid::of(ipld::codec::kDagCbor, enc)) << len;
  }
}

}  // namespace
}  // namespace ipvm::runtime
