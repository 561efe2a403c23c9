// Module fields and sections of the text format (spec 6.6); instructions are in wat_instr.cpp.
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "base/utf8.h"
#include "wasm/wat.h"
#include "wasm/wat_numbers.h"
#include "wasm/wat_parser.h"

namespace ipvm::wasm {
namespace wat {
namespace {

constexpr const char* kSpaceNames[] = {"type", "func", "table", "memory", "global", "elem", "data"};

const char* space_name(Space s) { return kSpaceNames[static_cast<size_t>(s)]; }

void put_section(Bytes& out, uint8_t id, uint32_t count, const Bytes& body) {
  Bytes content;
  put_u32(content, count);
  put_bytes(content, body);
  out.push_back(id);
  put_u32(out, content.size());
  put_bytes(out, content);
}

}  // namespace

// ----- binary writers -----------------------------------------------------------------------

void put_u32(Bytes& out, uint64_t v) {
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    out.push_back(v ? (b | 0x80) : b);
  } while (v);
}

void put_s64(Bytes& out, int64_t v) {
  for (;;) {
    uint8_t b = v & 0x7f;
    v >>= 7;  // arithmetic shift
    bool done = (v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40));
    out.push_back(done ? b : (b | 0x80));
    if (done) return;
  }
}

void put_s32(Bytes& out, int32_t v) { put_s64(out, v); }

void put_name(Bytes& out, std::string_view s) {
  put_u32(out, s.size());
  out.insert(out.end(), s.begin(), s.end());
}

void put_bytes(Bytes& out, const Bytes& b) { out.insert(out.end(), b.begin(), b.end()); }

// ----- tokens and simple values -------------------------------------------------------------

tl::unexpected<Error> Parser::err(const WatToken& t, std::string_view what) const {
  return failf("malformed", "{}:{}: {}", t.line, t.col, what);
}

tl::unexpected<Error> Parser::unexpected(const WatToken& t) const {
  if (t.kind == WatTok::kEof) return err(t, "unexpected end of input");
  return err(t, fmt::format("unexpected token '{}'", t.text));
}

Status Parser::expect(WatTok kind) {
  if (peek().kind != kind) {
    if (peek().kind == WatTok::kEof) return unexpected(peek());
    if (kind == WatTok::kRParen) return err(peek(), fmt::format("unexpected token '{}', expected ')'", peek().text));
    return unexpected(peek());
  }
  next();
  return {};
}

Status Parser::expect_kw(std::string_view kw) {
  if (!is_kw(peek(), kw)) return err(peek(), fmt::format("unexpected token '{}', expected '{}'", peek().text, kw));
  next();
  return {};
}

Status Parser::expect_lparen_kw(std::string_view kw) {
  IPVM_TRY_STATUS(expect(WatTok::kLParen));
  return expect_kw(kw);
}

Status Parser::skip_sexpr() {
  size_t depth = 0;
  do {
    const WatToken& t = next();
    if (t.kind == WatTok::kEof) return unexpected(t);
    if (t.kind == WatTok::kLParen) ++depth;
    if (t.kind == WatTok::kRParen) --depth;
  } while (depth > 0);
  return {};
}

bool Parser::at_index(size_t ahead) const {
  const WatToken& t = peek(ahead);
  return t.kind == WatTok::kId || (t.kind == WatTok::kAtom && wat_looks_unsigned(t.text));
}

Result<std::string> Parser::string_token() {
  if (peek().kind != WatTok::kString) return err(peek(), fmt::format("unexpected token '{}', expected a string", peek().text));
  return next().value;
}

Result<std::string> Parser::name() {
  const WatToken& at = peek();
  IPVM_TRY(std::string s, string_token());
  if (!utf8_valid(s)) return err(at, "malformed UTF-8 encoding");
  return s;
}

Result<uint32_t> Parser::u32() {
  const WatToken& t = peek();
  if (t.kind != WatTok::kAtom) return err(t, fmt::format("unexpected token '{}', expected a number", t.text));
  WatNumber n = wat_parse_unsigned(t.text, 32);
  if (n.error == "unexpected token")  // the reference interpreter's wording for a malformed atom
    return err(t, fmt::format("unknown operator: '{}' is not a valid number", t.text));
  if (!n.error.empty()) return err(t, fmt::format("{}: '{}'", n.error, t.text));
  next();
  return static_cast<uint32_t>(n.bits);
}

