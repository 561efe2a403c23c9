#include "ipld/dag_cbor.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace ipvm::ipld {
namespace {

Bytes hex(std::string_view h) {
  Bytes out;
  EXPECT_TRUE(from_hex(h, out)) << h;
  return out;
}

std::string reject(std::string_view h) {
  auto r = dag_cbor_decode(hex(h));
  if (r) return "accepted";
  EXPECT_EQ(r.error().kind, "dag-cbor");
  return r.error().message;
}

void expect_reject(std::string_view h, std::string_view rule, size_t offset) {
  std::string msg = reject(h);
  EXPECT_NE(msg.find(rule), std::string::npos) << h << ": " << msg;
  EXPECT_NE(msg.find("at byte offset " + std::to_string(offset)), std::string::npos) << h << ": " << msg;
}

TEST(DagCbor, EncodesCanonically) {
  EXPECT_EQ(to_hex(dag_cbor_encode(Value::integer(0))), "00");
  EXPECT_EQ(to_hex(dag_cbor_encode(Value::integer(23))), "17");
  EXPECT_EQ(to_hex(dag_cbor_encode(Value::integer(24))), "1818");
  EXPECT_EQ(to_hex(dag_cbor_encode(Value::integer(256))), "190100");
  EXPECT_EQ(to_hex(dag_cbor_encode(Value::integer(65536))), "1a00010000");
  EXPECT_EQ(to_hex(dag_cbor_encode(Value::integer(int64_t{1} << 32))), "1b0000000100000000");
  EXPECT_EQ(to_hex(dag_cbor_encode(Value::integer(-1))), "20");
  EXPECT_EQ(to_hex(dag_cbor_encode(Value::integer(std::numeric_limits<int64_t>::min()))),
            "3b7fffffffffffffff");
  EXPECT_EQ(to_hex(dag_cbor_encode(Value::integer(Integer{true, UINT64_MAX}))), "3bffffffffffffffff");
  EXPECT_EQ(to_hex(dag_cbor_encode(Value::uinteger(UINT64_MAX))), "1bffffffffffffffff");
  EXPECT_EQ(to_hex(dag_cbor_encode(Value::float64(1.5))), "fb3ff8000000000000");
  EXPECT_EQ(to_hex(dag_cbor_encode(Value::float64(0.0))), "fb0000000000000000");
  EXPECT_EQ(to_hex(dag_cbor_encode(Value::boolean(true))), "f5");
  EXPECT_EQ(to_hex(dag_cbor_encode(Value())), "f6");
  EXPECT_EQ(to_hex(dag_cbor_encode(Value::string("a"))), "6161");
  EXPECT_EQ(to_hex(dag_cbor_encode(Value::bytes(Bytes{1, 2}))), "420102");
  // Keys: shorter first, then bytewise.
  Value m = Value::map({{"bb", Value::integer(1)}, {"a", Value::integer(2)}, {"ab", Value::integer(3)}});
  EXPECT_EQ(to_hex(dag_cbor_encode(m)), "a3616102626162036262620" "1");
  Value link = Value::link(*Cid::parse("bafyreidj5idub6mapiupjwjsyyxhyhedxycv4vihfsicm2vt46o7morwlm"));
  std::string lh = to_hex(dag_cbor_encode(link));
  EXPECT_EQ(lh.substr(0, 10), "d82a582500");
}

TEST(DagCbor, RoundTripsNestedValues) {
  Cid cid = *Cid::of(codec::kRaw, as_bytes("x"));
  Value v = Value::map({
      {"list", Value::list({Value::integer(1), Value::float64(-2.25), Value::null(), Value::boolean(false)})},
      {"link", Value::link(cid)},
      {"bytes", Value::bytes(Bytes(300, 7))},
      {"str", Value::string(std::string(70000, 'z'))},
      {"neg", Value::integer(Integer{true, 1ull << 40})},
      {"nested", Value::map({{"", Value::list({})}, {"k", Value::map({})}})},
  });
  Bytes enc = dag_cbor_encode(v);
  auto back = dag_cbor_decode(enc);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, v);
  EXPECT_EQ(dag_cbor_encode(*back), enc);
  EXPECT_EQ(back->find("link")->as_link(), cid);
}

TEST(DagCbor, RejectsNonMinimalIntegersAndLengths) {
  expect_reject("1817", "non-minimal", 0);
  expect_reject("1900ff", "non-minimal", 0);
  expect_reject("1a0000ffff", "non-minimal", 0);
  expect_reject("1b00000000ffffffff", "non-minimal", 0);
  expect_reject("3817", "non-minimal", 0);
  expect_reject("5801aa", "non-minimal", 0);
  expect_reject("780161", "non-minimal", 0);
  expect_reject("82019800", "non-minimal", 2);
  expect_reject("b80100", "non-minimal", 0);
}

TEST(DagCbor, RejectsIndefiniteLengthsAndBreak) {
  expect_reject("9fff", "indefinite", 0);
  expect_reject("bfff", "indefinite", 0);
  expect_reject("5f4100ff", "indefinite", 0);
  expect_reject("7f6161ff", "indefinite", 0);
  expect_reject("ff", "break", 0);
  expect_reject("1c", "reserved", 0);
}

