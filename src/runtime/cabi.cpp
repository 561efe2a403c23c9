#include "runtime/cabi.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "base/utf8.h"

namespace ipvm::runtime {

using ipld::Value;

namespace {

uint32_t align_to(uint32_t x, uint32_t a) { return (x + a - 1) / a * a; }

uint32_t discriminant_size(size_t cases) { return cases <= 256 ? 1 : cases <= 65536 ? 2 : 4; }


// The payload types of a variant-like type's cases, in discriminant order (nullptr: no payload).
std::vector<const WitType*> variant_cases(const WitType& t) {
  switch (t.kind) {
    case WitKind::kOption: return {nullptr, t.element.get()};
    case WitKind::kResult: return {t.ok.get(), t.err.get()};
    default: return std::vector<const WitType*>(t.cases.size(), nullptr);
  }
}

uint32_t payload_offset(const WitType& t) {
  uint32_t max_align = 1;
  for (const WitType* c : variant_cases(t))
    if (c) max_align = std::max(max_align, wit_layout(*c).align);
  return align_to(discriminant_size(variant_cases(t).size()), max_align);
}

CoreType join(CoreType a, CoreType b) {
  if (a == b) return a;
  if ((a == CoreType::kI32 && b == CoreType::kF32) || (a == CoreType::kF32 && b == CoreType::kI32))
    return CoreType::kI32;
  return CoreType::kI64;
}

// Integer kinds: width in bytes and signedness.
struct IntInfo {
  unsigned bytes;
  bool is_signed;
};
bool int_info(WitKind k, IntInfo& info) {
  switch (k) {
    case WitKind::kS8: info = {1, true}; return true;
    case WitKind::kU8: info = {1, false}; return true;
    case WitKind::kS16: info = {2, true}; return true;
    case WitKind::kU16: info = {2, false}; return true;
    case WitKind::kS32: info = {4, true}; return true;
    case WitKind::kU32: info = {4, false}; return true;
    case WitKind::kS64: info = {8, true}; return true;
    case WitKind::kU64: info = {8, false}; return true;
    default: return false;
  }
}

tl::unexpected<Error> mismatch(const std::string& where, const WitType& t, const Value& v) {
  return failf("abi", "{}: expected {} but got {}", where, t.to_string(), ipld::kind_name(v.kind()));
}

// Two's-complement bits of an IPLD integer that fits the WIT integer type.
Result<uint64_t> integer_bits(const WitType& t, const Value& v, const std::string& where) {
  IntInfo info{};
  int_info(t.kind, info);
  if (!v.is_integer()) return mismatch(where, t, v);
  const ipld::Integer& i = v.as_integer();
  unsigned bits = info.bytes * 8;
  if (info.is_signed) {
    uint64_t limit = uint64_t{1} << (bits - 1);  // magnitude bound: [-limit, limit-1]
    if ((!i.negative && i.magnitude >= limit) || (i.negative && i.magnitude >= limit))
      return failf("abi", "{}: {} out of range for {}", where, i.negative ? "negative integer" : "integer",
                   t.to_string());
    return i.negative ? ~i.magnitude : i.magnitude;
  }
  if (i.negative) return failf("abi", "{}: negative integer for {}", where, t.to_string());
  if (bits < 64 && i.magnitude >> bits) return failf("abi", "{}: integer out of range for {}", where, t.to_string());
  return i.magnitude;
}

Value integer_value(const WitType& t, uint64_t raw) {
  IntInfo info{};
  int_info(t.kind, info);
  unsigned bits = info.bytes * 8;
  if (bits < 64) raw &= (uint64_t{1} << bits) - 1;
  if (info.is_signed) {
    int64_t s = bits < 64 ? static_cast<int64_t>(raw << (64 - bits)) >> (64 - bits) : static_cast<int64_t>(raw);
    return Value::integer(s);
  }
  return Value::uinteger(raw);
}

Result<double> float_of(const WitType& t, const Value& v, const std::string& where) {
  if (v.is_float()) return v.as_float();
  if (auto i = v.to_int64()) return static_cast<double>(*i);
  if (auto u = v.to_uint64()) return static_cast<double>(*u);
  return mismatch(where, t, v);
}

Result<Value> float_value(double d, const std::string& where) {
  if (!std::isfinite(d)) return failf("abi", "{}: the guest returned {}, which IPLD cannot represent", where,
                                      std::isnan(d) ? "NaN" : "an infinity");
  return Value::float64(d);
}

// Which case of a variant-like type `v` is, and its payload (null when none).
Result<std::pair<uint32_t, Value>> variant_case_of(const WitType& t, const Value& v, const std::string& where) {
  switch (t.kind) {
    case WitKind::kOption:
      if (v.is_null()) return std::pair<uint32_t, Value>{0, Value()};
      return std::pair<uint32_t, Value>{1, v};
    case WitKind::kResult: {
      if (!v.is_map() || v.as_map().size() != 1)
        return failf("abi", "{}: expected {{\"ok\": ...}} or {{\"error\": ...}} for {}", where, t.to_string());
      if (const Value* ok = v.find("ok")) return std::pair<uint32_t, Value>{0, *ok};
      if (const Value* err = v.find("error")) return std::pair<uint32_t, Value>{1, *err};
      return failf("abi", "{}: expected {{\"ok\": ...}} or {{\"error\": ...}} for {}", where, t.to_string());
    }
    default: {
      if (!v.is_string()) return mismatch(where, t, v);
      for (size_t i = 0; i < t.cases.size(); ++i)
        if (t.cases[i] == v.as_string()) return std::pair<uint32_t, Value>{static_cast<uint32_t>(i), Value()};
      return failf("abi", "{}: '{}' is not a case of {}", where, v.as_string(), t.to_string());
    }
  }
}

Value variant_value(const WitType& t, uint32_t index, Value payload) {
  switch (t.kind) {
    case WitKind::kOption: return index == 0 ? Value() : payload;
    case WitKind::kResult: return Value::map({{index == 0 ? "ok" : "error", std::move(payload)}});
    default: return Value::string(t.cases[index]);
  }
}

const ipld::List* members_of(const WitType& t, const Value& v, const std::string& where, ipld::List& scratch) {
  // Records are maps keyed by field name; tuples are lists of the same length.
  if (t.kind == WitKind::kTuple) {
    if (!v.is_list() || v.as_list().size() != t.fields.size()) return nullptr;
    return &v.as_list();
  }
  if (!v.is_map()) return nullptr;
  scratch.clear();
  for (const auto& f : t.fields) {
    const Value* fv = v.find(f.name);
    if (!fv) return nullptr;
    scratch.push_back(*fv);
  }
  if (v.as_map().size() != t.fields.size()) return nullptr;
  (void)where;
  return &scratch;
}

tl::unexpected<Error> members_error(const WitType& t, const Value& v, const std::string& where) {
  if (t.kind == WitKind::kTuple)
    return failf("abi", "{}: expected a list of {} values for {}", where, t.fields.size(), t.to_string());
  return failf("abi", "{}: expected a map with exactly the fields of {}", where, t.to_string());
}

// Memory for an argument from the guest's cabi_realloc. A misaligned block is a trap, as in the
// canonical ABI; one outside the guest's memory is caught (as a trap) by the write into it.
Result<uint32_t> guest_alloc(CabiGuest& guest, uint32_t align, uint32_t size) {
  IPVM_TRY(uint32_t ptr, guest.realloc(0, 0, align, size));
  if (align > 1 && ptr % align != 0)
    return failf("trap", "cabi_realloc returned {:#x} for {} bytes, which is not aligned to {}", ptr, size, align);
  return ptr;
}

class Lowerer {
 public:
  explicit Lowerer(CabiGuest& g) : guest_(g) {}

