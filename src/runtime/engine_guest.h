// The canonical ABI's view (CabiGuest) of a live engine instance, and the fuel meter shared by
// every call a task makes into its guest (_initialize, cabi_realloc, the function, cabi_post_*):
// one budget, so the receipt's fuel is the task's total and the limit bounds all of it.
#pragma once

#include <optional>
#include <span>

#include "runtime/cabi.h"
#include "wasm/engine.h"

namespace ipvm::runtime {

class FuelMeter {
 public:
  explicit FuelMeter(wasm::CallLimits limits) : limits_(limits), budget_(limits.fuel) {}

  // Calls f with what is left of the budget. A trap is kept (the first one) for the receipt.
  wasm::Outcome call(wasm::Store& store, wasm::Func* f, std::span<const wasm::Value> args);

  // Spends `fuel` without a call (the caller checked it fits the budget).
  void charge(uint64_t fuel) { used_ += fuel; }
  uint64_t used() const { return used_; }
  uint64_t budget() const { return budget_; }
  const std::optional<wasm::Trap>& trap() const { return trap_; }
  const wasm::CallLimits& limits() const { return limits_; }

 private:
  wasm::CallLimits limits_;
  uint64_t budget_;
  uint64_t used_ = 0;
  std::optional<wasm::Trap> trap_;
};

// Memory 0 of the instance and its `cabi_realloc` export. A trap inside cabi_realloc fails the
// access with kind "trap" (the meter holds the trap itself).
class EngineGuest final : public CabiGuest {
 public:
  EngineGuest(wasm::Store& store, wasm::Instance& instance, FuelMeter& meter);

  Result<uint32_t> realloc(uint32_t old_ptr, uint32_t old_size, uint32_t align, uint32_t new_size) override;
  Status read(uint32_t addr, std::span<uint8_t> out) override;
  Status write(uint32_t addr, ByteView data) override;

 private:
  wasm::Store& store_;
  wasm::Instance& instance_;
  FuelMeter& meter_;
  wasm::Func* realloc_ = nullptr;
};

}  // namespace ipvm::runtime
