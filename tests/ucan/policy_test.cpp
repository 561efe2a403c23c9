#include "ucan/policy.h"

#include <gtest/gtest.h>

#include "ipld/dag_json.h"
#include "ucan_test_util.h"

namespace ipvm::ucan {
namespace {

ipld::Value json(std::string_view s) {
  auto v = ipld::dag_json_decode(s);
  EXPECT_TRUE(v) << s << ": " << (v ? "" : v.error().message);
  return v ? *v : ipld::Value();
}

bool holds(std::string_view policy, std::string_view args) {
  auto p = parse_policy(json(policy));
  EXPECT_TRUE(p) << policy << ": " << (p ? "" : p.error().message);
  return p && matches(*p, json(args));
}

std::string sel(std::string_view selector, std::string_view data) {
  auto s = parse_selector(selector);
  EXPECT_TRUE(s) << selector << ": " << (s ? "" : s.error().message);
  if (!s) return "parse error";
  auto v = select(*s, json(data));
  return v ? ipld::dag_json_encode(*v) : "unresolved";
}

TEST(PolicyFixture, EveryValidCaseMatchesAndEveryInvalidOneDoesNot) {
  ipld::Value fx = test::load_fixture("policy.json");
  int checked = 0;
  for (std::string_view group : {"valid", "invalid"}) {
    const ipld::Value* cases = fx.find(group);
    ASSERT_NE(cases, nullptr);
    for (const ipld::Value& c : cases->as_list()) {
      const ipld::Value& args = *c.find("args");
      for (const ipld::Value& pol : c.find("policies")->as_list()) {
        auto p = parse_policy(pol);
        ASSERT_TRUE(p) << ipld::dag_json_encode(pol) << ": " << p.error().message;
        EXPECT_EQ(matches(*p, args), group == "valid")
            << group << ": " << ipld::dag_json_encode(pol) << " on " << ipld::dag_json_encode(args);
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 20);
}

TEST(Selector, SpecExamples) {
  const char* args = R"({"from":"alice@example.com","to":["bob@example.com","carol@not.example.com","dan@example.com"],"cc":["fraud@example.com"],"title":"Meeting Confirmation"})";
  EXPECT_EQ(sel(".title", args), R"("Meeting Confirmation")");
  EXPECT_EQ(sel(".cc", args), R"(["fraud@example.com"])");
  EXPECT_EQ(sel(".to[1]", args), R"("carol@not.example.com")");
  EXPECT_EQ(sel(".to[-1]", args), R"("dan@example.com")");
  EXPECT_EQ(sel(".to[99]?", args), "null");
  EXPECT_EQ(sel(".to[99]", args), "unresolved");
  EXPECT_EQ(sel(".", R"({"a":1})"), R"({"a":1})");
  EXPECT_EQ(sel(R"(.["title"])", args), R"("Meeting Confirmation")");
  EXPECT_EQ(sel(R"(.["$_*"])", R"({"$_*":2})"), "2");
}

TEST(Selector, MissingKeysAreNullButNestingThroughThemFails) {
  EXPECT_EQ(sel(".nope", R"({"a":1})"), "null");
  EXPECT_EQ(sel(".nope.deeper", R"({"a":1})"), "unresolved");
  EXPECT_EQ(sel(".nope?.deeper?", R"({"a":1})"), "null");
  EXPECT_EQ(sel(".a.b", R"({"a":1})"), "unresolved");
  EXPECT_EQ(sel(".a.b?", R"({"a":1})"), "null");
  EXPECT_EQ(sel(".a.b???", R"({"a":1})"), "null");
  // Stops at the first failure even if a later segment is optional.
  EXPECT_EQ(sel(".a[5].b?", R"({"a":[1]})"), "unresolved");
  EXPECT_EQ(sel(".a[0]", R"({"a":{"0":1}})"), "unresolved");
}

TEST(Selector, IteratorsSlicesAndBytes) {
  EXPECT_EQ(sel(".a[]", R"({"a":[1,2]})"), "[1,2]");
  EXPECT_EQ(sel(".a[]", R"({"a":{"x":1,"y":2}})"), "[1,2]");
  EXPECT_EQ(sel(".a[].b", R"({"a":[{"b":1},{"b":2},{"c":3}]})"), "[1,2,null]");
  EXPECT_EQ(sel(".a[][0]", R"({"a":[[1],[],[3]]})"), "[1,3]");
  EXPECT_EQ(sel(".a[1:3]", R"({"a":[0,1,2,3]})"), "[1,2]");
  EXPECT_EQ(sel(".a[2:]", R"({"a":[0,1,2,3]})"), "[2,3]");
  EXPECT_EQ(sel(".a[:-1]", R"({"a":[0,1,2,3]})"), "[0,1,2]");
  EXPECT_EQ(sel(".a[:99]", R"({"a":[0,1]})"), "[0,1]");
  EXPECT_EQ(sel(".a[3]", R"({"a":{"/":{"bytes":"1qnBjPjE"}}})"), "140");
  EXPECT_EQ(sel(".a[]", R"({"a":5})"), "unresolved");
  EXPECT_EQ(sel(".a[]?", R"({"a":5})"), "null");
}

TEST(Selector, RejectsMalformedSyntax) {
  for (const char* bad : {"", "a", "..", ".a..b", ".a.", ".[", ".[1", ".[\"x]", ".[x]", ".1a", ".a b",
                          ".[1:2", ".[+1]", "[0]"}) {
    auto s = parse_selector(bad);
    EXPECT_FALSE(s) << bad;
    if (!s) {
      EXPECT_EQ(s.error().kind, "policy");
    }
  }
  std::string deep = ".";
  for (int i = 0; i < 300; ++i) deep += "[]";
  EXPECT_FALSE(parse_selector(deep));
}

TEST(Policy, ComparisonsAreNumericAcrossIntAndFloat) {
  EXPECT_TRUE(holds(R"([["==", ".a", 1.0]])", R"({"a":1})"));
  EXPECT_TRUE(holds(R"([["==", ".a", [1, {"b": 2.0}]]])", R"({"a":[1.0,{"b":2}]})"));
  EXPECT_TRUE(holds(R"([["<", ".a", 1.5]])", R"({"a":1})"));
  EXPECT_FALSE(holds(R"([["<", ".a", 1]])", R"({"a":1})"));
  EXPECT_TRUE(holds(R"([["<=", ".a", 1]])", R"({"a":1})"));
  EXPECT_TRUE(holds(R"([[">", ".a", -1]])", R"({"a":0})"));
  EXPECT_TRUE(holds(R"([[">", ".a", 9223372036854775807]])", R"({"a":18446744073709551615})"));
  EXPECT_FALSE(holds(R"([[">", ".a", 0]])", R"({"a":"1"})"));  // a string is not a number
  EXPECT_FALSE(holds(R"([[">", ".a", 0]])", R"({})"));
}

TEST(Policy, UnresolvableSelectorsNeverSatisfyAStatement) {
  EXPECT_FALSE(holds(R"([["==", ".a.b", null]])", R"({})"));
  EXPECT_FALSE(holds(R"([["!=", ".a.b", 1]])", R"({})"));
  EXPECT_TRUE(holds(R"([["==", ".a", null]])", R"({})"));  // a missing key reads as null
  EXPECT_TRUE(holds(R"([["!=", ".a", 1]])", R"({})"));
  EXPECT_FALSE(holds(R"([["!=", ".a", null]])", R"({})"));
  EXPECT_FALSE(holds(R"([["like", ".a", "*"]])", R"({"a":1})"));
  EXPECT_FALSE(holds(R"([["all", ".a", ["==", ".", 1]]])", R"({"a":1})"));
  EXPECT_TRUE(holds(R"([["all", ".a", ["==", ".", 1]]])", R"({"a":[]})"));
  EXPECT_FALSE(holds(R"([["any", ".a", ["==", ".", 1]]])", R"({"a":[]})"));
  EXPECT_TRUE(holds(R"([["any", ".a", ["==", ".", 1]]])", R"({"a":{"x":2,"y":1}})"));
  EXPECT_TRUE(holds(R"([])", R"({})"));
  EXPECT_TRUE(holds(R"([["and", []], ["or", []]])", R"({})"));
}

TEST(Policy, GlobPatterns) {
  auto g = [](std::string_view pat, std::string_view text) { return glob_match(*parse_glob(pat), text); };
  EXPECT_TRUE(g("*", ""));
  EXPECT_TRUE(g("**", "abc"));
  EXPECT_TRUE(g("a*c", "abbbc"));
  EXPECT_TRUE(g("a*b*c", "abc"));
  EXPECT_FALSE(g("a*b*c", "acb"));
  EXPECT_TRUE(g("*@example.com", "bob@example.com"));
  EXPECT_FALSE(g("*@example.com", "carol@elsewhere.com"));
  EXPECT_TRUE(g("a\\*b", "a*b"));
  EXPECT_FALSE(g("a\\*b", "axb"));
  EXPECT_TRUE(g("a\\\\b", "a\\b"));
  EXPECT_TRUE(g("ab*ab", "abab"));
  EXPECT_FALSE(g("ab*ab", "aba"));
  EXPECT_FALSE(parse_glob("trailing\\"));
}

TEST(Policy, RejectsMalformedPolicies) {
  for (const char* bad : {R"({})", R"([1])", R"([[]])", R"([["~", ".a", 1]])", R"([["==", ".a"]])",
                          R"([["==", 1, 1]])", R"([["<", ".a", "1"]])", R"([["like", ".a", 1]])",
                          R"([["not"]])", R"([["and", ["==", ".a", 1]]])", R"([["all", ".a", 1]])",
                          R"([["==", "a", 1]])"}) {
    auto p = parse_policy(json(bad));
    EXPECT_FALSE(p) << bad;
    if (!p) {
      EXPECT_EQ(p.error().kind, "policy") << bad;
    }
  }
  // Deep nesting is refused, not a stack overflow.
  std::string deep;
  for (int i = 0; i < 200; ++i) deep += R"(["not", )";
  deep += R"(["==", ".a", 1])";
  for (int i = 0; i < 200; ++i) deep += "]";
  auto v = ipld::dag_json_decode("[" + deep + "]");
  if (v) {
    EXPECT_FALSE(parse_policy(*v));
  }
}

TEST(Policy, FirstViolationNamesTheStatement) {
  auto p = parse_policy(json(R"([["==", ".a", 1], ["==", ".b", 2]])"));
  ASSERT_TRUE(p);
  const Statement* s = first_violation(*p, json(R"({"a":1,"b":3})"));
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(ipld::dag_json_encode(s->source), R"(["==",".b",2])");
}

}  // namespace
}  // namespace ipvm::ucan
