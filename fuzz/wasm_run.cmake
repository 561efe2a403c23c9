# WebAssembly engine: compile, instantiate and a fuel-limited run of every export.
ipvm_fuzz(wasm_run ipvm_wasm)
