#include "wasm/store.h"

#include <fmt/format.h>

#include "wasm/linker.h"

namespace ipvm::wasm {
namespace {

std::string type_key(const FuncType& t) {
  std::string k = std::to_string(t.params.size());
  k.push_back(':');  // not a value type byte (those are 0x6f..0x7f)
  for (ValType v : t.params) k.push_back(static_cast<char>(v));
  for (ValType v : t.results) k.push_back(static_cast<char>(v));
  return k;
}

uint64_t eval_const(const ConstExpr& e, const Instance& inst) {
  switch (e.op) {
    case ConstExpr::Op::kI32Const:
    case ConstExpr::Op::kF32Const:
      return static_cast<uint32_t>(e.bits);
    case ConstExpr::Op::kI64Const:
    case ConstExpr::Op::kF64Const:
      return e.bits;
    case ConstExpr::Op::kRefNull:
      return 0;
    case ConstExpr::Op::kRefFunc:
      return uint64_t{inst.funcs[e.index]->id} + 1;
    case ConstExpr::Op::kGlobalGet:
      return inst.globals[e.index]->bits;
  }
  return 0;
}

}  // namespace

Store::Store() = default;
Store::Store(MemoryPool* memory_pool) : memory_pool_(memory_pool) {}
Store::~Store() = default;

uint32_t Store::intern_type(const FuncType& type) {
  std::string key = type_key(type);
  auto it = type_ids_.find(key);
  if (it != type_ids_.end()) return it->second;
  uint32_t id = static_cast<uint32_t>(types_.size());
  types_.push_back(type);
  type_ids_.emplace(std::move(key), id);
  return id;
}

uint32_t Store::register_func(Func* f) {
  f->id = static_cast<uint32_t>(funcs_.size());
  funcs_.push_back(f);
  return f->id;
}

Func* Store::create_host_func(FuncType type, HostFunction fn, std::string name) {
  auto f = std::make_unique<Func>();
  f->type_id = intern_type(type);
  f->type = &types_[f->type_id];
  f->host = std::move(fn);
  f->host_name = name.empty() ? "host" : std::move(name);
  register_func(f.get());
  host_funcs_.push_back(std::move(f));
  return host_funcs_.back().get();
}

Memory* Store::create_memory(MemoryType type) {
  host_memories_.push_back(std::make_unique<Memory>(type, memory_pool_));
  return host_memories_.back().get();
}

Table* Store::create_table(TableType type, Value init) {
  host_tables_.push_back(std::make_unique<Table>(type, init.bits));
  return host_tables_.back().get();
}

GlobalVar* Store::create_global(GlobalType type, Value init) {
  auto g = std::make_unique<GlobalVar>();
  g->type = type;
  g->bits = init.bits;
  g->hi = init.hi;
  host_globals_.push_back(std::move(g));
  return host_globals_.back().get();
}

Result<Instance*> Store::instantiate(std::shared_ptr<const CompiledModule> compiled,
                                     std::span<const Extern> imports, const CallLimits& limits) {
  const Module& m = compiled->module();
  if (imports.size() != m.imports.size())
    return failf("unlinkable", "module has {} imports but {} were given", m.imports.size(), imports.size());
  for (size_t i = 0; i < imports.size(); ++i) {
    if (!extern_matches(m.imports[i], m, imports[i]))
      return failf("unlinkable", "incompatible import type for {}.{}", m.imports[i].module, m.imports[i].name);
  }
  for (const MemoryType& mt : m.memories)
    if (mt.limits.min > limits.max_memory_pages)
      return failf("uninstantiable", "memory of {} pages exceeds the limit of {} pages", mt.limits.min,
                   limits.max_memory_pages);
  for (const TableType& tt : m.tables)
    if (tt.limits.min > limits.max_table_elements)
      return failf("uninstantiable", "table of {} elements exceeds the limit of {}", tt.limits.min,
                   limits.max_table_elements);

  auto owned = std::make_unique<Instance>();
  Instance& inst = *owned;
  inst.id = static_cast<uint32_t>(instances_.size());
  inst.store = this;
  inst.compiled = compiled;
  inst.type_ids = module_type_ids(compiled);

  inst.funcs.reserve(m.num_imported_funcs + m.functions.size());
  inst.globals.reserve(imports.size() + m.globals.size());
  inst.memories.reserve(imports.size() + m.memories.size());
  for (size_t i = 0; i < imports.size(); ++i) {
    const Extern& e = imports[i];
    switch (e.kind) {
      case ExternKind::kFunc: inst.funcs.push_back(e.func); break;
      case ExternKind::kTable: inst.tables.push_back(e.table); break;
      case ExternKind::kMemory: inst.memories.push_back(e.memory); break;
      case ExternKind::kGlobal: inst.globals.push_back(e.global); break;
    }
  }
  inst.own_funcs.resize(m.functions.size());
  for (uint32_t i = 0; i < m.functions.size(); ++i) {
    Func* f = &inst.own_funcs[i];
    f->type_id = inst.type_ids[m.functions[i].type];
    f->type = &types_[f->type_id];
    f->instance = &inst;
    f->index = m.num_imported_funcs + i;
    f->code = i;
    register_func(f);
    inst.funcs.push_back(f);
  }
  for (const TableType& t : m.tables) {
    inst.own_tables.push_back(std::make_unique<Table>(t, 0));
    inst.tables.push_back(inst.own_tables.back().get());
  }
  for (const MemoryType& t : m.memories) {
    inst.own_memories.push_back(std::make_unique<Memory>(t, memory_pool_));
    if (t.limits.min && !inst.own_memories.back()->data())
      return failf("uninstantiable", "cannot allocate a memory of {} pages", t.limits.min);
    inst.memories.push_back(inst.own_memories.back().get());
  }
  inst.own_globals.resize(m.globals.size());
  for (size_t i = 0; i < m.globals.size(); ++i) {
    GlobalVar* gv = &inst.own_globals[i];
    gv->type = m.globals[i].type;
    gv->bits = eval_const(m.globals[i].init, inst);  // may read the globals before it
    inst.globals.push_back(gv);
  }
  inst.elems.resize(m.elems.size());
  for (size_t i = 0; i < m.elems.size(); ++i) {
    const ElemSegment& seg = m.elems[i];
    auto& items = inst.elems[i];
    items.reserve(seg.items.size());
    for (const ConstExpr& e : seg.items) items.push_back(eval_const(e, inst));
  }
  inst.data_dropped.assign(m.datas.size(), 0);

  // From here on the instance's functions may be referenced from imported tables, so it is kept
  // in the store even when instantiation fails.
  instances_.push_back(std::move(owned));

  for (size_t i = 0; i < m.elems.size(); ++i) {
    const ElemSegment& seg = m.elems[i];
    if (seg.mode == ElemSegment::Mode::kActive) {
      uint64_t off = static_cast<uint32_t>(eval_const(seg.offset, inst));
      Table* t = inst.tables[seg.table];
      auto& items = inst.elems[i];
      if (off + items.size() > t->size()) return fail("uninstantiable", "out of bounds table access");
      std::copy(items.begin(), items.end(), t->data() + off);
    }
    if (seg.mode != ElemSegment::Mode::kPassive) {
      inst.elems[i].clear();
      inst.elems[i].shrink_to_fit();
    }
  }
  for (size_t i = 0; i < m.datas.size(); ++i) {
    const DataSegment& seg = m.datas[i];
    if (seg.mode != DataSegment::Mode::kActive) continue;
    uint64_t off = static_cast<uint32_t>(eval_const(seg.offset, inst));
    Memory* mem = inst.memories[seg.memory];
    if (!mem->write(off, m.bytes.data() + seg.offset_in_module, seg.size))
      return fail("uninstantiable", "out of bounds memory access");
    inst.data_dropped[i] = 1;
  }
  if (m.start) {
    Outcome out = call(inst.funcs[*m.start], {}, limits);
    if (!out.ok()) {
      if (out.trapped()) return fail("uninstantiable", out.trap.to_string());
      return fail("uninstantiable", "start function suspended");
    }
  }
  return &inst;
}

std::vector<uint32_t> Store::module_type_ids(const std::shared_ptr<const CompiledModule>& compiled) {
  for (const auto& [module, ids] : module_types_)
    if (module == compiled) return ids;
  std::vector<uint32_t> ids;
  ids.reserve(compiled->module().types.size());
  for (const FuncType& t : compiled->module().types) ids.push_back(intern_type(t));
  module_types_.emplace_back(compiled, ids);
  return ids;
}

Result<std::unique_ptr<Execution>> Store::begin(Func* f, std::span<const Value> args, const CallLimits& limits) {
  if (!f) return fail("wasm.call", "no such function");
  const FuncType& t = *f->type;
  if (args.size() != t.params.size())
    return failf("wasm.call", "{} expects {} arguments, got {}", f->name(), t.params.size(), args.size());
  for (size_t i = 0; i < args.size(); ++i)
    if (args[i].type != t.params[i])
      return failf("wasm.call", "argument {} of {} must be {}, got {}", i, f->name(), valtype_name(t.params[i]),
                   valtype_name(args[i].type));
  return std::make_unique<Execution>(*this, f, args, limits);
}

Outcome Store::call(Func* f, std::span<const Value> args, const CallLimits& limits) {
  auto ex = begin(f, args, limits);
  if (!ex) {
    Outcome out;
    out.status = Outcome::Status::kTrapped;
    out.trap = Trap::host("argument type mismatch: " + ex.error().message);
    return out;
  }
  return (*ex)->run();
}

}  // namespace ipvm::wasm
