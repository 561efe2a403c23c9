#include "wasm/snapshot.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <map>
#include <unordered_set>

#include "ipld/car.h"
#include "ipld/dag_cbor.h"
#include "ipld/value.h"

namespace ipvm::wasm {

using ipld::Cid;
using ipld::List;
using ipld::Map;
using IValue = ipld::Value;

static_assert(std::endian::native == std::endian::little, "snapshots store little-endian words by memcpy");

namespace {

constexpr const char* kFormat = "ipvm/wasm-snapshot@1";

Status bad(std::string msg) { return fail("snapshot", std::move(msg)); }

// ----- writing -----------------------------------------------------------------------------------

struct Blocks {
  std::vector<std::pair<Cid, Bytes>> list;
  std::unordered_set<Cid> seen;

  Result<Cid> add_raw(ByteView data) {
    IPVM_TRY(Cid cid, Cid::of(ipld::codec::kRaw, data));
    if (seen.insert(cid).second) list.emplace_back(cid, Bytes(data.begin(), data.end()));
    return cid;
  }
};

bool all_zero(const uint8_t* p, size_t n) {
  // Word-at-a-time scan: memory snapshots are dominated by this loop.
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    if (w) return false;
  }
  for (; i < n; ++i)
    if (p[i]) return false;
  return true;
}

// [[chunk index, link], ...] for the non-zero kChunkSize pieces of [data, data+n).
Result<IValue> chunk_list(Blocks& blocks, const uint8_t* data, uint64_t n) {
  List chunks;
  for (uint64_t off = 0, idx = 0; off < n; off += kChunkSize, ++idx) {
    size_t len = static_cast<size_t>(std::min<uint64_t>(kChunkSize, n - off));
    if (all_zero(data + off, len)) continue;
    while (len > 0 && data[off + len - 1] == 0) --len;  // trailing zeros are implied
    IPVM_TRY(Cid cid, blocks.add_raw(ByteView(data + off, len)));
    chunks.push_back(IValue::list({IValue::uinteger(idx), IValue::link(cid)}));
  }
  return IValue::list(std::move(chunks));
}

template <class T>
Bytes pack(const std::vector<T>& v) {
  Bytes out(v.size() * sizeof(T));
  if (!v.empty()) std::memcpy(out.data(), v.data(), out.size());
  return out;
}

IValue opt_u32(const std::optional<uint32_t>& v) { return v ? IValue::uinteger(*v) : IValue::null(); }

IValue strings(const std::vector<std::string>& v) {
  List l;
  for (const auto& s : v) l.push_back(IValue::bytes(to_bytes(s)));  // bytes: args need not be UTF-8
  return IValue::list(std::move(l));
}

IValue wasi_value(const WasiState& s) {
  return IValue::map(Map{
      {"args", strings(s.args)},
      {"env", strings(s.env)},
      {"stdin", IValue::bytes(s.stdin_data)},
      {"stdin_pos", IValue::uinteger(s.stdin_pos)},
      {"stdin_passthrough", IValue::boolean(s.stdin_passthrough)},
      {"output_passthrough", IValue::boolean(s.output_passthrough)},
      {"output_cap", IValue::uinteger(s.output_cap)},
      {"stdout", IValue::bytes(to_bytes(s.stdout_buf))},
      {"stderr", IValue::bytes(to_bytes(s.stderr_buf))},
      {"stdout_dropped", IValue::uinteger(s.stdout_dropped)},
      {"stderr_dropped", IValue::uinteger(s.stderr_dropped)},
      {"clock_ns", IValue::uinteger(s.clock_ns)},
      {"clock_step_ns", IValue::uinteger(s.clock_step_ns)},
      {"seed", IValue::bytes(s.random_seed)},
      {"random_offset", IValue::uinteger(s.random_offset)},
      {"closed_fds", IValue::uinteger(s.closed_fds)},
      {"fd_flags", IValue::list({IValue::uinteger(s.fd_flags[0]), IValue::uinteger(s.fd_flags[1]),
                                IValue::uinteger(s.fd_flags[2])})},
      {"calls", IValue::uinteger(s.calls)},
  });
}

// ----- reading -----------------------------------------------------------------------------------

struct Reader {
  const std::map<Cid, Bytes>& blocks;