  Status flat(const WitType& t, const Value& v, std::vector<uint64_t>& out, const std::string& where) {
    IntInfo info{};
    if (int_info(t.kind, info)) {
      IPVM_TRY(uint64_t bits, integer_bits(t, v, where));
      out.push_back(info.bytes == 8 ? bits : bits & 0xffffffffu);
      return {};
    }
    switch (t.kind) {
      case WitKind::kBool:
        if (!v.is_bool()) return mismatch(where, t, v);
        out.push_back(v.as_bool() ? 1 : 0);
        return {};
      case WitKind::kF32: {
        IPVM_TRY(double d, float_of(t, v, where));
        std::optional<float> rounded = f32_of(d);
        if (!rounded) return failf("abi", "{}: {} is out of range for f32", where, d);
        float f = *rounded;
        uint32_t bits;
        std::memcpy(&bits, &f, 4);
        out.push_back(bits);
        return {};
      }
      case WitKind::kF64: {
        IPVM_TRY(double d, float_of(t, v, where));
        uint64_t bits;
        std::memcpy(&bits, &d, 8);
        out.push_back(bits);
        return {};
      }
      case WitKind::kChar: {
        uint32_t cp;
        if (!v.is_string() || !utf8_single_scalar(v.as_string(), cp))
          return failf("abi", "{}: expected a string of one character for char", where);
        out.push_back(cp);
        return {};
      }
      case WitKind::kString:
      case WitKind::kList: {
        IPVM_TRY(auto ptr_len, sequence(t, v, where));
        out.push_back(ptr_len.first);
        out.push_back(ptr_len.second);
        return {};
      }
      case WitKind::kTuple:
      case WitKind::kRecord: {
        ipld::List scratch;
        const ipld::List* members = members_of(t, v, where, scratch);
        if (!members) return members_error(t, v, where);
        for (size_t i = 0; i < t.fields.size(); ++i)
          IPVM_TRY_STATUS(flat(*t.fields[i].type, (*members)[i], out, member_where(t, where, i)));
        return {};
      }
      default: {  // option, result, enum
        IPVM_TRY(auto which, variant_case_of(t, v, where));
        std::vector<CoreType> slots = wit_flatten(t);
        out.push_back(which.first);
        std::vector<uint64_t> payload;
        const WitType* pt = variant_cases(t)[which.first];
        if (pt) IPVM_TRY_STATUS(flat(*pt, which.second, payload, where));
        payload.resize(slots.size() - 1, 0);  // unused joined slots are zero
        out.insert(out.end(), payload.begin(), payload.end());
        return {};
      }
    }
  }

