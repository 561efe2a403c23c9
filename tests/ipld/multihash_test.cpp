#include "ipld/multihash.h"

#include <gtest/gtest.h>

namespace ipvm::ipld {
namespace {

std::string mh_hex(uint64_t code, std::string_view data) {
  auto r = multihash_compute(code, as_bytes(data));
  return r ? to_hex(*r) : "error: " + r.error().message;
}

TEST(Multihash, KnownDigests) {
  EXPECT_EQ(mh_hex(hash::kSha2_256, "abc"),
            "1220ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(mh_hex(hash::kSha3_256, "abc"),
            "16203a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532");
  EXPECT_EQ(mh_hex(hash::kBlake2b256, "abc"),
            "a0e40220bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
  EXPECT_EQ(mh_hex(hash::kIdentity, "abc"), "0003616263");
  EXPECT_EQ(mh_hex(hash::kSha2_512, "").substr(0, 12), "1340cf83e135");
  EXPECT_EQ(mh_hex(hash::kSha3_512, "").substr(0, 12), "1440a69f73cc");
}

TEST(Multihash, NamesAndUnsupported) {
  EXPECT_EQ(hash_code_from_name("blake2b-256"), hash::kBlake2b256);
  EXPECT_EQ(hash_code_from_name("sha2-512"), hash::kSha2_512);
  EXPECT_FALSE(hash_code_from_name("md5"));
  EXPECT_EQ(hash_name(hash::kSha3_512), "sha3-512");
  auto r = multihash_compute(0xd5, as_bytes("x"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, "multihash");
}

TEST(Multihash, ParseAndVerify) {
  Bytes mh = *multihash_compute(hash::kSha2_256, as_bytes("hello"));
  auto v = multihash_parse(mh);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->code, hash::kSha2_256);
  EXPECT_EQ(v->digest.size(), 32u);
  EXPECT_TRUE(multihash_verify(mh, as_bytes("hello")));
  EXPECT_FALSE(multihash_verify(mh, as_bytes("hellO")));
  Bytes trailing = mh;
  trailing.push_back(0);
  EXPECT_FALSE(multihash_parse(trailing));
  size_t used = 0;
  EXPECT_TRUE(multihash_read_prefix(trailing, used));
  EXPECT_EQ(used, mh.size());
  Bytes truncated(mh.begin(), mh.end() - 1);
  EXPECT_FALSE(multihash_parse(truncated));
  Bytes too_long{0x12, 0x21};
  too_long.resize(2 + 0x21);
  EXPECT_FALSE(multihash_parse(too_long));
  Bytes truncated_digest = *multihash_compute(hash::kSha2_256, as_bytes("hello"), 10);
  EXPECT_EQ(truncated_digest.size(), 12u);
  EXPECT_TRUE(multihash_verify(truncated_digest, as_bytes("hello")));
  EXPECT_FALSE(multihash_compute(hash::kSha2_256, as_bytes("hello"), 33));
}

}  // namespace
}  // namespace ipvm::ipld
