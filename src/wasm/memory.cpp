#include "wasm/memory.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>

namespace ipvm::wasm {

// Linear memory is an anonymous mapping: the kernel hands out zero pages lazily, so creating or
// growing a memory costs nothing per untouched page (no memset), and growth is an mremap.
namespace {

uint8_t* map_zeroed(uint64_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? nullptr : static_cast<uint8_t*>(p);
}

uint64_t os_page_size() {
  static const uint64_t size = [] {
    long p = sysconf(_SC_PAGESIZE);
    return p > 0 ? static_cast<uint64_t>(p) : uint64_t{4096};
  }();
  return size;
}

bool discard(uint8_t* p, uint64_t bytes) { return bytes == 0 || madvise(p, bytes, MADV_DONTNEED) == 0; }

// Makes every byte of the mapping zero again. Resident pages (those a task touched) are zeroed in
// place so they stay mapped for the next task; the rest are discarded, which also covers a page
// that was swapped out (mincore does not report it resident, yet it holds data). A mapping locked
// on fault (see MemoryPool::map) cannot have a swapped-out page, so its non-resident pages were
// never touched and need no discard: one syscall (mincore) instead of two or more. False if the
// kernel refused; the caller then unmaps the mapping.
bool wipe(uint8_t* data, uint64_t bytes, bool locked, uint64_t max_zeroed) {
  const uint64_t page = os_page_size();
  const uint64_t n = bytes / page;
  unsigned char small[1024];
  std::vector<unsigned char> large;
  unsigned char* vec = small;
  if (n > sizeof small) {
    large.resize(n);
    vec = large.data();
  }
  if (mincore(data, bytes, vec) != 0) return !locked && discard(data, bytes);
  uint64_t resident = 0;
  for (uint64_t i = 0; i < n; ++i) resident += vec[i] & 1;
  // MADV_DONTNEED is refused on locked pages: a locked mapping with too much resident is unmapped.
  if (resident * page > max_zeroed) return !locked && discard(data, bytes);
  uint64_t i = 0;
  while (i < n) {
    const bool in = vec[i] & 1;
    uint64_t j = i + 1;
    while (j < n && (vec[j] & 1) == in) ++j;
    if (in) {
      std::memset(data + i * page, 0, (j - i) * page);
    } else if (!locked && !discard(data + i * page, (j - i) * page)) {
      return false;
    }
    i = j;
  }
  return true;
}

}  // namespace

MemoryPool::~MemoryPool() {
  for (const Mapping& m : idle_) munmap(m.data, m.bytes);
}

size_t MemoryPool::idle() const {
  std::lock_guard lock(mu_);
  return idle_.size();
}

std::optional<MemoryPool::Mapping> MemoryPool::take(uint64_t bytes) {
  std::lock_guard lock(mu_);
  size_t best = idle_.size();
  for (size_t i = 0; i < idle_.size(); ++i)
    if (idle_[i].bytes >= bytes && (best == idle_.size() || idle_[i].bytes < idle_[best].bytes)) best = i;
  if (best == idle_.size()) return std::nullopt;
  Mapping m = idle_[best];
  idle_[best] = idle_.back();
  idle_.pop_back();
  return m;
}

void MemoryPool::give(Mapping m) {
  bool keep = m.bytes <= options_.max_mapping_bytes;
  if (keep) {
    std::lock_guard lock(mu_);
    keep = idle_.size() < options_.max_idle;
  }
  // Wiped outside the lock: it is the expensive part, and the mapping belongs to no one meanwhile.
  if (keep && wipe(m.data, m.bytes, m.locked, options_.max_zeroed_bytes)) {
    std::lock_guard lock(mu_);
    if (idle_.size() < options_.max_idle) {
      idle_.push_back(m);
      return;
    }
  }
  munmap(m.data, m.bytes);
}

MemoryPool::Mapping MemoryPool::map(uint64_t bytes) const {
  Mapping m{map_zeroed(bytes), bytes, false};
  if (!m.data) return Mapping{};
  // Locked on fault: nothing is populated now, and a page the guest touches can never be swapped
  // out, which is what lets wipe() skip discarding the pages mincore reports absent. Only for
  // mappings small enough to be zeroed whole, so a locked mapping never needs MADV_DONTNEED; when
  // RLIMIT_MEMLOCK refuses, the mapping simply stays unlocked.
  if (bytes <= options_.max_zeroed_bytes) m.locked = mlock2(m.data, bytes, MLOCK_ONFAULT) == 0;
  return m;
}

Memory::Memory(MemoryType type, MemoryPool* pool) : type_(type), pool_(pool) {
  uint64_t bytes = uint64_t{type.limits.min} * kPageSize;
  if (!bytes) return;
  if (pool_) {
    if (auto m = pool_->take(bytes)) {
      data_ = m->data;
      mapped_ = m->bytes;
      locked_ = m->locked;
      size_ = bytes;
      return;
    }
    MemoryPool::Mapping m = pool_->map(bytes);
    data_ = m.data;
    locked_ = m.locked;
    if (data_) size_ = mapped_ = bytes;
    return;
  }
  data_ = map_zeroed(bytes);
  if (data_) size_ = mapped_ = bytes;
}

Memory::~Memory() {
  if (!data_) return;
  if (pool_) pool_->give(MemoryPool::Mapping{data_, mapped_, locked_});
  else munmap(data_, mapped_);
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
  if (bytes <= mapped_) {  // a pooled mapping with room: the bytes past size_ are already zero
    size_ = bytes;
    return old;
  }
  uint8_t* p = nullptr;
  if (data_) {
    // Unlocked first: growing a locked mapping would count against RLIMIT_MEMLOCK and could fail
    // where an unlocked one succeeds (the guest would see memory.grow refused).
    if (locked_ && munlock(data_, mapped_) == 0) locked_ = false;
    if (locked_) return std::nullopt;
    void* q = mremap(data_, mapped_, bytes, MREMAP_MAYMOVE);  // the new tail is zero-filled
    if (q != MAP_FAILED) p = static_cast<uint8_t*>(q);
  } else {
    if (pool_) {
      if (auto m = pool_->take(bytes)) {
        data_ = m->data;
        mapped_ = m->bytes;
        locked_ = m->locked;
        size_ = bytes;
        return old;
      }
      MemoryPool::Mapping m = pool_->map(bytes);
      p = m.data;
      locked_ = m.locked;
    } else {
      p = map_zeroed(bytes);
    }
  }
  if (!p) return std::nullopt;
  data_ = p;
  size_ = mapped_ = bytes;
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
