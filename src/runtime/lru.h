// A bounded map that forgets its least recently used entries; thread-safe. Values are
// shared_ptrs so a hit is one refcount increment, with no copy of the value itself.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace ipvm::runtime {

template <class Key, class T>
class LruCache {
 public:
  explicit LruCache(size_t capacity) : capacity_(capacity ? capacity : 1) {}

  std::shared_ptr<const T> find(const Key& key) {
    std::lock_guard lock(mu_);
    auto it = map_.find(key);
    if (it == map_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second.lru);
    return it->second.value;
  }

  // Inserts unless present; returns the value now cached under `key` (the older one if present).
  std::shared_ptr<const T> insert(const Key& key, std::shared_ptr<const T> value) {
    std::lock_guard lock(mu_);
    if (auto it = map_.find(key); it != map_.end()) return it->second.value;
    order_.push_front(key);
    map_.emplace(key, Slot{value, order_.begin()});
    while (map_.size() > capacity_) {
      map_.erase(order_.back());
      order_.pop_back();
    }
    return value;
  }

  void erase(const Key& key) {
    std::lock_guard lock(mu_);
    if (auto it = map_.find(key); it != map_.end()) {
      order_.erase(it->second.lru);
      map_.erase(it);
    }
  }

  size_t size() const {
    std::lock_guard lock(mu_);
    return map_.size();
  }

 private:
  struct Slot {
    std::shared_ptr<const T> value;
    typename std::list<Key>::iterator lru;
  };
  mutable std::mutex mu_;
  size_t capacity_;
  std::list<Key> order_;  // front: most recently used
  std::unordered_map<Key, Slot> map_;
};

}  // namespace ipvm::runtime
