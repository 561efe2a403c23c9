#include "wasm/value.h"

#include <cmath>

#include <fmt/format.h>

namespace ipvm::wasm {

std::string Value::to_string() const {
  switch (type) {
    case ValType::kI32:
      return fmt::format("i32:{}", as_u32());
    case ValType::kI64:
      return fmt::format("i64:{}", as_u64());
    case ValType::kF32:
      if (std::isnan(as_f32())) return fmt::format("f32:nan:0x{:08x}", as_u32());
      return fmt::format("f32:{}", as_f32());
    case ValType::kF64:
      if (std::isnan(as_f64())) return fmt::format("f64:nan:0x{:016x}", bits);
      return fmt::format("f64:{}", as_f64());
    case ValType::kV128:
      return fmt::format("v128:0x{:016x}{:016x}", hi, bits);
    case ValType::kFuncRef:
      return is_null() ? "funcref:null" : fmt::format("funcref:{}", func_id());
    case ValType::kExternRef:
      return is_null() ? "externref:null" : fmt::format("externref:{}", extern_value());
  }
  return "?";
}

}  // namespace ipvm::wasm
