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

namespace {

// One heap allocation holds the count and the object, as std::make_shared would.
template <class T>
struct Node : detail::Owner {
  explicit Node(T&& v) : object(std::move(v)) {
    destroy = [](detail::Owner* o) { delete static_cast<Node*>(o); };
  }
  T object;
};

}  // namespace

template <class T>
Value Value::make_node(Kind k, T&& v) {
  auto* n = new Node<T>(std::move(v));
  return Value(k, &n->object, n, false);
}

Value Value::string(std::string s) { return make_node(Kind::kString, std::move(s)); }
Value Value::bytes(Bytes b) { return make_node(Kind::kBytes, std::move(b)); }
Value Value::list(List items) { return make_node(Kind::kList, std::move(items)); }
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
Value Value::map_presorted(Map entries) { return make_node(Kind::kMap, std::move(entries)); }
Value Value::link(Cid cid) { return make_node(Kind::kLink, std::move(cid)); }

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
