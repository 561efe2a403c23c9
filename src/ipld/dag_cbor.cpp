#include "ipld/dag_cbor.h"

#include <cmath>
#include <cstring>
#include <tuple>

#include "base/utf8.h"
#include "ipld/ascii.h"
#include "ipld/document_arena.h"

namespace ipvm::ipld {
namespace {

// CBOR major types.
enum : uint8_t { kUint = 0, kNegint = 1, kBytes = 2, kText = 3, kArray = 4, kMap = 5, kTag = 6, kSimple = 7 };
constexpr uint64_t kCidTag = 42;

// ---- Encoder ------------------------------------------------------------------------------

void put_head(Bytes& out, uint8_t major, uint64_t v) {
  uint8_t buf[9];
  size_t n;
  uint8_t m = static_cast<uint8_t>(major << 5);
  if (v < 24) {
    buf[0] = static_cast<uint8_t>(m | v);
    n = 1;
  } else if (v <= 0xff) {
    buf[0] = m | 24;
    buf[1] = static_cast<uint8_t>(v);
    n = 2;
  } else if (v <= 0xffff) {
    buf[0] = m | 25;
    buf[1] = static_cast<uint8_t>(v >> 8);
    buf[2] = static_cast<uint8_t>(v);
    n = 3;
  } else if (v <= 0xffffffffu) {
    buf[0] = m | 26;
    for (int i = 0; i < 4; ++i) buf[1 + i] = static_cast<uint8_t>(v >> (24 - 8 * i));
    n = 5;
  } else {
    buf[0] = m | 27;
    for (int i = 0; i < 8; ++i) buf[1 + i] = static_cast<uint8_t>(v >> (56 - 8 * i));
    n = 9;
  }
  out.insert(out.end(), buf, buf + n);
}

void encode(const Value& v, Bytes& out) {
  switch (v.kind()) {
    case Kind::kNull: out.push_back(0xf6); return;
    case Kind::kBool: out.push_back(v.as_bool() ? 0xf5 : 0xf4); return;
    case Kind::kInteger: {
      const Integer& i = v.as_integer();
      put_head(out, i.negative ? kNegint : kUint, i.magnitude);
      return;
    }
    case Kind::kFloat: {
      double d = v.as_float();
      uint64_t bits;
      std::memcpy(&bits, &d, 8);
      uint8_t buf[9];
      buf[0] = 0xfb;
      for (int i = 0; i < 8; ++i) buf[1 + i] = static_cast<uint8_t>(bits >> (56 - 8 * i));
      out.insert(out.end(), buf, buf + 9);
      return;
    }
    case Kind::kString: {
      const std::string& s = v.as_string();
      put_head(out, kText, s.size());
      out.insert(out.end(), s.begin(), s.end());
      return;
    }
    case Kind::kBytes: {
      const Bytes& b = v.as_bytes();
      put_head(out, kBytes, b.size());
      out.insert(out.end(), b.begin(), b.end());
      return;
    }
    case Kind::kList: {
      const List& l = v.as_list();
      put_head(out, kArray, l.size());
      for (const Value& item : l) encode(item, out);
      return;
    }
    case Kind::kMap: {
      const Map& m = v.as_map();
      put_head(out, kMap, m.size());
      for (const auto& [key, item] : m) {
        put_head(out, kText, key.size());
        out.insert(out.end(), key.begin(), key.end());
        encode(item, out);
      }
      return;
    }
    case Kind::kLink: {
      const Cid& c = v.as_link();
      out.push_back(0xd8);
      out.push_back(static_cast<uint8_t>(kCidTag));
      put_head(out, kBytes, c.encoded_size() + 1);
      out.push_back(0x00);
      c.to_bytes_into(out);
      return;
    }
  }
}

// ---- Decoder ------------------------------------------------------------------------------

class Decoder {
 public:
  explicit Decoder(ByteView in)
      : begin_(in.data()), p_(in.data()), end_(in.data() + in.size()), arena_(in.size()) {}

  Result<Value> run() {
    Value v;
    if (!item(v, 0)) return tl::unexpected(std::move(error_));
    if (p_ != end_) {
      fail_at(p_, "trailing bytes after the top-level item");
      return tl::unexpected(std::move(error_));
    }
    return arena_.finish(std::move(v));
  }

