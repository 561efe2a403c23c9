#include "wasm/decoder.h"

#include <algorithm>
#include <cstring>

#include "wasm/leb128.h"
#include "wasm/opcodes.h"

namespace ipvm::wasm {
namespace {

enum SectionId : uint8_t {
  kCustomSection = 0,
  kTypeSection = 1,
  kImportSection = 2,
  kFunctionSection = 3,
  kTableSection = 4,
  kMemorySection = 5,
  kGlobalSection = 6,
  kExportSection = 7,
  kStartSection = 8,
  kElementSection = 9,
  kCodeSection = 10,
  kDataSection = 11,
  kDataCountSection = 12,
};

// Non-custom sections appear in this order, each at most once; data count sits before code.
int section_rank(uint8_t id) {
  switch (id) {
    case kDataCountSection: return 10;
    case kCodeSection: return 11;
    case kDataSection: return 12;
    default: return id;
  }
}

bool is_const_opcode(uint8_t op) {
  switch (op) {
    case 0x41: case 0x42: case 0x43: case 0x44: case 0xd0: case 0xd2: case 0x23: return true;
    default: return false;
  }
}

// Every decode step returns false after recording the error (first error wins), so callers just
// propagate false.
class Decoder {
 public:
  Result<Module> run(ByteView binary);

 private:
  bool from(const Reader& r) {
    if (!failed_) {
      failed_ = true;
      error_ = r.error();
    }
    return false;
  }
  bool malformed(Reader& r, size_t offset, std::string message) {
    r.fail_at(offset, std::move(message));
    return from(r);
  }
  bool invalid(Reader& r, size_t offset, std::string message) { return reject(r, offset, std::move(message), "invalid"); }
  bool unsupported(Reader& r, size_t offset, std::string message) {
    return reject(r, offset, std::move(message), "unsupported");
  }
  bool reject(Reader& r, size_t offset, std::string message, const char* kind) {
    if (!failed_) {
      failed_ = true;
      error_ = Error{kind, fmt::format("{} at offset {}", message, offset)};
    }
    r.fail_at(offset, "invalid");  // stops the reader; error_ already holds the real error
    return false;
  }
  // A vector length: every element of the vectors decoded here takes at least one byte, so a count
  // above the bytes left is malformed and must not drive an allocation.
  bool read_count(Reader& r, uint32_t& n) {
    if (!r.read_u32(n)) return from(r);
    if (n > r.remaining()) return malformed(r, r.offset(), "unexpected end of section or function");
    return true;
  }

  bool section(uint8_t id, Reader& s);
  bool type_section(Reader& s);
  bool import_section(Reader& s);
  bool function_section(Reader& s);
  bool table_section(Reader& s);
  bool memory_section(Reader& s);
  bool global_section(Reader& s);
  bool export_section(Reader& s);
  bool element_section(Reader& s);
  bool code_section(Reader& s);
  bool data_section(Reader& s);
  void name_section(Reader s);

  bool val_type(Reader& s, ValType& t) { return read_val_type(s, t) || from(s); }
  bool ref_type(Reader& s, ValType& t) { return read_ref_type(s, t) || from(s); }
  bool limits(Reader& s, Limits& l);
  bool table_type(Reader& s, TableType& t) { return ref_type(s, t.elem) && limits(s, t.limits); }
  bool global_type(Reader& s, GlobalType& g);
  bool const_expr(Reader& s, ConstExpr& e);

  Module m_;
  bool failed_ = false;
  Error error_;
  bool saw_code_ = false;
  bool saw_data_ = false;
};

Result<Module> Decoder::run(ByteView binary) {
  m_.bytes.assign(binary.begin(), binary.end());
  Reader r{ByteView(m_.bytes)};
  static constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6d};
  static constexpr uint8_t kVersion[4] = {0x01, 0x00, 0x00, 0x00};
  if (m_.bytes.size() < 4 || std::memcmp(m_.bytes.data(), kMagic, 4) != 0) {
    bool truncated = m_.bytes.size() < 4 && std::equal(m_.bytes.begin(), m_.bytes.end(), kMagic);
    malformed(r, 0, truncated ? "unexpected end" : "magic header not detected");
    return tl::unexpected(error_);
  }
  r.skip(4);
  if (m_.bytes.size() < 8) {
    malformed(r, 4, "unexpected end");
    return tl::unexpected(error_);
  }
  if (std::memcmp(m_.bytes.data() + 4, kVersion, 4) != 0) {
    malformed(r, 4, "unknown binary version");
    return tl::unexpected(error_);
  }
  r.skip(4);

