// A WASI command instantiated the one way a snapshot can reproduce: a fresh Store, the WASI
// functions defined first (always in the same order, so store function ids are stable), then
// exactly one instance of the module. snapshot.h saves and restores the calls of such a process.
#pragma once

#include <memory>

#include "base/error.h"
#include "wasm/engine.h"
#include "wasm/wasi.h"

namespace ipvm::wasm {

struct WasiProcess {
  // Declared before `store`: host functions in the store refer to it, so it must outlive them.
  std::unique_ptr<Wasi> wasi;
  std::unique_ptr<Store> store;
  std::shared_ptr<const CompiledModule> module;
  Instance* instance = nullptr;

  // Instantiates `module` (running its start function, if any, under `limits`) with WASI `state`.
  // Its memories come from `memory_pool` when given (which must then outlive the process).
  static Result<std::unique_ptr<WasiProcess>> create(std::shared_ptr<const CompiledModule> module,
                                                     WasiState state, const CallLimits& limits = {},
                                                     MemoryPool* memory_pool = nullptr);
};

}  // namespace ipvm::wasm
