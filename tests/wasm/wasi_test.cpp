// WASI preview1 functions over a bare memory: results, errno values, bounds checks, determinism.
#include <gtest/gtest.h>

#include <cstring>

#include "wasm/wasi.h"

namespace ipvm::wasm {
namespace {

namespace E = wasi_errno;

struct WasiTest : ::testing::Test {
  Memory mem{MemoryType{Limits{1, std::nullopt}}};
  uint32_t u32(uint32_t at) {
    uint32_t v = 0;
    mem.read(at, &v, 4);
    return v;
  }
  uint64_t u64(uint32_t at) {
    uint64_t v = 0;
    mem.read(at, &v, 8);
    return v;
  }
  void put32(uint32_t at, uint32_t v) { mem.write(at, &v, 4); }
  std::string str(uint32_t at) { return std::string(reinterpret_cast<const char*>(mem.data() + at)); }
  // One iovec at `iov` pointing to [buf, buf+len).
  void iovec(uint32_t iov, uint32_t buf, uint32_t len) {
    put32(iov, buf);
    put32(iov + 4, len);
  }
};

TEST_F(WasiTest, ArgsAndEnvironment) {
  WasiState s;
  s.args = {"prog", "a b", ""};
  s.env = {"X=1"};
  Wasi w(s);
  ASSERT_EQ(w.args_sizes_get(&mem, 0, 4), E::kSuccess);
  EXPECT_EQ(u32(0), 3u);
  EXPECT_EQ(u32(4), 5u + 4u + 1u);
  ASSERT_EQ(w.args_get(&mem, 100, 200), E::kSuccess);
  EXPECT_EQ(str(u32(100)), "prog");
  EXPECT_EQ(str(u32(104)), "a b");
  EXPECT_EQ(str(u32(108)), "");
  ASSERT_EQ(w.environ_sizes_get(&mem, 0, 4), E::kSuccess);
  EXPECT_EQ(u32(0), 1u);
  EXPECT_EQ(u32(4), 4u);
  ASSERT_EQ(w.environ_get(&mem, 300, 400), E::kSuccess);
  EXPECT_EQ(str(u32(300)), "X=1");
  // Pointers past the end of memory fault without writing anything.
  EXPECT_EQ(w.args_get(&mem, 65534, 200), E::kFault);
  EXPECT_EQ(w.args_get(&mem, 100, 65535), E::kFault);
  EXPECT_EQ(w.args_sizes_get(&mem, 0xfffffffe, 0), E::kFault);
  EXPECT_EQ(w.args_sizes_get(nullptr, 0, 4), E::kFault);
}

TEST_F(WasiTest, WriteCapturesWithCapAndChecksEveryBuffer) {
  WasiState s;
  s.output_cap = 8;
  Wasi w(s);
  std::memcpy(mem.data() + 1000, "hello, world", 12);
  iovec(0, 1000, 5);
  iovec(8, 1005, 7);
  ASSERT_EQ(w.fd_write(&mem, 1, 0, 2, 64), E::kSuccess);
  EXPECT_EQ(u32(64), 12u);
  EXPECT_EQ(w.state().stdout_buf, "hello, w");
  EXPECT_EQ(w.state().stdout_dropped, 4u);
  ASSERT_EQ(w.fd_write(&mem, 2, 0, 1, 64), E::kSuccess);
  EXPECT_EQ(w.state().stderr_buf, "hello");
  // A bad second buffer: nothing is written at all.
  iovec(8, 65530, 100);
  EXPECT_EQ(w.fd_write(&mem, 2, 0, 2, 64), E::kFault);
  EXPECT_EQ(w.state().stderr_buf, "hello");
  EXPECT_EQ(w.fd_write(&mem, 0, 0, 1, 64), E::kBadf);
  EXPECT_EQ(w.fd_write(&mem, 3, 0, 1, 64), E::kBadf);
  EXPECT_EQ(w.fd_write(&mem, 1, 0xfffffff8, 2, 64), E::kFault);  // iovec array wraps around
}

TEST_F(WasiTest, ReadGivenStdinInPieces) {
  WasiState s;
  s.stdin_data = to_bytes("abcdefg");
  Wasi w(s);
  iovec(0, 1000, 3);
  iovec(8, 2000, 2);
  ASSERT_EQ(w.fd_read(&mem, 0, 0, 2, 64), E::kSuccess);
  EXPECT_EQ(u32(64), 5u);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(mem.data() + 1000), 3), "abc");
  EXPECT_EQ(std::string(reinterpret_cast<char*>(mem.data() + 2000), 2), "de");
  ASSERT_EQ(w.fd_read(&mem, 0, 0, 2, 64), E::kSuccess);
  EXPECT_EQ(u32(64), 2u);
  ASSERT_EQ(w.fd_read(&mem, 0, 0, 2, 64), E::kSuccess);
  EXPECT_EQ(u32(64), 0u);  // end of input
  EXPECT_EQ(w.fd_read(&mem, 1, 0, 1, 64), E::kBadf);
  iovec(0, 65535, 2);
  EXPECT_EQ(w.fd_read(&mem, 0, 0, 1, 64), E::kFault);
}

