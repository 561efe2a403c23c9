// The WebAssembly engine's embedding API (one include for hosts).
//
//   auto cm = CompiledModule::compile(bytes);             // decode + validate + compile, once
//   Store store;                                          // owns all runtime objects of a task
//   Linker linker;                                        // (module, name) -> host/other exports
//   linker.define("env", "log", Extern::of(store.create_host_func(type, fn)));
//   IPVM_TRY(Instance* inst, linker.instantiate(store, *cm));  // cm: shared_ptr
//   Outcome out = store.call(inst->func("run"), args, CallLimits{.fuel = 1'000'000});
//   // out.status: kReturned (out.results) / kTrapped (out.trap) / kSuspended; out.fuel_used.
//
// Suspendable calls: store.begin(f, args, {.fuel = N, .suspend_on_fuel = true}) -> Execution;
// run() until it returns kSuspended, add_fuel(), run() again. An Execution's state is plain data
// (execution.h) so it can be saved into a snapshot together with the store's objects.
//
// Determinism: results of float arithmetic that are NaN are the canonical NaN with positive sign
// (0x7fc00000 / 0x7ff8000000000000); abs/neg/copysign/reinterpret/loads/stores/consts keep NaN
// bits exactly. Nothing host-dependent (time, addresses, randomness) is visible to guests except
// through host functions.
#pragma once

#include "wasm/compiled_module.h"
#include "wasm/execution.h"
#include "wasm/extern.h"
#include "wasm/func.h"
#include "wasm/instance.h"
#include "wasm/limits.h"
#include "wasm/linker.h"
#include "wasm/memory.h"
#include "wasm/store.h"
#include "wasm/table.h"
#include "wasm/trap.h"
#include "wasm/value.h"
