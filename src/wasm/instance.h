// A module instance: the module's index spaces bound to store objects.
//
// Fields are public for the engine (compiler/interpreter/snapshot code); hosts should treat them as
// read-only and use the export accessors.
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "wasm/compiled_module.h"
#include "wasm/extern.h"

namespace ipvm::wasm {

class Store;

struct Instance {
  uint32_t id = 0;  // index in its Store, in creation order
  Store* store = nullptr;
  std::shared_ptr<const CompiledModule> compiled;

  // Index spaces, imports first (pointers into the store).
  std::vector<Func*> funcs;
  std::vector<Table*> tables;
  std::vector<Memory*> memories;
  std::vector<GlobalVar*> globals;
  std::vector<uint32_t> type_ids;  // module type index -> store type id (call_indirect checks)

  // Element segments as reference bits; a dropped (or active/declarative, after instantiation)
  // segment is empty. Data segments: dropped flags (bytes live in the module).
  std::vector<std::vector<uint64_t>> elems;
  std::vector<uint8_t> data_dropped;

  // Objects this instance defined (owned here; the store indexes them). Functions and globals are
  // one allocation each: sized once at instantiation and never resized, so pointers into them stay
  // valid for the instance's lifetime.
  std::vector<Func> own_funcs;
  std::vector<std::unique_ptr<Table>> own_tables;
  std::vector<std::unique_ptr<Memory>> own_memories;
  std::vector<GlobalVar> own_globals;

  const Module& module() const { return compiled->module(); }

  std::optional<Extern> get_export(std::string_view name) const;
  Func* func(std::string_view export_name) const;
  Table* table(std::string_view export_name) const;
  Memory* memory(std::string_view export_name) const;
  GlobalVar* global(std::string_view export_name) const;
  Memory* memory0() const { return memories.empty() ? nullptr : memories[0]; }
};

}  // namespace ipvm::wasm
