#include "ipld/dag_json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <numeric>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "base/utf8.h"
#include "ipld/dag_cbor.h"  // kMaxDepth
#include "ipld/ascii.h"
#include "ipld/document_arena.h"
#include "ipld/multibase.h"

namespace ipvm::ipld {
namespace {

// ---- Shared helpers ------------------------------------------------------------------------

// Index of the first byte in [p, end) that is '"', '\\' or a control character, or end.
const char* scan_plain(const char* p, const char* end) {
#if defined(__SSE2__)
  // Sixteen bytes at a time; x <= 0x1f is tested as max(x, 0x1f) == 0x1f (unsigned).
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), ctl = _mm_set1_epi8(0x1f);
  while (end - p >= 16) {
    __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)),
                               _mm_cmpeq_epi8(_mm_max_epu8(x, ctl), ctl));
    if (int mask = _mm_movemask_epi8(hit)) return p + __builtin_ctz(static_cast<unsigned>(mask));
    p += 16;
  }
#endif
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  while (end - p >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    uint64_t q = w ^ (kOnes * '"'), b = w ^ (kOnes * '\\');
    // A byte is zero in q/b, or below 0x20 in w (bytes >= 0x80 are masked out by ~w).
    uint64_t hit = ((q - kOnes) & ~q) | ((b - kOnes) & ~b) | ((w - kOnes * 0x20) & ~w);
    if (hit & kHigh) break;
    p += 8;
  }
  while (p < end) {
    auto c = static_cast<unsigned char>(*p);
    if (c == '"' || c == '\\' || c < 0x20) return p;
    ++p;
  }
  return p;
}

// ---- Encoder ------------------------------------------------------------------------------

void put_string(std::string& out, std::string_view s) {
  out.push_back('"');
  const char* p = s.data();
  const char* end = p + s.size();
  while (p < end) {
    const char* q = scan_plain(p, end);
    out.append(p, q);
    if (q == end) break;
    auto c = static_cast<unsigned char>(*q);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        static constexpr char hex[] = "0123456789abcdef";
        char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        out.append(esc, 6);
      }
    }
    p = q + 1;
  }
  out.push_back('"');
}

void put_integer(std::string& out, const Integer& i) {
  char buf[24];
  if (!i.negative) {
    auto r = std::to_chars(buf, buf + sizeof buf, i.magnitude);
    out.append(buf, r.ptr);
    return;
  }
  out.push_back('-');
  if (i.magnitude == UINT64_MAX) {  // -2^64: one past what uint64 can hold
    out += "18446744073709551616";
    return;
  }
  auto r = std::to_chars(buf, buf + sizeof buf, i.magnitude + 1);
  out.append(buf, r.ptr);
}

// Shortest round-trip digits laid out the way JavaScript's Number#toString does (what the
// reference fixtures use), except that an integral value keeps a ".0" so it decodes as a float.
void put_float(std::string& out, double d) {
  if (!std::isfinite(d)) {  // not representable; written so that a decoder names the problem
    out += std::isnan(d) ? "NaN" : d < 0 ? "-Infinity" : "Infinity";
    return;
  }
  char buf[40];
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(r.ptr - buf));
  bool negative = !sci.empty() && sci[0] == '-';
  if (negative) sci.remove_prefix(1);
  size_t e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos))
    if (c != '.') digits.push_back(c);
  int exp10 = 0;
  std::string_view es = sci.substr(e_pos + 1);
  if (!es.empty() && es[0] == '+') es.remove_prefix(1);
  std::from_chars(es.data(), es.data() + es.size(), exp10);
  int k = static_cast<int>(digits.size());
  int n = exp10 + 1;  // position of the decimal point relative to the first digit
  if (negative) out.push_back('-');
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<size_t>(n - k), '0');
    out += ".0";
  } else if (0 < n && n <= 21) {
    out.append(digits, 0, static_cast<size_t>(n));
    out.push_back('.');
    out.append(digits, static_cast<size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-n), '0');
    out += digits;
  } else {
    out.push_back(digits[0]);
    if (k > 1) {
      out.push_back('.');
      out.append(digits, 1);
    }
    out.push_back('e');
    out.push_back(n - 1 >= 0 ? '+' : '-');
    out += std::to_string(std::abs(n - 1));
  }
}

