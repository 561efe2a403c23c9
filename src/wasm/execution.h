// One call into WebAssembly and all of its state, as plain data owned by the engine.
//
// Frames live in `frames` and values in `stack` (not on the C stack), so deep recursion ends in a
// clean "call stack exhausted" trap and a call can stop at a block boundary and continue later.
// A suspended Execution holds everything needed to continue: stack slots, frames (store instance
// id, defined function index, word pc, frame offset) and the fuel counters; together with the
// store's memories, tables and globals this is the full state a snapshot needs.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "wasm/func.h"
#include "wasm/limits.h"
#include "wasm/trap.h"
#include "wasm/value.h"

namespace ipvm::wasm {

class Store;
class Memory;
struct Instance;

struct Frame {
  uint32_t instance = 0;  // Store::instance(id)
  uint32_t func = 0;      // defined-function index in that instance's module
  uint32_t pc = 0;        // word index: where this frame continues (caller frames: after the call)
  uint32_t fp = 0;        // slot index of the frame's local 0 in `stack`
};

struct Outcome {
  enum class Status : uint8_t { kReturned, kTrapped, kSuspended };
  Status status = Status::kReturned;
  std::vector<Value> results;  // kReturned
  Trap trap;                   // kTrapped
  uint64_t fuel_used = 0;      // total for this Execution so far

  bool ok() const { return status == Status::kReturned; }
  bool trapped() const { return status == Status::kTrapped; }
  bool suspended() const { return status == Status::kSuspended; }
};

class Execution {
 public:
  enum class State : uint8_t { kReady, kRunning, kSuspended, kDone };

  // Prefer Store::begin, which checks the arguments. `args` must match f's parameter types.
  Execution(Store& store, Func* f, std::span<const Value> args, CallLimits limits);

  // Runs (kReady) or continues (kSuspended) the call until it returns, traps or suspends again.
  // Calling run() on a finished Execution returns its last outcome.
  Outcome run();
  // Adds to the remaining budget (typically before continuing a call suspended for fuel). Budgets
  // saturate at kUnlimitedFuel, so a huge one never wraps into a negative (exhausted) budget.
  void add_fuel(uint64_t fuel) {
    constexpr auto kMax = static_cast<int64_t>(kUnlimitedFuel);
    const int64_t sum = fuel_left_ + static_cast<int64_t>(fuel < kUnlimitedFuel ? fuel : kUnlimitedFuel);
    fuel_left_ = sum < kMax ? sum : kMax;  // both terms are at most 2^62: no overflow
  }
  // Sets the remaining budget to exactly `fuel` (at most kUnlimitedFuel).
  void set_fuel(uint64_t fuel) { fuel_left_ = static_cast<int64_t>(fuel < kUnlimitedFuel ? fuel : kUnlimitedFuel); }

  State state() const { return state_; }
  uint64_t fuel_used() const { return fuel_used_; }
  uint64_t fuel_left() const { return fuel_left_ > 0 ? static_cast<uint64_t>(fuel_left_) : 0; }
  CallLimits& limits() { return limits_; }
  Store& store() { return *store_; }
  Func* entry() const { return entry_; }

  // --- Engine state (plain data; read by snapshot code, written by restore) ---
  std::vector<uint64_t> stack;  // value-stack slots; grows on demand up to limits.max_stack_slots
  std::vector<Frame> frames;    // frames[0] = entry function; back() = the running/suspended one
  uint32_t host_depth = 0;      // nesting of host->wasm reentry (0 for a top-level call)

  // Restore support: rebuilds a suspended Execution from saved state (store must hold the
  // same instances, with identical module bytes, as when it was saved).
  static Execution restore(Store& store, Func* entry, CallLimits limits, std::vector<uint64_t> stack,
                           std::vector<Frame> frames, uint64_t fuel_used);

  // Internal: used by the interpreter.
  int64_t fuel_left_ = 0;
  uint64_t fuel_used_ = 0;
  State state_ = State::kReady;
  Outcome last_;

 private:
  Store* store_;
  Func* entry_;
  CallLimits limits_;
  std::vector<Value> args_;
};

// What a host function sees of its caller.
class HostContext {
 public:
  HostContext(Execution& execution, Instance* caller) : execution_(execution), caller_(caller) {}

  Store& store() { return execution_.store(); }
  Execution& execution() { return execution_; }
  // The instance whose code made the call (null when the host function is called directly).
  Instance* caller() const { return caller_; }
  // The caller's memory 0, or null. Its data() may move if wasm runs again (call() below).
  Memory* memory() const;
  // Re-enters WebAssembly (bounded by limits.max_host_reentry), drawing on this call's fuel and
  // limits. A nested call never suspends: running out of fuel inside it traps.
  Outcome call(Func* f, std::span<const Value> args);

 private:
  Execution& execution_;
  Instance* caller_;
};

}  // namespace ipvm::wasm
