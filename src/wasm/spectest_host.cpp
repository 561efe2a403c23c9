// The `spectest` host module of the WebAssembly spec interpreter (its README lists these exports).
#include <cstdio>

#include <fmt/format.h>

#include "wasm/spectest.h"

namespace ipvm::wasm {

void define_spectest_module(Store& store, Linker& linker, bool verbose) {
  auto print = [&](const char* name, std::vector<ValType> params) {
    std::string n = name;
    HostFunction fn = [n, verbose](HostContext&, std::span<const Value> args, std::span<Value>) -> HostStatus {
      if (verbose) {
        std::string line = "called host spectest." + n + "(";
        for (size_t i = 0; i < args.size(); ++i) {
          const Value& v = args[i];
          if (i) line += ", ";
          switch (v.type) {
            case ValType::kI32: line += fmt::format("i32:{}", v.as_i32()); break;
            case ValType::kI64: line += fmt::format("i64:{}", v.as_i64()); break;
            case ValType::kF32: line += fmt::format("f32:{}", v.as_f32()); break;
            case ValType::kF64: line += fmt::format("f64:{}", v.as_f64()); break;
            default: line += "ref"; break;
          }
        }
        std::printf("%s) =>\n", line.c_str());
      }
      return {};
    };
    Func* f = store.create_host_func(FuncType{std::move(params), {}}, std::move(fn), "spectest." + n);
    linker.define("spectest", name, Extern::of(f));
  };
  print("print", {});
  print("print_i32", {ValType::kI32});
  print("print_i64", {ValType::kI64});
  print("print_f32", {ValType::kF32});
  print("print_f64", {ValType::kF64});
  print("print_i32_f32", {ValType::kI32, ValType::kF32});
  print("print_f64_f64", {ValType::kF64, ValType::kF64});

  auto global = [&](const char* name, Value v) {
    linker.define("spectest", name, Extern::of(store.create_global(GlobalType{v.type, false}, v)));
  };
  global("global_i32", Value::i32(666));
  global("global_i64", Value::i64(666));
  global("global_f32", Value::f32(666.6f));
  global("global_f64", Value::f64(666.6));

  linker.define("spectest", "table",
                Extern::of(store.create_table(TableType{ValType::kFuncRef, Limits{10, 20}},
                                              Value::null(ValType::kFuncRef))));
  linker.define("spectest", "memory", Extern::of(store.create_memory(MemoryType{Limits{1, 2}})));
}

}  // namespace ipvm::wasm
