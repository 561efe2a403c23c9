#include "runtime/wit.h"

#include <gtest/gtest.h>

namespace ipvm::runtime {
namespace {

TEST(Wit, ParsesTheIssueExample) {
  auto f = parse_wit_func("func(img: list<u8>, width: u32, height: u32) -> list<u8>");
  ASSERT_TRUE(f) << f.error().message;
  ASSERT_EQ(f->params.size(), 3u);
  EXPECT_EQ(f->params[0].name, "img");
  EXPECT_EQ(f->params[0].type->kind, WitKind::kList);
  EXPECT_EQ(f->params[0].type->element->kind, WitKind::kU8);
  EXPECT_EQ(f->params[2].type->kind, WitKind::kU32);
  ASSERT_EQ(f->results.size(), 1u);
  EXPECT_EQ(f->to_string(), "func(img: list<u8>, width: u32, height: u32) -> list<u8>");
}

TEST(Wit, ParsesCompositeTypes) {
  auto f = parse_wit_func(
      "func(p: record { name: string, age: u32 }, t: tuple<s8, f64>, o: option<string>, "
      "r: result<u32, string>, e: enum { red, green-ish }) -> (a: bool, b: result)");
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(f->params[0].type->fields[1].name, "age");
  EXPECT_EQ(f->params[1].type->fields.size(), 2u);
  EXPECT_EQ(f->params[3].type->err->kind, WitKind::kString);
  EXPECT_EQ(f->params[4].type->cases[1], "green-ish");
  EXPECT_EQ(f->results.size(), 2u);
  EXPECT_EQ(f->results[1].type->kind, WitKind::kResult);
  auto again = parse_wit_func(f->to_string());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->to_string(), f->to_string());
}

TEST(Wit, ParsesResultWithOnlyAnError) {
  auto t = parse_wit_type("result<_, string>");
  ASSERT_TRUE(t);
  EXPECT_EQ((*t)->ok, nullptr);
  EXPECT_EQ((*t)->err->kind, WitKind::kString);
}

TEST(Wit, RejectsBadSignaturesWithAColumn) {
  for (const char* bad : {"", "fun()", "func(a u32)", "func(a: u33)", "func(a: list<u8)", "func(a: u8, a: u8)",
                          "func() -> u8 extra", "func(a: record {})", "func(a: enum { x, x })"}) {
    auto f = parse_wit_func(bad);
    ASSERT_FALSE(f) << bad;
    EXPECT_EQ(f.error().kind, "wit");
    EXPECT_NE(f.error().message.find("column"), std::string::npos) << f.error().message;
  }
}

TEST(Wit, BoundsNesting) {
  std::string deep;
  for (int i = 0; i < 1000; ++i) deep += "list<";
  deep += "u8";
  for (int i = 0; i < 1000; ++i) deep += ">";
  EXPECT_FALSE(parse_wit_type(deep));
}

}  // namespace
}  // namespace ipvm::runtime