  Result<const IValue*> field(const IValue& m, std::string_view key) const {
    const IValue* v = m.find(key);
    if (!v) return failf("snapshot", "missing field '{}'", key);
    return v;
  }
  Result<uint64_t> u64(const IValue& m, std::string_view key) const {
    IPVM_TRY(const IValue* v, field(m, key));
    auto u = v->to_uint64();
    if (!u) return failf("snapshot", "field '{}' is not an unsigned integer", key);
    return *u;
  }
  Result<const Bytes*> bytes(const IValue& m, std::string_view key) const {
    IPVM_TRY(const IValue* v, field(m, key));
    if (!v->is_bytes()) return failf("snapshot", "field '{}' is not bytes", key);
    return &v->as_bytes();
  }
  Result<const List*> list(const IValue& m, std::string_view key) const {
    IPVM_TRY(const IValue* v, field(m, key));
    if (!v->is_list()) return failf("snapshot", "field '{}' is not a list", key);
    return &v->as_list();
  }
  Result<bool> boolean(const IValue& m, std::string_view key) const {
    IPVM_TRY(const IValue* v, field(m, key));
    if (!v->is_bool()) return failf("snapshot", "field '{}' is not a boolean", key);
    return v->as_bool();
  }
  Result<std::vector<std::string>> strings(const IValue& m, std::string_view key) const {
    IPVM_TRY(const List* l, list(m, key));
    std::vector<std::string> out;
    for (const auto& v : *l) {
      if (!v.is_bytes()) return failf("snapshot", "field '{}' holds a non-bytes item", key);
      out.emplace_back(as_string_view(v.as_bytes()));
    }
    return out;
  }
  Result<const Bytes*> block(const IValue& link) const {
    if (!link.is_link()) return fail("snapshot", "expected a link");
    auto it = blocks.find(link.as_link());
    if (it == blocks.end()) return failf("snapshot", "block {} is missing from the CAR", link.as_link().to_string());
    return &it->second;
  }
  // Fills [dst, dst+n) (already zeroed) from a chunk list.
  Status chunks(const IValue& list_value, uint8_t* dst, uint64_t n) const {
    if (!list_value.is_list()) return bad("chunk list is not a list");
    for (const auto& c : list_value.as_list()) {
      if (!c.is_list() || c.as_list().size() != 2) return bad("chunk entry is not [index, link]");
      auto idx = c.as_list()[0].to_uint64();
      if (!idx) return bad("chunk index is not an unsigned integer");
      IPVM_TRY(const Bytes* data, block(c.as_list()[1]));
      if (*idx >= (n + kChunkSize - 1) / kChunkSize) return bad("chunk index beyond the end");
      uint64_t off = *idx * kChunkSize;
      uint64_t len = std::min<uint64_t>(kChunkSize, n - off);
      if (data->empty() || data->size() > len) return bad("chunk has the wrong size");
      len = data->size();
      std::memcpy(dst + off, data->data(), len);
    }
    return {};
  }

