// wasi_imports() resolves a module's WASI imports without a linker, with the same store function
// ids and the same "unlinkable" errors as define_wasi() + Linker.
#include <gtest/gtest.h>

#include "wasm/engine.h"
#include "wasm/wasi.h"
#include "wasm/wasi_process.h"
#include "wasm/wat.h"

namespace ipvm::wasm {
namespace {

std::shared_ptr<const CompiledModule> compile_wat(std::string_view text) {
  auto bytes = wat_to_wasm(text);
  EXPECT_TRUE(bytes) << bytes.error().to_string();
  auto cm = CompiledModule::compile(*bytes);
  EXPECT_TRUE(cm) << cm.error().to_string();
  return *cm;
}

constexpr std::string_view kTwoImports = R"((module
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func (param i32 i32) (result i32)))
  (memory 1)
  (func (export "f") (result i32) (call 1 (i32.const 0) (i32.const 0)))))";

TEST(WasiImportsTest, SameFunctionIdsAsTheLinkerPath) {
  auto cm = compile_wat(kTwoImports);
  Store a, b;
  Wasi wa, wb;
  Linker linker;
  define_wasi(a, linker, wa);
  auto via_linker = linker.resolve(cm->module());
  ASSERT_TRUE(via_linker);
  auto direct = wasi_imports(b, wb, cm->module());
  ASSERT_TRUE(direct) << direct.error().to_string();
  ASSERT_EQ(via_linker->size(), direct->size());
  for (size_t i = 0; i < direct->size(); ++i) {
    EXPECT_EQ((*via_linker)[i].func->id, (*direct)[i].func->id) << i;
    EXPECT_EQ((*via_linker)[i].func->host_name, (*direct)[i].func->host_name) << i;
  }
  EXPECT_EQ(a.num_funcs(), b.num_funcs());  // every WASI function exists either way
}

TEST(WasiImportsTest, TheResolvedFunctionsRunWasi) {
  auto cm = compile_wat(kTwoImports);
  auto p = WasiProcess::create(cm, WasiState{});
  ASSERT_TRUE(p) << p.error().to_string();
  auto f = (*p)->instance->get_export("f");
  ASSERT_TRUE(f && f->func);
  Outcome o = (*p)->store->call(f->func, {});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o.results.at(0).as_i32(), 0);  // args_get with no args succeeds
  EXPECT_EQ((*p)->wasi->state().calls, 1u);
}

TEST(WasiImportsTest, UnknownAndMistypedImportsAreUnlinkable) {
  Store s;
  Wasi w;
  auto unknown = compile_wat(R"((module (import "wasi_snapshot_preview1" "no_such_call" (func))))");
  auto r = wasi_imports(s, w, unknown->module());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, "unlinkable");
  EXPECT_EQ(r.error().message, "unknown import wasi_snapshot_preview1.no_such_call");

  auto other = compile_wat(R"((module (import "env" "fd_write" (func))))");
  r = wasi_imports(s, w, other->module());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "unknown import env.fd_write");

  auto mistyped = compile_wat(R"((module (import "wasi_snapshot_preview1" "fd_write" (func (param i32)))))");
  r = wasi_imports(s, w, mistyped->module());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "incompatible import type for wasi_snapshot_preview1.fd_write");
}

}  // namespace
}  // namespace ipvm::wasm