  int last_rank = 0;
  while (!r.at_end()) {
    size_t start = r.offset();
    uint8_t id = 0;
    uint32_t size = 0;
    if (!r.read_u8(id)) return tl::unexpected(r.error());
    if (id > kDataCountSection) {
      malformed(r, start, fmt::format("malformed section id {}", id));
      return tl::unexpected(error_);
    }
    if (!r.read_u32(size)) return tl::unexpected(r.error());
    if (size > r.remaining()) {
      malformed(r, start, "length out of bounds: section size exceeds the module");
      return tl::unexpected(error_);
    }
    Reader s;
    r.sub_reader(size, s);
    if (id != kCustomSection) {
      int rank = section_rank(id);
      if (rank <= last_rank) {
        malformed(r, start, "unexpected content after last section (section out of order or repeated)");
        return tl::unexpected(error_);
      }
      last_rank = rank;
    }
    if (!section(id, s)) return tl::unexpected(error_);
    if (!s.at_end()) {
      malformed(s, s.offset(), "section size mismatch");
      return tl::unexpected(error_);
    }
  }
  if (!saw_code_ && !m_.functions.empty()) {
    malformed(r, r.offset(), "function and code section have inconsistent lengths");
    return tl::unexpected(error_);
  }
  if (m_.data_count && !saw_data_ && *m_.data_count != 0) {
    malformed(r, r.offset(), "data count and data section have inconsistent lengths");
    return tl::unexpected(error_);
  }
  return std::move(m_);
}

bool Decoder::section(uint8_t id, Reader& s) {
  switch (id) {
    case kCustomSection: {
      std::string_view name;
      if (!s.read_name(name)) return from(s);
      if (name == "name") name_section(s);
      s.skip(s.remaining());  // contents of custom sections carry no meaning for execution
      return true;
    }
    case kTypeSection: return type_section(s);
    case kImportSection: return import_section(s);
    case kFunctionSection: return function_section(s);
    case kTableSection: return table_section(s);
    case kMemorySection: return memory_section(s);
    case kGlobalSection: return global_section(s);
    case kExportSection: return export_section(s);
    case kStartSection: {
      uint32_t index = 0;
      if (!s.read_u32(index)) return from(s);
      m_.start = index;
      return true;
    }
    case kElementSection: return element_section(s);
    case kCodeSection: return code_section(s);
    case kDataSection: return data_section(s);
    case kDataCountSection: {
      uint32_t count = 0;
      if (!s.read_u32(count)) return from(s);
      m_.data_count = count;
      return true;
    }
  }
  return malformed(s, s.offset(), "malformed section id");
}

bool Decoder::type_section(Reader& s) {
  uint32_t n = 0;
  if (!read_count(s, n)) return false;
  m_.types.resize(n);
  for (FuncType& ft : m_.types) {
    size_t at = s.offset();
    uint8_t form = 0;
    if (!s.read_u8(form)) return from(s);
    if (form & 0x80) return malformed(s, at, "integer representation too long (function type form)");
    if (form != 0x60) return malformed(s, at, "malformed function type (expected 0x60)");
    for (auto* list : {&ft.params, &ft.results}) {
      uint32_t count = 0;
      if (!read_count(s, count)) return false;
      if (count > kMaxFunctionParams) {
        return malformed(s, at, fmt::format("too many {} in a function type (limit {})",
                                            list == &ft.params ? "parameters" : "results",
                                            kMaxFunctionParams));
      }
      list->resize(count);
      for (ValType& t : *list) {
        if (!val_type(s, t)) return false;
      }
    }
  }
  return true;
}

bool Decoder::limits(Reader& s, Limits& l) {
  size_t at = s.offset();
  uint8_t flags = 0;
  if (!s.read_u8(flags)) return from(s);
  // The flags are a one-bit LEB128: a continuation bit makes it too long, other bits too large.
  if (flags & 0x80) return malformed(s, at, "integer representation too long (limits flags)");
  if (flags > 1) return malformed(s, at, "integer too large (limits flags)");
  if (!s.read_u32(l.min)) return from(s);
  if (flags == 1) {
    uint32_t max = 0;
    if (!s.read_u32(max)) return from(s);
    l.max = max;
  }
  return true;
}

bool Decoder::global_type(Reader& s, GlobalType& g) {
  if (!val_type(s, g.type)) return false;
  size_t at = s.offset();
  uint8_t mut = 0;
  if (!s.read_u8(mut)) return from(s);
  if (mut > 1) return malformed(s, at, "malformed mutability");
  g.mutable_ = mut == 1;
  return true;
}

bool Decoder::import_section(Reader& s) {
  uint32_t n = 0;
  if (!read_count(s, n)) return false;
  m_.imports.resize(n);
  for (Import& imp : m_.imports) {
    std::string_view module, name;
    if (!s.read_name(module) || !s.read_name(name)) return from(s);
    imp.module = module;
    imp.name = name;
    size_t at = s.offset();
    uint8_t kind = 0;
    if (!s.read_u8(kind)) return from(s);
    switch (kind) {
      case 0:
        imp.kind = ExternKind::kFunc;
        if (!s.read_u32(imp.func_type)) return from(s);
        m_.imported_func_types.push_back(imp.func_type);
        ++m_.num_imported_funcs;
        break;
      case 1:
        imp.kind = ExternKind::kTable;
        if (!table_type(s, imp.table)) return false;
        ++m_.num_imported_tables;
        break;
      case 2:
        imp.kind = ExternKind::kMemory;
        if (!limits(s, imp.memory.limits)) return false;
        ++m_.num_imported_memories;
        break;
      case 3:
        imp.kind = ExternKind::kGlobal;
        if (!global_type(s, imp.global)) return false;
        m_.imported_global_types.push_back(imp.global);
        ++m_.num_imported_globals;
        break;
      default:
        return malformed(s, at, "malformed import kind");
    }
  }
  return true;
}

bool Decoder::function_section(Reader& s) {
  uint32_t n = 0;
  if (!read_count(s, n)) return false;
  m_.functions.resize(n);
  for (Function& f : m_.functions) {
    if (!s.read_u32(f.type)) return from(s);
  }
  return true;
}

bool Decoder::table_section(Reader& s) {
  uint32_t n = 0;
  if (!read_count(s, n)) return false;
  m_.tables.resize(n);
  for (TableType& t : m_.tables) {
    if (!table_type(s, t)) return false;
  }
  return true;
}

bool Decoder::memory_section(Reader& s) {
  uint32_t n = 0;
  if (!read_count(s, n)) return false;
  m_.memories.resize(n);
  for (MemoryType& mem : m_.memories) {
    if (!limits(s, mem.limits)) return false;
  }
  return true;
}

bool Decoder::global_section(Reader& s) {
  uint32_t n = 0;
  if (!read_count(s, n)) return false;
  m_.globals.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    Global g;
    if (!global_type(s, g.type) || !const_expr(s, g.init)) return false;
    m_.globals.push_back(g);
  }
  return true;
}

