#include "ipld/varint.h"

#include <gtest/gtest.h>

namespace ipvm::ipld {
namespace {

TEST(Varint, RoundTripsBoundaries) {
  for (uint64_t v : {0ull, 1ull, 127ull, 128ull, 300ull, 16383ull, 16384ull, (1ull << 63) - 1}) {
    Bytes b;
    put_uvarint(b, v);
    size_t pos = 0;
    auto r = read_uvarint(b, pos);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(*r, v);
    EXPECT_EQ(pos, b.size());
  }
  Bytes b;
  put_uvarint(b, 300);
  EXPECT_EQ(b, (Bytes{0xac, 0x02}));
}

TEST(Varint, RejectsNonMinimalTruncatedAndOverlong) {
  size_t pos = 0;
  Bytes nonmin{0x81, 0x00};
  auto r = read_uvarint(nonmin, pos);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, "varint");
  EXPECT_NE(r.error().message.find("non-minimal"), std::string::npos);
  pos = 0;
  Bytes trunc{0x80};
  EXPECT_FALSE(read_uvarint(trunc, pos));
  pos = 0;
  Bytes empty;
  EXPECT_FALSE(read_uvarint(empty, pos));
  pos = 0;
  Bytes ten(9, 0xff);
  ten.push_back(0x01);
  EXPECT_FALSE(read_uvarint(ten, pos));
}

TEST(Varint, ReadsAtOffset) {
  Bytes b{0x05, 0xac, 0x02, 0x07};
  size_t pos = 1;
  EXPECT_EQ(*read_uvarint(b, pos), 300u);
  EXPECT_EQ(pos, 3u);
  EXPECT_EQ(*read_uvarint(b, pos), 7u);
}

}  // namespace
}  // namespace ipvm::ipld
