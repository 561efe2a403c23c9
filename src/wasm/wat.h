// Compiles the WebAssembly text format (WAT, WebAssembly 2.0 without SIMD) to the binary format.
//
// Accepts one module: `(module $id? field*)` or the bare field list the spec allows as an
// abbreviation; also the script forms `(module $id? binary "...")` (the strings are the binary,
// returned as is) and `(module $id? quote "...")` (the strings are the text). Everything in the spec's text chapter is understood: identifiers for every index
// space (types, functions, tables, memories, globals, element and data segments, locals, labels),
// inline import/export abbreviations, typeuses with inline params/results (consistency checked,
// implicit types appended in order of appearance), folded and plain instructions, all MVP,
// sign-extension, saturating truncation, bulk memory, reference types and multi-value instructions,
// memargs (offset=, align= a power of two), every number literal form, strings with escapes.
//
// The output is canonical (shortest LEB128s, standard section order, no custom sections); it is
// not validated: an index out of range or an ill-typed body compiles here and is rejected by
// validate_module like any binary. Errors are kind "malformed" with a one-line message starting
// "LINE:COL: " (e.g. "3:12: unknown operator 'i32.foo'", "1:30: alignment must be a power of two").
#pragma once

#include <string_view>

#include "base/bytes.h"
#include "base/error.h"

namespace ipvm::wasm {

Result<Bytes> wat_to_wasm(std::string_view text);

// True if `bytes` starts with the binary magic "\0asm" (so it is not text).
bool is_wasm_binary(ByteView bytes);

}  // namespace ipvm::wasm