  Result<WasiState> wasi(const IValue& w) const {
    if (!w.is_map()) return fail("snapshot", "wasi is not a map");
    WasiState s;
    IPVM_TRY(s.args, strings(w, "args"));
    IPVM_TRY(s.env, strings(w, "env"));
    IPVM_TRY(const Bytes* in, bytes(w, "stdin"));
    s.stdin_data = *in;
    IPVM_TRY(s.stdin_pos, u64(w, "stdin_pos"));
    IPVM_TRY(s.stdin_passthrough, boolean(w, "stdin_passthrough"));
    IPVM_TRY(s.output_passthrough, boolean(w, "output_passthrough"));
    IPVM_TRY(s.output_cap, u64(w, "output_cap"));
    IPVM_TRY(const Bytes* out, bytes(w, "stdout"));
    s.stdout_buf.assign(out->begin(), out->end());
    IPVM_TRY(const Bytes* err, bytes(w, "stderr"));
    s.stderr_buf.assign(err->begin(), err->end());
    IPVM_TRY(s.stdout_dropped, u64(w, "stdout_dropped"));
    IPVM_TRY(s.stderr_dropped, u64(w, "stderr_dropped"));
    IPVM_TRY(s.clock_ns, u64(w, "clock_ns"));
    IPVM_TRY(s.clock_step_ns, u64(w, "clock_step_ns"));
    IPVM_TRY(const Bytes* seed, bytes(w, "seed"));
    s.random_seed = *seed;
    IPVM_TRY(s.random_offset, u64(w, "random_offset"));
    IPVM_TRY(uint64_t closed, u64(w, "closed_fds"));
    s.closed_fds = static_cast<uint32_t>(closed & 7);
    IPVM_TRY(const List* flags, list(w, "fd_flags"));
    if (flags->size() != 3) return fail("snapshot", "fd_flags must have 3 entries");
    for (int i = 0; i < 3; ++i) s.fd_flags[i] = static_cast<uint16_t>((*flags)[i].to_uint64().value_or(0));
    IPVM_TRY(s.calls, u64(w, "calls"));
    return s;
  }
};

// A funcref held in restored state must name a function of the store.
bool ref_ok(ValType t, uint64_t bits, uint32_t num_funcs) {
  return t != ValType::kFuncRef || bits == 0 || bits - 1 < num_funcs;
}

// Every frame must be one the interpreter could have left: the entry function at slot 0 first,
// each caller stopped right after a call to the next frame's function with that frame starting at
// the call's argument slots, and the last one right before a fuel charge (where calls suspend).
// Anything else (a pc inside an instruction, overlapping frames) would run garbage words.
Status check_frames(const Instance& inst, const Func& entry, const std::vector<Frame>& frames, uint64_t slots) {
  const Code& code = inst.compiled->code();
  for (size_t i = 0; i < frames.size(); ++i) {
    const Frame& f = frames[i];
    if (f.instance != inst.id || f.func >= code.funcs.size() || f.pc >= code.words.size() ||
        code.func_at(f.pc) != f.func || uint64_t{f.fp} + code.funcs[f.func].frame_slots > slots)
      return failf("snapshot", "frame {} does not fit the module", i);
  }
  if (entry.instance != &inst || frames[0].func != entry.code || frames[0].fp != 0)
    return bad("the first frame is not the entry function's");
  const Frame& top = frames.back();
  if (!std::binary_search(code.fuel_points.begin(), code.fuel_points.end(), top.pc))
    return failf("snapshot", "frame {} does not stop at a point where a call can suspend", frames.size() - 1);
  for (size_t i = 0; i + 1 < frames.size(); ++i) {
    const Frame& f = frames[i];
    const Frame& next = frames[i + 1];
    auto it = std::lower_bound(code.call_sites.begin(), code.call_sites.end(), f.pc,
                               [](const CallSite& c, uint32_t pc) { return c.ret < pc; });
    if (it == code.call_sites.end() || it->ret != f.pc)
      return failf("snapshot", "frame {} does not continue after a call", i);
    if (uint64_t{next.fp} != uint64_t{f.fp} + it->args)
      return failf("snapshot", "frame {} does not start at its caller's arguments", i + 1);
    const Func* callee = inst.funcs[inst.module().num_imported_funcs + next.func];
    bool called = false;
    switch (it->kind) {
      case CallSite::Kind::kDirect: called = it->callee == next.func; break;
      case CallSite::Kind::kIndirect: called = callee->type_id == inst.type_ids[it->callee]; break;
      case CallSite::Kind::kImport: called = inst.funcs[it->callee] == callee; break;
    }
    if (!called) return failf("snapshot", "frame {} is not a function its caller calls", i + 1);
  }
  return {};
}

}  // namespace

