// The arena a decoder builds one document in (for the DAG-CBOR and DAG-JSON decoders).
//
// Every string, byte string, list, map and CID of the document is placed in a few large chunks
// owned by one reference count, instead of one heap node and one count per item. Values made
// here are borrowed (see value.h): they are only valid while the arena lives, which is why
// finish() must wrap the root, and only the root, before the decoder returns it. A decoder that
// fails just drops the arena: everything it built goes with it.
//
// Memory stays proportional to the input: every object stands for at least one input byte and
// chunks grow geometrically from a size derived from the input's length.
#pragma once

#include <cstddef>
#include <new>
#include <string>
#include <string_view>
#include <utility>

#include "base/bytes.h"
#include "ipld/cid.h"
#include "ipld/value.h"

namespace ipvm::ipld {

class DocumentArena {
 public:
  explicit DocumentArena(size_t input_size);
  ~DocumentArena();
  DocumentArena(const DocumentArena&) = delete;
  DocumentArena& operator=(const DocumentArena&) = delete;

  Value string(std::string_view s) { return make<std::string>(Kind::kString, s.data(), s.size()); }
  Value string(std::string&& s) { return make<std::string>(Kind::kString, std::move(s)); }
  Value bytes(ByteView b) { return make<Bytes>(Kind::kBytes, b.begin(), b.end()); }
  Value bytes(Bytes&& b) { return make<Bytes>(Kind::kBytes, std::move(b)); }
  Value list(List&& items) { return make<List>(Kind::kList, std::move(items)); }
  // Entries must already be in canonical order with unique keys.
  Value map(Map&& entries) { return make<Map>(Kind::kMap, std::move(entries)); }
  Value link(Cid&& cid) { return make<Cid>(Kind::kLink, std::move(cid)); }

  // Turns the document's root into an owning Value: it takes over the arena's count.
  Value finish(Value root);

 private:
  struct Block;
  // Precedes every object in a chunk: the arena runs the destructors when it dies.
  struct Slot {
    Slot* next;
    void (*destroy)(void*);
  };

  template <class T, class... Args>
  Value make(Kind k, Args&&... args) {
    void* at = allocate(sizeof(Slot) + sizeof(T));
    auto* slot = static_cast<Slot*>(at);
    T* object = new (slot + 1) T(std::forward<Args>(args)...);
    if (owns_memory(*object)) {
      slot->destroy = [](void* p) { static_cast<T*>(p)->~T(); };
      slot->next = objects_;
      objects_ = slot;
    }
    return Value(k, object, owner(), true);
  }

  // Objects that hold no memory outside themselves need no destructor call (most keys and
  // short strings live in the string's own buffer), which keeps tearing a document down cheap.
  static bool owns_memory(const std::string& s) {
    auto* p = reinterpret_cast<const char*>(&s);
    return s.data() < p || s.data() >= p + sizeof s;
  }
  static bool owns_memory(const Bytes& b) { return b.capacity() != 0; }
  template <class T>
  static bool owns_memory(const T&) {
    return true;
  }

  void* allocate(size_t n) {
    n = (n + 15) & ~size_t{15};
    if (static_cast<size_t>(end_ - cur_) < n) grow(n);
    void* p = cur_;
    cur_ += n;
    return p;
  }
  void grow(size_t n);
  detail::Owner* owner();
  static void destroy(detail::Owner* o);

  Block* block_ = nullptr;  // allocated on first use; owns the chunks and the objects
  char* cur_ = nullptr;
  char* end_ = nullptr;
  Slot* objects_ = nullptr;
  size_t next_chunk_;
};

}  // namespace ipvm::ipld
