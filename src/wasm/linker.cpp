#include "wasm/linker.h"

#include <fmt/format.h>

#include "wasm/store.h"

namespace ipvm::wasm {
namespace {

bool limits_match(uint32_t actual_min, std::optional<uint32_t> actual_max, const Limits& expected) {
  if (actual_min < expected.min) return false;
  if (expected.max) {
    if (!actual_max || *actual_max > *expected.max) return false;
  }
  return true;
}

}  // namespace

bool extern_matches(const Import& expected, const Module& module, const Extern& actual) {
  if (expected.kind != actual.kind) return false;
  switch (expected.kind) {
    case ExternKind::kFunc:
      return actual.func && expected.func_type < module.types.size() &&
             *actual.func->type == module.types[expected.func_type];
    case ExternKind::kTable: {
      if (!actual.table) return false;
      TableType t = actual.table->type();
      return t.elem == expected.table.elem && limits_match(t.limits.min, t.limits.max, expected.table.limits);
    }
    case ExternKind::kMemory: {
      if (!actual.memory) return false;
      MemoryType t = actual.memory->type();
      return limits_match(t.limits.min, t.limits.max, expected.memory.limits);
    }
    case ExternKind::kGlobal:
      return actual.global && actual.global->type.type == expected.global.type &&
             actual.global->type.mutable_ == expected.global.mutable_;
  }
  return false;
}

void Linker::define(std::string module, std::string name, Extern value) {
  defs_.insert_or_assign(std::pair<std::string, std::string>(std::move(module), std::move(name)), value);
}

void Linker::define_instance(const std::string& module, const Instance& instance) {
  for (const Export& e : instance.module().exports)
    if (auto x = instance.get_export(e.name)) define(module, e.name, *x);
}

std::optional<Extern> Linker::lookup(const std::string& module, const std::string& name) const {
  auto it = defs_.find(std::pair<std::string_view, std::string_view>(module, name));
  if (it == defs_.end()) return std::nullopt;
  return it->second;
}

Result<std::vector<Extern>> Linker::resolve(const Module& module) const {
  std::vector<Extern> out;
  out.reserve(module.imports.size());
  for (const Import& imp : module.imports) {
    auto e = lookup(imp.module, imp.name);
    if (!e) return failf("unlinkable", "unknown import {}.{}", imp.module, imp.name);
    if (!extern_matches(imp, module, *e))
      return failf("unlinkable", "incompatible import type for {}.{}", imp.module, imp.name);
    out.push_back(*e);
  }
  return out;
}

Result<Instance*> Linker::instantiate(Store& store, std::shared_ptr<const CompiledModule> module,
                                      const CallLimits& limits) const {
  IPVM_TRY(auto imports, resolve(module->module()));
  return store.instantiate(std::move(module), imports, limits);
}

}  // namespace ipvm::wasm
