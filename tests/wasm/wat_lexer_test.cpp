// The text format's lexer and number literals: edge cases from spec 6.3.
#include <gtest/gtest.h>

#include <cstring>

#include "wasm/wat_lexer.h"
#include "wasm/wat_numbers.h"

namespace ipvm::wasm {
namespace {

std::vector<WatToken> lex(std::string_view s) {
  auto r = tokenize_wat(s);
  EXPECT_TRUE(r) << r.error().to_string();
  return r ? *r : std::vector<WatToken>{};
}

std::string lex_error(std::string_view s) {
  auto r = tokenize_wat(s);
  return r ? std::string("accepted") : r.error().message;
}

TEST(WatLexer, TokenKindsAndPositions) {
  auto t = lex("(module $m\n  (func) 0x1_0 \"a\\n\" offset=4)");
  ASSERT_EQ(t.size(), 11u);
  EXPECT_EQ(t[0].kind, WatTok::kLParen);
  EXPECT_EQ(t[1].kind, WatTok::kKeyword);
  EXPECT_EQ(t[1].text, "module");
  EXPECT_EQ(t[2].kind, WatTok::kId);
  EXPECT_EQ(t[2].value, "m");
  EXPECT_EQ(t[3].line, 2u);
  EXPECT_EQ(t[3].col, 3u);
  EXPECT_EQ(t[6].kind, WatTok::kAtom);
  EXPECT_EQ(t[6].text, "0x1_0");
  EXPECT_EQ(t[7].kind, WatTok::kString);
  EXPECT_EQ(t[7].value, "a\n");
  EXPECT_EQ(t[8].kind, WatTok::kKeyword);
  EXPECT_EQ(t[8].text, "offset=4");
  EXPECT_EQ(t[9].kind, WatTok::kRParen);
  EXPECT_EQ(t.back().kind, WatTok::kEof);
}

TEST(WatLexer, CommentsNestAndVanish) {
  auto t = lex("(; a (; nested ;) still ;) x ;; line comment (\n y (;;) z");
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0].text, "x");
  EXPECT_EQ(t[1].text, "y");
  EXPECT_EQ(t[2].text, "z");
  EXPECT_NE(lex_error("(; (; ;) never closed").find("unterminated block comment"), std::string::npos);
  EXPECT_NE(lex_error("x ; y").find("unexpected character ';'"), std::string::npos);
}

TEST(WatLexer, StringEscapes) {
  auto t = lex(R"("\t\n\r\"\'\\\00\ff\u{41}\u{1F600}")");
  ASSERT_EQ(t.size(), 2u);
  std::string want = std::string("\t\n\r\"'\\") + std::string(1, '\0') + "\xff" + "A" + "\xf0\x9f\x98\x80";
  EXPECT_EQ(t[0].value, want);
  EXPECT_NE(lex_error(R"("\q")").find("illegal escape"), std::string::npos);
  EXPECT_NE(lex_error(R"("\u{d800}")").find("surrogate"), std::string::npos);
  EXPECT_NE(lex_error(R"("\u{110000}")").find("above U+10FFFF"), std::string::npos);
  EXPECT_NE(lex_error("\"abc").find("unterminated string"), std::string::npos);
  EXPECT_NE(lex_error("\"a\tb\"").find("control character"), std::string::npos);
  EXPECT_NE(lex_error("\"a\x7f\"").find("control character"), std::string::npos);
}

TEST(WatLexer, SourceMustBeUtf8AndTokensMustBeSeparated) {
  EXPECT_NE(lex_error("(module \xff)").find("malformed UTF-8 encoding"), std::string::npos);
  EXPECT_NE(lex_error("\"a\"b").find("must be followed by a space"), std::string::npos);
  EXPECT_NE(lex_error("a\"b\"").find("must be preceded by a space"), std::string::npos);
  EXPECT_NE(lex_error("$").find("empty identifier"), std::string::npos);
  EXPECT_NE(lex_error("(module {)").find("unexpected character '{'"), std::string::npos);
  // A UTF-8 string in the source is fine, and columns count characters.
  auto t = lex("\"\xc3\xa9\" x");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[1].col, 5u);
}

