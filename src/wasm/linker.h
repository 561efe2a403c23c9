// Name-based import resolution: (module, name) -> Extern. The spec runner `register`s instances
// under a module name; WASI defines host functions under "wasi_snapshot_preview1".
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "base/error.h"
#include "wasm/compiled_module.h"
#include "wasm/extern.h"
#include "wasm/instance.h"
#include "wasm/limits.h"

namespace ipvm::wasm {

class Store;

class Linker {
 public:
  // Later definitions of the same (module, name) replace earlier ones.
  void define(std::string module, std::string name, Extern value);
  // Defines every export of `instance` under `module`.
  void define_instance(const std::string& module, const Instance& instance);
  std::optional<Extern> lookup(const std::string& module, const std::string& name) const;

  // The module's imports in order. Error kind "unlinkable": "unknown import M.N" or
  // "incompatible import type for M.N" (kinds, function types, limits, global mutability/type).
  Result<std::vector<Extern>> resolve(const Module& module) const;
  // resolve + Store::instantiate.
  Result<Instance*> instantiate(Store& store, std::shared_ptr<const CompiledModule> module,
                                const CallLimits& limits = {}) const;

 private:
  // Ordered by (module, name); looked up with string views, so resolving allocates nothing.
  struct KeyLess {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      int c = std::string_view(a.first).compare(std::string_view(b.first));
      return c < 0 || (c == 0 && std::string_view(a.second) < std::string_view(b.second));
    }
  };
  std::map<std::pair<std::string, std::string>, Extern, KeyLess> defs_;
};

// Whether `actual` may satisfy an import declared as `expected` (spec "import subtyping").
bool extern_matches(const Import& expected, const Module& module, const Extern& actual);

}  // namespace ipvm::wasm
