// An external value: what an import is satisfied with and what an export yields. The pointee is
// owned by a Store and lives as long as it.
#pragma once

#include "wasm/func.h"
#include "wasm/memory.h"
#include "wasm/module.h"
#include "wasm/table.h"

namespace ipvm::wasm {

struct Extern {
  ExternKind kind = ExternKind::kFunc;
  Func* func = nullptr;
  Table* table = nullptr;
  Memory* memory = nullptr;
  GlobalVar* global = nullptr;

  static Extern of(Func* f) { return Extern{ExternKind::kFunc, f, nullptr, nullptr, nullptr}; }
  static Extern of(Table* t) { return Extern{ExternKind::kTable, nullptr, t, nullptr, nullptr}; }
  static Extern of(Memory* m) { return Extern{ExternKind::kMemory, nullptr, nullptr, m, nullptr}; }
  static Extern of(GlobalVar* g) { return Extern{ExternKind::kGlobal, nullptr, nullptr, nullptr, g}; }
};

}  // namespace ipvm::wasm
