// f32 arguments at the edge of the range: a number that rounds to FLT_MAX is accepted (docs/abi.md:
// only finite values above 3.4028235e38 in magnitude are refused), one that would round to an
// infinity is refused, on both the core path and the canonical ABI path.
#include <bit>
#include <cstring>
#include <limits>

#include <gtest/gtest.h>

#include "runtime/cabi.h"
#include "runtime/guest_call.h"

namespace ipvm::runtime {
namespace {

using ipld::Value;

constexpr float kMax = std::numeric_limits<float>::max();

TEST(F32Of, RoundsToNearestAndRefusesOverflow) {
  EXPECT_EQ(f32_of(3.4028235e38), kMax);
  EXPECT_EQ(f32_of(-3.4028235e38), -kMax);
  EXPECT_EQ(f32_of(0x1.fffffefffffffp127), kMax);  // just below the tie with 2^128
  EXPECT_FALSE(f32_of(0x1.ffffffp127));           // the tie rounds to even: 2^128, an infinity
  EXPECT_FALSE(f32_of(3.5e38));
  EXPECT_FALSE(f32_of(-1e300));
  EXPECT_EQ(f32_of(0.1), 0.1f);
  EXPECT_EQ(f32_of(1e-50), 0.0f);  // underflow is rounding, not an error
}

TEST(LowerCore, F32AcceptsWhatRoundsToFltMax) {
  auto bits = lower_core(wasm::ValType::kF32, Value::float64(3.4028235e38), "argument 1");
  ASSERT_TRUE(bits) << bits.error().to_string();
  EXPECT_EQ(static_cast<uint32_t>(*bits), std::bit_cast<uint32_t>(kMax));
  EXPECT_FALSE(lower_core(wasm::ValType::kF32, Value::float64(3.5e38), "argument 1"));
}

class NoMemory : public CabiGuest {
 public:
  Result<uint32_t> realloc(uint32_t, uint32_t, uint32_t, uint32_t) override { return fail("trap", "no memory"); }
  Status read(uint32_t, std::span<uint8_t>) override { return fail("trap", "no memory"); }
  Status write(uint32_t, ByteView) override { return fail("trap", "no memory"); }
};

TEST(LowerArguments, F32RangeMatchesTheCorePath) {
  auto f = parse_wit_func("func(x: f32) -> f32");
  ASSERT_TRUE(f);
  NoMemory guest;
  auto ok = lower_arguments(*f, ipld::List{Value::float64(3.4028235e38)}, guest);
  ASSERT_TRUE(ok) << ok.error().to_string();
  EXPECT_EQ(static_cast<uint32_t>((*ok)[0]), std::bit_cast<uint32_t>(kMax));
  auto big = lower_arguments(*f, ipld::List{Value::float64(1e39)}, guest);
  ASSERT_FALSE(big);
  EXPECT_NE(big.error().message.find("out of range for f32"), std::string::npos) << big.error().message;
  // An integer beyond int64 is still a number.
  auto u = lower_arguments(*f, ipld::List{Value::uinteger(18446744073709551615ull)}, guest);
  ASSERT_TRUE(u) << u.error().to_string();
}

}  // namespace
}  // namespace ipvm::runtime