// One keyword of a small set, mapped to its type byte.
Result<uint8_t> Parser::keyword_byte(std::initializer_list<std::pair<std::string_view, uint8_t>> choices,
                                     std::string_view what) {
  const WatToken& t = peek();
  if (t.kind == WatTok::kKeyword) {
    for (const auto& [kw, b] : choices) {
      if (t.text == kw) {
        next();
        return b;
      }
    }
  }
  return err(t, fmt::format("unexpected token '{}', expected {}", t.text, what));
}

Result<uint8_t> Parser::valtype() {
  return keyword_byte({{"i32", 0x7f}, {"i64", 0x7e}, {"f32", 0x7d}, {"f64", 0x7c}, {"funcref", 0x70}, {"externref", 0x6f}},
                      "a value type");
}

Result<uint8_t> Parser::reftype() { return keyword_byte({{"funcref", 0x70}, {"externref", 0x6f}}, "a reference type"); }

Result<uint8_t> Parser::heaptype() {
  return keyword_byte({{"func", 0x70}, {"extern", 0x6f}}, "a heap type (func or extern)");
}

Status Parser::limits(Bytes& out) {
  IPVM_TRY(uint32_t min, u32());
  if (peek().kind == WatTok::kAtom) {
    IPVM_TRY(uint32_t max, u32());
    out.push_back(0x01);
    put_u32(out, min);
    put_u32(out, max);
  } else {
    out.push_back(0x00);
    put_u32(out, min);
  }
  return {};
}

Result<uint32_t> Parser::index(Space s) {
  const WatToken& t = peek();
  if (t.kind == WatTok::kId) {
    const auto& ids = spaces_[static_cast<size_t>(s)].ids;
    auto it = ids.find(t.value);
    if (it == ids.end()) return err(t, fmt::format("unknown {} {}", space_name(s), t.text));
    next();
    return it->second;
  }
  if (t.kind != WatTok::kAtom) return err(t, fmt::format("unexpected token '{}', expected a {} index", t.text, space_name(s)));
  return u32();
}

std::optional<std::string> Parser::opt_id() {
  if (peek().kind != WatTok::kId) return std::nullopt;
  return next().value;
}

Status Parser::bind(Space s, const WatToken& at, std::string_view id, uint32_t idx) {
  auto& ids = spaces_[static_cast<size_t>(s)].ids;
  if (!ids.emplace(std::string(id), idx).second) return err(at, fmt::format("duplicate {} ${}", space_name(s), id));
  return {};
}

// ----- types ----------------------------------------------------------------------------------

Status Parser::params_results(TypeUse& tu, bool names_allowed) {
  while (at_lparen_kw("param")) {
    tu.has_inline = true;
    next();
    next();
    if (peek().kind == WatTok::kId) {
      if (!names_allowed) return err(peek(), fmt::format("unexpected token '{}': no parameter names here", peek().text));
      std::string id = next().value;
      IPVM_TRY(uint8_t t, valtype());
      tu.sig.params.push_back(t);
      tu.param_names.push_back(std::move(id));
    } else {
      while (peek().kind != WatTok::kRParen) {
        IPVM_TRY(uint8_t t, valtype());
        tu.sig.params.push_back(t);
        tu.param_names.emplace_back();
      }
    }
    IPVM_TRY_STATUS(expect(WatTok::kRParen));
  }
  while (at_lparen_kw("result")) {
    tu.has_inline = true;
    next();
    next();
    while (peek().kind != WatTok::kRParen) {
      IPVM_TRY(uint8_t t, valtype());
      tu.sig.results.push_back(t);
    }
    IPVM_TRY_STATUS(expect(WatTok::kRParen));
  }
  if (at_lparen_kw("param") || at_lparen_kw("type"))
    return err(peek(1), fmt::format("unexpected token '{}': (type ...), (param ...), (result ...) go in that order",
                                    peek(1).text));
  return {};
}

Result<FuncSig> Parser::functype_def(std::vector<std::string>* names) {
  IPVM_TRY_STATUS(expect_lparen_kw("func"));
  TypeUse tu;
  IPVM_TRY_STATUS(params_results(tu, true));
  IPVM_TRY_STATUS(expect(WatTok::kRParen));
  if (names) *names = std::move(tu.param_names);
  return tu.sig;
}

