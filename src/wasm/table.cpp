#include "wasm/table.h"

namespace ipvm::wasm {

Table::Table(TableType type, uint64_t init) : type_(type), elems_(type.limits.min, init) {}

std::optional<Value> Table::get(uint32_t i) const {
  if (i >= elems_.size()) return std::nullopt;
  return Value{type_.elem, elems_[i], 0};
}

bool Table::set(uint32_t i, Value v) {
  if (i >= elems_.size() || v.type != type_.elem) return false;
  elems_[i] = v.bits;
  return true;
}

std::optional<uint32_t> Table::grow(uint32_t delta, uint64_t init, uint32_t limit_elements) {
  uint32_t old = size();
  uint64_t want = uint64_t{old} + delta;
  uint64_t max = type_.limits.max ? *type_.limits.max : UINT32_MAX;
  if (limit_elements < max) max = limit_elements;
  if (want > max) return std::nullopt;
  elems_.resize(static_cast<size_t>(want), init);
  return old;
}

}  // namespace ipvm::wasm
