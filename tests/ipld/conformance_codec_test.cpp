// ipld/codec-fixtures: every dag-cbor and dag-json block decodes, re-encodes to the same bytes,
// has the CID in its file name, and converts to the other codec's exact bytes and CID.
// DAG-PB is optional for ipvm and not implemented: .dag-pb files and negative-fixtures/dag-pb
// are skipped explicitly (counted below).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "ipld/cid.h"
#include "ipld/dag_cbor.h"
#include "ipld/dag_json.h"

namespace fs = std::filesystem;

namespace ipvm::ipld {
namespace {

const fs::path kRoot = fs::path(IPVM_CONFORMANCE_DIR) / "ipld-codec-fixtures";

Bytes read_file(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  std::string s = ss.str();
  return Bytes(s.begin(), s.end());
}

struct Block {
  Cid cid;
  Bytes bytes;
};

Result<Value> decode(const std::string& codec, const Bytes& b) {
  return codec == "dag-cbor" ? dag_cbor_decode(b) : dag_json_decode(b);
}
Bytes encode(const std::string& codec, const Value& v) {
  return codec == "dag-cbor" ? dag_cbor_encode(v) : to_bytes(dag_json_encode(v));
}
uint64_t codec_code(const std::string& codec) {
  return codec == "dag-cbor" ? codec::kDagCbor : codec::kDagJson;
}

TEST(ConformanceCodec, EveryFixtureRoundTripsAndConverts) {
  ASSERT_TRUE(fs::is_directory(kRoot / "fixtures")) << kRoot;
  size_t fixtures = 0, blocks = 0, conversions = 0, skipped_pb = 0;
  for (const auto& dir : fs::directory_iterator(kRoot / "fixtures")) {
    if (!dir.is_directory()) continue;
    std::map<std::string, Block> by_codec;
    for (const auto& f : fs::directory_iterator(dir.path())) {
      std::string ext = f.path().extension().string();
      if (ext.empty()) continue;
      ext = ext.substr(1);
      if (ext == "dag-pb") {
        ++skipped_pb;
        continue;
      }
      if (ext != "dag-cbor" && ext != "dag-json") continue;
      auto cid = Cid::parse(f.path().stem().string());
      ASSERT_TRUE(cid) << f.path() << ": " << cid.error().message;
      by_codec[ext] = Block{*cid, read_file(f.path())};
    }
    std::string name = dir.path().filename().string();
    ASSERT_EQ(by_codec.size(), 2u) << name;
    ++fixtures;
    for (const auto& [codec, block] : by_codec) {
      SCOPED_TRACE(name + " " + codec);
      EXPECT_EQ(block.cid.codec(), codec_code(codec));
      EXPECT_TRUE(block.cid.verify(block.bytes));
      auto v = decode(codec, block.bytes);
      ASSERT_TRUE(v) << v.error().to_string();
      EXPECT_EQ(encode(codec, *v), block.bytes);
      ++blocks;
      for (const auto& [other, target] : by_codec) {
        if (other == codec) continue;
        Bytes converted = encode(other, *v);
        EXPECT_EQ(converted, target.bytes) << "converted to " << other;
        auto cid = Cid::of(codec_code(other), converted, target.cid.hash_code());
        ASSERT_TRUE(cid);
        EXPECT_EQ(*cid, target.cid);
        ++conversions;
      }
    }
  }
  // The suite as vendored: 128 fixtures with both codecs; 17 of them also carry DAG-PB.
  EXPECT_EQ(fixtures, 128u);
  EXPECT_EQ(blocks, 256u);
  EXPECT_EQ(conversions, 256u);
  EXPECT_EQ(skipped_pb, 17u);
  std::printf("codec fixtures: %zu fixtures, %zu blocks, %zu conversions; %zu dag-pb blocks skipped\n",
              fixtures, blocks, conversions, skipped_pb);
}

// negative-fixtures/<codec>/decode/*.json: [{"name", "hex", "error"}] blocks a decoder must reject.
TEST(ConformanceCodec, EveryNegativeFixtureIsRejected) {
  size_t rejected = 0, skipped = 0;
  for (const auto& codec_dir : fs::directory_iterator(kRoot / "negative-fixtures")) {
    std::string codec = codec_dir.path().filename().string();
    for (const auto& mode_dir : fs::directory_iterator(codec_dir.path())) {
      std::string mode = mode_dir.path().filename().string();
      for (const auto& f : fs::directory_iterator(mode_dir.path())) {
        if (codec == "dag-pb") {
          ++skipped;  // DAG-PB is optional and not implemented
          continue;
        }
        ASSERT_EQ(mode, "decode") << f.path() << ": only decode negatives exist for " << codec;
        Bytes text = read_file(f.path());
        auto list = dag_json_decode(text);
        ASSERT_TRUE(list && list->is_list()) << f.path();
        for (const Value& entry : list->as_list()) {
          const Value* name = entry.find("name");
          const Value* hex = entry.find("hex");
          ASSERT_TRUE(name && hex && hex->is_string()) << f.path();
          Bytes block;
          ASSERT_TRUE(from_hex(hex->as_string(), block));
          auto r = decode(codec, block);
          EXPECT_FALSE(r) << codec << " accepted negative fixture '" << name->as_string() << "'";
          if (!r) {
            EXPECT_EQ(r.error().kind, codec);
            // The upstream expectation names the key, e.g. `map key "foo"`.
            const Value* expected = entry.find("error");
            if (expected && expected->is_string() &&
                expected->as_string().find("\"foo\"") != std::string::npos) {
              EXPECT_NE(r.error().message.find("\"foo\""), std::string::npos) << r.error().message;
            }
          }
          ++rejected;
        }
      }
    }
  }
  EXPECT_EQ(rejected, 2u);
  EXPECT_EQ(skipped, 3u);
  std::printf("negative fixtures: %zu rejected; %zu dag-pb files skipped\n", rejected, skipped);
}

}  // namespace
}  // namespace ipvm::ipld