Result<TypeUse> Parser::typeuse(bool names_allowed) {
  TypeUse tu;
  if (at_lparen_kw("type")) {
    next();
    next();
    IPVM_TRY(uint32_t idx, index(Space::kType));
    tu.index = idx;
    IPVM_TRY_STATUS(expect(WatTok::kRParen));
  }
  IPVM_TRY_STATUS(params_results(tu, names_allowed));
  return tu;
}

uint32_t Parser::type_index_for(const FuncSig& sig) {
  for (size_t i = 0; i < types_.size(); ++i)
    if (types_[i] == sig) return static_cast<uint32_t>(i);
  types_.push_back(sig);
  return static_cast<uint32_t>(types_.size() - 1);
}

Result<uint32_t> Parser::resolve(const TypeUse& tu, const WatToken& at) {
  if (!tu.index) return type_index_for(tu.sig);
  if (tu.has_inline) {
    if (*tu.index >= types_.size()) return err(at, fmt::format("unknown type {}", *tu.index));
    if (!(types_[*tu.index] == tu.sig)) return err(at, "inline function type does not match the referenced type");
  }
  return *tu.index;
}

// ----- pass 1: bind identifiers ---------------------------------------------------------------

Status Parser::scan() {
  const char* first_definition = nullptr;
  while (peek().kind == WatTok::kLParen) {
    size_t start = pos_;
    fields_.push_back(start);
    next();
    const WatToken& kw = next();
    if (kw.kind != WatTok::kKeyword) return unexpected(kw);
    std::string_view k = kw.text;
    auto check_import = [&](const WatToken& at) -> Status {
      if (first_definition) return err(at, fmt::format("import after {}", first_definition));
      return {};
    };
    auto add = [&](Space s, const WatToken& id_tok, const std::optional<std::string>& id) -> Status {
      uint32_t idx = spaces_[static_cast<size_t>(s)].count++;
      if (id) return bind(s, id_tok, *id, idx);
      return {};
    };
    if (k == "type") {
      const WatToken& id_tok = peek();
      auto id = opt_id();
      IPVM_TRY(FuncSig sig, functype_def(nullptr));
      IPVM_TRY_STATUS(expect(WatTok::kRParen));
      types_.push_back(std::move(sig));
      IPVM_TRY_STATUS(add(Space::kType, id_tok, id));
    } else if (k == "import") {
      IPVM_TRY_STATUS(check_import(kw));
      IPVM_TRY_STATUS(string_token());
      IPVM_TRY_STATUS(string_token());
      IPVM_TRY_STATUS(expect(WatTok::kLParen));
      const WatToken& desc = next();
      Space s;
      if (is_kw(desc, "func")) s = Space::kFunc;
      else if (is_kw(desc, "table")) s = Space::kTable;
      else if (is_kw(desc, "memory")) s = Space::kMemory;
      else if (is_kw(desc, "global")) s = Space::kGlobal;
      else return unexpected(desc);
      const WatToken& id_tok = peek();
      IPVM_TRY_STATUS(add(s, id_tok, opt_id()));
    } else if (k == "func" || k == "table" || k == "memory" || k == "global") {
      Space s = k == "func" ? Space::kFunc : k == "table" ? Space::kTable : k == "memory" ? Space::kMemory : Space::kGlobal;
      const WatToken& id_tok = peek();
      IPVM_TRY_STATUS(add(s, id_tok, opt_id()));
      while (at_lparen_kw("export")) IPVM_TRY_STATUS(skip_sexpr());
      if (at_lparen_kw("import")) {
        IPVM_TRY_STATUS(check_import(peek(1)));
      } else {
        if (!first_definition) first_definition = s == Space::kFunc ? "function" : space_name(s);
        if (s == Space::kTable && peek().kind == WatTok::kKeyword && peek(1).kind == WatTok::kLParen && is_kw(peek(2), "elem"))
          spaces_[static_cast<size_t>(Space::kElem)].count++;
        if (s == Space::kMemory && at_lparen_kw("data")) spaces_[static_cast<size_t>(Space::kData)].count++;
      }
    } else if (k == "elem" || k == "data") {
      const WatToken& id_tok = peek();
      IPVM_TRY_STATUS(add(k == "elem" ? Space::kElem : Space::kData, id_tok, opt_id()));
    } else if (k != "export" && k != "start") {
      return err(kw, fmt::format("unexpected token '{}', expected a module field", k));
    }
    pos_ = start;
    IPVM_TRY_STATUS(skip_sexpr());
  }
  return {};
}

