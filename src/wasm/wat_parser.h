// The WebAssembly text format (WAT) compiled to the binary format: the parser's internals, shared by
// wat_module.cpp (module fields, sections) and wat_instr.cpp (instructions). Users call
// wat_to_wasm (wat.h).
//
// Two passes over the token list: the first (scan) binds every module-level identifier to its index
// (order of appearance, imports first as the grammar requires) and reads the explicit type
// definitions; the second encodes each field into its section, resolving identifiers, labels and
// locals, and appending implicit function types (from typeuses without a matching explicit type) in
// order of appearance. Nesting of blocks and folded instructions is bounded (kMaxWatDepth) so
// hostile input cannot exhaust the stack.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "wasm/wat_lexer.h"

namespace ipvm::wasm::wat {

inline constexpr size_t kMaxWatDepth = 1000;

struct FuncSig {
  std::vector<uint8_t> params, results;  // value type bytes
  bool operator==(const FuncSig&) const = default;
};

enum class Space : uint8_t { kType, kFunc, kTable, kMemory, kGlobal, kElem, kData, kCount };

struct IndexSpace {
  std::map<std::string, uint32_t, std::less<>> ids;
  uint32_t count = 0;
};

// A parsed `typeuse`: (type x)? (param ...)* (result ...)*.
struct TypeUse {
  std::optional<uint32_t> index;
  bool has_inline = false;
  FuncSig sig;
  std::vector<std::string> param_names;  // "" for unnamed; only filled when names are allowed
};

// Binary writers.
void put_u32(Bytes& out, uint64_t v);
void put_s32(Bytes& out, int32_t v);
void put_s64(Bytes& out, int64_t v);
void put_name(Bytes& out, std::string_view s);
void put_bytes(Bytes& out, const Bytes& b);

class Parser {
 public:
  explicit Parser(const std::vector<WatToken>& tokens) : t_(tokens) {}
  Result<Bytes> module();

 private:
  // ----- tokens
  const WatToken& peek(size_t ahead = 0) const {
    size_t i = pos_ + ahead;
    return i < t_.size() ? t_[i] : t_.back();
  }
  const WatToken& next() {
    const WatToken& t = peek();
    if (pos_ < t_.size() - 1) ++pos_;
    return t;
  }
  bool is_kw(const WatToken& t, std::string_view kw) const { return t.kind == WatTok::kKeyword && t.text == kw; }
  bool at_lparen_kw(std::string_view kw) const { return peek().kind == WatTok::kLParen && is_kw(peek(1), kw); }
  bool at_index(size_t ahead = 0) const;  // an $id or an unsigned number
  tl::unexpected<Error> err(const WatToken& t, std::string_view what) const;
  tl::unexpected<Error> unexpected(const WatToken& t) const;
  Status expect(WatTok kind);
  Status expect_kw(std::string_view kw);
  Status expect_lparen_kw(std::string_view kw);
  Status skip_sexpr();  // from '(' to its matching ')'

  // ----- values
  Result<std::string> string_token();
  Result<std::string> name();  // a string that must be valid UTF-8
  Result<uint32_t> u32();
  Result<uint8_t> keyword_byte(std::initializer_list<std::pair<std::string_view, uint8_t>> choices, std::string_view what);
  Result<uint8_t> valtype();
  Result<uint8_t> reftype();
  Result<uint8_t> heaptype();
  Status limits(Bytes& out);
  Result<uint32_t> index(Space s);
  std::optional<std::string> opt_id();
  Status bind(Space s, const WatToken& id_token, std::string_view id, uint32_t index);

  // ----- types
  Result<FuncSig> functype_def(std::vector<std::string>* names);
  Status params_results(TypeUse& tu, bool names_allowed);
  Result<TypeUse> typeuse(bool names_allowed);
  Result<uint32_t> resolve(const TypeUse& tu, const WatToken& at);
  uint32_t type_index_for(const FuncSig& sig);

  // ----- module
  Status scan();
  Status field();
  Status inline_exports(Space s, uint8_t kind, uint32_t idx);
  Status import_field();
  Status func_field();
  Status table_field();
  Status memory_field();
  Status global_field();
  Status export_field();
  Status start_field();
  Status elem_field();
  Status data_field();
  Status skip_rest_of_type();
  Status inline_import_names(Bytes& out);
  Status globaltype(Bytes& out);
  Status offset_expr(Bytes& out);
  Status func_body(const TypeUse& tu, uint32_t type_index);

  enum class ElemMode : uint8_t { kActive, kPassive, kDeclarative };
  struct ElemList {
    uint8_t type = 0x70;
    std::vector<Bytes> exprs;     // each ends with 0x0b
    std::vector<uint32_t> funcs;  // function indices of the exprs that are a lone ref.func
  };
  Status elem_items(ElemList& list, bool indices);
  void write_elem(ElemMode mode, uint32_t table, const Bytes& offset, const ElemList& list);
  void write_data(bool active, uint32_t memory, const Bytes& offset, const Bytes& data);

  // ----- instructions (wat_instr.cpp)
  Status instrs(Bytes& out);      // until ')' or a block keyword (end / else)
  Status instr(Bytes& out);       // one plain or folded instruction
  Status folded(Bytes& out);      // at '('
  Status folded_block(const WatToken& op, Bytes& out);
  Status folded_if(Bytes& out);
  Status folded_plain(const WatToken& op, Bytes& out);
  Status plain_block(const WatToken& op, Bytes& out);  // block / loop / if ... end
  Status plain(const WatToken& op, Bytes& out);  // op consumed; reads its immediates
  Status block_type(Bytes& out);
  Status end_label(const std::string& label);
  Result<uint32_t> label_ref();
  Status memarg(Bytes& out, int natural);
  Result<uint32_t> local_ref();

  const std::vector<WatToken>& t_;
  size_t pos_ = 0;
  size_t depth_ = 0;

  std::vector<FuncSig> types_;
  IndexSpace spaces_[static_cast<size_t>(Space::kCount)];
  uint32_t next_[static_cast<size_t>(Space::kCount)] = {};  // pass 2 counters
  std::vector<size_t> fields_;                               // token index of each field's '('
  std::vector<uint32_t> def_types_;                          // type index of each defined func
  uint32_t n_imports_ = 0, n_tables_ = 0, n_mems_ = 0, n_globals_ = 0, n_exports_ = 0, n_elems_ = 0,
           n_datas_ = 0;
  Bytes imports_, tables_, mems_, globals_, exports_, elems_, code_, datas_;
  std::optional<uint32_t> start_;
  bool uses_data_count_ = false;

  // per function
  std::map<std::string, uint32_t, std::less<>> locals_;
  uint32_t n_locals_ = 0;
  std::vector<std::string> labels_;
};

}  // namespace ipvm::wasm::wat
