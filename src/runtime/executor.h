// The executor: takes signed `/wasm/run` invocations, checks them, runs them once and answers
// with signed receipts, which it keeps in the store (blocks + task index, store/receipt_store.h).
//
// For each invocation, in order:
//   1. an invocation that already has a receipt gets that receipt again (replayed);
//   2. authorisation (ucan/validator.h): signature, time bounds, proof chain; the chain's subject
//      must be this node's DID and the invocation addressed to it (aud, else sub): the node runs
//      what its own key asks and anything delegated from it. Failure: an "Unauthorized" receipt;
//   3. the command must be /wasm/run, the args a task (task.h), the meta limits valid;
//   4. a pure task (empty nonce) whose memo key already has a receipt gets that receipt (replayed);
//   5. the module is loaded (inline data: URL, compiled-module cache, or the block store; missing:
//      "ModuleNotFound" naming the CID), run (guest_call.h), and the receipt signed and stored:
//      the invocation, any inline module and the receipt as blocks, indexed by invocation CID and,
//      for pure tasks with a memoizable answer, by memo key, all in one transaction.
// A replayed receipt is the original one: its `ran` names the invocation that was executed.
// Unauthorized, ModuleNotFound and Timeout receipts are stored but not indexed, so the same
// invocation is tried again once the node has the proof or module, or more time.
//
// Only failures of the node itself (the store, signing) are errors of these calls; everything
// about the task is in the receipt. Safe to share between threads.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "ipld/cid.h"
#include "runtime/guest_call.h"
#include "runtime/lru.h"
#include "runtime/module_cache.h"
#include "runtime/receipt.h"
#include "runtime/task.h"
#include "store/store.h"
#include "ucan/invocation.h"
#include "ucan/revocation.h"
#include "ucan/signer.h"
#include "ucan/verified_cache.h"

namespace ipvm::runtime {

struct ExecutorOptions {
  TaskLimits default_limits;
  size_t module_cache_capacity = 64;
  size_t receipt_cache_capacity = 1 << 16;  // recent receipts by invocation CID and by memo key
  size_t verified_cache_capacity = 1 << 16; // tokens whose signatures were checked (ucan/verified_cache.h)
  uint64_t output_cap = 64 * 1024;          // captured stdout/stderr bytes kept per stream
  const ucan::RevocationList* revoked = nullptr;
  // Unix seconds, for validation and receipts' iat (tests pin it).
  std::function<int64_t()> now;
};

struct RunOptions {
  bool use_cache = true;  // false: run even if a receipt exists (the new receipt is indexed too)
};

struct TaskOutcome {
  std::shared_ptr<const Receipt> receipt;
  bool replayed = false;
  std::chrono::nanoseconds elapsed{0};  // wall time of this call, replay included
};

class Executor {
 public:
  // The task-index tables come with the store (Store::open brings its schema up to date).
  static Result<std::unique_ptr<Executor>> create(store::Store& store, std::shared_ptr<const ucan::Signer> signer,
                                                  ExecutorOptions options = {});
  ~Executor();

  const std::string& did() const { return signer_->did(); }
  store::Store& store() { return store_; }

  // Decodes an invocation envelope and runs it. Bytes that are not an invocation at all fail
  // (kind "InvalidClaim"): there is nothing a receipt could point to.
  Result<TaskOutcome> submit(ByteView invocation, const RunOptions& opts = {});
  Result<TaskOutcome> run(std::shared_ptr<const ucan::Invocation> inv, const RunOptions& opts = {});
  // Runs each in turn and stores all their receipts in one transaction.
  Result<std::vector<TaskOutcome>> run_batch(std::span<const std::shared_ptr<const ucan::Invocation>> invs,
                                             const RunOptions& opts = {});

  // Signs an invocation with the node's key; it needs no signature check when run (the store
  // keeps it once it has a receipt).
  Result<std::shared_ptr<const ucan::Invocation>> invoke(const ucan::InvocationParams& p);
  // Stores a module as a raw block; returns its CID.
  Result<ipld::Cid> put_module(ByteView wasm);
  // Stores a delegation so invocations can name it in prf.
  Result<ipld::Cid> put_proof(ByteView delegation);

  // A receipt by its own CID or by the CID of the invocation it answers; nullptr if none.
  Result<std::shared_ptr<const Receipt>> find_receipt(const ipld::Cid& cid);
  Result<std::shared_ptr<const Receipt>> find_by_invocation(const ipld::Cid& invocation);
  Result<std::shared_ptr<const Receipt>> find_by_memo(const ipld::Cid& memo_key);

  // Runs the task of `inv` again without authorisation, signing or the store (except to load
  // the module): for `--verify` and the unsigned benchmark.
  GuestResult evaluate(const ucan::Invocation& inv);

  int64_t now() const;

 private:
  struct Pending;
  Executor(store::Store& store, std::shared_ptr<const ucan::Signer> signer, ExecutorOptions options);

  // `not_in_store`: the caller already knows the store has no receipt for it (caches are still asked);
  // `known_key`: its memo key, when the caller has computed it already.
  Result<TaskOutcome> run_one(const std::shared_ptr<const ucan::Invocation>& inv, const RunOptions& opts,
                              std::vector<Pending>& pending, bool not_in_store, const ipld::Cid* known_key);
  Status commit(std::vector<Pending>& pending);
  Result<std::shared_ptr<const Receipt>> load_receipt(const ipld::Cid& cid);
  Result<std::shared_ptr<const Receipt>> indexed(bool by_memo, const ipld::Cid& key);
  // Receipts answering an invocation (first) and its memo key (second, if `key`), cache first.
  Result<std::pair<std::shared_ptr<const Receipt>, std::shared_ptr<const Receipt>>> lookup(const ipld::Cid& invocation,
                                                                                          const ipld::Cid* key,
                                                                                          bool not_in_store = false);
  std::optional<std::string> authorize(const std::shared_ptr<const ucan::Invocation>& inv);
  GuestCall guest_call_for(const ucan::Invocation& inv, const WasmTask& task, const TaskLimits& limits,
                           std::shared_ptr<const wasm::CompiledModule> module, const ipld::Cid* key) const;
  Result<std::shared_ptr<const wasm::CompiledModule>> load_module(const WasmTask& task, ipld::Value& failure);

  store::Store& store_;
  std::shared_ptr<const ucan::Signer> signer_;
  ExecutorOptions options_;
  ModuleCache modules_;
  std::unique_ptr<InertInitCache> inert_init_ = std::make_unique<InertInitCache>();
  std::unique_ptr<wasm::MemoryPool> memory_pool_;  // guests' linear memories, reused across tasks
  ucan::VerifiedCache verified_;
  LruCache<ipld::Cid, Receipt> by_invocation_;
  LruCache<ipld::Cid, Receipt> by_memo_;
};

}  // namespace ipvm::runtime