Result<Bytes> save_snapshot(const WasiProcess& p, const Execution& exec, std::optional<uint64_t> fuel_budget) {
  if (exec.state() != Execution::State::kSuspended) return fail("snapshot", "the call is not suspended");
  if (exec.host_depth != 0) return fail("snapshot", "cannot snapshot a call suspended inside a host call");
  const Instance& inst = *p.instance;
  Blocks blocks;
  const Bytes& module_bytes = inst.module().bytes;
  IPVM_TRY(Cid module_cid, blocks.add_raw(module_bytes));

  List memories;
  for (const Memory* m : inst.memories) {
    IPVM_TRY(IValue chunks, chunk_list(blocks, m->data(), m->size()));
    memories.push_back(IValue::map(Map{{"pages", IValue::uinteger(m->pages())},
                                      {"max", opt_u32(m->type().limits.max)},
                                      {"chunks", std::move(chunks)}}));
  }
  List tables;
  for (Table* t : inst.tables) {
    std::vector<uint64_t> elems(t->data(), t->data() + t->size());
    tables.push_back(IValue::map(Map{{"max", opt_u32(t->type().limits.max)}, {"elems", IValue::bytes(pack(elems))}}));
  }
  std::vector<uint64_t> globals;
  for (const GlobalVar* g : inst.globals) {
    globals.push_back(g->bits);
    globals.push_back(g->hi);
  }
  List elems;
  for (const auto& e : inst.elems) elems.push_back(IValue::bytes(pack(e)));
  std::vector<uint32_t> frames;
  for (const Frame& f : exec.frames) frames.insert(frames.end(), {f.instance, f.func, f.pc, f.fp});
  IPVM_TRY(IValue stack_chunks, chunk_list(blocks, reinterpret_cast<const uint8_t*>(exec.stack.data()),
                                          exec.stack.size() * sizeof(uint64_t)));

  IValue root = IValue::map(Map{
      {"format", IValue::string(kFormat)},
      {"module", IValue::link(module_cid)},
      {"entry", IValue::uinteger(exec.entry()->id)},
      {"num_funcs", IValue::uinteger(p.store->num_funcs())},
      {"memories", IValue::list(std::move(memories))},
      {"tables", IValue::list(std::move(tables))},
      {"globals", IValue::bytes(pack(globals))},
      {"elems", IValue::list(std::move(elems))},
      {"data_dropped", IValue::bytes(Bytes(inst.data_dropped.begin(), inst.data_dropped.end()))},
      {"stack", IValue::map(Map{{"slots", IValue::uinteger(exec.stack.size())}, {"chunks", std::move(stack_chunks)}})},
      {"frames", IValue::bytes(pack(frames))},
      {"fuel_used", IValue::uinteger(exec.fuel_used())},
      {"fuel_budget", fuel_budget ? IValue::uinteger(*fuel_budget) : IValue::null()},
      {"wasi", wasi_value(p.wasi->state())},
  });
  Bytes root_bytes = ipld::dag_cbor_encode(root);
  IPVM_TRY(Cid root_cid, Cid::of(ipld::codec::kDagCbor, root_bytes));

  Bytes out;
  out.reserve(root_bytes.size() + module_bytes.size() + blocks.list.size() * (kChunkSize + 48));
  IPVM_TRY(auto writer, ipld::CarWriter::begin({root_cid}, [&out](ByteView b) -> Status {
             out.insert(out.end(), b.begin(), b.end());
             return {};
           }));
  IPVM_TRY_STATUS(writer.add(root_cid, root_bytes));
  for (const auto& [cid, data] : blocks.list) IPVM_TRY_STATUS(writer.add(cid, data));
  return out;
}

