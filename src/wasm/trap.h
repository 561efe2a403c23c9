// Traps: the ways a WebAssembly call can end abnormally, with the spec's wording.
//
// `message` starts with the spec test suite's expected text ("integer divide by zero", ...), so a
// runner may compare prefixes; `function`/`offset` locate the trapping instruction (offset is the
// byte offset of the instruction in the module binary; 0 when not inside wasm code).
#pragma once

#include <cstdint>
#include <string>

namespace ipvm::wasm {

enum class TrapKind : uint8_t {
  kUnreachable,              // "unreachable"
  kMemoryOutOfBounds,        // "out of bounds memory access"
  kTableOutOfBounds,         // "out of bounds table access"
  kUndefinedElement,         // "undefined element" (call_indirect index beyond the table)
  kUninitializedElement,     // "uninitialized element" (call_indirect of a null entry)
  kIndirectCallTypeMismatch, // "indirect call type mismatch"
  kIntegerDivideByZero,      // "integer divide by zero"
  kIntegerOverflow,          // "integer overflow"
  kInvalidConversion,        // "invalid conversion to integer"
  kCallStackExhausted,       // "call stack exhausted" (frames, value stack or host reentry depth)
  kOutOfFuel,                // "out of fuel"
  kDeadline,                 // "deadline exceeded"
  kHost,                     // a host function failed; message is the host's
  kExit,                     // a host function asked to end the program (WASI proc_exit); see exit_code
};

// The spec's text for a kind ("" for kHost).
const char* trap_kind_message(TrapKind kind);

struct Trap {
  TrapKind kind = TrapKind::kUnreachable;
  std::string message;         // spec wording first; hosts may add detail
  std::string function;        // name of the function that trapped ("" if none)
  uint32_t offset = 0;         // byte offset of the instruction in the module
  int32_t exit_code = 0;       // kExit only

  static Trap make(TrapKind kind) { return Trap{kind, trap_kind_message(kind), {}, 0, 0}; }
  static Trap host(std::string message) { return Trap{TrapKind::kHost, std::move(message), {}, 0, 0}; }
  static Trap exit(int32_t code) { return Trap{TrapKind::kExit, "exit", {}, 0, code}; }

  // "integer divide by zero (in func 'div' at offset 0x2a)"
  std::string to_string() const;
};

}  // namespace ipvm::wasm
