#include "runtime/executor.h"

#include <list>

#include "base/utf8.h"
#include "store/blocks.h"
#include "store/receipt_store.h"
#include "ucan/did_key.h"
#include "ucan/validator.h"

namespace ipvm::runtime {

struct Executor::Pending {
  std::shared_ptr<const ucan::Invocation> invocation;  // its envelope bytes are stored as a block
  std::optional<Bytes> module_bytes;  // inline modules are stored with the invocation
  ipld::Cid module;
  std::shared_ptr<const Receipt> receipt;
  std::optional<ipld::Cid> memo;
  bool indexed = true;  // false: stored, but not an answer to replay
};

namespace {

using Clock = std::chrono::steady_clock;

// Captured output goes into meta as a string when it is UTF-8, else as bytes.
ipld::Value captured(std::string text) {
  if (utf8_valid(text)) return ipld::Value::string(std::move(text));
  return ipld::Value::bytes(Bytes(text.begin(), text.end()));
}

}  // namespace

Executor::Executor(store::Store& store, std::shared_ptr<const ucan::Signer> signer, ExecutorOptions options)
    : store_(store),
      signer_(std::move(signer)),
      options_(std::move(options)),
      modules_(options_.module_cache_capacity),
      memory_pool_(std::make_unique<wasm::MemoryPool>()),
      verified_(options_.verified_cache_capacity),
      by_invocation_(options_.receipt_cache_capacity),
      by_memo_(options_.receipt_cache_capacity) {}

Executor::~Executor() = default;

Result<std::unique_ptr<Executor>> Executor::create(store::Store& store, std::shared_ptr<const ucan::Signer> signer,
                                                   ExecutorOptions options) {
  if (!signer) return fail("executor", "an executor needs a signing key");
  return std::unique_ptr<Executor>(new Executor(store, std::move(signer), std::move(options)));
}

int64_t Executor::now() const {
  if (options_.now) return options_.now();
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

Result<TaskOutcome> Executor::submit(ByteView invocation, const RunOptions& opts) {
  IPVM_TRY(auto inv, ucan::decode_invocation(invocation));
  return run(std::make_shared<const ucan::Invocation>(std::move(inv)), opts);
}

Result<TaskOutcome> Executor::run(std::shared_ptr<const ucan::Invocation> inv, const RunOptions& opts) {
  std::vector<Pending> pending;
  IPVM_TRY(auto out, run_one(inv, opts, pending, false, nullptr));
  IPVM_TRY_STATUS(commit(pending));
  return out;
}

Result<std::vector<TaskOutcome>> Executor::run_batch(std::span<const std::shared_ptr<const ucan::Invocation>> invs,
                                                     const RunOptions& opts) {
  std::vector<Pending> pending;
  pending.reserve(invs.size());
  std::vector<TaskOutcome> outs;
  outs.reserve(invs.size());
  // One read transaction finds which invocations the store has no answer for (neither by CID nor
  // by memo key); their run_one skips the store lookup.
  // The memo keys computed here are handed on, so each is computed once.
  std::vector<char> unanswered(invs.size(), 0);
  std::vector<std::optional<ipld::Cid>> keys(invs.size());
  for (size_t i = 0; i < invs.size(); ++i)
    if (invs[i] && is_pure(invs[i]->cmd, invs[i]->nonce)) keys[i] = memo_key(invs[i]->cmd, invs[i]->args);
  if (opts.use_cache) {
    IPVM_TRY_STATUS(store_.read([&](store::sqlite::Db& db) -> Status {
      for (size_t i = 0; i < invs.size(); ++i) {
        if (!invs[i]) continue;
        IPVM_TRY(bool answered, store::receipts::answered(db, invs[i]->cid(), keys[i] ? &*keys[i] : nullptr));
        unanswered[i] = !answered;
      }
      return {};
    }));
  }
  for (size_t i = 0; i < invs.size(); ++i) {
    const auto& inv = invs[i];
    auto o = run_one(inv, opts, pending, unanswered[i] != 0, keys[i] ? &*keys[i] : nullptr);
    if (!o) {
      (void)commit(pending);
      return tl::unexpected(o.error());
    }
    outs.push_back(std::move(*o));
  }
  IPVM_TRY_STATUS(commit(pending));
  return outs;
}

std::optional<std::string> Executor::authorize(const std::shared_ptr<const ucan::Invocation>& inv) {
  ucan::ValidationOptions vo;
  vo.now = now();
  vo.revoked = options_.revoked;
  vo.cache = &verified_;
  // Proof bytes must outlive the validation. A list allocates nothing until a proof is read, and
  // two captured pointers keep the std::function itself off the heap: most invocations have no
  // proofs. A store failure reads as a missing proof: an Unauthorized receipt, retried later.
  std::list<Bytes> held;
  ucan::ProofLookup lookup = [this, &held](const ipld::Cid& cid) -> std::optional<ByteView> {
    auto b = store_.find(cid);
    if (!b || !*b) return std::nullopt;
    held.push_back(std::move(**b));
    return ByteView(held.back());
  };
  auto v = ucan::validate_invocation(inv, lookup, vo);
  if (!v) return v.error().to_string();
  std::string_view subject = ucan::did_without_fragment(v->subject);
  if (subject != did())
    return fmt::format("the invocation's subject {} is not this node ({}); the node runs only what its own key "
                       "issues or delegates",
                       subject, did());
  if (inv->aud && ucan::did_without_fragment(*inv->aud) != did())
    return fmt::format("the invocation is addressed to {}, not to this node ({})", *inv->aud, did());
  return std::nullopt;
}

Result<std::shared_ptr<const wasm::CompiledModule>> Executor::load_module(const WasmTask& task, ipld::Value& failure) {
  if (auto hit = modules_.find(task.module)) return hit;
  Bytes fetched;
  ByteView bytes;
  if (task.inline_module) {
    bytes = *task.inline_module;
  } else {
    IPVM_TRY(auto b, store_.find(task.module));
    if (!b) {
      failure = error_out(errname::kModuleNotFound,
                          fmt::format("module {} is not in the store (add it with `ipvm block put`, or pass it inline "
                                      "as a data: URL)",
                                      task.module.to_string()));
      return nullptr;
    }
    fetched = std::move(*b);
    bytes = fetched;
  }
  auto cm = modules_.compile(task.module, bytes);
  if (!cm) {
    failure = error_out(errname::kInvalidModule,
                        fmt::format("module {} is not a valid WebAssembly module: {}", task.module.to_string(),
                                    cm.error().to_string()));
    return nullptr;
  }
  return *cm;
}

// Random seed: from the memo key for pure tasks (any node reproduces it), else the Task ID.
GuestCall Executor::guest_call_for(const ucan::Invocation& inv, const WasmTask& task, const TaskLimits& limits,
                                   std::shared_ptr<const wasm::CompiledModule> module, const ipld::Cid* key) const {
  GuestCall call;
  call.module = std::move(module);
  call.fun = task.fun;
  call.params = &task.params;
  call.sig = task.sig ? &*task.sig : nullptr;
  call.sig_text = task.sig_text;
  call.limits = limits;
  call.output_cap = options_.output_cap;
  call.memory_pool = memory_pool_.get();
  call.inert_init = inert_init_.get();
  ipld::Cid seed_from = key ? *key : ucan::task_id(inv);
  ByteView digest = seed_from.digest();
  call.random_seed.assign(digest.begin(), digest.end());
  return call;
}

Result<TaskOutcome> Executor::run_one(const std::shared_ptr<const ucan::Invocation>& inv, const RunOptions& opts,
                                      std::vector<Pending>& pending, bool not_in_store, const ipld::Cid* known_key) {
  const auto t0 = Clock::now();
  auto outcome = [&](std::shared_ptr<const Receipt> r, bool replayed) {
    return TaskOutcome{std::move(r), replayed, Clock::now() - t0};
  };
  if (!inv) return fail("executor", "no invocation");
  const ipld::Cid& inv_cid = inv->cid();
  const bool pure = is_pure(inv->cmd, inv->nonce);
  std::optional<ipld::Cid> key;
  if (pure) key = known_key ? *known_key : memo_key(inv->cmd, inv->args);
  std::shared_ptr<const Receipt> memo_hit;
  if (opts.use_cache) {
    IPVM_TRY(auto prev, lookup(inv_cid, key ? &*key : nullptr, not_in_store));
    if (prev.first) return outcome(prev.first, true);
    memo_hit = std::move(prev.second);  // answered only once the invocation is authorised
  }

  Pending p;
  p.invocation = inv;
  ipld::Map meta;
  meta.reserve(5);  // mod, fuel, time_us, stdout, stderr

  // Answers that depend on this node's state at the time (authority, which blocks it has, wall-clock
  // speed) are stored but not indexed: the same invocation submitted later is tried again.
  auto finish = [&](ipld::Value out, std::optional<ipld::Cid> memo) -> Result<TaskOutcome> {
    const ipld::Value* err = out.find("error");
    const ipld::Value* name = err ? err->find("name") : nullptr;
    std::string_view n = name && name->is_string() ? std::string_view(name->as_string()) : std::string_view();
    p.indexed = n != errname::kUnauthorized && n != errname::kModuleNotFound && n != errname::kTimeout;
    ReceiptParams rp;
    rp.ran = inv_cid;
    rp.iat = now();
    rp.out = std::move(out);
    rp.meta = ipld::Value::map(std::move(meta));
    IPVM_TRY(auto signed_receipt, sign_receipt(*signer_, std::move(rp)));
    auto receipt = std::make_shared<const Receipt>(std::move(signed_receipt));
    p.receipt = receipt;
    p.memo = memo;
    // Like the store, the caches keep an invocation's (and a memo key's) first answer: a forced
    // re-run returns its new receipt but does not replace the one later replays get.
    if (p.indexed) by_invocation_.insert(inv_cid, receipt);
    if (memo) by_memo_.insert(*memo, receipt);
    pending.push_back(std::move(p));
    return outcome(receipt, false);
  };

  if (auto why = authorize(inv)) return finish(error_out(errname::kUnauthorized, *why), std::nullopt);
  if (inv->cmd != kWasmRunCmd)
    return finish(error_out(errname::kUnsupportedCommand,
                            fmt::format("this executor runs {} tasks, not {}", kWasmRunCmd, inv->cmd)),
                  std::nullopt);
  auto limits = parse_limits(inv->meta, options_.default_limits);
  if (!limits) return finish(error_out(errname::kInvalidTask, limits.error().message), std::nullopt);
  // A memo hit means these very {cmd, args} parsed and ran before, so they need no parsing now.
  // Fuel is deterministic: an answer that used more than this invocation allows is not its answer
  // (running it would run out of fuel, and `ipvm call --verify` would say so), so it runs.
  if (memo_hit && memo_hit->fuel() <= limits->fuel) return outcome(memo_hit, true);
  auto task = parse_wasm_task(inv->args);
  if (!task) return finish(error_out(errname::kInvalidTask, task.error().message), std::nullopt);
  meta.emplace_back("mod", ipld::Value::link(task->module));

  ipld::Value failure;
  IPVM_TRY(auto module, load_module(*task, failure));
  if (!module) return finish(std::move(failure), std::nullopt);
  if (task->inline_module) {
    p.module = task->module;
    p.module_bytes = std::move(task->inline_module);
  }

  GuestCall call = guest_call_for(*inv, *task, *limits, module, pure ? &*key : nullptr);
  const auto t_run = Clock::now();
  GuestResult g = call_guest(call);
  const auto run_us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t_run).count();
  meta.emplace_back("fuel", ipld::Value::uinteger(g.fuel_used));
  meta.emplace_back("time_us", ipld::Value::integer(static_cast<int64_t>(run_us)));
  if (!g.stdout_text.empty()) meta.emplace_back("stdout", captured(std::move(g.stdout_text)));
  if (!g.stderr_text.empty()) meta.emplace_back("stderr", captured(std::move(g.stderr_text)));
  return finish(std::move(g.out), pure && g.memoizable ? key : std::nullopt);
}

Status Executor::commit(std::vector<Pending>& pending) {
  if (pending.empty()) return {};
  auto st = store_.write([&](store::sqlite::Db& db) -> Status {
    for (const Pending& p : pending) {
      // Both CIDs were computed from these bytes in this process (decoded or signed here). An
      // indexed invocation's block row carries its answer (store/receipt_store.h).
      const ipld::Cid& inv = p.invocation->cid();
      if (p.indexed) {
        IPVM_TRY_STATUS(store::receipts::put(db, inv, p.invocation->envelope.bytes, p.receipt->cid(), p.memo));
      } else {
        IPVM_TRY_STATUS(store::blocks::put_hashed(db, inv, p.invocation->envelope.bytes));
      }
      if (p.module_bytes) IPVM_TRY_STATUS(store::blocks::put(db, p.module, *p.module_bytes));
      IPVM_TRY_STATUS(store::blocks::put_hashed(db, p.receipt->cid(), p.receipt->envelope.bytes));
    }
    return {};
  });
  if (!st) {
    // Nothing was stored: forget the answers so they are not served from memory either.
    for (const Pending& p : pending) {
      by_invocation_.erase(p.invocation->cid());
      if (p.memo) by_memo_.erase(*p.memo);
    }
  }
  pending.clear();
  return st;
}

Result<std::shared_ptr<const Receipt>> Executor::load_receipt(const ipld::Cid& cid) {
  IPVM_TRY(auto bytes, store_.find(cid));
  if (!bytes) return std::shared_ptr<const Receipt>();
  auto r = decode_receipt(*bytes);
  if (!r) return failf("receipt", "block {} is not a receipt: {}", cid.to_string(), r.error().message);
  return std::make_shared<const Receipt>(std::move(*r));
}

Result<std::shared_ptr<const Receipt>> Executor::indexed(bool by_memo, const ipld::Cid& key) {
  std::optional<ipld::Cid> rct;
  IPVM_TRY_STATUS(store_.read([&](store::sqlite::Db& db) -> Status {
    IPVM_TRY(rct, by_memo ? store::receipts::by_memo(db, key) : store::receipts::by_invocation(db, key));
    return {};
  }));
  if (!rct) return std::shared_ptr<const Receipt>();
  IPVM_TRY(auto r, load_receipt(*rct));
  if (!r) return failf("store", "the task index names receipt {}, which is missing from the store", rct->to_string());
  return (by_memo ? by_memo_ : by_invocation_).insert(key, r);
}

Result<std::pair<std::shared_ptr<const Receipt>, std::shared_ptr<const Receipt>>> Executor::lookup(
    const ipld::Cid& invocation, const ipld::Cid* key, bool not_in_store) {
  std::pair<std::shared_ptr<const Receipt>, std::shared_ptr<const Receipt>> found;
  found.first = by_invocation_.find(invocation);
  if (found.first) return found;
  if (key) found.second = by_memo_.find(*key);
  if (found.second || not_in_store) return found;
  // One read transaction for both index rows: the common miss (a new task) costs one.
  std::optional<ipld::Cid> by_inv, by_key;
  IPVM_TRY_STATUS(store_.read([&](store::sqlite::Db& db) -> Status {
    IPVM_TRY(by_inv, store::receipts::by_invocation(db, invocation));
    if (!by_inv && key) {
      IPVM_TRY(by_key, store::receipts::by_memo(db, *key));
    }
    return {};
  }));
  auto load = [&](const ipld::Cid& rct, LruCache<ipld::Cid, Receipt>& cache,
                  const ipld::Cid& index) -> Result<std::shared_ptr<const Receipt>> {
    IPVM_TRY(auto r, load_receipt(rct));
    if (!r) return failf("store", "the task index names receipt {}, which is missing from the store", rct.to_string());
    return cache.insert(index, r);
  };
  if (by_inv) {
    IPVM_TRY(found.first, load(*by_inv, by_invocation_, invocation));
  }
  if (by_key) {
    IPVM_TRY(found.second, load(*by_key, by_memo_, *key));
  }
  return found;
}

Result<std::shared_ptr<const Receipt>> Executor::find_by_invocation(const ipld::Cid& invocation) {
  if (auto hit = by_invocation_.find(invocation)) return hit;
  return indexed(false, invocation);
}

Result<std::shared_ptr<const Receipt>> Executor::find_by_memo(const ipld::Cid& key) {
  if (auto hit = by_memo_.find(key)) return hit;
  return indexed(true, key);
}

Result<std::shared_ptr<const Receipt>> Executor::find_receipt(const ipld::Cid& cid) {
  IPVM_TRY(auto by_inv, find_by_invocation(cid));
  if (by_inv) return by_inv;
  return load_receipt(cid);
}

Result<std::shared_ptr<const ucan::Invocation>> Executor::invoke(const ucan::InvocationParams& p) {
  IPVM_TRY(auto env, ucan::sign_invocation(*signer_, p));
  IPVM_TRY(auto inv, ucan::invocation_from_envelope(std::move(env)));
  auto shared = std::make_shared<const ucan::Invocation>(std::move(inv));
  verified_.put(shared->cid(), shared);
  return shared;
}

Result<ipld::Cid> Executor::put_module(ByteView wasm) {
  ipld::Cid cid = module_cid(wasm);
  IPVM_TRY_STATUS(store_.put(cid, wasm));
  return cid;
}

Result<ipld::Cid> Executor::put_proof(ByteView delegation) {
  IPVM_TRY(auto env, ucan::decode_envelope(delegation));
  IPVM_TRY_STATUS(store_.put(env.cid, delegation));
  return env.cid;
}

GuestResult Executor::evaluate(const ucan::Invocation& inv) {
  GuestResult g;
  auto task = parse_wasm_task(inv.args);
  if (!task) {
    g.out = error_out(errname::kInvalidTask, task.error().message);
    return g;
  }
  auto limits = parse_limits(inv.meta, options_.default_limits);
  if (!limits) {
    g.out = error_out(errname::kInvalidTask, limits.error().message);
    return g;
  }
  ipld::Value failure;
  auto module = load_module(*task, failure);
  if (!module) {
    g.out = error_out("Store", module.error().to_string());
    return g;
  }
  if (!*module) {
    g.out = std::move(failure);
    return g;
  }
  std::optional<ipld::Cid> key;
  if (is_pure(inv.cmd, inv.nonce)) key = memo_key(inv.cmd, inv.args);
  GuestCall call = guest_call_for(inv, *task, *limits, *module, key ? &*key : nullptr);
  return call_guest(call);
}

}  // namespace ipvm::runtime
