#include "ipld/value.h"

#include <algorithm>
#include <cassert>
#include <cstring>

namespace ipvm::ipld {

std::string_view kind_name(Kind k) {
  switch (k) {
    case Kind::kNull: return "null";
    case Kind::kBool: return "bool";
    case Kind::kInteger: return "integer";
    case Kind::kFloat: return "float";
    case Kind::kString: return "string";
    case Kind::kBytes: return "bytes";
    case Kind::kList: return "list";
    case Kind::kMap: return "map";
    case Kind::kLink: return "link";
  }
  return "?";
}

Value Value::boolean(bool b) { return Value(Data(std::in_place_index<1>, b)); }
Value Value::integer(int64_t i) {
  if (i >= 0) return Value(Data(Integer{false, static_cast<uint64_t>(i)}));
  // -1 - i without overflow: ~i as unsigned.
  return Value(Data(Integer{true, ~static_cast<uint64_t>(i)}));
}
Value Value::uinteger(uint64_t u) { return Value(Data(Integer{false, u})); }
Value Value::integer(Integer i) { return Value(Data(i)); }
Value Value::float64(double d) { return Value(Data(std::in_place_index<3>, d)); }
Value Value::string(std::string s) {
  return Value(Data(std::make_shared<const std::string>(std::move(s))));
}
Value Value::bytes(Bytes b) { return Value(Data(std::make_shared<const Bytes>(std::move(b)))); }
Value Value::list(List items) { return Value(Data(std::make_shared<const List>(std::move(items)))); }
Value Value::map(Map entries) {
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return canonical_key_less(a.first, b.first);
  });
  // Keep the last of equal keys.
  Map unique;
  unique.reserve(entries.size());
  for (auto& e : entries) {
    if (!unique.empty() && unique.back().first == e.first)
      unique.back().second = std::move(e.second);
    else
      unique.push_back(std::move(e));
  }
  return map_presorted(std::move(unique));
}
Value Value::map_presorted(Map entries) {
  return Value(Data(std::make_shared<const Map>(std::move(entries))));
}
Value Value::link(Cid cid) { return Value(Data(std::make_shared<const Cid>(std::move(cid)))); }

bool Value::as_bool() const {
  assert(is_bool());
  return std::get<1>(data_);
}
const Integer& Value::as_integer() const {
  assert(is_integer());
  return std::get<2>(data_);
}
double Value::as_float() const {
  assert(is_float());
  return std::get<3>(data_);
}
const std::string& Value::as_string() const { return *std::get<4>(data_); }
const Bytes& Value::as_bytes() const { return *std::get<5>(data_); }
const List& Value::as_list() const { return *std::get<6>(data_); }
const Map& Value::as_map() const { return *std::get<7>(data_); }
const Cid& Value::as_link() const { return *std::get<8>(data_); }

std::optional<int64_t> Value::to_int64() const {
  if (!is_integer()) return std::nullopt;
  const Integer& i = as_integer();
  if (i.magnitude > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  int64_t m = static_cast<int64_t>(i.magnitude);
  return i.negative ? -1 - m : m;
}
std::optional<uint64_t> Value::to_uint64() const {
  if (!is_integer() || as_integer().negative) return std::nullopt;
  return as_integer().magnitude;
}
std::optional<std::string_view> Value::to_string_view() const {
  if (!is_string()) return std::nullopt;
  return std::string_view(as_string());
}

const Value* Value::find(std::string_view key) const {
  if (!is_map()) return nullptr;
  const Map& m = as_map();
  auto it = std::lower_bound(m.begin(), m.end(), key, [](const auto& e, std::string_view k) {
    return canonical_key_less(e.first, k);
  });
  if (it == m.end() || it->first != key) return nullptr;
  return &it->second;
}
const Value* Value::at(size_t index) const {
  if (!is_list() || index >= as_list().size()) return nullptr;
  return &as_list()[index];
}

bool operator==(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Kind::kNull: return true;
    case Kind::kBool: return a.as_bool() == b.as_bool();
    case Kind::kInteger: return a.as_integer() == b.as_integer();
    case Kind::kFloat: {
      double x = a.as_float(), y = b.as_float();
      return std::memcmp(&x, &y, sizeof x) == 0;
    }
    case Kind::kString: return a.as_string() == b.as_string();
    case Kind::kBytes: return a.as_bytes() == b.as_bytes();
    case Kind::kList: return a.as_list() == b.as_list();
    case Kind::kMap: return a.as_map() == b.as_map();
    case Kind::kLink: return a.as_link() == b.as_link();
  }
  return false;
}

}  // namespace ipvm::ipld
