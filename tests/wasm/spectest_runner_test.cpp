// The spec test runner itself: it must fail wrong expectations, not just pass right ones.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "wasm/spectest.h"

namespace ipvm::wasm {
namespace {

// (module (func (export "f") (param i32) (result i32) local.get 0)
//         (func (export "nan") (result f32) f32.const nan:0x400001))
const unsigned char kModule[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0a, 0x02, 0x60, 0x01, 0x7f, 0x01, 0x7f,
    0x60, 0x00, 0x01, 0x7d, 0x03, 0x03, 0x02, 0x00, 0x01, 0x07, 0x0b, 0x02, 0x01, 0x66, 0x00, 0x00,
    0x03, 0x6e, 0x61, 0x6e, 0x00, 0x01, 0x0a, 0x0e, 0x02, 0x04, 0x00, 0x20, 0x00, 0x0b, 0x07, 0x00,
    0x43, 0x01, 0x00, 0xc0, 0x7f, 0x0b};

class SpecRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("ipvm-spectest-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    write("m.wasm", std::string(reinterpret_cast<const char*>(kModule), sizeof kModule));
    write("truncated.wasm", std::string(reinterpret_cast<const char*>(kModule), 19));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const std::string& name, const std::string& data) {
    std::ofstream(dir_ / name, std::ios::binary) << data;
  }
  std::string path(const std::string& name) { return (dir_ / name).string(); }

  std::filesystem::path dir_;
};

std::string invoke(const char* field, const char* args) {
  return std::string(R"({"type": "invoke", "field": ")") + field + R"(", "args": [)" + args + "]}";
}

TEST_F(SpecRunnerTest, CountsPassesAndFailures) {
  write("t.json", std::string(R"({"source_filename": "t.wast", "commands": [
    {"type": "module", "line": 1, "name": "$M", "filename": "m.wasm"},
    {"type": "assert_return", "line": 2, "action": )") + invoke("f", R"({"type": "i32", "value": "5"})") +
                      R"(, "expected": [{"type": "i32", "value": "5"}]},
    {"type": "assert_return", "line": 3, "action": )" + invoke("f", R"({"type": "i32", "value": "5"})") +
                      R"(, "expected": [{"type": "i32", "value": "6"}]},
    {"type": "assert_return", "line": 4, "action": )" + invoke("nan", "") +
                      R"(, "expected": [{"type": "f32", "value": "nan:arithmetic"}]},
    {"type": "assert_return", "line": 5, "action": )" + invoke("nan", "") +
                      R"(, "expected": [{"type": "f32", "value": "nan:canonical"}]},
    {"type": "assert_trap", "line": 6, "action": )" + invoke("f", R"({"type": "i32", "value": "1"})") +
                      R"(, "text": "unreachable", "expected": [{"type": "i32"}]},
    {"type": "assert_malformed", "line": 7, "filename": "x.wat", "text": "unexpected token", "module_type": "text"},
    {"type": "assert_invalid", "line": 8, "filename": "truncated.wasm", "text": "x", "module_type": "binary"},
    {"type": "assert_malformed", "line": 9, "filename": "m.wasm", "text": "x", "module_type": "binary"},
    {"type": "action", "line": 10, "action": {"type": "invoke", "module": "$M", "field": "f", "args": [{"type": "i32", "value": "1"}]}, "expected": [{"type": "i32"}]},
    {"type": "register", "line": 11, "name": "$M", "as": "M"},
    {"type": "assert_return", "line": 12, "action": {"type": "get", "field": "nope"}, "expected": [{"type": "i32", "value": "0"}]},
    {"type": "assert_return", "line": 13, "action": )" + invoke("f", R"({"type": "i32", "value": "4294967295"})") +
                      R"(, "expected": [{"type": "i32", "value": "4294967295"}]}
  ]})");
  write("x.wat", "(module (func i32.const))");  // malformed text: rejected by the text compiler
  auto r = run_spec_file(path("t.json"));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->passed, 7u);   // module, line 2, line 4, line 7, line 8, line 10, line 13
  EXPECT_EQ(r->failed, 5u);   // lines 3, 5, 6, 9, 12
  EXPECT_EQ(r->skipped, 0u);
  std::vector<uint64_t> lines;
  for (const auto& f : r->failures) lines.push_back(f.line);
  EXPECT_EQ(lines, (std::vector<uint64_t>{3, 5, 6, 9, 12}));
  EXPECT_NE(r->failures[0].message.find("expected i32:6, got i32:5"), std::string::npos) << r->failures[0].message;
}

TEST_F(SpecRunnerTest, UnlinkableAndSpectestImports) {
  // (module (import "spectest" "print_i32" (func (param i32))) (import "spectest" "global_i32" (global i32)))
  const unsigned char ok[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x01,
                              0x7f, 0x00, 0x02, 0x2d, 0x02, 0x08, 's',  'p',  'e',  'c',  't',  'e',  's',
                              't',  0x09, 'p',  'r',  'i',  'n',  't',  '_',  'i',  '3',  '2',  0x00, 0x00,
                              0x08, 's',  'p',  'e',  'c',  't',  'e',  's',  't',  0x0a, 'g',  'l',  'o',
                              'b',  'a',  'l',  '_',  'i',  '3',  '2',  0x03, 0x7f, 0x00};
  std::string good(reinterpret_cast<const char*>(ok), sizeof ok);
  std::string bad = good;
  bad[bad.find("print_i32") + 6] = 'x';  // spectest.print_x32 does not exist
  write("ok.wasm", good);
  write("bad.wasm", bad);
  write("t.json", R"({"commands": [
    {"type": "module", "line": 1, "filename": "ok.wasm"},
    {"type": "assert_unlinkable", "line": 2, "filename": "bad.wasm", "text": "unknown import", "module_type": "binary"},
    {"type": "assert_unlinkable", "line": 3, "filename": "ok.wasm", "text": "unknown import", "module_type": "binary"}
  ]})");
  auto r = run_spec_file(path("t.json"));
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->passed, 2u);
  EXPECT_EQ(r->failed, 1u);
  ASSERT_EQ(r->failures.size(), 1u);
  EXPECT_EQ(r->failures[0].line, 3u);
}

TEST_F(SpecRunnerTest, RejectsFilesThatAreNotCommandLists) {
  write("a.json", "{\"commands\": 3}");
  write("b.json", "not json");
  EXPECT_FALSE(run_spec_file(path("a.json")));
  EXPECT_FALSE(run_spec_file(path("b.json")));
  EXPECT_FALSE(run_spec_file(path("missing.json")));
}

}  // namespace
}  // namespace ipvm::wasm