bool Decoder::export_section(Reader& s) {
  uint32_t n = 0;
  if (!read_count(s, n)) return false;
  m_.exports.resize(n);
  for (Export& e : m_.exports) {
    std::string_view name;
    if (!s.read_name(name)) return from(s);
    e.name = name;
    size_t at = s.offset();
    uint8_t kind = 0;
    if (!s.read_u8(kind)) return from(s);
    if (kind > 3) return malformed(s, at, "malformed export kind");
    e.kind = static_cast<ExternKind>(kind);
    if (!s.read_u32(e.index)) return from(s);
  }
  return true;
}

bool Decoder::const_expr(Reader& s, ConstExpr& e) {
  size_t at = s.offset();
  uint8_t op = 0;
  if (!s.read_u8(op)) return from(s);
  switch (op) {
    case 0x41: {
      int32_t v = 0;
      if (!s.read_s32(v)) return from(s);
      e = {ConstExpr::Op::kI32Const, static_cast<uint32_t>(v), 0, ValType::kI32};
      break;
    }
    case 0x42: {
      int64_t v = 0;
      if (!s.read_s64(v)) return from(s);
      e = {ConstExpr::Op::kI64Const, static_cast<uint64_t>(v), 0, ValType::kI64};
      break;
    }
    case 0x43: {
      uint32_t v = 0;
      if (!s.read_f32_bits(v)) return from(s);
      e = {ConstExpr::Op::kF32Const, v, 0, ValType::kF32};
      break;
    }
    case 0x44: {
      uint64_t v = 0;
      if (!s.read_f64_bits(v)) return from(s);
      e = {ConstExpr::Op::kF64Const, v, 0, ValType::kF64};
      break;
    }
    case 0xd0: {
      ValType t = ValType::kI32;
      if (!ref_type(s, t)) return false;
      e = {ConstExpr::Op::kRefNull, 0, 0, t};
      break;
    }
    case 0xd2: {
      uint32_t index = 0;
      if (!s.read_u32(index)) return from(s);
      e = {ConstExpr::Op::kRefFunc, 0, index, ValType::kFuncRef};
      break;
    }
    case 0x23: {
      uint32_t index = 0;
      if (!s.read_u32(index)) return from(s);
      // The type is known once the index is; the validator rejects unknown globals.
      ValType t = ValType::kI32;
      if (index < m_.num_imported_globals) {
        t = m_.imported_global_types[index].type;
      } else if (index - m_.num_imported_globals < m_.globals.size()) {
        t = m_.globals[index - m_.num_imported_globals].type.type;
      }
      e = {ConstExpr::Op::kGlobalGet, 0, index, t};
      break;
    }
    case 0x0b:
      return invalid(s, at, "type mismatch: empty constant expression");
    case kPrefixSimd:
      return unsupported(s, at, "SIMD not supported yet (v128 constant)");
    default:
      if (op != kPrefixFC && opcode_name(op) == nullptr) {
        return malformed(s, at, fmt::format("illegal opcode 0x{:02x}", op));
      }
      return invalid(s, at, "constant expression required");
  }
  size_t end_at = s.offset();
  uint8_t end = 0;
  if (!s.read_u8(end)) return from(s);
  if (end != 0x0b) {
    if (is_const_opcode(end)) return invalid(s, end_at, "type mismatch: constant expression leaves more than one value");
    return invalid(s, end_at, "constant expression required");
  }
  return true;
}

