// A table of references. Elements are stored as reference bits (see value.h: 0 = null), so tables
// are plain data and can be shared between instances and serialized as they are.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "wasm/module.h"
#include "wasm/value.h"

namespace ipvm::wasm {

class Table {
 public:
  // Creates type.limits.min elements, each `init` (reference bits).
  Table(TableType type, uint64_t init);

  TableType type() const { return TableType{type_.elem, Limits{size(), type_.limits.max}}; }
  ValType elem_type() const { return type_.elem; }
  uint32_t size() const { return static_cast<uint32_t>(elems_.size()); }
  uint64_t* data() { return elems_.data(); }

  std::optional<Value> get(uint32_t i) const;
  // False if out of range or the value's type differs from the element type.
  bool set(uint32_t i, Value v);
  // Grows by delta elements set to `init` bits; returns the old size or nullopt beyond max/limit.
  std::optional<uint32_t> grow(uint32_t delta, uint64_t init, uint32_t limit_elements = UINT32_MAX);

 private:
  TableType type_;
  std::vector<uint64_t> elems_;
};

// A global variable (runtime; module.h's Global is its definition). Imported globals are shared by reference: instances hold Global*.
struct GlobalVar {
  GlobalType type;
  uint64_t bits = 0;
  uint64_t hi = 0;  // v128 upper half

  Value get() const { return Value{type.type, bits, hi}; }
  // False if immutable or the value's type differs (hosts may force-set with `bits` directly).
  bool set(Value v) {
    if (!type.mutable_ || v.type != type.type) return false;
    bits = v.bits;
    hi = v.hi;
    return true;
  }
};

}  // namespace ipvm::wasm