// ----- pass 2: fields ---------------------------------------------------------------------------

Status Parser::field() {
  next();
  const WatToken& kw = next();
  std::string_view k = kw.text;
  if (k == "type") return skip_rest_of_type();
  if (k == "import") return import_field();
  if (k == "func") return func_field();
  if (k == "table") return table_field();
  if (k == "memory") return memory_field();
  if (k == "global") return global_field();
  if (k == "export") return export_field();
  if (k == "start") return start_field();
  if (k == "elem") return elem_field();
  if (k == "data") return data_field();
  return unexpected(kw);
}

Status Parser::skip_rest_of_type() {
  while (peek().kind != WatTok::kRParen) {
    if (peek().kind == WatTok::kLParen) {
      IPVM_TRY_STATUS(skip_sexpr());
    } else {
      next();
    }
  }
  next();
  return {};
}

Status Parser::inline_exports(Space s, uint8_t kind, uint32_t idx) {
  (void)s;
  while (at_lparen_kw("export")) {
    next();
    next();
    IPVM_TRY(std::string n, name());
    IPVM_TRY_STATUS(expect(WatTok::kRParen));
    put_name(exports_, n);
    exports_.push_back(kind);
    put_u32(exports_, idx);
    ++n_exports_;
  }
  return {};
}

// (import "m" "n") as an inline abbreviation: consumes it and writes the module and field names.
Status Parser::inline_import_names(Bytes& out) {
  next();
  next();
  IPVM_TRY(std::string m, name());
  IPVM_TRY(std::string f, name());
  IPVM_TRY_STATUS(expect(WatTok::kRParen));
  put_name(out, m);
  put_name(out, f);
  ++n_imports_;
  return {};
}

Status Parser::import_field() {
  IPVM_TRY(std::string m, name());
  IPVM_TRY(std::string f, name());
  put_name(imports_, m);
  put_name(imports_, f);
  ++n_imports_;
  IPVM_TRY_STATUS(expect(WatTok::kLParen));
  const WatToken& desc = next();
  std::string_view d = desc.text;
  opt_id();
  if (d == "func") {
    ++next_[static_cast<size_t>(Space::kFunc)];
    const WatToken& at = peek();
    IPVM_TRY(TypeUse tu, typeuse(true));
    IPVM_TRY(uint32_t ti, resolve(tu, at));
    imports_.push_back(0x00);
    put_u32(imports_, ti);
  } else if (d == "table") {
    ++next_[static_cast<size_t>(Space::kTable)];
    Bytes lim;
    IPVM_TRY_STATUS(limits(lim));
    IPVM_TRY(uint8_t rt, reftype());
    imports_.push_back(0x01);
    imports_.push_back(rt);
    put_bytes(imports_, lim);
  } else if (d == "memory") {
    ++next_[static_cast<size_t>(Space::kMemory)];
    imports_.push_back(0x02);
    IPVM_TRY_STATUS(limits(imports_));
  } else {
    ++next_[static_cast<size_t>(Space::kGlobal)];
    imports_.push_back(0x03);
    IPVM_TRY_STATUS(globaltype(imports_));
  }
  IPVM_TRY_STATUS(expect(WatTok::kRParen));
  return expect(WatTok::kRParen);
}

Status Parser::func_field() {
  uint32_t idx = next_[static_cast<size_t>(Space::kFunc)]++;
  opt_id();
  IPVM_TRY_STATUS(inline_exports(Space::kFunc, 0x00, idx));
  if (at_lparen_kw("import")) {
    IPVM_TRY_STATUS(inline_import_names(imports_));
    const WatToken& at = peek();
    IPVM_TRY(TypeUse tu, typeuse(true));
    IPVM_TRY(uint32_t ti, resolve(tu, at));
    imports_.push_back(0x00);
    put_u32(imports_, ti);
    return expect(WatTok::kRParen);
  }
  const WatToken& at = peek();
  IPVM_TRY(TypeUse tu, typeuse(true));
  IPVM_TRY(uint32_t ti, resolve(tu, at));
  def_types_.push_back(ti);
  IPVM_TRY_STATUS(func_body(tu, ti));
  return expect(WatTok::kRParen);
}

