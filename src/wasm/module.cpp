#include "wasm/module.h"

#include <fmt/format.h>

namespace ipvm::wasm {

const char* valtype_name(ValType t) {
  switch (t) {
    case ValType::kI32: return "i32";
    case ValType::kI64: return "i64";
    case ValType::kF32: return "f32";
    case ValType::kF64: return "f64";
    case ValType::kV128: return "v128";
    case ValType::kFuncRef: return "funcref";
    case ValType::kExternRef: return "externref";
  }
  return "?";
}

const char* extern_kind_name(ExternKind k) {
  switch (k) {
    case ExternKind::kFunc: return "func";
    case ExternKind::kTable: return "table";
    case ExternKind::kMemory: return "memory";
    case ExternKind::kGlobal: return "global";
  }
  return "?";
}

// The imports of one kind, in order, are the first entries of its index space. Modules keep
// imports in one list, so look up the n-th import of a kind by a scan; modules have few imports.
namespace {
const Import& nth_import(const Module& m, ExternKind kind, uint32_t n) {
  for (const Import& imp : m.imports) {
    if (imp.kind != kind) continue;
    if (n == 0) return imp;
    --n;
  }
  // Precondition violated (index out of range); callers validate indices first.
  return m.imports.front();
}
}  // namespace

const FuncType& Module::func_type(uint32_t index) const {
  if (index < num_imported_funcs) {
    if (!imported_func_types.empty()) return types[imported_func_types[index]];
    return types[nth_import(*this, ExternKind::kFunc, index).func_type];
  }
  return types[functions[index - num_imported_funcs].type];
}

TableType Module::table_type(uint32_t index) const {
  if (index < num_imported_tables) return nth_import(*this, ExternKind::kTable, index).table;
  return tables[index - num_imported_tables];
}

MemoryType Module::memory_type(uint32_t index) const {
  if (index < num_imported_memories) return nth_import(*this, ExternKind::kMemory, index).memory;
  return memories[index - num_imported_memories];
}

GlobalType Module::global_type(uint32_t index) const {
  if (index < num_imported_globals) {
    if (!imported_global_types.empty()) return imported_global_types[index];
    return nth_import(*this, ExternKind::kGlobal, index).global;
  }
  return globals[index - num_imported_globals].type;
}

std::string Module::function_name(uint32_t index) const {
  for (const auto& [i, name] : function_names) {
    if (i == index) return name;
  }
  for (const Export& e : exports) {
    if (e.kind == ExternKind::kFunc && e.index == index) return e.name;
  }
  return fmt::format("func[{}]", index);
}

}  // namespace ipvm::wasm
