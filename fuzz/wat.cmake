# WebAssembly text format: the WAT -> binary compiler.
ipvm_fuzz(wat ipvm_wasm)
