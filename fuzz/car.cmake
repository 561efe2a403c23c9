ipvm_fuzz(car ipvm_ipld)