Status Parser::func_body(const TypeUse& tu, uint32_t type_index) {
  locals_.clear();
  labels_.clear();
  n_locals_ = 0;
  if (tu.has_inline || !tu.index) {
    for (const auto& n : tu.param_names) {
      if (!n.empty() && !locals_.emplace(n, n_locals_).second) return err(peek(), fmt::format("duplicate local ${}", n));
      ++n_locals_;
    }
  } else if (type_index < types_.size()) {
    n_locals_ = static_cast<uint32_t>(types_[type_index].params.size());
  }
  std::vector<uint8_t> local_types;
  while (at_lparen_kw("local")) {
    next();
    next();
    if (peek().kind == WatTok::kId) {
      const WatToken& id_tok = next();
      if (!locals_.emplace(id_tok.value, n_locals_).second)
        return err(id_tok, fmt::format("duplicate local {}", id_tok.text));
      IPVM_TRY(uint8_t t, valtype());
      local_types.push_back(t);
      ++n_locals_;
    } else {
      while (peek().kind != WatTok::kRParen) {
        IPVM_TRY(uint8_t t, valtype());
        local_types.push_back(t);
        ++n_locals_;
      }
    }
    IPVM_TRY_STATUS(expect(WatTok::kRParen));
  }
  Bytes body;
  // Locals in runs of one type, as the binary format groups them.
  Bytes groups;
  uint32_t n_groups = 0;
  for (size_t i = 0; i < local_types.size();) {
    size_t j = i;
    while (j < local_types.size() && local_types[j] == local_types[i]) ++j;
    put_u32(groups, j - i);
    groups.push_back(local_types[i]);
    ++n_groups;
    i = j;
  }
  put_u32(body, n_groups);
  put_bytes(body, groups);
  IPVM_TRY_STATUS(instrs(body));
  if (peek().kind != WatTok::kRParen) return unexpected(peek());
  body.push_back(0x0b);
  put_u32(code_, body.size());
  put_bytes(code_, body);
  return {};
}

Status Parser::table_field() {
  uint32_t idx = next_[static_cast<size_t>(Space::kTable)]++;
  opt_id();
  IPVM_TRY_STATUS(inline_exports(Space::kTable, 0x01, idx));
  if (at_lparen_kw("import")) {
    IPVM_TRY_STATUS(inline_import_names(imports_));
    Bytes lim;
    IPVM_TRY_STATUS(limits(lim));
    IPVM_TRY(uint8_t rt, reftype());
    imports_.push_back(0x01);
    imports_.push_back(rt);
    put_bytes(imports_, lim);
    return expect(WatTok::kRParen);
  }
  ++n_tables_;
  if (peek().kind == WatTok::kKeyword) {  // reftype (elem ...): a table sized by its elements
    IPVM_TRY(uint8_t rt, reftype());
    IPVM_TRY_STATUS(expect_lparen_kw("elem"));
    uint32_t elem_idx = next_[static_cast<size_t>(Space::kElem)]++;
    ElemList list;
    list.type = rt;
    IPVM_TRY_STATUS(elem_items(list, peek().kind != WatTok::kLParen));
    IPVM_TRY_STATUS(expect(WatTok::kRParen));
    (void)elem_idx;
    uint32_t n = static_cast<uint32_t>(list.exprs.size());
    tables_.push_back(rt);
    tables_.push_back(0x01);
    put_u32(tables_, n);
    put_u32(tables_, n);
    Bytes offset = {0x41, 0x00, 0x0b};
    write_elem(ElemMode::kActive, idx, offset, list);
    return expect(WatTok::kRParen);
  }
  Bytes lim;
  IPVM_TRY_STATUS(limits(lim));
  IPVM_TRY(uint8_t rt, reftype());
  tables_.push_back(rt);
  put_bytes(tables_, lim);
  return expect(WatTok::kRParen);
}

Status Parser::memory_field() {
  uint32_t idx = next_[static_cast<size_t>(Space::kMemory)]++;
  opt_id();
  IPVM_TRY_STATUS(inline_exports(Space::kMemory, 0x02, idx));
  if (at_lparen_kw("import")) {
    IPVM_TRY_STATUS(inline_import_names(imports_));
    imports_.push_back(0x02);
    IPVM_TRY_STATUS(limits(imports_));
    return expect(WatTok::kRParen);
  }
  ++n_mems_;
  if (at_lparen_kw("data")) {  // (memory (data "...")): sized by its data, in whole pages
    next();
    next();
    Bytes data;
    while (peek().kind == WatTok::kString) {
      const std::string& s = next().value;
      data.insert(data.end(), s.begin(), s.end());
    }
    IPVM_TRY_STATUS(expect(WatTok::kRParen));
    next_[static_cast<size_t>(Space::kData)]++;
    uint64_t pages = (data.size() + 65535) / 65536;
    mems_.push_back(0x01);
    put_u32(mems_, pages);
    put_u32(mems_, pages);
    Bytes offset = {0x41, 0x00, 0x0b};
    write_data(true, idx, offset, data);
    return expect(WatTok::kRParen);
  }
  IPVM_TRY_STATUS(limits(mems_));
  return expect(WatTok::kRParen);
}

