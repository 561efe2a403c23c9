#include "wasm/wasi_process.h"

namespace ipvm::wasm {

Result<std::unique_ptr<WasiProcess>> WasiProcess::create(std::shared_ptr<const CompiledModule> module,
                                                         WasiState state, const CallLimits& limits,
                                                         MemoryPool* memory_pool) {
  auto p = std::make_unique<WasiProcess>();
  p->wasi = std::make_unique<Wasi>(std::move(state));
  p->store = std::make_unique<Store>(memory_pool);
  p->module = std::move(module);
  define_wasi(*p->store, p->linker, *p->wasi);
  IPVM_TRY(p->instance, p->linker.instantiate(*p->store, p->module, limits));
  return p;
}

}  // namespace ipvm::wasm
