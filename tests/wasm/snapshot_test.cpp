// Snapshots: a suspended call saved to a CAR and finished in a fresh store gives exactly the
// output, memory and fuel of an uninterrupted run; damaged snapshots are rejected, not crashed on.
#include <gtest/gtest.h>

#include "ipld/car.h"
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

}  // namespace
}  // namespace ipvm::wasm