 private:
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }

  // Claimed counts of nested containers could each be as large as the input; reserving all of
  // them would multiply memory by the depth. The budget caps everything reserved up front to
  // one input's worth of items (a valid document never claims more); beyond it, vectors grow
  // only as real items arrive.
  template <class Vec>
  void reserve(Vec& v, uint64_t count, size_t min_bytes_each) {
    uint64_t cost = count * min_bytes_each;
    if (cost <= reserve_budget_) {
      reserve_budget_ -= static_cast<size_t>(cost);
      v.reserve(static_cast<size_t>(count));
    }
  }

  bool fail_at(const uint8_t* at, std::string_view rule) {
    error_ = Error{"dag-cbor", fmt::format("{} at byte offset {}", rule, at - begin_)};
    return false;
  }

  // Reads the argument of a head whose first byte (at `start`) has additional info `info`.
  bool argument(const uint8_t* start, uint8_t info, uint64_t& arg) {
    if (info < 24) {
      arg = info;
      return true;
    }
    if (info >= 28) {
      return fail_at(start, info == 31 ? "indefinite-length items are not allowed"
                                       : "reserved additional information value");
    }
    size_t n = size_t{1} << (info - 24);
    if (remaining() < n) return fail_at(start, "unexpected end of input");
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v = (v << 8) | p_[i];
    p_ += n;
    static constexpr uint64_t kMin[] = {24, 0x100, 0x10000, 0x100000000ull};
    if (v < kMin[info - 24]) return fail_at(start, "non-minimal integer or length encoding");
    arg = v;
    return true;
  }

  bool head(uint8_t& major, uint64_t& arg, const uint8_t*& start) {
    start = p_;
    if (p_ == end_) return fail_at(p_, "unexpected end of input");
    uint8_t ib = *p_++;
    major = ib >> 5;
    if (major == kSimple) return true;  // the caller decodes major 7 itself
    return argument(start, ib & 31, arg);
  }

  bool item(Value& out, size_t depth) {
    const uint8_t* start;
    uint8_t major;
    uint64_t arg = 0;
    if (!head(major, arg, start)) return false;
    switch (major) {
      case kUint: out = Value::integer(Integer{false, arg}); return true;
      case kNegint: out = Value::integer(Integer{true, arg}); return true;
      case kBytes: {
        if (arg > remaining()) return fail_at(start, "byte string length exceeds the input");
        out = arena_.bytes(ByteView(p_, static_cast<size_t>(arg)));
        p_ += arg;
        return true;
      }
      case kText: {
        if (arg > remaining()) return fail_at(start, "text string length exceeds the input");
        std::string_view s(reinterpret_cast<const char*>(p_), static_cast<size_t>(arg));
        if (!is_ascii(s.data(), s.size())) {
          if (size_t bad = utf8_invalid_offset(s); bad != s.size())
            return fail_at(p_ + bad, "invalid UTF-8 in text string");
        }
        out = arena_.string(s);
        p_ += arg;
        return true;
      }
      case kArray: {
        if (depth >= kMaxDepth) return fail_at(start, "nesting deeper than the maximum depth");
        // Every item takes at least one byte, so a longer claim is a lie.
        if (arg > remaining()) return fail_at(start, "array length exceeds the input");
        List items;
        reserve(items, arg, 1);
        for (uint64_t i = 0; i < arg; ++i)
          if (!item(items.emplace_back(), depth + 1)) return false;
        out = arena_.list(std::move(items));
        return true;
      }
      case kMap: return map(out, arg, start, depth);
      case kTag: return link(out, arg, start);
      default: return simple(out, start);
    }
  }

