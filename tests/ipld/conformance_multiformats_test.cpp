// multiformats test vectors: multibase/*.csv (one input in every base) and
// multihash/test_cases.csv (algorithm, bits, input text, expected multihash hex).
//
// Skipped multibase rows, by design (the list of bases does not include them):
// base2, base8, base10, base32z, base58flickr, base256emoji. Every other row is checked.
// Multihash: every row is checked ("sha3" in that file means sha3-512; rows with fewer bits
// than the function's digest are truncated multihashes).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "ipld/multibase.h"
#include "ipld/multihash.h"

namespace fs = std::filesystem;

namespace ipvm::ipld {
namespace {

const fs::path kRoot = fs::path(IPVM_CONFORMANCE_DIR) / "multiformats";

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return std::string(s);
}

std::string unquote(std::string s) {
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}

// The CSVs write the input with \xNN escapes for non-printable bytes.
Bytes unescape(const std::string& s) {
  Bytes out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] == 'x') {
      Bytes b;
      EXPECT_TRUE(from_hex(s.substr(i + 2, 2), b));
      out.push_back(b[0]);
      i += 3;
    } else {
      out.push_back(static_cast<uint8_t>(s[i]));
    }
  }
  return out;
}

TEST(ConformanceMultiformats, MultibaseRows) {
  const std::set<std::string> unsupported = {"base2",  "base8",        "base10",
                                             "base32z", "base58flickr", "base256emoji"};
  size_t checked = 0, skipped = 0;
  for (const char* file : {"basic.csv", "leading_zero.csv", "two_leading_zeros.csv", "case_insensitivity.csv"}) {
    std::ifstream in(kRoot / "multibase" / file);
    ASSERT_TRUE(in) << file;
    std::string line;
    std::getline(in, line);
    size_t comma = line.find(',');
    ASSERT_NE(comma, std::string::npos);
    bool canonical = trim(line.substr(0, comma)) == "encoding";
    Bytes input = unescape(unquote(trim(line.substr(comma + 1))));
    while (std::getline(in, line)) {
      if (trim(line).empty()) continue;
      comma = line.find(',');
      ASSERT_NE(comma, std::string::npos) << line;
      std::string name = trim(line.substr(0, comma));
      std::string encoded = unquote(trim(line.substr(comma + 1)));
      if (unsupported.count(name)) {
        ++skipped;
        continue;
      }
      SCOPED_TRACE(std::string(file) + " " + name);
      auto base = base_from_name(name);
      ASSERT_TRUE(base) << name;
      auto decoded = multibase_decode(encoded);
      ASSERT_TRUE(decoded) << decoded.error().message;
      EXPECT_EQ(*decoded, input);
      // Non-canonical rows (mixed case) only have to decode.
      if (canonical) {
        EXPECT_EQ(multibase_encode(*base, input), encoded);
      }
      ++checked;
    }
  }
  // 17 supported bases in each of three files (identity has no row), 12 mixed-case rows.
  EXPECT_EQ(checked, 17u * 3 + 12u);
  EXPECT_EQ(skipped, 6u * 3 + 0u);
  std::printf("multibase: %zu rows checked, %zu rows skipped (unsupported bases)\n", checked, skipped);
}

TEST(ConformanceMultiformats, MultihashRows) {
  std::ifstream in(kRoot / "multihash" / "test_cases.csv");
  ASSERT_TRUE(in);
  std::string line;
  std::getline(in, line);  // header
  size_t checked = 0;
  while (std::getline(in, line)) {
    if (trim(line).empty()) continue;
    std::vector<std::string> cols;
    size_t start = 0;
    for (size_t pos; (pos = line.find(',', start)) != std::string::npos; start = pos + 1)
      cols.push_back(trim(line.substr(start, pos - start)));
    cols.push_back(trim(line.substr(start)));
    ASSERT_EQ(cols.size(), 4u) << line;
    std::string alg = cols[0] == "sha3" ? "sha3-512" : cols[0];
    auto code = hash_code_from_name(alg);
    ASSERT_TRUE(code) << alg;
    size_t bits = std::stoul(cols[1]);
    // The input column is hashed as its ASCII text, not hex-decoded.
    Bytes input = to_bytes(cols[2]);
    auto mh = multihash_compute(*code, input, bits / 8);
    ASSERT_TRUE(mh) << line << ": " << mh.error().message;
    EXPECT_EQ(to_hex(*mh), cols[3]) << line;
    Bytes expected;
    ASSERT_TRUE(from_hex(cols[3], expected));
    EXPECT_TRUE(multihash_verify(expected, input)) << line;
    ++checked;
  }
  EXPECT_EQ(checked, 260u);
  std::printf("multihash: %zu rows checked, 0 skipped\n", checked);
}

}  // namespace
}  // namespace ipvm::ipld
