# WebAssembly front end: decoder + validator.
ipvm_fuzz(wasm_decode ipvm_wasm)
