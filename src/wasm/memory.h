// A linear memory: a contiguous, zero-initialised byte buffer sized in 64 KiB pages.
//
// The buffer may move when it grows; the interpreter reloads its cached base after every
// instruction that can grow a memory (memory.grow, calls). Hosts must not keep data() across calls.
//
// A MemoryPool lets an embedder that creates and drops many short-lived instances (one per task)
// reuse their mappings: a dropped memory's mapping is wiped back to all zeros and handed to the
// next memory, which then costs no mmap/munmap and no page faults on the pages it touches again.
// A memory from a pool is indistinguishable from a fresh one: every byte reads zero.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "base/bytes.h"
#include "wasm/module.h"

namespace ipvm::wasm {

inline constexpr uint64_t kPageSize = 65536;

class MemoryPool;

class Memory {
 public:
  // Allocates type.limits.min pages (from `pool` when given: it must outlive this memory).
  // Precondition: min <= max <= kMaxPages (validated). data() is null if the host has no memory.
  explicit Memory(MemoryType type, MemoryPool* pool = nullptr);
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
  MemoryPool* pool_ = nullptr;
  uint8_t* data_ = nullptr;
  uint64_t size_ = 0;
  uint64_t mapped_ = 0;  // bytes mapped at data_ (>= size_ for a pooled mapping); all past size_ are zero
  bool locked_ = false;  // a pool mapping locked on fault (MemoryPool::map)
  uint32_t grows_refused_by_limit_ = 0;
};

// A bounded set of idle linear-memory mappings, shared by the stores of one embedder (thread-safe).
// A mapping is wiped when it is returned: pages the kernel reports resident are zeroed in place
// (so the next task finds them mapped), every other page is discarded with MADV_DONTNEED (a page
// that was swapped out reads zero afterwards). A mapping with many resident pages, or larger than
// `max_mapping_bytes`, is discarded whole or unmapped instead of being kept warm. The pool's own
// mappings of at most `max_zeroed_bytes` are locked on fault (mlock2 MLOCK_ONFAULT, when
// RLIMIT_MEMLOCK allows): their touched pages cannot be swapped out, so their wipe needs no discard.
class MemoryPool {
 public:
  struct Options {
    size_t max_idle = 8;                          // mappings kept
    uint64_t max_mapping_bytes = 64ull << 20;     // larger mappings are unmapped, not kept
    // Resident bytes zeroed in place; more: all discarded. Zeroed pages stay resident, so every
    // later wipe of the mapping zeroes them again: the bound caps what one large task costs the
    // small tasks that reuse its mapping after it.
    uint64_t max_zeroed_bytes = 256ull << 10;
  };
  MemoryPool() : MemoryPool(Options{}) {}
  explicit MemoryPool(Options options) : options_(options) {}
  ~MemoryPool();
  MemoryPool(const MemoryPool&) = delete;
  MemoryPool& operator=(const MemoryPool&) = delete;

  size_t idle() const;  // mappings waiting for reuse (for tests)

 private:
  friend class Memory;
  struct Mapping {
    uint8_t* data = nullptr;
    uint64_t bytes = 0;
    bool locked = false;  // mlock2(MLOCK_ONFAULT) succeeded on the whole mapping
  };
  // A new zero mapping of `bytes`, locked on fault when small enough and allowed (data null on failure).
  Mapping map(uint64_t bytes) const;
  // An all-zero mapping of at least `bytes` (and not wastefully larger), if one is idle.
  std::optional<Mapping> take(uint64_t bytes);
  // Wipes `m` and keeps it, or unmaps it when the pool is full or it is too large.
  void give(Mapping m);

  Options options_;
  mutable std::mutex mu_;
  std::vector<Mapping> idle_;
};

}  // namespace ipvm::wasm
