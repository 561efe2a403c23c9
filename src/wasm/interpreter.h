// The interpreter loop: runs an Execution's frames until the entry function returns, a trap, or a
// suspension for fuel. Engine-internal; hosts use Store::call / Execution::run.
#pragma once

#include <cstdint>

#include "wasm/execution.h"
#include "wasm/trap.h"

namespace ipvm::wasm {

enum class RunStatus : uint8_t { kReturned, kTrapped, kSuspended };

struct RunResult {
  RunStatus status = RunStatus::kReturned;
  Trap trap;  // kTrapped: kind/message filled; function/offset filled by the interpreter
};

// Precondition: ex.frames non-empty, frames.back().pc is where to continue, the stack holds the
// frames' slots. On kReturned, the entry function's results are in ex.stack[0..n).
RunResult interpret(Execution& ex, bool allow_suspend);

}  // namespace ipvm::wasm
