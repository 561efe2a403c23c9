// The IPLD data model: null, bool, integer, float, string, bytes, list, map, link.
//
// A Value is immutable and cheap to copy: scalars are stored inline, everything else is shared
// through an atomic reference count, so Values may be copied and read from any thread.
// Integers cover the full DAG-CBOR range [-2^64, 2^64-1]. Map keys are unique strings kept in
// DAG-CBOR canonical order (shorter keys first, then bytewise), so lookups are binary searches
// and the DAG-CBOR encoder never re-sorts; DAG-JSON sorts bytewise when it encodes.
//
// Ownership: a Value built by the factories below owns one heap node. The decoders instead put a
// whole document in one arena (ipld/document_arena.h): its root owns the arena, and the Values
// stored inside the arena's lists and maps are "borrowed" (they hold no count of their own), so a
// decoded tree costs one reference count, not one per node. Borrowed Values are reachable only
// through const references; copying one yields an owning Value that keeps the arena alive.
#pragma once

#include <atomic>
#include <cassert>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/bytes.h"
#include "ipld/cid.h"

namespace ipvm::ipld {

class Value;
using List = std::vector<Value>;
using Map = std::vector<std::pair<std::string, Value>>;

enum class Kind : uint8_t { kNull, kBool, kInteger, kFloat, kString, kBytes, kList, kMap, kLink };
std::string_view kind_name(Kind k);

// An integer in [-2^64, 2^64-1]: value = negative ? -1 - magnitude : magnitude (CBOR's own encoding).
struct Integer {
  bool negative = false;
  uint64_t magnitude = 0;
  friend bool operator==(const Integer&, const Integer&) = default;
};

// Canonical DAG-CBOR key order: length first, then bytewise.
inline bool canonical_key_less(std::string_view a, std::string_view b) {
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

namespace detail {
// What a shared Value points into: one heap node or one decoded document's arena. The last
// owning Value to let go calls `destroy`.
struct Owner {
  std::atomic<uint64_t> refs{1};
  void (*destroy)(Owner*) = nullptr;
};
}  // namespace detail

class Value {
 public:
  Value() noexcept = default;  // null
  Value(const Value& o) noexcept : kind_(o.kind_), p_(o.p_) { retain(); }
  Value(Value&& o) noexcept : kind_(o.kind_), borrowed_(o.borrowed_), p_(o.p_) { o.kind_ = Kind::kNull; }
  Value& operator=(const Value& o) noexcept {
    Value copy(o);
    swap(copy);
    return *this;
  }
  Value& operator=(Value&& o) noexcept {
    Value moved(std::move(o));
    swap(moved);
    return *this;
  }
  ~Value() { release(); }

  static Value null() { return Value(); }
  static Value boolean(bool b) {
    Value v;
    v.kind_ = Kind::kBool;
    v.p_.b = b;
    return v;
  }
  static Value integer(int64_t i) {
    // -1 - i without overflow for negatives: ~i as unsigned.
    return i >= 0 ? integer(Integer{false, static_cast<uint64_t>(i)})
                  : integer(Integer{true, ~static_cast<uint64_t>(i)});
  }
  static Value uinteger(uint64_t u) { return integer(Integer{false, u}); }
  static Value integer(Integer i) {
    Value v;
    v.kind_ = Kind::kInteger;
    v.p_.i = i;
    return v;
  }
  static Value float64(double d) {
    Value v;
    v.kind_ = Kind::kFloat;
    v.p_.d = d;
    return v;
  }
  static Value string(std::string s);
  static Value bytes(Bytes b);
  static Value list(List items);
  // Sorts entries into canonical order. Keys must be unique: with duplicates the last one wins
  // (decoders reject duplicates before they get here).
  static Value map(Map entries);
  // For callers that already hold entries in canonical order with unique keys (the DAG-CBOR
  // decoder checks this itself); skips the sort.
  static Value map_presorted(Map entries);
  static Value link(Cid cid);

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_bool() const { return kind_ == Kind::kBool; }
  bool is_integer() const { return kind_ == Kind::kInteger; }
  bool is_float() const { return kind_ == Kind::kFloat; }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_bytes() const { return kind_ == Kind::kBytes; }
  bool is_list() const { return kind_ == Kind::kList; }
  bool is_map() const { return kind_ == Kind::kMap; }
  bool is_link() const { return kind_ == Kind::kLink; }

  // Accessors: precondition is the matching kind (checked with an assert); use the optional
  // forms to test and read in one step.
  bool as_bool() const {
    assert(is_bool());
    return p_.b;
  }
  const Integer& as_integer() const {
    assert(is_integer());
    return p_.i;
  }
  double as_float() const {
    assert(is_float());
    return p_.d;
  }
  const std::string& as_string() const {
    assert(is_string());
    return object<std::string>();
  }
  const Bytes& as_bytes() const {
    assert(is_bytes());
    return object<Bytes>();
  }
  const List& as_list() const {
    assert(is_list());
    return object<List>();
  }
  const Map& as_map() const {
    assert(is_map());
    return object<Map>();
  }
  const Cid& as_link() const {
    assert(is_link());
    return object<Cid>();
  }

  std::optional<int64_t> to_int64() const;    // integer in int64 range
  std::optional<uint64_t> to_uint64() const;  // non-negative integer
  std::optional<std::string_view> to_string_view() const;

  // Map lookup (nullptr if not a map or no such key) and list index (nullptr if out of range).
  const Value* find(std::string_view key) const;
  const Value* at(size_t index) const;

  // Deep structural equality (floats compare bitwise so that NaN == NaN and 0.0 != -0.0).
  friend bool operator==(const Value& a, const Value& b);

 private:
  friend class DocumentArena;

  struct Shared {
    const void* object;
    detail::Owner* owner;
  };
  // All members are trivially copyable, so copying the union copies whichever one is active.
  union Payload {
    bool b;
    Integer i;
    double d;
    Shared s;
    Payload() : d(0) {}
  };

  Value(Kind k, const void* object, detail::Owner* owner, bool borrowed) : kind_(k), borrowed_(borrowed) {
    p_.s = Shared{object, owner};
  }
  template <class T>
  static Value make_node(Kind k, T&& v);
  bool is_shared() const { return kind_ >= Kind::kString; }
  template <class T>
  const T& object() const { return *static_cast<const T*>(p_.s.object); }
  void swap(Value& o) noexcept {
    std::swap(kind_, o.kind_);
    std::swap(borrowed_, o.borrowed_);
    std::swap(p_, o.p_);
  }
  void retain() noexcept {
    // A copy always owns, even a copy of a borrowed Value.
    if (is_shared()) p_.s.owner->refs.fetch_add(1, std::memory_order_relaxed);
  }
  void release() noexcept {
    if (is_shared() && !borrowed_ && p_.s.owner->refs.fetch_sub(1, std::memory_order_acq_rel) == 1)
      p_.s.owner->destroy(p_.s.owner);
  }

  Kind kind_ = Kind::kNull;
  bool borrowed_ = false;  // lives inside an arena container; holds no count of its own
  Payload p_;
};

}  // namespace ipvm::ipld
