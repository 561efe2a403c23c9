// Untrusted text echoed in task errors is cut: a megabyte module reference, export name or WIT
// signature still gives a short one-line message (and a small error receipt).
#include <string>

#include <gtest/gtest.h>

#include "base/ellipsis.h"
#include "ipld/value.h"
#include "runtime/task.h"
#include "runtime/wit.h"

namespace ipvm::runtime {
namespace {

TEST(Ellipsize, KeepsShortTextAndCutsAtACharacterBoundary) {
  EXPECT_EQ(ellipsize("short"), "short");
  EXPECT_EQ(ellipsize(std::string(64, 'a')), std::string(64, 'a'));
  EXPECT_EQ(ellipsize(std::string(65, 'a')), std::string(64, 'a') + "... (65 bytes)");
  // "é" is two bytes: a cut after 3 bytes of "aéé" would split the second one.
  EXPECT_EQ(ellipsize("a\xc3\xa9\xc3\xa9", 4), "a\xc3\xa9... (5 bytes)");
}

TEST(LongText, ModuleReferenceIsCut) {
  ipld::Map args;
  args.emplace_back("fun", ipld::Value::string("f"));
  args.emplace_back("mod", ipld::Value::string("ipfs://" + std::string(1 << 20, 'z')));
  auto t = parse_wasm_task(ipld::Value::map(std::move(args)));
  ASSERT_FALSE(t);
  EXPECT_LT(t.error().message.size(), 200u) << t.error().message.substr(0, 300);
  EXPECT_NE(t.error().message.find("(1048583 bytes)"), std::string::npos) << t.error().message;
}

TEST(LongText, SignatureIsCut) {
  auto f = parse_wit_func("func(" + std::string(1 << 20, '!'));
  ASSERT_FALSE(f);
  EXPECT_LT(f.error().message.size(), 300u) << f.error().message.substr(0, 400);
}

}  // namespace
}  // namespace ipvm::runtime