void encode(const Value& v, std::string& out) {
  switch (v.kind()) {
    case Kind::kNull: out += "null"; return;
    case Kind::kBool: out += v.as_bool() ? "true" : "false"; return;
    case Kind::kInteger: put_integer(out, v.as_integer()); return;
    case Kind::kFloat: put_float(out, v.as_float()); return;
    case Kind::kString: put_string(out, v.as_string()); return;
    case Kind::kBytes:
      out += R"({"/":{"bytes":")";
      out += base64_encode(v.as_bytes(), false, false);
      out += "\"}}";
      return;
    case Kind::kLink:
      out += R"({"/":")";
      out += v.as_link().to_string();
      out += "\"}";
      return;
    case Kind::kList: {
      out.push_back('[');
      bool first = true;
      for (const Value& item : v.as_list()) {
        if (!first) out.push_back(',');
        first = false;
        encode(item, out);
      }
      out.push_back(']');
      return;
    }
    case Kind::kMap: {
      const Map& m = v.as_map();
      out.push_back('{');
      // The Value keeps canonical DAG-CBOR order (length first); DAG-JSON wants plain bytewise.
      bool bytewise = std::is_sorted(m.begin(), m.end(),
                                     [](const auto& a, const auto& b) { return a.first < b.first; });
      auto put_entry = [&](const std::pair<std::string, Value>& e, bool first) {
        if (!first) out.push_back(',');
        put_string(out, e.first);
        out.push_back(':');
        encode(e.second, out);
      };
      if (bytewise) {
        for (size_t i = 0; i < m.size(); ++i) put_entry(m[i], i == 0);
      } else {
        std::vector<const std::pair<std::string, Value>*> order;
        order.reserve(m.size());
        for (const auto& e : m) order.push_back(&e);
        std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->first < b->first; });
        for (size_t i = 0; i < order.size(); ++i) put_entry(*order[i], i == 0);
      }
      out.push_back('}');
      return;
    }
  }
}

// ---- Decoder ------------------------------------------------------------------------------

class Decoder {
 public:
  explicit Decoder(std::string_view in)
      : begin_(in.data()), p_(in.data()), end_(in.data() + in.size()), arena_(in.size()) {}

  Result<Value> run() {
    Value v;
    skip_ws();
    if (!value(v, 0)) return tl::unexpected(std::move(error_));
    skip_ws();
    if (p_ != end_) {
      fail_at(p_, "trailing data after the top-level value");
      return tl::unexpected(std::move(error_));
    }
    return arena_.finish(std::move(v));
  }

 private:
  bool fail_at(const char* at, std::string_view rule) {
    error_ = Error{"dag-json", fmt::format("{} at byte offset {}", rule, at - begin_)};
    return false;
  }

  void skip_ws() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool expect(char c, std::string_view what) {
    skip_ws();
    if (p_ == end_) return fail_at(p_, fmt::format("unexpected end of input, expected {}", what));
    if (*p_ != c) return fail_at(p_, fmt::format("expected {}", what));
    ++p_;
    return true;
  }

  bool value(Value& out, size_t depth) {
    if (p_ == end_) return fail_at(p_, "unexpected end of input");
    switch (*p_) {
      case '{': return object(out, depth);
      case '[': return array(out, depth);
      case '"': {
        std::string_view s;
        if (!string_view(s)) return false;
        out = arena_.string(s);
        return true;
      }
      case 't': return literal("true", Value::boolean(true), out);
      case 'f': return literal("false", Value::boolean(false), out);
      case 'n': return literal("null", Value::null(), out);
      default:
        if (*p_ == '-' || (*p_ >= '0' && *p_ <= '9')) return number(out);
        if (*p_ == 'N' || *p_ == 'I') return fail_at(p_, "NaN and Infinity are not allowed");
        return fail_at(p_, "unexpected character");
    }
  }

