#include "wasm/memory.h"

#include <cstdlib>
#include <cstring>

namespace ipvm::wasm {

Memory::Memory(MemoryType type) : type_(type) {
  uint64_t bytes = uint64_t{type.limits.min} * kPageSize;
  if (bytes) {
    // calloc: large zeroed allocations come straight from the OS, untouched pages cost nothing.
    data_ = static_cast<uint8_t*>(std::calloc(bytes, 1));
    if (data_) size_ = bytes;
  }
}

Memory::~Memory() { std::free(data_); }

std::optional<uint32_t> Memory::grow(uint32_t delta, uint32_t limit_pages) {
  uint32_t old = pages();
  uint64_t want = uint64_t{old} + delta;
  uint64_t max = type_.limits.max ? *type_.limits.max : kMaxPages;
  if (limit_pages < max) max = limit_pages;
  if (max > kMaxPages) max = kMaxPages;
  if (want > max) return std::nullopt;
  if (delta == 0) return old;
  uint64_t bytes = want * kPageSize;
  auto* p = static_cast<uint8_t*>(std::realloc(data_, bytes));
  if (!p) return std::nullopt;
  std::memset(p + size_, 0, bytes - size_);
  data_ = p;
  size_ = bytes;
  return old;
}

bool Memory::read(uint64_t offset, void* out, uint64_t n) const {
  if (!in_bounds(offset, n)) return false;
  if (n) std::memcpy(out, data_ + offset, n);
  return true;
}

bool Memory::write(uint64_t offset, const void* in, uint64_t n) {
  if (!in_bounds(offset, n)) return false;
  if (n) std::memcpy(data_ + offset, in, n);
  return true;
}

}  // namespace ipvm::wasm