TEST(DagCbor, RejectsMapKeyProblems) {
  expect_reject("a2616101616101", "duplicate map key \"a\"", 4);
  expect_reject("a2616201616101", "canonical order", 4);
  expect_reject("a26261610161620" "1", "canonical order", 5);  // longer key before shorter
  expect_reject("a10101", "not a text string", 1);
  expect_reject("a1410001", "not a text string", 1);
}

TEST(DagCbor, RejectsTagsAndSimpleValues) {
  expect_reject("c001", "tag 0", 0);
  expect_reject("d82b4100", "tag 43", 0);
  expect_reject("f7", "undefined", 0);
  expect_reject("f0", "simple values", 0);
  expect_reject("f820", "simple values", 0);
  expect_reject("f93c00", "16-bit", 0);
  expect_reject("fa3f800000", "32-bit", 0);
  expect_reject("fb7ff8000000000000", "NaN", 0);
  expect_reject("fb7ff0000000000000", "infinity", 0);
  expect_reject("fbfff0000000000000", "infinity", 0);
}

TEST(DagCbor, RejectsBadLinks) {
  expect_reject("d82a01", "byte string", 2);
  expect_reject("d82a40", "0x00", 2);
  expect_reject("d82a420155", "0x00", 2);
  expect_reject("d82a4400015500", "invalid CID", 2);  // multihash truncated
  expect_reject("d82a6100", "byte string", 2);
}

TEST(DagCbor, RejectsTruncationTrailingBytesAndBadUtf8) {
  expect_reject("", "unexpected end", 0);
  expect_reject("19", "unexpected end", 0);
  expect_reject("fb0000", "unexpected end", 0);
  expect_reject("0000", "trailing bytes", 1);
  expect_reject("62c328", "invalid UTF-8", 1);
  expect_reject("63eda080", "invalid UTF-8", 1);  // a surrogate
  expect_reject("a162c32800", "invalid UTF-8", 2);
  expect_reject("8201", "array length exceeds the input", 0);
  expect_reject("82011a0001", "unexpected end", 2);
}

TEST(DagCbor, HugeClaimedLengthsFailWithoutAllocating) {
  expect_reject("5b1000000000000000", "exceeds the input", 0);
  expect_reject("7b1000000000000000", "exceeds the input", 0);
  expect_reject("9b1000000000000000", "exceeds the input", 0);
  expect_reject("bb1000000000000000", "exceeds the input", 0);
  // Nested containers each claiming nearly the whole input: memory stays bounded.
  Bytes nested;
  for (int i = 0; i < 200; ++i) {
    nested.push_back(0x9a);
    for (int k = 0; k < 4; ++k) nested.push_back(k == 3 ? 0x01 : 0x00);
    nested.back() = static_cast<uint8_t>(0x00);
  }
  for (size_t i = 0; i < nested.size(); i += 5) nested[i + 3] = 0x04;  // claim 1024 items
  nested.resize(nested.size() + 2000, 0xf6);
  auto r = dag_cbor_decode(nested);
  EXPECT_FALSE(r);
}

TEST(DagCbor, BoundsNestingDepth) {
  Bytes deep(kMaxDepth, 0x81);
  deep.push_back(0x01);
  EXPECT_TRUE(dag_cbor_decode(deep));
  Bytes deeper(kMaxDepth + 1, 0x81);
  deeper.push_back(0x01);
  auto r = dag_cbor_decode(deeper);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("nesting"), std::string::npos);
  Bytes maps;
  for (size_t i = 0; i < 100000; ++i) {
    maps.push_back(0xa1);
    maps.push_back(0x60);
  }
  EXPECT_FALSE(dag_cbor_decode(maps));
}

TEST(DagCbor, IntegerRangeExtremes) {
  auto r = dag_cbor_decode(hex("3bffffffffffffffff"));
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->as_integer().negative);
  EXPECT_EQ(r->as_integer().magnitude, UINT64_MAX);
  EXPECT_FALSE(r->to_int64());
  auto u = dag_cbor_decode(hex("1bffffffffffffffff"));
  ASSERT_TRUE(u);
  EXPECT_EQ(u->to_uint64(), UINT64_MAX);
}

TEST(DagCborTest, BytesAndTextItemsMatchTheValueEncoding) {
  // Lengths on each side of every head-size boundary (inline, 1, 2 and 4 argument bytes).
  for (size_t n : {0u, 1u, 23u, 24u, 255u, 256u, 65535u, 65536u}) {
    Bytes b(n, 0xab);
    Bytes direct{0x01};  // appends after what is there
    dag_cbor_encode_bytes_into(b, direct);
    Bytes via{0x01};
    dag_cbor_encode_into(Value::bytes(b), via);
    EXPECT_EQ(direct, via) << n;

    std::string s(n, 'x');
    Bytes direct_text;
    dag_cbor_encode_text_into(s, direct_text);
    EXPECT_EQ(direct_text, dag_cbor_encode(Value::string(s))) << n;
  }
}

}  // namespace
}  // namespace ipvm::ipld
