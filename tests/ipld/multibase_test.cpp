#include "ipld/multibase.h"

#include <gtest/gtest.h>

namespace ipvm::ipld {
namespace {

TEST(Multibase, Rfc4648Vectors) {
  // RFC 4648 section 10.
  const char* in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  const char* b64[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
  const char* b32[] = {"", "MY======", "MZXQ====", "MZXW6===", "MZXW6YQ=", "MZXW6YTB", "MZXW6YTBOI======"};
  const char* b32hex[] = {"", "CO======", "CPNG====", "CPNMU===", "CPNMUOG=", "CPNMUOJ1", "CPNMUOJ1E8======"};
  for (int i = 0; i < 7; ++i) {
    ByteView d = as_bytes(in[i]);
    EXPECT_EQ(multibase_encode(Base::kBase64Pad, d), std::string("M") + b64[i]);
    EXPECT_EQ(multibase_encode(Base::kBase32PadUpper, d), std::string("C") + b32[i]);
    EXPECT_EQ(multibase_encode(Base::kBase32HexPadUpper, d), std::string("T") + b32hex[i]);
    for (Base b : {Base::kBase16, Base::kBase16Upper, Base::kBase32, Base::kBase32Upper, Base::kBase32Pad,
                   Base::kBase32Hex, Base::kBase32HexPad, Base::kBase36, Base::kBase36Upper,
                   Base::kBase58Btc, Base::kBase64, Base::kBase64Pad, Base::kBase64Url,
                   Base::kBase64UrlPad, Base::kIdentity}) {
      auto s = multibase_encode(b, d);
      auto back = multibase_decode(s);
      ASSERT_TRUE(back) << s << ": " << back.error().message;
      EXPECT_EQ(*back, Bytes(d.begin(), d.end())) << s;
    }
  }
}

TEST(Multibase, Base58LeadingZerosAndKnownValue) {
  EXPECT_EQ(base58btc_encode(as_bytes("hello world")), "StV1DL6CwTryKyV");
  Bytes z{0, 0, 1};
  EXPECT_EQ(base58btc_encode(z), "112");
  EXPECT_EQ(*base58btc_decode("112"), z);
  EXPECT_EQ(base58btc_encode(Bytes{}), "");
  EXPECT_EQ(base58btc_encode(Bytes{0}), "1");
  EXPECT_EQ(*base58btc_decode("1"), Bytes{0});
}

TEST(Multibase, LongBase58AndBase36RoundTrip) {
  Bytes data(3000);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 131 + 7);
  data[0] = 0;
  for (Base b : {Base::kBase58Btc, Base::kBase36}) {
    auto back = multibase_decode(multibase_encode(b, data));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, data);
  }
}

TEST(Multibase, Errors) {
  auto e = multibase_decode("");
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().kind, "multibase");
  EXPECT_FALSE(multibase_decode("zO0"));  // O and 0 are not base58
  EXPECT_FALSE(multibase_decode("f0"));   // odd
  EXPECT_FALSE(multibase_decode("fzz"));
  EXPECT_FALSE(multibase_decode("b1"));   // '1' not base32
  EXPECT_FALSE(multibase_decode("m$$$$"));
  EXPECT_FALSE(multibase_decode("mZg="));  // padding that does not complete a group
  EXPECT_FALSE(multibase_decode("mZh"));   // non-zero trailing bits
  EXPECT_FALSE(multibase_decode("uZm+v"));  // standard char in url alphabet
  EXPECT_FALSE(multibase_decode("mZm-v"));
  auto long58 = multibase_decode("z" + std::string(70000, '2'));
  ASSERT_FALSE(long58);
  EXPECT_NE(long58.error().message.find("limit"), std::string::npos);
  auto q = multibase_decode("Qabc");
  ASSERT_FALSE(q);
  EXPECT_NE(q.error().message.find("'Q'"), std::string::npos);
}

TEST(Multibase, Base64AcceptsPaddedAndUnpadded) {
  EXPECT_EQ(*base64_decode("Zm8"), to_bytes("fo"));
  EXPECT_EQ(*base64_decode("Zm8="), to_bytes("fo"));
  EXPECT_EQ(base64_encode(to_bytes("\xfb\xff"), true, false), "-_8");
  EXPECT_EQ(base64_encode(to_bytes("\xfb\xff"), false, true), "+/8=");
  EXPECT_EQ(base_from_name("base64urlpad"), Base::kBase64UrlPad);
  EXPECT_FALSE(base_from_name("base2"));
}

}  // namespace
}  // namespace ipvm::ipld
