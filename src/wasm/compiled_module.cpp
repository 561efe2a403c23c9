#include "wasm/compiled_module.h"

#include "wasm/compiler.h"
#include "wasm/decoder.h"
#include "wasm/validator.h"

namespace ipvm::wasm {

Result<std::shared_ptr<const CompiledModule>> CompiledModule::compile(ByteView wasm) {
  auto m = decode_module(wasm);
  if (!m) return fail("malformed", m.error().message);
  return compile(std::move(*m));
}

Result<std::shared_ptr<const CompiledModule>> CompiledModule::compile(Module module) {
  auto v = validate_module(module);
  if (!v) return fail("invalid", v.error().message);
  IPVM_TRY(Code code, compile_code(module));
  return std::make_shared<const CompiledModule>(std::move(module), std::move(code), jit_default());
}

}  // namespace ipvm::wasm
