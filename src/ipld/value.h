// The IPLD data model: null, bool, integer, float, string, bytes, list, map, link.
//
// A Value is immutable and cheap to copy: scalars are stored inline, everything else is shared.
// Integers cover the full DAG-CBOR range [-2^64, 2^64-1]. Map keys are unique strings kept in
// DAG-CBOR canonical order (shorter keys first, then bytewise), so lookups are binary searches
// and the DAG-CBOR encoder never re-sorts; DAG-JSON sorts bytewise when it encodes.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
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

class Value {
 public:
  Value() = default;  // null
  static Value null() { return Value(); }
  static Value boolean(bool b);
  static Value integer(int64_t i);
  static Value uinteger(uint64_t u);
  static Value integer(Integer i);
  static Value float64(double d);
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

  Kind kind() const { return static_cast<Kind>(data_.index()); }
  bool is_null() const { return kind() == Kind::kNull; }
  bool is_bool() const { return kind() == Kind::kBool; }
  bool is_integer() const { return kind() == Kind::kInteger; }
  bool is_float() const { return kind() == Kind::kFloat; }
  bool is_string() const { return kind() == Kind::kString; }
  bool is_bytes() const { return kind() == Kind::kBytes; }
  bool is_list() const { return kind() == Kind::kList; }
  bool is_map() const { return kind() == Kind::kMap; }
  bool is_link() const { return kind() == Kind::kLink; }

  // Accessors: precondition is the matching kind (checked with an assert); use the optional
  // forms to test and read in one step.
  bool as_bool() const;
  const Integer& as_integer() const;
  double as_float() const;
  const std::string& as_string() const;
  const Bytes& as_bytes() const;
  const List& as_list() const;
  const Map& as_map() const;
  const Cid& as_link() const;

  std::optional<int64_t> to_int64() const;    // integer in int64 range
  std::optional<uint64_t> to_uint64() const;  // non-negative integer
  std::optional<std::string_view> to_string_view() const;

  // Map lookup (nullptr if not a map or no such key) and list index (nullptr if out of range).
  const Value* find(std::string_view key) const;
  const Value* at(size_t index) const;

  // Deep structural equality (floats compare bitwise so that NaN == NaN and 0.0 != -0.0).
  friend bool operator==(const Value& a, const Value& b);

 private:
  using Data = std::variant<std::monostate, bool, Integer, double, std::shared_ptr<const std::string>,
                            std::shared_ptr<const Bytes>, std::shared_ptr<const List>,
                            std::shared_ptr<const Map>, std::shared_ptr<const Cid>>;
  explicit Value(Data d) : data_(std::move(d)) {}
  Data data_;
};

}  // namespace ipvm::ipld
