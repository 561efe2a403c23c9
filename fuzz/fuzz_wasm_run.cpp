// Compile, instantiate and run arbitrary bytes as a WebAssembly module under tight limits: must
// never crash, hang or allocate without bound. Every import is satisfied by a stub of the right
// type; every exported function is called with zero arguments and a small fuel budget.
#include <cstddef>
#include <cstdint>

#include "wasm/compiler.h"
#include "wasm/decoder.h"
#include "wasm/engine.h"

using namespace ipvm::wasm;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto decoded = decode_module(ipvm::ByteView(data, size));
  if (!decoded) return 0;
  // The compiler must also fail cleanly (not crash) on decodable but invalid bodies.
  (void)compile_code(*decoded);
  auto cm = CompiledModule::compile(std::move(*decoded));
  if (!cm) return 0;
  const Module& m = (*cm)->module();

  Store store;
  CallLimits limits;
  limits.fuel = 100000;
  limits.max_memory_pages = 64;
  limits.max_table_elements = 10000;
  limits.max_call_depth = 500;
  std::vector<Extern> imports;
  for (const Import& imp : m.imports) {
    switch (imp.kind) {
      case ExternKind::kFunc:
        imports.push_back(Extern::of(store.create_host_func(
            m.types[imp.func_type], [](HostContext&, std::span<const Value>, std::span<Value>) -> HostStatus {
              return {};
            })));
        break;
      case ExternKind::kTable: {
        if (imp.table.limits.min > limits.max_table_elements) return 0;
        imports.push_back(Extern::of(store.create_table(imp.table, Value::null(imp.table.elem))));
        break;
      }
      case ExternKind::kMemory:
        if (imp.memory.limits.min > limits.max_memory_pages) return 0;
        imports.push_back(Extern::of(store.create_memory(imp.memory)));
        break;
      case ExternKind::kGlobal:
        imports.push_back(Extern::of(store.create_global(imp.global, default_value(imp.global.type))));
        break;
    }
  }
  auto inst = store.instantiate(*cm, imports, limits);
  if (!inst) return 0;
  for (const Export& e : m.exports) {
    if (e.kind != ExternKind::kFunc) continue;
    Func* f = (*inst)->funcs[e.index];
    std::vector<Value> args;
    for (ValType t : f->type->params) args.push_back(default_value(t));
    (void)store.call(f, args, limits);
  }
  return 0;
}
