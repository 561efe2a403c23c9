// `ipvm wasm validate` / `ipvm wasm run` on text-format modules (the binary is $IPVM_BIN).
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <sys/wait.h>

namespace {

namespace fs = std::filesystem;

struct CliRun {
  int status = -1;
  std::string out;  // stdout and stderr
};

CliRun run(const std::string& args) {
  CliRun r;
  const char* bin = std::getenv("IPVM_BIN");
  std::string cmd = std::string(bin) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

class WatCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::getenv("IPVM_BIN")) GTEST_SKIP() << "IPVM_BIN not set (run through ctest)";
    dir_ = fs::temp_directory_path() / ("ipvm-wat-cli-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return (dir_ / name).string();
  }
  fs::path dir_;
};

constexpr const char* kAdd = R"((module
  (func (export "add") (param $a i32) (param $b i32) (result i32)
    (i32.add (local.get $a) (local.get $b))))
)";

TEST_F(WatCli, ValidateAndRunText) {
  std::string wat = write("add.wat", kAdd);
  CliRun v = run("wasm validate " + wat);
  EXPECT_EQ(v.status, 0) << v.out;
  EXPECT_EQ(v.out, "valid\n");
  CliRun r = run("wasm run " + wat + " --invoke add 40 2");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(r.out, "42\n");
}

TEST_F(WatCli, TextIsRecognizedByContentNotName) {
  std::string txt = write("add.txt", kAdd);
  CliRun v = run("wasm validate " + txt);
  EXPECT_EQ(v.status, 0) << v.out;
  // A binary named .wat is read as a binary: (module) in the binary format.
  std::string bin = write("empty.wat", std::string("\0asm\1\0\0\0", 8));
  CliRun b = run("wasm validate " + bin);
  EXPECT_EQ(b.status, 0) << b.out;
}

TEST_F(WatCli, WasiCommandInText) {
  std::string wat = write("hello.wat", R"((module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hello from text\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 16))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))))");
  CliRun r = run("wasm run " + wat);
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(r.out, "hello from text\n");
}

TEST_F(WatCli, ErrorsAreOneLineWithPosition) {
  std::string bad = write("bad.wat", "(module\n  (func i32.frob))\n");
  CliRun r = run("wasm validate " + bad);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "ipvm: malformed: " + bad + ":2:9: unknown operator 'i32.frob'\n");
  std::string invalid = write("invalid.wat", "(module (func (result i32) (i64.const 1)))");
  CliRun i = run("wasm validate " + invalid);
  EXPECT_EQ(i.status, 1);
  EXPECT_NE(i.out.find("ipvm: invalid: type mismatch"), std::string::npos) << i.out;
  // A .wasm that is neither binary nor text keeps the binary decoder's error.
  std::string junk = write("junk.wasm", "not a module at all {");
  CliRun j = run("wasm validate " + junk);
  EXPECT_EQ(j.status, 1);
  EXPECT_NE(j.out.find("magic"), std::string::npos) << j.out;
}

}  // namespace