Status Parser::globaltype(Bytes& out) {
  if (at_lparen_kw("mut")) {
    next();
    next();
    IPVM_TRY(uint8_t t, valtype());
    IPVM_TRY_STATUS(expect(WatTok::kRParen));
    out.push_back(t);
    out.push_back(0x01);
    return {};
  }
  IPVM_TRY(uint8_t t, valtype());
  out.push_back(t);
  out.push_back(0x00);
  return {};
}

Status Parser::global_field() {
  uint32_t idx = next_[static_cast<size_t>(Space::kGlobal)]++;
  opt_id();
  IPVM_TRY_STATUS(inline_exports(Space::kGlobal, 0x03, idx));
  if (at_lparen_kw("import")) {
    IPVM_TRY_STATUS(inline_import_names(imports_));
    imports_.push_back(0x03);
    IPVM_TRY_STATUS(globaltype(imports_));
    return expect(WatTok::kRParen);
  }
  ++n_globals_;
  IPVM_TRY_STATUS(globaltype(globals_));
  labels_.clear();
  locals_.clear();
  n_locals_ = 0;
  IPVM_TRY_STATUS(instrs(globals_));
  globals_.push_back(0x0b);
  return expect(WatTok::kRParen);
}

Status Parser::export_field() {
  IPVM_TRY(std::string n, name());
  IPVM_TRY_STATUS(expect(WatTok::kLParen));
  const WatToken& kind = next();
  uint8_t k;
  Space s;
  if (is_kw(kind, "func")) k = 0, s = Space::kFunc;
  else if (is_kw(kind, "table")) k = 1, s = Space::kTable;
  else if (is_kw(kind, "memory")) k = 2, s = Space::kMemory;
  else if (is_kw(kind, "global")) k = 3, s = Space::kGlobal;
  else return unexpected(kind);
  IPVM_TRY(uint32_t idx, index(s));
  IPVM_TRY_STATUS(expect(WatTok::kRParen));
  put_name(exports_, n);
  exports_.push_back(k);
  put_u32(exports_, idx);
  ++n_exports_;
  return expect(WatTok::kRParen);
}

Status Parser::start_field() {
  const WatToken& at = peek();
  IPVM_TRY(uint32_t idx, index(Space::kFunc));
  if (start_) return err(at, "multiple start sections");
  start_ = idx;
  return expect(WatTok::kRParen);
}

// An offset: `(offset instr*)` or a single folded instruction.
Status Parser::offset_expr(Bytes& out) {
  labels_.clear();
  locals_.clear();
  n_locals_ = 0;
  if (at_lparen_kw("offset")) {
    next();
    next();
    IPVM_TRY_STATUS(instrs(out));
    IPVM_TRY_STATUS(expect(WatTok::kRParen));
  } else {
    IPVM_TRY_STATUS(folded(out));
  }
  out.push_back(0x0b);
  return {};
}

// Element expressions up to ')': `(item instr*)` or one folded instruction each; or, when
// `indices`, bare function indices.
Status Parser::elem_items(ElemList& list, bool indices) {
  if (indices) {
    while (at_index()) {
      IPVM_TRY(uint32_t f, index(Space::kFunc));
      Bytes e = {0xd2};
      put_u32(e, f);
      e.push_back(0x0b);
      list.exprs.push_back(std::move(e));
      list.funcs.push_back(f);
    }
    return {};
  }
  labels_.clear();
  locals_.clear();
  n_locals_ = 0;
  while (peek().kind == WatTok::kLParen) {
    Bytes e;
    if (at_lparen_kw("item")) {
      next();
      next();
      IPVM_TRY_STATUS(instrs(e));
      IPVM_TRY_STATUS(expect(WatTok::kRParen));
    } else {
      IPVM_TRY_STATUS(folded(e));
    }
    // A lone ref.func keeps the compact function-index encoding possible.
    if (!e.empty() && e[0] == 0xd2) {
      uint64_t f = 0;
      size_t i = 1;
      for (unsigned shift = 0; i < e.size(); ++i, shift += 7) {
        f |= uint64_t(e[i] & 0x7f) << shift;
        if (!(e[i] & 0x80)) break;
      }
      if (i + 1 == e.size()) list.funcs.push_back(static_cast<uint32_t>(f));
    }
    e.push_back(0x0b);
    list.exprs.push_back(std::move(e));
  }
  return {};
}

