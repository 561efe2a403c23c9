#include "runtime/guest_call.h"

#include <bit>
#include <chrono>
#include <cmath>
#include <limits>

#include "base/ellipsis.h"
#include "runtime/cabi.h"
#include "runtime/engine_guest.h"
#include "runtime/receipt.h"
#include "wasm/engine.h"
#include "wasm/wasi_process.h"

namespace ipvm::runtime {

namespace {

struct Answer {
  ipld::Value out;
  bool memoizable = true;
};

Answer err(std::string_view name, std::string message, bool memoizable = true) {
  return Answer{error_out(name, message), memoizable};
}

wasm::ValType to_valtype(CoreType t) {
  switch (t) {
    case CoreType::kI32: return wasm::ValType::kI32;
    case CoreType::kI64: return wasm::ValType::kI64;
    case CoreType::kF32: return wasm::ValType::kF32;
    case CoreType::kF64: return wasm::ValType::kF64;
  }
  return wasm::ValType::kI32;
}

std::string exports_list(const wasm::Module& m) {
  std::string s;
  for (const auto& e : m.exports) {
    if (e.kind != wasm::ExternKind::kFunc || e.name == "_initialize" || e.name == "cabi_realloc" ||
        e.name.rfind("cabi_post_", 0) == 0)
      continue;
    if (!s.empty()) s += ", ";
    s += e.name;
  }
  return s.empty() ? "no functions" : s;
}

// Whether the engine refused a memory.grow because of the task's memory limit: a trap or a
// failing exit after that is the guest giving up on an allocation, so it is reported as such.
bool memory_exhausted(const wasm::Instance* inst) {
  const wasm::Memory* mem = inst ? inst->memory0() : nullptr;
  return mem && mem->grows_refused_by_limit() > 0;
}

Answer out_of_memory(const GuestCall& c, const wasm::Trap& t) {
  return err(errname::kOutOfMemory,
             fmt::format("out of memory: the guest asked for more than the task's limit of {} bytes of memory "
                         "and then failed ({})",
                         c.limits.memory, t.to_string()),
             false);
}

Answer from_trap(const wasm::Trap& t, const GuestCall& c, const FuelMeter& meter, const wasm::Instance* inst = nullptr) {
  switch (t.kind) {
    case wasm::TrapKind::kOutOfFuel:
      return err(errname::kOutOfFuel,
                 fmt::format("out of fuel: the task used up its limit of {} units ({})", c.limits.fuel, t.to_string()),
                 false);
    case wasm::TrapKind::kDeadline:
      return err(errname::kTimeout,
                 fmt::format("timeout: the task ran longer than its limit of {} ms ({})", c.limits.time_ms, t.to_string()),
                 false);
    case wasm::TrapKind::kExit:
      if (t.exit_code == 0) return Answer{ok_out(ipld::Value()), true};
      if (memory_exhausted(inst)) return out_of_memory(c, t);
      return err(errname::kExit, fmt::format("the program exited with code {}", t.exit_code));
    default:
      if (memory_exhausted(inst)) return out_of_memory(c, t);
      return err(errname::kTrap, "trap: " + t.to_string());
  }
}

bool inert_at(const wasm::Module& m, uint32_t index, int depth) {
  if (depth > 8 || index < m.num_imported_funcs || index >= m.total_funcs()) return false;
  const wasm::Function& f = m.functions[index - m.num_imported_funcs];
  if (!f.locals.empty() || f.type >= m.types.size()) return false;
  const wasm::FuncType& t = m.types[f.type];
  if (!t.params.empty() || !t.results.empty()) return false;
  if (uint64_t{f.body_offset} + f.body_size > m.bytes.size() || f.body_size == 0) return false;
  const uint8_t* b = m.bytes.data() + f.body_offset;
  const uint32_t n = f.body_size;
  uint32_t i = 0;
  while (i + 1 < n) {
    if (b[i++] != 0x10) return false;  // anything but `call`
    uint32_t callee = 0;
    int shift = 0;
    for (;;) {
      if (i >= n || shift > 28) return false;
      const uint8_t byte = b[i++];
      callee |= uint32_t{byte & 0x7fu} << shift;
      shift += 7;
      if (!(byte & 0x80)) break;
    }
    if (!inert_at(m, callee, depth + 1)) return false;
  }
  return i + 1 == n && b[i] == 0x0b;
}

Answer run(const GuestCall& c, FuelMeter& meter, wasm::Store& store, wasm::Instance& inst) {
  if (wasm::Func* init = inst.func("_initialize"); init && c.fun != "_initialize") {
    std::optional<uint64_t> known = c.inert_init ? c.inert_init->fuel(c.module) : std::nullopt;
    if (known && meter.used() <= meter.budget() && meter.budget() - meter.used() >= *known) {
      meter.charge(*known);  // exactly what calling it would have spent, with no other effect
    } else {
      const uint64_t before = meter.used();
      wasm::Outcome o = meter.call(store, init, {});
      if (!o.ok()) return from_trap(o.trap, c, meter, &inst);
      if (c.inert_init && !init->is_host() && init->instance == &inst &&
          inert_function(c.module->module(), init->index))
        c.inert_init->remember(c.module, meter.used() - before);
    }
  }
  wasm::Func* f = inst.func(c.fun);
  const wasm::FuncType& ft = *f->type;
  const ipld::List& params = *c.params;
  std::vector<wasm::Value> args;
  args.reserve(ft.params.size());
  std::optional<EngineGuest> guest;

  if (!c.sig) {
    if (params.size() != ft.params.size())
      return err(errname::kInvalidArguments,
                 fmt::format("{} takes {} argument{} (core type {}), got {}; give a WIT signature (sig) for "
                             "strings, lists and records",
                             c.fun, ft.params.size(), ft.params.size() == 1 ? "" : "s", core_type_string(ft),
                             params.size()));
    for (size_t i = 0; i < params.size(); ++i) {
      auto bits = lower_core(ft.params[i], params[i], fmt::format("argument {} of {}", i + 1, c.fun));
      if (!bits) return err(errname::kInvalidArguments, fmt::format("{} (core type {})", bits.error().message, core_type_string(ft)));
      args.push_back(wasm::Value{ft.params[i], *bits, 0});
    }
  } else {
    CoreSignature cs = core_signature(*c.sig);
    bool match = cs.params.size() == ft.params.size() && cs.results.size() == ft.results.size();
    for (size_t i = 0; match && i < cs.params.size(); ++i) match = to_valtype(cs.params[i]) == ft.params[i];
    for (size_t i = 0; match && i < cs.results.size(); ++i) match = to_valtype(cs.results[i]) == ft.results[i];
    if (!match) {
      wasm::FuncType want;
      for (CoreType t : cs.params) want.params.push_back(to_valtype(t));
      for (CoreType t : cs.results) want.results.push_back(to_valtype(t));
      return err(errname::kInvalidArguments,
                 fmt::format("export '{}' has core type {}, but the signature {} lowers to {}", c.fun,
                             core_type_string(ft), c.sig->to_string(), core_type_string(want)));
    }
    guest.emplace(store, inst, meter);
    auto flat = lower_arguments(*c.sig, params, *guest);
    if (!flat) {
      if (meter.trap()) return from_trap(*meter.trap(), c, meter, &inst);
      if (flat.error().kind == "trap") return err(errname::kTrap, "trap: " + flat.error().message);
      std::string msg = flat.error().message;
      if (msg.find("func(") == std::string::npos) msg += fmt::format(" (expected {})", c.sig->to_string());
      return err(errname::kInvalidArguments, msg);
    }
    for (size_t i = 0; i < flat->size(); ++i) args.push_back(wasm::Value{ft.params[i], (*flat)[i], 0});
  }

  wasm::Outcome o = meter.call(store, f, args);
  if (!o.ok()) return from_trap(o.trap, c, meter, &inst);

  ipld::Value value;
  if (!c.sig) {
    if (o.results.size() == 1) {
      auto v = lift_core(o.results[0], fmt::format("the result of {}", c.fun));
      if (!v) return err(errname::kInvalidResult, v.error().message);
      value = std::move(*v);
    } else if (o.results.size() > 1) {
      ipld::List items;
      for (size_t i = 0; i < o.results.size(); ++i) {
        auto v = lift_core(o.results[i], fmt::format("result {} of {}", i + 1, c.fun));
        if (!v) return err(errname::kInvalidResult, v.error().message);
        items.push_back(std::move(*v));
      }
      value = ipld::Value::list(std::move(items));
    }
  } else {
    std::vector<uint64_t> flat;
    flat.reserve(o.results.size());
    for (const auto& r : o.results) flat.push_back(r.bits);
    auto v = lift_results(*c.sig, flat, *guest);
    if (!v) {
      if (meter.trap()) return from_trap(*meter.trap(), c, meter, &inst);
      return err(errname::kInvalidResult, fmt::format("{} (signature {})", v.error().message, c.sig->to_string()));
    }
    value = std::move(*v);
    std::string post_name = "cabi_post_" + std::string(c.fun);
    if (wasm::Func* post = inst.func(post_name)) {
      if (post->type->params == ft.results) {
        wasm::Outcome p = meter.call(store, post, o.results);
        if (!p.ok()) return from_trap(p.trap, c, meter, &inst);
      }
    }
  }
  return Answer{ok_out(std::move(value)), true};
}

}  // namespace

std::string core_type_string(const wasm::FuncType& t) {
  auto list = [](const std::vector<wasm::ValType>& v) {
    std::string s = "(";
    for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::string(wasm::valtype_name(v[i]));
    return s + ")";
  };
  std::string s = list(t.params) + " -> ";
  if (t.results.size() == 1) return s + wasm::valtype_name(t.results[0]);
  return s + list(t.results);
}

Result<uint64_t> lower_core(wasm::ValType t, const ipld::Value& v, std::string_view what) {
  switch (t) {
    case wasm::ValType::kI32:
    case wasm::ValType::kI64: {
      bool is32 = t == wasm::ValType::kI32;
      if (!v.is_integer())
        return failf("abi", "{} must be an integer for {}, got {}", what, wasm::valtype_name(t), ipld::kind_name(v.kind()));
      if (auto s = v.to_int64()) {
        if (is32 && (*s < std::numeric_limits<int32_t>::min() || *s > int64_t{0xffffffff}))
          return failf("abi", "{} = {} is out of range for i32 [-2^31, 2^32-1]", what, *s);
        return is32 ? uint64_t{static_cast<uint32_t>(*s)} : static_cast<uint64_t>(*s);
      }
      if (auto u = v.to_uint64(); u && !is32) return *u;
      return failf("abi", "{} is out of range for {}", what, wasm::valtype_name(t));
    }
    case wasm::ValType::kF32:
    case wasm::ValType::kF64: {
      double d;
      if (v.is_float()) d = v.as_float();
      else if (auto s = v.to_int64()) d = static_cast<double>(*s);
      else if (auto u = v.to_uint64()) d = static_cast<double>(*u);
      else return failf("abi", "{} must be a number for {}, got {}", what, wasm::valtype_name(t), ipld::kind_name(v.kind()));
      if (t == wasm::ValType::kF64) return std::bit_cast<uint64_t>(d);
      std::optional<float> f = f32_of(d);
      if (!f) return failf("abi", "{} = {} is out of range for f32", what, d);
      return uint64_t{std::bit_cast<uint32_t>(*f)};
    }
    default:
      return failf("abi", "{} has type {}, which tasks cannot pass", what, wasm::valtype_name(t));
  }
}

Result<ipld::Value> lift_core(const wasm::Value& v, std::string_view what) {
  switch (v.type) {
    case wasm::ValType::kI32: return ipld::Value::integer(int64_t{v.as_i32()});
    case wasm::ValType::kI64: return ipld::Value::integer(v.as_i64());
    case wasm::ValType::kF32:
    case wasm::ValType::kF64: {
      double d = v.type == wasm::ValType::kF32 ? static_cast<double>(v.as_f32()) : v.as_f64();
      if (!std::isfinite(d)) return failf("abi", "{} is {}, which IPLD cannot represent", what, d);
      return ipld::Value::float64(d);
    }
    default:
      return failf("abi", "{} has type {}, which tasks cannot return", what, wasm::valtype_name(v.type));
  }
}

GuestResult call_guest(const GuestCall& c) {
  GuestResult r;
  const wasm::Module& m = c.module->module();
  auto finish = [&](Answer a) {
    r.out = std::move(a.out);
    r.memoizable = a.memoizable;
    return r;
  };
  bool exported = false;
  for (const auto& e : m.exports)
    if (e.kind == wasm::ExternKind::kFunc && e.name == c.fun) exported = true;
  if (!exported)
    return finish(err(errname::kMissingExport,
                      fmt::format("the module has no exported function '{}' (it exports {})", ellipsize(c.fun),
                                  ellipsize(exports_list(m), 200))));

  uint64_t max_pages64 = c.limits.memory / wasm::kPageSize;
  uint32_t max_pages = static_cast<uint32_t>(std::min<uint64_t>(max_pages64, wasm::kMaxPages));
  for (const auto& mem : m.memories)
    if (mem.limits.min > max_pages)
      return finish(err(errname::kOutOfMemory,
                        fmt::format("out of memory: the module starts with {} bytes of memory, above the task's limit of {} bytes",
                                    uint64_t{mem.limits.min} * wasm::kPageSize, c.limits.memory),
                        false));

  wasm::CallLimits cl;
  cl.fuel = c.limits.fuel;
  cl.max_memory_pages = max_pages;
  cl.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(c.limits.time_ms);
  FuelMeter meter(cl);

  // Modules without imports (the common pure function) skip the WASI host functions entirely.
  std::unique_ptr<wasm::WasiProcess> proc;
  std::unique_ptr<wasm::Store> own;
  wasm::Store* store = nullptr;
  wasm::Instance* inst = nullptr;
  Result<wasm::Instance*> made = nullptr;
  if (m.imports.empty()) {
    own = std::make_unique<wasm::Store>(c.memory_pool);
    store = own.get();
    made = wasm::Linker().instantiate(*store, c.module, cl);
  } else {
    wasm::WasiState st;
    st.args = {std::string(c.fun)};
    st.output_cap = c.output_cap;
    if (c.random_seed.size() == 32) st.random_seed = c.random_seed;
    auto p = wasm::WasiProcess::create(c.module, std::move(st), cl, c.memory_pool);
    if (p) {
      proc = std::move(*p);
      store = proc->store.get();
      made = proc->instance;
    } else {
      made = tl::unexpected(p.error());
    }
  }
  if (!made) {
    const Error& e = made.error();
    if (e.kind == "unlinkable")
      return finish(err(errname::kInvalidModule,
                        fmt::format("cannot link the module: {} (tasks get only wasi_snapshot_preview1)", e.message)));
    return finish(err(errname::kTrap, "trap while instantiating the module: " + e.message));
  }
  inst = *made;
  Answer a = run(c, meter, *store, *inst);
  r.fuel_used = meter.used();
  if (proc) {
    r.stdout_text = std::move(proc->wasi->state().stdout_buf);
    r.stderr_text = std::move(proc->wasi->state().stderr_buf);
  }
  return finish(std::move(a));
}

bool inert_function(const wasm::Module& m, uint32_t index) { return inert_at(m, index, 0); }

std::optional<uint64_t> InertInitCache::fuel(const std::shared_ptr<const wasm::CompiledModule>& m) const {
  auto it = entries_.find(m.get());
  if (it == entries_.end() || it->second.module.lock() != m) return std::nullopt;
  return it->second.fuel;
}

void InertInitCache::remember(const std::shared_ptr<const wasm::CompiledModule>& m, uint64_t fuel) {
  if (entries_.size() >= 256) std::erase_if(entries_, [](const auto& e) { return e.second.module.expired(); });
  if (entries_.size() >= 256) entries_.clear();  // bounded: forgetting only costs a real call
  entries_[m.get()] = Entry{m, fuel};
}

}  // namespace ipvm::runtime
