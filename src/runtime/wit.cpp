#include "runtime/wit.h"

#include <cctype>

#include "base/ellipsis.h"

namespace ipvm::runtime {

namespace {

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<WitFunc> func() {
    skip_space();
    if (!accept_word("func")) return error("expected 'func'");
    IPVM_TRY(auto params, param_list());
    WitFunc f;
    f.params = std::move(params);
    skip_space();
    if (accept("->")) {
      skip_space();
      if (peek() == '(') {
        IPVM_TRY(auto results, param_list());
        f.results = std::move(results);
      } else {
        IPVM_TRY(auto t, type(0));
        f.results.push_back({"", std::move(t)});
      }
    }
    IPVM_TRY_STATUS(end());
    return f;
  }

  Result<WitTypePtr> single_type() {
    IPVM_TRY(auto t, type(0));
    IPVM_TRY_STATUS(end());
    return t;
  }

 private:
  static constexpr int kMaxDepth = 64;

  Status end() {
    skip_space();
    if (pos_ != text_.size()) return error("unexpected text after the signature");
    return {};
  }

  Result<std::vector<WitParam>> param_list() {
    skip_space();
    if (!accept("(")) return error("expected '('");
    std::vector<WitParam> params;
    skip_space();
    if (accept(")")) return params;
    for (;;) {
      IPVM_TRY(auto name, identifier());
      skip_space();
      if (!accept(":")) return error("expected ':' after a parameter name");
      IPVM_TRY(auto t, type(0));
      for (const auto& p : params)
        if (p.name == name) return error("duplicate name '" + name + "'");
      params.push_back({std::move(name), std::move(t)});
      skip_space();
      if (accept(")")) return params;
      if (!accept(",")) return error("expected ',' or ')'");
      skip_space();
      if (accept(")")) return params;  // trailing comma
    }
  }

  Result<WitTypePtr> type(int depth) {
    if (depth > kMaxDepth) return error("type nested too deeply");
    skip_space();
    size_t start = pos_;
    IPVM_TRY(auto word, identifier());
    auto simple = [](WitKind k) {
      auto t = std::make_shared<WitType>();
      t->kind = k;
      return t;
    };
    static const std::pair<const char*, WitKind> kPrimitives[] = {
        {"bool", WitKind::kBool}, {"s8", WitKind::kS8},       {"u8", WitKind::kU8},
        {"s16", WitKind::kS16},   {"u16", WitKind::kU16},     {"s32", WitKind::kS32},
        {"u32", WitKind::kU32},   {"s64", WitKind::kS64},     {"u64", WitKind::kU64},
        {"f32", WitKind::kF32},   {"float32", WitKind::kF32}, {"f64", WitKind::kF64},
        {"float64", WitKind::kF64}, {"char", WitKind::kChar}, {"string", WitKind::kString},
    };
    for (const auto& [name, kind] : kPrimitives)
      if (word == name) return WitTypePtr(simple(kind));

    auto t = std::make_shared<WitType>();
    if (word == "list" || word == "option") {
      t->kind = word == "list" ? WitKind::kList : WitKind::kOption;
      IPVM_TRY_STATUS(expect('<'));
      IPVM_TRY(t->element, type(depth + 1));
      IPVM_TRY_STATUS(expect('>'));
      return WitTypePtr(t);
    }
    if (word == "tuple") {
      t->kind = WitKind::kTuple;
      IPVM_TRY_STATUS(expect('<'));
      for (;;) {
        IPVM_TRY(auto member, type(depth + 1));
        t->fields.push_back({"", std::move(member)});
        skip_space();
        if (accept(">")) break;
        if (!accept(",")) return error("expected ',' or '>' in tuple");
      }
      return WitTypePtr(t);
    }
    if (word == "result") {
      t->kind = WitKind::kResult;
      skip_space();
      if (!accept("<")) return WitTypePtr(t);  // bare `result`: no payloads
      skip_space();
      if (!accept("_")) {
        IPVM_TRY(t->ok, type(depth + 1));
      }
      skip_space();
      if (accept(",")) {
        IPVM_TRY(t->err, type(depth + 1));
      }
      IPVM_TRY_STATUS(expect('>'));
      return WitTypePtr(t);
    }
    if (word == "record") {
      t->kind = WitKind::kRecord;
      IPVM_TRY_STATUS(expect('{'));
      for (;;) {
        skip_space();
        if (accept("}")) break;
        IPVM_TRY(auto name, identifier());
        IPVM_TRY_STATUS(expect(':'));
        IPVM_TRY(auto ft, type(depth + 1));
        for (const auto& f : t->fields)
          if (f.name == name) return error("duplicate record field '" + name + "'");
        t->fields.push_back({std::move(name), std::move(ft)});
        skip_space();
        if (accept("}")) break;
        if (!accept(",")) return error("expected ',' or '}' in record");
      }
      if (t->fields.empty()) return error("a record needs at least one field");
      return WitTypePtr(t);
    }
    if (word == "enum") {
      t->kind = WitKind::kEnum;
      IPVM_TRY_STATUS(expect('{'));
      for (;;) {
        skip_space();
        if (accept("}")) break;
        IPVM_TRY(auto name, identifier());
        for (const auto& c : t->cases)
          if (c == name) return error("duplicate enum case '" + name + "'");
        t->cases.push_back(std::move(name));
        skip_space();
        if (accept("}")) break;
        if (!accept(",")) return error("expected ',' or '}' in enum");
      }
      if (t->cases.empty()) return error("an enum needs at least one case");
      return WitTypePtr(t);
    }
    pos_ = start;
    return error("unknown type '" + word + "'");
  }