  bool map(Value& out, uint64_t count, const uint8_t* start, size_t depth) {
    if (depth >= kMaxDepth) return fail_at(start, "nesting deeper than the maximum depth");
    if (count > remaining() / 2) return fail_at(start, "map length exceeds the input");
    Map entries;
    reserve(entries, count, 2);
    std::string_view prev;
    for (uint64_t i = 0; i < count; ++i) {
      const uint8_t* key_start;
      uint8_t major;
      uint64_t len = 0;
      if (!head(major, len, key_start)) return false;
      if (major != kText) return fail_at(key_start, "map key is not a text string");
      if (len > remaining()) return fail_at(key_start, "text string length exceeds the input");
      std::string_view key(reinterpret_cast<const char*>(p_), static_cast<size_t>(len));
      if (!is_ascii(key.data(), key.size())) {
        if (size_t bad = utf8_invalid_offset(key); bad != key.size())
          return fail_at(p_ + bad, "invalid UTF-8 in map key");
      }
      if (i > 0 && !canonical_key_less(prev, key)) {
        return fail_at(key_start, prev == key ? fmt::format("duplicate map key \"{}\"", key)
                                              : fmt::format("map key \"{}\" out of canonical order "
                                                            "(length first, then bytewise)", key));
      }
      prev = key;
      p_ += len;
      entries.emplace_back(std::piecewise_construct, std::forward_as_tuple(key.data(), key.size()),
                           std::forward_as_tuple());
      if (!item(entries.back().second, depth + 1)) return false;
    }
    out = arena_.map(std::move(entries));
    return true;
  }

  bool link(Value& out, uint64_t tag, const uint8_t* start) {
    if (tag != kCidTag) return fail_at(start, fmt::format("tag {} is not allowed (only tag 42)", tag));
    const uint8_t* bytes_start;
    uint8_t major;
    uint64_t len = 0;
    if (!head(major, len, bytes_start)) return false;
    if (major != kBytes) return fail_at(bytes_start, "tag 42 must wrap a byte string");
    if (len > remaining()) return fail_at(bytes_start, "byte string length exceeds the input");
    if (len == 0 || p_[0] != 0x00)
      return fail_at(bytes_start, "tag 42 bytes must start with the 0x00 multibase prefix");
    auto cid = Cid::from_bytes(ByteView(p_ + 1, static_cast<size_t>(len - 1)));
    if (!cid) return fail_at(bytes_start, "invalid CID in tag 42 (" + cid.error().message + ")");
    p_ += len;
    out = arena_.link(std::move(*cid));
    return true;
  }

  bool simple(Value& out, const uint8_t* start) {
    uint8_t info = *start & 31;
    switch (info) {
      case 20: out = Value::boolean(false); return true;
      case 21: out = Value::boolean(true); return true;
      case 22: out = Value::null(); return true;
      case 23: return fail_at(start, "undefined is not allowed");
      case 25: return fail_at(start, "16-bit floats are not allowed (floats must be 64-bit)");
      case 26: return fail_at(start, "32-bit floats are not allowed (floats must be 64-bit)");
      case 27: {
        if (remaining() < 8) return fail_at(start, "unexpected end of input");
        uint64_t bits = 0;
        for (int i = 0; i < 8; ++i) bits = (bits << 8) | p_[i];
        p_ += 8;
        double d;
        std::memcpy(&d, &bits, 8);
        if (std::isnan(d)) return fail_at(start, "NaN is not allowed");
        if (std::isinf(d)) return fail_at(start, "infinity is not allowed");
        out = Value::float64(d);
        return true;
      }
      case 31: return fail_at(start, "unexpected break code (indefinite lengths are not allowed)");
      default: return fail_at(start, "simple values other than true, false and null are not allowed");
    }
  }

  const uint8_t* begin_;
  const uint8_t* p_;
  const uint8_t* end_;
  size_t reserve_budget_ = static_cast<size_t>(end_ - begin_);
  DocumentArena arena_;
  Error error_;
};

}  // namespace

void dag_cbor_encode_into(const Value& v, Bytes& out) { encode(v, out); }

void dag_cbor_encode_bytes_into(ByteView b, Bytes& out) {
  put_head(out, kBytes, b.size());
  out.insert(out.end(), b.begin(), b.end());
}

void dag_cbor_encode_text_into(std::string_view s, Bytes& out) {
  put_head(out, kText, s.size());
  out.insert(out.end(), s.begin(), s.end());
}

Bytes dag_cbor_encode(const Value& v) {
  Bytes out;
  out.reserve(64);
  encode(v, out);
  return out;
}

Result<Value> dag_cbor_decode(ByteView in) { return Decoder(in).run(); }

}  // namespace ipvm::ipld
