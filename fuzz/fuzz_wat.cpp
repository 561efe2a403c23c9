// Compile arbitrary text as a WebAssembly text-format module: must never crash, hang or recurse
// without bound (nesting is capped). Whatever compiles must be a well-formed section sequence that
// the binary decoder reads without a framing error, and decoding then validating must not crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "wasm/decoder.h"
#include "wasm/validator.h"
#include "wasm/wat.h"

namespace {

// Section framing of our own output: the header, then id + size pairs that exactly cover the rest.
bool well_framed(const ipvm::Bytes& b) {
  if (b.size() < 8 || !ipvm::wasm::is_wasm_binary(b)) return false;
  size_t p = 8;
  while (p < b.size()) {
    ++p;  // id
    uint64_t size = 0;
    unsigned shift = 0;
    for (;;) {
      if (p >= b.size() || shift > 28) return false;
      uint8_t c = b[p++];
      size |= uint64_t(c & 0x7f) << shift;
      shift += 7;
      if (!(c & 0x80)) break;
    }
    if (size > b.size() - p) return false;
    p += size;
  }
  return p == b.size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto binary = ipvm::wasm::wat_to_wasm(text);
  if (!binary) {
    if (binary.error().message.empty()) std::abort();  // every error says what is wrong
    return 0;
  }
  if (!well_framed(*binary)) std::abort();
  auto module = ipvm::wasm::decode_module(*binary);
  if (module) (void)ipvm::wasm::validate_module(*module);
  return 0;
}
