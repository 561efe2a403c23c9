#include "wasm/leb128.h"

#include <gtest/gtest.h>

#include "wasm/opcodes.h"

namespace ipvm::wasm {
namespace {

Reader reader(std::initializer_list<uint8_t> bytes, Bytes& storage) {
  storage.assign(bytes);
  return Reader(ByteView(storage));
}

TEST(Leb128, U32Values) {
  Bytes s;
  uint32_t v = 0;
  auto r = reader({0x00, 0x7f, 0x80, 0x01, 0xe5, 0x8e, 0x26, 0xff, 0xff, 0xff, 0xff, 0x0f}, s);
  ASSERT_TRUE(r.read_u32(v)); EXPECT_EQ(v, 0u);
  ASSERT_TRUE(r.read_u32(v)); EXPECT_EQ(v, 127u);
  ASSERT_TRUE(r.read_u32(v)); EXPECT_EQ(v, 128u);
  ASSERT_TRUE(r.read_u32(v)); EXPECT_EQ(v, 624485u);
  ASSERT_TRUE(r.read_u32(v)); EXPECT_EQ(v, 0xffffffffu);
  EXPECT_TRUE(r.at_end());
}

TEST(Leb128, U32PaddedIsAccepted) {
  Bytes s;
  uint32_t v = 1;
  auto r = reader({0x80, 0x80, 0x80, 0x80, 0x00}, s);
  ASSERT_TRUE(r.read_u32(v));
  EXPECT_EQ(v, 0u);
}

TEST(Leb128, U32TooLong) {
  Bytes s;
  uint32_t v;
  auto r = reader({0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, s);
  EXPECT_FALSE(r.read_u32(v));
  EXPECT_EQ(r.error().kind, "malformed");
  EXPECT_NE(r.error().message.find("integer representation too long"), std::string::npos);
}

TEST(Leb128, U32TooLarge) {
  Bytes s;
  uint32_t v;
  auto r = reader({0xff, 0xff, 0xff, 0xff, 0x1f}, s);
  EXPECT_FALSE(r.read_u32(v));
  EXPECT_NE(r.error().message.find("integer too large"), std::string::npos);
}

TEST(Leb128, UnexpectedEndWithOffset) {
  Bytes s;
  uint32_t v;
  auto r = Reader(ByteView(s = Bytes{0x80, 0x80}), 100);
  EXPECT_FALSE(r.read_u32(v));
  EXPECT_EQ(r.error().message, "unexpected end at offset 102");
  // Sticky: later reads fail too and keep the first error.
  uint8_t b;
  EXPECT_FALSE(r.read_u8(b));
  EXPECT_EQ(r.error().message, "unexpected end at offset 102");
}

TEST(Leb128, S32) {
  Bytes s;
  int32_t v = 0;
  auto r = reader({0x7f, 0x80, 0x7f, 0x80, 0x80, 0x80, 0x80, 0x78, 0xff, 0xff, 0xff, 0xff, 0x07}, s);
  ASSERT_TRUE(r.read_s32(v)); EXPECT_EQ(v, -1);
  ASSERT_TRUE(r.read_s32(v)); EXPECT_EQ(v, -128);
  ASSERT_TRUE(r.read_s32(v)); EXPECT_EQ(v, INT32_MIN);
  ASSERT_TRUE(r.read_s32(v)); EXPECT_EQ(v, INT32_MAX);
}

TEST(Leb128, S32UnusedBitsMustBeSignExtension) {
  Bytes s;
  int32_t v;
  auto r1 = reader({0xff, 0xff, 0xff, 0xff, 0x4f}, s);
  EXPECT_FALSE(r1.read_s32(v));
  EXPECT_NE(r1.error().message.find("integer too large"), std::string::npos);
  Bytes s2;
  auto r2 = reader({0x80, 0x80, 0x80, 0x80, 0x70}, s2);
  EXPECT_FALSE(r2.read_s32(v));
}

TEST(Leb128, S64) {
  Bytes s;
  int64_t v = 0;
  auto r = reader({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f,   // INT64_MIN
                   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00,   // INT64_MAX
                   0x3f},
                  s);
  ASSERT_TRUE(r.read_s64(v)); EXPECT_EQ(v, INT64_MIN);
  ASSERT_TRUE(r.read_s64(v)); EXPECT_EQ(v, INT64_MAX);
  ASSERT_TRUE(r.read_s64(v)); EXPECT_EQ(v, 63);
  Bytes s2;
  auto bad = reader({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, s2);
  EXPECT_FALSE(bad.read_s64(v));
}

TEST(Leb128, S33BlockTypes) {
  Bytes s;
  BlockType bt;
  auto r = reader({0x40, 0x7f, 0x05, 0x80, 0x01, 0x7a}, s);
  ASSERT_TRUE(read_block_type(r, bt)); EXPECT_EQ(bt.kind, BlockType::Kind::kEmpty);
  ASSERT_TRUE(read_block_type(r, bt)); EXPECT_EQ(bt.kind, BlockType::Kind::kValue);
  EXPECT_EQ(bt.value, ValType::kI32);
  ASSERT_TRUE(read_block_type(r, bt)); EXPECT_EQ(bt.kind, BlockType::Kind::kIndex);
  EXPECT_EQ(bt.index, 5u);
  ASSERT_TRUE(read_block_type(r, bt)); EXPECT_EQ(bt.index, 128u);
  EXPECT_FALSE(read_block_type(r, bt));  // 0x7a is not a value type
}

TEST(Leb128, Names) {
  Bytes s;
  std::string_view name;
  auto r = reader({0x03, 'a', 'b', 'c', 0x02, 0xc3, 0xa9, 0x02, 0xc0, 0x80}, s);
  ASSERT_TRUE(r.read_name(name)); EXPECT_EQ(name, "abc");
  ASSERT_TRUE(r.read_name(name)); EXPECT_EQ(name, "\xc3\xa9");
  EXPECT_FALSE(r.read_name(name));  // overlong encoding of NUL
  EXPECT_NE(r.error().message.find("malformed UTF-8 encoding"), std::string::npos);
}

TEST(Leb128, NameLengthOutOfBounds) {
  Bytes s;
  std::string_view name;
  auto r = reader({0x05, 'a'}, s);
  EXPECT_FALSE(r.read_name(name));
}

TEST(Opcodes, Names) {
  EXPECT_STREQ(opcode_name(0x6a), "i32.add");
  EXPECT_STREQ(opcode_name(static_cast<uint8_t>(Op::kRefFunc)), "ref.func");
  EXPECT_EQ(opcode_name(0x27), nullptr);
  EXPECT_STREQ(fc_opcode_name(17), "table.fill");
  EXPECT_EQ(fc_opcode_name(18), nullptr);
  EXPECT_EQ(natural_alignment(static_cast<uint8_t>(Op::kI64Load)), 3);
  EXPECT_EQ(natural_alignment(static_cast<uint8_t>(Op::kI32Load16U)), 1);
}

}  // namespace
}  // namespace ipvm::wasm
