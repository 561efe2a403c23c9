#include "wasm/wat_lexer.h"

#include <fmt/format.h>

#include "base/utf8.h"

namespace ipvm::wasm {
namespace {

bool is_idchar(unsigned char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-':
    case '.': case '/': case ':': case '<': case '=': case '>': case '?': case '@': case '\\':
    case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  Result<std::vector<WatToken>> run() {
    if (size_t bad = utf8_invalid_offset(s_); bad != s_.size()) {
      advance_to(bad);
      return error("malformed UTF-8 encoding");
    }
    std::vector<WatToken> out;
    for (;;) {
      IPVM_TRY_STATUS(skip_space());
      WatToken t;
      t.line = line_;
      t.col = col_;
      if (pos_ >= s_.size()) {
        out.push_back(std::move(t));
        return out;
      }
      size_t start = pos_;
      char c = s_[pos_];
      if (c == '(') {
        t.kind = WatTok::kLParen;
        advance(1);
      } else if (c == ')') {
        t.kind = WatTok::kRParen;
        advance(1);
      } else if (c == '"') {
        t.kind = WatTok::kString;
        IPVM_TRY_STATUS(read_string(t.value));
        if (pos_ < s_.size() && (is_idchar(s_[pos_]) || s_[pos_] == '"'))
          return error("unknown operator: a string must be followed by a space or a parenthesis");
      } else if (is_idchar(static_cast<unsigned char>(c))) {
        while (pos_ < s_.size() && is_idchar(static_cast<unsigned char>(s_[pos_]))) advance(1);
        if (pos_ < s_.size() && s_[pos_] == '"')
          return error("unknown operator: a string must be preceded by a space or a parenthesis");
        std::string_view text = s_.substr(start, pos_ - start);
        if (c == '$') {
          if (text.size() == 1) return error_at(t, "unexpected token: empty identifier '$'");
          t.kind = WatTok::kId;
          t.value = std::string(text.substr(1));
        } else if (c >= 'a' && c <= 'z') {
          t.kind = WatTok::kKeyword;
        } else {
          t.kind = WatTok::kAtom;
        }
      } else {
        return error(fmt::format("unexpected character '{}'", printable(c)));
      }
      t.text = s_.substr(start, pos_ - start);
      out.push_back(std::move(t));
    }
  }

 private:
  static std::string printable(char c) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) return std::string(1, c);
    return fmt::format("\\{:02x}", u);
  }

  void advance(size_t n) {
    for (size_t i = 0; i < n && pos_ < s_.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(s_[pos_++]);
      if (c == '\n') {
        ++line_;
        col_ = 1;
      } else if ((c & 0xc0) != 0x80) {
        ++col_;  // columns count characters, not UTF-8 continuation bytes
      }
    }
  }
  void advance_to(size_t p) { advance(p - pos_); }

  tl::unexpected<Error> error(std::string_view what) const {
    return failf("malformed", "{}:{}: {}", line_, col_, what);
  }
  static tl::unexpected<Error> error_at(const WatToken& t, std::string_view what) {
    return failf("malformed", "{}:{}: {}", t.line, t.col, what);
  }

  Status skip_space() {
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        advance(1);
      } else if (c == ';' && pos_ + 1 < s_.size() && s_[pos_ + 1] == ';') {
        while (pos_ < s_.size() && s_[pos_] != '\n') advance(1);
      } else if (c == '(' && pos_ + 1 < s_.size() && s_[pos_ + 1] == ';') {
        IPVM_TRY_STATUS(block_comment());
      } else if (c == ';') {
        return error("unexpected character ';' (comments start with ';;' or '(;')");
      } else {
        break;
      }
    }
    return {};
  }

  // Nested (; ... ;) comments; a counter, not recursion, so deep nesting cannot overflow the stack.
  Status block_comment() {
    uint32_t line = line_, col = col_;
    size_t depth = 0;
    while (pos_ < s_.size()) {
      if (s_.substr(pos_, 2) == "(;") {
        ++depth;
        advance(2);
      } else if (s_.substr(pos_, 2) == ";)") {
        advance(2);
        if (--depth == 0) return {};
      } else {
        advance(1);
      }
    }
    return failf("malformed", "{}:{}: unterminated block comment", line, col);
  }

  Status read_string(std::string& out) {
    uint32_t line = line_, col = col_;
    advance(1);
    for (;;) {
      if (pos_ >= s_.size()) return failf("malformed", "{}:{}: unterminated string", line, col);
      auto c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        advance(1);
        return {};
      }
      if (c < 0x20 || c == 0x7f) {
        if (c == '\n') return failf("malformed", "{}:{}: unterminated string (newline inside)", line, col);
        return error(fmt::format("control character \\{:02x} in a string (use an escape)", c));
      }
      if (c != '\\') {
        out.push_back(static_cast<char>(c));
        advance(1);
        continue;
      }
      if (pos_ + 1 >= s_.size()) return failf("malformed", "{}:{}: unterminated string", line, col);
      char e = s_[pos_ + 1];
      switch (e) {
        case 't': out.push_back('\t'); advance(2); continue;
        case 'n': out.push_back('\n'); advance(2); continue;
        case 'r': out.push_back('\r'); advance(2); continue;
        case '"': out.push_back('"'); advance(2); continue;
        case '\'': out.push_back('\''); advance(2); continue;
        case '\\': out.push_back('\\'); advance(2); continue;
        case 'u': IPVM_TRY_STATUS(unicode_escape(out)); continue;
        default: break;
      }
      int hi = hex_value(e);
      int lo = pos_ + 2 < s_.size() ? hex_value(s_[pos_ + 2]) : -1;
      if (hi < 0 || lo < 0) return error("illegal escape in a string");
      out.push_back(static_cast<char>(hi * 16 + lo));
      advance(3);
    }
  }

  // \u{hex}: a Unicode scalar value, written as UTF-8.
  Status unicode_escape(std::string& out) {
    size_t p = pos_ + 2;
    if (p >= s_.size() || s_[p] != '{') return error("illegal escape in a string: expected \\u{...}");
    ++p;
    uint64_t v = 0;
    size_t digits = 0;
    bool last_underscore = false;
    while (p < s_.size() && s_[p] != '}') {
      if (s_[p] == '_' && digits > 0 && !last_underscore) {
        last_underscore = true;
        ++p;
        continue;
      }
      int h = hex_value(s_[p]);
      if (h < 0) return error("illegal escape in a string: bad hex digit in \\u{...}");
      v = v * 16 + static_cast<uint64_t>(h);
      if (v > 0x10ffff) return error("illegal escape in a string: \\u{...} above U+10FFFF");
      ++digits;
      last_underscore = false;
      ++p;
    }
    if (p >= s_.size() || digits == 0 || last_underscore) return error("illegal escape in a string");
    if (!utf8_append(out, static_cast<uint32_t>(v))) return error("illegal escape in a string: a surrogate in \\u{...}");
    advance(p + 1 - pos_);
    return {};
  }

  std::string_view s_;
  size_t pos_ = 0;
  uint32_t line_ = 1, col_ = 1;
};

}  // namespace

Result<std::vector<WatToken>> tokenize_wat(std::string_view source) { return Lexer(source).run(); }

std::string wat_where(const WatToken& t) { return fmt::format("{}:{}", t.line, t.col); }

}  // namespace ipvm::wasm
