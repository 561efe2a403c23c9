// Pooled linear memories: a mapping handed back is reused, and whatever the previous owner wrote
// (in pages it touched, grew into, or never touched) reads as zero in the next memory.
#include <gtest/gtest.h>

#include <cstring>

#include "wasm/memory.h"
#include "wasm/store.h"
#include "wasm/wat.h"

namespace ipvm::wasm {
namespace {

bool all_zero(const Memory& m) {
  for (uint64_t i = 0; i < m.size(); ++i)
    if (m.data()[i] != 0) return false;
  return true;
}

MemoryType pages(uint32_t min, std::optional<uint32_t> max = std::nullopt) { return MemoryType{Limits{min, max}}; }

TEST(MemoryPool, ReusedMappingReadsZero) {
  MemoryPool pool;
  const uint8_t* first = nullptr;
  {
    Memory m(pages(2), &pool);
    ASSERT_NE(m.data(), nullptr);
    first = m.data();
    std::memset(m.data() + 100, 0xAB, 5000);        // spans two OS pages
    std::memset(m.data() + m.size() - 10, 0xCD, 10);  // the last bytes
  }
  EXPECT_EQ(pool.idle(), 1u);
  Memory again(pages(2), &pool);
  EXPECT_EQ(again.data(), first) << "the idle mapping was not reused";
  EXPECT_EQ(pool.idle(), 0u);
  EXPECT_EQ(again.size(), 2 * kPageSize);
  EXPECT_TRUE(all_zero(again));
}

TEST(MemoryPool, EveryPageTouchedIsWiped) {
  MemoryPool pool;
  {
    Memory m(pages(4), &pool);
    for (uint64_t off = 0; off < m.size(); off += 512) m.data()[off] = 0x5A;  // every page resident
  }
  Memory again(pages(4), &pool);
  EXPECT_TRUE(all_zero(again));
}

// Small pool mappings are locked on fault where RLIMIT_MEMLOCK allows, and then wiped by zeroing
// only the pages mincore reports (no discard): over many reuses, each writing somewhere new and
// reading elsewhere, no owner ever sees a byte of an earlier one.
TEST(MemoryPool, RepeatedReuseNeverShowsAnEarlierOwnersBytes) {
  MemoryPool pool;
  for (uint64_t round = 0; round < 40; ++round) {
    Memory m(pages(2), &pool);
    ASSERT_NE(m.data(), nullptr);
    ASSERT_TRUE(all_zero(m)) << "round " << round;  // reads every page (maps the zero page)
    const uint64_t off = (round * 4096 * 3 + round * 17) % (m.size() - 64);
    std::memset(m.data() + off, static_cast<int>(0x80 | round), 64);
  }
  EXPECT_EQ(pool.idle(), 1u);
}

TEST(MemoryPool, ManyResidentPagesAreDiscardedAndStillZero) {
  MemoryPool::Options o;
  o.max_zeroed_bytes = 4096;  // force the discard path
  MemoryPool pool(o);
  {
    Memory m(pages(2), &pool);
    std::memset(m.data(), 0x77, m.size());
  }
  ASSERT_EQ(pool.idle(), 1u);
  Memory again(pages(2), &pool);
  EXPECT_TRUE(all_zero(again));
}

TEST(MemoryPool, GrownMappingIsWipedAndSmallerRequestsFitIt) {
  MemoryPool pool;
  {
    Memory m(pages(1), &pool);
    ASSERT_EQ(m.grow(3), std::optional<uint32_t>(1));
    std::memset(m.data() + 3 * kPageSize + 7, 0x11, 1000);  // in the grown part
  }
  ASSERT_EQ(pool.idle(), 1u);
  Memory small(pages(1), &pool);  // takes the 4-page mapping, shows 1 page
  EXPECT_EQ(small.size(), kPageSize);
  EXPECT_EQ(small.pages(), 1u);
  EXPECT_FALSE(small.in_bounds(kPageSize, 1));
  // Growing inside the mapping exposes zeros, not the previous owner's bytes.
  ASSERT_EQ(small.grow(3), std::optional<uint32_t>(1));
  EXPECT_EQ(small.size(), 4 * kPageSize);
  EXPECT_TRUE(all_zero(small));
  // And past it (mremap).
  small.data()[5] = 9;
  ASSERT_EQ(small.grow(2), std::optional<uint32_t>(4));
  EXPECT_EQ(small.data()[5], 9);
  for (uint64_t i = 4 * kPageSize; i < small.size(); ++i) ASSERT_EQ(small.data()[i], 0);
}

TEST(MemoryPool, LimitsStillApplyToPooledMemories) {
  MemoryPool pool;
  { Memory m(pages(4), &pool); }
  Memory m(pages(1, 2), &pool);
  EXPECT_EQ(m.grow(2), std::nullopt);  // max 2 pages, even though the mapping has 4
  EXPECT_EQ(m.grow(1, 1), std::nullopt);
  EXPECT_EQ(m.grows_refused_by_limit(), 1u);
  EXPECT_EQ(m.grow(1), std::optional<uint32_t>(1));
}

TEST(MemoryPool, BoundedIdleAndLargeMappingsAreNotKept) {
  MemoryPool::Options o;
  o.max_idle = 2;
  o.max_mapping_bytes = 4 * kPageSize;
  MemoryPool pool(o);
  {
    Memory a(pages(1), &pool), b(pages(1), &pool), c(pages(1), &pool);
  }
  EXPECT_EQ(pool.idle(), 2u);
  {
    Memory big(pages(8), &pool);  // no idle mapping is large enough: a fresh one, not kept after
    EXPECT_EQ(pool.idle(), 2u);
  }
  EXPECT_EQ(pool.idle(), 2u);
}

TEST(MemoryPool, ZeroPageMemoryGrowsFromThePool) {
  MemoryPool pool;
  { Memory m(pages(2), &pool); m.data()[3] = 1; }
  Memory m(pages(0), &pool);
  EXPECT_EQ(m.data(), nullptr);
  ASSERT_EQ(m.grow(1), std::optional<uint32_t>(0));
  EXPECT_EQ(pool.idle(), 0u);
  EXPECT_EQ(m.size(), kPageSize);
  EXPECT_TRUE(all_zero(m));
}

// Instances in stores sharing a pool: data segments are applied again to the reused mapping, and
// what the previous instance stored elsewhere is gone.
TEST(MemoryPool, InstancesInSuccessiveStoresStartFresh) {
  auto wasm = wat_to_wasm(R"((module
    (memory (export "mem") 2)
    (data (i32.const 16) "hello")
    (func (export "poke") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
    (func (export "peek") (param i32) (result i32) (i32.load (local.get 0)))))");
  ASSERT_TRUE(wasm) << wasm.error().to_string();
  auto cm = CompiledModule::compile(*wasm);
  ASSERT_TRUE(cm) << cm.error().to_string();
  MemoryPool pool;
  for (int round = 0; round < 3; ++round) {
    Store store(&pool);
    auto inst = store.instantiate(*cm, {});
    ASSERT_TRUE(inst) << inst.error().to_string();
    Memory* mem = (*inst)->memory("mem");
    ASSERT_NE(mem, nullptr);
    EXPECT_EQ(std::memcmp(mem->data() + 16, "hello", 5), 0);
    for (uint32_t addr : {0u, 16u, 4096u, 65532u, 131068u}) {
      Outcome o = store.call((*inst)->func("peek"), std::vector<Value>{Value::i32(addr)});
      ASSERT_TRUE(o.ok());
      if (addr != 16) {
        EXPECT_EQ(o.results[0].as_u32(), 0u) << "round " << round << " addr " << addr;
      }
      Outcome w = store.call((*inst)->func("poke"), std::vector<Value>{Value::i32(addr), Value::i32(0x5ec2e7)});
      ASSERT_TRUE(w.ok());
    }
  }
  EXPECT_EQ(pool.idle(), 1u);
}

}  // namespace
}  // namespace ipvm::wasm
