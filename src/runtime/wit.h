// WIT function signatures for core-module guests (Component Model canonical ABI subset).
//
// A task's `sig` names the guest function's types, for example
//   func(img: list<u8>, width: u32, height: u32) -> list<u8>
// Supported types: bool, s8..s64, u8..u64, f32 (float32), f64 (float64), char, string, list<T>,
// tuple<T, ...>, option<T>, result<T, E> (either side may be `_` or omitted), enum { a, b },
// and, since a bare signature has no place for named type definitions, inline
// record { name: T, ... }. Identifiers may be kebab-case and may be %-escaped.
// A function has at most one unnamed result type (`-> T`); `-> (a: T, b: U)` is a tuple of results.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace ipvm::runtime {

enum class WitKind {
  kBool, kS8, kU8, kS16, kU16, kS32, kU32, kS64, kU64, kF32, kF64, kChar, kString,
  kList, kTuple, kRecord, kOption, kResult, kEnum,
};

struct WitType;
using WitTypePtr = std::shared_ptr<const WitType>;

struct WitField {
  std::string name;
  WitTypePtr type;
};

struct WitType {
  WitKind kind = WitKind::kBool;
  WitTypePtr element;                 // list<T>, option<T>
  WitTypePtr ok, err;                 // result<ok, err>; either may be null (no payload)
  std::vector<WitField> fields;       // record fields; tuple members (names empty)
  std::vector<std::string> cases;     // enum cases

  std::string to_string() const;
};

struct WitParam {
  std::string name;
  WitTypePtr type;
};

struct WitFunc {
  std::vector<WitParam> params;
  std::vector<WitParam> results;  // empty, one unnamed, or several named
  std::string to_string() const;
};

// Parses "func(...) -> ..."; errors name the column (kind "wit").
Result<WitFunc> parse_wit_func(std::string_view text);
// Parses a single type, e.g. "list<u8>".
Result<WitTypePtr> parse_wit_type(std::string_view text);

}  // namespace ipvm::runtime