TEST_F(WasiTest, StdioDescriptors) {
  Wasi w;
  ASSERT_EQ(w.fd_fdstat_get(&mem, 1, 0), E::kSuccess);
  EXPECT_EQ(mem.data()[0], 2);  // character device
  EXPECT_NE(u64(8) & (1u << 6), 0u);  // fd_write right
  EXPECT_EQ(w.fd_fdstat_get(&mem, 3, 0), E::kBadf);
  EXPECT_EQ(w.fd_fdstat_get(&mem, 1, 65530), E::kFault);
  EXPECT_EQ(w.fd_seek(&mem, 1, 0, 0, 0), E::kSpipe);
  EXPECT_EQ(w.fd_seek(&mem, 7, 0, 0, 0), E::kBadf);
  EXPECT_EQ(w.fd_prestat_get(3), E::kBadf);  // no preopens: wasi-libc stops looking
  EXPECT_EQ(w.fd_fdstat_set_flags(1, 1), E::kSuccess);
  ASSERT_EQ(w.fd_fdstat_get(&mem, 1, 0), E::kSuccess);
  EXPECT_EQ(mem.data()[2], 1);
  EXPECT_EQ(w.fd_close(2), E::kSuccess);
  EXPECT_EQ(w.fd_close(2), E::kBadf);
  EXPECT_EQ(w.fd_write(&mem, 2, 0, 0, 64), E::kBadf);
}

TEST_F(WasiTest, VirtualClockIsDeterministic) {
  WasiState s;
  s.clock_ns = 5'000;
  s.clock_step_ns = 10;
  Wasi w(s);
  ASSERT_EQ(w.clock_time_get(&mem, 0, 0, 0), E::kSuccess);
  EXPECT_EQ(u64(0), 5'000u);
  ASSERT_EQ(w.clock_time_get(&mem, 1, 0, 0), E::kSuccess);
  EXPECT_EQ(u64(0), 5'010u);
  ASSERT_EQ(w.clock_res_get(&mem, 1, 0), E::kSuccess);
  EXPECT_EQ(u64(0), 10u);
  EXPECT_EQ(w.clock_time_get(&mem, 9, 0, 0), E::kInval);
  EXPECT_EQ(w.clock_time_get(&mem, 0, 0, 65535), E::kFault);
}

TEST_F(WasiTest, RandomIsAStreamOfTheSeed) {
  WasiState s;
  s.random_seed = Bytes(32, 7);
  Wasi a(s), b(s);
  ASSERT_EQ(a.random_get(&mem, 0, 100), E::kSuccess);
  Bytes whole(mem.data(), mem.data() + 100);
  // The same bytes in pieces (crossing ChaCha20 block boundaries), from a copy of the state.
  ASSERT_EQ(b.random_get(&mem, 1000, 30), E::kSuccess);
  ASSERT_EQ(b.random_get(&mem, 1030, 70), E::kSuccess);
  EXPECT_EQ(Bytes(mem.data() + 1000, mem.data() + 1100), whole);
  EXPECT_EQ(b.state().random_offset, 100u);
  WasiState other = s;
  other.random_seed[0] ^= 1;
  Wasi c(other);
  ASSERT_EQ(c.random_get(&mem, 2000, 100), E::kSuccess);
  EXPECT_NE(Bytes(mem.data() + 2000, mem.data() + 2100), whole);
  EXPECT_EQ(a.random_get(&mem, 65500, 100), E::kFault);
  // Large requests are served in pieces too.
  ASSERT_EQ(a.random_get(&mem, 0, 65536), E::kSuccess);
  EXPECT_EQ(a.state().random_offset, 100u + 65536u);
}

TEST_F(WasiTest, PollOneoffAdvancesTheClock) {
  WasiState s;
  s.clock_ns = 1000;
  Wasi w(s);
  uint8_t sub[48] = {};
  sub[0] = 42;     // userdata
  sub[8] = 0;      // clock
  uint64_t timeout = 500;
  std::memcpy(sub + 24, &timeout, 8);
  mem.write(0, sub, 48);
  ASSERT_EQ(w.poll_oneoff(&mem, 0, 100, 1, 200), E::kSuccess);
  EXPECT_EQ(u32(200), 1u);
  EXPECT_EQ(mem.data()[100], 42);
  EXPECT_EQ(w.state().clock_ns, 1500u);
  EXPECT_EQ(w.poll_oneoff(&mem, 0, 100, 0, 200), E::kInval);
  EXPECT_EQ(w.poll_oneoff(&mem, 65500, 100, 1, 200), E::kFault);
}

TEST_F(WasiTest, EveryPreview1FunctionHasASignatureAndUnknownOnesAreNosys) {
  Wasi w;
  for (const char* name : {"fd_write", "path_open", "sock_accept", "proc_exit", "sched_yield", "fd_readdir"})
    EXPECT_NE(Wasi::signature(name), nullptr) << name;
  EXPECT_EQ(Wasi::signature("not_a_wasi_call"), nullptr);
  EXPECT_EQ(Wasi::signature("clock_time_get")->params[1], ValType::kI64);
  EXPECT_TRUE(Wasi::signature("proc_exit")->results.empty());
  std::vector<Value> args(9, Value::i32(0));
  EXPECT_EQ(w.call("path_open", &mem, args), E::kNosys);
  EXPECT_EQ(w.call("sock_send", &mem, args), E::kNosys);
  EXPECT_EQ(w.call("sched_yield", &mem, {}), E::kSuccess);
  std::vector<Value> code{Value::i32(3)};
  w.call("proc_exit", &mem, code);
  EXPECT_TRUE(w.state().exited);
  EXPECT_EQ(w.state().exit_code, 3);
}

}  // namespace
}  // namespace ipvm::wasm