  bool literal(std::string_view word, Value v, Value& out) {
    if (static_cast<size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word)
      return fail_at(p_, "invalid literal");
    p_ += word.size();
    out = std::move(v);
    return true;
  }

  bool number(Value& out) {
    const char* start = p_;
    bool negative = false;
    if (*p_ == '-') {
      negative = true;
      ++p_;
    }
    const char* digits = p_;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    size_t ndigits = static_cast<size_t>(p_ - digits);
    if (ndigits == 0) return fail_at(start, "invalid number");
    if (ndigits > 1 && *digits == '0') return fail_at(start, "leading zeros are not allowed in numbers");
    bool is_float = false;
    if (p_ < end_ && *p_ == '.') {
      is_float = true;
      const char* f = ++p_;
      while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
      if (p_ == f) return fail_at(start, "invalid number: digits must follow the decimal point");
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      is_float = true;
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      const char* e = p_;
      while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
      if (p_ == e) return fail_at(start, "invalid number: digits must follow the exponent");
    }
    if (is_float) {
      double d = 0;
      auto r = std::from_chars(start, p_, d);
      if (r.ec != std::errc() || r.ptr != p_ || !std::isfinite(d))
        return fail_at(start, "float out of the 64-bit range");
      out = Value::float64(d);
      return true;
    }
    if (ndigits > 20) return fail_at(start, "integer out of range [-2^64, 2^64-1]");
    unsigned __int128 v = 0;
    for (const char* d = digits; d < p_; ++d) v = v * 10 + static_cast<unsigned>(*d - '0');
    constexpr unsigned __int128 kMax = static_cast<unsigned __int128>(UINT64_MAX);
    if (!negative) {
      if (v > kMax) return fail_at(start, "integer out of range [-2^64, 2^64-1]");
      out = Value::integer(Integer{false, static_cast<uint64_t>(v)});
    } else if (v == 0) {
      out = Value::integer(Integer{false, 0});
    } else {
      if (v - 1 > kMax) return fail_at(start, "integer out of range [-2^64, 2^64-1]");
      out = Value::integer(Integer{true, static_cast<uint64_t>(v - 1)});
    }
    return true;
  }

  static int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  bool hex4(const char* at, uint32_t& v) {
    if (end_ - at < 4) return fail_at(at, "truncated \\u escape");
    v = 0;
    for (int i = 0; i < 4; ++i) {
      int d = hex_digit(at[i]);
      if (d < 0) return fail_at(at + i, "invalid hex digit in \\u escape");
      v = v << 4 | static_cast<uint32_t>(d);
    }
    return true;
  }

  // Parses a string starting at the opening quote. Strings without escapes (nearly all) are
  // viewed straight in the input; others are unescaped into scratch_ (valid until the next call).
  bool string_view(std::string_view& out) {
    const char* close = scan_plain(p_ + 1, end_);
    if (close < end_ && *close == '"') {
      std::string_view run(p_ + 1, static_cast<size_t>(close - p_ - 1));
      if (!is_ascii(run.data(), run.size())) {
        if (size_t bad = utf8_invalid_offset(run); bad != run.size())
          return fail_at(run.data() + bad, "invalid UTF-8 in string");
      }
      p_ = close + 1;
      out = run;
      return true;
    }
    scratch_.clear();
    if (!string(scratch_)) return false;
    out = scratch_;
    return true;
  }

