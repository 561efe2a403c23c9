// Compiles the validated function bodies of a module to the internal word code (code.h).
// Deterministic: the same module bytes always give the same code, so saved program counters stay
// meaningful after recompiling in another process.
#pragma once

#include "base/error.h"
#include "wasm/code.h"
#include "wasm/module.h"

namespace ipvm::wasm {

// Precondition: validate_module(module) succeeded. Errors only on internal limits (kind "invalid").
Result<Code> compile_code(const Module& module);

}  // namespace ipvm::wasm
