// Runs one function of a compiled module as a task: a fresh instance (with WASI when the module
// imports it), `_initialize` for reactors, arguments lowered from IPLD (numeric core types, or
// the canonical ABI when a WIT signature is given), the call under the task's limits, results
// lifted back to IPLD and `cabi_post_<fun>` to let the guest free them.
//
// Never fails as a C++ call: every way the guest or its inputs can go wrong becomes an error
// `out` ({"error": {name, message}}, names in receipt.h) so the executor can sign it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/bytes.h"
#include "ipld/value.h"
#include "runtime/task.h"
#include "runtime/wit.h"
#include "wasm/compiled_module.h"
#include "wasm/memory.h"
#include "wasm/value.h"

namespace ipvm::runtime {

// What a reactor's `_initialize` costs when it is inert: its body, and the bodies of all it calls,
// are only calls (no locals, parameters, results, memory, globals or host calls), so running it
// changes nothing but the fuel counter, by the same amount every time. After one real call, the
// executor's later tasks of that module charge that fuel instead of calling it again.
class InertInitCache {
 public:
  std::optional<uint64_t> fuel(const std::shared_ptr<const wasm::CompiledModule>& m) const;
  void remember(const std::shared_ptr<const wasm::CompiledModule>& m, uint64_t fuel);

 private:
  struct Entry {
    std::weak_ptr<const wasm::CompiledModule> module;  // a freed module's address may be reused
    uint64_t fuel = 0;
  };
  std::unordered_map<const wasm::CompiledModule*, Entry> entries_;
};

// True when defined or imported function `index` of `m` is inert in the sense above.
bool inert_function(const wasm::Module& m, uint32_t index);

struct GuestCall {
  std::shared_ptr<const wasm::CompiledModule> module;
  std::string_view fun;
  const ipld::List* params = nullptr;
  const WitFunc* sig = nullptr;  // null: numeric core types
  std::string_view sig_text;     // for messages
  TaskLimits limits;
  Bytes random_seed;             // 32 bytes for WASI random_get
  uint64_t output_cap = 64 * 1024;  // bytes of stdout/stderr kept for the receipt
  // Where a module without imports gets its linear memory (reused, wiped mappings); null: fresh ones.
  wasm::MemoryPool* memory_pool = nullptr;
  // Fuel of inert `_initialize` functions already run once (null: always call them).
  InertInitCache* inert_init = nullptr;
};

struct GuestResult {
  ipld::Value out;          // ok_out(value) or error_out(name, message)
  bool memoizable = true;   // false when the answer depends on limits or the wall clock
  uint64_t fuel_used = 0;
  std::string stdout_text, stderr_text;
};

GuestResult call_guest(const GuestCall& call);

// IPLD <-> core value conversion for functions called without a signature (range checked).
// `what` names the value in messages ("argument 1 of add_one").
Result<uint64_t> lower_core(wasm::ValType t, const ipld::Value& v, std::string_view what);
Result<ipld::Value> lift_core(const wasm::Value& v, std::string_view what);
// "(i32, i32) -> i32"
std::string core_type_string(const wasm::FuncType& t);

}  // namespace ipvm::runtime
