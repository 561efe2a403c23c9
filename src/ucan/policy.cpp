#include "ucan/policy.h"

#include <cmath>

#include "ipld/dag_json.h"

namespace ipvm::ucan {
namespace {

using ipld::Value;
using Op = Statement::Op;

constexpr size_t kMaxPolicyDepth = 128;

tl::unexpected<Error> bad(const Value& v, std::string_view why) {
  std::string text = ipld::dag_json_encode(v);
  if (text.size() > 120) text = text.substr(0, 117) + "...";
  return failf("policy", "statement {}: {}", text, why);
}

std::optional<Op> op_from(std::string_view s) {
  static constexpr std::pair<std::string_view, Op> kOps[] = {
      {"==", Op::kEq}, {"!=", Op::kNe},     {"<", Op::kLt},    {"<=", Op::kLe},
      {">", Op::kGt},  {">=", Op::kGe},     {"like", Op::kLike}, {"not", Op::kNot},
      {"and", Op::kAnd}, {"or", Op::kOr},   {"all", Op::kAll}, {"any", Op::kAny}};
  for (auto& [name, op] : kOps)
    if (name == s) return op;
  return std::nullopt;
}

bool is_number(const Value& v) { return v.is_integer() || v.is_float(); }

long double as_long_double(const Value& v) {
  if (v.is_float()) return v.as_float();
  const ipld::Integer& i = v.as_integer();
  long double m = static_cast<long double>(i.magnitude);  // exact: 64-bit mantissa
  return i.negative ? -1.0L - m : m;
}

// -1, 0, 1 for a < b, a == b, a > b.
int compare_numbers(const Value& a, const Value& b) {
  if (a.is_integer() && b.is_integer()) {
    const auto& x = a.as_integer();
    const auto& y = b.as_integer();
    if (x.negative != y.negative) return x.negative ? -1 : 1;
    if (x.magnitude == y.magnitude) return 0;
    bool less = x.magnitude < y.magnitude;
    if (x.negative) less = !less;
    return less ? -1 : 1;
  }
  long double x = as_long_double(a), y = as_long_double(b);
  return x < y ? -1 : (x > y ? 1 : 0);
}

Result<Statement> parse(const Value& v, size_t depth);

Result<std::vector<Statement>> parse_list(const Value& v, size_t depth) {
  std::vector<Statement> out;
  out.reserve(v.as_list().size());
  for (const Value& item : v.as_list()) {
    IPVM_TRY(Statement s, parse(item, depth + 1));
    out.push_back(std::move(s));
  }
  return out;
}

Result<Statement> parse(const Value& v, size_t depth) {
  if (depth > kMaxPolicyDepth) return fail("policy", "policy is nested too deeply");
  if (!v.is_list() || v.as_list().empty() || !v.as_list()[0].is_string())
    return bad(v, "a statement is a list starting with an operator");
  const ipld::List& l = v.as_list();
  auto op = op_from(l[0].as_string());
  if (!op) return bad(v, fmt::format("unknown operator '{}'", l[0].as_string()));
  Statement s;
  s.op = *op;
  s.source = v;
  switch (*op) {
    case Op::kNot: {
      if (l.size() != 2) return bad(v, "'not' takes one statement");
      IPVM_TRY(Statement c, parse(l[1], depth + 1));
      s.children.push_back(std::move(c));
      return s;
    }
    case Op::kAnd:
    case Op::kOr: {
      if (l.size() != 2 || !l[1].is_list()) return bad(v, "'and'/'or' take one list of statements");
      IPVM_TRY(s.children, parse_list(l[1], depth));
      return s;
    }
    default: break;
  }
  if (l.size() != 3) return bad(v, "expected [operator, selector, argument]");
  if (!l[1].is_string()) return bad(v, "the selector must be a string");
  auto sel = parse_selector(l[1].as_string());
  if (!sel) return bad(v, sel.error().message);
  s.selector = std::move(*sel);
  switch (*op) {
    case Op::kEq:
    case Op::kNe: s.value = l[2]; break;
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe:
      if (!is_number(l[2])) return bad(v, "an inequality compares with a number");
      s.value = l[2];
      break;
    case Op::kLike: {
      if (!l[2].is_string()) return bad(v, "'like' takes a string pattern");
      auto g = parse_glob(l[2].as_string());
      if (!g) return bad(v, g.error().message);
      s.pattern = std::move(*g);
      break;
    }
    case Op::kAll:
    case Op::kAny: {
      IPVM_TRY(Statement c, parse(l[2], depth + 1));
      s.children.push_back(std::move(c));
      break;
    }
    default: break;
  }
  return s;
}

bool quantify(const Statement& s, const Value& target) {
  const Statement& inner = s.children[0];
  auto each = [&](auto&& fn) {
    if (target.is_list()) {
      for (const Value& x : target.as_list())
        if (fn(x)) return true;
    } else {
      for (const auto& [k, x] : target.as_map())
        if (fn(x)) return true;
    }
    return false;
  };
  if (s.op == Op::kAll) return !each([&](const Value& x) { return !evaluate(inner, x); });
  return each([&](const Value& x) { return evaluate(inner, x); });
}

}  // namespace

Result<Statement> parse_statement(const Value& v) { return parse(v, 0); }

Result<Policy> parse_policy(const Value& v) {
  if (!v.is_list()) return fail("policy", "a policy is a list of statements");
  Policy p;
  p.source = v;
  IPVM_TRY(p.statements, parse_list(v, 0));
  return p;
}

Result<std::vector<std::string>> parse_glob(std::string_view pattern) {
  std::vector<std::string> pieces(1);
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\') {
      if (i + 1 == pattern.size()) return fail("policy", "the pattern ends with a lone '\\'");
      pieces.back() += pattern[++i];
    } else if (c == '*') {
      pieces.emplace_back();
    } else {
      pieces.back() += c;
    }
  }
  return pieces;
}

