#include "wasm/instance.h"

namespace ipvm::wasm {

std::optional<Extern> Instance::get_export(std::string_view name) const {
  for (const Export& e : module().exports) {
    if (e.name != name) continue;
    switch (e.kind) {
      case ExternKind::kFunc: return Extern::of(funcs[e.index]);
      case ExternKind::kTable: return Extern::of(tables[e.index]);
      case ExternKind::kMemory: return Extern::of(memories[e.index]);
      case ExternKind::kGlobal: return Extern::of(globals[e.index]);
    }
  }
  return std::nullopt;
}

Func* Instance::func(std::string_view name) const {
  auto e = get_export(name);
  return e && e->kind == ExternKind::kFunc ? e->func : nullptr;
}
Table* Instance::table(std::string_view name) const {
  auto e = get_export(name);
  return e && e->kind == ExternKind::kTable ? e->table : nullptr;
}
Memory* Instance::memory(std::string_view name) const {
  auto e = get_export(name);
  return e && e->kind == ExternKind::kMemory ? e->memory : nullptr;
}
GlobalVar* Instance::global(std::string_view name) const {
  auto e = get_export(name);
  return e && e->kind == ExternKind::kGlobal ? e->global : nullptr;
}

std::string Func::name() const {
  if (is_host()) return host_name;
  return instance->module().function_name(index);
}

}  // namespace ipvm::wasm