TEST(WatNumbers, Integers) {
  EXPECT_EQ(wat_parse_int("0", 32).bits, 0u);
  EXPECT_EQ(wat_parse_int("-1", 32).bits, 0xffffffffu);
  EXPECT_EQ(wat_parse_int("4294967295", 32).bits, 0xffffffffu);
  EXPECT_EQ(wat_parse_int("-0x8000_0000", 32).bits, 0x80000000u);
  EXPECT_EQ(wat_parse_int("+0x7fffffff", 32).bits, 0x7fffffffu);
  EXPECT_EQ(wat_parse_int("1_000_000", 32).bits, 1000000u);
  EXPECT_EQ(wat_parse_int("-9223372036854775808", 64).bits, 0x8000000000000000ull);
  EXPECT_EQ(wat_parse_int("0xffffffffffffffff", 64).bits, UINT64_MAX);
  EXPECT_EQ(wat_parse_int("4294967296", 32).error, "i32 constant out of range");
  EXPECT_EQ(wat_parse_int("-0x80000001", 32).error, "i32 constant out of range");
  EXPECT_EQ(wat_parse_int("18446744073709551616", 64).error, "i64 constant out of range");
  EXPECT_EQ(wat_parse_int("-9223372036854775809", 64).error, "i64 constant out of range");
  for (const char* bad : {"", "_1", "1_", "1__0", "0x", "0x_1", "1a", "--1", "+", "0x1.0", "1.0", "nan"})
    EXPECT_EQ(wat_parse_int(bad, 32).error, "unexpected token") << bad;
  EXPECT_EQ(wat_parse_unsigned("0x10", 32).bits, 16u);
  EXPECT_EQ(wat_parse_unsigned("+1", 32).error, "unexpected token");
  EXPECT_EQ(wat_parse_unsigned("-1", 32).error, "unexpected token");
  EXPECT_EQ(wat_parse_unsigned("4294967296", 32).error, "i32 constant out of range");
  EXPECT_TRUE(wat_looks_unsigned("0x1f"));
  EXPECT_FALSE(wat_looks_unsigned("$x"));
}

uint32_t f32(std::string_view s) {
  WatNumber n = wat_parse_f32(s);
  EXPECT_EQ(n.error, "") << s;
  return static_cast<uint32_t>(n.bits);
}
uint64_t f64(std::string_view s) {
  WatNumber n = wat_parse_f64(s);
  EXPECT_EQ(n.error, "") << s;
  return n.bits;
}

TEST(WatNumbers, Floats) {
  EXPECT_EQ(f32("0"), 0u);
  EXPECT_EQ(f32("-0.0"), 0x80000000u);
  EXPECT_EQ(f32("1"), 0x3f800000u);
  EXPECT_EQ(f32("1."), 0x3f800000u);
  EXPECT_EQ(f32("1.e0"), 0x3f800000u);
  EXPECT_EQ(f32("0x1p0"), 0x3f800000u);
  EXPECT_EQ(f32("0x1.8p1"), 0x40400000u);
  EXPECT_EQ(f32("0x1.p1"), 0x40000000u);
  EXPECT_EQ(f32("0x10"), 0x41800000u);
  EXPECT_EQ(f32("1_000.000_1e0_1"), f32("10000.001"));
  EXPECT_EQ(f32("inf"), 0x7f800000u);
  EXPECT_EQ(f32("-inf"), 0xff800000u);
  EXPECT_EQ(f32("nan"), 0x7fc00000u);
  EXPECT_EQ(f32("-nan"), 0xffc00000u);
  EXPECT_EQ(f32("nan:0x1"), 0x7f800001u);
  EXPECT_EQ(f32("+nan:0x7f_ffff"), 0x7fffffffu);
  EXPECT_EQ(f64("nan:0xf_ffff_ffff_ffff"), 0x7fffffffffffffffull);
  EXPECT_EQ(f64("0x1p-1074"), 1u);  // the smallest subnormal
  EXPECT_EQ(f32("0x1p-149"), 1u);
  // Rounded once, straight to f32 (through double this would round to 1 + 2^-23).
  EXPECT_EQ(f32("0x1.000001000000000001p0"), 0x3f800001u);
  EXPECT_EQ(f32("0x1.000001p0"), 0x3f800000u);  // a tie: to even
  EXPECT_EQ(f32("1.000000059604644775390625000001"), 0x3f800001u);  // just above a tie
  EXPECT_EQ(f32("0x1.8e3p0"), f32("0x18e3p-12"));  // e is a hex digit
  EXPECT_EQ(f32("0x1.fffffefffffffffffp127"), 0x7f7fffffu);  // just below the rounding edge
  EXPECT_EQ(wat_parse_f32("0x1.ffffffp127").error, "f32 constant out of range");
  EXPECT_EQ(wat_parse_f32("1e39").error, "f32 constant out of range");
  EXPECT_EQ(wat_parse_f64("1e309").error, "f64 constant out of range");
  EXPECT_EQ(wat_parse_f32("nan:0x0").error, "f32 constant out of range");
  EXPECT_EQ(wat_parse_f32("nan:0x800000").error, "f32 constant out of range");
  EXPECT_EQ(wat_parse_f64("nan:0x10000000000000").error, "f64 constant out of range");
  for (const char* bad : {"", ".5", "1e", "1e+", "0x", "0x.8", "0x1p", "1.0f", "infinity", "nan:1", "nan:0x",
                          "1._5", "1_.5", "0x1.8q3", "+-1", "1e_5"})
    EXPECT_EQ(wat_parse_f64(bad).error, "unexpected token") << bad;
}

}  // namespace
}  // namespace ipvm::wasm
