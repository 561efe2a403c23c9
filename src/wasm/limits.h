// Per-call resource limits and the fuel model.
//
// Fuel: every WebAssembly instruction costs 1 unit (bulk memory/table operations add 1 per 64
// elements or bytes touched, memory.grow 16 per page). Costs are charged in advance at each
// function entry and loop iteration for the whole body up to the next loop (an extended basic
// block; arms skipped by a branch are charged too), so the amount used for a given module and
// input is the same on every machine. When the budget cannot cover the next charge the call either
// traps "out of fuel" or, with `suspend_on_fuel`, suspends right before it (see execution.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "wasm/module.h"

namespace ipvm::wasm {

inline constexpr uint64_t kUnlimitedFuel = uint64_t{1} << 62;

struct CallLimits {
  uint64_t fuel = kUnlimitedFuel;
  bool suspend_on_fuel = false;           // exhausted fuel suspends instead of trapping
  // Wasm frames; deeper: "call stack exhausted". As deep as a native C program gets on an 8 MiB
  // stack; the frames live on the heap (16 bytes each), and max_stack_slots bounds the rest.
  uint32_t max_call_depth = 1'000'000;
  uint32_t max_stack_slots = 1u << 22;    // 64-bit value-stack slots (locals + operands)
  uint32_t max_memory_pages = kMaxPages;  // memory.grow beyond this fails (returns -1)
  uint32_t max_table_elements = 10'000'000;  // table.grow beyond this fails (returns -1)
  uint32_t max_host_reentry = 64;         // nested host->wasm calls on the C stack
  // Run compiled functions as native code where the module has it (jit.h); false: interpreter only.
  bool jit = true;
  // Checked at function entries and loop headers, at least once per ~1M fuel units.
  std::optional<std::chrono::steady_clock::time_point> deadline;
};

}  // namespace ipvm::wasm
