# IPLD codec decoders (DAG-CBOR, DAG-JSON, CID).
ipvm_fuzz(dag_cbor ipvm_ipld)
ipvm_fuzz(dag_json ipvm_ipld)
ipvm_fuzz(cid ipvm_ipld)
