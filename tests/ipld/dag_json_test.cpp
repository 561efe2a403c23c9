#include "ipld/dag_json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "ipld/dag_cbor.h"

namespace ipvm::ipld {
namespace {

std::string enc(const Value& v) { return dag_json_encode(v); }

Value dec(std::string_view s) {
  auto r = dag_json_decode(s);
  EXPECT_TRUE(r) << s << ": " << (r ? "" : r.error().message);
  return r ? *r : Value();
}

void expect_reject(std::string_view s, std::string_view rule, size_t offset) {
  auto r = dag_json_decode(s);
  ASSERT_FALSE(r) << s;
  EXPECT_EQ(r.error().kind, "dag-json");
  EXPECT_NE(r.error().message.find(rule), std::string::npos) << s << ": " << r.error().message;
  EXPECT_NE(r.error().message.find("at byte offset " + std::to_string(offset)), std::string::npos)
      << s << ": " << r.error().message;
}

TEST(DagJson, EncodesScalars) {
  EXPECT_EQ(enc(Value()), "null");
  EXPECT_EQ(enc(Value::boolean(false)), "false");
  EXPECT_EQ(enc(Value::integer(-5)), "-5");
  EXPECT_EQ(enc(Value::uinteger(UINT64_MAX)), "18446744073709551615");
  EXPECT_EQ(enc(Value::integer(Integer{true, UINT64_MAX})), "-18446744073709551616");
  EXPECT_EQ(enc(Value::integer(std::numeric_limits<int64_t>::min())), "-9223372036854775808");
  EXPECT_EQ(enc(Value::string("a\"b\\c\n\x01/é")), "\"a\\\"b\\\\c\\n\\u0001/é\"");
  EXPECT_EQ(enc(Value::bytes(to_bytes("fo"))), R"({"/":{"bytes":"Zm8"}})");
  Cid c = *Cid::parse("bafyreidj5idub6mapiupjwjsyyxhyhedxycv4vihfsicm2vt46o7morwlm");
  EXPECT_EQ(enc(Value::link(c)), R"({"/":"bafyreidj5idub6mapiupjwjsyyxhyhedxycv4vihfsicm2vt46o7morwlm"})");
}

TEST(DagJson, FloatsStayFloats) {
  EXPECT_EQ(enc(Value::float64(1.0)), "1.0");
  EXPECT_EQ(enc(Value::float64(-0.0)), "-0.0");
  EXPECT_EQ(enc(Value::float64(0.0)), "0.0");
  EXPECT_EQ(enc(Value::float64(1e21)), "1e+21");
  EXPECT_EQ(enc(Value::float64(1e20)), "100000000000000000000.0");
  EXPECT_EQ(enc(Value::float64(1e300)), "1e+300");
  EXPECT_EQ(enc(Value::float64(1.5e-7)), "1.5e-7");
  EXPECT_EQ(enc(Value::float64(0.000001)), "0.000001");
  EXPECT_EQ(enc(Value::float64(123.456)), "123.456");
  EXPECT_EQ(enc(Value::float64(5e-324)), "5e-324");
  for (double d : {1.0, -0.0, 1e21, 1e300, 2.5, 1e-7, 12345678.0, 0.1, 5e-324, 1.7976931348623157e308}) {
    Value v = dec(enc(Value::float64(d)));
    ASSERT_TRUE(v.is_float()) << enc(Value::float64(d));
    EXPECT_EQ(v, Value::float64(d));
  }
  // Not representable: written as words every decoder rejects, never as something valid.
  EXPECT_EQ(enc(Value::float64(std::nan(""))), "NaN");
  EXPECT_EQ(enc(Value::float64(-HUGE_VAL)), "-Infinity");
  EXPECT_FALSE(dag_json_decode(enc(Value::list({Value::float64(HUGE_VAL)}))));
  EXPECT_TRUE(dec("1").is_integer());
  EXPECT_TRUE(dec("1.0").is_float());
  EXPECT_TRUE(dec("1e2").is_float());
  EXPECT_TRUE(dec("-0").is_integer());
}

TEST(DagJson, MapsSortBytewise) {
  Value m = Value::map({{"bb", Value::integer(1)}, {"a", Value::integer(2)}, {"ab", Value::integer(3)}});
  EXPECT_EQ(enc(m), R"({"a":2,"ab":3,"bb":1})");
  // Unsorted input with whitespace is accepted and re-encoded canonically.
  Value d = dec(" { \"bb\" : 1 ,\n\"a\":2,\t\"ab\":[ 3 , {} ] } ");
  EXPECT_EQ(enc(d), R"({"a":2,"ab":[3,{}],"bb":1})");
  EXPECT_EQ(dag_cbor_decode(dag_cbor_encode(d)).value(), d);
}

TEST(DagJson, DecodesLinksBytesAndEscapes) {
  Value l = dec(R"({"/":"QmQg1v4o9xdT3Q14wh4S7dxZkDjyZ9ssFzFzyep1YrVJBY"})");
  ASSERT_TRUE(l.is_link());
  EXPECT_EQ(l.as_link().version(), 0u);
  Value b = dec(R"({ "/" : { "bytes" : "Zm9vYmFy" } })");
  ASSERT_TRUE(b.is_bytes());
  EXPECT_EQ(b.as_bytes(), to_bytes("foobar"));
  Value s = dec(R"("\u00e9\ud83d\ude00\/\b\f\r\t")");
  EXPECT_EQ(s.as_string(), "é😀/\b\f\r\t");
  Value big = dec("[18446744073709551615,-18446744073709551616]");
  EXPECT_EQ(big.at(0)->to_uint64(), UINT64_MAX);
  EXPECT_EQ(big.at(1)->as_integer().magnitude, UINT64_MAX);
  EXPECT_TRUE(big.at(1)->as_integer().negative);
}

TEST(DagJson, RejectsInvalidInput) {
  expect_reject("", "unexpected end", 0);
  expect_reject("{\"a\":1,\"a\":2}", "repeat map key \"a\"", 7);
  expect_reject("{\"b\":1,\"a\":2,\"b\":3}", "repeat map key \"b\"", 13);
  expect_reject("NaN", "NaN", 0);
  expect_reject("[Infinity]", "NaN and Infinity", 1);
  expect_reject("-Infinity", "invalid number", 0);
  expect_reject("1e400", "out of the 64-bit range", 0);
  expect_reject("18446744073709551616", "out of range", 0);
  expect_reject("-18446744073709551617", "out of range", 0);
  expect_reject("012", "leading zeros", 0);
  expect_reject("1.", "decimal point", 0);
  expect_reject(".5", "unexpected character", 0);
  expect_reject("+1", "unexpected character", 0);
  expect_reject("1 2", "trailing data", 2);
  expect_reject("[1,]", "unexpected character", 3);
  expect_reject("{\"a\" 1}", "':'", 5);
  expect_reject("{1:2}", "map keys must be strings", 1);
  expect_reject("\"a\nb\"", "control character", 2);
  expect_reject("\"\\x\"", "invalid escape", 1);
  expect_reject("\"\\ud800\"", "surrogate", 1);
  expect_reject("\"\\udc00\"", "surrogate", 1);
  expect_reject("\"abc", "unterminated string", 0);
  expect_reject("\"\xc3\x28\"", "invalid UTF-8", 1);
  expect_reject("tru", "invalid literal", 0);
  expect_reject("undefined", "unexpected character", 0);
}

TEST(DagJson, RejectsBadReservedForms) {
  expect_reject(R"({"/":"notacid"})", "invalid link", 5);
  expect_reject(R"({"/":"QmQg1v4o9xdT3Q14wh4S7dxZkDjyZ9ssFzFzyep1YrVJBY","x":1})", "exactly one key", 53);
  expect_reject(R"({"/":{"bytes":"Zm9v","x":1}})", "exactly one key", 20);
  expect_reject(R"({"/":{"bytes":"Zm9v"},"x":1})", "exactly one key", 21);
  expect_reject(R"({"/":{"bytes":"@@"}})", "invalid bytes", 14);
  expect_reject(R"({"/":{"other":"Zm9v"}})", "link string or", 5);
  expect_reject(R"({"/":1})", "link string or", 0);
  expect_reject(R"({"a":1,"/":"QmQg1v4o9xdT3Q14wh4S7dxZkDjyZ9ssFzFzyep1YrVJBY"})", "\"/\" key", 7);
}

TEST(DagJson, BoundsNestingDepth) {
  std::string ok(kMaxDepth, '[');
  ok += std::string(kMaxDepth, ']');
  EXPECT_TRUE(dag_json_decode(ok));
  std::string deep(kMaxDepth + 1, '[');
  deep += std::string(kMaxDepth + 1, ']');
  auto r = dag_json_decode(deep);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("nesting"), std::string::npos);
  std::string huge(1000000, '{');
  EXPECT_FALSE(dag_json_decode(huge));
}

TEST(DagJson, RoundTripsThroughDagCbor) {
  Cid cid = *Cid::of(codec::kDagCbor, as_bytes("x"));
  Value v = Value::map({
      {"f", Value::float64(0.1)},
      {"i", Value::integer(-42)},
      {"l", Value::list({Value::link(cid), Value::bytes(Bytes{0, 255, 1}), Value::string("\x7f\x1f")})},
      {"", Value::null()},
  });
  std::string j = enc(v);
  EXPECT_EQ(dec(j), v);
  EXPECT_EQ(enc(*dag_cbor_decode(dag_cbor_encode(dec(j)))), j);
}

}  // namespace
}  // namespace ipvm::ipld