bool Decoder::element_section(Reader& s) {
  uint32_t n = 0;
  if (!read_count(s, n)) return false;
  m_.elems.resize(n);
  for (ElemSegment& seg : m_.elems) {
    size_t at = s.offset();
    uint32_t flags = 0;
    if (!s.read_u32(flags)) return from(s);
    if (flags > 7) return malformed(s, at, "malformed elements segment kind");
    if ((flags & 1) == 0) {
      seg.mode = ElemSegment::Mode::kActive;
      if (flags & 2) {
        if (!s.read_u32(seg.table)) return from(s);
      }
      if (!const_expr(s, seg.offset)) return false;
    } else {
      seg.mode = (flags & 2) ? ElemSegment::Mode::kDeclarative : ElemSegment::Mode::kPassive;
    }
    seg.type = ValType::kFuncRef;
    bool explicit_type = (flags & 3) != 0;
    if (flags & 4) {
      if (explicit_type && !ref_type(s, seg.type)) return false;
      uint32_t count = 0;
      if (!read_count(s, count)) return false;
      seg.items.resize(count);
      for (ConstExpr& item : seg.items) {
        if (!const_expr(s, item)) return false;
      }
    } else {
      if (explicit_type) {
        size_t kind_at = s.offset();
        uint8_t kind = 0;
        if (!s.read_u8(kind)) return from(s);
        if (kind != 0) return malformed(s, kind_at, "malformed element kind");
      }
      uint32_t count = 0;
      if (!read_count(s, count)) return false;
      seg.items.resize(count);
      for (ConstExpr& item : seg.items) {
        uint32_t index = 0;
        if (!s.read_u32(index)) return from(s);
        item = {ConstExpr::Op::kRefFunc, 0, index, ValType::kFuncRef};
      }
    }
  }
  return true;
}