  Result<std::string> identifier() {
    skip_space();
    accept("%");  // a %-escaped keyword: the name is what follows
    size_t start = pos_;
    while (pos_ < text_.size() &&
           (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '-' || text_[pos_] == '_'))
      ++pos_;
    if (pos_ == start) return error("expected a name");
    return std::string(text_.substr(start, pos_ - start));
  }

  Status expect(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return {};
    }
    return error(std::string("expected '") + c + "'");
  }

  bool accept(std::string_view s) {
    if (text_.substr(pos_, s.size()) == s) {
      pos_ += s.size();
      return true;
    }
    return false;
  }
  bool accept_word(std::string_view s) {
    size_t save = pos_;
    auto id = identifier();
    if (id && *id == s) return true;
    pos_ = save;
    return false;
  }
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  tl::unexpected<Error> error(const std::string& what) const {
    return failf("wit", "{} at column {} of signature '{}'", what, pos_ + 1, ellipsize(text_, 200));
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

Result<WitFunc> parse_wit_func(std::string_view text) { return Parser(text).func(); }
Result<WitTypePtr> parse_wit_type(std::string_view text) { return Parser(text).single_type(); }

std::string WitType::to_string() const {
  switch (kind) {
    case WitKind::kBool: return "bool";
    case WitKind::kS8: return "s8";
    case WitKind::kU8: return "u8";
    case WitKind::kS16: return "s16";
    case WitKind::kU16: return "u16";
    case WitKind::kS32: return "s32";
    case WitKind::kU32: return "u32";
    case WitKind::kS64: return "s64";
    case WitKind::kU64: return "u64";
    case WitKind::kF32: return "f32";
    case WitKind::kF64: return "f64";
    case WitKind::kChar: return "char";
    case WitKind::kString: return "string";
    case WitKind::kList: return "list<" + element->to_string() + ">";
    case WitKind::kOption: return "option<" + element->to_string() + ">";
    case WitKind::kResult:
      if (!ok && !err) return "result";
      return "result<" + (ok ? ok->to_string() : "_") + (err ? ", " + err->to_string() : "") + ">";
    case WitKind::kTuple: {
      std::string s = "tuple<";
      for (size_t i = 0; i < fields.size(); ++i) s += (i ? ", " : "") + fields[i].type->to_string();
      return s + ">";
    }
    case WitKind::kRecord: {
      std::string s = "record { ";
      for (size_t i = 0; i < fields.size(); ++i)
        s += (i ? ", " : "") + fields[i].name + ": " + fields[i].type->to_string();
      return s + " }";
    }
    case WitKind::kEnum: {
      std::string s = "enum { ";
      for (size_t i = 0; i < cases.size(); ++i) s += (i ? ", " : "") + cases[i];
      return s + " }";
    }
  }
  return "?";
}

std::string WitFunc::to_string() const {
  std::string s = "func(";
  for (size_t i = 0; i < params.size(); ++i)
    s += (i ? ", " : "") + params[i].name + ": " + params[i].type->to_string();
  s += ")";
  if (results.size() == 1 && results[0].name.empty()) return s + " -> " + results[0].type->to_string();
  if (!results.empty()) {
    s += " -> (";
    for (size_t i = 0; i < results.size(); ++i)
      s += (i ? ", " : "") + results[i].name + ": " + results[i].type->to_string();
    s += ")";
  }
  return s;
}

}  // namespace ipvm::runtime