  Status store(const WitType& t, const Value& v, uint32_t addr, const std::string& where) {
    IntInfo info{};
    if (int_info(t.kind, info)) {
      IPVM_TRY(uint64_t bits, integer_bits(t, v, where));
      return write_le(addr, bits, info.bytes);
    }
    switch (t.kind) {
      case WitKind::kBool:
        if (!v.is_bool()) return mismatch(where, t, v);
        return write_le(addr, v.as_bool() ? 1 : 0, 1);
      case WitKind::kF32:
      case WitKind::kF64:
      case WitKind::kChar: {
        std::vector<uint64_t> one;
        IPVM_TRY_STATUS(flat(t, v, one, where));
        return write_le(addr, one[0], t.kind == WitKind::kF64 ? 8 : 4);
      }
      case WitKind::kString:
      case WitKind::kList: {
        IPVM_TRY(auto ptr_len, sequence(t, v, where));
        IPVM_TRY_STATUS(write_le(addr, ptr_len.first, 4));
        return write_le(addr + 4, ptr_len.second, 4);
      }
      case WitKind::kTuple:
      case WitKind::kRecord: {
        ipld::List scratch;
        const ipld::List* members = members_of(t, v, where, scratch);
        if (!members) return members_error(t, v, where);
        uint32_t offset = 0;
        for (size_t i = 0; i < t.fields.size(); ++i) {
          WitLayout fl = wit_layout(*t.fields[i].type);
          offset = align_to(offset, fl.align);
          IPVM_TRY_STATUS(store(*t.fields[i].type, (*members)[i], addr + offset, member_where(t, where, i)));
          offset += fl.size;
        }
        return {};
      }
      default: {
        IPVM_TRY(auto which, variant_case_of(t, v, where));
        IPVM_TRY_STATUS(write_le(addr, which.first, discriminant_size(variant_cases(t).size())));
        const WitType* pt = variant_cases(t)[which.first];
        if (pt) return store(*pt, which.second, addr + payload_offset(t), where);
        return {};
      }
    }
  }

