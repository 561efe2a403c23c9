// Policy selectors (UCAN delegation spec, jq-like): they pick a value out of an invocation's args.
//
//   .             identity              .foo, .bar0_     field of a map
//   ["any key"]   field by any key      [0], [-1]        list index (negative: from the end)
//   [2:5] [:-1]   list slice (clamped)  []               every value of a list or map
//   ?             optional suffix: what would fail to resolve yields null instead (`??` == `?`)
//
// Resolution semantics (spec "Validation"): a missing key on a map yields null; anything else that
// cannot be resolved (index out of range, field of a non-map, ...) makes the selection fail, and
// selection stops at the first failing segment even if a later one is optional. Indexes and
// slices also apply to bytes (as a list of byte values). After `[]` the rest of the path applies
// to each child and the result is the list of the children that resolved.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "ipld/value.h"

namespace ipvm::ucan {

struct SelectorSegment {
  enum class Kind { kField, kIndex, kSlice, kIterate };
  Kind kind = Kind::kField;
  std::string field;
  int64_t index = 0;
  std::optional<int64_t> from, to;  // slice bounds
  bool optional = false;
};

struct Selector {
  std::string text;
  std::vector<SelectorSegment> segments;  // empty: identity
};

// Kind "policy"; the message names the selector and the offending position.
Result<Selector> parse_selector(std::string_view text);

// The selected value, or nullopt when the selector does not resolve.
std::optional<ipld::Value> select(const Selector& s, const ipld::Value& root);

}  // namespace ipvm::ucan
