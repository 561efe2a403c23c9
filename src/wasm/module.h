// The decoded form of a WebAssembly 2.0 module: the contract between loader (decoder.h),
// validator (validator.h) and compiler/instantiation.
//
// Index spaces (functions, tables, memories, globals) put imports first, then definitions, as the
// spec does. Function bodies are not decoded here: a Function keeps the byte range of its
// instruction sequence inside Module::bytes, so the validator and compiler each walk it once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"

namespace ipvm::wasm {

enum class ValType : uint8_t {
  kI32 = 0x7f,
  kI64 = 0x7e,
  kF32 = 0x7d,
  kF64 = 0x7c,
  kV128 = 0x7b,  // SIMD: decoded as a type so the design has room; not yet executed
  kFuncRef = 0x70,
  kExternRef = 0x6f,
};
const char* valtype_name(ValType t);
inline bool is_reftype(ValType t) { return t == ValType::kFuncRef || t == ValType::kExternRef; }

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  friend bool operator==(const FuncType&, const FuncType&) = default;
};

struct Limits {
  uint32_t min = 0;
  std::optional<uint32_t> max;
};
struct TableType {
  ValType elem = ValType::kFuncRef;
  Limits limits;
};
struct MemoryType {
  Limits limits;  // in 64 KiB pages
};
struct GlobalType {
  ValType type = ValType::kI32;
  bool mutable_ = false;
};

enum class ExternKind : uint8_t { kFunc = 0, kTable = 1, kMemory = 2, kGlobal = 3 };
const char* extern_kind_name(ExternKind k);

struct Import {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::kFunc;
  uint32_t func_type = 0;  // kFunc: type index
  TableType table;         // kTable
  MemoryType memory;       // kMemory
  GlobalType global;       // kGlobal
};

struct Export {
  std::string name;
  ExternKind kind = ExternKind::kFunc;
  uint32_t index = 0;
};

// A WebAssembly 2.0 constant expression is one instruction followed by `end`.
struct ConstExpr {
  enum class Op : uint8_t { kI32Const, kI64Const, kF32Const, kF64Const, kRefNull, kRefFunc, kGlobalGet };
  Op op = Op::kI32Const;
  uint64_t bits = 0;             // the constant's bit pattern for the *Const ops
  uint32_t index = 0;            // function (ref.func) or global (global.get) index
  ValType type = ValType::kI32;  // the expression's result type (ref.null: the reference type)
};

struct Global {
  GlobalType type;
  ConstExpr init;
};

struct ElemSegment {
  enum class Mode : uint8_t { kPassive, kActive, kDeclarative };
  Mode mode = Mode::kActive;
  ValType type = ValType::kFuncRef;
  uint32_t table = 0;
  ConstExpr offset;              // kActive only
  std::vector<ConstExpr> items;  // ref.func i, ref.null t or global.get
};

struct DataSegment {
  enum class Mode : uint8_t { kPassive, kActive };
  Mode mode = Mode::kActive;
  uint32_t memory = 0;
  ConstExpr offset;  // kActive only
  uint32_t offset_in_module = 0;  // bytes live in Module::bytes
  uint32_t size = 0;
};

struct Function {
  uint32_t type = 0;             // type index
  std::vector<ValType> locals;   // declared locals, expanded (params not included)
  uint32_t body_offset = 0;      // first instruction, in Module::bytes
  uint32_t body_size = 0;        // up to and including the final `end`
};

// Limits the decoder enforces so that hostile modules cannot exhaust the host.
inline constexpr uint32_t kMaxLocals = 50000;
inline constexpr uint32_t kMaxPages = 65536;
inline constexpr uint32_t kMaxFunctionParams = 1000;
// Validation rejects function bodies whose operand stack or block nesting grows beyond these, so a
// compiler may size its frames with them (hostile bodies could otherwise push ~500 values per byte).
inline constexpr uint32_t kMaxOperandStack = 65536;
inline constexpr uint32_t kMaxControlDepth = 65536;

struct Module {
  Bytes bytes;  // the binary this module was decoded from
  std::vector<FuncType> types;
  std::vector<Import> imports;
  std::vector<Function> functions;  // defined functions (code + type), in index order after imports
  std::vector<TableType> tables;    // defined tables
  std::vector<MemoryType> memories; // defined memories
  std::vector<Global> globals;      // defined globals
  std::vector<Export> exports;
  std::optional<uint32_t> start;
  std::vector<ElemSegment> elems;
  std::vector<DataSegment> datas;
  std::optional<uint32_t> data_count;
  std::vector<std::pair<uint32_t, std::string>> function_names;  // from the "name" custom section

  uint32_t num_imported_funcs = 0;
  uint32_t num_imported_tables = 0;
  uint32_t num_imported_memories = 0;
  uint32_t num_imported_globals = 0;
  // Filled by the decoder so index lookups are O(1); when empty (hand-built modules) the accessors
  // scan `imports` instead.
  std::vector<uint32_t> imported_func_types;      // type index of each imported function
  std::vector<GlobalType> imported_global_types;  // type of each imported global

  uint32_t total_funcs() const { return num_imported_funcs + static_cast<uint32_t>(functions.size()); }
  uint32_t total_tables() const { return num_imported_tables + static_cast<uint32_t>(tables.size()); }
  uint32_t total_memories() const { return num_imported_memories + static_cast<uint32_t>(memories.size()); }
  uint32_t total_globals() const { return num_imported_globals + static_cast<uint32_t>(globals.size()); }

  // Type of function `index` in the function index space (imports first). Precondition: in range.
  const FuncType& func_type(uint32_t index) const;
  TableType table_type(uint32_t index) const;
  MemoryType memory_type(uint32_t index) const;
  GlobalType global_type(uint32_t index) const;
  // Debug name of a function for trap messages: the name section's, else an export's, else "func[N]".
  std::string function_name(uint32_t index) const;
};

}  // namespace ipvm::wasm
