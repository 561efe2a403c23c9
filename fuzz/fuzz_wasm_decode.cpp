// Decode and validate arbitrary bytes as a WebAssembly module: must never crash, hang or allocate
// without bound; a module that validates must be self-consistent (every index resolves).
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "wasm/decoder.h"
#include "wasm/validator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto module = ipvm::wasm::decode_module(ipvm::ByteView(data, size));
  if (!module) return 0;
  if (!ipvm::wasm::validate_module(*module)) return 0;
  // Exercise the accessors the compiler relies on after validation.
  const ipvm::wasm::Module& m = *module;
  for (uint32_t i = 0; i < m.total_funcs(); ++i) (void)m.func_type(i);
  for (uint32_t i = 0; i < m.total_tables(); ++i) (void)m.table_type(i);
  for (uint32_t i = 0; i < m.total_memories(); ++i) (void)m.memory_type(i);
  for (uint32_t i = 0; i < m.total_globals(); ++i) (void)m.global_type(i);
  for (const auto& f : m.functions) {
    if (static_cast<uint64_t>(f.body_offset) + f.body_size > m.bytes.size() || f.body_size == 0 ||
        m.bytes[f.body_offset + f.body_size - 1] != 0x0b) {
      std::abort();  // a validated body must end with `end` inside the module
    }
  }
  return 0;
}
