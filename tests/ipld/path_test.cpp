// IPLD path resolution across dag-cbor, dag-json and raw blocks.
#include <gtest/gtest.h>

#include <map>

#include "ipld/dag_cbor.h"
#include "ipld/dag_json.h"
#include "ipld/multihash.h"
#include "ipld/path.h"

namespace ipvm::ipld {
namespace {

struct Blocks {
  std::map<Cid, Bytes> blocks;
  int loads = 0;
  Cid add(uint64_t c, Bytes data) {
    auto cid = Cid::of(c, data);
    EXPECT_TRUE(cid);
    blocks[*cid] = std::move(data);
    return *cid;
  }
  Cid cbor(const Value& v) { return add(codec::kDagCbor, dag_cbor_encode(v)); }
  Cid json(const Value& v) { return add(codec::kDagJson, to_bytes(dag_json_encode(v))); }
  BlockLoader loader() {
    return [this](const Cid& c) -> Result<Bytes> {
      ++loads;
      auto it = blocks.find(c);
      if (it == blocks.end()) return failf("store.not_found", "block {} is not in the store", c.to_string());
      return it->second;
    };
  }
};

// The talk's example: root/company/about/ceo, each hop a separate block.
struct Company : Blocks {
  Cid about, company, root, logo;
  Company() {
    logo = add(codec::kRaw, to_bytes("PNG..."));
    about = json(Value::map({{"ceo", Value::string("Alice")},
                             {"founded", Value::integer(2024)},
                             {"offices", Value::list({Value::string("Berlin"), Value::string("Vancouver")})}}));
    company = cbor(Value::map({{"name", Value::string("Fission")}, {"about", Value::link(about)},
                               {"logo", Value::link(logo)}}));
    root = cbor(Value::map({{"company", Value::link(company)}, {"list", Value::list({Value::link(company)})}}));
  }
  Result<Resolved> get(const std::string& suffix, bool follow = true) {
    return resolve_path(root.to_string() + suffix, loader(), follow);
  }
};

TEST(Path, ResolvesAcrossBlocksAndCodecs) {
  Company c;
  auto r = c.get("/company/about/ceo");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->value, Value::string("Alice"));
  EXPECT_EQ(r->block, c.about);
  EXPECT_EQ(r->consumed, (std::vector<std::string>{"company", "about", "ceo"}));
}

TEST(Path, ListIndexes) {
  Company c;
  auto r = c.get("/list/0/about/offices/1");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->value, Value::string("Vancouver"));
  EXPECT_FALSE(c.get("/list/1"));
  EXPECT_FALSE(c.get("/list/01"));
  EXPECT_FALSE(c.get("/list/-1"));
  EXPECT_FALSE(c.get("/list/x"));
}

TEST(Path, FinalLinkIsFollowedUnlessAsked) {
  Company c;
  auto r = c.get("/company/about");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->value.is_map());
  EXPECT_EQ(r->block, c.about);
  auto link = c.get("/company/about", false);
  ASSERT_TRUE(link);
  EXPECT_EQ(link->value, Value::link(c.about));
  EXPECT_EQ(link->block, c.company);
}

TEST(Path, RawBlocksAreBytes) {
  Company c;
  auto r = c.get("/company/logo");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->value, Value::bytes(to_bytes("PNG...")));
  auto deeper = c.get("/company/logo/x");
  ASSERT_FALSE(deeper);
  EXPECT_NE(deeper.error().message.find("cannot look up \"x\" in a bytes at /company/logo"), std::string::npos)
      << deeper.error().message;
}

TEST(Path, BareCidAndPrefixes) {
  Company c;
  auto r = resolve_path(c.root.to_string(), c.loader());
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->value.find("company"));
  EXPECT_TRUE(resolve_path("/ipfs/" + c.root.to_string() + "/company/name", c.loader()));
  EXPECT_TRUE(resolve_path(c.root.to_string() + "/company/name/", c.loader()));
  EXPECT_FALSE(resolve_path(c.root.to_string() + "/company//name", c.loader()));
  EXPECT_FALSE(resolve_path("", c.loader()));
  EXPECT_FALSE(resolve_path("/company", c.loader()));
  EXPECT_FALSE(resolve_path("notacid/x", c.loader()));
}