bool Decoder::code_section(Reader& s) {
  saw_code_ = true;
  size_t at = s.offset();
  uint32_t n = 0;
  if (!s.read_u32(n)) return from(s);
  if (n != m_.functions.size()) {
    return malformed(s, at, "function and code section have inconsistent lengths");
  }
  for (uint32_t i = 0; i < n; ++i) {
    Function& f = m_.functions[i];
    uint32_t size = 0;
    if (!s.read_u32(size)) return from(s);
    Reader body;
    if (!s.sub_reader(size, body)) return from(s);
    uint32_t groups = 0;
    if (!read_count(body, groups)) return false;
    // First pass sums the counts so that a hostile 2^32-local declaration never allocates.
    Reader scan = body;
    uint64_t total = 0;
    for (uint32_t g = 0; g < groups; ++g) {
      uint32_t count = 0;
      ValType t = ValType::kI32;
      if (!scan.read_u32(count)) return from(scan);
      if (!read_val_type(scan, t)) return from(scan);
      total += count;
      if (total > kMaxLocals) {
        return malformed(body, body.offset(),
                         fmt::format("too many locals in function {} (limit {})",
                                     m_.num_imported_funcs + i, kMaxLocals));
      }
    }
    f.locals.reserve(static_cast<size_t>(total));
    for (uint32_t g = 0; g < groups; ++g) {
      uint32_t count = 0;
      ValType t = ValType::kI32;
      body.read_u32(count);
      read_val_type(body, t);
      f.locals.insert(f.locals.end(), count, t);
    }
    f.body_offset = static_cast<uint32_t>(body.offset());
    f.body_size = static_cast<uint32_t>(body.remaining());
  }
  return true;
}

bool Decoder::data_section(Reader& s) {
  saw_data_ = true;
  size_t at = s.offset();
  uint32_t n = 0;
  if (!read_count(s, n)) return false;
  if (m_.data_count && *m_.data_count != n) {
    return malformed(s, at, "data count and data section have inconsistent lengths");
  }
  m_.datas.resize(n);
  for (DataSegment& seg : m_.datas) {
    size_t seg_at = s.offset();
    uint32_t flags = 0;
    if (!s.read_u32(flags)) return from(s);
    switch (flags) {
      case 0:
        seg.mode = DataSegment::Mode::kActive;
        if (!const_expr(s, seg.offset)) return false;
        break;
      case 1:
        seg.mode = DataSegment::Mode::kPassive;
        break;
      case 2:
        seg.mode = DataSegment::Mode::kActive;
        if (!s.read_u32(seg.memory) || !const_expr(s, seg.offset)) return from(s);
        break;
      default:
        return malformed(s, seg_at, "malformed data segment kind");
    }
    uint32_t size = 0;
    if (!s.read_u32(size)) return from(s);
    seg.offset_in_module = static_cast<uint32_t>(s.offset());
    seg.size = size;
    if (!s.skip(size)) return from(s);
  }
  return true;
}

// The "name" section is debug information: a broken one is ignored, as the spec asks.
void Decoder::name_section(Reader s) {
  while (!s.at_end()) {
    uint8_t id = 0;
    uint32_t size = 0;
    Reader sub;
    if (!s.read_u8(id) || !s.read_u32(size) || !s.sub_reader(size, sub)) return;
    if (id != 1) continue;  // 1 = function names
    uint32_t n = 0;
    if (!sub.read_u32(n) || n > sub.remaining()) return;
    std::vector<std::pair<uint32_t, std::string>> names;
    names.reserve(n);
    for (uint32_t i = 0; i < n; ++i) {
      uint32_t index = 0;
      std::string_view name;
      if (!sub.read_u32(index) || !sub.read_name(name)) return;
      names.emplace_back(index, std::string(name));
    }
    m_.function_names = std::move(names);
    return;
  }
}

}  // namespace

Result<Module> decode_module(ByteView binary) { return Decoder().run(binary); }

}  // namespace ipvm::wasm
