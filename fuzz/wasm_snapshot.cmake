# Snapshots of suspended calls: CAR + DAG-CBOR parsing and restore checks, then a short resume.
ipvm_fuzz(wasm_snapshot ipvm_wasm)
