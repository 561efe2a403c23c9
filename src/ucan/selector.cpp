#include "ucan/selector.h"

#include <charconv>

namespace ipvm::ucan {
namespace {

using ipld::Value;

bool ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool ident_char(char c) { return ident_start(c) || (c >= '0' && c <= '9'); }

constexpr size_t kMaxSegments = 256;

class Parser {
 public:
  explicit Parser(std::string_view t) : t_(t) {}

  Result<Selector> run() {
    Selector s;
    s.text = std::string(t_);
    if (t_.empty() || t_[0] != '.') return err("must start with '.'");
    if (t_ == ".") return s;
    while (i_ < t_.size()) {
      SelectorSegment seg;
      if (t_[i_] == '.') {
        ++i_;
        if (i_ == t_.size()) return err("must not end with '.'");
        if (t_[i_] == '.') return err("'..' is not allowed");
        if (t_[i_] == '[') continue;  // ".[0]" is the same as "[0]"
        if (!ident_start(t_[i_])) return err("a dotted field name must start with a letter or '_'; use [\"key\"]");
        size_t start = i_;
        while (i_ < t_.size() && ident_char(t_[i_])) ++i_;
        seg.field = std::string(t_.substr(start, i_ - start));
      } else if (t_[i_] == '[') {
        ++i_;
        IPVM_TRY_STATUS(bracket(seg));
      } else {
        return err("expected '.' or '['");
      }
      while (i_ < t_.size() && t_[i_] == '?') {
        seg.optional = true;
        ++i_;
      }
      s.segments.push_back(std::move(seg));
      if (s.segments.size() > kMaxSegments) return err("too many segments");
    }
    return s;
  }

 private:
  tl::unexpected<Error> err(std::string_view what) const {
    return failf("policy", "selector '{}' at offset {}: {}", t_, i_, what);
  }

  Status bracket(SelectorSegment& seg) {
    if (i_ >= t_.size()) return err("unterminated '['");
    char c = t_[i_];
    if (c == ']') {
      ++i_;
      seg.kind = SelectorSegment::Kind::kIterate;
      return {};
    }
    if (c == '"' || c == '\'') {
      ++i_;
      std::string key;
      for (;;) {
        if (i_ >= t_.size()) return err("unterminated string");
        char k = t_[i_++];
        if (k == c) break;
        if (k == '\\') {
          if (i_ >= t_.size()) return err("unterminated escape");
          char e = t_[i_++];
          switch (e) {
            case 'n': key += '\n'; break;
            case 't': key += '\t'; break;
            case 'r': key += '\r'; break;
            default: key += e;  // \" \' \\ and any other character stand for themselves
          }
          continue;
        }
        key += k;
      }
      if (i_ >= t_.size() || t_[i_] != ']') return err("expected ']' after the key");
      ++i_;
      seg.kind = SelectorSegment::Kind::kField;
      seg.field = std::move(key);
      return {};
    }
    std::optional<int64_t> a, b;
    if (t_[i_] != ':') {
      IPVM_TRY(a, integer());
    }
    if (i_ < t_.size() && t_[i_] == ':') {
      ++i_;
      if (i_ < t_.size() && t_[i_] != ']') {
        IPVM_TRY(b, integer());
      }
      if (i_ >= t_.size() || t_[i_] != ']') return err("expected ']' after the slice");
      ++i_;
      seg.kind = SelectorSegment::Kind::kSlice;
      seg.from = a;
      seg.to = b;
      return {};
    }
    if (i_ >= t_.size() || t_[i_] != ']') return err("expected ']' after the index");
    ++i_;
    seg.kind = SelectorSegment::Kind::kIndex;
    seg.index = *a;
    return {};
  }

  Result<std::optional<int64_t>> integer() {
    int64_t v = 0;
    const char* b = t_.data() + i_;
    const char* e = t_.data() + t_.size();
    if (b < e && *b == '+') return err("expected an integer");
    auto [p, ec] = std::from_chars(b, e, v);
    if (ec != std::errc() || p == b) return err("expected an integer");
    i_ += static_cast<size_t>(p - b);
    return std::optional<int64_t>(v);
  }

  std::string_view t_;
  size_t i_ = 0;
};

// Index into a sequence of length n; nullopt when out of range.
std::optional<size_t> resolve_index(int64_t idx, size_t n) {
  int64_t len = static_cast<int64_t>(n);
  if (idx < 0) idx += len;
  if (idx < 0 || idx >= len) return std::nullopt;
  return static_cast<size_t>(idx);
}

std::pair<size_t, size_t> resolve_slice(const SelectorSegment& s, size_t n) {
  int64_t len = static_cast<int64_t>(n);
  auto clamp = [&](std::optional<int64_t> v, int64_t dflt) {
    int64_t x = v ? *v : dflt;
    if (x < 0) x += len;
    if (x < 0) x = 0;
    if (x > len) x = len;
    return static_cast<size_t>(x);
  };
  size_t a = clamp(s.from, 0), b = clamp(s.to, len);
  if (b < a) b = a;
  return {a, b};
}

// Applies segs[k..] to v. Loops over plain segments; recursion happens only per child of `[]`,
// and only into real collections, so its depth is bounded by the value's nesting.
std::optional<Value> walk(const std::vector<SelectorSegment>& segs, size_t k, Value v) {
  using K = SelectorSegment::Kind;
  for (; k < segs.size(); ++k) {
    const SelectorSegment& s = segs[k];
    std::optional<Value> r;
    switch (s.kind) {
      case K::kField:
        if (v.is_map()) {
          const Value* f = v.find(s.field);
          r = f ? *f : Value::null();
        }
        break;
      case K::kIndex:
        if (v.is_list()) {
          if (auto i = resolve_index(s.index, v.as_list().size())) r = v.as_list()[*i];
        } else if (v.is_bytes()) {
          if (auto i = resolve_index(s.index, v.as_bytes().size())) r = Value::integer(v.as_bytes()[*i]);
        }
        break;
      case K::kSlice:
        if (v.is_list()) {
          auto [a, b] = resolve_slice(s, v.as_list().size());
          const auto& l = v.as_list();
          r = Value::list(ipld::List(l.begin() + static_cast<long>(a), l.begin() + static_cast<long>(b)));
        } else if (v.is_bytes()) {
          auto [a, b] = resolve_slice(s, v.as_bytes().size());
          const auto& by = v.as_bytes();
          r = Value::bytes(Bytes(by.begin() + static_cast<long>(a), by.begin() + static_cast<long>(b)));
        }
        break;
      case K::kIterate: {
        ipld::List children;
        if (v.is_list()) {
          children = v.as_list();
        } else if (v.is_map()) {
          for (const auto& [key, val] : v.as_map()) children.push_back(val);
        } else {
          break;
        }
        ipld::List out;
        for (const Value& child : children)
          if (auto c = walk(segs, k + 1, child)) out.push_back(std::move(*c));
        return Value::list(std::move(out));  // the rest of the path was applied per child
      }
    }
    if (!r && s.optional) r = Value::null();
    if (!r) return std::nullopt;
    v = std::move(*r);
  }
  return v;
}

}  // namespace

Result<Selector> parse_selector(std::string_view text) { return Parser(text).run(); }

std::optional<Value> select(const Selector& s, const Value& root) { return walk(s.segments, 0, root); }

}  // namespace ipvm::ucan
