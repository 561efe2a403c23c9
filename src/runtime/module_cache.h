// Compiled modules by CID, so a module is decoded, validated and compiled once per process and
// every later task only instantiates it. Bounded (least recently used first out) and safe to
// share between threads; a CompiledModule is immutable and shared by all stores using it.
#pragma once

#include <memory>

#include "base/bytes.h"
#include "base/error.h"
#include "ipld/cid.h"
#include "runtime/lru.h"
#include "wasm/compiled_module.h"

namespace ipvm::runtime {

class ModuleCache {
 public:
  explicit ModuleCache(size_t capacity = 64) : lru_(capacity) {}

  std::shared_ptr<const wasm::CompiledModule> find(const ipld::Cid& cid) { return lru_.find(cid); }
  // Compiles `wasm` (which must hash to `cid`; the caller checked) and remembers it. Another
  // thread may compile the same module meanwhile, which only wastes work: the first one is kept.
  Result<std::shared_ptr<const wasm::CompiledModule>> compile(const ipld::Cid& cid, ByteView wasm) {
    if (auto hit = lru_.find(cid)) return hit;
    IPVM_TRY(auto compiled, wasm::CompiledModule::compile(wasm));
    return lru_.insert(cid, std::move(compiled));
  }
  size_t size() const { return lru_.size(); }

 private:
  LruCache<ipld::Cid, wasm::CompiledModule> lru_;
};

}  // namespace ipvm::runtime
