// Decodes a WebAssembly 2.0 binary into a Module (module.h).
//
// Checks everything about the binary format except function bodies: magic and version, section ids,
// order, sizes and duplicates, LEB128 and UTF-8 well-formedness, limits flags, the function/code and
// data count/data consistency, element and data segment kinds, constant expressions, and the host
// limits in module.h (kMaxLocals, kMaxFunctionParams). Function bodies are only delimited; the
// validator (validator.h) walks them and reports body encoding errors (unknown opcodes, bad
// immediates, a missing final `end`, "data count section required") as kind "malformed" too, so a
// module is loaded by decode_module followed by validate_module.
//
// Errors: kind "malformed" for bad encoding, with the spec interpreter's wording and the byte offset;
// kind "invalid" for what the spec calls validation errors that the decoded form cannot represent
// (a non-constant instruction in a constant expression); kind "unsupported" for SIMD
// ("SIMD not supported yet"), which a spec runner may count as skipped.
#pragma once

#include "base/bytes.h"
#include "base/error.h"
#include "wasm/module.h"

namespace ipvm::wasm {

// Module::bytes keeps a copy of `binary`; offsets in the Module refer to it.
Result<Module> decode_module(ByteView binary);

}  // namespace ipvm::wasm
