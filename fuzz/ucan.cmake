ipvm_fuzz(ucan_envelope ipvm_ucan)
