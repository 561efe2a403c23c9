// A Store owns every runtime object (instances, functions, tables, memories, globals) and gives
// each function and instance a stable id, so references and frames are plain integers. Objects
// live until the store is destroyed. A store is single-threaded; use one per task.
//
// Memories come from `memory_pool` when one is given (it must outlive the store): an embedder that
// makes a store per task then reuses wiped mappings instead of mapping fresh ones (memory.h).
#pragma once

#include <deque>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/error.h"
#include "wasm/compiled_module.h"
#include "wasm/execution.h"
#include "wasm/extern.h"
#include "wasm/instance.h"

namespace ipvm::wasm {

class Store {
 public:
  Store();
  explicit Store(MemoryPool* memory_pool);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Host objects, importable by any instance in this store.
  Func* create_host_func(FuncType type, HostFunction fn, std::string name = {});
  Memory* create_memory(MemoryType type);
  Table* create_table(TableType type, Value init);
  GlobalVar* create_global(GlobalType type, Value init);

  // Binds `imports` (one per module import, in order) and creates an instance: allocates its
  // memories/tables/globals, applies active element then data segments in order, runs the start
  // function under `limits`. Errors: kind "unlinkable" ("incompatible import type ...", wrong
  // import count), kind "uninstantiable" whose message is the trap's message (a segment out of
  // bounds or a trap in start; effects on imported objects before the trap remain, as the spec
  // says). Use Linker to resolve imports by name.
  Result<Instance*> instantiate(std::shared_ptr<const CompiledModule> module,
                                std::span<const Extern> imports, const CallLimits& limits = {});

  // Calls f to completion (or trap / suspension if limits.suspend_on_fuel). Arguments of the wrong
  // number or types give a trapped Outcome of kind kHost ("argument type mismatch").
  Outcome call(Func* f, std::span<const Value> args, const CallLimits& limits = {});
  // A suspendable call: returns the Execution without running it; call run() on it.
  Result<std::unique_ptr<Execution>> begin(Func* f, std::span<const Value> args,
                                           const CallLimits& limits = {});

  Func* func(uint32_t id) const { return id < funcs_.size() ? funcs_[id] : nullptr; }
  uint32_t num_funcs() const { return static_cast<uint32_t>(funcs_.size()); }
  Instance* instance(uint32_t id) const { return id < instances_.size() ? instances_[id].get() : nullptr; }
  uint32_t num_instances() const { return static_cast<uint32_t>(instances_.size()); }

  // Structural type interning: equal function types get equal ids (call_indirect compares ids).
  uint32_t intern_type(const FuncType& type);
  const FuncType& type(uint32_t id) const { return types_[id]; }

  // Engine-internal: the id -> Func table (the interpreter indexes it for funcref values).
  Func* const* func_table() const { return funcs_.data(); }
  uint32_t register_func(Func* f);

 private:
  // A module's type index -> store type id, interned once per module (a store that instantiates
  // a module again reuses them). Holds the module so its address cannot be reused meanwhile.
  std::vector<uint32_t> module_type_ids(const std::shared_ptr<const CompiledModule>& compiled);

  MemoryPool* memory_pool_ = nullptr;
  std::vector<std::pair<std::shared_ptr<const CompiledModule>, std::vector<uint32_t>>> module_types_;
  std::deque<FuncType> types_;
  std::unordered_map<std::string, uint32_t> type_ids_;  // key: encoded type
  std::vector<Func*> funcs_;
  std::vector<std::unique_ptr<Instance>> instances_;
  std::vector<std::unique_ptr<Func>> host_funcs_;
  std::vector<std::unique_ptr<Memory>> host_memories_;
  std::vector<std::unique_ptr<Table>> host_tables_;
  std::vector<std::unique_ptr<GlobalVar>> host_globals_;
};

}  // namespace ipvm::wasm
