// Decoder and validator against the spec test suite's module expectations (no execution): every
// module decodes and validates, every assert_invalid / binary assert_malformed module is rejected.
// The .wast files are converted with wast2json into the build tree (the suite is read in place).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "base/file.h"
#include "wasm/decoder.h"
#include "wasm/validator.h"

namespace ipvm::wasm {
namespace {

namespace fs = std::filesystem;

std::string field(const std::string& line, const std::string& key) {
  std::string needle = "\"" + key + "\": \"";
  size_t p = line.find(needle);
  if (p == std::string::npos) return "";
  p += needle.size();
  size_t e = line.find('"', p);
  return line.substr(p, e - p);
}

std::string number_field(const std::string& line, const std::string& key) {
  std::string needle = "\"" + key + "\": ";
  size_t p = line.find(needle);
  if (p == std::string::npos) return "";
  p += needle.size();
  size_t e = line.find_first_of(",}", p);
  return line.substr(p, e - p);
}

Result<Module> load(const fs::path& path) {
  IPVM_TRY(Bytes bytes, read_file(path.string()));
  IPVM_TRY(Module m, decode_module(bytes));
  IPVM_TRY_STATUS(validate_module(m));
  return m;
}

TEST(SpecFront, DecodeAndValidateExpectations) {
  fs::path suite = fs::path(IPVM_CONFORMANCE_DIR) / "wasm-testsuite";
  if (!fs::exists(suite)) GTEST_SKIP() << "no spec suite at " << suite;
  if (std::system("command -v wast2json >/dev/null 2>&1") != 0) GTEST_SKIP() << "wast2json not installed";
  fs::path out = fs::path(IPVM_BINARY_DIR) / "spec-front";
  fs::create_directories(out);

  int files = 0, valid_ok = 0, invalid_ok = 0, malformed_ok = 0, malformed_as_malformed = 0;
  std::vector<std::string> failures;
  for (const auto& entry : fs::directory_iterator(suite)) {
    std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".wast" || name.rfind("simd_", 0) == 0) continue;
    std::string stem = entry.path().stem().string();
    fs::path json = out / (stem + ".json");
    if (!fs::exists(json) || fs::last_write_time(json) < fs::last_write_time(entry.path())) {
      std::string cmd = "wast2json '" + entry.path().string() + "' -o '" + json.string() + "' 2>/dev/null";
      ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    }
    ++files;
    std::ifstream in(json);
    std::string line;
    while (std::getline(in, line)) {
      std::string type = field(line, "type");
      std::string file = field(line, "filename");
      if (file.empty() || field(line, "module_type") == "text") continue;
      std::string where = name + ":" + number_field(line, "line");
      auto result = load(out / file);
      if (type == "module" || type == "assert_unlinkable" || type == "assert_uninstantiable") {
        if (result) {
          ++valid_ok;
        } else {
          failures.push_back(where + ": valid module rejected: " + result.error().to_string());
        }
      } else if (type == "assert_invalid") {
        if (!result) {
          ++invalid_ok;
        } else {
          failures.push_back(where + ": invalid module accepted (" + field(line, "text") + ")");
        }
      } else if (type == "assert_malformed") {
        if (!result) {
          ++malformed_ok;
          if (result.error().kind == "malformed") ++malformed_as_malformed;
        } else {
          failures.push_back(where + ": malformed module accepted (" + field(line, "text") + ")");
        }
      }
    }
  }
  for (const std::string& f : failures) ADD_FAILURE() << f;
  std::printf("spec front: %d files, %d valid modules accepted, %d invalid rejected, %d malformed rejected "
              "(%d as kind malformed), %zu failures\n",
              files, valid_ok, invalid_ok, malformed_ok, malformed_as_malformed, failures.size());
  EXPECT_EQ(files, 90);
}

}  // namespace
}  // namespace ipvm::wasm
