#include "wasm/execution.h"

#include <algorithm>
#include <cstring>

#include "wasm/instance.h"
#include "wasm/interpreter.h"
#include "wasm/store.h"

namespace ipvm::wasm {
namespace {

constexpr size_t kInitialStackSlots = 128;  // grows on demand (the interpreter doubles it); 1 KiB stays in malloc's per-thread cache

std::vector<Value> collect_results(const FuncType& t, const uint64_t* slots) {
  std::vector<Value> out;
  out.reserve(t.results.size());
  for (size_t i = 0; i < t.results.size(); ++i) {
    uint64_t bits = slots[i];
    if (t.results[i] == ValType::kI32 || t.results[i] == ValType::kF32) bits = static_cast<uint32_t>(bits);
    out.push_back(Value{t.results[i], bits, 0});
  }
  return out;
}

}  // namespace

Execution::Execution(Store& store, Func* f, std::span<const Value> args, CallLimits limits)
    : store_(&store), entry_(f), limits_(limits), args_(args.begin(), args.end()) {
  set_fuel(limits.fuel);
}

Execution Execution::restore(Store& store, Func* entry, CallLimits limits, std::vector<uint64_t> stack,
                             std::vector<Frame> frames, uint64_t fuel_used) {
  Execution ex(store, entry, {}, limits);
  ex.stack = std::move(stack);
  ex.frames = std::move(frames);
  ex.fuel_used_ = fuel_used;
  ex.state_ = ex.frames.empty() ? State::kDone : State::kSuspended;
  return ex;
}

Outcome Execution::run() {
  if (state_ == State::kDone || state_ == State::kRunning) return last_;
  Outcome out;
  const FuncType& type = *entry_->type;

  if (state_ == State::kReady) {
    if (entry_->is_host()) {
      std::vector<Value> results(type.results.size());
      for (size_t i = 0; i < results.size(); ++i) results[i] = default_value(type.results[i]);
      HostContext ctx(*this, nullptr);
      auto st = entry_->host(ctx, args_, results);
      state_ = State::kDone;
      if (st) {
        out.status = Outcome::Status::kReturned;
        out.results = std::move(results);
      } else {
        out.status = Outcome::Status::kTrapped;
        out.trap = std::move(st.error());
        if (out.trap.function.empty()) out.trap.function = entry_->name();
      }
      out.fuel_used = fuel_used_;
      last_ = out;
      return out;
    }
    const FuncCode& fc = entry_->instance->compiled->code().funcs[entry_->code];
    size_t need = std::max<size_t>(fc.frame_slots, type.results.size());
    if (need > limits_.max_stack_slots) {
      state_ = State::kDone;
      out.status = Outcome::Status::kTrapped;
      out.trap = Trap::make(TrapKind::kCallStackExhausted);
      last_ = out;
      return out;
    }
    stack.assign(std::min<size_t>(std::max(need, kInitialStackSlots), limits_.max_stack_slots), 0);
    for (size_t i = 0; i < args_.size(); ++i) {
      uint64_t bits = args_[i].bits;
      if (args_[i].type == ValType::kI32 || args_[i].type == ValType::kF32) bits = static_cast<uint32_t>(bits);
      stack[i] = bits;
    }
    frames.clear();
    frames.push_back(Frame{entry_->instance->id, entry_->code, fc.entry, 0});
  }

  state_ = State::kRunning;
  int64_t before = fuel_left_;
  RunResult r = interpret(*this, limits_.suspend_on_fuel && host_depth == 0);
  fuel_used_ += static_cast<uint64_t>(before - fuel_left_);
  out.fuel_used = fuel_used_;
  switch (r.status) {
    case RunStatus::kReturned:
      state_ = State::kDone;
      out.status = Outcome::Status::kReturned;
      out.results = collect_results(type, stack.data());
      break;
    case RunStatus::kTrapped:
      state_ = State::kDone;
      out.status = Outcome::Status::kTrapped;
      out.trap = std::move(r.trap);
      break;
    case RunStatus::kSuspended:
      state_ = State::kSuspended;
      out.status = Outcome::Status::kSuspended;
      break;
  }
  last_ = out;
  return out;
}

Memory* HostContext::memory() const { return caller_ ? caller_->memory0() : nullptr; }

Outcome HostContext::call(Func* f, std::span<const Value> args) {
  Outcome out;
  if (execution_.host_depth + 1 > execution_.limits().max_host_reentry) {
    out.status = Outcome::Status::kTrapped;
    out.trap = Trap::make(TrapKind::kCallStackExhausted);
    return out;
  }
  CallLimits lim = execution_.limits();
  lim.suspend_on_fuel = false;
  lim.fuel = execution_.fuel_left();
  auto ex = store().begin(f, args, lim);
  if (!ex) {
    out.status = Outcome::Status::kTrapped;
    out.trap = Trap::host("argument type mismatch: " + ex.error().message);
    return out;
  }
  (*ex)->host_depth = execution_.host_depth + 1;
  out = (*ex)->run();
  execution_.fuel_left_ -= static_cast<int64_t>(out.fuel_used);
  return out;
}

}  // namespace ipvm::wasm
