#include "wasm/trap.h"

#include <fmt/format.h>

namespace ipvm::wasm {

const char* trap_kind_message(TrapKind kind) {
  switch (kind) {
    case TrapKind::kUnreachable: return "unreachable";
    case TrapKind::kMemoryOutOfBounds: return "out of bounds memory access";
    case TrapKind::kTableOutOfBounds: return "out of bounds table access";
    case TrapKind::kUndefinedElement: return "undefined element";
    case TrapKind::kUninitializedElement: return "uninitialized element";
    case TrapKind::kIndirectCallTypeMismatch: return "indirect call type mismatch";
    case TrapKind::kIntegerDivideByZero: return "integer divide by zero";
    case TrapKind::kIntegerOverflow: return "integer overflow";
    case TrapKind::kInvalidConversion: return "invalid conversion to integer";
    case TrapKind::kCallStackExhausted: return "call stack exhausted";
    case TrapKind::kOutOfFuel: return "out of fuel";
    case TrapKind::kDeadline: return "deadline exceeded";
    case TrapKind::kHost: return "";
    case TrapKind::kExit: return "exit";
  }
  return "";
}

std::string Trap::to_string() const {
  if (function.empty()) return message;
  return fmt::format("{} (in func '{}' at offset 0x{:x})", message, function, offset);
}

}  // namespace ipvm::wasm
