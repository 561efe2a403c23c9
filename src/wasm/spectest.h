// The WebAssembly spec test runner: executes the JSON command lists that wabt's `wast2json` makes
// from the official test suite's .wast scripts.
//
// Every command kind is executed: module (binary; "name"d modules can be referred to later),
// register, action (invoke/get), assert_return (with nan:canonical / nan:arithmetic and reference
// expectations, any number of results), assert_trap (action and module forms), assert_exhaustion,
// assert_invalid, assert_malformed, assert_unlinkable, assert_uninstantiable. Commands whose module
// is in the text format (module_type "text", a .wat file) are compiled with wat_to_wasm (wat.h)
// first; a text assert_malformed passes when that compiler (or the decoder) rejects the module.
//
// Counting follows wabt's spectest-interp, so totals are comparable with its "N/N tests passed":
// every command except `register` is one test (a `module` passes when it instantiates).
// Trap texts must match the expected text (either one a prefix of the other, as the suite's
// "uninitialized element 2" shows).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/error.h"
#include "wasm/engine.h"

namespace ipvm::wasm {

struct SpecFailure {
  uint64_t line = 0;    // line of the command in the .wast (from the JSON)
  std::string message;  // "assert_return f(i32:1): expected i32:2, got i32:3"
};

struct SpecFileResult {
  std::string file;  // the JSON file as given
  uint64_t passed = 0, failed = 0, skipped = 0;
  std::map<std::string, uint64_t> skip_reasons;  // reason -> count
  std::vector<SpecFailure> failures;
};

struct SpecOptions {
  // Per call: the spec suite's deepest legal recursion fits the engine's defaults; the deadline
  // keeps a broken engine from hanging the runner.
  CallLimits limits = [] {
    CallLimits l;
    l.deadline.reset();
    return l;
  }();
  uint32_t call_timeout_ms = 20'000;
  bool verbose = false;  // print each spectest.print* call like the reference interpreter
};

// Runs one JSON command file. Fails only if the file itself cannot be read or parsed; assertion
// failures are counted in the result.
Result<SpecFileResult> run_spec_file(const std::string& json_path, const SpecOptions& options = {});

// Defines the `spectest` host module (print*, global_i32/i64/f32/f64, table, memory) in `store`
// and registers its exports in `linker` under "spectest".
void define_spectest_module(Store& store, Linker& linker, bool verbose = false);

}  // namespace ipvm::wasm