void Parser::write_elem(ElemMode mode, uint32_t table, const Bytes& offset, const ElemList& list) {
  ++n_elems_;
  bool use_indices = list.type == 0x70 && list.funcs.size() == list.exprs.size();
  uint8_t flags = 0;
  if (mode == ElemMode::kPassive) flags = 1;
  else if (mode == ElemMode::kDeclarative) flags = 3;
  else if (table != 0 || list.type != 0x70) flags = 2;
  if (!use_indices) flags |= 4;
  elems_.push_back(flags);
  if (flags & 2 && mode == ElemMode::kActive) put_u32(elems_, table);
  if (mode == ElemMode::kActive) put_bytes(elems_, offset);
  if (flags & 3) elems_.push_back(use_indices ? uint8_t{0x00} : list.type);
  put_u32(elems_, list.exprs.size());
  if (use_indices) {
    for (uint32_t f : list.funcs) put_u32(elems_, f);
  } else {
    for (const auto& e : list.exprs) put_bytes(elems_, e);
  }
}

Status Parser::elem_field() {
  next_[static_cast<size_t>(Space::kElem)]++;
  opt_id();
  ElemMode mode = ElemMode::kPassive;
  uint32_t table = 0;
  Bytes offset;
  if (is_kw(peek(), "declare")) {
    next();
    mode = ElemMode::kDeclarative;
  } else {
    if (at_lparen_kw("table")) {
      next();
      next();
      IPVM_TRY(uint32_t t, index(Space::kTable));
      table = t;
      IPVM_TRY_STATUS(expect(WatTok::kRParen));
      mode = ElemMode::kActive;
    } else if (at_index()) {  // the MVP form: (elem 0 (offset ...) ...)
      IPVM_TRY(uint32_t t, index(Space::kTable));
      table = t;
      mode = ElemMode::kActive;
    }
    if (mode == ElemMode::kActive || peek().kind == WatTok::kLParen) {
      mode = ElemMode::kActive;
      IPVM_TRY_STATUS(offset_expr(offset));
    }
  }
  ElemList list;
  if (is_kw(peek(), "func")) {
    next();
    IPVM_TRY_STATUS(elem_items(list, true));
  } else if (is_kw(peek(), "funcref") || is_kw(peek(), "externref")) {
    IPVM_TRY(uint8_t rt, reftype());
    list.type = rt;
    IPVM_TRY_STATUS(elem_items(list, false));
  } else if (mode == ElemMode::kActive) {
    IPVM_TRY_STATUS(elem_items(list, true));  // (elem (offset) $f $g): funcref by abbreviation
  } else {
    return unexpected(peek());
  }
  write_elem(mode, table, offset, list);
  return expect(WatTok::kRParen);
}

void Parser::write_data(bool active, uint32_t memory, const Bytes& offset, const Bytes& data) {
  ++n_datas_;
  if (!active) {
    datas_.push_back(0x01);
  } else if (memory == 0) {
    datas_.push_back(0x00);
    put_bytes(datas_, offset);
  } else {
    datas_.push_back(0x02);
    put_u32(datas_, memory);
    put_bytes(datas_, offset);
  }
  put_u32(datas_, data.size());
  put_bytes(datas_, data);
}

Status Parser::data_field() {
  next_[static_cast<size_t>(Space::kData)]++;
  opt_id();
  bool active = false;
  uint32_t memory = 0;
  if (at_lparen_kw("memory")) {
    next();
    next();
    IPVM_TRY(uint32_t m, index(Space::kMemory));
    memory = m;
    IPVM_TRY_STATUS(expect(WatTok::kRParen));
    active = true;
  } else if (at_index()) {  // the MVP form: (data 0 (offset ...) ...)
    IPVM_TRY(uint32_t m, index(Space::kMemory));
    memory = m;
    active = true;
  }
  Bytes offset;
  if (active || peek().kind == WatTok::kLParen) {
    active = true;
    IPVM_TRY_STATUS(offset_expr(offset));
  }
  Bytes data;
  while (peek().kind == WatTok::kString) {
    const std::string& s = next().value;
    data.insert(data.end(), s.begin(), s.end());
  }
  write_data(active, memory, offset, data);
  return expect(WatTok::kRParen);
}

