#include "ucan/verified_cache.h"

namespace ipvm::ucan {

const VerifiedCache::Entry* VerifiedCache::find_locked(const ipld::Cid& cid) {
  auto it = map_.find(cid);
  if (it == map_.end()) {
    ++misses_;
    return nullptr;
  }
  ++hits_;
  order_.splice(order_.begin(), order_, it->second.lru);
  return &it->second.entry;
}

void VerifiedCache::put_locked(const ipld::Cid& cid, Entry e) {
  auto it = map_.find(cid);
  if (it != map_.end()) {
    it->second.entry = std::move(e);
    order_.splice(order_.begin(), order_, it->second.lru);
    return;
  }
  while (map_.size() >= capacity_) {
    map_.erase(order_.back());
    order_.pop_back();
  }
  order_.push_front(cid);
  map_.emplace(cid, Slot{std::move(e), order_.begin()});
}

std::shared_ptr<const Delegation> VerifiedCache::delegation(const ipld::Cid& cid) {
  std::lock_guard lock(mu_);
  const Entry* e = find_locked(cid);
  if (!e) return nullptr;
  auto* d = std::get_if<std::shared_ptr<const Delegation>>(e);
  return d ? *d : nullptr;
}

std::shared_ptr<const Invocation> VerifiedCache::invocation(const ipld::Cid& cid) {
  std::lock_guard lock(mu_);
  const Entry* e = find_locked(cid);
  if (!e) return nullptr;
  auto* i = std::get_if<std::shared_ptr<const Invocation>>(e);
  return i ? *i : nullptr;
}

void VerifiedCache::put(const ipld::Cid& cid, std::shared_ptr<const Delegation> d) {
  std::lock_guard lock(mu_);
  put_locked(cid, std::move(d));
}

void VerifiedCache::put(const ipld::Cid& cid, std::shared_ptr<const Invocation> i) {
  std::lock_guard lock(mu_);
  put_locked(cid, std::move(i));
}

size_t VerifiedCache::size() const {
  std::lock_guard lock(mu_);
  return map_.size();
}
size_t VerifiedCache::hits() const {
  std::lock_guard lock(mu_);
  return hits_;
}
size_t VerifiedCache::misses() const {
  std::lock_guard lock(mu_);
  return misses_;
}
void VerifiedCache::clear() {
  std::lock_guard lock(mu_);
  map_.clear();
  order_.clear();
}

}  // namespace ipvm::ucan
