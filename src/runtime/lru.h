// A bounded map that forgets its least recently used entries; thread-safe. Values are
// shared_ptrs so a hit is one refcount increment, with no copy of the value itself.
//
// The recency list runs through the map's own nodes (an unordered_map never moves its elements),
// so an insert is one allocation and one copy of the key.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace ipvm::runtime {

template <class Key, class T>
class LruCache {
 public:
  explicit LruCache(size_t capacity) : capacity_(capacity ? capacity : 1) {}
  LruCache(const LruCache&) = delete;
  LruCache& operator=(const LruCache&) = delete;

  std::shared_ptr<const T> find(const Key& key) {
    std::lock_guard lock(mu_);
    auto it = map_.find(key);
    if (it == map_.end()) return nullptr;
    Entry& e = it->second;
    unlink(e);
    push_front(e, &it->first);
    return e.value;
  }

  // Inserts unless present; returns the value now cached under `key` (the older one if present).
  std::shared_ptr<const T> insert(const Key& key, std::shared_ptr<const T> value) {
    std::lock_guard lock(mu_);
    auto [it, added] = map_.try_emplace(key);
    if (!added) return it->second.value;
    it->second.value = value;
    push_front(it->second, &it->first);
    while (map_.size() > capacity_) {
      Entry* last = tail_;
      unlink(*last);
      map_.erase(map_.find(*last->key));  // by iterator: the key lives in the node being erased
    }
    return value;
  }

  void erase(const Key& key) {
    std::lock_guard lock(mu_);
    if (auto it = map_.find(key); it != map_.end()) {
      unlink(it->second);
      map_.erase(it);
    }
  }

  size_t size() const {
    std::lock_guard lock(mu_);
    return map_.size();
  }

 private:
  struct Entry {
    std::shared_ptr<const T> value;
    const Key* key = nullptr;  // the map node's key
    Entry* prev = nullptr;     // toward the most recently used
    Entry* next = nullptr;
  };

  void push_front(Entry& e, const Key* key) {
    e.key = key;
    e.prev = nullptr;
    e.next = head_;
    if (head_) head_->prev = &e;
    head_ = &e;
    if (!tail_) tail_ = &e;
  }
  void unlink(Entry& e) {
    (e.prev ? e.prev->next : head_) = e.next;
    (e.next ? e.next->prev : tail_) = e.prev;
    e.prev = e.next = nullptr;
  }

  mutable std::mutex mu_;
  size_t capacity_;
  std::unordered_map<Key, Entry> map_;
  Entry* head_ = nullptr;  // most recently used
  Entry* tail_ = nullptr;
};

}  // namespace ipvm::runtime
