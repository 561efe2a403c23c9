// Shared setup for runtime tests: a temporary store, a node key, an executor, the example modules.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "base/file.h"
#include "ipld/dag_json.h"
#include "runtime/executor.h"
#include "ucan/signer.h"

namespace ipvm::runtime::testing {

inline std::string example_path(const std::string& name) {
  return std::string(IPVM_BINARY_DIR) + "/examples/" + name + ".wasm";
}

class RuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ipvm-runtime-test-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    signer_ = std::make_shared<ucan::Ed25519Signer>(ucan::Ed25519Signer::generate());
    open();
  }
  void TearDown() override {
    exec_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  // (Re)opens the store and the executor, as a restarted node would.
  void open(ExecutorOptions opts = {}) {
    exec_.reset();
    store_.reset();
    auto st = store::Store::open_home(dir_);
    ASSERT_TRUE(st) << st.error().to_string();
    store_ = std::move(*st);
    auto ex = Executor::create(*store_, signer_, std::move(opts));
    ASSERT_TRUE(ex) << ex.error().to_string();
    exec_ = std::move(*ex);
  }
  // Stores an example module; skips the test when examples were not built.
  ipld::Cid module(const std::string& name) {
    auto bytes = read_file(example_path(name));
    if (!bytes) return {};
    auto cid = exec_->put_module(*bytes);
    EXPECT_TRUE(cid) << cid.error().to_string();
    return cid ? *cid : ipld::Cid();
  }
  static ipld::List params(std::string_view json) {
    auto v = ipld::dag_json_decode(json);
    EXPECT_TRUE(v && v->is_list()) << json;
    return v && v->is_list() ? v->as_list() : ipld::List{};
  }
  std::shared_ptr<const ucan::Invocation> invoke(const ipld::Cid& mod, std::string_view fun, std::string_view json_params,
                                                 std::string_view sig = {}, ipld::Value meta = {}, bool pure = true,
                                                 int64_t iat = 1) {
    ucan::InvocationParams p;
    p.sub = exec_->did();
    p.cmd = std::string(kWasmRunCmd);
    p.args = make_wasm_args(mod, fun, params(json_params), sig);
    p.meta = std::move(meta);
    if (pure) p.nonce = Bytes{};
    p.iat = iat;
    auto inv = exec_->invoke(p);
    EXPECT_TRUE(inv) << inv.error().to_string();
    return inv ? *inv : nullptr;
  }
  TaskOutcome run(const std::shared_ptr<const ucan::Invocation>& inv, RunOptions o = {}) {
    auto out = exec_->run(inv, o);
    EXPECT_TRUE(out) << out.error().to_string();
    return out ? *out : TaskOutcome{};
  }
  static std::string out_json(const TaskOutcome& o) { return ipld::dag_json_encode(o.receipt->out); }

  std::string dir_;
  std::shared_ptr<ucan::Ed25519Signer> signer_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Executor> exec_;
};

#define IPVM_NEED_MODULE(var, name)                                             \
  ipld::Cid var = module(name);                                                 \
  if (!var.is_valid()) GTEST_SKIP() << "examples not built (" << name << ")"

}  // namespace ipvm::runtime::testing
