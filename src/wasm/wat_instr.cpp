// Instructions of the text format (spec 6.5): plain and folded forms, block types, labels, locals
// and every immediate kind of WebAssembly 2.0 without SIMD.
#include <bit>
#include <cstring>
#include <map>

#include <fmt/format.h>

#include "wasm/opcodes.h"
#include "wasm/wat_numbers.h"
#include "wasm/wat_parser.h"

namespace ipvm::wasm::wat {
namespace {

enum class Imm : uint8_t {
  kNone, kLabel, kBrTable, kCall, kCallIndirect, kLocal, kGlobal, kTable, kTableCopy, kTableInit,
  kElem, kData, kMemoryInit, kMemZero, kMemoryCopy, kMemArg, kI32, kI64, kF32, kF64, kRefNull,
  kRefFunc, kSelect, kBlock
};

struct OpInfo {
  bool fc = false;  // 0xFC-prefixed
  uint32_t code = 0;
  Imm imm = Imm::kNone;
};

Imm immediate_of(std::string_view name, bool fc, uint32_t code) {
  static const std::map<std::string_view, Imm> kSpecial = {
      {"block", Imm::kBlock}, {"loop", Imm::kBlock}, {"if", Imm::kBlock},
      {"br", Imm::kLabel}, {"br_if", Imm::kLabel}, {"br_table", Imm::kBrTable},
      {"call", Imm::kCall}, {"call_indirect", Imm::kCallIndirect},
      {"local.get", Imm::kLocal}, {"local.set", Imm::kLocal}, {"local.tee", Imm::kLocal},
      {"global.get", Imm::kGlobal}, {"global.set", Imm::kGlobal},
      {"table.get", Imm::kTable}, {"table.set", Imm::kTable}, {"table.size", Imm::kTable},
      {"table.grow", Imm::kTable}, {"table.fill", Imm::kTable}, {"table.copy", Imm::kTableCopy},
      {"table.init", Imm::kTableInit}, {"elem.drop", Imm::kElem}, {"data.drop", Imm::kData},
      {"memory.init", Imm::kMemoryInit}, {"memory.size", Imm::kMemZero}, {"memory.grow", Imm::kMemZero},
      {"memory.fill", Imm::kMemZero}, {"memory.copy", Imm::kMemoryCopy},
      {"i32.const", Imm::kI32}, {"i64.const", Imm::kI64}, {"f32.const", Imm::kF32}, {"f64.const", Imm::kF64},
      {"ref.null", Imm::kRefNull}, {"ref.func", Imm::kRefFunc}, {"select", Imm::kSelect}};
  if (auto it = kSpecial.find(name); it != kSpecial.end()) return it->second;
  if (!fc && natural_alignment(static_cast<uint8_t>(code)) >= 0) return Imm::kMemArg;
  return Imm::kNone;
}

const std::map<std::string_view, OpInfo>& op_table() {
  static const std::map<std::string_view, OpInfo> table = [] {
    std::map<std::string_view, OpInfo> m;
#define IPVM_X(name, code, text) m.emplace(text, OpInfo{false, code, immediate_of(text, false, code)});
    IPVM_WASM_OPCODES(IPVM_X)
#undef IPVM_X
#define IPVM_X(name, code, text) m.emplace(text, OpInfo{true, code, immediate_of(text, true, code)});
    IPVM_WASM_FC_OPCODES(IPVM_X)
#undef IPVM_X
    // Structure keywords are not instructions on their own.
    m.erase("else");
    m.erase("end");
    return m;
  }();
  return table;
}

template <class U>
void put_le(Bytes& out, U v) {
  for (size_t i = 0; i < sizeof(U); ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

}  // namespace

// Instructions up to ')' (or EOF), or the `end` / `else` that closes a plain block.
Status Parser::instrs(Bytes& out) {
  for (;;) {
    const WatToken& t = peek();
    if (t.kind == WatTok::kRParen || t.kind == WatTok::kEof) return {};
    if (is_kw(t, "end") || is_kw(t, "else")) return {};
    IPVM_TRY_STATUS(instr(out));
  }
}

Status Parser::instr(Bytes& out) {
  const WatToken& t = peek();
  if (t.kind == WatTok::kLParen) return folded(out);
  if (t.kind != WatTok::kKeyword) return unexpected(t);
  next();
  if (t.text == "block" || t.text == "loop" || t.text == "if") return plain_block(t, out);
  return plain(t, out);
}

Status Parser::end_label(const std::string& label) {
  if (peek().kind != WatTok::kId) return {};
  const WatToken& t = next();
  if (label.empty() || t.value != label)
    return err(t, fmt::format("mismatching label {} (the block is labelled '{}')", t.text, label));
  return {};
}

Result<uint32_t> Parser::label_ref() {
  const WatToken& t = peek();
  if (t.kind == WatTok::kId) {
    for (size_t i = labels_.size(); i-- > 0;) {
      if (labels_[i] == t.value) {
        next();
        return static_cast<uint32_t>(labels_.size() - 1 - i);
      }
    }
    return err(t, fmt::format("unknown label {}", t.text));
  }
  return u32();
}

Result<uint32_t> Parser::local_ref() {
  const WatToken& t = peek();
  if (t.kind == WatTok::kId) {
    auto it = locals_.find(t.value);
    if (it == locals_.end()) return err(t, fmt::format("unknown local {}", t.text));
    next();
    return it->second;
  }
  return u32();
}

[[gnu::noinline]] Status Parser::block_type(Bytes& out) {
  const WatToken& at = peek();
  IPVM_TRY(TypeUse tu, typeuse(false));
  if (!tu.index && tu.sig.params.empty() && tu.sig.results.size() <= 1) {
    out.push_back(tu.sig.results.empty() ? uint8_t{0x40} : tu.sig.results[0]);
    return {};
  }
  IPVM_TRY(uint32_t idx, resolve(tu, at));
  // A referenced type of the short form is written short, as wabt does (same meaning either way).
  if (idx < types_.size() && types_[idx].params.empty() && types_[idx].results.size() <= 1) {
    out.push_back(types_[idx].results.empty() ? uint8_t{0x40} : types_[idx].results[0]);
    return {};
  }
  put_s64(out, idx);
  return {};
}

Status Parser::memarg(Bytes& out, int natural) {
  uint64_t offset = 0;
  uint32_t align_log2 = static_cast<uint32_t>(natural);
  const WatToken* t = &peek();
  if (t->kind == WatTok::kKeyword && t->text.starts_with("offset=")) {
    WatNumber n = wat_parse_unsigned(t->text.substr(7), 32);
    if (!n.error.empty()) return err(*t, fmt::format("{} in '{}'", n.error, t->text));
    offset = n.bits;
    next();
    t = &peek();
  }
  if (t->kind == WatTok::kKeyword && t->text.starts_with("align=")) {
    WatNumber n = wat_parse_unsigned(t->text.substr(6), 32);
    if (!n.error.empty()) return err(*t, fmt::format("{} in '{}'", n.error, t->text));
    if (n.bits == 0 || !std::has_single_bit(n.bits)) return err(*t, fmt::format("alignment must be a power of two, got {}", t->text));
    align_log2 = static_cast<uint32_t>(std::countr_zero(n.bits));
    next();
  }
  put_u32(out, align_log2);
  put_u32(out, offset);
  return {};
}

// The recursive paths (folded -> instrs -> instr -> folded, block -> instrs -> instr -> block) go
// through small functions only: what a level keeps live on the stack stays a few hundred bytes.
Status Parser::folded(Bytes& out) {
  if (++depth_ > kMaxWatDepth) return err(peek(), fmt::format("instructions nested deeper than {}", kMaxWatDepth));
  IPVM_TRY_STATUS(expect(WatTok::kLParen));
  const WatToken& op = next();
  if (op.kind != WatTok::kKeyword) return unexpected(op);
  Status st = op.text == "block" || op.text == "loop" ? folded_block(op, out)
              : op.text == "if"                       ? folded_if(out)
                                                      : folded_plain(op, out);
  if (!st) return st;
  --depth_;
  return expect(WatTok::kRParen);
}

[[gnu::noinline]] Status Parser::folded_block(const WatToken& op, Bytes& out) {
  labels_.push_back(peek().kind == WatTok::kId ? next().value : std::string());
  out.push_back(op.text == "block" ? 0x02 : 0x03);
  IPVM_TRY_STATUS(block_type(out));
  IPVM_TRY_STATUS(instrs(out));
  labels_.pop_back();
  out.push_back(0x0b);
  return {};
}

[[gnu::noinline]] Status Parser::folded_if(Bytes& out) {
  std::string label = peek().kind == WatTok::kId ? next().value : std::string();
  Bytes bt;
  IPVM_TRY_STATUS(block_type(bt));
  while (peek().kind == WatTok::kLParen && !is_kw(peek(1), "then")) IPVM_TRY_STATUS(folded(out));
  out.push_back(0x04);
  put_bytes(out, bt);
  labels_.push_back(std::move(label));
  IPVM_TRY_STATUS(expect_lparen_kw("then"));
  IPVM_TRY_STATUS(instrs(out));
  IPVM_TRY_STATUS(expect(WatTok::kRParen));
  if (at_lparen_kw("else")) {
    next();
    next();
    Bytes els;
    IPVM_TRY_STATUS(instrs(els));
    IPVM_TRY_STATUS(expect(WatTok::kRParen));
    if (!els.empty()) out.push_back(0x05);  // an empty else is left out, as wabt does
    put_bytes(out, els);
  }
  labels_.pop_back();
  out.push_back(0x0b);
  return {};
}

[[gnu::noinline]] Status Parser::folded_plain(const WatToken& op, Bytes& out) {
  Bytes self;
  IPVM_TRY_STATUS(plain(op, self));
  while (peek().kind == WatTok::kLParen) IPVM_TRY_STATUS(folded(out));
  put_bytes(out, self);
  return {};
}

// A plain block / loop / if ... end.
[[gnu::noinline]] Status Parser::plain_block(const WatToken& op, Bytes& out) {
  if (++depth_ > kMaxWatDepth) return err(op, fmt::format("blocks nested deeper than {}", kMaxWatDepth));
  uint8_t code = op.text == "block" ? 0x02 : op.text == "loop" ? 0x03 : 0x04;
  labels_.push_back(peek().kind == WatTok::kId ? next().value : std::string());
  out.push_back(code);
  IPVM_TRY_STATUS(block_type(out));
  IPVM_TRY_STATUS(instrs(out));
  if (code == 0x04 && is_kw(peek(), "else")) {
    next();
    IPVM_TRY_STATUS(end_label(labels_.back()));
    Bytes els;
    IPVM_TRY_STATUS(instrs(els));
    if (!els.empty()) out.push_back(0x05);
    put_bytes(out, els);
  }
  IPVM_TRY_STATUS(expect_kw("end"));
  IPVM_TRY_STATUS(end_label(labels_.back()));
  labels_.pop_back();
  out.push_back(0x0b);
  --depth_;
  return {};
}

[[gnu::noinline]] Status Parser::plain(const WatToken& op, Bytes& out) {
  const auto& table = op_table();
  auto it = table.find(op.text);
  if (it == table.end()) {
    // A clause keyword where an instruction must be: a clause out of its order.
    for (std::string_view clause : {"type", "param", "result", "local", "then", "else", "item", "offset", "export", "import"})
      if (op.text == clause) return err(op, fmt::format("unexpected token '{}': this clause is out of order here", op.text));
    return err(op, fmt::format("unknown operator '{}'", op.text));
  }
  const OpInfo& info = it->second;
  if (info.imm == Imm::kBlock) return plain_block(op, out);
  if (info.imm == Imm::kSelect) {
    if (!at_lparen_kw("result")) {
      out.push_back(0x1b);
      return {};
    }
    std::vector<uint8_t> types;
    while (at_lparen_kw("result")) {
      next();
      next();
      while (peek().kind != WatTok::kRParen) {
        IPVM_TRY(uint8_t t, valtype());
        types.push_back(t);
      }
      next();
    }
    out.push_back(0x1c);
    put_u32(out, types.size());
    out.insert(out.end(), types.begin(), types.end());
    return {};
  }
  if (info.fc) {
    out.push_back(kPrefixFC);
    put_u32(out, info.code);
  } else {
    out.push_back(static_cast<uint8_t>(info.code));
  }
  switch (info.imm) {
    case Imm::kNone: return {};
    case Imm::kLabel: {
      IPVM_TRY(uint32_t l, label_ref());
      put_u32(out, l);
      return {};
    }
    case Imm::kBrTable: {
      std::vector<uint32_t> ls;
      while (at_index()) {
        IPVM_TRY(uint32_t l, label_ref());
        ls.push_back(l);
      }
      if (ls.empty() && peek().kind == WatTok::kAtom) return tl::unexpected(u32().error());  // says what is wrong with it
      if (ls.empty()) return err(peek(), fmt::format("unexpected token '{}', expected a label", peek().text));
      put_u32(out, ls.size() - 1);
      for (uint32_t l : ls) put_u32(out, l);
      return {};
    }
    case Imm::kCall: {
      IPVM_TRY(uint32_t f, index(Space::kFunc));
      put_u32(out, f);
      return {};
    }
    case Imm::kCallIndirect: {
      uint32_t tab = 0;
      if (at_index()) {
        IPVM_TRY(uint32_t x, index(Space::kTable));
        tab = x;
      }
      const WatToken& at = peek();
      IPVM_TRY(TypeUse tu, typeuse(false));
      IPVM_TRY(uint32_t ti, resolve(tu, at));
      put_u32(out, ti);
      put_u32(out, tab);
      return {};
    }
    case Imm::kLocal: {
      IPVM_TRY(uint32_t x, local_ref());
      put_u32(out, x);
      return {};
    }
    case Imm::kGlobal: {
      IPVM_TRY(uint32_t x, index(Space::kGlobal));
      put_u32(out, x);
      return {};
    }
    case Imm::kTable: {
      uint32_t tab = 0;
      if (at_index()) {
        IPVM_TRY(uint32_t x, index(Space::kTable));
        tab = x;
      }
      put_u32(out, tab);
      return {};
    }
    case Imm::kTableCopy: {
      uint32_t dst = 0, src = 0;
      if (at_index()) {
        IPVM_TRY(uint32_t x, index(Space::kTable));
        IPVM_TRY(uint32_t y, index(Space::kTable));
        dst = x;
        src = y;
      }
      put_u32(out, dst);
      put_u32(out, src);
      return {};
    }
    case Imm::kTableInit: {
      uint32_t tab = 0;
      if (at_index(0) && at_index(1)) {  // table.init $table $elem; one index is the element segment
        IPVM_TRY(uint32_t x, index(Space::kTable));
        tab = x;
      }
      IPVM_TRY(uint32_t e, index(Space::kElem));
      put_u32(out, e);
      put_u32(out, tab);
      return {};
    }
    case Imm::kElem: {
      IPVM_TRY(uint32_t e, index(Space::kElem));
      put_u32(out, e);
      return {};
    }
    case Imm::kData: {
      IPVM_TRY(uint32_t d, index(Space::kData));
      put_u32(out, d);
      uses_data_count_ = true;
      return {};
    }
    case Imm::kMemoryInit: {
      IPVM_TRY(uint32_t d, index(Space::kData));
      put_u32(out, d);
      out.push_back(0x00);
      uses_data_count_ = true;
      return {};
    }
    case Imm::kMemZero: out.push_back(0x00); return {};
    case Imm::kMemoryCopy: out.push_back(0x00); out.push_back(0x00); return {};
    case Imm::kMemArg: return memarg(out, natural_alignment(static_cast<uint8_t>(info.code)));
    case Imm::kI32:
    case Imm::kI64:
    case Imm::kF32:
    case Imm::kF64: {
      const WatToken& t = peek();
      if (t.kind != WatTok::kAtom && t.kind != WatTok::kKeyword)
        return err(t, fmt::format("unexpected token '{}', expected a number", t.text));
      WatNumber n = info.imm == Imm::kI32   ? wat_parse_int(t.text, 32)
                    : info.imm == Imm::kI64 ? wat_parse_int(t.text, 64)
                    : info.imm == Imm::kF32 ? wat_parse_f32(t.text)
                                            : wat_parse_f64(t.text);
      if (n.error == "unexpected token" && t.kind == WatTok::kKeyword)
        return err(t, fmt::format("unexpected token '{}', expected a number", t.text));
      if (n.error == "unexpected token")  // the reference interpreter's wording for a bad literal
        return err(t, fmt::format("unknown operator: '{}' is not a valid {} literal", t.text, op.text.substr(0, 3)));
      if (!n.error.empty()) return err(t, fmt::format("{}: '{}'", n.error, t.text));
      next();
      if (info.imm == Imm::kI32) put_s32(out, static_cast<int32_t>(static_cast<uint32_t>(n.bits)));
      else if (info.imm == Imm::kI64) put_s64(out, static_cast<int64_t>(n.bits));
      else if (info.imm == Imm::kF32) put_le(out, static_cast<uint32_t>(n.bits));
      else put_le(out, n.bits);
      return {};
    }
    case Imm::kRefNull: {
      IPVM_TRY(uint8_t h, heaptype());
      out.push_back(h);
      return {};
    }
    case Imm::kRefFunc: {
      IPVM_TRY(uint32_t f, index(Space::kFunc));
      put_u32(out, f);
      return {};
    }
    case Imm::kSelect:
    case Imm::kBlock: break;
  }
  return {};
}

}  // namespace ipvm::wasm::wat