 private:
  static std::string member_where(const WitType& t, const std::string& where, size_t i) {
    return t.kind == WitKind::kRecord ? where + "." + t.fields[i].name : where + "[" + std::to_string(i) + "]";
  }

  // Allocates and fills a string or list in guest memory; returns (pointer, length).
  Result<std::pair<uint32_t, uint32_t>> sequence(const WitType& t, const Value& v, const std::string& where) {
    if (t.kind == WitKind::kString) {
      if (!v.is_string()) return mismatch(where, t, v);
      return copy_in(as_bytes(v.as_string()), 1, where);
    }
    const WitType& elem = *t.element;
    if (elem.kind == WitKind::kU8 && v.is_bytes()) return copy_in(v.as_bytes(), 1, where);
    if (!v.is_list()) return mismatch(where, t, v);
    const ipld::List& items = v.as_list();
    WitLayout el = wit_layout(elem);
    uint64_t total = static_cast<uint64_t>(items.size()) * el.size;
    if (total > std::numeric_limits<uint32_t>::max())
      return failf("abi", "{}: list too large for 32-bit guest memory", where);
    IPVM_TRY(uint32_t ptr, guest_alloc(guest_, el.align, static_cast<uint32_t>(total)));
    for (size_t i = 0; i < items.size(); ++i)
      IPVM_TRY_STATUS(store(elem, items[i], ptr + static_cast<uint32_t>(i) * el.size,
                            where + "[" + std::to_string(i) + "]"));
    return std::pair<uint32_t, uint32_t>{ptr, static_cast<uint32_t>(items.size())};
  }

  Result<std::pair<uint32_t, uint32_t>> copy_in(ByteView data, uint32_t align, const std::string& where) {
    if (data.size() > std::numeric_limits<uint32_t>::max())
      return failf("abi", "{}: value too large for 32-bit guest memory", where);
    uint32_t len = static_cast<uint32_t>(data.size());
    IPVM_TRY(uint32_t ptr, guest_alloc(guest_, align, len));
    if (len) IPVM_TRY_STATUS(guest_.write(ptr, data));
    return std::pair<uint32_t, uint32_t>{ptr, len};
  }

  Status write_le(uint32_t addr, uint64_t bits, unsigned bytes) {
    uint8_t buf[8];
    for (unsigned i = 0; i < bytes; ++i) buf[i] = static_cast<uint8_t>(bits >> (8 * i));
    return guest_.write(addr, ByteView(buf, bytes));
  }

  CabiGuest& guest_;
};

class Lifter {
 public:
  explicit Lifter(CabiGuest& g) : guest_(g) {}

