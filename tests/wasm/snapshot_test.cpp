// Snapshots: a suspended call saved to a CAR and finished in a fresh store gives exactly the
// output, memory and fuel of an uninterrupted run; damaged snapshots are rejected, not crashed on.
#include <gtest/gtest.h>

#include <cstring>
#include <functional>

#include "ipld/car.h"
#include "ipld/dag_cbor.h"
#include "ipld/value.h"
#include "wasm/snapshot.h"

namespace ipvm::wasm {
namespace {

// A WASI command: 100,000 iterations writing into memory and summing into a mutable i64 global,
// then fd_write of the 8-byte sum to stdout.
const uint8_t kLoop[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0c, 0x02, 0x60,
  0x04, 0x7f, 0x7f, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x00, 0x02, 0x23,
  0x01, 0x16, 0x77, 0x61, 0x73, 0x69, 0x5f, 0x73, 0x6e, 0x61, 0x70, 0x73,
  0x68, 0x6f, 0x74, 0x5f, 0x70, 0x72, 0x65, 0x76, 0x69, 0x65, 0x77, 0x31,
  0x08, 0x66, 0x64, 0x5f, 0x77, 0x72, 0x69, 0x74, 0x65, 0x00, 0x00, 0x03,
  0x02, 0x01, 0x01, 0x05, 0x03, 0x01, 0x00, 0x02, 0x06, 0x06, 0x01, 0x7e,
  0x01, 0x42, 0x00, 0x0b, 0x07, 0x13, 0x02, 0x06, 0x6d, 0x65, 0x6d, 0x6f,
  0x72, 0x79, 0x02, 0x00, 0x06, 0x5f, 0x73, 0x74, 0x61, 0x72, 0x74, 0x00,
  0x01, 0x0a, 0x54, 0x01, 0x52, 0x01, 0x01, 0x7f, 0x03, 0x40, 0x41, 0xf0,
  0xa2, 0x04, 0x20, 0x00, 0x41, 0xff, 0x07, 0x71, 0x41, 0x02, 0x74, 0x6a,
  0x20, 0x00, 0x36, 0x02, 0x00, 0x23, 0x00, 0x20, 0x00, 0xad, 0x7c, 0x24,
  0x00, 0x20, 0x00, 0x41, 0x01, 0x6a, 0x21, 0x00, 0x20, 0x00, 0x41, 0xa0,
  0x8d, 0x06, 0x49, 0x0d, 0x00, 0x0b, 0x41, 0x10, 0x23, 0x00, 0x37, 0x03,
  0x00, 0x41, 0x00, 0x41, 0x10, 0x36, 0x02, 0x00, 0x41, 0x04, 0x41, 0x08,
  0x36, 0x02, 0x00, 0x41, 0x01, 0x41, 0x00, 0x41, 0x01, 0x41, 0x08, 0x10,
  0x00, 0x1a, 0x0b
};

std::shared_ptr<const CompiledModule> loop_module() {
  auto cm = CompiledModule::compile(ByteView(kLoop, sizeof kLoop));
  EXPECT_TRUE(cm) << cm.error().to_string();
  return *cm;
}

struct Finished {
  std::string out;
  uint64_t fuel = 0;
  Bytes memory;
};

Finished uninterrupted() {
  auto p = WasiProcess::create(loop_module(), WasiState{});
  EXPECT_TRUE(p);
  Outcome o = (*p)->store->call((*p)->instance->func("_start"), {});
  EXPECT_TRUE(o.ok()) << o.trap.to_string();
  Memory* m = (*p)->instance->memory0();
  return Finished{(*p)->wasi->state().stdout_buf, o.fuel_used, Bytes(m->data(), m->data() + m->size())};
}

TEST(Snapshot, ChainOfSnapshotsFinishesLikeOneRun) {
  Finished want = uninterrupted();
  ASSERT_EQ(want.out.size(), 8u);

  auto p = WasiProcess::create(loop_module(), WasiState{});
  ASSERT_TRUE(p);
  CallLimits limits;
  limits.suspend_on_fuel = true;
  limits.fuel = 300'000;
  auto ex = (*p)->store->begin((*p)->instance->func("_start"), {}, limits);
  ASSERT_TRUE(ex);
  Outcome o = (*ex)->run();
  ASSERT_TRUE(o.suspended());
  auto car = save_snapshot(**p, **ex, std::nullopt);
  ASSERT_TRUE(car) << car.error().to_string();

  int hops = 0;
  for (;;) {
    auto r = load_snapshot(*car);
    ASSERT_TRUE(r) << r.error().to_string();
    EXPECT_FALSE(r->fuel_budget);
    r->execution->limits().suspend_on_fuel = true;
    r->execution->set_fuel(300'000);
    o = r->execution->run();
    if (!o.suspended()) {
      ASSERT_TRUE(o.ok()) << o.trap.to_string();
      EXPECT_EQ(r->process->wasi->state().stdout_buf, want.out);
      EXPECT_EQ(o.fuel_used, want.fuel);
      Memory* m = r->process->instance->memory0();
      EXPECT_EQ(Bytes(m->data(), m->data() + m->size()), want.memory);
      break;
    }
    ++hops;
    car = save_snapshot(*r->process, *r->execution, std::nullopt);
    ASSERT_TRUE(car) << car.error().to_string();
  }
  EXPECT_GE(hops, 5);
}

TEST(Snapshot, LeavesZeroPagesOutAndRejectsDamage) {
  auto p = WasiProcess::create(loop_module(), WasiState{});
  ASSERT_TRUE(p);
  CallLimits limits;
  limits.suspend_on_fuel = true;
  limits.fuel = 100'000;
  auto ex = (*p)->store->begin((*p)->instance->func("_start"), {}, limits);
  ASSERT_TRUE(ex);
  ASSERT_TRUE((*ex)->run().suspended());
  auto car = save_snapshot(**p, **ex, 42);
  ASSERT_TRUE(car);
  // 2 pages of memory with 4 KiB written in the second: the zero page and every chunk's zero tail
  // are left out, so the CAR is far smaller than the memory.
  EXPECT_LT(car->size(), 16u * 1024u);
  size_t blocks = 0;
  ipld::MemorySource src(*car);
  auto reader = ipld::CarReader::open(src);
  ASSERT_TRUE(reader);
  for (;;) {
    auto b = reader->next();
    ASSERT_TRUE(b);
    if (!*b) break;
    ++blocks;
  }
  EXPECT_EQ(blocks, 4u);  // root, module, one memory chunk, one stack chunk
  auto r = load_snapshot(*car);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->fuel_budget, std::optional<uint64_t>(42));

  // Truncations and flipped bytes: an error every time, never a crash.
  for (size_t cut : {size_t{0}, size_t{10}, car->size() / 2, car->size() - 1}) {
    Bytes t(car->begin(), car->begin() + cut);
    EXPECT_FALSE(load_snapshot(t)) << cut;
  }
  for (size_t at = 0; at < car->size(); at += 997) {
    Bytes t = *car;
    t[at] ^= 0x5a;
    EXPECT_FALSE(load_snapshot(t)) << at;
  }
}

TEST(Snapshot, OnlySuspendedCallsCanBeSaved) {
  auto p = WasiProcess::create(loop_module(), WasiState{});
  ASSERT_TRUE(p);
  auto ex = (*p)->store->begin((*p)->instance->func("_start"), {}, {});
  ASSERT_TRUE(ex);
  EXPECT_FALSE(save_snapshot(**p, **ex, std::nullopt));
  ASSERT_TRUE((*ex)->run().ok());
  EXPECT_FALSE(save_snapshot(**p, **ex, std::nullopt));
}

// _start loops calling $inner, which loops until its funcref local is set, then stores it in
// table 0 and call_indirects through it. Module also has a funcref global and a passive segment. Suspending it gives two
// frames (the caller stopped after `call`).
const uint8_t kCalls[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x03, 0x03,
  0x02, 0x00, 0x00, 0x04, 0x04, 0x01, 0x70, 0x00, 0x01, 0x06, 0x06, 0x01, 0x70, 0x01, 0xd0, 0x70,
  0x0b, 0x07, 0x0a, 0x01, 0x06, 0x5f, 0x73, 0x74, 0x61, 0x72, 0x74, 0x00, 0x00, 0x09, 0x05, 0x01,
  0x01, 0x00, 0x01, 0x01, 0x0a, 0x25, 0x02, 0x09, 0x00, 0x03, 0x40, 0x10, 0x01, 0x0c, 0x00, 0x0b,
  0x0b, 0x19, 0x01, 0x01, 0x70, 0x03, 0x40, 0x20, 0x00, 0xd1, 0x0d, 0x00, 0x41, 0x00, 0x20, 0x00,
  0x26, 0x00, 0x41, 0x00, 0x11, 0x00, 0x00, 0x0c, 0x00, 0x0b, 0x0b
};

Bytes suspended_calls() {
  auto cm = CompiledModule::compile(ByteView(kCalls, sizeof kCalls));
  EXPECT_TRUE(cm) << cm.error().to_string();
  auto p = WasiProcess::create(*cm, WasiState{});
  EXPECT_TRUE(p);
  CallLimits limits;
  limits.suspend_on_fuel = true;
  limits.fuel = 1000;
  auto ex = (*p)->store->begin((*p)->instance->func("_start"), {}, limits);
  EXPECT_TRUE(ex);
  EXPECT_TRUE((*ex)->run().suspended());
  EXPECT_EQ((*ex)->frames.size(), 2u);
  auto car = save_snapshot(**p, **ex, std::nullopt);
  EXPECT_TRUE(car);
  return *car;
}

// Re-encodes `car` (same blocks, valid hashes) with root field `key` replaced by `value`.
Bytes with_field(const Bytes& car, const std::string& key, const ipld::Value& value,
                 std::vector<std::pair<ipld::Cid, Bytes>> extra = {}) {
  ipld::MemorySource src(car);
  auto reader = ipld::CarReader::open(src);
  EXPECT_TRUE(reader);
  ipld::Cid root_cid = reader->header().roots.at(0);
  std::vector<std::pair<ipld::Cid, Bytes>> blocks;
  ipld::Map root;
  for (;;) {
    auto b = reader->next();
    EXPECT_TRUE(b);
    if (!b || !*b) break;
    if ((*b)->cid == root_cid) {
      auto v = ipld::dag_cbor_decode((*b)->data);
      EXPECT_TRUE(v);
      root = v->as_map();
    } else {
      blocks.emplace_back((*b)->cid, (*b)->data);
    }
  }
  for (auto& [k, v] : root)
    if (k == key) v = value;
  Bytes root_bytes = ipld::dag_cbor_encode(ipld::Value::map(root));
  auto cid = ipld::Cid::of(ipld::codec::kDagCbor, root_bytes);
  EXPECT_TRUE(cid);
  Bytes out;
  auto writer = ipld::CarWriter::begin({*cid}, [&out](ByteView b) -> Status {
    out.insert(out.end(), b.begin(), b.end());
    return {};
  });
  EXPECT_TRUE(writer);
  EXPECT_TRUE(writer->add(*cid, root_bytes));
  for (auto& b : extra) blocks.push_back(std::move(b));
  for (const auto& [c, d] : blocks) EXPECT_TRUE(writer->add(c, d));
  return out;
}

const ipld::Value* root_field(const Bytes& car, const std::string& key, ipld::Value& keep) {
  ipld::MemorySource src(car);
  auto reader = ipld::CarReader::open(src);
  auto b = reader->next();
  auto v = ipld::dag_cbor_decode((*b)->data);
  keep = *v;
  return keep.find(key);
}

std::vector<uint32_t> frame_words(const Bytes& car) {
  ipld::Value keep;
  const Bytes& fb = root_field(car, "frames", keep)->as_bytes();
  std::vector<uint32_t> w(fb.size() / 4);
  std::memcpy(w.data(), fb.data(), fb.size());
  return w;
}

Bytes with_frames(const Bytes& car, const std::vector<uint32_t>& w) {
  Bytes b(w.size() * 4);
  std::memcpy(b.data(), w.data(), b.size());
  return with_field(car, "frames", ipld::Value::bytes(b));
}

TEST(Snapshot, RejectsFramesTheInterpreterCouldNotHaveLeft) {
  Bytes car = suspended_calls();
  ASSERT_TRUE(load_snapshot(with_frames(car, frame_words(car))));  // re-encoding alone is fine
  std::vector<uint32_t> w = frame_words(car);  // (instance, func, pc, fp) per frame
  ASSERT_EQ(w.size(), 8u);
  auto expect_rejected = [&](std::vector<uint32_t> bad, const char* what) {
    auto r = load_snapshot(with_frames(car, bad));
    ASSERT_FALSE(r) << what;
    EXPECT_EQ(r.error().kind, "snapshot") << what;
  };
  for (int d : {-1, 1, 2}) {
    auto bad = w;
    bad[6] += d;  // the suspended frame's pc, not at a fuel charge
    expect_rejected(bad, "top pc");
    bad = w;
    bad[2] += d;  // the caller's pc, not right after its call
    expect_rejected(bad, "caller pc");
  }
  auto bad = w;
  bad[7] += 1;  // callee frame overlapping the caller's operands
  expect_rejected(bad, "callee fp");
  bad = w;
  bad[7] = 0xfffffff0u;  // far past the value stack
  expect_rejected(bad, "huge fp");
  bad = w;
  bad[3] = 1;  // the entry frame not at slot 0
  expect_rejected(bad, "entry fp");
  bad = w;
  std::swap(bad[1], bad[5]);  // the frames' functions swapped
  std::swap(bad[2], bad[6]);
  expect_rejected(bad, "swapped");
  bad = w;
  bad.resize(4);  // only the caller: its pc is a return point, not a suspension point
  expect_rejected(bad, "dropped top");
  bad = w;
  bad.insert(bad.end(), w.begin() + 4, w.end());  // a third frame the second never called
  expect_rejected(bad, "extra frame");
}

TEST(Snapshot, RejectsUnknownFunctionReferences) {
  Bytes car = suspended_calls();
  const uint64_t bogus[] = {1000, 0xffffffffu, ~uint64_t{0}};  // the store has ~50 (WASI) functions
  for (uint64_t id : bogus) {
    std::vector<uint8_t> g(16, 0);
    std::memcpy(g.data(), &id, 8);
    auto r = load_snapshot(with_field(car, "globals", ipld::Value::bytes(Bytes(g.begin(), g.end()))));
    ASSERT_FALSE(r) << id;
    EXPECT_EQ(r.error().kind, "snapshot");
    Bytes t(8);
    std::memcpy(t.data(), &id, 8);
    ipld::Value tables = ipld::Value::list(ipld::List{ipld::Value::map(
        ipld::Map{{"max", ipld::Value::null()}, {"elems", ipld::Value::bytes(t)}})});
    r = load_snapshot(with_field(car, "tables", tables));
    ASSERT_FALSE(r) << id;
    EXPECT_EQ(r.error().kind, "snapshot");
  }
  EXPECT_TRUE(load_snapshot(with_field(car, "elems", ipld::Value::list(ipld::List{ipld::Value::bytes(Bytes(8, 0))}))));
  for (uint64_t id : bogus) {
    Bytes e(8);
    std::memcpy(e.data(), &id, 8);
    auto r = load_snapshot(with_field(car, "elems", ipld::Value::list(ipld::List{ipld::Value::bytes(e)})));
    ASSERT_FALSE(r) << id;
    EXPECT_EQ(r.error().kind, "snapshot");
  }
  // A value-stack slot is untyped, so a bogus funcref there loads; running it must trap cleanly
  // when it reaches call_indirect through table.set, never index past the store's functions.
  std::vector<uint32_t> w = frame_words(car);
  ipld::Value keep;
  const ipld::Value* stack = root_field(car, "stack", keep);
  uint64_t slots = *stack->find("slots")->to_uint64();
  std::vector<uint64_t> st(slots, 0);
  for (uint64_t id : bogus) {
    st[w[7]] = id;  // $inner's funcref local 0
    Bytes raw(reinterpret_cast<const uint8_t*>(st.data()), reinterpret_cast<const uint8_t*>(st.data()) + slots * 8);
    auto cid = ipld::Cid::of(ipld::codec::kRaw, raw);
    ASSERT_TRUE(cid);
    ipld::Value chunks = ipld::Value::list(ipld::List{ipld::Value::list(ipld::List{ipld::Value::uinteger(0), ipld::Value::link(*cid)})});
    ipld::Value ns = ipld::Value::map(ipld::Map{{"slots", ipld::Value::uinteger(slots)}, {"chunks", chunks}});
    auto r = load_snapshot(with_field(car, "stack", ns, {{*cid, raw}}));
    ASSERT_TRUE(r) << r.error().to_string();
    r->execution->set_fuel(10'000);
    Outcome o = r->execution->run();
    ASSERT_TRUE(o.trapped()) << id;
    EXPECT_EQ(o.trap.kind, TrapKind::kUninitializedElement);
  }
}

}  // namespace
}  // namespace ipvm::wasm
