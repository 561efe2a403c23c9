// Validates a decoded module against the WebAssembly 2.0 rules (spec "Validation" and the type
// checking algorithm of its appendix): index spaces, limits, constant expressions, exports, start,
// element/data segments, and every function body (operand stack of value types with an "unknown"
// type for unreachable code, control frames, multi-value block types, select, reference types with
// the declared-function-reference rule for ref.func, data count for memory.init/data.drop,
// alignment). SIMD (v128 and 0xFD opcodes) is rejected with kind "unsupported", message
// "SIMD not supported yet ...".
//
// Function bodies are decoded here for the first time, so body encoding errors come back with kind
// "malformed" (unknown opcode, bad LEB128, missing `end`, "zero byte expected", "data count section
// required"); all other failures have kind "invalid". Messages use the spec interpreter's wording
// ("type mismatch", "unknown function", ...) followed by the function index and byte offset.
//
// A module that passes can be compiled without re-checking: every index is in range, every body is
// well-formed and ends exactly at its last `end`.
#pragma once

#include "base/error.h"
#include "wasm/module.h"

namespace ipvm::wasm {

Status validate_module(const Module& module);

}  // namespace ipvm::wasm
