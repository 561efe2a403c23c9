// Functions as store objects: either WebAssembly code of an instance, or a host callable.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include <tl/expected.hpp>

#include "wasm/module.h"
#include "wasm/trap.h"
#include "wasm/value.h"

namespace ipvm::wasm {

class HostContext;
struct Instance;

// A host function writes exactly type.results.size() values (of the declared types) to `results`,
// or returns a Trap (Trap::host("...") for errors, Trap::exit(code) to end the program).
using HostStatus = tl::expected<void, Trap>;
using HostFunction =
    std::function<HostStatus(HostContext& ctx, std::span<const Value> args, std::span<Value> results)>;

struct Func {
  uint32_t id = 0;                  // index in Store::func(id); funcref values carry id + 1
  const FuncType* type = nullptr;   // interned in the store: stable for the store's lifetime
  uint32_t type_id = 0;             // store-wide structural type id: equal ids <=> equal types
  Instance* instance = nullptr;     // defining instance (null for host functions)
  uint32_t index = 0;               // index in the defining module's function space
  uint32_t code = 0;                // defined-function index (index - imported functions)
  HostFunction host;                // host functions only
  std::string host_name;            // host functions only, for traps

  bool is_host() const { return instance == nullptr; }
  std::string name() const;         // the module's debug name, or host_name
};

}  // namespace ipvm::wasm
