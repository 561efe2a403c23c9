#include "ipld/cid.h"

#include <gtest/gtest.h>

#include <unordered_set>

#include "ipld/multihash.h"

namespace ipvm::ipld {
namespace {

TEST(Cid, ParsesAndPrintsV0) {
  const char* s = "QmQg1v4o9xdT3Q14wh4S7dxZkDjyZ9ssFzFzyep1YrVJBY";
  auto c = Cid::parse(s);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->version(), 0u);
  EXPECT_EQ(c->codec(), codec::kDagPb);
  EXPECT_EQ(c->hash_code(), hash::kSha2_256);
  EXPECT_EQ(c->digest().size(), 32u);
  EXPECT_EQ(c->to_string(), s);
  EXPECT_EQ(c->to_bytes().size(), 34u);
  EXPECT_EQ(*Cid::from_bytes(c->to_bytes()), *c);
}

TEST(Cid, ParsesAndPrintsV1) {
  const char* s = "bafyreidj5idub6mapiupjwjsyyxhyhedxycv4vihfsicm2vt46o7morwlm";
  auto c = Cid::parse(s);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->version(), 1u);
  EXPECT_EQ(c->codec(), codec::kDagCbor);
  EXPECT_EQ(c->to_string(), s);
  EXPECT_EQ(*Cid::from_bytes(c->to_bytes()), *c);
  // The same CID in other bases.
  for (Base b : {Base::kBase58Btc, Base::kBase36, Base::kBase16, Base::kBase64Url, Base::kBase32Upper}) {
    auto other = Cid::parse(c->to_string(b));
    ASSERT_TRUE(other) << c->to_string(b);
    EXPECT_EQ(*other, *c);
  }
  EXPECT_EQ(c->encoded_size(), c->to_bytes().size());
}

TEST(Cid, OfAndVerify) {
  auto c = Cid::of(codec::kRaw, as_bytes("hello"));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->to_string(), "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq");
  EXPECT_TRUE(c->verify(as_bytes("hello")));
  auto bad = c->verify(as_bytes("hello!"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, "cid");
  auto b2 = Cid::of(codec::kDagCbor, as_bytes("hello"), hash::kBlake2b256);
  ASSERT_TRUE(b2);
  EXPECT_TRUE(b2->verify(as_bytes("hello")));
  EXPECT_EQ(*Cid::parse(b2->to_string()), *b2);
}

TEST(Cid, CompareAndHash) {
  Cid a = *Cid::of(codec::kRaw, as_bytes("a"));
  Cid b = *Cid::of(codec::kRaw, as_bytes("b"));
  Cid a2 = *Cid::parse(a.to_string());
  EXPECT_EQ(a, a2);
  EXPECT_NE(a, b);
  EXPECT_TRUE((a < b) != (b < a));
  std::unordered_set<Cid> set{a, b, a2};
  EXPECT_EQ(set.size(), 2u);
  EXPECT_FALSE(Cid().is_valid());
  EXPECT_TRUE(a.is_valid());
}

// Digest CIDs hash by their digest's tail mixed with the codec; identity CIDs (plain content)
// hash every byte, so two that share their last bytes still land apart.
TEST(Cid, HashSeparatesCodecsAndIdentityContent) {
  std::hash<Cid> h;
  Cid raw = *Cid::of(codec::kRaw, as_bytes("x"));
  Cid cbor = Cid::v1(codec::kDagCbor, raw.multihash());
  EXPECT_EQ(h(raw), h(*Cid::parse(raw.to_string())));
  EXPECT_NE(h(raw), h(cbor));
  Cid id1 = *Cid::of(codec::kRaw, as_bytes("first-12345678"), hash::kIdentity);
  Cid id2 = *Cid::of(codec::kRaw, as_bytes("other-12345678"), hash::kIdentity);
  EXPECT_NE(h(id1), h(id2));
}

// Short multihashes are stored inside the Cid, long ones (sha2-512, big identity hashes) on the
// heap: copies, moves and comparisons must not care which.
TEST(Cid, InlineAndHeapMultihashesCopyMoveAndCompare) {
  Cid small = *Cid::of(codec::kRaw, as_bytes("a"));             // 34-byte multihash
  Cid large = *Cid::of(codec::kRaw, as_bytes("a"), 0x13);       // sha2-512: 66 bytes
  Cid ident = *Cid::of(codec::kRaw, Bytes(300, 9), 0x00);       // identity: 302 bytes
  for (const Cid* c : {&small, &large, &ident}) {
    Cid copy = *c;
    EXPECT_EQ(copy, *c);
    EXPECT_EQ(copy.to_bytes(), c->to_bytes());
    EXPECT_EQ(*Cid::from_bytes(c->to_bytes()), *c);
    Cid moved = std::move(copy);
    EXPECT_EQ(moved, *c);
    EXPECT_FALSE(copy.is_valid());  // NOLINT(bugprone-use-after-move): moved-from is empty
    Cid assigned = small;
    assigned = *c;
    EXPECT_EQ(assigned, *c);
    assigned = std::move(moved);
    EXPECT_EQ(assigned, *c);
    assigned = assigned;  // NOLINT: self-assignment is harmless
    EXPECT_EQ(assigned, *c);
  }
  EXPECT_EQ(large.multihash().size(), 66u);
  EXPECT_EQ(large.hash_code(), 0x13u);
  EXPECT_EQ(ident.digest().size(), 300u);
  EXPECT_NE(small, large);
  EXPECT_TRUE((small < large) != (large < small));
  EXPECT_TRUE((large < ident) != (ident < large));
}

TEST(Cid, RejectsBadInput) {
  for (const char* s : {"", "Qm", "QmQg1v4o9xdT3Q14wh4S7dxZkDjyZ9ssFzFzyep1YrVJB0", "bafy", "b",
                        "xafyreidj5idub6mapiupjwjsyyxhyhedxycv4vihfsicm2vt46o7morwlm",
                        "bafyreidj5idub6mapiupjwjsyyxhyhedxycv4vihfsicm2vt46o7morwl",
                        "zQmQg1v4o9xdT3Q14wh4S7dxZkDjyZ9ssFzFzyep1YrVJBY"}) {
    auto c = Cid::parse(s);
    EXPECT_FALSE(c) << s;
    if (!c) {
      EXPECT_EQ(c.error().kind, "cid");
    }
  }
  EXPECT_FALSE(Cid::from_bytes(Bytes{}));
  EXPECT_FALSE(Cid::from_bytes(Bytes{0x02, 0x71, 0x12, 0x00}));  // version 2
  EXPECT_FALSE(Cid::from_bytes(Bytes{0x01, 0x71, 0x12, 0x05, 0x00}));  // digest runs past the end
  Bytes ok{0x01, 0x55, 0x00, 0x01, 0xaa};
  EXPECT_TRUE(Cid::from_bytes(ok));
  ok.push_back(0);
  EXPECT_FALSE(Cid::from_bytes(ok));
  size_t used = 0;
  EXPECT_TRUE(Cid::read_prefix(ok, used));
  EXPECT_EQ(used, 5u);
}

}  // namespace
}  // namespace ipvm::ipld