TEST(Path, ErrorsNameTheSegment) {
  Company c;
  auto r = c.get("/company/about/cfo");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, "path");
  EXPECT_NE(r.error().message.find("no key \"cfo\" in the map at /company/about"), std::string::npos)
      << r.error().message;
  auto s = c.get("/company/name/first");
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("in a string at /company/name"), std::string::npos) << s.error().message;
}

TEST(Path, MissingBlockSaysWhere) {
  Blocks b;
  auto gone = Cid::of(codec::kDagCbor, dag_cbor_encode(Value::string("gone")));
  Cid root = b.cbor(Value::map({{"next", Value::link(*gone)}}));
  auto r = resolve_path(root.to_string() + "/next/x", b.loader());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, "store.not_found");
  EXPECT_NE(r.error().message.find("(at /next)"), std::string::npos) << r.error().message;
  auto missing_root = resolve_path(gone->to_string(), b.loader());
  ASSERT_FALSE(missing_root);
}

TEST(Path, UnsupportedCodecIsAnError) {
  Blocks b;
  Cid jose = b.add(0x85, Bytes{1, 2, 3});  // dag-jose
  auto r = resolve_path(jose.to_string() + "/x", b.loader());
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("codec 0x85 is not"), std::string::npos) << r.error().message;
}

TEST(Path, ThroughDagPb) {
  // An empty PBNode, then one with Data and a named link to a raw block.
  Blocks b;
  Cid empty = b.add(codec::kDagPb, Bytes{});
  auto r = resolve_path(empty.to_string() + "/Links", b.loader());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->value, Value::list({}));
  Cid leaf = b.add(codec::kRaw, to_bytes("leaf"));
  Bytes hash = leaf.to_bytes();
  Bytes link{0x0a, static_cast<uint8_t>(hash.size())};
  link.insert(link.end(), hash.begin(), hash.end());
  link.insert(link.end(), {0x12, 0x01, 'f', 0x18, 0x04});
  Bytes node{0x12, static_cast<uint8_t>(link.size())};
  node.insert(node.end(), link.begin(), link.end());
  node.insert(node.end(), {0x0a, 0x02, 0x08, 0x01});
  Cid dir = b.add(codec::kDagPb, node);
  auto name = resolve_path(dir.to_string() + "/Links/0/Name", b.loader());
  ASSERT_TRUE(name) << name.error().message;
  EXPECT_EQ(name->value, Value::string("f"));
  auto target = resolve_path(dir.to_string() + "/Links/0/Hash", b.loader());
  ASSERT_TRUE(target) << target.error().message;
  EXPECT_EQ(target->value, Value::bytes(to_bytes("leaf")));
  auto data = resolve_path(dir.to_string() + "/Data", b.loader());
  ASSERT_TRUE(data);
  EXPECT_EQ(data->value, Value::bytes(Bytes{0x08, 0x01}));
  // Broken protobuf is an error, not a crash.
  Cid junk = b.add(codec::kDagPb, Bytes{0x12, 0x05, 0x0a});
  EXPECT_FALSE(resolve_path(junk.to_string(), b.loader()));
}

TEST(Path, CorruptBlockIsAnError) {
  Blocks b;
  Bytes junk{0xff, 0x00};
  auto cid = Cid::of(codec::kDagCbor, junk);
  ASSERT_TRUE(cid);
  b.blocks[*cid] = junk;
  auto r = resolve_path(cid->to_string(), b.loader());
  ASSERT_FALSE(r);
}

TEST(Path, DecodeBlockAndLinks) {
  Company c;
  auto links = block_links(c.root, c.blocks[c.root]);
  ASSERT_TRUE(links);
  EXPECT_EQ(*links, (std::vector<Cid>{c.company, c.company}));
  auto none = block_links(c.logo, c.blocks[c.logo]);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  auto unknown = Cid::v1(0x300000, *multihash_compute(0x12, as_bytes("x")));
  EXPECT_FALSE(block_links(unknown, as_bytes("x")));
}

}  // namespace
}  // namespace ipvm::ipld
