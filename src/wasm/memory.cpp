#include "wasm/memory.h"

#include <sys/mman.h>

#include <cstring>

namespace ipvm::wasm {

// Linear memory is an anonymous mapping: the kernel hands out zero pages lazily, so creating or
// growing a memory costs nothing per untouched page (no memset), and growth is an mremap.
namespace {
uint8_t* map_zeroed(uint64_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? nullptr : static_cast<uint8_t*>(p);
}
}  // namespace

Memory::Memory(MemoryType type) : type_(type) {
  uint64_t bytes = uint64_t{type.limits.min} * kPageSize;
  if (bytes) {
    data_ = map_zeroed(bytes);
    if (data_) size_ = bytes;
  }
}

Memory::~Memory() {
  if (data_) munmap(data_, size_);
}

std::optional<uint32_t> Memory::grow(uint32_t delta, uint32_t limit_pages) {
  uint32_t old = pages();
  uint64_t want = uint64_t{old} + delta;
  uint64_t max = type_.limits.max ? *type_.limits.max : kMaxPages;
  if (max > kMaxPages) max = kMaxPages;
  if (want > max) return std::nullopt;
  if (want > limit_pages) {
    ++grows_refused_by_limit_;
    return std::nullopt;
  }
  if (delta == 0) return old;
  uint64_t bytes = want * kPageSize;
  uint8_t* p;
  if (data_) {
    void* q = mremap(data_, size_, bytes, MREMAP_MAYMOVE);  // the new tail is zero-filled
    p = q == MAP_FAILED ? nullptr : static_cast<uint8_t*>(q);
  } else {
    p = map_zeroed(bytes);
  }
  if (!p) return std::nullopt;
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
