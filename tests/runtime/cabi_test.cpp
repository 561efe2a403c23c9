#include "runtime/cabi.h"

#include <cstring>

#include <gtest/gtest.h>

namespace ipvm::runtime {
namespace {

using ipld::Value;

// A guest memory with a bump allocator, standing in for an instance.
class FakeGuest : public CabiGuest {
 public:
  explicit FakeGuest(size_t size = 65536) : memory(size) {}
  Result<uint32_t> realloc(uint32_t, uint32_t, uint32_t align, uint32_t size) override {
    next = (next + align - 1) / align * align;
    if (next + size > memory.size()) return fail("trap", "out of memory");
    uint32_t p = next;
    next += size;
    return p;
  }
  Status read(uint32_t addr, std::span<uint8_t> out) override {
    if (uint64_t{addr} + out.size() > memory.size()) return fail("trap", "out of bounds");
    std::memcpy(out.data(), memory.data() + addr, out.size());
    return {};
  }
  Status write(uint32_t addr, ByteView data) override {
    if (uint64_t{addr} + data.size() > memory.size()) return fail("trap", "out of bounds");
    std::memcpy(memory.data() + addr, data.data(), data.size());
    return {};
  }
  Bytes memory;
  uint32_t next = 8;
};

WitFunc sig(const char* text) {
  auto f = parse_wit_func(text);
  EXPECT_TRUE(f) << text;
  return *f;
}

TEST(Cabi, LayoutsFollowTheCanonicalAbi) {
  auto t = [](const char* s) { return **parse_wit_type(s); };
  EXPECT_EQ(wit_layout(t("u8")).size, 1u);
  EXPECT_EQ(wit_layout(t("string")).size, 8u);
  EXPECT_EQ(wit_layout(t("string")).align, 4u);
  EXPECT_EQ(wit_layout(t("record { a: u8, b: u64 }")).size, 16u);
  EXPECT_EQ(wit_layout(t("record { a: u8, b: u64 }")).align, 8u);
  EXPECT_EQ(wit_layout(t("option<u32>")).size, 8u);
  EXPECT_EQ(wit_layout(t("result<u8, u64>")).size, 16u);
  EXPECT_EQ(wit_layout(t("enum { a, b }")).size, 1u);
  EXPECT_EQ(wit_layout(t("tuple<u8, u16, u8>")).size, 6u);
}

TEST(Cabi, FlattensAndJoinsVariants) {
  auto t = [](const char* s) { return **parse_wit_type(s); };
  EXPECT_EQ(wit_flatten(t("result<f32, u32>")), (std::vector<CoreType>{CoreType::kI32, CoreType::kI32}));
  EXPECT_EQ(wit_flatten(t("result<f64, u32>")), (std::vector<CoreType>{CoreType::kI32, CoreType::kI64}));
  EXPECT_EQ(wit_flatten(t("option<string>")),
            (std::vector<CoreType>{CoreType::kI32, CoreType::kI32, CoreType::kI32}));
  auto s = core_signature(sig("func(a: string, b: string) -> string"));
  EXPECT_EQ(s.params.size(), 4u);
  EXPECT_TRUE(s.results_in_memory);
  auto many = core_signature(sig("func(a: tuple<u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8,u8>) -> u32"));
  EXPECT_TRUE(many.params_in_memory);
  EXPECT_FALSE(many.results_in_memory);
}

TEST(Cabi, LowersScalarsWithRangeChecks) {
  FakeGuest g;
  auto f = sig("func(a: s8, b: u64, c: f32, d: bool)");
  auto flat = lower_arguments(f, {Value::integer(-1), Value::uinteger(UINT64_MAX), Value::float64(1.5),
                                  Value::boolean(true)}, g);
  ASSERT_TRUE(flat) << flat.error().message;
  EXPECT_EQ((*flat)[0], 0xffffffffu);
  EXPECT_EQ((*flat)[1], UINT64_MAX);
  float one_half = 1.5f;
  uint32_t bits;
  std::memcpy(&bits, &one_half, 4);
  EXPECT_EQ((*flat)[2], bits);
  EXPECT_EQ((*flat)[3], 1u);

  auto bad = lower_arguments(f, {Value::integer(128), Value::uinteger(0), Value::float64(0), Value::boolean(true)}, g);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("argument 'a'"), std::string::npos) << bad.error().message;
  auto wrong_count = lower_arguments(f, {Value::integer(1)}, g);
  ASSERT_FALSE(wrong_count);
  EXPECT_NE(wrong_count.error().message.find("func(a: s8"), std::string::npos);
}

TEST(Cabi, StringsRoundTripThroughMemory) {
  FakeGuest g;
  auto f = sig("func(a: string, b: string) -> string");
  auto flat = lower_arguments(f, {Value::string("hello, "), Value::string("world")}, g);
  ASSERT_TRUE(flat);
  ASSERT_EQ(flat->size(), 4u);
  // Play the guest: concatenate into a new buffer and write a return area.
  std::string a(reinterpret_cast<char*>(g.memory.data() + (*flat)[0]), (*flat)[1]);
  std::string b(reinterpret_cast<char*>(g.memory.data() + (*flat)[2]), (*flat)[3]);
  std::string joined = a + b;
  uint32_t out = *g.realloc(0, 0, 1, static_cast<uint32_t>(joined.size()));
  ASSERT_TRUE(g.write(out, as_bytes(joined)));
  uint32_t ret = *g.realloc(0, 0, 4, 8);
  uint32_t area[2] = {out, static_cast<uint32_t>(joined.size())};
  ASSERT_TRUE(g.write(ret, ByteView(reinterpret_cast<uint8_t*>(area), 8)));
  uint64_t results[1] = {ret};
  auto v = lift_results(f, results, g);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(*v, Value::string("hello, world"));
}

TEST(Cabi, RecordsOptionsResultsEnumsRoundTrip) {
  // Lower through memory (params spill past 16 flat values) and lift the same tuple back.
  FakeGuest g;
  const char* type = "tuple<record { name: string, age: u32 }, option<u8>, result<string, u32>, enum { a, b }, list<s16>>";
  std::string text = std::string("func(x: ") + type + ", pad: tuple<u64,u64,u64,u64,u64,u64,u64,u64,u64,u64>) -> " + type;
  auto f = sig(text.c_str());
  Value x = Value::list({Value::map({{"name", Value::string("Ada")}, {"age", Value::uinteger(36)}}), Value::uinteger(7),
                         Value::map({{"error", Value::uinteger(404)}}), Value::string("b"),
                         Value::list({Value::integer(-2), Value::integer(300)})});
  ipld::List pad_items(10, Value::uinteger(0));
  auto flat = lower_arguments(f, {x, Value::list(pad_items)}, g);
  ASSERT_TRUE(flat) << flat.error().message;
  ASSERT_EQ(flat->size(), 1u);  // one pointer to the spilled arguments
  // The first field of the spilled tuple is x itself, at offset 0: lift it from there.
  uint64_t results[1] = {(*flat)[0]};
  auto v = lift_results(f, results, g);
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(*v, x);
}

TEST(Cabi, FlatVariantsRoundTrip) {
  FakeGuest g;
  auto f = sig("func(r: result<f32, u64>) -> result<f32, u64>");
  Value ok = Value::map({{"ok", Value::float64(0.25)}});
  auto flat = lower_arguments(f, {ok}, g);
  ASSERT_TRUE(flat);
  ASSERT_EQ(flat->size(), 2u);
  EXPECT_EQ((*flat)[0], 0u);
  // Results flatten to 2 values > 1, so lifting reads a return area: store the same there.
  uint32_t area = *g.realloc(0, 0, 8, 16);
  uint8_t bytes[16] = {};
  float q = 0.25f;
  std::memcpy(bytes + 8, &q, 4);
  ASSERT_TRUE(g.write(area, ByteView(bytes, 16)));
  uint64_t results[1] = {area};
  auto v = lift_results(f, results, g);
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, ok);
}