  Result<Value> flat(const WitType& t, std::span<const uint64_t> in, size_t& pos, const std::string& where) {
    auto next = [&]() -> uint64_t { return pos < in.size() ? in[pos++] : 0; };
    IntInfo info{};
    if (int_info(t.kind, info)) return integer_value(t, next());
    switch (t.kind) {
      case WitKind::kBool: return Value::boolean((next() & 0xffffffffu) != 0);
      case WitKind::kF32: {
        uint32_t bits = static_cast<uint32_t>(next());
        float f;
        std::memcpy(&f, &bits, 4);
        return float_value(f, where);
      }
      case WitKind::kF64: {
        uint64_t bits = next();
        double d;
        std::memcpy(&d, &bits, 8);
        return float_value(d, where);
      }
      case WitKind::kChar: return char_value(static_cast<uint32_t>(next()), where);
      case WitKind::kString:
      case WitKind::kList: {
        uint32_t ptr = static_cast<uint32_t>(next());
        uint32_t len = static_cast<uint32_t>(next());
        return sequence(t, ptr, len, where);
      }
      case WitKind::kTuple:
      case WitKind::kRecord: {
        std::vector<Value> members;
        for (const auto& f : t.fields) {
          IPVM_TRY(Value m, flat(*f.type, in, pos, where));
          members.push_back(std::move(m));
        }
        return compose(t, std::move(members));
      }
      default: {
        size_t slots = wit_flatten(t).size();
        size_t start = pos;
        uint32_t index = static_cast<uint32_t>(next());
        auto cases = variant_cases(t);
        if (index >= cases.size()) return failf("abi", "{}: invalid case {} for {}", where, index, t.to_string());
        Value payload;
        if (cases[index]) {
          IPVM_TRY(payload, flat(*cases[index], in, pos, where));
        }
        pos = start + slots;
        return variant_value(t, index, std::move(payload));
      }
    }
  }

  Result<Value> load(const WitType& t, uint32_t addr, const std::string& where) {
    IntInfo info{};
    if (int_info(t.kind, info)) {
      IPVM_TRY(uint64_t raw, read_le(addr, info.bytes));
      return integer_value(t, raw);
    }
    switch (t.kind) {
      case WitKind::kBool: {
        IPVM_TRY(uint64_t raw, read_le(addr, 1));
        return Value::boolean(raw != 0);
      }
      case WitKind::kF32:
      case WitKind::kF64:
      case WitKind::kChar: {
        IPVM_TRY(uint64_t raw, read_le(addr, t.kind == WitKind::kF64 ? 8 : 4));
        size_t pos = 0;
        uint64_t one[1] = {raw};
        return flat(t, one, pos, where);
      }
      case WitKind::kString:
      case WitKind::kList: {
        IPVM_TRY(uint64_t ptr, read_le(addr, 4));
        IPVM_TRY(uint64_t len, read_le(addr + 4, 4));
        return sequence(t, static_cast<uint32_t>(ptr), static_cast<uint32_t>(len), where);
      }
      case WitKind::kTuple:
      case WitKind::kRecord: {
        std::vector<Value> members;
        uint32_t offset = 0;
        for (const auto& f : t.fields) {
          WitLayout fl = wit_layout(*f.type);
          offset = align_to(offset, fl.align);
          IPVM_TRY(Value m, load(*f.type, addr + offset, where));
          members.push_back(std::move(m));
          offset += fl.size;
        }
        return compose(t, std::move(members));
      }
      default: {
        auto cases = variant_cases(t);
        IPVM_TRY(uint64_t index, read_le(addr, discriminant_size(cases.size())));
        if (index >= cases.size()) return failf("abi", "{}: invalid case {} for {}", where, index, t.to_string());
        Value payload;
        if (cases[index]) {
          IPVM_TRY(payload, load(*cases[index], addr + payload_offset(t), where));
        }
        return variant_value(t, static_cast<uint32_t>(index), std::move(payload));
      }
    }
  }

 private:
  static Value compose(const WitType& t, std::vector<Value> members) {
    if (t.kind == WitKind::kTuple) return Value::list(std::move(members));
    ipld::Map m;
    for (size_t i = 0; i < t.fields.size(); ++i) m.emplace_back(t.fields[i].name, std::move(members[i]));
    return Value::map(std::move(m));
  }

  Result<Value> char_value(uint32_t cp, const std::string& where) {
    std::string s;
    if (!utf8_append(s, cp)) return failf("abi", "{}: the guest returned an invalid char {:#x}", where, cp);
    return Value::string(std::move(s));
  }

