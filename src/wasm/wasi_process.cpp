#include "wasm/wasi_process.h"

namespace ipvm::wasm {

Result<std::unique_ptr<WasiProcess>> WasiProcess::create(std::shared_ptr<const CompiledModule> module,
                                                         WasiState state, const CallLimits& limits,
                                                         MemoryPool* memory_pool) {
  auto p = std::make_unique<WasiProcess>();
  p->wasi = std::make_unique<Wasi>(std::move(state));
  p->store = std::make_unique<Store>(memory_pool);
  p->module = std::move(module);
  IPVM_TRY(auto imports, wasi_imports(*p->store, *p->wasi, p->module->module()));
  IPVM_TRY(p->instance, p->store->instantiate(p->module, imports, limits));
  return p;
}

}  // namespace ipvm::wasm