  // Parses a string starting at the opening quote into `out` (appending).
  bool string(std::string& out) {
    const char* open = p_++;
    for (;;) {
      const char* q = scan_plain(p_, end_);
      std::string_view run(p_, static_cast<size_t>(q - p_));
      if (!is_ascii(run.data(), run.size())) {
        if (size_t bad = utf8_invalid_offset(run); bad != run.size())
          return fail_at(p_ + bad, "invalid UTF-8 in string");
      }
      out.append(run);
      p_ = q;
      if (p_ == end_) return fail_at(open, "unterminated string");
      char c = *p_;
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c != '\\') return fail_at(p_, "unescaped control character in string");
      const char* esc = p_;
      if (++p_ == end_) return fail_at(esc, "unterminated string");
      switch (*p_++) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          uint32_t cp = 0;
          if (!hex4(p_, cp)) return false;
          p_ += 4;
          if (cp >= 0xdc00 && cp <= 0xdfff) return fail_at(esc, "lone low surrogate in \\u escape");
          if (cp >= 0xd800 && cp <= 0xdbff) {
            uint32_t lo = 0;
            if (end_ - p_ < 6 || p_[0] != '\\' || p_[1] != 'u')
              return fail_at(esc, "high surrogate not followed by a low surrogate");
            if (!hex4(p_ + 2, lo)) return false;
            if (lo < 0xdc00 || lo > 0xdfff)
              return fail_at(esc, "high surrogate not followed by a low surrogate");
            p_ += 6;
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          }
          utf8_append(out, cp);
          break;
        }
        default: return fail_at(esc, "invalid escape sequence");
      }
    }
  }

  // Containers collect their children on shared stacks and move them into an exactly sized
  // vector when they close: one allocation per container instead of repeated regrowth.
  bool array(Value& out, size_t depth) {
    const char* start = p_++;
    if (depth >= kMaxDepth) return fail_at(start, "nesting deeper than the maximum depth");
    size_t base = items_.size();
    skip_ws();
    if (p_ < end_ && *p_ == ']') {
      ++p_;
      out = arena_.list(List());
      return true;
    }
    for (;;) {
      skip_ws();
      // Parse into a local: nested containers grow items_ and would move a reference into it.
      Value v;
      if (!value(v, depth + 1)) return false;
      items_.push_back(std::move(v));
      skip_ws();
      if (p_ == end_) return fail_at(start, "unterminated array");
      if (*p_ == ',') {
        ++p_;
        continue;
      }
      if (*p_ == ']') {
        ++p_;
        break;
      }
      return fail_at(p_, "expected ',' or ']' in array");
    }
    List list(std::make_move_iterator(items_.begin() + static_cast<std::ptrdiff_t>(base)),
              std::make_move_iterator(items_.end()));
    items_.resize(base);
    out = arena_.list(std::move(list));
    return true;
  }

  bool key(std::string& k) {
    skip_ws();
    if (p_ == end_) return fail_at(p_, "unexpected end of input, expected a map key");
    if (*p_ != '"') return fail_at(p_, "map keys must be strings");
    if (!string(k)) return false;
    return expect(':', "':' after a map key");
  }

  // `{"/": "<cid>"}` or `{"/": {"bytes": "<base64>"}}`; called after the "/" key and its colon.
  bool reserved(Value& out, const char* start) {
    skip_ws();
    if (p_ < end_ && *p_ == '"') {
      const char* at = p_;
      std::string_view text;
      if (!string_view(text)) return false;
      auto cid = Cid::parse(text);
      if (!cid) return fail_at(at, "invalid link: " + cid.error().message);
      if (!expect('}', "'}' closing a link (a \"/\" map must have exactly one key)")) return false;
      out = arena_.link(std::move(*cid));
      return true;
    }
    if (p_ < end_ && *p_ == '{') {
      const char* inner = p_++;
      std::string k;
      if (!key(k)) return false;
      if (k != "bytes") return fail_at(inner, "a \"/\" map must hold a link string or {\"bytes\": ...}");
      skip_ws();
      if (p_ == end_ || *p_ != '"') return fail_at(p_, "bytes must be a base64 string");
      const char* at = p_;
      std::string_view b64;
      if (!string_view(b64)) return false;
      auto bytes = base64_decode(b64);
      if (!bytes) return fail_at(at, "invalid bytes: " + bytes.error().message);
      if (!expect('}', "'}' closing the bytes form ({\"bytes\": ...} must have exactly one key)"))
        return false;
      if (!expect('}', "'}' closing the bytes form (a \"/\" map must have exactly one key)"))
        return false;
      out = arena_.bytes(std::move(*bytes));
      return true;
    }
    return fail_at(start, "a \"/\" map must hold a link string or {\"bytes\": ...}");
  }

  bool object(Value& out, size_t depth) {
    const char* start = p_++;
    if (depth >= kMaxDepth) return fail_at(start, "nesting deeper than the maximum depth");
    size_t base = entries_.size();
    skip_ws();
    if (p_ < end_ && *p_ == '}') {
      ++p_;
      out = arena_.map(Map());
      return true;
    }
    for (;;) {
      skip_ws();
      const char* kstart = p_;
      std::string k;
      if (!key(k)) return false;
      if (k == "/") {
        if (entries_.size() != base)
          return fail_at(kstart, "a map with a \"/\" key must be a link or bytes form");
        return reserved(out, start);
      }
      skip_ws();
      Value v;
      if (!value(v, depth + 1)) return false;
      entries_.emplace_back(std::move(k), std::move(v));
      key_at_.push_back(kstart);
      skip_ws();
      if (p_ == end_) return fail_at(start, "unterminated map");
      if (*p_ == ',') {
        ++p_;
        continue;
      }
      if (*p_ == '}') {
        ++p_;
        break;
      }
      return fail_at(p_, "expected ',' or '}' in map");
    }
    bool ok = finish_map(out, base);
    entries_.resize(base);
    key_at_.resize(base);
    return ok;
  }

  // Moves entries_[base..] into a Map in canonical order, rejecting repeated keys.
  bool finish_map(Value& out, size_t base) {
    size_t n = entries_.size() - base;
    auto* e = entries_.data() + base;
    bool canonical = true, bytewise = true;
    for (size_t i = 1; i < n; ++i) {
      canonical = canonical && canonical_key_less(e[i - 1].first, e[i].first);
      bytewise = bytewise && e[i - 1].first < e[i].first;
    }
    Map m;
    m.reserve(n);
    if (canonical) {
      for (size_t i = 0; i < n; ++i) m.push_back(std::move(e[i]));
      out = arena_.map(std::move(m));
      return true;
    }
    // Sort positions, not entries, so strings and values are moved only once.
    order_.resize(n);
    std::iota(order_.begin(), order_.end(), size_t{0});
    std::stable_sort(order_.begin(), order_.end(),
                     [&](size_t a, size_t b) { return canonical_key_less(e[a].first, e[b].first); });
    if (!bytewise) {  // strictly bytewise-increasing keys cannot repeat
      for (size_t i = 1; i < n; ++i) {
        if (e[order_[i - 1]].first == e[order_[i]].first) {
          size_t later = std::max(order_[i - 1], order_[i]);
          return fail_at(key_at_[base + later], fmt::format("repeat map key \"{}\"", e[later].first));
        }
      }
    }
    for (size_t i : order_) m.push_back(std::move(e[i]));
    out = arena_.map(std::move(m));
    return true;
  }

  const char* begin_;
  const char* p_;
  const char* end_;
  std::string scratch_;
  std::vector<Value> items_;                          // children of open lists
  std::vector<std::pair<std::string, Value>> entries_;  // entries of open maps
  std::vector<const char*> key_at_;                   // where each entry's key starts
  std::vector<size_t> order_;
  DocumentArena arena_;
  Error error_;
};

}  // namespace

std::string dag_json_encode(const Value& v) {
  std::string out;
  out.reserve(64);
  encode(v, out);
  return out;
}

Result<Value> dag_json_decode(std::string_view in) { return Decoder(in).run(); }

}  // namespace ipvm::ipld