// ----- the module -------------------------------------------------------------------------------

Result<Bytes> Parser::module() {
  bool wrapped = at_lparen_kw("module");
  if (wrapped) {
    next();
    next();
    opt_id();
  }
  IPVM_TRY_STATUS(scan());
  if (wrapped) IPVM_TRY_STATUS(expect(WatTok::kRParen));
  if (peek().kind != WatTok::kEof) return unexpected(peek());
  for (size_t f : fields_) {
    pos_ = f;
    IPVM_TRY_STATUS(field());
  }

  Bytes out = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  if (!types_.empty()) {
    Bytes body;
    for (const auto& t : types_) {
      body.push_back(0x60);
      put_u32(body, t.params.size());
      body.insert(body.end(), t.params.begin(), t.params.end());
      put_u32(body, t.results.size());
      body.insert(body.end(), t.results.begin(), t.results.end());
    }
    put_section(out, 1, static_cast<uint32_t>(types_.size()), body);
  }
  if (n_imports_) put_section(out, 2, n_imports_, imports_);
  if (!def_types_.empty()) {
    Bytes body;
    for (uint32_t t : def_types_) put_u32(body, t);
    put_section(out, 3, static_cast<uint32_t>(def_types_.size()), body);
  }
  if (n_tables_) put_section(out, 4, n_tables_, tables_);
  if (n_mems_) put_section(out, 5, n_mems_, mems_);
  if (n_globals_) put_section(out, 6, n_globals_, globals_);
  if (n_exports_) put_section(out, 7, n_exports_, exports_);
  if (start_) {
    Bytes content;
    put_u32(content, *start_);
    out.push_back(8);
    put_u32(out, content.size());
    put_bytes(out, content);
  }
  if (n_elems_) put_section(out, 9, n_elems_, elems_);
  if (uses_data_count_) {
    Bytes content;
    put_u32(content, n_datas_);
    out.push_back(12);
    put_u32(out, content.size());
    put_bytes(out, content);
  }
  if (!def_types_.empty()) put_section(out, 10, static_cast<uint32_t>(def_types_.size()), code_);
  if (n_datas_) put_section(out, 11, n_datas_, datas_);
  return out;
}

}  // namespace wat

namespace {

// The script forms `(module $id? binary "..."*)` and `(module $id? quote "..."*)`: the strings,
// concatenated, are the binary or the text of the module. Nil if `tokens` is not such a form.
std::optional<std::pair<bool, std::string>> script_module(const std::vector<WatToken>& t) {
  if (t.size() < 4 || t[0].kind != WatTok::kLParen || t[1].kind != WatTok::kKeyword || t[1].text != "module")
    return std::nullopt;
  size_t i = t[2].kind == WatTok::kId ? 3 : 2;
  if (t[i].kind != WatTok::kKeyword || (t[i].text != "binary" && t[i].text != "quote")) return std::nullopt;
  bool binary = t[i].text == "binary";
  std::string joined;
  for (++i; t[i].kind == WatTok::kString; ++i) joined += t[i].value;
  if (t[i].kind != WatTok::kRParen || t[i + 1].kind != WatTok::kEof) return std::nullopt;
  return std::make_pair(binary, std::move(joined));
}

Result<Bytes> compile_text(std::string_view text, int quote_depth) {
  IPVM_TRY(std::vector<WatToken> tokens, tokenize_wat(text));
  if (auto form = script_module(tokens)) {
    if (form->first) return to_bytes(form->second);  // the binary as written; the decoder judges it
    if (quote_depth >= 8) return fail("malformed", "1:1: (module quote ...) nested more than 8 deep");
    return compile_text(form->second, quote_depth + 1);
  }
  wat::Parser parser(tokens);
  return parser.module();
}

}  // namespace

Result<Bytes> wat_to_wasm(std::string_view text) { return compile_text(text, 0); }

bool is_wasm_binary(ByteView bytes) {
  return bytes.size() >= 4 && bytes[0] == 0x00 && bytes[1] == 0x61 && bytes[2] == 0x73 && bytes[3] == 0x6d;
}

}  // namespace ipvm::wasm
