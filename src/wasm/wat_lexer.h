// The WebAssembly text format's tokens (spec 6.3 "Lexical Format").
//
// tokenize_wat splits UTF-8 source text into parentheses, keywords (a-z...), identifiers ($...),
// strings (escapes decoded into raw bytes) and "atoms" (every other run of idchars: numbers, or
// reserved tokens that the parser rejects where it expects something else). Whitespace, line
// comments (;; ...) and nested block comments ((; ... ;)) are dropped.
//
// Numbers are not interpreted here: a token like `0x1p3` or `nan:0x7f` stays text until the parser
// knows which type it wants (wat_numbers.h). Keywords hold `offset=8` as one token, as the spec says.
//
// Errors (kind "malformed", message "LINE:COL: what"): source that is not valid UTF-8, a character
// outside the token grammar, an unterminated string or block comment, a bad escape, a control
// character inside a string, and tokens that touch without separating whitespace (`"a"b`).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace ipvm::wasm {

enum class WatTok : uint8_t { kLParen, kRParen, kKeyword, kId, kAtom, kString, kEof };

struct WatToken {
  WatTok kind = WatTok::kEof;
  std::string_view text;  // the source slice (for strings: with the quotes)
  std::string value;      // strings: the decoded bytes (may be invalid UTF-8); ids: without '$'
  uint32_t line = 1, col = 1;
};

// The token list always ends with one kEof token.
Result<std::vector<WatToken>> tokenize_wat(std::string_view source);

// "LINE:COL" for messages.
std::string wat_where(const WatToken& t);

}  // namespace ipvm::wasm
