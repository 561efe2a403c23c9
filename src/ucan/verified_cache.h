// Tokens whose signatures have been verified, by CID: a proof (or invocation) presented again is
// not decoded or signature-checked again. Only what a token *is* is cached: time bounds,
// revocation, chain linkage and policies are re-checked on every validation by the validator.
// Bounded (least recently used entries are evicted) and safe to share between threads.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <variant>

#include "ipld/cid.h"
#include "ucan/delegation.h"
#include "ucan/invocation.h"

namespace ipvm::ucan {

class VerifiedCache {
 public:
  explicit VerifiedCache(size_t capacity = 4096) : capacity_(capacity ? capacity : 1) {}

  std::shared_ptr<const Delegation> delegation(const ipld::Cid& cid);
  std::shared_ptr<const Invocation> invocation(const ipld::Cid& cid);
  void put(const ipld::Cid& cid, std::shared_ptr<const Delegation> d);
  void put(const ipld::Cid& cid, std::shared_ptr<const Invocation> i);

  size_t size() const;
  size_t hits() const;
  size_t misses() const;
  void clear();

 private:
  using Entry = std::variant<std::shared_ptr<const Delegation>, std::shared_ptr<const Invocation>>;
  struct Slot {
    Entry entry;
    std::list<ipld::Cid>::iterator lru;
  };
  const Entry* find_locked(const ipld::Cid& cid);
  void put_locked(const ipld::Cid& cid, Entry e);

  mutable std::mutex mu_;
  size_t capacity_;
  size_t hits_ = 0, misses_ = 0;
  std::list<ipld::Cid> order_;  // front: most recently used
  std::unordered_map<ipld::Cid, Slot> map_;
};

}  // namespace ipvm::ucan