// Found by fuzz_wit_cabi: a string or list<u8> result of length near 4 GiB was allocated before
// guest memory was read, so a hostile guest could make the host allocate 4 GiB per task.
TEST(Cabi, HugeStringAndBytesLengthsFailBeforeAllocating) {
  for (const char* text : {"func() -> string", "func() -> list<u8>"}) {
    FakeGuest g(4096);
    auto f = sig(text);
    uint32_t area = *g.realloc(0, 0, 4, 8);
    for (uint32_t len : {0xf7f7f7f7u, 0xffffffffu, 4096u}) {
      uint32_t fields[2] = {16, len};
      ASSERT_TRUE(g.write(area, ByteView(reinterpret_cast<uint8_t*>(fields), 8)));
      uint64_t results[1] = {area};
      auto v = lift_results(f, results, g);
      ASSERT_FALSE(v) << text << " " << len;
      const std::string& m = v.error().message;
      EXPECT_TRUE(m.find("out of bounds") != std::string::npos || m.find("past guest memory") != std::string::npos)
          << m;
    }
  }
}

TEST(Cabi, HostileGuestResultsAreErrors) {
  FakeGuest g(4096);
  auto f = sig("func() -> list<u32>");
  uint32_t area = *g.realloc(0, 0, 4, 8);
  uint32_t fields[2] = {16, 0x7fffffff};  // a huge length
  ASSERT_TRUE(g.write(area, ByteView(reinterpret_cast<uint8_t*>(fields), 8)));
  uint64_t results[1] = {area};
  EXPECT_FALSE(lift_results(f, results, g));
  auto s = sig("func() -> string");
  uint8_t bad[2] = {0xc0, 0x80};  // overlong: not UTF-8
  ASSERT_TRUE(g.write(100, ByteView(bad, 2)));
  uint32_t sfields[2] = {100, 2};
  ASSERT_TRUE(g.write(area, ByteView(reinterpret_cast<uint8_t*>(sfields), 8)));
  auto r = lift_results(s, results, g);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("UTF-8"), std::string::npos);
  auto nan = sig("func() -> f64");
  uint64_t nan_bits[1] = {0x7ff8000000000000ull};
  EXPECT_FALSE(lift_results(nan, nan_bits, g));
}

TEST(Cabi, BytesLowerAsListOfU8) {
  FakeGuest g;
  auto f = sig("func(img: list<u8>, w: u32) -> u32");
  auto flat = lower_arguments(f, {Value::bytes({1, 2, 3}), Value::uinteger(9)}, g);
  ASSERT_TRUE(flat);
  EXPECT_EQ((*flat)[1], 3u);
  EXPECT_EQ(g.memory[(*flat)[0] + 2], 3);
}

}  // namespace
}  // namespace ipvm::runtime
