// A linear memory: a contiguous, zero-initialised byte buffer sized in 64 KiB pages.
//
// The buffer may move when it grows; the interpreter reloads its cached base after every
// instruction that can grow a memory (memory.grow, calls). Hosts must not keep data() across calls.
#pragma once

#include <cstdint>
#include <optional>

#include "base/bytes.h"
#include "wasm/module.h"

namespace ipvm::wasm {

inline constexpr uint64_t kPageSize = 65536;

class Memory {
 public:
  // Allocates type.limits.min pages. Precondition: min <= max <= kMaxPages (validated).
  explicit Memory(MemoryType type);
  ~Memory();
  Memory(const Memory&) = delete;
  Memory& operator=(const Memory&) = delete;

  // Current limits (min = current page count), as import matching needs.
  MemoryType type() const { return MemoryType{Limits{pages(), type_.limits.max}}; }
  uint8_t* data() { return data_; }
  const uint8_t* data() const { return data_; }
  uint64_t size() const { return size_; }
  uint32_t pages() const { return static_cast<uint32_t>(size_ / kPageSize); }

  // Grows by `delta` pages (new bytes zero). Returns the old page count, or nullopt when the result
  // would exceed the type's max, `limit_pages`, or the host cannot allocate it.
  std::optional<uint32_t> grow(uint32_t delta, uint32_t limit_pages = kMaxPages);
  // How many grow calls were refused only because of `limit_pages` (the caller's per-call limit),
  // not the memory's own max: lets an embedder tell "the guest ran out of memory" from other traps.
  uint32_t grows_refused_by_limit() const { return grows_refused_by_limit_; }

  // Bounds-checked host access; false (nothing copied) when [offset, offset+n) is out of range.
  bool in_bounds(uint64_t offset, uint64_t n) const { return offset + n <= size_ && offset + n >= offset; }
  bool read(uint64_t offset, void* out, uint64_t n) const;
  bool write(uint64_t offset, const void* in, uint64_t n);
  // A view of [offset, offset+n), or nullptr when out of range. Invalidated by grow.
  uint8_t* at(uint64_t offset, uint64_t n) { return in_bounds(offset, n) ? data_ + offset : nullptr; }

 private:
  MemoryType type_;
  uint8_t* data_ = nullptr;
  uint64_t size_ = 0;
  uint32_t grows_refused_by_limit_ = 0;
};

}  // namespace ipvm::wasm
