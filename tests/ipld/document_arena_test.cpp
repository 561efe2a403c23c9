// Decoded documents live in one arena (ipld/document_arena.h): these tests pin down that parts
// of a document outlive its root, that copies are shared across threads, and that a decoder
// failing half-way leaves nothing behind (the ASan build checks leaks and use-after-free).
#include "ipld/document_arena.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "ipld/dag_cbor.h"
#include "ipld/dag_json.h"

namespace ipvm::ipld {
namespace {

Value sample() {
  Cid cid = *Cid::of(codec::kDagCbor, as_bytes("x"));
  return Value::map({
      {"a-long-key-beyond-short-strings", Value::string(std::string(100, 'z'))},
      {"b", Value::bytes(Bytes(64, 7))},
      {"l", Value::list({Value::integer(-5), Value::float64(1.5), Value::link(cid), Value::null()})},
      {"m", Value::map({{"k", Value::boolean(true)}, {"s", Value::string("short")}})},
  });
}

TEST(DocumentArena, PartsOutliveTheDecodedRoot) {
  Bytes cbor = dag_cbor_encode(sample());
  Value list, text, nested;
  {
    auto doc = dag_cbor_decode(cbor);
    ASSERT_TRUE(doc);
    list = *doc->find("l");
    text = *doc->find("a-long-key-beyond-short-strings");
    nested = *doc->find("m");
  }
  ASSERT_EQ(list.as_list().size(), 4u);
  EXPECT_EQ(list.as_list()[2].as_link(), *Cid::of(codec::kDagCbor, as_bytes("x")));
  EXPECT_EQ(text.as_string(), std::string(100, 'z'));
  // A child of a kept child, copied after the root is gone, still shares the arena.
  Value inner = *nested.find("s");
  nested = Value();
  EXPECT_EQ(inner.as_string(), "short");
  EXPECT_EQ(Value::list({list, text, inner}), Value::list({list, text, inner}));
}

TEST(DocumentArena, DecodedValuesEqualBuiltOnesBothCodecs) {
  Value v = sample();
  auto from_cbor = dag_cbor_decode(dag_cbor_encode(v));
  auto from_json = dag_json_decode(dag_json_encode(v));
  ASSERT_TRUE(from_cbor && from_json);
  EXPECT_EQ(*from_cbor, v);
  EXPECT_EQ(*from_json, v);
  // Copies of a decoded root share it; moving a root keeps it whole.
  Value copy = *from_cbor;
  EXPECT_EQ(&copy.as_map(), &from_cbor->as_map());
  Value moved = std::move(copy);
  EXPECT_EQ(moved, v);
  EXPECT_TRUE(copy.is_null());  // NOLINT(bugprone-use-after-move): moved-from is null by contract
}

TEST(DocumentArena, CopiesAreSharedAcrossThreads) {
  Bytes cbor = dag_cbor_encode(Value::list(List(64, sample())));
  std::vector<Value> kept(4);
  {
    Value doc = *dag_cbor_decode(cbor);
    std::vector<std::thread> threads;
    for (size_t t = 0; t < kept.size(); ++t) {
      threads.emplace_back([&doc, &kept, t] {
        for (int round = 0; round < 200; ++round) {
          for (const Value& item : doc.as_list()) {
            Value copy = item;  // counts on the shared arena from several threads at once
            kept[t] = *copy.find("m");
          }
        }
      });
    }
    for (auto& th : threads) th.join();
  }
  for (const Value& v : kept) EXPECT_EQ(v.find("s")->as_string(), "short");
}

TEST(DocumentArena, FailedDecodesReleaseWhatTheyBuilt) {
  Bytes cbor = dag_cbor_encode(sample());
  // Every strict prefix fails somewhere inside the document.
  for (size_t n = 0; n < cbor.size(); ++n) EXPECT_FALSE(dag_cbor_decode(ByteView(cbor.data(), n)));
  std::string json = dag_json_encode(sample());
  for (size_t n = 0; n < json.size(); ++n) EXPECT_FALSE(dag_json_decode(json.substr(0, n)));
}

TEST(DocumentArena, ScalarRootsNeedNoArena) {
  auto v = dag_cbor_decode(dag_cbor_encode(Value::integer(-7)));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->to_int64(), -7);
  auto s = dag_json_decode("\"just a string that is longer than the inline buffer\"");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->as_string(), "just a string that is longer than the inline buffer");
}

TEST(DocumentArena, BuildsDirectly) {
  Value root;
  {
    DocumentArena arena(16);
    List items;
    items.push_back(arena.string(std::string_view("a string long enough to need the heap")));
    items.push_back(arena.bytes(Bytes{1, 2, 3}));
    root = arena.finish(arena.list(std::move(items)));
  }
  ASSERT_TRUE(root.is_list());
  EXPECT_EQ(root.as_list()[0].as_string(), "a string long enough to need the heap");
  EXPECT_EQ(root.as_list()[1].as_bytes(), (Bytes{1, 2, 3}));
}

}  // namespace
}  // namespace ipvm::ipld