Result<RestoredCall> load_snapshot(ByteView car) {
  ipld::MemorySource src(car);
  IPVM_TRY(auto reader, ipld::CarReader::open(src));
  if (reader.header().roots.size() != 1) return fail("snapshot", "a snapshot CAR has exactly one root");
  Cid root_cid = reader.header().roots[0];
  std::map<Cid, Bytes> blocks;
  for (;;) {
    IPVM_TRY(auto b, reader.next());
    if (!b) break;
    blocks[b->cid] = std::move(b->data);
  }
  Reader r{blocks};
  auto rit = blocks.find(root_cid);
  if (rit == blocks.end()) return fail("snapshot", "the root block is missing");
  IPVM_TRY(IValue root, ipld::dag_cbor_decode(rit->second));
  if (!root.is_map()) return fail("snapshot", "the root is not a map");
  if (const IValue* f = root.find("format"); !f || !f->is_string() || f->as_string() != kFormat)
    return failf("snapshot", "not an ipvm wasm snapshot (format is not {})", kFormat);

  RestoredCall out;
  IPVM_TRY(const IValue* module_link, r.field(root, "module"));
  IPVM_TRY(const Bytes* module_bytes, r.block(*module_link));
  out.module_cid = module_link->as_link();
  IPVM_TRY(auto cm, CompiledModule::compile(*module_bytes));

  // Instantiate the way the original process did; the start function's WASI effects go to a
  // throwaway state, replaced below by the saved one.
  WasiState scratch;
  scratch.output_cap = 0;
  IPVM_TRY(out.process, WasiProcess::create(cm, std::move(scratch)));
  WasiProcess& p = *out.process;
  Instance& inst = *p.instance;
  uint32_t num_funcs = p.store->num_funcs();

  IPVM_TRY(uint64_t saved_funcs, r.u64(root, "num_funcs"));
  if (saved_funcs != num_funcs) return fail("snapshot", "the store layout differs from the saved one");

  IPVM_TRY(const List* mems, r.list(root, "memories"));
  if (mems->size() != inst.memories.size()) return fail("snapshot", "memory count differs from the module's");
  for (size_t i = 0; i < mems->size(); ++i) {
    Memory* m = inst.memories[i];
    IPVM_TRY(uint64_t pages, r.u64((*mems)[i], "pages"));
    if (pages < m->pages() || pages > kMaxPages) return fail("snapshot", "memory size out of range");
    if (pages > m->pages() && !m->grow(static_cast<uint32_t>(pages - m->pages())))
      return fail("snapshot", "cannot grow memory to the saved size");
    std::memset(m->data(), 0, m->size());
    IPVM_TRY(const IValue* chunks, r.field((*mems)[i], "chunks"));
    IPVM_TRY_STATUS(r.chunks(*chunks, m->data(), m->size()));
  }

  IPVM_TRY(const List* tabs, r.list(root, "tables"));
  if (tabs->size() != inst.tables.size()) return fail("snapshot", "table count differs from the module's");
  for (size_t i = 0; i < tabs->size(); ++i) {
    Table* t = inst.tables[i];
    IPVM_TRY(const Bytes* eb, r.bytes((*tabs)[i], "elems"));
    if (eb->size() % 8) return fail("snapshot", "table elements are not whole words");
    size_t n = eb->size() / 8;
    if (n < t->size() || n > UINT32_MAX) return fail("snapshot", "table size out of range");
    if (n > t->size() && !t->grow(static_cast<uint32_t>(n - t->size()), 0))
      return fail("snapshot", "cannot grow table to the saved size");
    std::memcpy(t->data(), eb->data(), eb->size());
    for (size_t k = 0; k < n; ++k)
      if (!ref_ok(t->elem_type(), t->data()[k], num_funcs)) return fail("snapshot", "table holds an unknown function");
  }

  IPVM_TRY(const Bytes* gb, r.bytes(root, "globals"));
  if (gb->size() != inst.globals.size() * 16) return fail("snapshot", "global count differs from the module's");
  for (size_t i = 0; i < inst.globals.size(); ++i) {
    GlobalVar* g = inst.globals[i];
    std::memcpy(&g->bits, gb->data() + 16 * i, 8);
    std::memcpy(&g->hi, gb->data() + 16 * i + 8, 8);
    if (!ref_ok(g->type.type, g->bits, num_funcs)) return fail("snapshot", "global holds an unknown function");
  }

  IPVM_TRY(const List* elems, r.list(root, "elems"));
  if (elems->size() != inst.elems.size()) return fail("snapshot", "element segment count differs");
  for (size_t i = 0; i < elems->size(); ++i) {
    const IValue& e = (*elems)[i];
    if (!e.is_bytes() || e.as_bytes().size() % 8) return fail("snapshot", "element segment is not whole words");
    const Bytes& b = e.as_bytes();
    // A segment can only keep its contents or be dropped (emptied).
    if (b.size() / 8 != inst.elems[i].size() && !b.empty()) return fail("snapshot", "element segment size differs");
    inst.elems[i].resize(b.size() / 8);
    if (!b.empty()) std::memcpy(inst.elems[i].data(), b.data(), b.size());
    ValType et = i < inst.module().elems.size() ? inst.module().elems[i].type : ValType::kFuncRef;
    for (uint64_t ref : inst.elems[i])
      if (!ref_ok(et, ref, num_funcs)) return fail("snapshot", "element segment holds an unknown function");
  }
  IPVM_TRY(const Bytes* dd, r.bytes(root, "data_dropped"));
  if (dd->size() != inst.data_dropped.size()) return fail("snapshot", "data segment count differs");
  std::copy(dd->begin(), dd->end(), inst.data_dropped.begin());

  // The call.
  IPVM_TRY(const IValue* stack, r.field(root, "stack"));
  IPVM_TRY(uint64_t slots, r.u64(*stack, "slots"));
  CallLimits limits;
  if (slots > limits.max_stack_slots) return fail("snapshot", "value stack larger than the limit");
  std::vector<uint64_t> stack_slots(slots, 0);
  IPVM_TRY(const IValue* stack_chunks, r.field(*stack, "chunks"));
  IPVM_TRY_STATUS(r.chunks(*stack_chunks, reinterpret_cast<uint8_t*>(stack_slots.data()), slots * 8));

  IPVM_TRY(const Bytes* fb, r.bytes(root, "frames"));
  if (fb->size() % 16 || fb->empty()) return fail("snapshot", "frames are malformed");
  std::vector<Frame> frames(fb->size() / 16);
  if (frames.size() > limits.max_call_depth) return fail("snapshot", "more frames than the call depth limit");
  for (size_t i = 0; i < frames.size(); ++i) {
    uint32_t w[4];
    std::memcpy(w, fb->data() + 16 * i, 16);
    frames[i] = Frame{w[0], w[1], w[2], w[3]};
  }

  IPVM_TRY(uint64_t entry_id, r.u64(root, "entry"));
  Func* entry = entry_id < num_funcs ? p.store->func(static_cast<uint32_t>(entry_id)) : nullptr;
  if (!entry || entry->is_host()) return fail("snapshot", "the entry function is unknown");
  if (slots < entry->type->results.size()) return fail("snapshot", "value stack smaller than the results");
  IPVM_TRY_STATUS(check_frames(inst, *entry, frames, slots));
  IPVM_TRY(uint64_t fuel_used, r.u64(root, "fuel_used"));
  IPVM_TRY(const IValue* budget, r.field(root, "fuel_budget"));
  if (!budget->is_null()) {
    auto b = budget->to_uint64();
    if (!b) return fail("snapshot", "fuel_budget is not an unsigned integer");
    out.fuel_budget = *b;
  }
  IPVM_TRY(const IValue* wasi, r.field(root, "wasi"));
  IPVM_TRY(p.wasi->state(), r.wasi(*wasi));

  out.execution = std::make_unique<Execution>(
      Execution::restore(*p.store, entry, limits, std::move(stack_slots), std::move(frames), fuel_used));
  return out;
}

}  // namespace ipvm::wasm
