// A validated module plus its internal code. Immutable after compile(); share it via shared_ptr
// between stores and threads. Instantiating it does no further decoding or compilation.
#pragma once

#include <memory>

#include "base/bytes.h"
#include "base/error.h"
#include "wasm/code.h"
#include "wasm/jit.h"
#include "wasm/module.h"

namespace ipvm::wasm {

class CompiledModule {
 public:
  // decode + validate + compile (and translate to native code when jit_default(), see jit.h).
  // Errors: kind "malformed" (binary format), "invalid" (validation),
  // each with the offending byte offset in the message.
  static Result<std::shared_ptr<const CompiledModule>> compile(ByteView wasm);
  // validate + compile an already decoded module.
  static Result<std::shared_ptr<const CompiledModule>> compile(Module module);

  const Module& module() const { return module_; }
  const Code& code() const { return code_; }
  // The native tier's code, or null (interpreter only).
  const JitCode* jit() const { return jit_.get(); }

  CompiledModule(Module module, Code code, bool jit = false)
      : module_(std::move(module)), code_(std::move(code)), jit_(jit ? JitCode::compile(code_) : nullptr) {}

 private:
  Module module_;
  Code code_;
  std::unique_ptr<const JitCode> jit_;
};

}  // namespace ipvm::wasm
