#include "runtime/engine_guest.h"

namespace ipvm::runtime {

wasm::Outcome FuelMeter::call(wasm::Store& store, wasm::Func* f, std::span<const wasm::Value> args) {
  wasm::CallLimits l = limits_;
  l.fuel = budget_ > used_ ? budget_ - used_ : 0;
  wasm::Outcome out = store.call(f, args, l);
  used_ += out.fuel_used;
  if (out.trapped() && !trap_) trap_ = out.trap;
  return out;
}

EngineGuest::EngineGuest(wasm::Store& store, wasm::Instance& instance, FuelMeter& meter)
    : store_(store), instance_(instance), meter_(meter), realloc_(instance.func("cabi_realloc")) {}

Result<uint32_t> EngineGuest::realloc(uint32_t old_ptr, uint32_t old_size, uint32_t align, uint32_t new_size) {
  if (!realloc_) return fail("abi", "the module does not export cabi_realloc, which strings and lists need");
  const wasm::FuncType& t = *realloc_->type;
  if (t.params.size() != 4 || t.results.size() != 1 || t.results[0] != wasm::ValType::kI32)
    return fail("abi", "cabi_realloc must have type (i32, i32, i32, i32) -> i32");
  const wasm::Value args[4] = {wasm::Value::i32(old_ptr), wasm::Value::i32(old_size), wasm::Value::i32(align),
                               wasm::Value::i32(new_size)};
  wasm::Outcome out = meter_.call(store_, realloc_, args);
  if (!out.ok()) return fail("trap", "cabi_realloc: " + out.trap.to_string());
  return out.results[0].as_u32();
}

Status EngineGuest::read(uint32_t addr, std::span<uint8_t> out) {
  wasm::Memory* mem = instance_.memory0();
  if (!mem) return fail("abi", "the module has no memory");
  if (!mem->read(addr, out.data(), out.size()))
    return failf("abi", "guest memory access [{:#x}, +{}) is out of bounds ({} bytes)", addr, out.size(), mem->size());
  return {};
}

Status EngineGuest::write(uint32_t addr, ByteView data) {
  wasm::Memory* mem = instance_.memory0();
  if (!mem) return fail("abi", "the module has no memory");
  // Arguments are written only where cabi_realloc said: outside the memory is the guest's trap.
  if (!mem->write(addr, data.data(), data.size()))
    return failf("trap", "cabi_realloc gave memory [{:#x}, +{}) outside the guest's {} bytes", addr, data.size(),
                 mem->size());
  return {};
}

}  // namespace ipvm::runtime
