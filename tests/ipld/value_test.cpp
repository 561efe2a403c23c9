#include "ipld/value.h"

#include <gtest/gtest.h>

#include <limits>

namespace ipvm::ipld {
namespace {

TEST(Value, KindsAndAccessors) {
  EXPECT_TRUE(Value().is_null());
  EXPECT_EQ(Value::integer(-1).to_int64(), -1);
  EXPECT_EQ(Value::integer(std::numeric_limits<int64_t>::min()).to_int64(),
            std::numeric_limits<int64_t>::min());
  EXPECT_FALSE(Value::uinteger(UINT64_MAX).to_int64());
  EXPECT_EQ(Value::uinteger(UINT64_MAX).to_uint64(), UINT64_MAX);
  EXPECT_FALSE(Value::integer(-1).to_uint64());
  EXPECT_EQ(Value::string("s").to_string_view(), "s");
  EXPECT_EQ(kind_name(Value::float64(1).kind()), "float");
}

TEST(Value, MapKeepsCanonicalOrderAndLastDuplicate) {
  Value m = Value::map({{"bb", Value::integer(1)}, {"a", Value::integer(2)}, {"a", Value::integer(3)}});
  ASSERT_EQ(m.as_map().size(), 2u);
  EXPECT_EQ(m.as_map()[0].first, "a");
  EXPECT_EQ(m.find("a")->to_int64(), 3);
  EXPECT_EQ(m.find("bb")->to_int64(), 1);
  EXPECT_EQ(m.find("c"), nullptr);
  Value l = Value::list({Value::integer(1)});
  EXPECT_EQ(l.at(0)->to_int64(), 1);
  EXPECT_EQ(l.at(1), nullptr);
}

TEST(Value, EqualityAndCheapCopies) {
  EXPECT_EQ(Value::float64(0.0), Value::float64(0.0));
  EXPECT_NE(Value::float64(0.0), Value::float64(-0.0));
  EXPECT_NE(Value::integer(1), Value::float64(1.0));
  Value big = Value::bytes(Bytes(1 << 20, 1));
  Value copy = big;
  EXPECT_EQ(&copy.as_bytes(), &big.as_bytes());  // shared, not copied
}

}  // namespace
}  // namespace ipvm::ipld
