# Runtime: WIT signatures and the canonical ABI's lowering and lifting against hostile memory.
ipvm_fuzz(wit_cabi ipvm_runtime)