// pieces[0] must be a prefix, pieces.back() a suffix, the middle ones appear in order (greedy
// leftmost placement is optimal when wildcards match any run).
bool glob_match(const std::vector<std::string>& pieces, std::string_view text) {
  if (pieces.size() == 1) return text == pieces[0];
  const std::string& first = pieces.front();
  const std::string& last = pieces.back();
  if (text.size() < first.size() + last.size()) return false;
  if (text.substr(0, first.size()) != first) return false;
  if (text.substr(text.size() - last.size()) != last) return false;
  size_t pos = first.size();
  size_t end = text.size() - last.size();
  for (size_t i = 1; i + 1 < pieces.size(); ++i) {
    size_t at = text.substr(0, end).find(pieces[i], pos);
    if (at == std::string_view::npos) return false;
    pos = at + pieces[i].size();
  }
  return true;
}

bool policy_equal(const Value& a, const Value& b) {
  if (is_number(a) && is_number(b)) return compare_numbers(a, b) == 0;
  if (a.kind() != b.kind()) return false;
  if (a.is_list()) {
    const auto& x = a.as_list();
    const auto& y = b.as_list();
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i)
      if (!policy_equal(x[i], y[i])) return false;
    return true;
  }
  if (a.is_map()) {
    const auto& x = a.as_map();
    const auto& y = b.as_map();
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i)
      if (x[i].first != y[i].first || !policy_equal(x[i].second, y[i].second)) return false;
    return true;
  }
  return a == b;
}

bool evaluate(const Statement& s, const Value& args) {
  switch (s.op) {
    case Op::kNot: return !evaluate(s.children[0], args);
    case Op::kAnd:
      for (const auto& c : s.children)
        if (!evaluate(c, args)) return false;
      return true;
    case Op::kOr:
      if (s.children.empty()) return true;
      for (const auto& c : s.children)
        if (evaluate(c, args)) return true;
      return false;
    default: break;
  }
  std::optional<Value> target = select(s.selector, args);
  if (!target) return false;
  switch (s.op) {
    case Op::kEq: return policy_equal(*target, s.value);
    case Op::kNe: return !policy_equal(*target, s.value);
    case Op::kLt: return is_number(*target) && compare_numbers(*target, s.value) < 0;
    case Op::kLe: return is_number(*target) && compare_numbers(*target, s.value) <= 0;
    case Op::kGt: return is_number(*target) && compare_numbers(*target, s.value) > 0;
    case Op::kGe: return is_number(*target) && compare_numbers(*target, s.value) >= 0;
    case Op::kLike: return target->is_string() && glob_match(s.pattern, target->as_string());
    case Op::kAll:
    case Op::kAny:
      if (!target->is_list() && !target->is_map()) return false;
      return quantify(s, *target);
    default: return false;
  }
}

bool matches(const Policy& p, const Value& args) { return first_violation(p, args) == nullptr; }

const Statement* first_violation(const Policy& p, const Value& args) {
  for (const auto& s : p.statements)
    if (!evaluate(s, args)) return &s;
  return nullptr;
}

}  // namespace ipvm::ucan