  Result<Value> sequence(const WitType& t, uint32_t ptr, uint32_t len, const std::string& where) {
    if (t.kind == WitKind::kString || t.element->kind == WitKind::kU8) {
      // The extent is checked before the buffer is allocated: a hostile length is an error, not
      // a 4 GiB allocation.
      if (static_cast<uint64_t>(ptr) + len > std::numeric_limits<uint32_t>::max())
        return failf("abi", "{}: {} bytes at {:#x} run past guest memory", where, len, ptr);
      if (len) {
        uint8_t probe;
        IPVM_TRY_STATUS(guest_.read(ptr + len - 1, std::span<uint8_t>(&probe, 1)));
      }
      Bytes buf(len);
      if (len) IPVM_TRY_STATUS(guest_.read(ptr, buf));
      if (t.kind == WitKind::kList) return Value::bytes(std::move(buf));
      std::string s(buf.begin(), buf.end());
      if (!utf8_valid(s)) return failf("abi", "{}: the guest returned a string that is not UTF-8", where);
      return Value::string(std::move(s));
    }
    WitLayout el = wit_layout(*t.element);
    // Check the whole extent first, so a hostile length fails before any allocation.
    uint64_t end = static_cast<uint64_t>(ptr) + static_cast<uint64_t>(len) * el.size;
    if (end > std::numeric_limits<uint32_t>::max())
      return failf("abi", "{}: list of {} elements runs past guest memory", where, len);
    if (len) {
      uint8_t probe;
      IPVM_TRY_STATUS(guest_.read(static_cast<uint32_t>(end - 1), std::span<uint8_t>(&probe, 1)));
    }
    ipld::List items;
    items.reserve(len);
    for (uint32_t i = 0; i < len; ++i) {
      IPVM_TRY(Value item, load(*t.element, ptr + i * el.size, where + "[" + std::to_string(i) + "]"));
      items.push_back(std::move(item));
    }
    return Value::list(std::move(items));
  }

  Result<uint64_t> read_le(uint32_t addr, unsigned bytes) {
    uint8_t buf[8] = {};
    IPVM_TRY_STATUS(guest_.read(addr, std::span<uint8_t>(buf, bytes)));
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; ++i) v |= static_cast<uint64_t>(buf[i]) << (8 * i);
    return v;
  }

  CabiGuest& guest_;
};

// The result type of a function as one WIT type (a tuple for named results), or null.
WitTypePtr result_type(const WitFunc& f) {
  if (f.results.empty()) return nullptr;
  if (f.results.size() == 1 && f.results[0].name.empty()) return f.results[0].type;
  auto t = std::make_shared<WitType>();
  t->kind = WitKind::kRecord;
  for (const auto& r : f.results) t->fields.push_back({r.name, r.type});
  return t;
}

WitTypePtr params_tuple(const WitFunc& f) {
  auto t = std::make_shared<WitType>();
  t->kind = WitKind::kTuple;
  for (const auto& p : f.params) t->fields.push_back({p.name, p.type});
  return t;
}

}  // namespace

std::optional<float> f32_of(double d) {
  // 2^128 - 2^103 is halfway between FLT_MAX and 2^128; it and everything above round to infinity.
  constexpr double kOverflow = 0x1.ffffffp127;
  if (std::isfinite(d) && std::fabs(d) >= kOverflow) return std::nullopt;
  return static_cast<float>(d);
}

WitLayout wit_layout(const WitType& t) {
  IntInfo info{};
  if (int_info(t.kind, info)) return {info.bytes, info.bytes};
  switch (t.kind) {
    case WitKind::kBool: return {1, 1};
    case WitKind::kF32:
    case WitKind::kChar: return {4, 4};
    case WitKind::kF64: return {8, 8};
    case WitKind::kString:
    case WitKind::kList: return {8, 4};
    case WitKind::kTuple:
    case WitKind::kRecord: {
      uint32_t size = 0, align = 1;
      for (const auto& f : t.fields) {
        WitLayout fl = wit_layout(*f.type);
        size = align_to(size, fl.align) + fl.size;
        align = std::max(align, fl.align);
      }
      return {align_to(size, align), align};
    }
    default: {
      auto cases = variant_cases(t);
      uint32_t disc = discriminant_size(cases.size());
      uint32_t max_align = 1, max_size = 0;
      for (const WitType* c : cases) {
        if (!c) continue;
        WitLayout cl = wit_layout(*c);
        max_align = std::max(max_align, cl.align);
        max_size = std::max(max_size, cl.size);
      }
      uint32_t align = std::max(disc, max_align);
      return {align_to(align_to(disc, max_align) + max_size, align), align};
    }
  }
}

