// A guest whose cabi_realloc hands out memory it does not have, or misaligned memory, traps (as in
// the canonical ABI): the caller's arguments were fine, so it is not an InvalidArguments answer.
#include "runtime_fixture.h"
#include "wasm/wat.h"

namespace ipvm::runtime::testing {
namespace {

class HostileRealloc : public RuntimeTest {
 protected:
  // A module whose cabi_realloc always returns `ptr`, and f(ptr, len) -> len.
  ipld::Cid module_returning(uint32_t ptr) {
    auto wasm = wasm::wat_to_wasm(fmt::format(R"((module (memory 1)
      (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) i32.const {})
      (func (export "f") (param i32 i32) (result i32) local.get 1)))",
                                              ptr));
    EXPECT_TRUE(wasm) << wasm.error().to_string();
    auto cid = exec_->put_module(*wasm);
    EXPECT_TRUE(cid) << cid.error().to_string();
    return *cid;
  }
};

TEST_F(HostileRealloc, MemoryOutsideTheGuestIsATrap) {
  ipld::Cid mod = module_returning(65530);
  TaskOutcome fits = run(invoke(mod, "f", R"(["hello"])", "func(s: string) -> u32"));
  EXPECT_EQ(out_json(fits), R"({"ok":5})");
  TaskOutcome beyond = run(invoke(mod, "f", R"(["hello, world"])", "func(s: string) -> u32"));
  EXPECT_EQ(beyond.receipt->error_name(), "Trap") << out_json(beyond);
  EXPECT_NE(beyond.receipt->error_message().find("outside the guest's 65536 bytes"), std::string::npos)
      << out_json(beyond);
}

TEST_F(HostileRealloc, MisalignedMemoryIsATrap) {
  ipld::Cid mod = module_returning(3);
  TaskOutcome bytes = run(invoke(mod, "f", R"(["abc"])", "func(s: string) -> u32"));  // align 1: fine
  EXPECT_EQ(out_json(bytes), R"({"ok":3})");
  TaskOutcome words = run(invoke(mod, "f", "[[1, 2]]", "func(s: list<u32>) -> u32"));
  EXPECT_EQ(words.receipt->error_name(), "Trap") << out_json(words);
  EXPECT_NE(words.receipt->error_message().find("not aligned to 4"), std::string::npos) << out_json(words);
}

}  // namespace
}  // namespace ipvm::runtime::testing