std::vector<CoreType> wit_flatten(const WitType& t) {
  IntInfo info{};
  if (int_info(t.kind, info)) return {info.bytes == 8 ? CoreType::kI64 : CoreType::kI32};
  switch (t.kind) {
    case WitKind::kBool:
    case WitKind::kChar: return {CoreType::kI32};
    case WitKind::kF32: return {CoreType::kF32};
    case WitKind::kF64: return {CoreType::kF64};
    case WitKind::kString:
    case WitKind::kList: return {CoreType::kI32, CoreType::kI32};
    case WitKind::kTuple:
    case WitKind::kRecord: {
      std::vector<CoreType> out;
      for (const auto& f : t.fields) {
        auto ff = wit_flatten(*f.type);
        out.insert(out.end(), ff.begin(), ff.end());
      }
      return out;
    }
    default: {
      std::vector<CoreType> joined;
      for (const WitType* c : variant_cases(t)) {
        if (!c) continue;
        auto cf = wit_flatten(*c);
        for (size_t i = 0; i < cf.size(); ++i) {
          if (i < joined.size())
            joined[i] = join(joined[i], cf[i]);
          else
            joined.push_back(cf[i]);
        }
      }
      joined.insert(joined.begin(), CoreType::kI32);
      return joined;
    }
  }
}

CoreSignature core_signature(const WitFunc& f) {
  CoreSignature sig;
  for (const auto& p : f.params) {
    auto pf = wit_flatten(*p.type);
    sig.params.insert(sig.params.end(), pf.begin(), pf.end());
  }
  if (sig.params.size() > kMaxFlatParams) {
    sig.params = {CoreType::kI32};
    sig.params_in_memory = true;
  }
  if (WitTypePtr rt = result_type(f)) {
    sig.results = wit_flatten(*rt);
    if (sig.results.size() > kMaxFlatResults) {
      sig.results = {CoreType::kI32};
      sig.results_in_memory = true;
    }
  }
  return sig;
}

Result<std::vector<uint64_t>> lower_arguments(const WitFunc& f, const ipld::List& args, CabiGuest& guest) {
  if (args.size() != f.params.size())
    return failf("abi", "expected {} argument{} for {}, got {}", f.params.size(), f.params.size() == 1 ? "" : "s",
                 f.to_string(), args.size());
  Lowerer lower(guest);
  std::vector<uint64_t> flat;
  if (!core_signature(f).params_in_memory) {
    for (size_t i = 0; i < args.size(); ++i)
      IPVM_TRY_STATUS(lower.flat(*f.params[i].type, args[i], flat, "argument '" + f.params[i].name + "'"));
    return flat;
  }
  WitTypePtr tuple = params_tuple(f);
  WitLayout layout = wit_layout(*tuple);
  IPVM_TRY(uint32_t ptr, guest_alloc(guest, layout.align, layout.size));
  IPVM_TRY_STATUS(lower.store(*tuple, ipld::Value::list(args), ptr, "arguments"));
  flat.push_back(ptr);
  return flat;
}

Result<ipld::Value> lift_results(const WitFunc& f, std::span<const uint64_t> flat, CabiGuest& guest) {
  WitTypePtr rt = result_type(f);
  if (!rt) return ipld::Value();
  Lifter lift(guest);
  if (core_signature(f).results_in_memory) {
    if (flat.empty()) return fail("abi", "the guest returned no result pointer");
    return lift.load(*rt, static_cast<uint32_t>(flat[0]), "result");
  }
  size_t pos = 0;
  return lift.flat(*rt, flat, pos, "result");
}

}  // namespace ipvm::runtime
